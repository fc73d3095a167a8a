//! Drawing a real capture in the browser. A module of its own so that the page's first load stays
//! small: it is fetched only when a reader drops a pcap or pcapng file. No parsing lives here; it is
//! [`twlab_capture`], the same code the CLI runs.
//!
//! ```js
//! const { default: init, draw_capture } = await import("./pkg/twlab_capture_wasm.js");
//! await init();
//! const drawn = draw_capture("dump.pcap", new Uint8Array(await file.arrayBuffer()), 0);
//! drawn.trace ?? drawn.error;  // a trace like Lab.trace()'s (with .text, .mermaid), or what is wrong with the file
//! drawn.streams;               // every TCP stream: [{index, client, server, packets, ending}]
//! ```

use js_sys::{Object, Reflect};
use twlab_capture as capture;
use twlab_core::error::ErrorData;
use twlab_formats::{to_mermaid, to_text};
use twlab_jsdata::to_js;
use wasm_bindgen::prelude::*;

/// `{trace, text, mermaid, streams}` for TCP stream `stream` (Wireshark's `tcp.stream`, 0 when absent):
/// the trace as `twlab run file.pcap --stream N --format json` prints it, its text listing and its
/// Mermaid sequence diagram (every export the page offers for a run), and every
/// stream of the capture (`{index, client: "[::1]:40001", server, packets, ending: {kind, …}}`); or
/// the error in the lab's one shape (twlab-wasm's crate doc), `{kind, message}`, where `kind` is
/// `not_a_capture`, `truncated`, `unsupported_link`, `no_tcp` or `no_stream` for the page's own words
/// and `message` says it in English; `error` repeats the kind (what the page read before errors had
/// one shape).
#[wasm_bindgen]
pub fn draw_capture(name: &str, bytes: &[u8], stream: Option<u32>) -> Result<JsValue, JsError> {
    let out = Object::new();
    let set = |key: &str, value: JsValue| Reflect::set(&out, &key.into(), &value).map(drop);
    let drawn = capture::open(bytes)
        .and_then(|c| Ok((c.draw(name, stream.unwrap_or(0))?, c.streams().to_vec())));
    match drawn {
        Ok((trace, streams)) => set("trace", to_js(&trace)?)
            .and(set("text", to_text(&trace).into()))
            .and(set("mermaid", to_mermaid(&trace).into()))
            .and(set("streams", to_js(&streams)?)),
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
