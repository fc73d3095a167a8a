//! The run as a twlab [`Trace`]: the stack under test and the scripted peer are the two sides, every
//! segment crosses in no time (packetdrill's tun device sits right at the stack), and the events are
//! the endpoint's own.

use std::collections::BTreeMap;
use twlab_core::discard::Discard;
use twlab_core::network::{Flight, FlightEnd, Flights};
use twlab_core::scenario::{Params, SegmentId, Side};
use twlab_core::segment::Segment;
use twlab_core::seq::SeqNum;
use twlab_core::time::Instant;
use twlab_core::trace::{self, Connection, Event, EventKind, SegmentRecord, Trace};

pub struct Recorder {
    /// The side the stack under test plays: the client if the script connects, the server if it listens.
    pub local: Side,
    pub connections: Vec<Connection>,
    segments: Vec<SegmentRecord>,
    events: Vec<Event>,
    /// Per sender and connection: segments sent so far, and the highest sequence number used (to mark
    /// retransmissions).
    sent: BTreeMap<(Side, u32), (u32, SeqNum)>,
}

impl Recorder {
    pub fn new(local: Side) -> Self {
        Recorder {
            local,
            connections: Vec::new(),
            segments: Vec::new(),
            events: Vec::new(),
            sent: BTreeMap::new(),
        }
    }

    pub fn event(&mut self, at: Instant, side: Side, conn: Option<u32>, kind: EventKind) {
        self.events.push(Event {
            at,
            side,
            conn,
            kind,
        });
    }

    /// The connection record for `id`, made on first use with the ports of its first segment.
    pub fn connection(&mut self, id: u32, local_port: u16, remote_port: u16) -> &mut Connection {
        if !self.connections.iter().any(|c| c.id == id) {
            let (client_port, server_port) = match self.local {
                Side::Client => (local_port, remote_port),
                Side::Server => (remote_port, local_port),
            };
            self.connections.push(Connection {
                id,
                client_port,
                server_port,
                client_isn: None,
                server_isn: None,
            });
        }
        let i = self
            .connections
            .iter()
            .position(|c| c.id == id)
            .expect("just made");
        &mut self.connections[i]
    }

    /// A segment sent by `from` on connection `conn` at `at`, and its arrival at the other side in the
    /// same instant; returns the index of the arrival's event. `accepted` says whether a TCB took it
    /// (for inbound segments); if not, `discard_unaccepted` says why it was thrown away.
    pub fn segment(
        &mut self,
        at: Instant,
        from: Side,
        conn: u32,
        seg: &Segment,
        accepted: bool,
        discard_unaccepted: Discard,
    ) -> usize {
        let (local_port, remote_port) = if from == self.local {
            (seg.src_port, seg.dst_port)
        } else {
            (seg.dst_port, seg.src_port)
        };
        let remote = from != self.local;
        let c = self.connection(conn, local_port, remote_port);
        // The peer's ISN is what its SYN says (the script's numbers are relative to 0 on the wire).
        if seg.flags.syn && remote {
            let isn = match from {
                Side::Client => &mut c.client_isn,
                Side::Server => &mut c.server_isn,
            };
            isn.get_or_insert(seg.seq.0);
        }
        let end = seg.seq + seg.seq_len();
        let (count, high) = self.sent.entry((from, conn)).or_insert((0, end));
        *count += 1;
        let (nth, retransmission) = (*count, seg.seq_len() > 0 && end.le(*high) && *count > 1);
        if high.lt(end) && !seg.flags.rst {
            *high = end;
        }
        let index = self.segments.len() as u32;
        self.segments.push(SegmentRecord {
            id: SegmentId { conn, from, nth },
            src_port: seg.src_port,
            dst_port: seg.dst_port,
            seq: seg.seq,
            ack: seg.ack,
            rel_seq: 0,
            rel_ack: 0,
            flags: seg.flags,
            window: seg.window,
            len: seg.payload.len() as u32,
            payload: seg.payload.clone().into_boxed_slice(),
            ts: seg.ts,
            options: None,
            sent: at,
            retransmission,
            last_ack: false,
            fate: None,
            flights: Flights::single(Flight {
                copy: false,
                departs: at,
                ends: at,
                arrives: at,
                end: FlightEnd::Delivered,
            }),
        });
        self.event(at, from, Some(conn), EventKind::Send { segment: index });
        self.event(
            at,
            from.peer(),
            Some(conn),
            EventKind::Deliver {
                segment: index,
                copy: false,
                accepted_by: accepted.then_some(conn),
                discarded: (!accepted).then_some(discard_unaccepted),
            },
        );
        self.events.len() - 1
    }

    /// The endpoint threw away the segment delivered by event `delivery`: the trace says why.
    pub fn discard(&mut self, delivery: usize, why: Discard) {
        if let Some(Event {
            kind: EventKind::Deliver { discarded, .. },
            ..
        }) = self.events.get_mut(delivery)
        {
            *discarded = Some(why);
        }
    }

    pub fn finish(mut self, name: String, params: Params) -> Trace {
        self.connections.sort_by_key(|c| c.id);
        trace::set_relative_numbers(&mut self.segments, &self.connections);
        let outcome = Trace::derive_outcome(&self.events, &self.connections);
        let (client_ip, server_ip) = (trace::CLIENT_IP, trace::SERVER_IP);
        let durations = trace::Durations::of(&params);
        Trace {
            name,
            params,
            client_ip: client_ip.into(),
            server_ip: server_ip.into(),
            end: self.events.last().map_or(Instant::ZERO, |e| e.at),
            connections: self.connections,
            segments: self.segments,
            events: self.events,
            outcome,
            durations,
            stopped: None,
        }
    }
}
