//! Drawing a real capture in the browser. A module of its own so that the page's first load stays
//! small: it is fetched only when a reader drops a pcap or pcapng file. No parsing lives here; it is
//! [`twlab_core::capture`], the same code the CLI runs.
//!
//! ```js
//! const { default: init, draw_capture } = await import("./pkg/twlab_capture_wasm.js");
//! await init();
//! const drawn = draw_capture("dump.pcap", new Uint8Array(await file.arrayBuffer()));
//! drawn.trace ?? drawn.error;  // a trace like Lab.trace()'s (with .text, .mermaid), or what is wrong with the file
//! ```

use js_sys::{Object, Reflect, JSON};
use twlab_core::error::ErrorData;
use twlab_core::{capture, to_mermaid};
use wasm_bindgen::prelude::*;

/// `{trace, text, mermaid}` (the trace as `twlab run file.pcap --format json` prints it, its text
/// listing and its Mermaid sequence diagram: every export the page offers for a run), or the error in
/// the lab's one shape (twlab-wasm's crate doc), `{kind, message}`, where `kind` is `not_a_capture`,
/// `truncated`, `unsupported_link` or `no_tcp` for the page's own words and `message` says it in
/// English; `error` repeats the kind (what the page read before errors had one shape).
#[wasm_bindgen]
pub fn draw_capture(name: &str, bytes: &[u8]) -> Result<JsValue, JsError> {
    let out = Object::new();
    let set = |key: &str, value: JsValue| Reflect::set(&out, &key.into(), &value).map(drop);
    match capture::import(name, bytes) {
        Ok(trace) => {
            let trace_text = trace.to_text();
            let mermaid = to_mermaid(&trace);
            // JSON text parsed by the engine: far faster than building the objects field by field.
            let text = serde_json::to_string(&trace).map_err(|e| JsError::new(&e.to_string()))?;
            let trace =
                JSON::parse(&text).map_err(|_| JsError::new("the trace is not valid JSON"))?;
            set("trace", trace)
                .and(set("text", trace_text.into()))
                .and(set("mermaid", mermaid.into()))
        }
        Err(e) => {
            let data = ErrorData::from(&e);
            set("kind", data.kind.into())
                .and(set("error", data.kind.into()))
                .and(set("message", data.message.into()))
        }
    }
    .map_err(|_| JsError::new("could not build the result object"))?;
    Ok(out.into())
}
