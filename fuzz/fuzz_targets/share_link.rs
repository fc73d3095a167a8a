//! Arbitrary text as a share link: decode it; a link that decodes re-encodes to one that decodes to
//! the same thing, and its scenario runs (or is refused with a named field). The same for a link
//! that may carry a fork (`decode_forked`), and the fork's scenario. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twlab_core::sim;
use twlab_formats::link;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok((decoded, Some(fork))) = link::decode_forked(&text) {
        let again = link::encode_forked(&decoded, &fork);
        assert_eq!(link::decode_forked(&again), Ok((decoded.clone(), Some(fork.clone()))));
        if let Ok(scenario) = decoded.scenario.to_scenario() {
            let _ = sim::simulate(&fork.scenario(&scenario));
        }
    }
    let Ok(decoded) = link::decode(&text) else {
        return;
    };
    assert_eq!(link::decode(&link::encode(&decoded)).as_ref(), Ok(&decoded));
    if let Ok(scenario) = decoded.scenario.to_scenario() {
        if let Ok(trace) = sim::simulate(&scenario) {
            assert!(trace.events.len() <= sim::MAX_EVENTS + 70_000);
        }
    }
});
