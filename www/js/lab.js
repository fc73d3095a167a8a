// The only module that talks to the wasm: load it, list the presets, run scenarios. Errors from the
// core arrive as Error objects whose message names the field ("params.msl: 1h is out of range …").

import init, { presets as wasmPresets, bulk, Lab } from '../pkg/twlab_wasm.js';

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

  free() {
    this.lab.free();
  }
}
