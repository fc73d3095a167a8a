//! The export module in a real browser (headless Chromium through `wasm-bindgen-test-runner`). That
//! each download is byte for byte the CLI's is checked end to end (tests/e2e/share.test.mjs).
#![cfg(target_arch = "wasm32")]

use twlab_core::presets;
use twlab_core::scenario::{Fate, Override, SegmentId, Side};
use twlab_export_wasm::{mermaid, pcap, text};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// normal-close as the page hands it over (scenario JSON), with the last ACK lost or not.
fn normal_close(last_ack_lost: bool) -> String {
    let mut s = presets::by_name("normal-close").unwrap();
    if last_ack_lost {
        s.overrides = vec![Override {
            segment: SegmentId {
                conn: 1,
                from: Side::Client,
                nth: 6,
            },
            fate: Fate::Drop,
        }];
    }
    serde_json::to_string(&s).unwrap()
}

#[wasm_bindgen_test]
fn each_export_follows_the_scenario_it_is_given() {
    let (kept, lost) = (normal_close(false), normal_close(true));
    let diagram = |s: &str| mermaid(s).map_err(JsValue::from).unwrap();
    assert!(diagram(&kept).starts_with("sequenceDiagram\n"));
    assert_eq!(diagram(&kept).matches("-x").count(), 0);
    assert_eq!(
        diagram(&lost).matches("-x").count(),
        1,
        "{}",
        diagram(&lost)
    );
    let listing = text(&lost).map_err(JsValue::from).unwrap();
    assert!(listing.contains("** LOST **"), "{listing}");
    assert!(listing.contains("TIME-WAIT timer restarted"), "{listing}");
    // pcap: the file header (big-endian magic, LINKTYPE_IPV4), then one record per segment sent. The lost last
    // ACK is in the capture (taken at the senders), and so is the server's retransmitted FIN.
    let count = |file: &[u8]| {
        let mut at = 24;
        let mut n = 0;
        while at + 16 <= file.len() {
            let len = u32::from_be_bytes(file[at + 8..at + 12].try_into().unwrap()) as usize;
            at += 16 + len;
            n += 1;
        }
        assert_eq!(at, file.len(), "whole records");
        n
    };
    let (a, b) = (
        pcap(&kept).map_err(JsValue::from).unwrap(),
        pcap(&lost).map_err(JsValue::from).unwrap(),
    );
    assert_eq!(a[..4], 0xa1b2c3d4u32.to_be_bytes());
    assert_eq!(a[20..24], 228u32.to_be_bytes());
    assert_eq!(count(&b), count(&a) + 2);
}

#[wasm_bindgen_test]
fn a_scenario_that_does_not_parse_is_an_error_without_a_kind() {
    let error = JsValue::from(text("{\"name\": 3}").unwrap_err());
    assert!(error.is_instance_of::<js_sys::Error>());
    let kind = js_sys::Reflect::get(&error, &"kind".into()).unwrap();
    assert!(kind.is_undefined());
}
