// The only module that talks to the wasm: load it, list the presets, run scenarios. Errors from the
// core arrive as Error objects whose message names the field ("params.msl: 1h is out of range …").

import init, { presets as wasmPresets, open_link as wasmOpenLink, bulk, Lab } from '../pkg/twlab_wasm.js';

let ready = null;

/** Load and instantiate the wasm once. */
export function load() {
  ready ??= init();
  return ready;
}

export function presets() {
  return wasmPresets();
}

/** A bulk transfer of `segments` segments with 2% of them lost: the benchmark's big diagrams. */
export function bulkScenario(segments) {
  return bulk(segments, 20, 1);
}

/**
 * Read a share link (a URL fragment): { scenario, twin, lang, step }, or { error, message } where
 * `error` is the kind of damage ("truncated", "future_version", …) and `message` the core's English.
 */
export function openLink(fragment) {
  return wasmOpenLink(fragment);
}

/**
 * One scenario and its runs. `runs(twin)` gives { trace, twin? } as plain data; `setScenario` and
 * `setOverrides` re-run and throw (leaving everything as it was) if the core rejects the change.
 */
export class Session {
  constructor(scenario) {
    this.lab = new Lab(scenario);
  }

  scenario() {
    return this.lab.scenario();
  }

  setScenario(scenario) {
    this.lab.set_scenario(scenario);
  }

  setOverrides(overrides) {
    this.lab.set_overrides(overrides);
  }

  runs(withTwin) {
    return { trace: this.lab.trace(), twin: withTwin ? this.lab.twin_trace() : null };
  }

  text() {
    return this.lab.text();
  }

  /** The share link's fragment (without "#"); `step` null leaves the reader at the end. */
  link(twin, lang, step) {
    return this.lab.link(twin, lang, step);
  }

  /** The run as a pcap file (Uint8Array). */
  pcap() {
    return this.lab.pcap();
  }

  free() {
    this.lab.free();
  }
}
