//! A TCB's outputs as the hosts that run endpoints read them (the simulator in [`crate::sim`], and
//! twlab-drill's stack under test): after every input, [`next`] until `None`. Segments to send and
//! the TCB's verdict on the segment it was handed are the host's to act on; everything else is an
//! event for the trace, in one shape for every host.

use crate::discard::Discard;
use crate::endpoint::{AppEvent, Endpoint, Event};
use crate::segment::Segment;
use crate::trace::{AppRead, EventKind};

/// Longest text of a read kept in the trace (a bulk transfer's reads are counted, not copied).
pub const READ_TEXT_MAX: usize = 64;

pub enum Output {
    /// A segment to put on the wire.
    Transmit(Segment),
    /// The TCB threw away the segment it was handed, for this reason.
    Discarded(Discard),
    /// An event for the trace; for a read, also the bytes read (the host's socket keeps them).
    Record(EventKind, Vec<u8>),
}

/// The TCB's next output on connection `conn`, or `None` when it has said everything. Bytes read on a
/// connection other than the one they were sent on (an old duplicate) are marked stale in the trace.
pub fn next(ep: &mut Endpoint, conn: u32) -> Option<Output> {
    let kind = match ep.poll_event()? {
        Event::Transmit(seg) => return Some(Output::Transmit(seg)),
        Event::Discarded(why) => return Some(Output::Discarded(why)),
        Event::StateChanged(change) => EventKind::State(change),
        Event::TimerArmed(arm) => EventKind::TimerArmed(arm),
        Event::TimerCancelled { timer } => EventKind::TimerCancelled { timer },
        Event::TimerFired { timer } => EventKind::TimerFired { timer },
        Event::App(AppEvent::Read { bytes, tag }) => {
            let text = String::from_utf8_lossy(&bytes[..bytes.len().min(READ_TEXT_MAX)]).into();
            let read = EventKind::Read(Box::new(AppRead {
                text,
                len: bytes.len() as u32,
                stale_from: (tag != conn).then_some(tag),
            }));
            return Some(Output::Record(read, bytes));
        }
        Event::App(AppEvent::Connected) => EventKind::Connected,
        Event::App(AppEvent::Eof) => EventKind::Eof,
        Event::App(AppEvent::Closed) => EventKind::Closed,
        Event::App(AppEvent::Reset) => EventKind::Reset,
        Event::App(AppEvent::TimedOut) => EventKind::TimedOut,
    };
    Some(Output::Record(kind, Vec::new()))
}
