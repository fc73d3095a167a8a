//! What the capture shows beyond each segment: the one-way delay, which segments were lost, which
//! incarnation of its socket pair each belongs to, and how a host answers later.

use crate::packet::{Addr, Packet};
use std::collections::HashMap;
use twlab_core::seq::SeqNum;
use twlab_core::time::Duration;

/// Half the shortest time from a client's SYN to the ACK that completes its handshake: one way,
/// wherever the capture was taken. Without a handshake, half the shortest turn-around seen.
pub(crate) fn handshake_delay(packets: &[&Packet], server: Addr) -> Duration {
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
pub(crate) fn lost(packets: &[&Packet]) -> Vec<bool> {
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
pub(crate) fn incarnations(packets: &[&Packet]) -> Vec<u32> {
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
pub(crate) fn answered(later: &[&Packet], syn: &Packet) -> bool {
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
pub(crate) fn skips_time_wait(later: &[&Packet], host: Addr, peer: Addr) -> bool {
    later
        .iter()
        .take_while(|q| !q.opens())
        .any(|q| q.src == host && q.dst == peer && q.flags.rst)
}
