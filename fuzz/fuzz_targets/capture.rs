//! Arbitrary bytes as a capture file dropped on the page: read it, list its streams and draw each
//! (the first few); a drawing has its events in time order and refers only to its own segments, its
//! listing renders, and its pcap export reads back as the same segments. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twlab_core::trace::EventKind;
use twlab_formats::{to_pcap, to_text};

fuzz_target!(|data: &[u8]| {
    let Ok(capture) = twlab_capture::open(data) else {
        return;
    };
    let _ = twlab_capture::streams::to_text(capture.streams());
    for stream in capture.streams().iter().take(4) {
        let trace = capture
            .draw("fuzz", stream.index)
            .expect("a listed stream draws");
        assert!(trace.events.windows(2).all(|w| w[0].at <= w[1].at));
        for e in &trace.events {
            if let EventKind::Send { segment }
            | EventKind::Deliver { segment, .. }
            | EventKind::Drop { segment, .. } = e.kind
            {
                assert!((segment as usize) < trace.segments.len());
            }
        }
        let _ = to_text(&trace);
        let again = twlab_capture::import("fuzz", &to_pcap(&trace))
            .expect("our export reads back");
        assert_eq!(again.segments.len(), trace.segments.len());
    }
});
