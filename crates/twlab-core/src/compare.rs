//! Two runs side by side: where they first part. The page's fork view (a run and the same scenario
//! with other segment fates) and any two traces of one scenario are compared event by event; the
//! first event that is not the same in both is the difference the page marks.
//!
//! Events name segments by their index in [`Trace::segments`], which two runs may number apart, so
//! a segment is compared by what it is: its stable identity, its numbers, flags and payload, its
//! fate. A segment that differs only in its fate (the reader lost, delayed or gave it back) is a
//! [`DifferenceKind::Fate`]; every later event is a consequence and is not reported.

use crate::scenario::{SegmentId, Side};
use crate::time::Instant;
use crate::trace::{Event, EventKind, SegmentRecord, Trace};
use serde::Serialize;

/// What the first differing event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DifferenceKind {
    /// The same segment with another fate (lost, delayed, duplicated, or delivered).
    Fate,
    /// A segment sent, delivered, lost or expired in one run but not the same in the other.
    Segment,
    /// A side's state changed differently.
    State,
    /// A timer was armed, cancelled or fired differently.
    Timer,
    /// An application call or what an application saw (connected, read, end of stream, reset, …).
    App,
    /// One run ended while the other went on.
    End,
}

/// Where two runs first part: the index of the first event that differs in each (`None` for a run
/// that has no more events), its time, side and kind, and the segment when it is about one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub kind: DifferenceKind,
    pub before: Option<u32>,
    pub after: Option<u32>,
    pub at: Instant,
    pub side: Side,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<SegmentId>,
}

/// The first event at which `after` is not the same run as `before`; `None` if they are the same
/// event for event.
pub fn first_difference(before: &Trace, after: &Trace) -> Option<Difference> {
    let pairs = before.events.iter().zip(&after.events).enumerate();
    for (i, (a, b)) in pairs {
        if let Some(kind) = differ(before, a, after, b) {
            let index = Some(i as u32);
            return Some(Difference {
                kind,
                before: index,
                after: index,
                at: a.at.min(b.at),
                side: if a.at <= b.at { a.side } else { b.side },
                segment: segment_of(before, a),
            });
        }
    }
    let common = before.events.len().min(after.events.len());
    let (trace, index) = match before.events.len().cmp(&after.events.len()) {
        std::cmp::Ordering::Equal => return None,
        std::cmp::Ordering::Greater => (before, (Some(common as u32), None)),
        std::cmp::Ordering::Less => (after, (None, Some(common as u32))),
    };
    let e = &trace.events[common];
    Some(Difference {
        kind: DifferenceKind::End,
        before: index.0,
        after: index.1,
        at: e.at,
        side: e.side,
        segment: segment_of(trace, e),
    })
}

/// The segment an event is about, with the trace that numbers it.
fn record<'a>(trace: &'a Trace, e: &Event) -> Option<&'a SegmentRecord> {
    let index = match e.kind {
        EventKind::Send { segment }
        | EventKind::Deliver { segment, .. }
        | EventKind::Drop { segment, .. }
        | EventKind::Expire { segment, .. } => segment,
        _ => return None,
    };
    trace.segments.get(index as usize)
}

fn segment_of(trace: &Trace, e: &Event) -> Option<SegmentId> {
    record(trace, e).map(|r| r.id)
}

/// The segment as sent: everything but its fate and the flights the fate gave it.
fn same_as_sent(a: &SegmentRecord, b: &SegmentRecord) -> bool {
    (
        &a.id, a.src_port, a.dst_port, &a.seq, &a.ack, &a.flags, a.window, a.len,
    ) == (
        &b.id, b.src_port, b.dst_port, &b.seq, &b.ack, &b.flags, b.window, b.len,
    ) && (&a.payload, &a.ts, &a.options, &a.sent, a.retransmission)
        == (&b.payload, &b.ts, &b.options, &b.sent, b.retransmission)
}

/// How event `a` of `ta` differs from event `b` of `tb`, or `None` if they are the same event.
fn differ(ta: &Trace, a: &Event, tb: &Trace, b: &Event) -> Option<DifferenceKind> {
    let kind = kind_of(a);
    if let (Some(ra), Some(rb)) = (record(ta, a), record(tb, b)) {
        // The same segment sent alike but given another fate: the reader's change itself.
        if same_as_sent(ra, rb) && ra.fate != rb.fate {
            return Some(DifferenceKind::Fate);
        }
        if !same_as_sent(ra, rb) {
            return Some(DifferenceKind::Segment);
        }
    }
    if (a.at, a.side, a.conn) != (b.at, b.side, b.conn) {
        return Some(kind);
    }
    let same = match (&a.kind, &b.kind) {
        (EventKind::Send { .. }, EventKind::Send { .. }) => true,
        (
            EventKind::Deliver {
                copy: ca,
                accepted_by: aa,
                discarded: da,
                ..
            },
            EventKind::Deliver {
                copy: cb,
                accepted_by: ab,
                discarded: db,
                ..
            },
        ) => (ca, aa, da) == (cb, ab, db),
        (EventKind::Drop { copy: ca, .. }, EventKind::Drop { copy: cb, .. })
        | (EventKind::Expire { copy: ca, .. }, EventKind::Expire { copy: cb, .. }) => ca == cb,
        (ka, kb) => ka == kb,
    };
    (!same).then_some(kind)
}

fn kind_of(e: &Event) -> DifferenceKind {
    match e.kind {
        EventKind::Send { .. }
        | EventKind::Deliver { .. }
        | EventKind::Drop { .. }
        | EventKind::Expire { .. } => DifferenceKind::Segment,
        EventKind::State(_) => DifferenceKind::State,
        EventKind::TimerArmed(_)
        | EventKind::TimerCancelled { .. }
        | EventKind::TimerFired { .. } => DifferenceKind::Timer,
        _ => DifferenceKind::App,
    }
}
