//! One link-layer frame: the TCP segment it carries, if any.

use etherparse::{NetSlice, SlicedPacket, TcpOptionElement, TransportSlice};
use pcap_file::DataLink;
use std::net::{IpAddr, SocketAddr};
use twlab_core::segment::{Flags, Options, Timestamps};
use twlab_core::seq::SeqNum;

/// An IPv4 or IPv6 address and a port: one end of a socket pair.
pub(crate) type Addr = SocketAddr;

/// One TCP segment over IPv4 or IPv6 as recorded.
pub(crate) struct Packet {
    pub at: std::time::Duration,
    pub src: Addr,
    pub dst: Addr,
    pub seq: SeqNum,
    pub ack: SeqNum,
    pub flags: Flags,
    pub window: u16,
    pub payload: Vec<u8>,
    pub ts: Option<Timestamps>,
    pub options: Option<Box<Options>>,
}

impl Packet {
    /// A SYN that opens (not a SYN,ACK that answers).
    pub fn opens(&self) -> bool {
        self.flags.syn && !self.flags.ack
    }

    pub fn seq_len(&self) -> u32 {
        self.payload.len() as u32 + u32::from(self.flags.syn) + u32::from(self.flags.fin)
    }
}

/// The TCP segment in one link-layer frame, if it carries one over IPv4 or IPv6; `Err` names a link type
/// this reader does not know.
pub(crate) fn decode(link: DataLink, data: &[u8]) -> Result<Option<Packet>, u32> {
    let sliced = match link {
        DataLink::ETHERNET => SlicedPacket::from_ethernet(data),
        DataLink::RAW | DataLink::IPV4 | DataLink::IPV6 => SlicedPacket::from_ip(data),
        DataLink::LINUX_SLL => SlicedPacket::from_linux_sll(data),
        // SLL2 (`tcpdump -i any`) has a 20-byte header; BSD loopback a 4-byte address family.
        DataLink::LINUX_SLL2 => SlicedPacket::from_ip(data.get(20..).unwrap_or_default()),
        DataLink::NULL | DataLink::LOOP => SlicedPacket::from_ip(data.get(4..).unwrap_or_default()),
        other => return Err(u32::from(other)),
    };
    let Ok(SlicedPacket {
        net: Some(net),
        transport: Some(TransportSlice::Tcp(tcp)),
        ..
    }) = sliced
    else {
        return Ok(None);
    };
    let (src, dst): (IpAddr, IpAddr) = match net {
        NetSlice::Ipv4(ip) => (
            ip.header().source_addr().into(),
            ip.header().destination_addr().into(),
        ),
        NetSlice::Ipv6(ip) => (
            ip.header().source_addr().into(),
            ip.header().destination_addr().into(),
        ),
        NetSlice::Arp(_) => return Ok(None),
    };
    Ok(Some(Packet {
        at: std::time::Duration::ZERO,
        src: SocketAddr::new(src, tcp.source_port()),
        dst: SocketAddr::new(dst, tcp.destination_port()),
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
        options: options(tcp.options_iterator()),
    }))
}

/// MSS, SACK-permitted, SACK blocks and window scale (RFC 9293, RFC 2018, RFC 7323), if the segment has
/// any; an
/// option cut short ends the list, as it ends the receiver's parse.
fn options<E>(iter: impl Iterator<Item = Result<TcpOptionElement, E>>) -> Option<Box<Options>> {
    let mut o = Options::default();
    for option in iter.map_while(Result::ok) {
        match option {
            TcpOptionElement::MaximumSegmentSize(mss) => o.mss = Some(mss),
            TcpOptionElement::SelectiveAcknowledgementPermitted => o.sack_permitted = true,
            TcpOptionElement::WindowScale(scale) => o.window_scale = Some(scale),
            TcpOptionElement::SelectiveAcknowledgement(first, rest) => {
                let blocks = std::iter::once(first).chain(rest.into_iter().flatten());
                o.sack.extend(blocks.map(|(l, r)| [SeqNum(l), SeqNum(r)]));
            }
            _ => {}
        }
    }
    (!o.is_empty()).then(|| Box::new(o))
}
