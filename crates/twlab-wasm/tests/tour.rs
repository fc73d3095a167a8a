//! The guided tour's links through the wrapper, in a real browser (`scripts/test-web.sh` runs these).
#![cfg(target_arch = "wasm32")]

use js_sys::Reflect;
use twlab_wasm::{open_tour_link, tour_link};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("a property")
}

#[wasm_bindgen_test]
fn tour_links_open_and_are_written_back() {
    let text = tour_link(3, Some("zh-Hans".into()));
    assert_eq!(text, "v1/tour/3/lang=zh-Hans/end");
    let opened = open_tour_link(&format!("#{text}"));
    assert_eq!(get(&opened, "chapter").as_f64(), Some(3.0));
    assert_eq!(get(&opened, "lang").as_string().as_deref(), Some("zh-Hans"));
    let first = open_tour_link("#v1/tour/end");
    assert_eq!(get(&first, "chapter").as_f64(), Some(1.0));
    assert!(get(&first, "lang").is_null());
    assert_eq!(tour_link(1, None), "v1/tour/end");
}

#[wasm_bindgen_test]
fn other_links_and_damaged_tour_links() {
    assert!(open_tour_link("#v1/last-ack-lost/end").is_null());
    let bad = open_tour_link("#v1/tour/0/end");
    assert_eq!(get(&bad, "kind").as_string().as_deref(), Some("malformed"));
    assert!(get(&bad, "message").as_string().unwrap().len() > 10);
    let cut = open_tour_link("#v1/tour/2");
    assert_eq!(get(&cut, "kind").as_string().as_deref(), Some("truncated"));
}
