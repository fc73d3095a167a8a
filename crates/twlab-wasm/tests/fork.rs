//! The fork view's module (twlab-wasm with its `fork` feature) in a real browser: a Lab keeps the
//! run it was forked from, says where they part, and writes and reads links that carry both.
//! `scripts/test-web.sh` runs these with `--features fork`.
#![cfg(all(target_arch = "wasm32", feature = "fork"))]

use js_sys::{Array, Reflect};
use twlab_wasm::{open_fork_link, presets, Lab};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| {
        Reflect::get(&v, &JsValue::from_str(key)).expect("a property")
    })
}

fn last_ack_lost() -> JsValue {
    Array::from(&presets().map_err(JsValue::from).expect("presets"))
        .iter()
        .find(|p| get(p, "name").as_string().as_deref() == Some("last-ack-lost"))
        .expect("the preset")
}

#[wasm_bindgen_test]
fn a_fork_parts_where_its_fate_changed_and_its_link_carries_both() {
    let preset = last_ack_lost();
    let lost = Array::from(&get(&preset, "overrides")).get(0);
    let mut lab = Lab::new(preset.clone()).expect("runs");
    assert!(lab.before_trace().expect("data").is_null(), "no fork yet");
    assert!(lab.difference().expect("data").is_null());
    // Fork at step 20 keeping the preset's fates, then give the lost ACK back in the fork.
    lab.fork(20, get(&preset, "overrides")).expect("forks");
    assert!(
        lab.difference().expect("data").is_null(),
        "the same run so far"
    );
    lab.set_overrides(Array::new().into()).expect("re-runs");
    let d = lab.difference().expect("data");
    assert_eq!(get(&d, "kind").as_string().as_deref(), Some("fate"));
    assert_eq!(get(&d, "segment.nth").as_f64(), get(&lost, "nth").as_f64());
    assert_eq!(get(&d, "before").as_f64(), get(&d, "after").as_f64());
    let before = lab.before_trace().expect("data");
    let index = get(&d, "before").as_f64().unwrap() as u32;
    let event = Array::from(&get(&before, "events")).get(index);
    assert_eq!(get(&event, "type").as_string().as_deref(), Some("send"));
    // New parameters apply to both runs: the fork compares fates.
    let mut changed = lab.scenario().expect("data");
    Reflect::set(&get(&changed, "params"), &"msl".into(), &"2s".into()).unwrap();
    changed = js_sys::JSON::parse(
        &js_sys::JSON::stringify(&changed)
            .unwrap()
            .as_string()
            .unwrap(),
    )
    .unwrap();
    lab.set_settings(changed).expect("re-runs");
    let msl = |trace: JsValue| get(&trace, "durations.msl").as_f64();
    assert_eq!(msl(lab.before_trace().expect("data")), Some(2e6));
    assert_eq!(msl(lab.trace().expect("data")), Some(2e6));
    let link = lab.fork_link(Some("zh-Hans".into()), None);
    assert_eq!(
        link,
        "v1/last-ack-lost/msl=2s/lang=zh-Hans/fork=20/fates=none/end"
    );
    let opened = open_fork_link(&link).map_err(JsValue::from).expect("opens");
    assert_eq!(get(&opened, "fork.step").as_f64(), Some(20.0));
    assert_eq!(Array::from(&get(&opened, "fork.overrides")).length(), 0);
    assert_eq!(Array::from(&get(&opened, "scenario.overrides")).length(), 1);
    // A link that shows both the twin and a fork is refused with its reason.
    let bad = open_fork_link("v1/last-ack-lost/fork=3/twin/end")
        .map_err(JsValue::from)
        .expect("data");
    assert_eq!(get(&bad, "kind").as_string().as_deref(), Some("malformed"));
}
