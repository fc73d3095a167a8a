//! The product of a run: every segment with its flights, every event in time order, and the outcome.
//! The diagram and the narration read this; nothing about TCP is re-derived outside the core.

use crate::discard::Discard;
use crate::endpoint::{CallError, Cause, StateChange, Timer, TimerArm};
use crate::network::Flights;
use crate::scenario::BindMode;
use crate::scenario::{Fate, Params, SegmentId, Side};
use crate::segment::{Flags, Options, Segment, Timestamps};
use crate::seq::SeqNum;
use crate::state::State;
use crate::time::{Duration, Instant};
use serde::Serialize;
use std::net::IpAddr;

pub const CLIENT_IP: [u8; 4] = [10, 0, 0, 1];
pub const SERVER_IP: [u8; 4] = [10, 0, 0, 2];

/// One incarnation of the socket pair: the client's `id`-th connect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Connection {
    pub id: u32,
    pub client_port: u16,
    pub server_port: u16,
    pub client_isn: Option<u32>,
    pub server_isn: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SegmentRecord {
    #[serde(flatten)]
    pub id: SegmentId,
    pub src_port: u16,
    pub dst_port: u16,
    pub seq: SeqNum,
    pub ack: SeqNum,
    /// Relative to the sender's ISN and the receiver's ISN of this connection, as tcpdump prints them.
    pub rel_seq: u32,
    pub rel_ack: u32,
    pub flags: Flags,
    pub window: u16,
    pub len: u32,
    #[serde(serialize_with = "as_text")]
    pub payload: Box<[u8]>,
    /// The timestamps option, when the run uses timestamps (absent otherwise, so older traces keep their shape).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ts: Option<Timestamps>,
    /// SACK and window scale, as a drawn capture shows them (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Box<Options>>,
    pub sent: Instant,
    /// It repeats sequence space this sender had already sent.
    pub retransmission: bool,
    /// The ACK that ends a close (set by [`set_relative_numbers`], absent when false): no data, SYN or
    /// FIN, sent after its sender's own FIN, and acknowledging the peer's FIN, which takes one
    /// sequence number (RFC 9293 §3.4, §3.10.7.4). Lost, it leaves the peer in LAST-ACK or CLOSING,
    /// retransmitting its FIN (§3.6): what TIME-WAIT is there to answer.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub last_ack: bool,
    /// Also writes `fate_us`: a delay's or a duplicate's extra time in microseconds.
    #[serde(
        flatten,
        serialize_with = "fate_with_micros",
        skip_serializing_if = "Option::is_none"
    )]
    pub fate: Option<Fate>,
    pub flights: Flights,
}

impl SegmentRecord {
    /// `seg` as `id` sent it at `sent`, with its flights. What a run learns later is left empty: the
    /// numbers relative to the ISNs and `last_ack` ([`set_relative_numbers`]), and the fate and the
    /// options where the caller has them.
    pub fn new(
        id: SegmentId,
        seg: Segment,
        sent: Instant,
        retransmission: bool,
        flights: Flights,
    ) -> Self {
        SegmentRecord {
            id,
            src_port: seg.src_port,
            dst_port: seg.dst_port,
            seq: seg.seq,
            ack: seg.ack,
            rel_seq: 0,
            rel_ack: 0,
            flags: seg.flags,
            window: seg.window,
            len: seg.payload.len() as u32,
            payload: seg.payload.into_boxed_slice(),
            ts: seg.ts,
            options: seg.options,
            sent,
            retransmission,
            last_ack: false,
            fate: None,
            flights,
        }
    }
}

fn fate_with_micros<S: serde::Serializer>(fate: &Option<Fate>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(None)?;
    if let Some(fate) = fate {
        map.serialize_entry("fate", fate)?;
        if let Fate::Delay(d) | Fate::Duplicate(d) = fate {
            map.serialize_entry("fate_us", &d.micros())?;
        }
    }
    map.end()
}

fn as_text<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&String::from_utf8_lossy(bytes))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    pub at: Instant,
    pub side: Side,
    /// The connection the event belongs to; none for the listener.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conn: Option<u32>,
    #[serde(flatten)]
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// `segment` indexes [`Trace::segments`].
    Send {
        segment: u32,
    },
    /// A flight reached `side`. `accepted_by` is the connection whose TCB took it, if any;
    /// `discarded` says why that TCB, or the host without one, threw it away, if it did.
    Deliver {
        segment: u32,
        copy: bool,
        accepted_by: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        discarded: Option<Discard>,
    },
    Drop {
        segment: u32,
        copy: bool,
    },
    Expire {
        segment: u32,
        copy: bool,
    },
    State(StateChange),
    TimerArmed(TimerArm),
    TimerCancelled {
        timer: Timer,
    },
    TimerFired {
        timer: Timer,
    },
    /// Boxed, like `CallFailed` and `Read`, to keep every event small: a bulk run has tens of thousands.
    Call(Box<AppCall>),
    CallFailed(Box<CallFailure>),
    /// A connect found the socket pair still in TIME-WAIT and waits for it to be freed.
    ConnectWaiting {
        port: u16,
    },
    Connected,
    Read(Box<AppRead>),
    Eof,
    Closed,
    Reset,
    TimedOut,
}

/// The application called `call` (listen, connect, send, send_bytes, close, shutdown).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppCall {
    pub call: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// How `listen` or `connect` bound the port, when the step says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<BindMode>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CallFailure {
    pub call: &'static str,
    pub error: CallError,
}

/// Bytes handed to the application (`text` holds the first 64 of them at most).
/// `stale_from` names the earlier connection that sent them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppRead {
    pub text: Box<str>,
    pub len: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_from: Option<u32>,
}

/// How one side's part of a connection ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    ClosedCleanly,
    Reset,
    TimedOut,
    /// TIME-WAIT was cut short by a RST (RFC 1337's "TIME-WAIT assassination").
    TimeWaitAssassinated,
    /// Still open (or never opened) when the run ended.
    Open,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StaleData {
    /// The side whose application read the stale bytes, on connection `conn`.
    pub side: Side,
    pub conn: u32,
    pub from_conn: u32,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConnectionOutcome {
    pub conn: u32,
    pub client: Ending,
    pub server: Ending,
    pub stale: Vec<StaleData>,
}

/// The one-line verdict for the banner, most serious first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Verdict {
    StaleData {
        side: Side,
        conn: u32,
        from_conn: u32,
        text: String,
    },
    Reset {
        side: Side,
        conn: u32,
    },
    TimedOut {
        side: Side,
        conn: u32,
    },
    TimeWaitAssassinated {
        side: Side,
        conn: u32,
    },
    Unfinished,
    ClosedCleanly,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub verdict: Verdict,
    pub connections: Vec<ConnectionOutcome>,
}

/// The durations the page shows, in microseconds (`params` spells them as text: `"1s"`, `"2msl"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Durations {
    pub msl: u64,
    pub delay: u64,
    /// TIME-WAIT's length; `None` when it is skipped.
    pub time_wait: Option<u64>,
}

impl Durations {
    pub fn of(p: &Params) -> Durations {
        Durations {
            msl: p.msl.micros(),
            delay: p.delay.micros(),
            time_wait: p.time_wait_length().map(Duration::micros),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trace {
    pub name: String,
    pub params: Params,
    pub durations: Durations,
    /// The hosts' addresses, as text in JSON (`"10.0.0.1"`, `"::1"`): a capture may be IPv4 or IPv6.
    #[serde(serialize_with = "crate::addr::serialize")]
    pub client_ip: IpAddr,
    #[serde(serialize_with = "crate::addr::serialize")]
    pub server_ip: IpAddr,
    pub connections: Vec<Connection>,
    pub segments: Vec<SegmentRecord>,
    pub events: Vec<Event>,
    pub outcome: Outcome,
    /// Virtual time of the last event.
    pub end: Instant,
    /// Why the run stopped early, if a budget ran out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<Stopped>,
}

/// Why a trace ends early: a budget of [`crate::sim::Budget`] ran out (`{"kind": "events", "limit":
/// 1000000}`), or, for a drawn capture, what it leaves out (`{"kind": "capture", "note": "…"}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Stopped {
    Events {
        limit: usize,
    },
    /// `limit_us`: the same in microseconds.
    Time {
        limit: Duration,
        limit_us: u64,
    },
    Capture {
        note: String,
    },
}

/// Fill in what depends on the whole connection: `rel_seq` and `rel_ack`, relative to each
/// connection's ISNs as tcpdump prints them, and `last_ack`.
pub fn set_relative_numbers(segments: &mut [SegmentRecord], connections: &[Connection]) {
    mark_last_acks(segments);
    for rec in segments {
        if let Some(c) = connections.iter().find(|c| c.id == rec.id.conn) {
            let (own, peer) = match rec.id.from {
                Side::Client => (c.client_isn, c.server_isn),
                Side::Server => (c.server_isn, c.client_isn),
            };
            rec.rel_seq = rec.seq.0.wrapping_sub(own.unwrap_or(0));
            rec.rel_ack = if rec.flags.ack {
                rec.ack.0.wrapping_sub(peer.unwrap_or(0))
            } else {
                0
            };
        }
    }
}

/// Set `last_ack` on each segment that ends a close (see the field).
fn mark_last_acks(segments: &mut [SegmentRecord]) {
    // One pass, keeping the FINs sent so far (a few, however long the run) with the sequence number
    // that acknowledges each.
    let mut fins: Vec<(u32, Side, SeqNum)> = Vec::new();
    for s in segments.iter_mut() {
        let f = s.flags;
        if f.fin {
            fins.push((s.id.conn, s.id.from, s.seq + s.seq_len()));
        }
        if !f.ack || f.syn || f.fin || f.rst || s.len > 0 {
            continue;
        }
        let (conn, from, ack) = (s.id.conn, s.id.from, s.ack);
        let fin_from = |side: Side| {
            fins.iter()
                .filter(move |fin| fin.0 == conn && fin.1 == side)
        };
        let own_fin_sent = fin_from(from).next().is_some();
        s.last_ack = own_fin_sent && fin_from(from.peer()).any(|fin| fin.2 == ack);
    }
}

impl Trace {
    /// Work out each connection's ending from the events, and the verdict.
    pub fn derive_outcome(events: &[Event], connections: &[Connection]) -> Outcome {
        let mut outcomes: Vec<ConnectionOutcome> = connections
            .iter()
            .map(|c| ConnectionOutcome {
                conn: c.id,
                client: Ending::Open,
                server: Ending::Open,
                stale: Vec::new(),
            })
            .collect();
        for e in events {
            let Some(o) = e
                .conn
                .and_then(|c| outcomes.iter_mut().find(|o| o.conn == c))
            else {
                continue;
            };
            let ending = match e.side {
                Side::Client => &mut o.client,
                Side::Server => &mut o.server,
            };
            match &e.kind {
                EventKind::Reset => *ending = Ending::Reset,
                EventKind::TimedOut => *ending = Ending::TimedOut,
                EventKind::State(StateChange {
                    from: State::TimeWait,
                    to: State::Closed,
                    cause: Cause::RcvRst,
                }) => *ending = Ending::TimeWaitAssassinated,
                EventKind::State(StateChange {
                    to: State::Closed, ..
                }) if *ending == Ending::Open => *ending = Ending::ClosedCleanly,
                EventKind::Read(read) => {
                    if let Some(from) = read.stale_from {
                        o.stale.push(StaleData {
                            side: e.side,
                            conn: o.conn,
                            from_conn: from,
                            text: read.text.to_string(),
                        });
                    }
                }
                _ => {}
            }
        }
        let verdict = Self::verdict(&outcomes);
        Outcome {
            verdict,
            connections: outcomes,
        }
    }

    fn verdict(outcomes: &[ConnectionOutcome]) -> Verdict {
        let endings = || {
            outcomes.iter().flat_map(|o| {
                [
                    (Side::Client, o.conn, o.client),
                    (Side::Server, o.conn, o.server),
                ]
            })
        };
        if let Some(s) = outcomes.iter().flat_map(|o| &o.stale).next() {
            return Verdict::StaleData {
                side: s.side,
                conn: s.conn,
                from_conn: s.from_conn,
                text: s.text.clone(),
            };
        }
        if let Some((side, conn, _)) = endings().find(|(_, _, e)| *e == Ending::Reset) {
            return Verdict::Reset { side, conn };
        }
        if let Some((side, conn, _)) = endings().find(|(_, _, e)| *e == Ending::TimedOut) {
            return Verdict::TimedOut { side, conn };
        }
        if let Some((side, conn, _)) =
            endings().find(|(_, _, e)| *e == Ending::TimeWaitAssassinated)
        {
            return Verdict::TimeWaitAssassinated { side, conn };
        }
        if endings().any(|(_, _, e)| e == Ending::Open) {
            return Verdict::Unfinished;
        }
        Verdict::ClosedCleanly
    }

    /// The states of both sides after each event, for listings and for checks.
    pub fn states(&self) -> Vec<[Option<State>; 2]> {
        let mut now: [Option<State>; 2] = [None, None];
        self.events
            .iter()
            .map(|e| {
                if let EventKind::State(StateChange { to, .. }) = e.kind {
                    now[e.side as usize] = Some(to);
                }
                now
            })
            .collect()
    }

    /// The states one side of one connection went through, in order (for checks and comparisons).
    pub fn state_path(&self, side: Side, conn: u32) -> Vec<State> {
        self.events
            .iter()
            .filter(|e| e.side == side && e.conn == Some(conn))
            .filter_map(|e| match e.kind {
                EventKind::State(StateChange { to, .. }) => Some(to),
                _ => None,
            })
            .collect()
    }

    pub fn segment(&self, index: u32) -> &SegmentRecord {
        &self.segments[index as usize]
    }
}

impl SegmentRecord {
    /// Sequence space it takes: its bytes, and one each for SYN and FIN (RFC 9293 §3.4).
    pub fn seq_len(&self) -> u32 {
        self.len + u32::from(self.flags.syn) + u32::from(self.flags.fin)
    }
}
