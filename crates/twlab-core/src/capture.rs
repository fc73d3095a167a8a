//! Draw a real capture: the TCP connections between two hosts, read from a pcap or pcapng file
//! (tcpdump, tshark, Wireshark), as a [`Trace`] like a simulated one, so that the CLI and the page draw
//! it with the same diagram.
//!
//! A capture records each segment once, at one point, so each becomes one flight that takes the
//! one-way delay the handshakes show (half the time from a SYN to the ACK that completes it). Each
//! side's states are what a passive observer can infer from the segments: the transitions of RFC 9293
//! §3.10.7 that segments drive, with the applications' closes read off the FINs. TIME-WAIT is taken to
//! last 60 s, as on Linux, unless a new SYN reuses the socket pair sooner.

use crate::endpoint::{Cause, StateChange, Timer, TimerArm};
use crate::network::{Flight, FlightEnd, Flights};
use crate::scenario::{Profile, SegmentId, Side, TimeWait};
use crate::segment::{Flags, Timestamps};
use crate::seq::SeqNum;
use crate::state::State;
use crate::time::{Duration, Instant};
use crate::trace::{self, AppRead, Connection, Event, EventKind, SegmentRecord, Stopped, Trace};
use etherparse::{NetSlice, SlicedPacket, TcpOptionElement, TransportSlice};
use pcap_file::pcap::PcapParser;
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption,
};
use pcap_file::pcapng::{Block, PcapNgParser};
use pcap_file::{DataLink, PcapError};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fmt;

/// How many segments are drawn at most; a longer capture is cut there, and the trace says so.
pub const MAX_SEGMENTS: usize = 100_000;

/// TIME-WAIT as Linux keeps it, whatever MSL is (`TCP_TIMEWAIT_LEN`).
const TIME_WAIT: Duration = Duration::from_secs(60);

/// Longest text of a read kept in the trace, as in a simulation.
const READ_TEXT_MAX: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaptureError {
    /// Neither a pcap nor a pcapng file.
    NotACapture,
    /// The file ends before its first packet.
    Truncated,
    /// Packets of a link type this reader does not know, and no TCP in any other.
    UnsupportedLink(u32),
    /// A readable capture without a single TCP segment over IPv4.
    NoTcp { packets: usize },
}

impl CaptureError {
    /// A stable name for the kind of problem, for the page's own words in each language.
    pub fn kind(&self) -> &'static str {
        match self {
            CaptureError::NotACapture => "not_a_capture",
            CaptureError::Truncated => "truncated",
            CaptureError::UnsupportedLink(_) => "unsupported_link",
            CaptureError::NoTcp { .. } => "no_tcp",
        }
    }
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            CaptureError::NotACapture => f.write_str(
                "this is not a capture file: expected pcap or pcapng (from tcpdump -w, tshark or Wireshark)",
            ),
            CaptureError::Truncated => f.write_str("the capture file is cut short before its first packet"),
            CaptureError::UnsupportedLink(link) => write!(
                f,
                "the capture's link type {link} is not supported (Ethernet, raw IP, Linux cooked and loopback are)"
            ),
            CaptureError::NoTcp { packets } => {
                write!(f, "the capture holds {packets} packets but no TCP segment over IPv4")
            }
        }
    }
}

impl std::error::Error for CaptureError {}

/// An IPv4 address and a port: one end of a socket pair.
type Addr = ([u8; 4], u16);

/// One TCP segment over IPv4 as recorded.
struct Packet {
    at: std::time::Duration,
    src: Addr,
    dst: Addr,
    seq: SeqNum,
    ack: SeqNum,
    flags: Flags,
    window: u16,
    payload: Vec<u8>,
    ts: Option<Timestamps>,
}

impl Packet {
    /// A SYN that opens (not a SYN,ACK that answers).
    fn opens(&self) -> bool {
        self.flags.syn && !self.flags.ack
    }

    fn seq_len(&self) -> u32 {
        self.payload.len() as u32 + u32::from(self.flags.syn) + u32::from(self.flags.fin)
    }
}

/// What the file held: its TCP segments, how many packets in all, and whether it was cut short.
struct Packets {
    tcp: Vec<Packet>,
    total: usize,
    truncated: bool,
    unsupported: Option<u32>,
}

impl Packets {
    fn add(&mut self, link: DataLink, at: std::time::Duration, data: &[u8]) {
        self.total += 1;
        match decode(link, data) {
            Ok(Some(p)) => self.tcp.push(Packet { at, ..p }),
            Ok(None) => {}
            Err(link) => self.unsupported = Some(link),
        }
    }
}

/// Whether `bytes` start like a pcap or pcapng file (either byte order, micro- or nanoseconds).
pub fn is_capture(bytes: &[u8]) -> bool {
    matches!(
        bytes.get(..4),
        Some([0xd4, 0xc3, 0xb2, 0xa1] | [0xa1, 0xb2, 0xc3, 0xd4])
            | Some([0x4d, 0x3c, 0xb2, 0xa1] | [0xa1, 0xb2, 0x3c, 0x4d])
            | Some([0x0a, 0x0d, 0x0d, 0x0a])
    )
}

/// Read `bytes` (a pcap or pcapng file) and draw the TCP connections of its first socket pair.
/// `name` (the file's name) titles the trace.
pub fn import(name: &str, bytes: &[u8]) -> Result<Trace, CaptureError> {
    let packets = read(bytes)?;
    if packets.tcp.is_empty() {
        if let Some(link) = packets.unsupported {
            return Err(CaptureError::UnsupportedLink(link));
        }
        if packets.total == 0 && packets.truncated {
            return Err(CaptureError::Truncated);
        }
        return Err(CaptureError::NoTcp {
            packets: packets.total,
        });
    }
    Ok(Observer::new(name, &packets).run())
}

fn read(bytes: &[u8]) -> Result<Packets, CaptureError> {
    let mut out = Packets {
        tcp: Vec::new(),
        total: 0,
        truncated: false,
        unsupported: None,
    };
    let cut = |e: PcapError| matches!(e, PcapError::IncompleteBuffer);
    match bytes.get(..4) {
        Some([0xd4, 0xc3, 0xb2, 0xa1] | [0xa1, 0xb2, 0xc3, 0xd4])
        | Some([0x4d, 0x3c, 0xb2, 0xa1] | [0xa1, 0xb2, 0x3c, 0x4d]) => {
            let (mut rest, parser) = PcapParser::new(bytes).map_err(|e| {
                if cut(e) {
                    CaptureError::Truncated
                } else {
                    CaptureError::NotACapture
                }
            })?;
            let link = parser.header().datalink;
            while !rest.is_empty() && out.tcp.len() <= MAX_SEGMENTS {
                match parser.next_packet(rest) {
                    Ok((next, packet)) => {
                        out.add(link, packet.timestamp, &packet.data);
                        rest = next;
                    }
                    Err(_) => {
                        out.truncated = true;
                        break;
                    }
                }
            }
        }
        Some([0x0a, 0x0d, 0x0d, 0x0a]) => {
            let (mut rest, mut parser) = PcapNgParser::new(bytes).map_err(|e| {
                if cut(e) {
                    CaptureError::Truncated
                } else {
                    CaptureError::NotACapture
                }
            })?;
            while !rest.is_empty() && out.tcp.len() <= MAX_SEGMENTS {
                let (next, block) = match parser.next_block(rest) {
                    Ok(read) => read,
                    Err(_) => {
                        out.truncated = true;
                        break;
                    }
                };
                rest = next;
                let (interface, at, data) = match &block {
                    Block::EnhancedPacket(p) => (p.interface_id, p.timestamp, &p.data),
                    Block::SimplePacket(p) => (0, std::time::Duration::ZERO, &p.data),
                    _ => continue,
                };
                let Some(iface) = parser.interfaces().get(interface as usize) else {
                    out.truncated = true;
                    break;
                };
                out.add(iface.linktype, pcapng_time(at, iface), data);
            }
        }
        _ if bytes.len() < 4 && !bytes.is_empty() => return Err(CaptureError::Truncated),
        _ => return Err(CaptureError::NotACapture),
    }
    Ok(out)
}

/// pcap-file hands over a pcapng timestamp's raw count as nanoseconds; its unit is the interface's
/// `if_tsresol` (pcapng §4.2): 10^-n seconds, or 2^-n with the high bit set, microseconds by default.
fn pcapng_time(raw: std::time::Duration, iface: &InterfaceDescriptionBlock) -> std::time::Duration {
    let resolution = iface.options.iter().find_map(|o| match o {
        InterfaceDescriptionOption::IfTsResol(r) => Some(*r),
        _ => None,
    });
    let ticks = raw.as_nanos();
    let nanos = match resolution.unwrap_or(6) {
        r if r & 0x80 != 0 => Some((ticks * 1_000_000_000) >> (r & 0x7f)),
        r => 10u128
            .checked_pow(u32::from(r))
            .map(|unit| ticks * 1_000_000_000 / unit),
    };
    std::time::Duration::from_nanos(nanos.unwrap_or(0).min(u128::from(u64::MAX)) as u64)
}

/// The TCP segment in one link-layer frame, if it carries one over IPv4; `Err` names a link type
/// this reader does not know.
fn decode(link: DataLink, data: &[u8]) -> Result<Option<Packet>, u32> {
    let sliced = match link {
        DataLink::ETHERNET => SlicedPacket::from_ethernet(data),
        DataLink::RAW | DataLink::IPV4 => SlicedPacket::from_ip(data),
        DataLink::LINUX_SLL => SlicedPacket::from_linux_sll(data),
        // SLL2 (`tcpdump -i any`) has a 20-byte header; BSD loopback a 4-byte address family.
        DataLink::LINUX_SLL2 => SlicedPacket::from_ip(data.get(20..).unwrap_or_default()),
        DataLink::NULL | DataLink::LOOP => SlicedPacket::from_ip(data.get(4..).unwrap_or_default()),
        other => return Err(u32::from(other)),
    };
    let Ok(SlicedPacket {
        net: Some(NetSlice::Ipv4(ip)),
        transport: Some(TransportSlice::Tcp(tcp)),
        ..
    }) = sliced
    else {
        return Ok(None);
    };
    let header = ip.header();
    Ok(Some(Packet {
        at: std::time::Duration::ZERO,
        src: (header.source(), tcp.source_port()),
        dst: (header.destination(), tcp.destination_port()),
        seq: SeqNum(tcp.sequence_number()),
        ack: SeqNum(tcp.acknowledgment_number()),
        flags: Flags {
            syn: tcp.syn(),
            ack: tcp.ack(),
            fin: tcp.fin(),
            rst: tcp.rst(),
        },
        window: tcp.window_size(),
        payload: tcp.payload().to_vec(),
        ts: tcp.options_iterator().find_map(|o| match o {
            Ok(TcpOptionElement::Timestamp(val, ecr)) => Some(Timestamps { val, ecr }),
            _ => None,
        }),
    }))
}

/// What a passive observer knows of one side of one connection.
#[derive(Clone, Copy, Default)]
struct Tcb {
    state: Option<State>,
    /// The first sequence number this side used (its SYN's, or the first seen).
    isn: Option<SeqNum>,
    /// The sequence number this side's FIN occupies, once it has sent one.
    fin: Option<SeqNum>,
    /// The next byte this side expects from its peer, once known.
    rcv_nxt: Option<SeqNum>,
    /// The end of the highest sequence space this side has sent.
    high: Option<SeqNum>,
    peer_fin_seen: bool,
    time_wait_until: Option<Instant>,
    sent: u32,
}

/// A segment on its way: it arrives at `to` at `at`. Ordered by arrival, then place in the capture.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Arrival {
    at: Instant,
    /// Its place in the capture.
    k: usize,
    conn: usize,
    to: Side,
    index: u32,
}

struct Conn {
    id: u32,
    client_port: u16,
    tcbs: [Tcb; 2],
}

struct Observer<'a> {
    name: &'a str,
    packets: &'a [Packet],
    client: [u8; 4],
    server: Addr,
    start: std::time::Duration,
    one_way: Duration,
    conns: Vec<Conn>,
    segments: Vec<SegmentRecord>,
    events: Vec<Event>,
    other_flows: usize,
    truncated: bool,
}

impl<'a> Observer<'a> {
    fn new(name: &'a str, packets: &'a Packets) -> Self {
        let tcp = &packets.tcp;
        // The socket pair: a client's first SYN names it; failing that, the side on the higher
        // (ephemeral) port is the client.
        let first = tcp.iter().find(|p| p.opens()).unwrap_or(&tcp[0]);
        let (client, server) = if first.flags.syn || first.src.1 > first.dst.1 {
            (first.src.0, first.dst)
        } else {
            (first.dst.0, first.src)
        };
        let ours = |p: &Packet| {
            (p.src.0 == client && p.dst == server) || (p.dst.0 == client && p.src == server)
        };
        let mut flows: Vec<_> = tcp
            .iter()
            .filter(|p| !ours(p))
            .map(|p| {
                if p.src < p.dst {
                    (p.src, p.dst)
                } else {
                    (p.dst, p.src)
                }
            })
            .collect();
        flows.sort();
        flows.dedup();
        let start = tcp
            .iter()
            .filter(|p| ours(p))
            .map(|p| p.at)
            .min()
            .unwrap_or_default();
        Observer {
            name,
            packets: tcp,
            client,
            server,
            start,
            one_way: Duration::ZERO,
            conns: Vec::new(),
            segments: Vec::new(),
            events: Vec::new(),
            other_flows: flows.len(),
            truncated: packets.truncated,
        }
    }

    fn run(mut self) -> Trace {
        let packets: Vec<&Packet> = self
            .packets
            .iter()
            .filter(|p| {
                (p.src.0 == self.client && p.dst == self.server)
                    || (p.dst.0 == self.client && p.src == self.server)
            })
            .take(MAX_SEGMENTS)
            .collect();
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
        // Arrivals were recorded with their sends; put everything in time order (stable: ties keep
        // the order in which they happened).
        self.events.sort_by_key(|e| e.at);
        let mut connections: Vec<Connection> = self
            .conns
            .iter()
            .map(|c| Connection {
                id: c.id,
                client_port: c.client_port,
                server_port: self.server.1,
                client_isn: c.tcbs[0].isn.map(|s| s.0),
                server_isn: c.tcbs[1].isn.map(|s| s.0),
            })
            .collect();
        connections.sort_by_key(|c| c.id);
        trace::set_relative_numbers(&mut self.segments, &connections);
        let mut params = Profile::Linux.params();
        params.delay = self.one_way;
        params.time_wait = TimeWait::Fixed(TIME_WAIT);
        let mut notes = Vec::new();
        if self.truncated {
            notes.push("the capture file is cut short; drawn up to the cut".to_string());
        }
        if packets.len() == MAX_SEGMENTS {
            notes.push(format!("only the first {MAX_SEGMENTS} segments are drawn"));
        }
        if self.other_flows > 0 {
            notes.push(format!(
                "{} other TCP flows in the capture are not drawn",
                self.other_flows
            ));
        }
        let [a, b, c, d] = self.client;
        let [e, f, g, h] = self.server.0;
        Trace {
            name: format!(
                "{}: {a}.{b}.{c}.{d} to {e}.{f}.{g}.{h}:{}",
                self.name, self.server.1
            ),
            durations: crate::trace::Durations::of(&params),
            params,
            client_ip: self.client,
            server_ip: self.server.0,
            outcome: Trace::derive_outcome(&self.events, &connections),
            end: self.events.last().map_or(Instant::ZERO, |e| e.at),
            connections,
            segments: self.segments,
            events: self.events,
            stopped: (!notes.is_empty()).then(|| Stopped::Capture {
                note: notes.join("; "),
            }),
        }
    }

    fn time(&self, p: &Packet) -> Instant {
        Instant(p.at.saturating_sub(self.start).as_micros() as u64)
    }

    /// The connection a segment belongs to: a client's SYN with a new ISN starts a new incarnation
    /// of the socket pair; anything else belongs to the latest one on its client port.
    fn conn_for(&mut self, p: &Packet, from: Side, at: Instant) -> usize {
        let client_port = if from == Side::Client {
            p.src.1
        } else {
            p.dst.1
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
        let from = if p.src.0 == self.client && p.dst == self.server {
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
        self.segments.push(SegmentRecord {
            id: SegmentId {
                conn: id,
                from,
                nth,
            },
            src_port: p.src.1,
            dst_port: p.dst.1,
            seq: p.seq,
            ack: p.ack,
            rel_seq: 0,
            rel_ack: 0,
            flags: p.flags,
            window: p.window,
            len: p.payload.len() as u32,
            payload: p.payload.clone().into_boxed_slice(),
            ts: p.ts,
            sent,
            retransmission,
            fate: None,
            flights: Flights::single(Flight {
                copy: false,
                departs: sent,
                ends,
                end,
                // Inferred, like the one-way delay it rests on.
                arrives: sent + self.one_way,
            }),
        });
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

    /// What sending `p` tells of the sender: a SYN is an open, a FIN the application's close, a RST
    /// the end of its TCB.
    fn sent_by(&mut self, i: usize, side: Side, at: Instant, p: &Packet) {
        let tcb = self.conns[i].tcbs[side as usize];
        let state = tcb.state;
        if p.flags.rst {
            // A RST from SYN-SENT or SYN-RECEIVED answers an unacceptable ACK and leaves the TCB
            // as it was (§3.10.7.3, §3.10.7.4 fifth); elsewhere it ends the connection (an abort).
            let open = !matches!(
                state,
                None | Some(State::Closed | State::TimeWait | State::SynSent | State::SynReceived)
            );
            if open {
                self.set(i, side, at, State::Closed, Cause::AppClose);
            }
            return;
        }
        if p.opens() && state.map_or(true, |s| s == State::Closed) {
            self.set(i, side, at, State::SynSent, Cause::ActiveOpen);
        }
        if p.flags.syn && p.flags.ack && state.is_none() {
            // Its SYN was not captured: the answer shows it had one.
            self.set(i, side, at, State::SynReceived, Cause::RcvSyn);
        }
        if p.flags.fin {
            self.conns[i].tcbs[side as usize].fin = Some(p.seq + p.payload.len() as u32);
            let next = match self.conns[i].tcbs[side as usize].state {
                Some(State::Established | State::SynReceived) => Some(State::FinWait1),
                Some(State::CloseWait) => Some(State::LastAck),
                _ => None,
            };
            if let Some(next) = next {
                self.set(i, side, at, next, Cause::AppClose);
            }
        }
    }

    /// What receiving `p` does to the receiver, by RFC 9293 §3.10.7.
    fn received_by(&mut self, i: usize, side: Side, at: Instant, p: &Packet, later: &[&Packet]) {
        let id = self.conns[i].id;
        let tcb = self.conns[i].tcbs[side as usize];
        let Some(state) = tcb
            .state
            .or((side == Side::Server).then_some(State::Listen))
        else {
            return;
        };
        if p.flags.rst {
            // §3.10.7.3/§3.10.7.4: an acceptable RST ends the connection; the user hears "reset"
            // unless only TIME-WAIT was left (then it is RFC 1337's assassination).
            if !matches!(state, State::Closed | State::Listen) {
                if state != State::TimeWait {
                    self.record(side, Some(id), at, EventKind::Reset);
                } else {
                    self.timer_ends(side, id, at, Timer::TimeWait, false);
                }
                self.set(i, side, at, State::Closed, Cause::RcvRst);
            }
            return;
        }
        if p.flags.syn {
            let rcv = &mut self.conns[i].tcbs[side as usize];
            rcv.rcv_nxt = Some(p.seq + 1);
            match (state, p.flags.ack) {
                (State::Listen | State::SynSent, false) => {
                    self.set(i, side, at, State::SynReceived, Cause::RcvSyn)
                }
                (State::SynSent, true) => {
                    self.set(i, side, at, State::Established, Cause::RcvSynAck);
                    self.record(side, Some(id), at, EventKind::Connected);
                }
                _ => {}
            }
        }
        let state = self.conns[i].tcbs[side as usize].state.unwrap_or(state);
        let own_isn = self.conns[i].tcbs[side as usize].isn;
        if p.flags.ack && state == State::SynReceived && own_isn.is_some_and(|isn| isn.lt(p.ack)) {
            self.set(i, side, at, State::Established, Cause::RcvAck);
            self.record(side, Some(id), at, EventKind::Connected);
        }
        let fin = self.conns[i].tcbs[side as usize].fin;
        if p.flags.ack && fin.is_some_and(|f| f.lt(p.ack)) {
            match self.conns[i].tcbs[side as usize].state {
                Some(State::FinWait1) => self.set(i, side, at, State::FinWait2, Cause::RcvAckOfFin),
                Some(State::Closing) => {
                    self.enter_time_wait(i, side, at, Cause::RcvAckOfFin, p, later)
                }
                Some(State::LastAck) => {
                    self.record(side, Some(id), at, EventKind::Closed);
                    self.set(i, side, at, State::Closed, Cause::RcvAckOfFin);
                }
                _ => {}
            }
        }
        self.read(i, side, at, p);
        if p.flags.fin {
            let tcb = &mut self.conns[i].tcbs[side as usize];
            let first = !std::mem::replace(&mut tcb.peer_fin_seen, true);
            match tcb.state {
                Some(State::Established) if first => {
                    self.record(side, Some(id), at, EventKind::Eof);
                    self.set(i, side, at, State::CloseWait, Cause::RcvFin);
                }
                Some(State::FinWait1) if first => {
                    self.record(side, Some(id), at, EventKind::Eof);
                    self.set(i, side, at, State::Closing, Cause::RcvFin);
                }
                Some(State::FinWait2) if first => {
                    self.record(side, Some(id), at, EventKind::Eof);
                    self.enter_time_wait(i, side, at, Cause::RcvFin, p, later);
                }
                // §3.10.7.4, eighth, TIME-WAIT: a retransmitted FIN restarts the 2MSL wait.
                Some(State::TimeWait) => self.arm_time_wait(i, side, at, true),
                _ => {}
            }
        }
    }

    /// Bytes that arrive in order are read by the application; copies and gaps are not.
    fn read(&mut self, i: usize, side: Side, at: Instant, p: &Packet) {
        let id = self.conns[i].id;
        let tcb = &mut self.conns[i].tcbs[side as usize];
        let data_seq = p.seq + u32::from(p.flags.syn);
        let open = matches!(
            tcb.state,
            Some(State::Established | State::FinWait1 | State::FinWait2)
        );
        if p.payload.is_empty() || !open || tcb.rcv_nxt.is_some_and(|n| n != data_seq) {
            return;
        }
        tcb.rcv_nxt = Some(data_seq + p.payload.len() as u32);
        let text = String::from_utf8_lossy(&p.payload[..p.payload.len().min(READ_TEXT_MAX)]).into();
        let read = AppRead {
            text,
            len: p.payload.len() as u32,
            stale_from: None,
        };
        self.record(side, Some(id), at, EventKind::Read(Box::new(read)));
    }

    /// TIME-WAIT (RFC 9293 §3.10.7.4), or straight through it when the capture shows the host kept
    /// none (Linux with `tcp_max_tw_buckets` at 0: it answers what follows with RST).
    fn enter_time_wait(
        &mut self,
        i: usize,
        side: Side,
        at: Instant,
        cause: Cause,
        p: &Packet,
        later: &[&Packet],
    ) {
        self.set(i, side, at, State::TimeWait, cause);
        if skips_time_wait(later, p.dst, p.src) {
            self.set(i, side, at, State::Closed, Cause::TimeWaitSkipped);
        } else {
            self.arm_time_wait(i, side, at, false);
        }
    }

    fn arm_time_wait(&mut self, i: usize, side: Side, at: Instant, restart: bool) {
        let expires = at + TIME_WAIT;
        self.conns[i].tcbs[side as usize].time_wait_until = Some(expires);
        let id = self.conns[i].id;
        let arm = TimerArm {
            timer: Timer::TimeWait,
            expires,
            restart,
        };
        self.record(side, Some(id), at, EventKind::TimerArmed(arm));
    }

    /// Sides still in TIME-WAIT when the capture ends: their 60 s run out.
    fn expire_time_waits(&mut self) {
        for i in 0..self.conns.len() {
            for side in [Side::Client, Side::Server] {
                if let Some(at) = self.conns[i].tcbs[side as usize].time_wait_until.take() {
                    let id = self.conns[i].id;
                    self.timer_ends(side, id, at, Timer::TimeWait, true);
                    self.set(i, side, at, State::Closed, Cause::TimeWaitExpired);
                }
            }
        }
    }

    fn timer_ends(&mut self, side: Side, id: u32, at: Instant, timer: Timer, fired: bool) {
        let kind = if fired {
            EventKind::TimerFired { timer }
        } else {
            EventKind::TimerCancelled { timer }
        };
        self.record(side, Some(id), at, kind);
    }

    fn set(&mut self, i: usize, side: Side, at: Instant, to: State, cause: Cause) {
        let tcb = &mut self.conns[i].tcbs[side as usize];
        let from = tcb.state.unwrap_or(if side == Side::Server {
            State::Listen
        } else {
            State::Closed
        });
        tcb.state = Some(to);
        if to == State::Closed {
            tcb.time_wait_until = None;
        }
        let id = self.conns[i].id;
        self.state(side, Some(id), at, from, to, cause);
    }

    fn state(
        &mut self,
        side: Side,
        conn: Option<u32>,
        at: Instant,
        from: State,
        to: State,
        cause: Cause,
    ) {
        let change = StateChange { from, to, cause };
        self.record(side, conn, at, EventKind::State(change));
    }

    fn record(&mut self, side: Side, conn: Option<u32>, at: Instant, kind: EventKind) {
        self.events.push(Event {
            at,
            side,
            conn,
            kind,
        });
    }
}

/// Half the shortest time from a client's SYN to the ACK that completes its handshake: one way,
/// wherever the capture was taken. Without a handshake, half the shortest turn-around seen.
fn handshake_delay(packets: &[&Packet], server: Addr) -> Duration {
    let to_server = |p: &Packet| p.dst == server;
    let mut best: Option<std::time::Duration> = None;
    for (k, syn) in packets.iter().enumerate() {
        if !(syn.opens() && to_server(syn)) {
            continue;
        }
        let rest = &packets[k..];
        let syn_ack = rest.iter().find(|p| {
            p.src == server
                && p.dst == syn.src
                && p.flags.syn
                && p.flags.ack
                && p.ack == syn.seq + 1
        });
        let completes = syn_ack.and_then(|sa| {
            rest.iter().find(|p| {
                p.src == syn.src
                    && to_server(p)
                    && p.flags.ack
                    && !p.flags.syn
                    && p.ack == sa.seq + 1
            })
        });
        if let Some(ack) = completes {
            let rtt = ack.at.saturating_sub(syn.at);
            best = Some(best.map_or(rtt, |b| b.min(rtt)));
        }
    }
    let turn = best.unwrap_or_else(|| {
        packets
            .windows(2)
            .filter(|w| to_server(w[0]) != to_server(w[1]))
            .map(|w| w[1].at.saturating_sub(w[0].at))
            .min()
            .unwrap_or_default()
    });
    Duration((turn.as_micros() / 2) as u64)
}

/// Which segments the capture recorded but the peer never received, by what followed them (the
/// capture point sees a segment before the network loses it):
/// - data or a SYN or FIN that its sender sends again before the peer acknowledged any of it;
/// - an ACK whose peer later retransmits what it acknowledged (as the passive closer retransmits its
///   FIN when the last ACK is lost). A one-byte probe at the acknowledged edge is not such a sign.
fn lost(packets: &[&Packet]) -> Vec<bool> {
    let epochs = incarnations(packets);
    let mut lost = vec![false; packets.len()];
    // One pass from the end. Per incarnation and sender: where it next sends each sequence number
    // again, and the lowest end of the data it sends later (one-byte probes apart).
    let mut next_send: HashMap<(u32, Addr, SeqNum), usize> = HashMap::new();
    let mut lowest: HashMap<(u32, Addr), (Option<SeqNum>, Option<SeqNum>)> = HashMap::new();
    let lower = |a: Option<SeqNum>, b: SeqNum| Some(a.map_or(b, |a| if a.lt(b) { a } else { b }));
    for k in (0..packets.len()).rev() {
        let (p, e) = (packets[k], epochs[k]);
        if p.seq_len() > 0 {
            if let Some(&n) = next_send.get(&(e, p.src, p.seq)) {
                // Sent again: lost unless the peer acknowledged some of it in between.
                lost[k] = !packets[k + 1..n]
                    .iter()
                    .zip(&epochs[k + 1..n])
                    .any(|(q, &qe)| qe == e && q.src == p.dst && q.flags.ack && p.seq.lt(q.ack));
            }
            next_send.insert((e, p.src, p.seq), k);
            let end = p.seq + p.seq_len();
            let (data, probes) = lowest.entry((e, p.src)).or_default();
            if p.payload.len() == 1 && !p.flags.syn && !p.flags.fin {
                *probes = lower(*probes, end);
            } else {
                *data = lower(*data, end);
            }
        } else if p.flags.ack && !p.flags.rst {
            // Lost if the peer later sends again what this acknowledged; a probe at the edge it
            // acknowledged does not count.
            if let Some(&(data, probes)) = lowest.get(&(e, p.dst)) {
                lost[k] = data.is_some_and(|d| d.le(p.ack)) || probes.is_some_and(|d| d.lt(p.ack));
            }
        }
    }
    lost
}

/// Which incarnation of its socket pair each segment belongs to: a new one starts with an opening SYN
/// once the previous one has begun to close (a FIN or RST seen), whatever its ISN.
fn incarnations(packets: &[&Packet]) -> Vec<u32> {
    // Per socket pair: its two ends, its incarnation, and whether that one has begun to close.
    let mut pairs: Vec<(Addr, Addr, u32, bool)> = Vec::new();
    packets
        .iter()
        .map(|p| {
            let (a, b) = if p.src < p.dst {
                (p.src, p.dst)
            } else {
                (p.dst, p.src)
            };
            let i = match pairs.iter().position(|e| e.0 == a && e.1 == b) {
                Some(i) => i,
                None => {
                    pairs.push((a, b, 0, false));
                    pairs.len() - 1
                }
            };
            let entry = &mut pairs[i];
            if p.opens() && entry.3 {
                entry.2 += 1;
                entry.3 = false;
            }
            entry.3 |= p.flags.fin || p.flags.rst;
            // Distinct for every pair and incarnation.
            (i as u32) << 16 | entry.2
        })
        .collect()
}

/// Whether the server answers the opening SYN `syn` with a SYN,ACK (before the client opens again).
fn answered(later: &[&Packet], syn: &Packet) -> bool {
    later
        .iter()
        .take_while(|q| !(q.opens() && q.src == syn.src))
        .any(|q| {
            q.src == syn.dst
                && q.dst == syn.src
                && q.flags.syn
                && q.flags.ack
                && q.ack == syn.seq + 1
        })
}

/// Whether the host at `host` answers its peer with a RST later on, before a new connection: then it
/// kept no TIME-WAIT.
fn skips_time_wait(later: &[&Packet], host: Addr, peer: Addr) -> bool {
    later
        .iter()
        .take_while(|q| !q.opens())
        .any(|q| q.src == host && q.dst == peer && q.flags.rst)
}
