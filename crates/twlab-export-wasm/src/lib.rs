//! The page's downloads of a simulated run: the text listing, the Mermaid diagram and the pcap
//! capture. A module of its own so that the page's first load carries none of them: it is fetched the
//! first time a reader downloads one. It runs the lab's scenario again (a run is deterministic: the
//! same trace, byte for byte, within the same page budget) and writes it with [`twlab_formats`], the
//! code behind `twlab run --format text|mermaid|pcap`.
//!
//! ```js
//! const { default: init, text, mermaid, pcap } = await import("./pkg/twlab_export_wasm.js");
//! await init();
//! const scenario = JSON.stringify(lab.scenario());  // the scenario as it is now, fates included
//! text(scenario);     // the listing, as `twlab run` prints it
//! mermaid(scenario);  // a Mermaid sequenceDiagram
//! pcap(scenario);     // a Uint8Array: the capture file
//! ```
//!
//! A scenario the lab ran always runs here; anything else throws an `Error` without a `kind` (not
//! the reader's fault: the page treats it as a crash).

use twlab_core::sim::{simulate_within, PAGE_BUDGET};
use twlab_core::{Scenario, Trace};
use wasm_bindgen::prelude::*;

/// The run of `scenario` (scenario JSON, as `Lab.scenario()` gives it), as the lab ran it.
fn run(scenario: &str) -> Result<Trace, JsError> {
    let scenario: Scenario =
        serde_json::from_str(scenario).map_err(|e| JsError::new(&e.to_string()))?;
    simulate_within(&scenario, PAGE_BUDGET).map_err(|e| JsError::new(&e.to_string()))
}

/// The tcpdump-like listing of the run.
#[wasm_bindgen]
pub fn text(scenario: &str) -> Result<String, JsError> {
    Ok(twlab_formats::to_text(&run(scenario)?))
}

/// The run as a Mermaid `sequenceDiagram`.
#[wasm_bindgen]
pub fn mermaid(scenario: &str) -> Result<String, JsError> {
    Ok(twlab_formats::to_mermaid(&run(scenario)?))
}

/// The run as a pcap capture file for Wireshark and tshark.
#[wasm_bindgen]
pub fn pcap(scenario: &str) -> Result<Vec<u8>, JsError> {
    Ok(twlab_formats::to_pcap(&run(scenario)?))
}
