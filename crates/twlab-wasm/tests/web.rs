//! The wrapper in a real browser (headless Chromium through `wasm-bindgen-test-runner`):
//! `scripts/test-web.sh` runs these. The byte-for-byte comparison with the native trace of every
//! preset lives in the end-to-end tests (tests/e2e), which can run the native CLI.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, JSON};
use twlab_wasm::{open_link, presets, Lab};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| {
        Reflect::get(&v, &JsValue::from_str(key)).expect("a property")
    })
}

fn preset(name: &str) -> JsValue {
    Array::from(&presets().map_err(JsValue::from).expect("presets"))
        .iter()
        .find(|p| get(p, "name").as_string().as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no preset {name}"))
}

fn verdict(trace: &JsValue) -> String {
    get(trace, "outcome.verdict.kind")
        .as_string()
        .expect("a verdict kind")
}

/// The message of the `Error` a rejected call threw.
fn message(error: JsValue) -> String {
    get(&error, "message")
        .as_string()
        .expect("an Error with a message")
}

fn with_msl(scenario: &JsValue, msl: &str) -> JsValue {
    let scenario = JSON::parse(&JSON::stringify(scenario).unwrap().as_string().unwrap()).unwrap();
    Reflect::set(&get(&scenario, "params"), &"msl".into(), &msl.into()).unwrap();
    scenario
}

#[wasm_bindgen_test]
fn presets_load_as_plain_scenarios() {
    let all = Array::from(&presets().unwrap());
    assert!(all.length() >= 8, "{} presets", all.length());
    for p in all.iter() {
        assert!(get(&p, "name").is_string());
        // The page's wasm carries no preset descriptions (twlab-core without "descriptions"): the page
        // shows its own, in both languages.
        assert!(get(&p, "description").is_undefined());
        assert!(Array::is_array(&get(&p, "client")));
        // Every preset runs as it is.
        Lab::new(p).map_err(JsValue::from).unwrap();
    }
    assert_eq!(
        get(&preset("old-duplicate"), "overrides.0.fate.duplicate")
            .as_string()
            .as_deref(),
        Some("600ms")
    );
}

#[wasm_bindgen_test]
fn last_ack_lost_closes_cleanly_and_its_twin_is_reset() {
    let mut lab = Lab::new(preset("last-ack-lost"))
        .map_err(JsValue::from)
        .unwrap();
    let trace = lab.trace().map_err(JsValue::from).unwrap();
    assert_eq!(verdict(&trace), "closed_cleanly");
    let twin = lab.twin_trace().map_err(JsValue::from).unwrap();
    assert_eq!(verdict(&twin), "reset");
    assert_eq!(
        get(&twin, "outcome.verdict.side").as_string().as_deref(),
        Some("server")
    );
    assert_eq!(
        get(&twin, "params.time_wait").as_string().as_deref(),
        Some("skip")
    );
}

#[wasm_bindgen_test]
fn overrides_rerun_the_scenario() {
    let mut lab = Lab::new(preset("normal-close"))
        .map_err(JsValue::from)
        .unwrap();
    let segments = |lab: &Lab| {
        Array::from(&get(
            &lab.trace().map_err(JsValue::from).unwrap(),
            "segments",
        ))
        .length()
    };
    let before = segments(&lab);
    let drop_last_ack =
        JSON::parse(r#"[{"conn":1,"from":"client","nth":6,"fate":"drop"}]"#).unwrap();
    lab.set_overrides(drop_last_ack)
        .map_err(JsValue::from)
        .unwrap();
    assert!(
        segments(&lab) > before,
        "the server's FIN is retransmitted and re-ACKed"
    );
    assert_eq!(
        verdict(&lab.twin_trace().map_err(JsValue::from).unwrap()),
        "reset"
    );
    lab.set_overrides(Array::new().into())
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(segments(&lab), before);
}

#[wasm_bindgen_test]
fn bad_scenarios_reject_with_the_field_named() {
    let base = preset("last-ack-lost");
    for msl in ["1y", "100h"] {
        let error = Lab::new(with_msl(&base, msl))
            .err()
            .map(JsValue::from)
            .expect("rejected");
        assert!(error.is_instance_of::<js_sys::Error>());
        let text = message(error);
        assert!(text.starts_with("params.msl: "), "{text}");
        assert!(text.contains(msl), "{text}");
    }
    let error = Lab::new(with_msl(&base, "1y"))
        .err()
        .map(JsValue::from)
        .expect("rejected");
    assert!(
        message(error)
            .starts_with(r#"params.msl: "1y" is not a duration; write a number and a unit"#),
        "no \"Error: \" in the middle"
    );
    // A rejected change leaves the lab as it was.
    let mut lab = Lab::new(base.clone()).map_err(JsValue::from).unwrap();
    let error = lab
        .set_settings(with_msl(&base, "100h"))
        .err()
        .map(JsValue::from)
        .expect("rejected");
    // The parts, for the page to word in the reader's language.
    let text = |path: &str| get(&error, path).as_string().unwrap_or_default();
    assert_eq!(text("field"), "params.msl");
    assert_eq!(
        ["kind", "value", "min", "max"].map(|k| text(&format!("problem.{k}"))),
        ["out_of_range", "100h", "1ms", "10min"]
    );
    assert_eq!(
        message(error),
        "params.msl: 100h is out of range (allowed 1ms to 10min)"
    );
    assert_eq!(
        verdict(&lab.trace().map_err(JsValue::from).unwrap()),
        "closed_cleanly"
    );
    let bad_fate = JSON::parse(r#"[{"conn":1,"from":"client","nth":6,"fate":"vanish"}]"#).unwrap();
    let error = lab
        .set_overrides(bad_fate)
        .err()
        .map(JsValue::from)
        .expect("rejected");
    assert_eq!(
        get(&error, "field").as_string().as_deref(),
        Some("overrides[0]")
    );
    assert_eq!(
        get(&error, "problem.kind").as_string().as_deref(),
        Some("parse")
    );
    assert!(message(error).starts_with("overrides[0]"));
}

#[wasm_bindgen_test]
fn a_run_past_the_pages_event_budget_stops_with_the_budget_named() {
    // A megabyte in 100-byte segments: some 40 000 events, stopped at the page's 20 000 (checked
    // between instants; an instant adds at most a window of 655 segments).
    let bulk = JSON::parse(
        r#"{"name": "bulk", "params": {"mss": 100},
            "client": [{"do": "connect", "port": 40000}, {"do": "send_bytes", "bytes": 1000000, "after": "connected"}],
            "server": [{"do": "listen", "port": 80}]}"#,
    )
    .unwrap();
    let trace = Lab::new(bulk).unwrap().trace().unwrap();
    assert_eq!(
        get(&trace, "stopped.kind").as_string().as_deref(),
        Some("events")
    );
    assert_eq!(get(&trace, "stopped.limit").as_f64(), Some(20_000.0));
    let events = Array::from(&get(&trace, "events")).length();
    assert!((20_000..22_000).contains(&events), "{events} events");
}

#[wasm_bindgen_test]
fn traces_are_plain_json_data() {
    let lab = Lab::new(preset("old-duplicate"))
        .map_err(JsValue::from)
        .unwrap();
    let trace = lab.trace().map_err(JsValue::from).unwrap();
    // Plain objects and arrays only (no Map, no BigInt): JSON round-trips it unchanged.
    let text = JSON::stringify(&trace).unwrap().as_string().unwrap();
    let again = JSON::stringify(&JSON::parse(&text).unwrap())
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(text, again);
    assert!(get(&trace, "end").as_f64().unwrap() > 0.0);
    assert!(text.contains(r#""accepted_by":"#));
}

fn json(value: &JsValue) -> String {
    JSON::stringify(value).unwrap().as_string().unwrap()
}

#[wasm_bindgen_test]
fn every_preset_round_trips_through_a_share_link() {
    for p in Array::from(&presets().unwrap()).iter() {
        let mut lab = Lab::new(p.clone()).unwrap();
        // With a change of the reader's: the first segment of the server's is lost.
        // A preset without fates has no `overrides` field at all.
        let overrides = get(&p, "overrides");
        let overrides = if overrides.is_undefined() {
            Array::new()
        } else {
            Array::from(&overrides)
        };
        overrides
            .push(&JSON::parse(r#"{"conn":1,"from":"server","nth":1,"fate":"drop"}"#).unwrap());
        lab.set_overrides(overrides.into()).unwrap();
        let text = lab.link(true, Some("zh-Hans".into()), Some(12));
        assert!(text.starts_with("v1/"), "{text}");
        let drops = text
            .split('/')
            .filter_map(|part| part.strip_prefix("drop="));
        assert!(
            drops.flat_map(|d| d.split(',')).any(|f| f == "s1"),
            "{text}"
        );
        let opened = open_link(&format!("#{text}")).unwrap();
        let scenario = lab.scenario().unwrap();
        assert_eq!(json(&get(&opened, "scenario")), json(&scenario), "{text}");
        assert_eq!(get(&opened, "twin").as_bool(), Some(true));
        assert_eq!(get(&opened, "lang").as_string().as_deref(), Some("zh-Hans"));
        assert_eq!(get(&opened, "step").as_f64(), Some(12.0));
        // The opened scenario runs to the same trace.
        let again = Lab::new(get(&opened, "scenario")).unwrap();
        assert_eq!(json(&again.trace().unwrap()), json(&lab.trace().unwrap()));
    }
}

#[wasm_bindgen_test]
fn a_bad_link_says_what_is_wrong() {
    for (text, kind) in [
        ("#v1/last-ack-lost/step=1", "truncated"),
        ("#v9/last-ack-lost/end", "future_version"),
        ("#v1/no-such/end", "unknown_preset"),
        ("#v1/normal-close/msl=8760h/end", "out_of_range"),
        ("#v1/normal-close/drop=??/end", "malformed"),
    ] {
        let opened = open_link(text).unwrap();
        assert_eq!(
            get(&opened, "error").as_string().as_deref(),
            Some(kind),
            "{text}"
        );
        assert!(get(&opened, "message").as_string().unwrap().len() > 10);
        assert!(get(&opened, "scenario").is_undefined());
    }
}

/// The crate doc's one error shape: `kind` and `message` always, `field` and `problem` when a
/// scenario field is to blame; thrown as an `Error` by `Lab`, returned by `open_link`.
fn assert_error_shape(error: &JsValue, kind: &str, field: Option<&str>) {
    assert_eq!(get(error, "kind").as_string().as_deref(), Some(kind));
    assert!(get(error, "message").as_string().unwrap().len() > 10);
    assert_eq!(get(error, "field").as_string().as_deref(), field);
    assert_eq!(get(error, "problem").is_object(), field.is_some());
}

#[wasm_bindgen_test]
fn every_error_has_one_shape() {
    let base = preset("last-ack-lost");
    let thrown = |s: JsValue| Lab::new(s).err().map(JsValue::from).expect("rejected");
    // Out of range, and not parsing at all.
    for msl in ["100h", "1y"] {
        let error = thrown(with_msl(&base, msl));
        assert!(error.is_instance_of::<js_sys::Error>());
        assert_error_shape(&error, "invalid_scenario", Some("params.msl"));
    }
    let mut lab = Lab::new(base.clone()).map_err(JsValue::from).unwrap();
    let error = lab
        .set_settings(with_msl(&base, "100h"))
        .err()
        .map(JsValue::from)
        .unwrap();
    assert_error_shape(&error, "invalid_scenario", Some("params.msl"));
    // Links: the same fields, plus `error` as the page read it before.
    let opened = open_link("#v1/normal-close/msl=8760h/end").unwrap();
    assert_error_shape(&opened, "out_of_range", Some("params.msl"));
    assert_eq!(
        get(&opened, "problem.kind").as_string().as_deref(),
        Some("out_of_range")
    );
    let opened = open_link("#v1/last-ack-lost/step=1").unwrap();
    assert_error_shape(&opened, "truncated", None);
    assert_eq!(
        get(&opened, "error").as_string().as_deref(),
        Some("truncated")
    );
}

/// A scenario object is read with serde's own words for what does not fit, but a number is written
/// by JS (the lab's wasm formats no floats).
#[wasm_bindgen_test]
fn a_value_of_the_wrong_kind_is_named_with_the_field() {
    let base = preset("normal-close");
    let with = |field: &str, value: &str| {
        let s = JSON::parse(&JSON::stringify(&base).unwrap().as_string().unwrap()).unwrap();
        let params = get(&s, "params");
        Reflect::set(&params, &field.into(), &JSON::parse(value).unwrap()).unwrap();
        s
    };
    for (field, value, detail) in [
        (
            "mss",
            "1.5",
            "invalid type: floating point `1.5`, expected u16",
        ),
        ("mss", "-3", "invalid value: integer `-3`, expected u16"),
        (
            "mss",
            "70000",
            "invalid value: integer `70000`, expected u16",
        ),
        (
            "window",
            "\"big\"",
            "invalid type: string \"big\", expected u16",
        ),
        (
            "rfc1337",
            "1",
            "invalid type: integer `1`, expected a boolean",
        ),
        ("mls", "\"1s\"", "unknown field `mls`"),
    ] {
        let error = Lab::new(with(field, value))
            .err()
            .map(JsValue::from)
            .expect("rejected");
        let text = |path: &str| get(&error, path).as_string().unwrap_or_default();
        assert_eq!(text("field"), format!("params.{field}"));
        assert_eq!(text("problem.kind"), "parse");
        assert!(
            text("problem.detail").starts_with(detail),
            "{}",
            text("problem.detail")
        );
    }
}
