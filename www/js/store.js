// The lab's state and the only functions that change it. A session (a simulated scenario or a drawn
// capture, see lab.js and capture.js) answers the same questions; what it `can` do says which
// actions apply to it. Views never change `state`: they call these actions and draw when told (`on`).
// An action that the core rejects throws its Error and leaves everything as it was; a Crash (lab.js)
// also propagates, for crash.js to show.

import { load, presets as loadPresets, Session } from './lab.js';
import { analyse } from './trace.js';
import { buildTimeline } from './timeline.js';

export const state = {
  presets: [],
  base: null, // the chosen preset as the core gave it, a custom scenario, or a capture's description
  scenario: null, // the scenario now running (base + parameters), without the overrides
  overrides: [],
  session: null,
  twin: false,
  models: null, // { main, twin, before } as trace.js analyses them (before: the run a fork was made from)
  difference: null, // where a fork first parts from its run (the core's compare), if it does
  timeline: null,
  zoom: 1, // the time axis's zoom, kept across re-runs of the same scenario
  steps: [], // [{ at, run, index }]: the events the player steps through
  resetting: false, // between "Reset to default" and the fresh simulator: actions wait
  version: 0, // runs drawn so far: an action that awaited (a file, a language) and finds it changed
  // was overtaken by a later one, which wins
};

const listeners = { run: [], language: [] };

/** `on('run', fn(keep))`: a new run to draw, the player kept at `keep` (null: the start). */
export function on(event, fn) {
  listeners[event].push(fn);
}

export function emit(event, ...args) {
  for (const fn of listeners[event]) fn(...args);
}

/** What the session now shown can do: `{ fates, twin, params, link }`. */
export function can(what) {
  return Boolean(state.session?.can[what]) && !state.resetting;
}

/** Load the simulator (a fresh instance after a crash) and its presets. */
export async function start({ fresh = false } = {}) {
  await load({ fresh });
  state.presets = loadPresets();
}

/** Compute the runs (the twin only if asked and possible), then commit them and tell the views. */
function run(keep, twin = state.twin) {
  const withTwin = twin && state.session.can.twin;
  const runs = state.session.runs(withTwin);
  state.twin = withTwin;
  const model = (trace) => (trace ? analyse(trace) : null);
  state.models = { main: analyse(runs.trace), twin: model(runs.twin), before: model(runs.before) };
  state.difference = runs.difference;
  // A script's run names its lifelines, marks its arrows and narrates its comments (drill/).
  state.session.annotate?.(state.models.main);
  state.timeline = timeline();
  state.steps = buildSteps(state.models);
  state.version += 1;
  emit('run', keep);
}

function timeline() {
  const { main, twin, before } = state.models;
  return buildTimeline([main.trace, twin?.trace, before?.trace].filter(Boolean), main.trace.durations.delay, state.zoom);
}

/** Zoom the time axis to `zoom` (big/zoom.js keeps it in range); false if that changes nothing. */
export function setZoom(zoom) {
  if (!state.models || zoom === state.zoom) return false;
  state.zoom = zoom;
  state.timeline = timeline();
  return true;
}

/** The run shown beside the main one: 'twin', 'before' (a fork's), or none (a falsy value). */
export function otherRun() {
  return state.models.twin ? 'twin' : state.models.before && 'before';
}

/** Steps are the run's events; with another run shown, its events after the run's end follow. */
function buildSteps(models) {
  const steps = models.main.trace.events.map((e, index) => ({ at: e.at, run: 'main', index }));
  const other = otherRun();
  if (other) {
    const end = models.main.trace.end;
    models[other].trace.events.forEach((e, index) => {
      if (e.at > end) steps.push({ at: e.at, run: other, index });
    });
  }
  return steps;
}

function replaceSession(session) {
  state.session?.free();
  state.session = session;
}

export function choosePreset(name, { twin } = {}) {
  const preset = state.presets.find((p) => p.name === name) || state.presets[0];
  // The benchmark's bulk runs (main.js) are no presets of the core's.
  const session = preset.bulk ? Session.bulk(preset.bulk) : Session.preset(preset.name);
  openScenario(preset, preset, { twin, session });
}

/**
 * Show `session`, the run of `scenario` (its fates included); `base` is the preset it started
 * from, or itself if custom.
 */
export function openScenario(base, scenario, { twin = state.twin, session }) {
  replaceSession(session);
  state.base = base;
  state.scenario = { ...scenario, overrides: [] };
  state.overrides = [...(scenario.overrides || [])];
  state.zoom = 1;
  run(null, twin);
}

/** Show a capture's session; `base` names and describes it. */
export function openCapture(base, session) {
  replaceSession(session);
  state.base = base;
  state.scenario = null;
  state.overrides = [];
  state.zoom = 1;
  run(null, false);
}

/** Show `session` (a fork of the run shown, or the run a fork leaves) in place of this one. */
export function swapSession(session, keep) {
  replaceSession(session);
  run(keep, false);
}

/** The twin run beside the main one, or not. */
export function setTwin(on, keep) {
  if (state.resetting || (on && !can('twin'))) return;
  run(keep, on);
}

/** New fates for the segments; throws (changing nothing) if the core rejects them. */
export function setOverrides(overrides, keep) {
  if (!can('fates')) return false;
  state.session.setOverrides(overrides);
  state.overrides = overrides;
  run(keep);
  return true;
}

/** New parameters (a scenario without its overrides); throws (changing nothing) if rejected. */
export function setScenario(scenario, keep) {
  if (!can('params')) return false;
  state.session.setScenario({ ...scenario, overrides: state.overrides });
  state.scenario = scenario;
  run(keep);
  return true;
}

/** The share link's fragment for what is shown (null for a capture, which has none). */
export function link(lang, step) {
  return can('link') ? state.session.link(state.twin, lang, step) : null;
}

/** Back to the first preset in a freshly instantiated simulator (the old instance may be poisoned). */
export async function reset() {
  if (state.resetting) return;
  state.resetting = true;
  try {
    await start({ fresh: true });
    // The old session belongs to the old instance: it is dropped with it, never called again.
    state.session = null;
    state.base = null;
  } finally {
    state.resetting = false;
  }
  choosePreset(state.presets[0].name, { twin: false });
}
