//! Round trip: a run exported as pcap (`to_pcap`) and drawn again (`capture::import`) has the same
//! segments, at the same times, with the same options, and the same states where a capture can tell.

use twlab_capture::import;
use twlab_capture::to_pcap;
use twlab_core::endpoint::StateChange;
use twlab_core::network::FlightEnd;
use twlab_core::presets;
use twlab_core::scenario::{Scenario, Side};
use twlab_core::segment::Timestamps;
use twlab_core::trace::{EventKind, Trace};
use twlab_core::{simulate, Instant, State};

type Wire = (
    Instant,
    Side,
    String,
    u32,
    u32,
    u32,
    Option<Timestamps>,
    bool,
);

/// What a capture at the senders records of each segment, and whether it was lost (a capture shows a
/// lost segment; what follows it shows that it was lost).
fn wire(t: &Trace) -> Vec<Wire> {
    t.segments
        .iter()
        .map(|s| {
            let f = s.flags.to_string();
            let lost = s.flights.iter().all(|f| f.end == FlightEnd::Dropped);
            (
                s.sent, s.id.from, f, s.rel_seq, s.rel_ack, s.len, s.ts, lost,
            )
        })
        .collect()
}

/// Each side's states, with the connection each belongs to.
fn states(t: &Trace, side: Side) -> Vec<(u32, State)> {
    t.events
        .iter()
        .filter(|e| e.side == side)
        .filter_map(|e| match e.kind {
            EventKind::State(StateChange { to, .. }) => Some((e.conn.unwrap_or(0), to)),
            _ => None,
        })
        .collect()
}

/// The run, and its export drawn again.
fn both(s: &Scenario) -> (Trace, Trace) {
    let run = simulate(s).unwrap();
    let drawn = import(&s.name, &to_pcap(&run)).expect("our own export is readable");
    // The capture's clock starts at its first packet, the run's at zero: both start with the SYN.
    assert_eq!(run.segments[0].sent, Instant::ZERO, "{}", s.name);
    (run, drawn)
}

/// Every preset and its twin.
fn runs() -> Vec<Scenario> {
    presets::all()
        .into_iter()
        .flat_map(|p| [p.clone(), p.without_time_wait()])
        .collect()
}

#[test]
fn every_preset_exported_and_imported_has_the_same_segments() {
    for s in runs() {
        let (run, drawn) = both(&s);
        assert_eq!(wire(&drawn), wire(&run), "{}", s.name);
    }
}

#[test]
fn a_run_exported_and_imported_goes_through_the_same_states() {
    // The segments alone tell each side's states (RFC 9293 §3.10.7), losses included: a capture at the
    // senders shows a lost segment, and its retransmission shows that it was lost.
    for s in runs() {
        let (run, drawn) = both(&s);
        for side in [Side::Client, Side::Server] {
            assert_eq!(
                states(&drawn, side),
                states(&run, side),
                "{} {side:?}",
                s.name
            );
        }
    }
}
