//! The passive observer: it replays the capture's segments of one socket pair in time order, each
//! sent by one side and, unless it was lost, arriving at the other a one-way delay later, and keeps
//! what it can know of each side's TCB.

use crate::losses::{answered, handshake_delay, lost};
use crate::packet::{Addr, Packet};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use twlab_core::endpoint::{Cause, Timer};
use twlab_core::network::{Flight, FlightEnd, Flights};
use twlab_core::scenario::{SegmentId, Side};
use twlab_core::segment::Segment;
use twlab_core::seq::SeqNum;
use twlab_core::time::{Duration, Instant};
use twlab_core::trace::{Event, EventKind, SegmentRecord, Trace};
use twlab_core::State;

/// What a passive observer knows of one side of one connection.
#[derive(Clone, Copy, Default)]
pub(crate) struct Tcb {
    pub state: Option<State>,
    /// The first sequence number this side used (its SYN's, or the first seen).
    pub isn: Option<SeqNum>,
    /// The sequence number this side's FIN occupies, once it has sent one.
    pub fin: Option<SeqNum>,
    /// The next byte this side expects from its peer, once known.
    pub rcv_nxt: Option<SeqNum>,
    /// The end of the highest sequence space this side has sent.
    pub high: Option<SeqNum>,
    pub peer_fin_seen: bool,
    pub time_wait_until: Option<Instant>,
    pub sent: u32,
}

/// A segment on its way: it arrives at `to` at `at`. Ordered by arrival, then place in the capture.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Arrival {
    pub at: Instant,
    /// Its place in the capture.
    pub k: usize,
    pub conn: usize,
    pub to: Side,
    pub index: u32,
}

pub(crate) struct Conn {
    pub id: u32,
    pub client_port: u16,
    pub tcbs: [Tcb; 2],
}

pub(crate) struct Observer<'a> {
    /// The trace's title.
    pub name: String,
    /// The segments of one socket pair, in the order captured.
    pub packets: Vec<&'a Packet>,
    pub client: Addr,
    pub server: Addr,
    pub start: std::time::Duration,
    pub one_way: Duration,
    pub conns: Vec<Conn>,
    pub segments: Vec<SegmentRecord>,
    pub events: Vec<Event>,
}

impl<'a> Observer<'a> {
    pub fn new(name: String, packets: Vec<&'a Packet>, client: Addr, server: Addr) -> Self {
        let start = packets.iter().map(|p| p.at).min().unwrap_or_default();
        Observer {
            name,
            packets,
            client,
            server,
            start,
            one_way: Duration::ZERO,
            conns: Vec::new(),
            segments: Vec::new(),
            events: Vec::new(),
        }
    }

    /// Replay the segments; `notes` say what the trace leaves out of the capture.
    pub fn run(mut self, notes: Vec<String>) -> Trace {
        let packets = std::mem::take(&mut self.packets);
        self.one_way = handshake_delay(&packets, self.server).max(Duration(1));
        if packets.iter().any(|p| p.opens()) {
            // The server must have been listening to answer; the capture cannot say since when.
            self.state(
                Side::Server,
                None,
                Instant::ZERO,
                State::Closed,
                State::Listen,
                Cause::PassiveOpen,
            );
        }
        let lost = lost(&packets);
        // Arrivals wait for their time: whatever was sent before a segment arrived happened first
        // (in a simultaneous close both FINs leave before either arrives).
        let mut flying: BinaryHeap<Reverse<Arrival>> = BinaryHeap::new();
        for (k, p) in packets.iter().enumerate() {
            let sent = self.time(p);
            while flying.peek().is_some_and(|Reverse(a)| a.at <= sent) {
                let Some(Reverse(a)) = flying.pop() else {
                    break;
                };
                self.arrive(&a, packets[a.k], &packets[a.k + 1..]);
            }
            flying.extend(self.send(k, p, lost[k]).map(Reverse));
        }
        while let Some(Reverse(a)) = flying.pop() {
            self.arrive(&a, packets[a.k], &packets[a.k + 1..]);
        }
        self.expire_time_waits();
        self.finish(packets.len(), notes)
    }

    pub(crate) fn time(&self, p: &Packet) -> Instant {
        Instant(p.at.saturating_sub(self.start).as_micros() as u64)
    }

    /// The connection a segment belongs to: a client's SYN with a new ISN starts a new incarnation
    /// of the socket pair; anything else belongs to the latest one on its client port.
    fn conn_for(&mut self, p: &Packet, from: Side, at: Instant) -> usize {
        let client_port = if from == Side::Client {
            p.src.port()
        } else {
            p.dst.port()
        };
        let current = self
            .conns
            .iter()
            .rposition(|c| c.client_port == client_port);
        let new_syn = from == Side::Client && p.opens();
        if let Some(i) = current {
            // A retransmitted SYN repeats the ISN while the client still waits in SYN-SENT; a SYN
            // after the close is a new incarnation even with the same ISN (a fixed-ISN stack).
            let client = &self.conns[i].tcbs[0];
            let done = matches!(client.state, Some(State::TimeWait | State::Closed));
            if new_syn && (client.isn != Some(p.seq) || done) {
                // The client reuses the pair: if it held it in TIME-WAIT, it lets go (Linux:
                // tcp_tw_reuse). The server's TIME-WAIT goes when it accepts the SYN (see `arrive`).
                if self.conns[i].tcbs[0].state == Some(State::TimeWait) {
                    let id = self.conns[i].id;
                    self.timer_ends(Side::Client, id, at, Timer::TimeWait, false);
                    self.set(i, Side::Client, at, State::Closed, Cause::ActiveOpen);
                }
            } else if p.flags.syn || self.conns[i].tcbs[from as usize].isn.is_some() {
                return i;
            } else {
                // A side that has not opened the newest incarnation still speaks for the one before
                // (a server in TIME-WAIT answering the new SYN with an ACK).
                let before = self.conns[..i]
                    .iter()
                    .rposition(|c| c.client_port == client_port);
                return before.unwrap_or(i);
            }
        }
        self.conns.push(Conn {
            id: self.conns.len() as u32 + 1,
            client_port,
            tcbs: [Tcb::default(); 2],
        });
        self.conns.len() - 1
    }

    /// The `k`th segment leaves: its record and what sending it shows of the sender. Unless it was
    /// `lost`, its arrival is returned, to be applied in time order.
    fn send(&mut self, k: usize, p: &Packet, lost: bool) -> Option<Arrival> {
        let sent = self.time(p);
        let from = if p.src == self.client {
            Side::Client
        } else {
            Side::Server
        };
        let i = self.conn_for(p, from, sent);
        let id = self.conns[i].id;
        let tcb = &mut self.conns[i].tcbs[from as usize];
        tcb.sent += 1;
        if tcb.isn.is_none() {
            tcb.isn = Some(p.seq);
        }
        let end = p.seq + p.seq_len();
        let retransmission = p.seq_len() > 0 && tcb.high.is_some_and(|h| end.le(h));
        if tcb.high.map_or(true, |h| h.lt(end)) {
            tcb.high = Some(end);
        }
        let nth = tcb.sent;
        let (ends, end) = if lost {
            // Lost on the way: the arrow ends half-way across, as for a simulated drop.
            (
                sent + Duration((self.one_way.0 / 2).max(1)),
                FlightEnd::Dropped,
            )
        } else {
            (sent + self.one_way, FlightEnd::Delivered)
        };
        let index = self.segments.len() as u32;
        let seg = Segment {
            src_port: p.src.port(),
            dst_port: p.dst.port(),
            seq: p.seq,
            ack: p.ack,
            flags: p.flags,
            window: p.window,
            payload: p.payload.clone(),
            ts: p.ts,
            options: p.options.clone(),
        };
        let flights = Flights::single(Flight {
            copy: false,
            departs: sent,
            ends,
            end,
            // Inferred, like the one-way delay it rests on.
            arrives: sent + self.one_way,
        });
        let seg_id = SegmentId {
            conn: id,
            from,
            nth,
        };
        self.segments.push(SegmentRecord::new(
            seg_id,
            seg,
            sent,
            retransmission,
            flights,
        ));
        // As in a simulation, the state change a segment shows comes just before the segment.
        self.sent_by(i, from, sent, p);
        self.record(from, Some(id), sent, EventKind::Send { segment: index });
        let to = from.peer();
        if lost {
            let drop = EventKind::Drop {
                segment: index,
                copy: false,
            };
            self.record(from, Some(id), ends, drop);
            return None;
        }
        Some(Arrival {
            at: ends,
            k,
            conn: i,
            to,
            index,
        })
    }

    /// A segment arrives: what it does to the receiver. `later` is what the capture holds after it:
    /// whether the server answers a SYN, whether a host entering TIME-WAIT shows it kept none.
    fn arrive(&mut self, a: &Arrival, p: &Packet, later: &[&Packet]) {
        let (to, arrives, index) = (a.to, a.at, a.index);
        let live = |c: &Conn| {
            c.tcbs[to as usize]
                .state
                .is_some_and(|s| s != State::Closed)
        };
        let port = self.conns[a.conn].client_port;
        let before = self.conns[..a.conn]
            .iter()
            .rposition(|c| c.client_port == port);
        let accepted_syn = to == Side::Server && p.opens() && answered(later, p);
        // The receiver's TCB takes it: the segment's own incarnation's, or, while the receiver has
        // none there, the one it still holds from before (a TIME-WAIT meeting the next SYN).
        let mut i = a.conn;
        if let Some(b) = before.filter(|&b| !live(&self.conns[a.conn]) && live(&self.conns[b])) {
            if accepted_syn && self.conns[b].tcbs[1].state == Some(State::TimeWait) {
                // The server accepts the new incarnation's SYN: it takes the pair from TIME-WAIT
                // (RFC 9293 §3.10.7.4; RFC 6191).
                let old = self.conns[b].id;
                self.timer_ends(Side::Server, old, arrives, Timer::TimeWait, false);
                self.set(b, Side::Server, arrives, State::Closed, Cause::RcvSyn);
            } else {
                i = b;
            }
        }
        let id = self.conns[i].id;
        let listening = i == a.conn && accepted_syn;
        let accepted = live(&self.conns[i]) || listening;
        let deliver = EventKind::Deliver {
            segment: index,
            copy: false,
            accepted_by: accepted.then_some(id),
            // A capture shows what arrived, not what the receiver made of it.
            discarded: None,
        };
        self.record(to, Some(id), arrives, deliver);
        if accepted {
            self.received_by(i, to, arrives, p, later);
        }
    }
}
