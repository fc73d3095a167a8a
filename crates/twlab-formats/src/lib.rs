//! twlab's scenarios and traces written out for people and other tools: none of this is TCP, and the
//! simulator ([`twlab_core`]) knows nothing of it.
//!
//! - [`link`]: a scenario and the reader's place in it as a share link, and back.
//! - [`text`]: a trace as a tcpdump-like listing.
//! - [`mermaid`]: a trace as a static Mermaid `sequenceDiagram`.
//! - [`pcap`]: a trace as a capture file for Wireshark and tshark.
//!
//! Reading captures is the `twlab-capture` crate's.

pub mod link;
pub mod mermaid;
pub mod pcap;
pub mod text;

pub use mermaid::to_mermaid;
pub use pcap::to_pcap;
pub use text::to_text;
