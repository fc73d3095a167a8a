//! Runs a script against the stack, event by event in virtual time, as packetdrill runs one against a
//! kernel: `<` segments are injected at their times, the stack's segments are taken in the order sent
//! and checked against `>` lines (time within the tolerance, fields), syscall results and errno are
//! checked, and the first mismatch ends the run with packetdrill's message.

use crate::check;
use crate::errno::Errno;
use crate::error::DrillError;
use crate::script::{
    Action, Direction, Event, Packet, Script, Syscall, TcpOption, TcpOptions, Timing,
};
use crate::setup::Setup;
use crate::stack::Stack;
use crate::syscalls::{self, Outcome};
use serde::Serialize;
use std::fmt;
use twlab_core::scenario::Side;
use twlab_core::segment::{Flags, Segment, Timestamps};
use twlab_core::seq::SeqNum;
use twlab_core::sim::endpoint_config;
use twlab_core::time::{Duration, Instant};
use twlab_core::Trace;

/// How far past an expected time the runner looks for the segment that did not come, to say when it
/// did come (or that it never did).
const LOOK_AHEAD: Duration = Duration::from_secs(600);

/// A `poll` time-out longer than a day is taken as a day.
const MAX_POLL_MS: i64 = 24 * 3600 * 1000;

/// The first place where the stack and the script part: the script's line and packetdrill's message,
/// and as data what the script expected and what the stack did (a packet or a call's result, as
/// packetdrill prints them), the segment the stack sent there and the trace event to narrate it at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    pub line: u32,
    pub message: String,
    pub expected: Option<String>,
    pub actual: Option<String>,
    /// Index into the trace's segments: the arrow where expectation and behaviour part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<u32>,
    /// Index into the trace's events; the last event when the stack did nothing there.
    pub event: Option<usize>,
}

impl Mismatch {
    fn new(line: u32, message: String) -> Self {
        Mismatch {
            line,
            message,
            expected: None,
            actual: None,
            segment: None,
            event: None,
        }
    }
}

/// A finished run: the trace (up to the mismatch, if any), the verdict, what was skipped, and the
/// script's own words placed on the trace.
pub struct Run {
    pub trace: Trace,
    pub mismatch: Option<Mismatch>,
    pub notes: Vec<String>,
    pub script: ScriptNotes,
}

/// What the page shows of the script beside the trace: which side the stack under test plays (the
/// other is the scripted peer), the comments before the first event as its description, every other
/// comment with its line and the trace event it narrates (that of its line, or of the next line that
/// did something).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScriptNotes {
    pub stack: Side,
    pub description: String,
    pub comments: Vec<Comment>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub line: u32,
    pub text: String,
    pub event: usize,
}

/// The trace with the script's notes, as `twlab drill --format json` writes it and the page reads it.
#[derive(Serialize)]
pub struct Annotated<'a> {
    #[serde(flatten)]
    pub trace: &'a Trace,
    pub script: &'a ScriptNotes,
    pub mismatch: &'a Option<Mismatch>,
}

impl Run {
    /// The trace with the script's notes and the mismatch, for JSON.
    pub fn annotated(&self) -> Annotated<'_> {
        Annotated {
            trace: &self.trace,
            script: &self.script,
            mismatch: &self.mismatch,
        }
    }

    /// packetdrill's report: `script.pkt:12: error handling packet: …`.
    pub fn report(&self, file: &str) -> Option<String> {
        self.mismatch
            .as_ref()
            .map(|m| format!("{file}:{}: {}", m.line, m.message))
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

struct Pending {
    line: u32,
    call: Syscall,
    /// When it must return (µs), and since when it has been running.
    expected_end: Option<i64>,
    tolerance: i64,
    /// `poll` with a time-out returns 0 at this instant.
    deadline: Option<Instant>,
}

struct Runner {
    stack: Stack,
    setup: Setup,
    /// The actual time of the previous event, which relative times count from.
    last: i64,
    pending: Option<Pending>,
    /// The stack's TS val minus the script's, learned from the first `>` segment with TS.
    ts_offset: Option<u32>,
    /// The window scale of the peer's last SYN.
    peer_wscale: u8,
    /// What each script line did first, in the order run: what its comments narrate.
    anchors: Vec<(u32, Anchor)>,
}

#[derive(Clone, Copy)]
enum Anchor {
    Event(usize),
    /// The segment it injected or matched: the event that sent it.
    Segment(u32),
}

fn secs(us: i64) -> f64 {
    us as f64 / 1e6
}

/// Run `script` (already parsed) against twlab's endpoint under the `linux` profile.
pub fn run(script: &Script, name: &str) -> Result<Run, DrillError> {
    let setup = Setup::from_script(script)?;
    // The stack plays the client if it connects before it listens.
    let local = script
        .events
        .iter()
        .find_map(|e| match &e.action {
            Action::Syscall(c) if c.name == "connect" => Some(Side::Client),
            Action::Syscall(c) if c.name == "listen" => Some(Side::Server),
            _ => None,
        })
        .unwrap_or(Side::Client);
    let remote_port = match local {
        Side::Client => setup.connect_port,
        Side::Server => 40000,
    };
    let mut stack = Stack::new(
        endpoint_config(&setup.params),
        setup.params.isn_tick_ns,
        local,
        remote_port,
    );
    stack.bind_port = setup.bind_port;
    let mut runner = Runner {
        stack,
        setup,
        last: 0,
        pending: None,
        ts_offset: None,
        peer_wscale: 0,
        anchors: Vec::new(),
    };
    let mut mismatch = None;
    for event in &script.events {
        if let Err(m) = runner.event(event) {
            mismatch = Some(m);
            break;
        }
    }
    if mismatch.is_none() {
        if let Some(p) = &runner.pending {
            mismatch = Some(Mismatch::new(
                p.line,
                format!(
                    "runtime error in {} call: it was still blocking when the script ended",
                    p.call.name
                ),
            ));
        }
    }
    let Runner {
        stack,
        setup,
        anchors,
        ..
    } = runner;
    let rec = &stack.rec;
    let last_event = rec.event_count().checked_sub(1);
    let event_of = |anchor| match anchor {
        Anchor::Event(e) => Some(e),
        Anchor::Segment(s) => rec.send_event(s),
    };
    if let Some(m) = &mut mismatch {
        m.event = m.segment.and_then(|s| rec.send_event(s)).or(last_event);
    }
    let anchors: Vec<(u32, usize)> = anchors
        .into_iter()
        .filter_map(|(line, a)| Some((line, event_of(a)?)))
        .collect();
    let annotations = script_notes(script, stack.rec.local, &anchors, last_event);
    Ok(Run {
        trace: stack.rec.finish(name.to_string(), setup.params),
        mismatch,
        notes: setup.notes,
        script: annotations,
    })
}

impl Runner {
    fn now_us(&self) -> i64 {
        self.stack.now.0 as i64
    }

    /// The event's time window (µs), or `None` for `*`.
    fn window(&self, time: Timing) -> Option<(i64, i64)> {
        match time {
            Timing::Absolute(t) => Some((t, t)),
            Timing::Relative(d) => Some((self.last.saturating_add(d), self.last.saturating_add(d))),
            Timing::AbsoluteRange(a, b) => Some((a, b)),
            Timing::RelativeRange(a, b) => {
                Some((self.last.saturating_add(a), self.last.saturating_add(b)))
            }
            Timing::Any => None,
        }
    }

    /// packetdrill's tolerance: `--tolerance_usecs`, or a percentage of the time since the last event.
    fn tolerance(&self, start: i64) -> i64 {
        let dynamic = (self.setup.tolerance_percent / 100.0 * (start - self.last) as f64) as i64;
        self.setup.tolerance_usecs.max(dynamic)
    }

    fn event(&mut self, event: &Event) -> Result<(), Mismatch> {
        let line = event.pos.line;
        let window = self.window(event.time);
        match &event.action {
            Action::Shell(command) => {
                self.advance_to(window.map_or(self.last, |w| w.0))?;
                self.setup.shell(event.pos, command);
                self.stack.set_config(endpoint_config(&self.setup.params));
                self.last = self.now_us();
            }
            Action::Packet(p) if p.direction == Direction::Inbound => {
                self.advance_to(window.map_or(self.last, |w| w.0))?;
                let seg = self.inbound(p);
                let first = self.stack.rec.segment_count();
                self.stack.inject(seg);
                self.anchors.push((line, Anchor::Segment(first)));
                self.try_pending()?;
                self.last = self.now_us();
            }
            Action::Packet(p) => self.outbound(line, p, window)?,
            Action::Syscall(call) => {
                if let Some(p) = &self.pending {
                    return Err(Mismatch::new(
                        line,
                        format!(
                            "runtime error in {} call: the blocking {} call of line {} has not returned",
                            call.name, p.call.name, p.line
                        ),
                    ));
                }
                let start = window.map_or(self.last, |w| w.0);
                self.advance_to(start)?;
                let expected_end = call.end.map(|end| match event.time {
                    Timing::Relative(_) | Timing::RelativeRange(..) => {
                        self.last.saturating_add(end)
                    }
                    _ => end,
                });
                let tolerance = self.tolerance(start);
                let first = self.stack.rec.event_count();
                let outcome = syscalls::execute(&mut self.stack, call, true)
                    .map_err(|e| runtime(line, call, e))?;
                if self.stack.rec.event_count() > first {
                    self.anchors.push((line, Anchor::Event(first)));
                }
                match outcome {
                    Outcome::Done(v, errno) => check_result(line, call, v, errno)?,
                    Outcome::Blocks => {
                        let deadline = (call.name == "poll")
                            .then(|| call.args.get(2).and_then(|t| syscalls::int(t).ok()))
                            .flatten()
                            .filter(|ms| *ms > 0)
                            .map(|ms| {
                                self.stack.now + Duration::from_millis(ms.min(MAX_POLL_MS) as u64)
                            });
                        self.pending = Some(Pending {
                            line,
                            call: call.clone(),
                            expected_end: expected_end.or(Some(start)),
                            tolerance,
                            deadline,
                        });
                    }
                }
                self.last = self.now_us();
            }
        }
        Ok(())
    }

    /// The script's `<` segment as it goes on the wire: its own numbers as written (the peer's ISN is
    /// 0), its `ack` moved by the stack's ISN, its TS ecr by the stack's TS clock.
    fn inbound(&mut self, p: &Packet) -> Segment {
        if let (true, TcpOptions::List(list)) = (p.flags.syn, &p.options) {
            self.peer_wscale = list
                .iter()
                .find_map(|o| match o {
                    TcpOption::WScale(s) => Some(*s),
                    _ => None,
                })
                .unwrap_or(0);
            self.stack.peer_mss = list.iter().find_map(|o| match o {
                TcpOption::Mss(m) => Some(*m),
                _ => None,
            });
        }
        let local_port = self
            .stack
            .conns
            .last()
            .map(|c| c.ep.local_port())
            .or_else(|| self.stack.sockets.values().find_map(|s| s.listening))
            .unwrap_or(self.setup.bind_port);
        let remote_port = self.stack.remote_port;
        let iss = self.stack.script_isn(local_port, remote_port);
        let ts = match &p.options {
            TcpOptions::List(list) => list.iter().find_map(|o| match o {
                TcpOption::Timestamp { val, ecr } => Some(Timestamps {
                    val: *val,
                    ecr: ecr.wrapping_add(self.ts_offset.unwrap_or(0)),
                }),
                _ => None,
            }),
            _ => None,
        };
        Segment {
            src_port: remote_port,
            dst_port: local_port,
            seq: SeqNum(p.start),
            ack: SeqNum(p.ack.unwrap_or(0)) + iss.0,
            flags: Flags {
                syn: p.flags.syn,
                ack: p.flags.ack,
                fin: p.flags.fin,
                rst: p.flags.rst,
            },
            // twlab's endpoint has no window scaling: the peer's window is scaled here by the factor its
            // SYN announced (RFC 7323 §2.3: never on the SYN itself), as the kernel would, and what is
            // over 65535 is taken as 65535.
            window: p.win.map_or(0, |w| {
                let shift = if p.flags.syn {
                    0
                } else {
                    self.peer_wscale.min(14)
                };
                (u64::from(w) << shift).min(65535) as u16
            }),
            // packetdrill sends zeros; these show in the diagram as the bytes they are.
            payload: vec![b'.'; p.len as usize],
            ts,
            // The window is scaled above; the endpoint negotiates no options of its own here.
            options: None,
        }
    }

    fn outbound(
        &mut self,
        line: u32,
        p: &Packet,
        window: Option<(i64, i64)>,
    ) -> Result<(), Mismatch> {
        let (start, end) = window.unwrap_or((
            self.last,
            self.last.saturating_add(crate::parser::MAX_TIME_US),
        ));
        let tolerance = self.tolerance(start);
        let limit = Instant((end + tolerance).max(0) as u64);
        let horizon = limit + LOOK_AHEAD;
        while self.stack.outbound.is_empty() {
            let next = self.stack.next_timer().filter(|t| *t <= horizon);
            let Some(next) = next else { break };
            self.advance_to(next.0 as i64)?;
        }
        let script = check::script_text(p);
        // packetdrill's message, and the same as data: the two packets, and the segment the stack sent.
        let error = |message: String, actual: Option<(String, String, u32)>| {
            let mut message = format!(
                "error handling packet: {message}\nscript packet: {:9.6} {script}",
                secs(start)
            );
            let mut m = Mismatch::new(line, String::new());
            m.expected = Some(script.clone());
            if let Some((shown, text, segment)) = actual {
                message.push('\n');
                message.push_str(&shown);
                (m.actual, m.segment) = (Some(text), Some(segment));
            }
            m.message = message;
            m
        };
        let Some(mut sent) = self.stack.outbound.pop_front() else {
            return Err(error(
                format!(
                    "the stack sent no packet within {} s of the expected time",
                    LOOK_AHEAD.0 / 1_000_000
                ),
                None,
            ));
        };
        // As packetdrill matches a TSO burst to one larger script packet: segments sent in the same
        // instant that continue this one are taken together until the script's length is reached.
        while (sent.seg.payload.len() as u32) < p.len {
            let Some(next) = self.stack.outbound.front() else {
                break;
            };
            let contiguous = next.seg.seq == sent.seg.seq + sent.seg.payload.len() as u32;
            if next.at != sent.at
                || !contiguous
                || sent.seg.flags.fin
                || next.seg.flags.syn
                || next.seg.flags.rst
            {
                break;
            }
            let next = self.stack.outbound.pop_front().expect("looked at");
            sent.seg.payload.extend(next.seg.payload);
            sent.seg.flags.fin |= next.seg.flags.fin;
            sent.seg.ack = next.seg.ack;
        }
        self.anchors.push((line, Anchor::Segment(sent.segment)));
        let at = sent.at.0 as i64;
        let text = check::actual_text(&sent);
        let actual = Some((
            format!("actual packet: {:9.6} {text}", secs(at)),
            text,
            sent.segment,
        ));
        if window.is_some() && (at < start - tolerance || at > end + tolerance) {
            let when = if start == end {
                format!("at {:.6} sec", secs(start))
            } else {
                format!("in time range {:.6}~{:.6} sec", secs(start), secs(end))
            };
            return Err(error(
                format!(
                    "timing error: expected outbound packet {when} but happened at {:.6} sec; tolerance {:.6} sec",
                    secs(at),
                    secs(tolerance)
                ),
                actual,
            ));
        }
        let ts = check::TsCheck {
            offset: self.ts_offset,
            tick_usecs: self.setup.ts_tick_usecs,
            // packetdrill measures this tolerance from the start of the script, not the last event.
            tolerance_usecs: self
                .setup
                .tolerance_usecs
                .max((self.setup.tolerance_percent / 100.0 * start as f64) as i64),
        };
        let matched = check::outbound(p, &sent, ts).map_err(|m| error(m, actual))?;
        self.ts_offset = matched.ts_offset;
        self.last = at;
        // Segments after this one were sent later: the clock is where the stack already is.
        self.stack.now = self.stack.now.max(sent.at);
        Ok(())
    }

    /// Run the stack's timers up to `t` (µs), finishing a blocking call as soon as it can.
    fn advance_to(&mut self, t: i64) -> Result<(), Mismatch> {
        let t = Instant(t.max(0) as u64);
        loop {
            let timer = self.stack.next_timer().filter(|x| *x <= t);
            let deadline = self
                .pending
                .as_ref()
                .and_then(|p| p.deadline)
                .filter(|x| *x <= t);
            match (timer, deadline) {
                (None, None) => break,
                (Some(a), Some(d)) if d < a => self.expire_pending(d)?,
                (None, Some(d)) => self.expire_pending(d)?,
                (Some(_), _) => {
                    self.stack.run_next_timers(t);
                    self.try_pending()?;
                }
            }
        }
        self.stack.now = self.stack.now.max(t);
        Ok(())
    }

    /// A `poll` whose time-out has come returns 0 (if nothing became ready in the meantime).
    fn expire_pending(&mut self, at: Instant) -> Result<(), Mismatch> {
        self.stack.now = self.stack.now.max(at);
        self.try_pending()?;
        if let Some(p) = self.pending.take() {
            self.finish(p, 0, None)?;
        }
        Ok(())
    }

    fn try_pending(&mut self) -> Result<(), Mismatch> {
        let Some(p) = self.pending.take() else {
            return Ok(());
        };
        match syscalls::execute(&mut self.stack, &p.call, false)
            .map_err(|e| runtime(p.line, &p.call, e))?
        {
            Outcome::Blocks => {
                self.pending = Some(p);
                Ok(())
            }
            Outcome::Done(v, errno) => self.finish(p, v, errno),
        }
    }

    /// A blocking call returned: check when, then what.
    fn finish(&mut self, p: Pending, v: i64, errno: Option<Errno>) -> Result<(), Mismatch> {
        let at = self.now_us();
        if let Some(end) = p.expected_end {
            if (at - end).abs() > p.tolerance {
                return Err(Mismatch::new(
                    p.line,
                    format!(
                        "timing error: expected system call return at {:.6} sec but happened at {:.6} sec; tolerance {:.6} sec",
                        secs(end),
                        secs(at),
                        secs(p.tolerance)
                    ),
                ));
            }
        }
        check_result(p.line, &p.call, v, errno)
    }
}

fn runtime(line: u32, call: &Syscall, message: String) -> Mismatch {
    Mismatch::new(
        line,
        format!("runtime error in {} call: {message}", call.name),
    )
}

/// The result and errno against the script's `= r ERRNO`, with packetdrill's words; the two results
/// as the script writes them (`-1 EPIPE`) are the mismatch's expected and actual.
fn check_result(line: u32, call: &Syscall, v: i64, errno: Option<Errno>) -> Result<(), Mismatch> {
    let (actual_name, actual_num, actual_text) = errno.map_or(("", 0, "Success"), Errno::describe);
    let fail = |message: String| {
        let mut m = runtime(line, call, message);
        let expected = format!("{} {}", call.result, call.errno.as_deref().unwrap_or(""));
        m.expected = Some(format!("{} = {}", call.name, expected.trim_end()));
        m.actual = Some(format!(
            "{} = {}",
            call.name,
            format!("{v} {actual_name}").trim_end()
        ));
        Err(m)
    };
    if v != call.result {
        return fail(format!(
            "Expected result {} but got {v} with errno {actual_num} ({actual_text})",
            call.result
        ));
    }
    if let Some(name) = &call.errno {
        let Some(expected) = Errno::by_name(name) else {
            return fail(format!("errno {name} is not one twlab's stack gives"));
        };
        if errno != Some(expected) {
            let (_, num, text) = expected.describe();
            return fail(format!(
                "Expected errno {num} ({text}) but got {actual_num} ({actual_text})"
            ));
        }
    }
    Ok(())
}

/// The script's comments on the trace: those before its first event are its description; each other
/// narrates the event of its line, or of the next line that did something, or the last event.
fn script_notes(
    script: &Script,
    stack: Side,
    anchors: &[(u32, usize)],
    last: Option<usize>,
) -> ScriptNotes {
    let first_line = script.events.first().map_or(u32::MAX, |e| e.pos.line);
    let first_option = script.options.first().map_or(u32::MAX, |o| o.0.line);
    let (head, rest): (Vec<_>, Vec<_>) = script
        .comments
        .iter()
        .filter(|(_, text)| !text.is_empty())
        .partition(|(pos, _)| pos.line < first_line.min(first_option));
    let description = head
        .iter()
        .map(|(_, text)| text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let comments = rest
        .into_iter()
        .filter_map(|(pos, text)| {
            let event = anchors
                .iter()
                .filter(|(line, _)| *line >= pos.line)
                .min_by_key(|(line, _)| *line)
                .map(|(_, e)| *e)
                .or(last)?;
            Some(Comment {
                line: pos.line,
                text: text.clone(),
                event,
            })
        })
        .collect();
    ScriptNotes {
        stack,
        description,
        comments,
    }
}
