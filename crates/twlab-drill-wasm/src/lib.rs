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

use js_sys::{Object, Reflect, Uint8Array};
use twlab_formats::to_mermaid;
use twlab_jsdata::to_js;
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
            let trace = to_js(&run.annotated())?;
            let notes = run
                .notes
                .iter()
                .map(JsValue::from)
                .collect::<js_sys::Array>();
            set("trace", trace)
                .and(set("text", twlab_formats::to_text(&run.trace).into()))
                .and(set("mermaid", to_mermaid(&run.trace).into()))
                .and(set(
                    "pcap",
                    Uint8Array::from(&twlab_formats::to_pcap(&run.trace)[..]).into(),
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

/// The share link's fragment for a script (`v1/drill/…/end`), or null if it would be longer than a
/// twlab link may be.
#[wasm_bindgen]
pub fn script_link(
    name: &str,
    text: &str,
    lang: Option<String>,
    step: Option<u32>,
) -> Option<String> {
    twlab_drill::link::encode(&twlab_drill::link::ScriptLink {
        name: name.into(),
        text: text.into(),
        lang,
        step,
    })
}

/// A script link's `{name, text, lang, step}`; for a damaged one the error as the lab's links give
/// it, `{kind, message, …}` (`truncated`, `too_long`, `malformed`); null for a link that is no script's.
#[wasm_bindgen]
pub fn open_script_link(fragment: &str) -> Result<JsValue, JsError> {
    let Some(decoded) = twlab_drill::link::decode(fragment) else {
        return Ok(JsValue::NULL);
    };
    let out = Object::new();
    let set = |key: &str, value: JsValue| Reflect::set(&out, &key.into(), &value).map(drop);
    match decoded {
        Ok(link) => set("name", link.name.into())
            .and(set("text", link.text.into()))
            .and(set("lang", link.lang.map_or(JsValue::NULL, JsValue::from)))
            .and(set("step", link.step.map_or(JsValue::NULL, JsValue::from))),
        Err(e) => {
            Object::assign(&out, &to_js(&e)?.into());
            set("message", e.to_string().into())
        }
    }
    .map_err(|_| JsError::new("could not build the result object"))?;
    Ok(out.into())
}
