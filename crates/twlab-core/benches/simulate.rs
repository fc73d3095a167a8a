//! `cargo bench -p twlab-core`: how long each preset takes to simulate natively, and a bulk transfer of
//! 10,000 segments with 1% loss, with its peak heap. Prints numbers and asserts nothing; the targets are
//! under 50 µs a preset, and under 20 ms and 10 MB for the bulk run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;
use twlab_core::{presets, simulate, Scenario};

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(live, Relaxed);
        System.alloc(layout)
    }
    /// Large blocks grow in place (glibc uses mremap), so a growing Vec holds only its new size.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Relaxed) + new_size - layout.size();
            PEAK.fetch_max(live, Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Median wall time of `runs` simulations in microseconds, and the peak heap of one run in bytes.
fn measure(scenario: &Scenario, runs: usize) -> (f64, usize) {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(simulate(scenario).expect("valid"));
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    std::hint::black_box(simulate(scenario).expect("valid"));
    (times[runs / 2], PEAK.load(Relaxed) - base)
}

fn main() {
    println!(
        "{:<34} {:>10} {:>10} {:>9} {:>11}",
        "scenario", "median µs", "segments", "events", "peak heap"
    );
    let row = |label: &str, scenario: &Scenario, runs: usize| {
        let trace = simulate(scenario).expect("valid");
        let (micros, peak) = measure(scenario, runs);
        println!(
            "{label:<34} {micros:>10.1} {:>10} {:>9} {:>8.2} MB",
            trace.segments.len(),
            trace.events.len(),
            peak as f64 / 1e6
        );
    };
    for preset in presets::all() {
        row(&preset.name, &preset, 301);
        row(
            &format!("{} (no TIME-WAIT)", preset.name),
            &preset.without_time_wait(),
            301,
        );
    }
    let bulk = presets::bulk(10_000, 10, 42);
    row(
        &format!("bulk 10,000 segments, {} lost", bulk.overrides.len()),
        &bulk,
        15,
    );
}
