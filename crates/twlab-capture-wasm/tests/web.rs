//! The capture module in a real browser (headless Chromium through `wasm-bindgen-test-runner`), on
//! the tcpdump captures the core's own tests read.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect};
use twlab_capture_wasm::draw_capture;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| {
        Reflect::get(&v, &JsValue::from_str(key)).expect("a property")
    })
}

fn draw(name: &str, bytes: &[u8]) -> JsValue {
    draw_capture(name, bytes, None)
        .map_err(JsValue::from)
        .unwrap()
}

#[wasm_bindgen_test]
fn a_capture_is_drawn_as_a_trace() {
    let drawn = draw(
        "request-reply.pcap",
        include_bytes!("../../twlab-capture/tests/captures/request-reply.pcap"),
    );
    assert!(get(&drawn, "error").is_undefined());
    let segments = Array::from(&get(&drawn, "trace.segments"));
    assert_eq!(segments.length(), 11);
    assert_eq!(
        get(&drawn, "trace.outcome.verdict.kind")
            .as_string()
            .as_deref(),
        Some("closed_cleanly")
    );
    // Every export the page offers for a run: the text listing and the Mermaid diagram, one message
    // per segment.
    assert!(get(&drawn, "text")
        .as_string()
        .unwrap()
        .contains("Flags [S]"));
    let mermaid = get(&drawn, "mermaid").as_string().unwrap();
    assert!(mermaid.starts_with("sequenceDiagram"), "{mermaid}");
    let messages = mermaid
        .lines()
        .filter(|l| l.trim_start().starts_with("C-") || l.trim_start().starts_with("S-"))
        .count();
    assert_eq!(messages, 11, "{mermaid}");
}

#[wasm_bindgen_test]
fn a_capture_lists_its_streams_and_draws_the_one_asked_for() {
    let bytes = include_bytes!("../../twlab-capture/tests/captures/http-streams.pcapng");
    let drawn = draw_capture("http-streams.pcapng", bytes, Some(3))
        .map_err(JsValue::from)
        .unwrap();
    let streams = Array::from(&get(&drawn, "streams"));
    assert_eq!(streams.length(), 5);
    let second = streams.get(1);
    assert_eq!(
        get(&second, "client").as_string().as_deref(),
        Some("[::1]:40002")
    );
    assert_eq!(
        get(&second, "ending.kind").as_string().as_deref(),
        Some("closed")
    );
    assert_eq!(
        get(&second, "ending.first").as_string().as_deref(),
        Some("server")
    );
    assert_eq!(
        get(&drawn, "trace.client_ip").as_string().as_deref(),
        Some("127.0.0.1")
    );
    let past = draw_capture("x", bytes, Some(5))
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(
        get(&past, "error").as_string().as_deref(),
        Some("no_stream")
    );
}

#[wasm_bindgen_test]
fn a_file_that_is_not_a_capture_says_so() {
    let drawn = draw("notes.txt", b"these are my notes");
    assert!(get(&drawn, "trace").is_undefined());
    assert_eq!(
        get(&drawn, "error").as_string().as_deref(),
        Some("not_a_capture")
    );
    // The lab's one error shape: kind and message.
    assert_eq!(
        get(&drawn, "kind").as_string().as_deref(),
        Some("not_a_capture")
    );
    let message = get(&drawn, "message").as_string().unwrap();
    assert!(message.contains("pcap"), "{message}");
}
