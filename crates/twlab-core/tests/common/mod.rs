//! Helpers shared by the integration tests (each test crate uses some of them).
#![allow(dead_code)]

use proptest::prelude::*;
use twlab_core::scenario::{Fate, Override, Scenario, SegmentId, Side};
use twlab_core::trace::Trace;
use twlab_formats::link::{self, Link, LinkError};

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

/// The server's ISN for connection 2 lies beyond connection 1's sequence space (RFC 9293 §3.6.1 and
/// RFC 1122 §4.2.2.13 (1): a new incarnation must not reuse the old numbers).
pub fn new_server_isn_beyond_the_old(t: &Trace) -> bool {
    let old_high = t
        .segments
        .iter()
        .filter(|s| s.id.conn == 1 && s.id.from == Side::Server)
        .map(|s| s.seq.0 + s.len + 1)
        .max()
        .unwrap();
    t.connections[1].server_isn.unwrap().wrapping_sub(old_high) < 1 << 31
}

/// encode → decode gives the same link and the same scenario; or, if the scenario is not valid,
/// decode says which field is out of range.
pub fn assert_round_trip(scenario: &Scenario, link: &Link) -> Result<(), TestCaseError> {
    let text = link::encode(link);
    prop_assert_eq!(link.scenario.to_scenario(), Ok(scenario.clone()));
    match scenario.validate() {
        Ok(()) => {
            let back = link::decode(&text);
            prop_assert_eq!(back.as_ref(), Ok(link), "{}", text);
            prop_assert_eq!(back.unwrap().scenario.to_scenario(), Ok(scenario.clone()));
            // With the page's `#` in front too.
            let hashed = format!("#{text}");
            prop_assert!(link::decode(&hashed).is_ok());
        }
        Err(e) => prop_assert_eq!(
            link::decode(&text),
            Err(LinkError::OutOfRange {
                field: e.field,
                problem: e.problem
            }),
            "{}",
            text
        ),
    }
    Ok(())
}
