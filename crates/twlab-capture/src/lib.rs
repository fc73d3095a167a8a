//! Draw a real capture: one TCP stream of a pcap or pcapng file (tcpdump, tshark, Wireshark; IPv4 or
//! IPv6), with the other streams on its socket pair, as a [`Trace`] like a simulated one, so that the
//! CLI and the page draw it with the same diagram. (Writing a trace as a capture is twlab-formats'.)
//!
//! A capture records each segment once, at one point, so each becomes one flight that takes the
//! one-way delay the handshakes show (half the time from a SYN to the ACK that completes it). Each
//! side's states are what a passive observer can infer from the segments: the transitions of RFC 9293
//! §3.10.7 that segments drive, with the applications' closes read off the FINs. TIME-WAIT is taken to
//! last 60 s, as on Linux, unless a new SYN reuses the socket pair sooner.
//!
//! - `container`: the pcap or pcapng file, packet by packet.
//! - `packet`: the TCP segment in one link-layer frame.
//! - [`streams`]: the TCP streams, numbered as Wireshark's `tcp.stream`.
//! - `observer`, `states`, `losses`: the passive observer, what segments do to each side's states,
//!   and which segments were lost; `build`: the trace it draws.

mod build;
mod container;
mod losses;
mod observer;
mod packet;
mod states;
pub mod streams;

use container::Packets;
use observer::Observer;
use std::fmt;
use std::net::SocketAddr;
use twlab_core::error::ErrorData;
use twlab_core::Trace;

pub use streams::{Ending, Stream};

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
    /// A readable capture without a single TCP segment over IPv4 or IPv6.
    NoTcp { packets: usize },
    /// A stream number past the capture's last.
    NoStream { stream: u32, streams: usize },
}

impl CaptureError {
    /// A stable name for the kind of problem, for the page's own words in each language.
    pub fn kind(&self) -> &'static str {
        match self {
            CaptureError::NotACapture => "not_a_capture",
            CaptureError::Truncated => "truncated",
            CaptureError::UnsupportedLink(_) => "unsupported_link",
            CaptureError::NoTcp { .. } => "no_tcp",
            CaptureError::NoStream { .. } => "no_stream",
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
                write!(f, "the capture holds {packets} packets but no TCP segment")
            }
            CaptureError::NoStream { stream, streams } => write!(
                f,
                "there is no TCP stream {stream}: the capture has {streams} (0 to {})",
                streams - 1
            ),
        }
    }
}

impl std::error::Error for CaptureError {}

impl From<&CaptureError> for ErrorData {
    fn from(e: &CaptureError) -> Self {
        ErrorData {
            kind: e.kind(),
            message: e.to_string(),
            field: None,
            problem: None,
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

/// Read `bytes` (a pcap or pcapng file) and draw its first TCP stream (`tcp.stream` 0).
/// `name` (the file's name) titles the trace.
pub fn import(name: &str, bytes: &[u8]) -> Result<Trace, CaptureError> {
    open(bytes)?.draw(name, 0)
}

/// A capture file read: its TCP segments, numbered into streams.
pub struct Capture {
    packets: Packets,
    streams: Vec<Stream>,
    /// The stream of each segment.
    stream_of: Vec<u32>,
}

/// Read `bytes` (a pcap or pcapng file); an error says why it holds nothing to draw.
pub fn open(bytes: &[u8]) -> Result<Capture, CaptureError> {
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
    let (streams, stream_of) = streams::number(&packets.tcp);
    Ok(Capture {
        packets,
        streams,
        stream_of,
    })
}

impl Capture {
    /// Every TCP stream, as Wireshark numbers them.
    pub fn streams(&self) -> &[Stream] {
        &self.streams
    }

    /// Draw stream `index` with every other stream on its socket pair: they are incarnations of one
    /// pair (the connections c1, c2, … of the trace), and TIME-WAIT is about what one leaves the next.
    pub fn draw(&self, name: &str, index: u32) -> Result<Trace, CaptureError> {
        let stream = self
            .streams
            .get(index as usize)
            .ok_or(CaptureError::NoStream {
                stream: index,
                streams: self.streams.len(),
            })?;
        let ends = pair_of(stream.client, stream.server);
        let on_pair: Vec<u32> = (self.streams.iter())
            .filter(|s| pair_of(s.client, s.server) == ends)
            .map(|s| s.index)
            .collect();
        let packets = (self.packets.tcp.iter().zip(&self.stream_of))
            .filter(|(_, s)| on_pair.contains(s))
            .map(|(p, _)| p)
            .take(MAX_SEGMENTS)
            .collect();
        let mut title = format!("{name}: {} to {}", stream.client, stream.server);
        let mut notes = Vec::new();
        if self.packets.truncated {
            notes.push("the capture file is cut short; drawn up to the cut".to_string());
        }
        // The other streams are not a cut (the page offers them, `twlab streams` lists them): the
        // title names the ones drawn.
        if self.streams.len() > 1 {
            let numbers: Vec<String> = on_pair.iter().map(u32::to_string).collect();
            title += &format!(" (tcp.stream {})", numbers.join(", "));
        }
        let observer = Observer::new(title, packets, stream.client, stream.server);
        Ok(observer.run(notes))
    }
}

fn pair_of(a: SocketAddr, b: SocketAddr) -> (SocketAddr, SocketAddr) {
    (a.min(b), a.max(b))
}
