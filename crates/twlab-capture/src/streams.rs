//! The capture's TCP streams, numbered as Wireshark numbers them (`tcp.stream`): from 0, in the order
//! of their first packet, one per socket pair, and a new one when an opening SYN (no ACK) on a pair
//! carries another sequence number than the first its sender used there (Wireshark's port-reuse rule
//! in `packet-tcp.c`: a retransmitted SYN repeats its number and stays in its stream; a SYN,ACK never
//! starts one).

use crate::packet::{Addr, Packet};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write;
use twlab_core::scenario::Side;
use twlab_core::seq::SeqNum;

/// One TCP stream of the capture.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stream {
    /// Wireshark's `tcp.stream`.
    pub index: u32,
    /// The side that opened (sent the SYN), or failing a SYN, the one on the higher port.
    pub client: Addr,
    pub server: Addr,
    pub packets: usize,
    pub ending: Ending,
}

/// How a stream ended, as its last segments show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Ending {
    /// Both sides sent a FIN; `first` sent the first one (the active closer, RFC 9293 §3.6).
    Closed { first: Side },
    /// Only `by` sent a FIN.
    HalfClosed { by: Side },
    /// `by` sent a RST.
    Reset { by: Side },
    /// No FIN, no RST.
    Open,
}

impl Ending {
    pub fn describe(self) -> String {
        match self {
            Ending::Closed { first } => format!("closed, the {} first", first.name()),
            Ending::HalfClosed { by } => format!("half-closed by the {}", by.name()),
            Ending::Reset { by } => format!("reset by the {}", by.name()),
            Ending::Open => "still open".into(),
        }
    }
}

/// The socket pair a packet travels on, the same both ways.
pub(crate) fn pair(p: &Packet) -> (Addr, Addr) {
    if p.src < p.dst {
        (p.src, p.dst)
    } else {
        (p.dst, p.src)
    }
}

/// The first sequence number seen each way on a socket pair.
type Bases = [Option<SeqNum>; 2];

/// Every stream, and the stream of each packet.
pub(crate) fn number(packets: &[Packet]) -> (Vec<Stream>, Vec<u32>) {
    // Per socket pair: its current stream, and the first sequence number each way (Wireshark's
    // base_seq: a SYN's own, or one before the first segment seen).
    let mut current: HashMap<(Addr, Addr), (u32, Bases)> = HashMap::new();
    let mut of = Vec::with_capacity(packets.len());
    let mut count = 0u32;
    for p in packets {
        let key = pair(p);
        let way = usize::from(p.src != key.0);
        let reused = |(_, base): &(u32, Bases)| p.opens() && base[way].is_some_and(|b| b != p.seq);
        let entry = current.entry(key).or_insert((count, [None; 2]));
        if entry.0 == count || reused(entry) {
            *entry = (count, [None; 2]);
            count += 1;
        }
        let first = if p.flags.syn { p.seq } else { p.seq - 1 };
        entry.1[way].get_or_insert(first);
        of.push(entry.0);
    }
    let mut members: Vec<Vec<&Packet>> = vec![Vec::new(); count as usize];
    for (p, &s) in packets.iter().zip(&of) {
        members[s as usize].push(p);
    }
    let streams = members
        .iter()
        .enumerate()
        .map(|(index, ps)| describe(index as u32, ps))
        .collect();
    (streams, of)
}

fn describe(index: u32, packets: &[&Packet]) -> Stream {
    let (client, server) = roles(packets);
    let side = |p: &Packet| {
        if p.src == client {
            Side::Client
        } else {
            Side::Server
        }
    };
    let first = |test: fn(&Packet) -> bool| packets.iter().find(|p| test(p)).map(|p| side(p));
    let fins = |s: Side| packets.iter().any(|p| p.flags.fin && side(p) == s);
    let ending = match (first(|p| p.flags.rst), first(|p| p.flags.fin)) {
        (Some(by), _) => Ending::Reset { by },
        (None, Some(first)) if fins(first.peer()) => Ending::Closed { first },
        (None, Some(by)) => Ending::HalfClosed { by },
        (None, None) => Ending::Open,
    };
    Stream {
        index,
        client,
        server,
        packets: packets.len(),
        ending,
    }
}

/// Client and server: the sender of the first opening SYN is the client; failing that, the receiver of
/// a SYN,ACK; failing both, the side on the higher (ephemeral) port.
pub(crate) fn roles(packets: &[&Packet]) -> (Addr, Addr) {
    if let Some(syn) = packets.iter().find(|p| p.opens()) {
        return (syn.src, syn.dst);
    }
    if let Some(syn_ack) = packets.iter().find(|p| p.flags.syn) {
        return (syn_ack.dst, syn_ack.src);
    }
    let p = packets[0];
    if p.src.port() > p.dst.port() {
        (p.src, p.dst)
    } else {
        (p.dst, p.src)
    }
}

/// The streams as `twlab streams` lists them, one line each.
pub fn to_text(streams: &[Stream]) -> String {
    let width = |a: fn(&Stream) -> Addr| {
        let longest = streams.iter().map(|s| a(s).to_string().len()).max();
        longest.unwrap_or(0).max(6)
    };
    let (c, w) = (width(|s| s.client), width(|s| s.server));
    let mut out = format!(
        "stream  {:<c$}  {:<w$}  packets  ended\n",
        "client", "server"
    );
    for s in streams {
        let _ = writeln!(
            out,
            "{:<6}  {:<c$}  {:<w$}  {:>7}  {}",
            s.index,
            s.client.to_string(),
            s.server.to_string(),
            s.packets,
            s.ending.describe()
        );
    }
    out
}
