//! Arbitrary text as a packetdrill script: it parses or is refused with a place inside the text; what
//! parses runs to the end or to a mismatch, and its trace is well formed. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines = 1 + text.matches('\n').count() as u32;
    match twlab_drill::parse(&text) {
        Err(e) => assert!(e.pos.line >= 1 && e.pos.line <= lines, "{e} outside the text"),
        Ok(_) => {
            if let Ok(run) = twlab_drill::run(&text, "fuzz") {
                let trace = run.trace;
                for e in &trace.events {
                    assert!(e.at <= trace.end);
                }
                if let Some(m) = &run.mismatch {
                    assert!(m.line >= 1 && m.line <= lines);
                }
            }
        }
    }
});
