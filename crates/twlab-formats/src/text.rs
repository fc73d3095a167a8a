//! The tcpdump-like listing of a trace (`twlab run`'s default output, the page's text download): one
//! line per segment sent, with what became of it, and the lines that matter to the lifecycle (state
//! changes, timers, the applications), each with both sides' states.

use std::fmt::Write;
use twlab_core::addr::ip_text;
use twlab_core::endpoint::{StateChange, Timer, TimerArm};
use twlab_core::network::FlightEnd;
use twlab_core::scenario::{BindMode, Side};
use twlab_core::state::State;
use twlab_core::trace::{Event, EventKind, SegmentRecord, Stopped, Trace, Verdict};

/// The listing, ending with the outcome and, if a budget ran out, why the run stopped early.
pub fn to_text(trace: &Trace) -> String {
    let mut out = String::new();
    let states = trace.states();
    for (e, st) in trace.events.iter().zip(&states) {
        let Some(line) = event_line(trace, e) else {
            continue;
        };
        let conn = e.conn.map(|c| format!("c{c}")).unwrap_or_default();
        let name = |s: Option<State>| s.map_or("-", State::name);
        let _ = writeln!(
            out,
            "{} {conn:>3}  {line:<78} [{} | {}]",
            e.at,
            name(st[0]),
            name(st[1])
        );
    }
    let _ = writeln!(out, "outcome: {}", verdict(&trace.outcome.verdict));
    if let Some(why) = &trace.stopped {
        let _ = writeln!(out, "stopped early: {}", stopped(why));
    }
    out
}

/// The event's line without its time and states; `None` for events the listing leaves out.
fn event_line(trace: &Trace, e: &Event) -> Option<String> {
    let line = match &e.kind {
        EventKind::Send { segment } => segment_line(trace, trace.segment(*segment)),
        EventKind::State(StateChange { from, to, cause }) => {
            format!("{}: {from} -> {to} ({})", e.side.name(), cause.describe())
        }
        EventKind::TimerArmed(TimerArm {
            timer: Timer::TimeWait,
            expires,
            restart,
        }) => {
            format!(
                "{}: TIME-WAIT timer {} until {expires}",
                e.side.name(),
                if *restart { "restarted" } else { "started" }
            )
        }
        EventKind::TimerFired {
            timer: Timer::Retransmit,
        } => format!("{}: retransmission timer fired", e.side.name()),
        EventKind::Deliver {
            segment,
            accepted_by: None,
            ..
        } if !trace.segment(*segment).flags.syn => {
            format!("{}: no connection for this segment", e.side.name())
        }
        EventKind::Expire { segment, .. } => {
            format!(
                "segment {} expired in the network (lived MSL {})",
                id_text(trace.segment(*segment)),
                trace.params.msl
            )
        }
        EventKind::Call(c) => {
            let bind = match c.bind {
                Some(BindMode::ReuseAddr) => " (bound with SO_REUSEADDR)",
                Some(BindMode::Exclusive) => " (bound without SO_REUSEADDR)",
                Some(BindMode::Ephemeral) => " (picked by the system)",
                None => "",
            };
            match (&c.text, c.port) {
                (Some(t), _) => format!("{} app: {} {t:?}", e.side.name(), c.call),
                (None, Some(p)) if c.call == "listen" => {
                    format!("{} app: listen on port {p}{bind}", e.side.name())
                }
                (None, Some(p)) => {
                    format!("{} app: {} from port {p}{bind}", e.side.name(), c.call)
                }
                (None, None) => format!("{} app: {}", e.side.name(), c.call),
            }
        }
        EventKind::Deliver {
            segment,
            accepted_by: Some(conn),
            discarded: Some(why),
            ..
        } => format!(
            "{}: connection {conn} discards segment {}: {why}",
            e.side.name(),
            id_text(trace.segment(*segment))
        ),
        EventKind::Deliver {
            segment,
            accepted_by: Some(conn),
            ..
        } if trace.segment(*segment).id.conn != *conn => {
            format!(
                "{}: segment {} of an earlier connection accepted by connection {conn}",
                e.side.name(),
                id_text(trace.segment(*segment))
            )
        }
        EventKind::CallFailed(f) => {
            format!("{} app: {} failed: {}", e.side.name(), f.call, f.error)
        }
        EventKind::ConnectWaiting { port } => {
            format!(
                "{} app: connect from port {port} waits: the socket pair is in TIME-WAIT",
                e.side.name()
            )
        }
        EventKind::Read(r) => match r.stale_from {
            Some(from) => format!(
                "{} app: read {:?}  <-- STALE: sent on connection {from}",
                e.side.name(),
                r.text
            ),
            None => format!("{} app: read {:?}", e.side.name(), r.text),
        },
        EventKind::Eof => format!("{} app: end of stream (peer closed)", e.side.name()),
        EventKind::Closed => format!("{} app: close complete", e.side.name()),
        EventKind::Reset => format!("{} app: connection reset", e.side.name()),
        EventKind::TimedOut => format!("{} app: connection timed out", e.side.name()),
        EventKind::Connected => format!("{} app: connected", e.side.name()),
        _ => return None,
    };
    Some(line)
}

fn segment_line(trace: &Trace, s: &SegmentRecord) -> String {
    let (src, dst) = match s.id.from {
        Side::Client => (trace.client_ip, trace.server_ip),
        Side::Server => (trace.server_ip, trace.client_ip),
    };
    let mut line = format!(
        "{}.{} > {}.{}: Flags [{}]",
        ip_text(src),
        s.src_port,
        ip_text(dst),
        s.dst_port,
        s.flags
    );
    if s.len > 0 || s.flags.syn || s.flags.fin || s.flags.rst {
        let _ = write!(line, ", seq {}", s.rel_seq);
        let span = s.payload.len() as u32 + u32::from(s.flags.syn) + u32::from(s.flags.fin);
        if span > 1 || !s.payload.is_empty() {
            let _ = write!(line, ":{}", s.rel_seq.wrapping_add(span));
        }
    }
    if s.flags.ack {
        let _ = write!(line, ", ack {}", s.rel_ack);
    }
    // In the order Linux writes them, as tcpdump prints them; SACK edges relative to the peer's ISN,
    // as the ack is.
    let o = s.options.as_deref();
    if let Some(mss) = o.and_then(|o| o.mss) {
        let _ = write!(line, ", mss {mss}");
    }
    if o.is_some_and(|o| o.sack_permitted) {
        line.push_str(", sackOK");
    }
    if let Some(ts) = s.ts {
        let _ = write!(line, ", TS val {} ecr {}", ts.val, ts.ecr);
    }
    if let Some(o) = o {
        if let Some(scale) = o.window_scale {
            let _ = write!(line, ", wscale {scale}");
        }
        if !o.sack.is_empty() {
            let base = s.ack.0.wrapping_sub(s.rel_ack);
            let _ = write!(line, ", sack {}", o.sack.len());
            for [l, r] in &o.sack {
                let _ = write!(
                    line,
                    " {{{}:{}}}",
                    l.0.wrapping_sub(base),
                    r.0.wrapping_sub(base)
                );
            }
        }
    }
    let _ = write!(line, ", length {}", s.len);
    if !s.payload.is_empty() {
        let _ = write!(
            line,
            " {:?}",
            String::from_utf8_lossy(&s.payload[..s.payload.len().min(24)])
        );
    }
    if s.retransmission {
        line.push_str(" (retransmission)");
    }
    for f in &s.flights {
        let copy = if f.copy { "copy " } else { "" };
        match f.end {
            FlightEnd::Dropped => line.push_str(" ** LOST **"),
            FlightEnd::Expired => {
                let _ = write!(line, " ** {copy}EXPIRES **");
            }
            FlightEnd::Delivered if f.copy || f.ends.since(f.departs) > trace.params.delay => {
                let _ = write!(line, " ({copy}arrives {})", f.ends);
            }
            FlightEnd::Delivered => {}
        }
    }
    line
}

/// `c1 client#5`: connection, sender, and the sender's count on that connection.
fn id_text(s: &SegmentRecord) -> String {
    format!("c{} {}#{}", s.id.conn, s.id.from.name(), s.id.nth)
}

/// The run's one-line verdict.
fn verdict(v: &Verdict) -> String {
    match v {
        Verdict::ClosedCleanly => "closed cleanly".into(),
        Verdict::Reset { side, conn } => format!(
            "the {} saw a connection reset (connection {conn})",
            side.name()
        ),
        Verdict::TimedOut { side, conn } => {
            format!("the {} timed out (connection {conn})", side.name())
        }
        Verdict::StaleData {
            side,
            conn,
            from_conn,
            text,
        } => {
            format!("stale data from connection {from_conn} delivered to the {}'s application on connection {conn}: {text:?}", side.name())
        }
        Verdict::TimeWaitAssassinated { side, conn } => {
            format!(
                "a RST cut the {}'s TIME-WAIT short (connection {conn}; RFC 1337)",
                side.name()
            )
        }
        Verdict::Unfinished => "a connection was still open when the run ended".into(),
    }
}

/// Why a run stopped early, as the listing and the Mermaid diagram end with it.
pub(crate) fn stopped(why: &Stopped) -> String {
    match why {
        Stopped::Events { limit } => format!("more than {limit} events"),
        Stopped::Time { limit, .. } => format!("virtual time passed {limit}"),
        Stopped::Capture { note } => note.clone(),
    }
}
