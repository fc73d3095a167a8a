//! `twlab drill script.pkt [--format text|json|mermaid|pcap] [-o file]`: run a packetdrill script
//! against twlab's endpoint (the `linux` profile), write the run as a trace, and report the first
//! mismatch as packetdrill does (exit 1), or exit 0 when the script holds.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use twlab_formats::{to_mermaid, to_pcap, to_text};

pub const USAGE: &str = "twlab drill <script.pkt> [options]  run a packetdrill script against twlab's endpoint (the linux profile)
    --format text|json|mermaid|pcap the run as a trace, as for run
    -o, --output <file>             write it to a file instead of standard output";

pub fn main(args: &[String]) -> ExitCode {
    match drill(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("twlab: {message}");
            ExitCode::FAILURE
        }
    }
}

fn drill(args: &[String]) -> Result<ExitCode, String> {
    let (mut script, mut format, mut file) = (None, "text".to_string(), None);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--format" => format = rest.next().ok_or("--format needs a value")?.clone(),
            "-o" | "--output" => file = Some(rest.next().ok_or("-o needs a file name")?.clone()),
            "-h" | "--help" => {
                println!("usage: {USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            flag if flag.starts_with('-') => {
                return Err(format!("unknown option {flag}\nusage: {USAGE}"))
            }
            path if script.is_none() => script = Some(path.to_string()),
            extra => return Err(format!("unexpected argument {extra:?}")),
        }
    }
    let path = script.ok_or_else(|| format!("drill needs a script\nusage: {USAGE}"))?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let name = std::path::Path::new(&path)
        .file_name()
        .map_or(path.clone(), |n| n.to_string_lossy().into_owned());
    let run = twlab_drill::run(&text, &name).map_err(|e| format!("{path}:{e}"))?;
    for note in &run.notes {
        eprintln!("twlab: {path}: {note}");
    }
    let (bytes, binary) = match format.as_str() {
        "text" => (to_text(&run.trace).into_bytes(), false),
        "json" => (
            serde_json::to_vec_pretty(&run.annotated()).map_err(|e| e.to_string())?,
            false,
        ),
        "mermaid" => (to_mermaid(&run.trace).into_bytes(), false),
        "pcap" => (to_pcap(&run.trace), true),
        other => {
            return Err(format!(
                "--format takes text, json, mermaid or pcap, not {other:?}"
            ))
        }
    };
    match &file {
        Some(file) => std::fs::write(file, &bytes).map_err(|e| format!("{file}: {e}"))?,
        None if binary && std::io::stdout().is_terminal() => {
            return Err(
                "a pcap file is binary: write it with -o file.pcap, or pipe it (| tshark -r -)"
                    .into(),
            )
        }
        None => std::io::stdout()
            .lock()
            .write_all(&bytes)
            .map_err(|e| e.to_string())?,
    }
    Ok(match run.report(&path) {
        Some(report) => {
            eprintln!("{report}");
            ExitCode::FAILURE
        }
        None => ExitCode::SUCCESS,
    })
}
