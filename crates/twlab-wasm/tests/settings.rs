//! The page's wasm opens presets and links and reads only fates, a profile and parameters, by hand
//! (src/settings.rs); the fork module reads whole scenarios through serde. Both readers must take
//! and refuse the same things, naming the same field: checked here case by case, in headless
//! Chromium like tests/web.rs.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, JSON};
use twlab_wasm::{presets, Lab};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn text(value: &JsValue) -> String {
    JSON::stringify(value).unwrap().as_string().unwrap()
}

fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or_else(|_| panic!("test JSON: {text}"))
}

fn preset(name: &str) -> JsValue {
    let all = Array::from(&presets().map_err(JsValue::from).unwrap());
    let found = all
        .iter()
        .find(|p| get(p, "name").as_string().as_deref() == Some(name));
    json(&text(&found.unwrap_or_else(|| panic!("no preset {name}"))))
}

/// A run's scenario and trace as JSON text, or the rejection's field and problem kind.
fn outcome(lab: Result<Lab, JsValue>) -> Result<(String, String), (String, String)> {
    match lab {
        Ok(lab) => Ok((
            text(&lab.scenario().map_err(JsValue::from).unwrap()),
            text(&lab.trace().map_err(JsValue::from).unwrap()),
        )),
        Err(e) => {
            assert!(
                e.is_instance_of::<js_sys::Error>(),
                "a rejection, not a crash: {e:?}"
            );
            let kind = get(&get(&e, "problem"), "kind")
                .as_string()
                .unwrap_or_else(|| get(&e, "kind").as_string().unwrap());
            Err((get(&e, "field").as_string().unwrap_or_default(), kind))
        }
    }
}

#[wasm_bindgen_test]
fn a_preset_by_name_and_a_link_run_as_the_scenario_object_does() {
    for p in Array::from(&presets().unwrap()).iter() {
        let name = get(&p, "name").as_string().unwrap();
        let by_object = outcome(Lab::new(p.clone()));
        assert!(by_object.is_ok(), "{name}: {by_object:?}");
        let by_name = outcome(Lab::preset(&name));
        assert_eq!(by_name, by_object, "{name}");
        let link = Lab::preset(&name)
            .map_err(JsValue::from)
            .unwrap()
            .link(false, None, None);
        assert_eq!(outcome(Lab::open(&link)), by_object, "{name} from {link}");
    }
    assert_eq!(
        outcome(Lab::preset("no-such-preset")),
        Err((String::new(), "unknown_preset".into()))
    );
    assert_eq!(
        outcome(Lab::open("v1/no-such-preset/end")),
        Err((String::new(), "unknown_preset".into()))
    );
    assert_eq!(
        outcome(Lab::open("v2/last-ack-lost/end")),
        Err((String::new(), "future_version".into()))
    );
    assert_eq!(
        outcome(Lab::open("v1/last-ack-lost/msl=100h/end")).map_err(|e| e.1),
        Err("out_of_range".into())
    );
    let bulk = outcome(Lab::bulk(50, 20, 1));
    assert!(bulk.is_ok());
    assert_eq!(
        bulk,
        outcome(Lab::new(
            twlab_wasm::bulk(50, 20, 1).map_err(JsValue::from).unwrap()
        ))
    );
}

/// `params.<field> = <value>` (JSON), or the profile when `field` is `profile`, read both ways.
#[wasm_bindgen_test]
fn parameters_and_profiles_are_read_as_serde_reads_them() {
    let cases: &[(&str, &str)] = &[
        ("msl", "\"2s\""),
        ("msl", "\"1y\""),
        ("msl", "\"100h\""),
        ("msl", "5"),
        ("msl", "null"),
        ("delay", "\"1.5s\""),
        ("syn_sent_rst_retry", "\"20ms\""),
        ("mss", "1460"),
        ("mss", "1.5"),
        ("mss", "-3"),
        ("mss", "70000"),
        ("mss", "\"big\""),
        ("max_retries", "3"),
        ("isn_tick_ns", "4294967296"),
        ("timestamps", "true"),
        ("timestamps", "1"),
        ("rfc1337", "\"on\""),
        ("time_wait", "\"2msl\""),
        ("time_wait", "\"60s\""),
        ("time_wait", "\"skip\""),
        ("time_wait", "\"3x\""),
        ("time_wait", "{}"),
        ("isn", "\"clock\""),
        ("isn", "{\"fixed\": {\"client\": 1, \"server\": 2}}"),
        ("isn", "{\"per_connection\": [{\"client\": 1, \"server\": 2}, {\"client\": 9, \"server\": 9}]}"),
        ("isn", "{\"per_connection\": []}"),
        ("isn", "{\"fixed\": [1, 2]}"),
        ("isn", "{\"fixed\": {\"client\": 1}}"),
        ("isn", "\"sometimes\""),
        ("isn", "{\"fixed\": {\"client\": 1, \"server\": 2}, \"clock\": null}"),
        ("mls", "\"1s\""),
        ("profile", "\"linux\""),
        ("profile", "\"rfc9293\""),
        ("profile", "\"bsd\""),
        ("profile", "7"),
    ];
    for name in ["normal-close", "old-duplicate"] {
        for (field, value) in cases {
            let s = preset(name);
            if *field == "profile" {
                Reflect::set(&s, &"profile".into(), &json(value)).unwrap();
            } else {
                Reflect::set(&get(&s, "params"), &(*field).into(), &json(value)).unwrap();
            }
            let serde = outcome(Lab::new(s.clone()));
            let mut lab = Lab::preset(name).map_err(JsValue::from).unwrap();
            let by_hand = outcome(lab.set_settings(s).map(|()| lab));
            assert_eq!(by_hand, serde, "{name}: {field} = {value}");
        }
    }
    // Parameters that are no object: serde reads an array as the fields in order, as it reads any struct.
    for params in [
        "\"x\"",
        "3",
        "[]",
        "[\"2s\"]",
        "[\"2s\", \"10ms\"]",
        "[null, \"5ms\"]",
    ] {
        let s = preset("normal-close");
        Reflect::set(&s, &"params".into(), &json(params)).unwrap();
        let serde = outcome(Lab::new(s.clone()));
        let mut lab = Lab::preset("normal-close").map_err(JsValue::from).unwrap();
        assert_eq!(
            outcome(lab.set_settings(s).map(|()| lab)),
            serde,
            "params = {params}"
        );
    }
}

#[wasm_bindgen_test]
fn fates_are_read_as_serde_reads_them() {
    let fate = |f: &str| format!(r#"[{{"conn":1,"from":"client","nth":6,"fate":{f}}}]"#);
    let cases = [
        fate("\"drop\""),
        fate("{\"delay\": \"300ms\"}"),
        fate("{\"duplicate\": \"2s\"}"),
        fate("\"vanish\""),
        fate("{\"delay\": 300}"),
        fate("{\"delay\": \"300ms\", \"drop\": null}"),
        r#"[{"conn":1,"from":"middle","nth":6,"fate":"drop"}]"#.into(),
        r#"[{"conn":1,"from":"client","nth":1.5,"fate":"drop"}]"#.into(),
        r#"[{"from":"client","nth":6,"fate":"drop"}]"#.into(),
        r#"[{"conn":1,"from":"client","nth":6,"fate":"drop","why":"extra"}]"#.into(),
        r#"[{"conn":1,"from":"client","nth":2,"fate":"drop"},{"conn":1,"from":"server","nth":0,"fate":"drop"}]"#.into(),
        r#"[{"conn":1,"from":"client","nth":2,"fate":"drop"},"drop"]"#.into(),
        r#""drop""#.into(),
        "[]".into(),
    ];
    for overrides in cases {
        let s = preset("normal-close");
        Reflect::set(&s, &"overrides".into(), &json(&overrides)).unwrap();
        let serde = outcome(Lab::new(s));
        let mut lab = Lab::preset("normal-close").map_err(JsValue::from).unwrap();
        let by_hand = outcome(lab.set_overrides(json(&overrides)).map(|()| lab));
        assert_eq!(by_hand, serde, "overrides = {overrides}");
    }
}
