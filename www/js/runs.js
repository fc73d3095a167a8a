// The runs as figures: each with its title, parameters, outcome and diagram (diagram.js), side by
// side with the twin; a big run's arrows are drawn by the big-run layer, fetched the first time one is
// shown (big/); the transcript is the text alternative, built while it is open.

import { t, formatDuration } from './i18n.js';
import { outcomeText } from './narration.js';
import { drawDiagram } from './diagram.js';
import { renderTranscript } from './transcript.js';
import { state, otherRun } from './store.js';
import { showError } from './crash.js';
import { ui, loadStyle } from './dom.js';

let drawn = []; // [{ id, model, view }]
let width = 0;
let cullPending = false;
let mark = null;
let big = null; // the big-run layer's module, once fetched
let fetching = null;

/** Fetch the big-run layer and its styles, then draw again (whatever is shown by then). */
export function fetchBig() {
  return fetching ||= Promise.all([import('./big/index.js'), loadStyle('css/big.css')]).then(([module]) => {
    big = module;
    loaded(module);
  }, (e) => {
    // Offline, or the file is missing: say so; the next big run tries again.
    fetching = null;
    showError(e.message || String(e));
  });
}

let loaded = () => {};
/** `fn(module)` once the big-run layer is fetched (main.js hands it the page and draws again). */
export function onBigLoaded(fn) {
  loaded = fn;
}

/** The diagrams now drawn. */
export function views() {
  return drawn;
}

/** Whether the diagrams' box changed width since they were drawn. */
export function resized() {
  return ui.diagrams.clientWidth !== width;
}

// Durations as the trace gives them in µs (`durations`; its `time_wait` is null when skipped).
function runTitle(model, id) {
  const d = model.trace.durations;
  if (id === 'twin') return t('withoutTimeWait');
  if (id === 'before') return t('forkBefore');
  if (state.models.before) return t('forkAfter');
  if (!state.twin) return t('thisRun');
  return t('withTimeWait', d.time_wait == null ? 'skip' : formatDuration(d.time_wait));
}

function paramsSummary(trace) {
  const d = trace.durations;
  const tw = d.time_wait == null ? 'skip' : `${trace.params.time_wait} = ${formatDuration(d.time_wait)}`;
  return `MSL ${formatDuration(d.msl)} · ${t('delay')} ${formatDuration(d.delay)} · TIME-WAIT ${tw}`;
}

const OUTCOME_ICON = {
  closed_cleanly: '✓',
  reset: '✗',
  timed_out: '✗',
  stale_data: '✗',
  time_wait_assassinated: '!',
  unfinished: '…',
};

/** Why the run ends early: {kind: "events", limit: 20000}, {kind: "time", limit: "6h"}, or a capture's note. */
function stoppedText(stopped) {
  if (stopped.kind === 'capture') return stopped.note;
  const limit = stopped.kind === 'time' ? formatDuration(stopped.limit_us) : stopped.limit;
  return t(`stopped.${stopped.kind}`, limit);
}

function caption(id, model) {
  const node = document.createElement('figcaption');
  const title = document.createElement('h2');
  title.className = 'run-title';
  title.textContent = runTitle(model, id);
  const summary = document.createElement('p');
  summary.className = 'run-params';
  summary.textContent = paramsSummary(model.trace);
  const kind = model.trace.outcome.verdict.kind;
  const outcome = document.createElement('p');
  outcome.className = `outcome outcome-${kind}`;
  outcome.dataset.kind = kind;
  const icon = document.createElement('span');
  icon.className = 'outcome-icon';
  icon.setAttribute('aria-hidden', 'true');
  icon.textContent = OUTCOME_ICON[kind] || '•';
  const words = document.createElement('span');
  words.className = 'outcome-text';
  words.textContent = outcomeText(model.trace);
  outcome.append(icon, words);
  node.append(title, summary, outcome);
  if (model.trace.stopped) {
    const stopped = document.createElement('p');
    stopped.className = 'run-stopped';
    stopped.setAttribute('role', 'status');
    stopped.textContent = t('stoppedEarly', stoppedText(model.trace.stopped));
    node.appendChild(stopped);
  }
  return node;
}

/** The figures drawn last ({ ids, figures, widths }): a redraw of the same runs keeps them. */
let frames = { ids: '', figures: [], widths: [] };

/**
 * Draw every run of `state.models` anew. The same runs as before (a new fate, a new step of the
 * tour) keep their figures and widths: reading the widths lays the page out at once, a fifth of a
 * toggle's time; `measure` (the window was resized) reads them again.
 */
export function drawRuns({ measure = false } = {}) {
  const other = otherRun();
  ui.diagrams.classList.toggle('is-twin', Boolean(other));
  // A fork reads left to right: the run it was made from, then the fork.
  const runs = [['main', state.models.main]];
  if (other) runs[other === 'before' ? 'unshift' : 'push']([other, state.models[other]]);
  // The first event where a fork parts from its run, in each (the core's compare); a run that
  // ended first shares all it has.
  const d = state.models.before && state.difference;
  const ids = runs.map(([id]) => id).join();
  if (measure || ids !== frames.ids || !frames.figures.every((f) => f.figure.isConnected)) {
    const figures = runs.map(([id]) => {
      const figure = document.createElement('figure');
      figure.className = `run run-${id}`;
      figure.dataset.run = id;
      const wrap = document.createElement('div');
      wrap.className = 'svg-wrap';
      figure.append(wrap);
      return { figure, wrap };
    });
    ui.diagrams.replaceChildren(...figures.map((f) => f.figure));
    width = ui.diagrams.clientWidth;
    // Read every width before adding any SVG, so that the page is laid out once, not once per run.
    frames = { ids, figures, widths: figures.map(({ wrap }) => Math.max(300, Math.floor(wrap.clientWidth))) };
  }
  drawn = runs.map(([id, model], i) => {
    const { figure, wrap } = frames.figures[i];
    wrap.replaceChildren();
    figure.replaceChildren(caption(id, model), wrap);
    const view = drawDiagram({
      model,
      timeline: state.timeline,
      width: frames.widths[i],
      id,
      label: `${runTitle(model, id)}: ${outcomeText(model.trace)}`,
      big,
      difference: d ? d[id === 'main' ? 'after' : 'before'] ?? model.trace.events.length : null,
    });
    if (view.waiting) fetchBig();
    wrap.appendChild(view.svg);
    return { id, model, view };
  });
  // Zooming is for big runs (big/zoom.js): its controls show with one.
  big?.showZoom(drawn.some(({ view }) => view.big));
  cull();
  drawTranscript();
}

function cull() {
  cullPending = false;
  for (const { view } of drawn) view.cull();
}

/** Cull on the next frame after a scroll, or first thing in the player's frame if it comes first. */
export function cullSoon() {
  if (cullPending) return;
  cullPending = true;
  requestAnimationFrame(() => cullPending && cull());
}

export function cullIfPending() {
  if (cullPending) cull();
}

/** The text alternative, built while its <details> is open (a long run has thousands of rows). */
export function drawTranscript() {
  if (!ui.transcriptBox.open) {
    ui.transcript.replaceChildren();
    mark = null;
    return;
  }
  mark = renderTranscript(ui.transcript, drawn.map(({ id, model }) => ({
    id,
    model,
    title: `${runTitle(model, id)}: ${outcomeText(model.trace)}`,
  })));
}

/** Mark the rows of the events shown (`{ main: i, twin: j }`) in the transcript, if it is open. */
export function markTranscript(shown) {
  mark?.(shown);
}
