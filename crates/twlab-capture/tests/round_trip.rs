//! Round trip: a run exported as pcap (`to_pcap`) and drawn again (`capture::import`) has the same
//! segments, at the same times, with the same options, and the same states where a capture can tell.

use twlab_capture::open;
use twlab_core::endpoint::StateChange;
use twlab_core::network::FlightEnd;
use twlab_core::presets;
use twlab_core::scenario::{Scenario, Side};
use twlab_core::segment::Timestamps;
use twlab_core::trace::{EventKind, Trace};
use twlab_core::{simulate, Duration, Instant, State};
use twlab_formats::to_pcap;

type Wire = (
    Duration,
    Side,
    String,
    u32,
    u32,
    u32,
    Option<Timestamps>,
    bool,
);

/// What a capture at the senders records of each segment of `conns`, and whether it was lost (a
/// capture shows a lost segment; what follows it shows that it was lost). Times count from the first
/// of them: a stream drawn alone starts its clock at its own first packet.
fn wire(t: &Trace, conns: &[u32]) -> Vec<Wire> {
    let mine = || t.segments.iter().filter(|s| conns.contains(&s.id.conn));
    let start = mine().next().map_or(Instant::ZERO, |s| s.sent);
    mine()
        .map(|s| {
            let f = s.flags.to_string();
            let lost = s.flights.iter().all(|f| f.end == FlightEnd::Dropped);
            (
                s.sent.since(start),
                s.id.from,
                f,
                s.rel_seq,
                s.rel_ack,
                s.len,
                s.ts,
                lost,
            )
        })
        .collect()
}

/// Each side's connections' states, connection by connection. The listener's own (no connection) are
/// left out: nothing on the wire shows a server stop listening or listen again. Nor does anything show
/// when a TIME-WAIT ends that no later segment of its pair ends (the server's, in address-in-use's twin,
/// while a client on another port is served), so the order between connections is not compared.
/// `conns` are numbered from 1 in their order, as a capture of their socket pair numbers them.
fn states(t: &Trace, side: Side, conns: &[u32]) -> Vec<(u32, State)> {
    let nth = |conn| conns.iter().position(|&c| c == conn).map(|i| i as u32 + 1);
    let mut states: Vec<(u32, State)> = t
        .events
        .iter()
        .filter(|e| e.side == side)
        .filter_map(|e| match (&e.kind, e.conn.and_then(nth)) {
            (EventKind::State(StateChange { to, .. }), Some(conn)) => Some((conn, *to)),
            _ => None,
        })
        .collect();
    states.sort_by_key(|&(conn, _)| conn);
    states
}

/// The run, and its export drawn again: for each socket pair (a client port of its own is a TCP stream
/// of its own), the run's connections on it and the pair's first stream drawn with its incarnations.
fn both(s: &Scenario) -> (Trace, Vec<(Vec<u32>, Trace)>) {
    let run = simulate(s).unwrap();
    let capture = open(&to_pcap(&run)).expect("our own export is readable");
    let mut pairs: Vec<(Vec<u32>, Trace)> = Vec::new();
    let mut ports: Vec<u16> = Vec::new();
    for c in &run.connections {
        match ports.iter().position(|&p| p == c.client_port) {
            Some(i) => pairs[i].0.push(c.id),
            None => {
                ports.push(c.client_port);
                let stream = capture
                    .streams()
                    .iter()
                    .find(|st| st.client.port() == c.client_port)
                    .expect("a stream for each client port");
                let drawn = capture.draw(&s.name, stream.index).unwrap();
                pairs.push((vec![c.id], drawn));
            }
        }
    }
    // The capture's clock starts at its first packet, the run's at zero: both start with the SYN.
    assert_eq!(run.segments[0].sent, Instant::ZERO, "{}", s.name);
    (run, pairs)
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
        let (run, pairs) = both(&s);
        for (conns, drawn) in &pairs {
            let all: Vec<u32> = drawn.connections.iter().map(|c| c.id).collect();
            assert_eq!(wire(drawn, &all), wire(&run, conns), "{}", s.name);
        }
    }
}

#[test]
fn a_run_exported_and_imported_goes_through_the_same_states() {
    // The segments alone tell each side's states (RFC 9293 §3.10.7), losses included: a capture at the
    // senders shows a lost segment, and its retransmission shows that it was lost.
    for s in runs() {
        let (run, pairs) = both(&s);
        for (conns, drawn) in &pairs {
            let all: Vec<u32> = drawn.connections.iter().map(|c| c.id).collect();
            for side in [Side::Client, Side::Server] {
                assert_eq!(
                    states(drawn, side, &all),
                    states(&run, side, conns),
                    "{} {side:?}",
                    s.name
                );
            }
        }
    }
}
