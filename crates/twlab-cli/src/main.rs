//! `twlab`: run a preset or a scenario file and print its trace.

use std::process::ExitCode;
use twlab_core::{presets, simulate, Scenario};

const USAGE: &str = "usage:
  twlab list                               presets, one line each
  twlab run <preset|file.json> [options]   run a scenario and print its trace
      --no-time-wait                       the twin where TIME-WAIT is skipped
      --format text|json                   text (default): a tcpdump-like listing; json: the whole trace";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("twlab: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    match args.first().map(String::as_str) {
        Some("list") => Ok(presets::all()
            .iter()
            .map(|s| format!("{:<24} {}\n", s.name, s.description))
            .collect()),
        Some("run") => run_scenario(&args[1..]),
        Some("help" | "--help" | "-h") => Ok(format!("{USAGE}\n")),
        _ => Err(format!("expected a command\n{USAGE}")),
    }
}

fn run_scenario(args: &[String]) -> Result<String, String> {
    let mut source = None;
    let mut no_time_wait = false;
    let mut json = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--no-time-wait" => no_time_wait = true,
            "--format" => match rest.next().map(String::as_str) {
                Some("json") => json = true,
                Some("text") => json = false,
                other => return Err(format!("--format takes text or json, not {other:?}")),
            },
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"))
            }
            name if source.is_none() => source = Some(name.to_string()),
            extra => return Err(format!("unexpected argument {extra:?}")),
        }
    }
    let source =
        source.ok_or_else(|| format!("run needs a preset name or a scenario file\n{USAGE}"))?;
    let mut scenario = load(&source)?;
    if no_time_wait {
        scenario = scenario.without_time_wait();
    }
    let trace = simulate(&scenario).map_err(|e| format!("{source}: {e}"))?;
    if json {
        serde_json::to_string_pretty(&trace)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string())
    } else {
        Ok(trace.to_text())
    }
}

/// A preset by name, or else a JSON scenario file.
fn load(source: &str) -> Result<Scenario, String> {
    if let Some(preset) = presets::by_name(source) {
        return Ok(preset);
    }
    let text = std::fs::read_to_string(source).map_err(|e| {
        let names: Vec<String> = presets::all().into_iter().map(|s| s.name).collect();
        format!(
            "{source:?} is neither a preset ({}) nor a readable file: {e}",
            names.join(", ")
        )
    })?;
    let mut json = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut json).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        // serde_json ends its messages with the place; keep it on the same (single) line.
        match field.as_str() {
            "." => format!("{source}: {inner}"),
            _ => format!("{source}: {field}: {inner}"),
        }
    })
}
