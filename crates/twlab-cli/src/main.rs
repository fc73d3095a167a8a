//! `twlab`: run a preset or a scenario file and print its trace.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use twlab_capture as capture;
use twlab_core::{presets, simulate, to_mermaid, Scenario, Trace};

const USAGE: &str = "usage:
  twlab list                               presets, one line each
  twlab streams <capture>                  a capture's TCP streams (numbered as Wireshark's tcp.stream)
  twlab run <preset|file> [options]        run a scenario (a preset or a JSON file) and print its trace,
                                           or draw a capture (a pcap or pcapng file)
      --no-time-wait                       the twin where TIME-WAIT is skipped
      --format text|json|mermaid|pcap      text (default): a tcpdump-like listing; json: the whole trace;
                                           mermaid: a Mermaid sequenceDiagram of the run;
                                           pcap: a capture file for Wireshark and tshark
      --stream <n>                         which TCP stream of a capture to draw (default 0)
      -o, --output <file>                  write to a file instead of standard output";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args).and_then(write) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("twlab: {message}");
            ExitCode::FAILURE
        }
    }
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

fn run(args: &[String]) -> Result<Output, String> {
    match args.first().map(String::as_str) {
        Some("list") => Ok(presets::all()
            .iter()
            .map(|s| format!("{:<24} {}\n", s.name, s.description))
            .collect::<String>()
            .into()),
        Some("run") => run_scenario(&args[1..]),
        Some("streams") => list_streams(&args[1..]),
        Some("help" | "--help" | "-h") => Ok(format!("{USAGE}\n").into()),
        _ => Err(format!("expected a command\n{USAGE}")),
    }
}

enum Format {
    Text,
    Json,
    Mermaid,
    Pcap,
}

fn run_scenario(args: &[String]) -> Result<Output, String> {
    let mut source = None;
    let mut no_time_wait = false;
    let mut format = Format::Text;
    let mut file = None;
    let mut stream = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--no-time-wait" => no_time_wait = true,
            "--format" => {
                format = match rest.next().map(String::as_str) {
                    Some("json") => Format::Json,
                    Some("text") => Format::Text,
                    Some("mermaid") => Format::Mermaid,
                    Some("pcap") => Format::Pcap,
                    other => {
                        return Err(format!(
                            "--format takes text, json, mermaid or pcap, not {other:?}"
                        ))
                    }
                }
            }
            "--stream" => {
                let n = rest.next().and_then(|n| n.parse().ok());
                stream = Some(n.ok_or("--stream takes a stream number (0, 1, …)")?);
            }
            "-o" | "--output" => {
                file = Some(rest.next().ok_or("-o needs a file name")?.clone());
            }
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"))
            }
            name if source.is_none() => source = Some(name.to_string()),
            extra => return Err(format!("unexpected argument {extra:?}")),
        }
    }
    let source =
        source.ok_or_else(|| format!("run needs a preset name or a scenario file\n{USAGE}"))?;
    let trace = load(&source, no_time_wait, stream)?;
    let mut out: Output = match format {
        Format::Json => serde_json::to_string_pretty(&trace)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string())?
            .into(),
        Format::Text => trace.to_text().into(),
        Format::Mermaid => to_mermaid(&trace).into(),
        Format::Pcap => Output {
            bytes: capture::to_pcap(&trace),
            binary: true,
            file: None,
        },
    };
    out.file = file;
    Ok(out)
}

/// A preset by name, or else a file: a capture (pcap, pcapng) is drawn as recorded, a JSON scenario
/// is simulated.
fn load(source: &str, no_time_wait: bool, stream: Option<u32>) -> Result<Trace, String> {
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
                if no_time_wait {
                    return Err(format!("{source}: a capture is drawn as recorded; --no-time-wait applies to scenarios"));
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
    let scenario = if no_time_wait {
        scenario.without_time_wait()
    } else {
        scenario
    };
    simulate(&scenario).map_err(|e| format!("{source}: {e}"))
}

/// `twlab streams dump.pcap`: one line per TCP stream.
fn list_streams(args: &[String]) -> Result<Output, String> {
    let [source] = args else {
        return Err(format!("streams needs one capture file\n{USAGE}"));
    };
    let bytes = std::fs::read(source).map_err(|e| format!("{source}: {e}"))?;
    let capture = capture::open(&bytes).map_err(|e| format!("{source}: {e}"))?;
    Ok(capture::streams::to_text(capture.streams()).into())
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
