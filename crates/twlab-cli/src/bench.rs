//! `twlab bench`: how long each preset takes to simulate natively, and a 10,000-segment bulk transfer
//! with 1% loss. Prints numbers; it asserts nothing (targets: < 50 µs a preset, < 20 ms and < 10 MB
//! for the bulk run).

use std::fmt::Write;
use std::time::Instant;
use twlab_core::{presets, simulate, Scenario};

/// Median wall time of `runs` simulations, in microseconds.
fn median_micros(scenario: &Scenario, runs: usize) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let trace = simulate(scenario).expect("presets are valid");
            std::hint::black_box(&trace);
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

pub fn run() -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<26} {:>10} {:>10} {:>9}",
        "scenario", "median µs", "segments", "events"
    );
    for preset in presets::all() {
        for (label, scenario) in [
            (preset.name.clone(), preset.clone()),
            (
                format!("{} (no TW)", preset.name),
                preset.without_time_wait(),
            ),
        ] {
            let trace = simulate(&scenario).expect("presets are valid");
            let _ = writeln!(
                out,
                "{label:<26} {:>10.1} {:>10} {:>9}",
                median_micros(&scenario, 201),
                trace.segments.len(),
                trace.events.len()
            );
        }
    }
    let bulk = presets::bulk(10_000, 10, 42);
    let trace = simulate(&bulk).expect("bulk is valid");
    let lost = bulk.overrides.len();
    let _ = writeln!(
        out,
        "{:<26} {:>10.1} {:>10} {:>9}   ({lost} drops; trace ≈ {:.1} MB)",
        "bulk 10,000 × 100 B, 1%",
        median_micros(&bulk, 11),
        trace.segments.len(),
        trace.events.len(),
        approx_trace_bytes(&trace) as f64 / 1e6
    );
    out
}

/// Heap the trace holds: its vectors' capacity and the payload bytes (the simulator's working state
/// is smaller than the trace it writes).
fn approx_trace_bytes(trace: &twlab_core::Trace) -> usize {
    use std::mem::size_of_val;
    let segs: usize = trace
        .segments
        .iter()
        .map(|s| size_of_val(s) + s.payload.capacity() + s.flights.capacity() * 40)
        .sum();
    let events: usize = trace.events.capacity() * std::mem::size_of::<twlab_core::trace::Event>();
    let texts: usize = trace
        .events
        .iter()
        .map(|e| match &e.kind {
            twlab_core::trace::EventKind::Read { text, .. } => text.capacity(),
            _ => 0,
        })
        .sum();
    segs + events + texts
}
