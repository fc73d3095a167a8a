//! A TCP segment as the simulation sees it: the header fields that matter for the connection
//! lifecycle (RFC 9293 §3.1) and the payload bytes.

use crate::seq::SeqNum;
use serde::{Serialize, Serializer};
use std::fmt;

/// The control bits this lab needs (URG and PSH change nothing about opening or closing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags {
    pub syn: bool,
    pub ack: bool,
    pub fin: bool,
    pub rst: bool,
}

impl Flags {
    pub const SYN: Flags = Flags {
        syn: true,
        ack: false,
        fin: false,
        rst: false,
    };
    pub const SYN_ACK: Flags = Flags {
        syn: true,
        ack: true,
        fin: false,
        rst: false,
    };
    pub const ACK: Flags = Flags {
        syn: false,
        ack: true,
        fin: false,
        rst: false,
    };
    pub const FIN_ACK: Flags = Flags {
        syn: false,
        ack: true,
        fin: true,
        rst: false,
    };
    pub const RST: Flags = Flags {
        syn: false,
        ack: false,
        fin: false,
        rst: true,
    };
    pub const RST_ACK: Flags = Flags {
        syn: false,
        ack: true,
        fin: false,
        rst: true,
    };
}

impl fmt::Display for Flags {
    /// tcpdump's notation: `S`, `S.`, `F.`, `R`, `.` for a pure ACK.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (on, c) in [
            (self.syn, 'S'),
            (self.fin, 'F'),
            (self.rst, 'R'),
            (self.ack, '.'),
        ] {
            if on {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for Flags {
    /// As a list of names, `["SYN","ACK"]`, which reads well in JSON and in the page.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let names: Vec<&str> = [
            (self.syn, "SYN"),
            (self.fin, "FIN"),
            (self.rst, "RST"),
            (self.ack, "ACK"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        names.serialize(s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub src_port: u16,
    pub dst_port: u16,
    pub seq: SeqNum,
    pub ack: SeqNum,
    pub flags: Flags,
    pub window: u16,
    pub payload: Vec<u8>,
    /// The TCP timestamps option (RFC 7323 §3), when the connection uses it.
    pub ts: Option<Timestamps>,
    /// MSS, SACK-permitted and window scale, on a SYN that offers them.
    pub options: Option<Box<Options>>,
}

/// TSval and TSecr of the timestamps option (RFC 7323 §3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Timestamps {
    pub val: u32,
    pub ecr: u32,
}

/// The options other than timestamps: MSS (RFC 9293 §3.7.1), SACK-permitted and SACK blocks (RFC 2018
/// §2, §3) and window scale (RFC 7323 §2). The simulation's SYNs offer MSS, and SACK-permitted and window
/// scale as its parameters say; it sends no SACK blocks. A drawn capture keeps what it saw, and the pcap
/// export writes them back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Options {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mss: Option<u16>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sack_permitted: bool,
    /// Left and right edges of each block, absolute.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sack: Vec<[SeqNum; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_scale: Option<u8>,
}

impl Options {
    pub fn is_empty(&self) -> bool {
        *self == Options::default()
    }
}

impl Timestamps {
    /// `a` is older than `b` in the modular sense of RFC 7323 §5.2 (timestamps wrap like sequence numbers).
    pub fn older(a: u32, b: u32) -> bool {
        (a.wrapping_sub(b) as i32) < 0
    }
}

impl Segment {
    /// SEG.LEN: octets of data plus one for SYN and one for FIN (RFC 9293 §3.4).
    pub fn seq_len(&self) -> u32 {
        self.payload.len() as u32 + u32::from(self.flags.syn) + u32::from(self.flags.fin)
    }

    /// The reply to this segment when it reaches no TCB. LISTEN (RFC 9293 §3.10.7.2) and CLOSED
    /// (§3.10.7.1) answer alike here: an incoming RST is dropped; a segment with ACK gets
    /// <SEQ=SEG.ACK><CTL=RST>; in CLOSED one without ACK gets <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>;
    /// in LISTEN anything else is dropped (a SYN there makes a TCB instead).
    pub fn reset_for_no_tcb(&self, listening: bool) -> Option<Segment> {
        let (seq, ack, flags) = if self.flags.rst {
            return None;
        } else if self.flags.ack {
            (self.ack, SeqNum(0), Flags::RST)
        } else if !listening {
            (SeqNum(0), self.seq + self.seq_len(), Flags::RST_ACK)
        } else {
            return None;
        };
        Some(Segment {
            src_port: self.dst_port,
            dst_port: self.src_port,
            seq,
            ack,
            flags,
            window: 0,
            payload: Vec::new(),
            ts: None,
            options: None,
        })
    }
}
