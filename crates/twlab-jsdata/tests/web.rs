//! `to_js` in a real browser (`scripts/test-web.sh`): for every shape of serde value the wasm modules
//! send, the object `decode.js` builds is the one `JSON.parse` builds from serde_json's text: the same
//! JSON when stringified again, key order included.
#![cfg(target_arch = "wasm32")]

use js_sys::JSON;
use serde::Serialize;
use std::collections::BTreeMap;
use twlab_jsdata::to_js;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn stringify(v: &JsValue) -> String {
    JSON::stringify(v).unwrap().as_string().unwrap()
}

/// `value` through `to_js` and through serde_json + JSON.parse, stringified again: equal.
fn same<T: Serialize>(value: &T) {
    let ours = to_js(value).map_err(JsValue::from).expect("to_js");
    let json = serde_json::to_string(value).expect("serde_json");
    let theirs = JSON::parse(&json).expect("JSON.parse");
    assert_eq!(stringify(&ours), stringify(&theirs), "{json}");
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Tagged {
    Send { segment: u32 },
    Closed,
    State(Inner),
}

#[derive(Serialize)]
enum Plain {
    Unit,
    Newtype(i64),
    Tuple(u8, Option<String>),
    Struct { a: bool, b: f64 },
}

#[derive(Serialize)]
struct Inner {
    from: &'static str,
    to: &'static str,
}

#[derive(Serialize)]
struct Outer {
    id: u32,
    #[serde(flatten)]
    inner: Inner,
    #[serde(skip_serializing_if = "Option::is_none")]
    gone: Option<u8>,
    none: Option<u8>,
    unit: (),
    pair: (u16, char),
    #[serde(with = "serde_bytes_like")]
    bytes: Vec<u8>,
}

/// Bytes as serde's `serialize_bytes`, which serde_json writes as an array of numbers.
mod serde_bytes_like {
    pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(v)
    }
}

#[wasm_bindgen_test]
fn scalars_are_what_json_parse_gives() {
    same(&(true, false, 0u8, 127u8, 128u16, 65_535u32, u32::MAX));
    same(&(-1i8, i16::MIN, i32::MIN, -(1i64 << 53), 1u64 << 53));
    same(&(
        0.5f64,
        -2.25f32,
        1e300f64,
        f64::NAN,
        f64::INFINITY,
        0.1f64 + 0.2,
    ));
    same(&(
        "",
        "ascii",
        "中文 TIME-WAIT ✓",
        "quote \" backslash \\ newline \n",
        'x',
        '时',
    ));
    // A length past one LEB128 byte.
    same(&"载荷 payload ".repeat(40));
}

#[wasm_bindgen_test]
fn structures_are_what_json_parse_gives() {
    same(&Outer {
        id: 7,
        inner: Inner {
            from: "FIN-WAIT-1",
            to: "TIME-WAIT",
        },
        gone: None,
        none: None,
        unit: (),
        pair: (80, 'a'),
        bytes: vec![0, 1, 255],
    });
    same(&vec![
        Tagged::Send { segment: 3 },
        Tagged::Closed,
        Tagged::State(Inner { from: "a", to: "b" }),
    ]);
    same(&vec![
        Plain::Unit,
        Plain::Newtype(-5),
        Plain::Tuple(1, None),
        Plain::Struct { a: true, b: 1.5 },
    ]);
    let mut map = BTreeMap::new();
    map.insert(10u32, vec![Some(1u8), None]);
    map.insert(2u32, vec![]);
    same(&map);
    let mut keys = BTreeMap::new();
    keys.insert("__proto__", 1);
    keys.insert("constructor", 2);
    same(&keys);
    same(&Vec::<u8>::new());
}

/// Texts repeat in a trace (field names, states, flags): written once, then by number, also when the
/// hash table's slots are overwritten many times over.
#[wasm_bindgen_test]
fn many_repeated_and_distinct_texts() {
    let texts: Vec<String> = (0..3000).map(|i| format!("t{}", i % 700)).collect();
    same(&texts);
}
