//! Running a packetdrill script in the browser. A module of its own so that the page's first load stays
//! small: it is fetched only when a reader drops or pastes a `.pkt` script or opens a script's link. No
//! parsing or running lives here; it is [`twlab_drill`], the same code `twlab drill` runs.
//!
//! ```js
//! const { default: init, run_script } = await import("./pkg/twlab_drill_wasm.js");
//! await init();
//! const ran = run_script("half-close.pkt", text);
//! ran.trace ?? ran.error;  // the trace with .script and .mismatch, as `twlab drill --format json` writes it
//! ```

use js_sys::{Object, Reflect, Uint8Array, JSON};
use twlab_core::to_mermaid;
use wasm_bindgen::prelude::*;

/// `{trace, text, mermaid, pcap, report, notes}`: the run as `twlab drill name --format json` writes it
/// (the trace with the script's notes and the mismatch), its text listing, its Mermaid diagram, its
/// pcap capture, packetdrill's report of the mismatch (or null) and what the script asked for that
/// twlab skipped; or, for a script that cannot be read or run, `{kind: "script", error: "script",
/// message, line, col}` with the place in the script (`message` is in English).
#[wasm_bindgen]
pub fn run_script(name: &str, text: &str) -> Result<JsValue, JsError> {
    let out = Object::new();
    let set = |key: &str, value: JsValue| Reflect::set(&out, &key.into(), &value).map(drop);
    match twlab_drill::run(text, name) {
        Ok(run) => {
            let json = serde_json::to_string(&run.annotated())
                .map_err(|e| JsError::new(&e.to_string()))?;
            let trace =
                JSON::parse(&json).map_err(|_| JsError::new("the trace is not valid JSON"))?;
            let notes = run
                .notes
                .iter()
                .map(JsValue::from)
                .collect::<js_sys::Array>();
            set("trace", trace)
                .and(set("text", run.trace.to_text().into()))
                .and(set("mermaid", to_mermaid(&run.trace).into()))
                .and(set(
                    "pcap",
                    Uint8Array::from(&twlab_capture::to_pcap(&run.trace)[..]).into(),
                ))
                .and(set(
                    "report",
                    run.report(name).map_or(JsValue::NULL, JsValue::from),
                ))
                .and(set("notes", notes.into()))
        }
        Err(e) => set("kind", "script".into())
            .and(set("error", "script".into()))
            .and(set("message", e.message.into()))
            .and(set("line", e.pos.line.into()))
            .and(set("col", e.pos.col.into())),
    }
    .map_err(|_| JsError::new("could not build the result object"))?;
    Ok(out.into())
}
