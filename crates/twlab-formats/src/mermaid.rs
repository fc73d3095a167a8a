//! The trace as a Mermaid `sequenceDiagram`: the static diagram a tutorial would otherwise draw by
//! hand, ready to paste into Markdown. One message per flight of a segment, in the order they were
//! sent; a lost flight ends in a cross (`-x`), an expired one is a dotted open arrow; state changes,
//! the TIME-WAIT timer and what the applications noticed are notes over the side they happened on.

use crate::text::stopped;
use std::fmt::Write;
use twlab_core::addr::{ip_text, socket_text};
use twlab_core::endpoint::{Timer, TimerArm};
use twlab_core::network::{Flight, FlightEnd};
use twlab_core::scenario::Side;
use twlab_core::time::Duration;
use twlab_core::trace::{Connection, EventKind, SegmentRecord, Trace};

/// The diagram's source text. Everything from the scenario (payloads, names) is escaped, so that no
/// text can end a line, start a directive or become markup.
pub fn to_mermaid(trace: &Trace) -> String {
    let mut out = String::from("sequenceDiagram\n");
    let port = |pick: fn(&Connection) -> u16| {
        let first = trace.connections.first().map(pick);
        first.filter(|p| trace.connections.iter().all(|c| pick(c) == *p))
    };
    for (id, name, ip, port) in [
        ("C", "client", trace.client_ip, port(|c| c.client_port)),
        ("S", "server", trace.server_ip, port(|c| c.server_port)),
    ] {
        // `10.0.0.1:80`, `[::1]:80`, or the address alone when the port varies.
        let at = port.map_or_else(|| ip_text(ip), |p| socket_text(ip, p));
        let _ = writeln!(out, "    participant {id} as {name} {at}");
    }
    let many = trace.connections.len() > 1;
    for e in &trace.events {
        let note = match &e.kind {
            EventKind::Send { segment } => {
                let s = trace.segment(*segment);
                for f in &s.flights {
                    message(&mut out, trace, s, f, many);
                }
                continue;
            }
            EventKind::State(change) => change.to.name().to_string(),
            EventKind::TimerArmed(TimerArm {
                timer: Timer::TimeWait,
                expires,
                restart,
            }) => format!(
                "TIME-WAIT timer {} {}",
                if *restart { "restarted:" } else { "started:" },
                Duration(expires.0.saturating_sub(e.at.0))
            ),
            EventKind::TimerFired {
                timer: Timer::Retransmit,
            } => "retransmission timer fired".into(),
            EventKind::ConnectWaiting { .. } => {
                "connect waits: the socket pair is in TIME-WAIT".into()
            }
            EventKind::Read(r) => match r.stale_from {
                Some(from) => format!(
                    "reads {}: STALE, sent on connection {from}",
                    quoted(&r.text)
                ),
                None => continue,
            },
            EventKind::Reset => "connection reset".into(),
            EventKind::TimedOut => "connection timed out".into(),
            _ => continue,
        };
        let over = match e.side {
            Side::Client => "C",
            Side::Server => "S",
        };
        let _ = writeln!(out, "    Note over {over}: {}", escape(&note));
    }
    if let Some(why) = &trace.stopped {
        let _ = writeln!(
            out,
            "    Note over C,S: stopped early: {}",
            escape(&stopped(why))
        );
    }
    out
}

/// `C->>S: c2 FIN, ACK seq 7 ack 8 (retransmission)`.
fn message(out: &mut String, trace: &Trace, s: &SegmentRecord, f: &Flight, many: bool) {
    let (from, to) = match s.id.from {
        Side::Client => ("C", "S"),
        Side::Server => ("S", "C"),
    };
    let arrow = match f.end {
        FlightEnd::Delivered => "->>",
        FlightEnd::Dropped => "-x",
        FlightEnd::Expired => "--)",
    };
    let mut label = String::new();
    if many {
        let _ = write!(label, "c{} ", s.id.conn);
    }
    let names: Vec<&str> = [
        (s.flags.syn, "SYN"),
        (s.flags.fin, "FIN"),
        (s.flags.rst, "RST"),
        (s.flags.ack, "ACK"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    label.push_str(&names.join(", "));
    if s.len > 0 || s.flags.syn || s.flags.fin || s.flags.rst {
        let _ = write!(label, " seq {}", s.rel_seq);
    }
    if s.flags.ack {
        let _ = write!(label, " ack {}", s.rel_ack);
    }
    if !s.payload.is_empty() {
        let shown = &s.payload[..s.payload.len().min(24)];
        let _ = write!(
            label,
            " len {} {}",
            s.len,
            quoted(&String::from_utf8_lossy(shown))
        );
    }
    if s.retransmission {
        label.push_str(" (retransmission)");
    }
    if f.copy {
        label.push_str(" (copy)");
    }
    match f.end {
        FlightEnd::Dropped => label.push_str(" LOST"),
        FlightEnd::Expired => {
            let _ = write!(label, " expired after MSL {}", trace.params.msl);
        }
        FlightEnd::Delivered if f.ends.since(f.departs) > trace.params.delay => {
            let _ = write!(label, " (arrives at {})", Duration(f.ends.0));
        }
        FlightEnd::Delivered => {}
    }
    let _ = writeln!(out, "    {from}{arrow}{to}: {}", escape(&label));
}

fn quoted(text: &str) -> String {
    format!("“{text}”")
}

/// Mermaid's entity codes for the characters its parser or renderer would read as syntax or markup
/// (`#` and `;` start and end a code, `<`, `>` and `&` are markup); control characters become spaces
/// so that nothing can start a new line.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' | ';' | '<' | '>' | '&' | '"' | '%' | '{' | '}' => {
                let _ = write!(out, "#{};", u32::from(c));
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_what_mermaid_would_read_as_syntax() {
        assert_eq!(escape("a;b#c"), "a#59;b#35;c");
        assert_eq!(escape("<b>&\"x\""), "#60;b#62;#38;#34;x#34;");
        assert_eq!(
            escape("%%{init}%%\nline"),
            "#37;#37;#123;init#125;#37;#37; line"
        );
    }
}
