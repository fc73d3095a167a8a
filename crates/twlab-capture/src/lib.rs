//! Draw a real capture: the TCP connections between two hosts, read from a pcap or pcapng file
//! (tcpdump, tshark, Wireshark), as a [`Trace`] like a simulated one, so that the CLI and the page draw
//! it with the same diagram; and write a simulated run as a capture ([`export::to_pcap`]).
//!
//! A capture records each segment once, at one point, so each becomes one flight that takes the
//! one-way delay the handshakes show (half the time from a SYN to the ACK that completes it). Each
//! side's states are what a passive observer can infer from the segments: the transitions of RFC 9293
//! §3.10.7 that segments drive, with the applications' closes read off the FINs. TIME-WAIT is taken to
//! last 60 s, as on Linux, unless a new SYN reuses the socket pair sooner.
//!
//! - `container`: the pcap or pcapng file, packet by packet.
//! - `packet`: the TCP segment in one link-layer frame.
//! - `observer`, `states`, `losses`: the passive observer, what segments do to each side's states,
//!   and which segments were lost; `build`: the trace it draws.
//! - [`export`]: a trace as a pcap file.

mod build;
mod container;
pub mod export;
mod losses;
mod observer;
mod packet;
mod states;

use std::fmt;
use twlab_core::Trace;

pub use export::to_pcap;

/// How many segments are drawn at most; a longer capture is cut there, and the trace says so.
pub const MAX_SEGMENTS: usize = 100_000;

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
    let packets = container::read(bytes)?;
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
    Ok(observer::Observer::new(name, &packets).run())
}
