//! `twlab`: run a preset or a scenario file and print its trace, show a preset as scenario JSON, list
//! the parameters. Each command is a function taking the rest of the command line (a [`lexopt::Parser`])
//! and giving an [`Output`]; a new command is an entry in [`COMMANDS`] and its function.

mod drill;

use lexopt::prelude::*;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use twlab_capture as capture;
use twlab_core::params::{self, Range, Shown};
use twlab_core::scenario::{Isn, Profile};
use twlab_core::{presets, simulate, Scenario, Trace};
use twlab_formats::link::{self, LinkError};
use twlab_formats::{to_mermaid, to_pcap, to_text};

type Command = fn(&mut lexopt::Parser) -> Result<Output, String>;

/// Every command: its name, its usage (the first line is its summary), and what runs it.
const COMMANDS: &[(&str, &str, Command)] = &[
    ("list", LIST, list),
    ("run", RUN, run),
    ("streams", STREAMS, streams),
    ("show", SHOW, show),
    ("params", PARAMS, params),
];

const LIST: &str = "twlab list                          the presets, one line each";

const RUN: &str = "twlab run <preset|file> [options]   run a scenario (a preset or a JSON file) and print its trace,
                                    or draw a capture (a pcap or pcapng file)
    --no-time-wait                  the twin where TIME-WAIT is skipped
    --profile rfc9293|linux|lab     take the parameters' defaults from this profile
    --set <name>=<value>            set one parameter, as a link spells it (repeatable):
                                    --set msl=2s --set timestamps=on --set time_wait=skip
                                    (`twlab params` lists them with their ranges)
    --stream <n>                    which TCP stream of a capture to draw (default 0)
    --format text|json|mermaid|pcap text (default): a tcpdump-like listing; json: the whole trace;
                                    mermaid: a Mermaid sequenceDiagram of the run;
                                    pcap: a capture file for Wireshark and tshark
    -o, --output <file>             write to a file instead of standard output";

const STREAMS: &str =
    "twlab streams <capture>             a capture's TCP streams, numbered as Wireshark's tcp.stream";

const SHOW: &str =
    "twlab show <preset> [options]       print a preset as scenario JSON, to start your own from
    --profile, --set                as for run";

const PARAMS: &str = "twlab params [--json]               the parameters: range, defaults (lab · rfc9293 · linux), meaning
    --json                          as JSON: [{name, kind, min, max, defaults, common, meaning}]";

fn usage() -> String {
    let lines: Vec<&str> = COMMANDS.iter().map(|(_, u, _)| *u).collect();
    format!(
        "usage:\n{}\n{}\n\ntwlab <command> --help shows one command's options.",
        lines.join("\n"),
        drill::USAGE
    )
}

fn main() -> ExitCode {
    // `twlab drill` parses its own arguments and sets its own exit status (crates/twlab-cli/src/drill.rs).
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "drill") {
        return drill::main(&args[1..]);
    }
    match dispatch(&mut lexopt::Parser::from_env()).and_then(write) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("twlab: {message}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(args: &mut lexopt::Parser) -> Result<Output, String> {
    let help = |text: String| Ok(Output::from(text + "\n"));
    match args.next().map_err(|e| e.to_string())? {
        Some(Value(name)) => {
            let name = text(Ok(name))?;
            match COMMANDS.iter().find(|(n, _, _)| *n == name) {
                Some((_, _, command)) => command(args),
                None if name == "help" => match args.next().map_err(|e| e.to_string())? {
                    Some(Value(of)) => match COMMANDS.iter().find(|(n, _, _)| of == **n) {
                        Some((_, usage, _)) => help(format!("usage: {usage}")),
                        None => Err(format!(
                            "there is no command {of:?}; `twlab help` lists them"
                        )),
                    },
                    _ => help(usage()),
                },
                None => Err(format!(
                    "there is no command {name:?}; `twlab help` lists them"
                )),
            }
        }
        Some(Short('h') | Long("help")) => help(usage()),
        Some(other) => Err(other.unexpected().to_string()),
        None => Err("expected a command; `twlab help` lists them".into()),
    }
}

/// `--help` for a command: its usage on standard output.
fn help(usage: &str) -> Result<Output, String> {
    Ok(format!("usage: {usage}\n").into())
}

/// What a command produces, and where it goes.
struct Output {
    bytes: Vec<u8>,
    binary: bool,
    file: Option<String>,
}

impl From<String> for Output {
    fn from(text: String) -> Self {
        Output {
            bytes: text.into_bytes(),
            binary: false,
            file: None,
        }
    }
}

fn write(out: Output) -> Result<(), String> {
    if let Some(file) = &out.file {
        return std::fs::write(file, &out.bytes).map_err(|e| format!("{file}: {e}"));
    }
    let mut stdout = std::io::stdout().lock();
    if out.binary && stdout.is_terminal() {
        return Err(
            "a pcap file is binary: write it with -o file.pcap, or pipe it (| tshark -r -)".into(),
        );
    }
    stdout.write_all(&out.bytes).map_err(|e| e.to_string())
}

/// An argument's text (lexopt hands out `OsString`s).
fn text(value: Result<std::ffi::OsString, lexopt::Error>) -> Result<String, String> {
    value.and_then(|v| v.string()).map_err(|e| e.to_string())
}

// ---- list ------------------------------------------------------------------------------------------

fn list(args: &mut lexopt::Parser) -> Result<Output, String> {
    if let Some(arg) = args.next().map_err(|e| e.to_string())? {
        return match arg {
            Short('h') | Long("help") => help(LIST),
            other => Err(other.unexpected().to_string()),
        };
    }
    Ok(presets::all()
        .iter()
        .map(|s| format!("{:<24} {}\n", s.name, s.description))
        .collect::<String>()
        .into())
}

// ---- run and show ----------------------------------------------------------------------------------

/// Changes to a scenario given on the command line: `--profile` and `--set`.
#[derive(Default)]
struct Changes {
    profile: Option<Profile>,
    set: Vec<(String, String)>,
}

impl Changes {
    /// Reads `--<option> <value>` (`profile` or `set`).
    fn read(&mut self, option: &str, value: String) -> Result<(), String> {
        match option {
            "profile" => {
                let name = value;
                let profile = serde_json::from_value(serde_json::Value::String(name.clone()))
                    .map_err(|_| format!("--profile takes rfc9293, linux or lab, not {name:?}"))?;
                self.profile = Some(profile);
            }
            _ => {
                let setting = value;
                let (name, value) = setting.split_once('=').ok_or_else(|| {
                    format!("--set takes <name>=<value> (like msl=2s), not {setting:?}")
                })?;
                if !params::table().iter().any(|p| p.name == name) {
                    let names: Vec<&str> = params::table().iter().map(|p| p.name).collect();
                    return Err(format!(
                        "--set {setting}: there is no parameter {name:?} (there are {})",
                        names.join(", ")
                    ));
                }
                if self.set.iter().any(|(n, _)| n == name) {
                    return Err(format!("--set {name} is given twice"));
                }
                // Links write booleans on and off; JSON's true and false are fine too.
                let value = match value {
                    "true" => "on",
                    "false" => "off",
                    v => v,
                };
                self.set.push((name.into(), value.into()));
            }
        }
        Ok(())
    }

    fn any(&self) -> bool {
        self.profile.is_some() || !self.set.is_empty()
    }

    /// `scenario` with the changes, checked as a scenario file is.
    fn apply(&self, mut scenario: Scenario) -> Result<Scenario, String> {
        scenario.profile = self.profile.unwrap_or(scenario.profile);
        for (name, value) in &self.set {
            link::set_params(&mut scenario.params, [(name.as_str(), value.as_str())]).map_err(
                |e| match e {
                    LinkError::Malformed { reason, .. } => {
                        format!("--set {name}={value}: {reason}")
                    }
                    e => format!("--set {name}={value}: {e}"),
                },
            )?;
        }
        scenario.validate().map_err(|e| e.to_string())?;
        Ok(scenario)
    }
}

enum Format {
    Text,
    Json,
    Mermaid,
    Pcap,
}

fn run(args: &mut lexopt::Parser) -> Result<Output, String> {
    let mut source = None;
    let mut no_time_wait = false;
    let mut format = Format::Text;
    let mut file = None;
    let mut changes = Changes::default();
    let mut stream = None;
    while let Some(arg) = args.next().map_err(|e| e.to_string())? {
        match arg {
            Long(option @ ("profile" | "set")) => {
                let option = option.to_string();
                changes.read(&option, text(args.value())?)?
            }
            Short('h') | Long("help") => return help(RUN),
            Long("stream") => {
                let n = text(args.value())?.parse().ok();
                stream = Some(n.ok_or("--stream takes a stream number (0, 1, …)")?);
            }
            Long("no-time-wait") => no_time_wait = true,
            Long("format") => {
                format = match text(args.value())?.as_str() {
                    "json" => Format::Json,
                    "text" => Format::Text,
                    "mermaid" => Format::Mermaid,
                    "pcap" => Format::Pcap,
                    other => {
                        return Err(format!(
                            "--format takes text, json, mermaid or pcap, not {other:?}"
                        ))
                    }
                }
            }
            Short('o') | Long("output") => file = Some(text(args.value())?),
            Value(name) if source.is_none() => source = Some(text(Ok(name))?),
            other => {
                return Err(format!(
                    "{}; `twlab run --help` lists the options",
                    other.unexpected()
                ))
            }
        }
    }
    let source =
        source.ok_or("run needs a preset name or a scenario file; `twlab run --help` says more")?;
    let trace = load(&source, no_time_wait, &changes, stream)?;
    let mut out: Output = match format {
        Format::Json => serde_json::to_string_pretty(&trace)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string())?
            .into(),
        Format::Text => to_text(&trace).into(),
        Format::Mermaid => to_mermaid(&trace).into(),
        Format::Pcap => Output {
            bytes: to_pcap(&trace),
            binary: true,
            file: None,
        },
    };
    out.file = file;
    Ok(out)
}

// ---- streams --------------------------------------------------------------------------------------

fn streams(args: &mut lexopt::Parser) -> Result<Output, String> {
    let mut source = None;
    while let Some(arg) = args.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return help(STREAMS),
            Value(name) if source.is_none() => source = Some(text(Ok(name))?),
            other => return Err(other.unexpected().to_string()),
        }
    }
    let source = source.ok_or("streams needs a capture file (pcap or pcapng)")?;
    let bytes = std::fs::read(&source).map_err(|e| format!("{source}: {e}"))?;
    let capture = capture::open(&bytes).map_err(|e| format!("{source}: {e}"))?;
    Ok(capture::streams::to_text(capture.streams()).into())
}

fn show(args: &mut lexopt::Parser) -> Result<Output, String> {
    let mut name = None;
    let mut changes = Changes::default();
    while let Some(arg) = args.next().map_err(|e| e.to_string())? {
        match arg {
            Long(option @ ("profile" | "set")) => {
                let option = option.to_string();
                changes.read(&option, text(args.value())?)?
            }
            Short('h') | Long("help") => return help(SHOW),
            Value(n) if name.is_none() => name = Some(text(Ok(n))?),
            other => {
                return Err(format!(
                    "{}; `twlab show --help` lists the options",
                    other.unexpected()
                ))
            }
        }
    }
    let name = name.ok_or("show needs a preset name (`twlab list` lists them)")?;
    let scenario = changes.apply(preset(&name)?)?;
    let json = serde_json::to_string_pretty(&scenario).map_err(|e| e.to_string())?;
    Ok((json + "\n").into())
}

fn preset(name: &str) -> Result<Scenario, String> {
    presets::by_name(name).ok_or_else(|| {
        let names: Vec<String> = presets::all().into_iter().map(|s| s.name).collect();
        format!("there is no preset {name:?} ({})", names.join(", "))
    })
}

/// A preset by name, or else a file: a capture (pcap, pcapng) is drawn as recorded, a JSON scenario
/// is simulated.
fn load(
    source: &str,
    no_time_wait: bool,
    changes: &Changes,
    stream: Option<u32>,
) -> Result<Trace, String> {
    let scenario = match presets::by_name(source) {
        Some(preset) => preset,
        None => {
            let bytes = std::fs::read(source).map_err(|e| {
                let names: Vec<String> = presets::all().into_iter().map(|s| s.name).collect();
                format!(
                    "{source:?} is neither a preset ({}) nor a readable file: {e}",
                    names.join(", ")
                )
            })?;
            if capture::is_capture(&bytes) {
                if no_time_wait || changes.any() {
                    return Err(format!("{source}: a capture is drawn as recorded; --no-time-wait, --profile and --set apply to scenarios"));
                }
                let name = std::path::Path::new(source)
                    .file_name()
                    .map_or(source.into(), |n| n.to_string_lossy());
                let capture = capture::open(&bytes).map_err(|e| format!("{source}: {e}"))?;
                let n = capture.streams().len();
                if n > 1 {
                    eprintln!("twlab: {source} has {n} TCP streams: `twlab streams {source}` lists them, --stream N draws one");
                }
                return capture
                    .draw(&name, stream.unwrap_or(0))
                    .map_err(|e| format!("{source}: {e}"));
            }
            parse_scenario(&bytes).map_err(|e| format!("{source}: {e}"))?
        }
    };
    if stream.is_some() {
        return Err(format!("{source}: --stream applies to captures"));
    }
    let scenario = changes
        .apply(scenario)
        .map_err(|e| format!("{source}: {e}"))?;
    let scenario = if no_time_wait {
        scenario.without_time_wait()
    } else {
        scenario
    };
    simulate(&scenario).map_err(|e| format!("{source}: {e}"))
}

/// A JSON scenario; an error names the field it failed at (`params.msl: "1y" is not a duration …`).
fn parse_scenario(bytes: &[u8]) -> Result<Scenario, String> {
    let mut json = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut json).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        match field.as_str() {
            "." => inner.to_string(),
            _ => format!("{field}: {inner}"),
        }
    })
}

// ---- params ----------------------------------------------------------------------------------------

fn params(args: &mut lexopt::Parser) -> Result<Output, String> {
    let mut json = false;
    while let Some(arg) = args.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return help(PARAMS),
            Long("json") => json = true,
            other => {
                return Err(format!(
                    "{}; `twlab params --help` lists the options",
                    other.unexpected()
                ))
            }
        }
    }
    let table = params::table();
    if json {
        let text = serde_json::to_string_pretty(&table).map_err(|e| e.to_string())?;
        return Ok((text + "\n").into());
    }
    let mut out = String::new();
    for p in &table {
        let d = &p.defaults;
        let defaults = [&d.lab, &d.rfc9293, &d.linux].map(shown);
        let defaults = if defaults.iter().all(|v| *v == defaults[0]) {
            defaults[0].clone()
        } else {
            defaults.join(" · ")
        };
        out += &format!(
            "{:<18} {:<28} {:<21} {}\n",
            p.name,
            range(&p.range),
            defaults,
            p.meaning.en
        );
    }
    Ok(out.into())
}

/// A value as `--set` takes it.
fn shown(value: &Shown) -> String {
    match value {
        Shown::Duration(d) => d.to_string(),
        Shown::Count(n) => n.to_string(),
        Shown::Bool(b) => (if *b { "on" } else { "off" }).into(),
        Shown::TimeWait(t) => t.to_string(),
        Shown::Isn(Isn::Clock) => "clock".into(),
        Shown::Isn(isn) => serde_json::to_string(isn).unwrap_or_default(),
        Shown::None => "unset".into(),
    }
}

fn range(range: &Range) -> String {
    match range {
        Range::Duration { min, max } => format!("{min}–{max}"),
        Range::Count { min, max } => format!("{min}–{max}"),
        Range::Bool => "on, off".into(),
        Range::TimeWait {
            min,
            max,
            msl_multiple_min,
            msl_multiple_max,
        } => format!("{msl_multiple_min}msl–{msl_multiple_max}msl, {min}–{max}, skip"),
        Range::Isn { .. } => "clock, fixed:c-s, each:c-s,…".into(),
    }
}
