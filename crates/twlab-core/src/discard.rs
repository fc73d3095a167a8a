//! Why a TCP endpoint discarded an arriving segment, each reason with the RFC section that says so.
//! The trace marks the delivery it concerns (`"discarded": {"reason": "paws", "rfc": "RFC 7323 §5.3"}`),
//! so that the page narrates what the core decided rather than working it out again.

use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Discard {
    /// PAWS: its timestamp is older than the newest one the connection has seen; ACK it and drop it.
    Paws,
    /// Outside the receive window (the acceptability test); ACK it, unless it is a RST.
    OutsideWindow,
    /// A RST inside the window but not at RCV.NXT: answered with a challenge ACK.
    RstChallenge,
    /// A RST in TIME-WAIT, ignored (RFC 1337's fix for TIME-WAIT assassination).
    RstInTimeWait,
    /// A SYN on a synchronized connection: answered with a challenge ACK.
    SynChallenge,
    /// Without the ACK bit, past the handshake.
    NoAck,
    /// It acknowledges data not yet sent: ACK it and drop it.
    AckOfUnsent,
    /// In SYN-RECEIVED, an ACK that does not acknowledge the SYN: answered with RST.
    BadAckInSynReceived,
    /// In SYN-SENT, an ACK that does not acknowledge the SYN (answered with RST unless it is one), a RST
    /// without such an ACK, or a segment with neither SYN nor RST.
    SynSentUnacceptable,
    /// No connection: answered with RST unless it is one.
    NoConnection,
    /// No connection, and the port listens, but for a SYN: dropped, or answered with RST if it has ACK.
    NoConnectionListening,
}

impl Discard {
    pub fn name(self) -> &'static str {
        match self {
            Discard::Paws => "paws",
            Discard::OutsideWindow => "outside_window",
            Discard::RstChallenge => "rst_challenge",
            Discard::RstInTimeWait => "rst_in_time_wait",
            Discard::SynChallenge => "syn_challenge",
            Discard::NoAck => "no_ack",
            Discard::AckOfUnsent => "ack_of_unsent",
            Discard::BadAckInSynReceived => "bad_ack_in_syn_received",
            Discard::SynSentUnacceptable => "syn_sent_unacceptable",
            Discard::NoConnection => "no_connection",
            Discard::NoConnectionListening => "no_connection_listening",
        }
    }

    /// The rule's source.
    pub fn rfc(self) -> &'static str {
        match self {
            Discard::Paws => "RFC 7323 §5.3",
            Discard::OutsideWindow => "RFC 9293 §3.10.7.4",
            Discard::RstChallenge => "RFC 5961 §3.2",
            Discard::RstInTimeWait => "RFC 1337",
            Discard::SynChallenge => "RFC 5961 §4",
            Discard::NoAck | Discard::AckOfUnsent | Discard::BadAckInSynReceived => {
                "RFC 9293 §3.10.7.4"
            }
            Discard::SynSentUnacceptable => "RFC 9293 §3.10.7.3",
            Discard::NoConnection => "RFC 9293 §3.10.7.1",
            Discard::NoConnectionListening => "RFC 9293 §3.10.7.2",
        }
    }
}

impl fmt::Display for Discard {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} ({})", self.name().replace('_', " "), self.rfc())
    }
}

/// `{"reason": "paws", "rfc": "RFC 7323 §5.3"}`.
impl Serialize for Discard {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("Discard", 2)?;
        out.serialize_field("reason", self.name())?;
        out.serialize_field("rfc", self.rfc())?;
        out.end()
    }
}
