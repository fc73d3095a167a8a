//! The capture file: a pcap or pcapng container, packet by packet, each decoded by [`crate::packet`].

use crate::packet::{decode, Packet};
use crate::{CaptureError, MAX_SEGMENTS};
use pcap_file::pcap::PcapParser;
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption,
};
use pcap_file::pcapng::{Block, PcapNgParser};
use pcap_file::{DataLink, PcapError};

/// What the file held: its TCP segments, how many packets in all, and whether it was cut short.
pub(crate) struct Packets {
    pub tcp: Vec<Packet>,
    pub total: usize,
    pub truncated: bool,
    pub unsupported: Option<u32>,
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

pub(crate) fn read(bytes: &[u8]) -> Result<Packets, CaptureError> {
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
