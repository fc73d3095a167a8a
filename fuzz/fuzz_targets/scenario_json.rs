//! Arbitrary bytes as a scenario file: parse, validate, simulate. Whatever the bytes, this returns (an
//! error or a trace within the budgets) and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twlab_core::{scenario::Scenario, sim};

fuzz_target!(|data: &[u8]| {
    let Ok(scenario) = serde_json::from_slice::<Scenario>(data) else {
        return;
    };
    match sim::simulate(&scenario) {
        Ok(trace) => assert!(trace.events.len() <= sim::MAX_EVENTS + 64),
        Err(e) => assert!(!e.field.is_empty() && !e.to_string().is_empty()),
    }
});
