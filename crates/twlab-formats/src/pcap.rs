//! The run as a capture file that Wireshark and tshark open: every segment as a real IPv4/TCP packet
//! (RFC 791, RFC 9293 §3.1), or IPv6/TCP for a drawn IPv6 capture (RFC 8200), with correct checksums, stamped with the virtual time its sender put it on
//! the wire. A capture at the senders: a segment the network later loses is in it; a duplicate copy
//! the network makes is not (it was sent once).

use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::DataLink;
use std::net::IpAddr;
use twlab_core::scenario::Side;
use twlab_core::trace::{SegmentRecord, Trace};

const IPV4_HEADER: usize = 20;
const IPV6_HEADER: usize = 40;
const TCP_HEADER: usize = 20;
/// The most option space a TCP header has (its data offset is at most 15 words).
const MAX_OPTIONS: usize = 40;
const NOP: u8 = 1;
/// The latest timestamp a pcap file holds (32-bit seconds, microseconds).
const LAST_TIME: std::time::Duration = std::time::Duration::new(u32::MAX as u64, 999_999_000);
const TTL: u8 = 64;
const PROTO_TCP: u8 = 6;
/// What a capture keeps of each packet (the pcap default); the payload beyond it is cut, as a real
/// capture with this snap length would.
const SNAPLEN: usize = 65535;

/// The pcap file (LINKTYPE_IPV4, or LINKTYPE_IPV6 when an address is IPv6; microsecond timestamps
/// from the start of the run).
pub fn to_pcap(trace: &Trace) -> Vec<u8> {
    let header = PcapHeader {
        datalink: if v6(trace) {
            DataLink::IPV6
        } else {
            DataLink::IPV4
        },
        snaplen: SNAPLEN as u32,
        ..PcapHeader::default()
    };
    let mut writer = match PcapWriter::with_header(Vec::new(), header) {
        Ok(w) => w,
        Err(_) => unreachable!("writing a header to a Vec cannot fail"),
    };
    for (index, seg) in trace.segments.iter().enumerate() {
        let data = packet(trace, seg, index as u16);
        // pcap keeps 32-bit seconds: a drawn capture whose clock jumps further (a garbled pcapng
        // timestamp) is written at the last second pcap can hold rather than left out.
        let timestamp = std::time::Duration::from_micros(seg.sent.0).min(LAST_TIME);
        let shown = &data[..data.len().min(SNAPLEN)];
        // The packet fits the snap length and its time pcap's: the write cannot fail.
        let _ = writer.write_packet(&PcapPacket::new(timestamp, data.len() as u32, shown));
    }
    writer.into_writer()
}

fn v6(trace: &Trace) -> bool {
    trace.client_ip.is_ipv6() || trace.server_ip.is_ipv6()
}

/// An address as the packet carries it: IPv4 in an IPv6 packet as IPv4-mapped (RFC 4291 §2.5.5.2).
fn octets(ip: IpAddr, v6: bool) -> Vec<u8> {
    match ip {
        IpAddr::V4(a) if v6 => a.to_ipv6_mapped().octets().to_vec(),
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

/// One segment as an IPv4 or IPv6 packet.
fn packet(trace: &Trace, seg: &SegmentRecord, id: u16) -> Vec<u8> {
    let (src, dst) = match seg.id.from {
        Side::Client => (trace.client_ip, trace.server_ip),
        Side::Server => (trace.server_ip, trace.client_ip),
    };
    let v6 = v6(trace);
    let (src, dst) = (octets(src, v6), octets(dst, v6));
    let options = options(seg);
    let tcp_len = TCP_HEADER + options.len() + seg.payload.len();
    let mut p = Vec::with_capacity(IPV6_HEADER + tcp_len);
    if v6 {
        // Version 6, no traffic class or flow label; the payload length; next header TCP.
        p.extend_from_slice(&[0x60, 0, 0, 0]);
        p.extend_from_slice(&(tcp_len.min(usize::from(u16::MAX)) as u16).to_be_bytes());
        p.extend_from_slice(&[PROTO_TCP, TTL]);
        p.extend_from_slice(&src);
        p.extend_from_slice(&dst);
    } else {
        // An IPv4 packet is at most 65535 octets; only an absurd MSS gets near that.
        let total = (IPV4_HEADER + tcp_len).min(usize::from(u16::MAX)) as u16;
        p.extend_from_slice(&[0x45, 0]); // version 4, header 5 words; no DSCP/ECN
        p.extend_from_slice(&total.to_be_bytes());
        p.extend_from_slice(&id.to_be_bytes());
        p.extend_from_slice(&0x4000u16.to_be_bytes()); // don't fragment
        p.extend_from_slice(&[TTL, PROTO_TCP, 0, 0]); // checksum filled in below
        p.extend_from_slice(&src);
        p.extend_from_slice(&dst);
        let sum = checksum(0, &p);
        p[10..12].copy_from_slice(&sum.to_be_bytes());
    }

    let f = seg.flags;
    let flags =
        u8::from(f.fin) | u8::from(f.syn) << 1 | u8::from(f.rst) << 2 | u8::from(f.ack) << 4;
    let tcp = p.len();
    p.extend_from_slice(&seg.src_port.to_be_bytes());
    p.extend_from_slice(&seg.dst_port.to_be_bytes());
    p.extend_from_slice(&seg.seq.0.to_be_bytes());
    p.extend_from_slice(&seg.ack.0.to_be_bytes());
    p.push((((TCP_HEADER + options.len()) / 4) as u8) << 4);
    p.push(flags);
    p.extend_from_slice(&seg.window.to_be_bytes());
    p.extend_from_slice(&[0, 0, 0, 0]); // checksum, urgent pointer
    p.extend_from_slice(&options);
    p.extend_from_slice(&seg.payload);

    // The TCP checksum covers a pseudo-header: addresses, protocol and TCP length (RFC 9293 §3.1,
    // RFC 8200 §8.1); the sum is the same whichever order its fields come in.
    let mut pseudo = src;
    pseudo.extend_from_slice(&dst);
    pseudo.extend_from_slice(&[0, PROTO_TCP]);
    pseudo.extend_from_slice(&((tcp_len & 0xffff) as u16).to_be_bytes());
    let sum = checksum(sum_words(0, &pseudo), &p[tcp..]);
    p[tcp + 16..tcp + 18].copy_from_slice(&sum.to_be_bytes());
    p
}

/// The segment's options as Linux lays them out, each padded with NOPs to whole words: MSS
/// (RFC 9293 §3.2), SACK-permitted (RFC 2018 §2) sharing a word pair with the timestamps (RFC 7323
/// §3.2), window scale (RFC 7323 §2.2), and as many SACK blocks (RFC 2018 §3) as still fit.
fn options(seg: &SegmentRecord) -> Vec<u8> {
    let mut o = Vec::with_capacity(MAX_OPTIONS);
    let more = seg.options.as_deref().cloned().unwrap_or_default();
    if let Some(mss) = more.mss {
        o.extend_from_slice(&[2, 4]);
        o.extend_from_slice(&mss.to_be_bytes());
    }
    match (more.sack_permitted, seg.ts) {
        (true, Some(_)) => o.extend_from_slice(&[4, 2]),
        (true, None) => o.extend_from_slice(&[NOP, NOP, 4, 2]),
        (false, Some(_)) => o.extend_from_slice(&[NOP, NOP]),
        (false, None) => {}
    }
    if let Some(ts) = seg.ts {
        o.extend_from_slice(&[8, 10]);
        o.extend_from_slice(&ts.val.to_be_bytes());
        o.extend_from_slice(&ts.ecr.to_be_bytes());
    }
    if let Some(scale) = more.window_scale {
        o.extend_from_slice(&[NOP, 3, 3, scale]);
    }
    let room = MAX_OPTIONS.saturating_sub(o.len() + 4) / 8;
    let blocks = &more.sack[..more.sack.len().min(room)];
    if !blocks.is_empty() {
        o.extend_from_slice(&[NOP, NOP, 5, (2 + 8 * blocks.len()) as u8]);
        for [left, right] in blocks {
            o.extend_from_slice(&left.0.to_be_bytes());
            o.extend_from_slice(&right.0.to_be_bytes());
        }
    }
    o
}

/// The 32-bit running sum of `data` as big-endian 16-bit words (an odd last octet padded with zero).
fn sum_words(mut sum: u32, data: &[u8]) -> u32 {
    let mut words = data.chunks_exact(2);
    for w in &mut words {
        sum += u32::from(u16::from_be_bytes([w[0], w[1]]));
    }
    if let [last] = words.remainder() {
        sum += u32::from(*last) << 8;
    }
    sum
}

/// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum.
fn checksum(start: u32, data: &[u8]) -> u16 {
    let mut sum = sum_words(start, data);
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_rfc_1071s_example() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its complement.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(checksum(0, &data), !0xddf2);
        // A header with its checksum in place sums to zero.
        let mut with = data.to_vec();
        with.extend_from_slice(&checksum(0, &data).to_be_bytes());
        assert_eq!(checksum(0, &with), 0);
    }
}
