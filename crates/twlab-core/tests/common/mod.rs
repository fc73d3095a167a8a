//! Helpers shared by the property tests.

use twlab_core::scenario::{Fate, Override, SegmentId, Side};

/// Overrides from generated (connection, side, nth, fate) tuples, the first for each segment kept (a
/// scenario names each segment once).
pub fn distinct_overrides(raw: Vec<(u32, Side, u32, Fate)>) -> Vec<Override> {
    let mut out: Vec<Override> = Vec::new();
    for (conn, from, nth, fate) in raw {
        let segment = SegmentId { conn, from, nth };
        if !out.iter().any(|o| o.segment == segment) {
            out.push(Override { segment, fate });
        }
    }
    out
}
