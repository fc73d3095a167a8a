// The page: load the simulator, pick a scenario, run it (and its no-TIME-WAIT twin), draw, narrate,
// play. Every change (a toggled segment, new parameters, another language) re-runs or redraws at
// once and keeps the reader's place in the run, and the address bar holds the share link for it.
// With ?embed (an iframe in someone's article) the page drops its chrome and reports its height.

import { load, presets, openLink, bulkScenario, Session, Crash } from './lab.js';
import { openCapture } from './capture.js';
import { showStreams, hideStreams, relabelStreams } from './streams.js';
import { t, setLanguage, initialLanguage, language, formatTime, formatDuration, explainError } from './i18n.js';
import { analyse, lastEventAt } from './trace.js';
import { buildTimeline } from './timeline.js';
import { drawDiagram } from './diagram.js';
import { narrate, outcomeText, durationUs, timeWaitUs } from './narration.js';
import { Player, bindPlayer, DWELL } from './controls.js';
import { toggleDrop, withFate, fateOf, renderChanges, openFateMenu, segmentLabel } from './toggles.js';
import { showParams, scenarioFromForm, showParamsError, translateProfiles } from './params.js';
import { linkProblem, pageBase, copyText, embedSnippets, download, svgDocument, pngBlob } from './share.js';
import { renderTranscript } from './transcript.js';

const $ = (id) => document.getElementById(id);
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
const query = new URLSearchParams(location.search);
const embedded = query.has('embed');

const state = {
  presets: [],
  base: null, // the chosen preset, as the core gave it
  scenario: null, // the scenario now running (base + parameters), without the overrides
  overrides: [],
  session: null,
  twin: false,
  models: null,
  timeline: null,
  steps: [],
  views: [],
  dwell: new Map(),
  lastNarrated: null,
  lastAnnounced: null,
  quiet: false, // drawing a new run: nothing to announce
  markTranscript: null,
  width: 0,
};

const ui = {
  lab: $('lab'),
  status: $('status'),
  error: $('error'),
  errorText: $('error-text'),
  errorReset: $('error-reset'),
  announcer: $('announcer'),
  transcriptBox: $('transcript-box'),
  transcript: $('transcript'),
  preset: $('preset'),
  description: $('preset-description'),
  twin: $('twin'),
  form: $('params'),
  paramsError: $('params-error'),
  diagrams: $('diagrams'),
  changes: $('change-list'),
  resetChanges: $('reset-changes'),
  menu: $('fate-menu'),
  play: $('play'),
  back: $('step-back'),
  forward: $('step-forward'),
  start: $('to-start'),
  end: $('to-end'),
  scrubber: $('scrubber'),
  speed: $('speed'),
  clock: $('clock'),
  stepCount: $('step-count'),
  narrationTime: $('narration-time'),
  narrationActor: $('narration-actor'),
  narrationText: $('narration-text'),
  narrationWhy: $('narration-why'),
  narrationTwin: $('narration-twin'),
  copyLink: $('copy-link'),
  shareLink: $('share-link'),
  shareStatus: $('share-status'),
  embedButton: $('embed-button'),
  embedPanel: $('embed-panel'),
  embedElement: $('embed-element'),
  embedIframe: $('embed-iframe'),
  openFull: $('open-full'),
  captureFile: $('capture-file'),
  paramsBox: $('params-box'),
  changesBox: $('changes-box'),
};

const player = new Player({
  onChange: render,
  reducedMotion: () => reducedMotion.matches,
  dwellFor: (i) => dwellFor(i),
});

/** Show `message` (as text) above the lab; `reset` adds the "Reset to default" button. */
function showError(message, { reset = false } = {}) {
  ui.error.hidden = !message;
  ui.errorText.textContent = message || '';
  ui.errorReset.hidden = !reset;
}

/**
 * Something failed that is not the reader's doing: a panic inside the wasm, or a bug in the page.
 * Stop playing, say so, and offer a fresh start; the page stays usable.
 */
function crashed(error) {
  player.pause();
  document.body.dataset.crashed = 'true';
  showError(t('crashed', error?.message || String(error)), { reset: true });
}

/** Run `fn`; a Crash is shown with its reset action, anything else (a rejected scenario) rethrown. */
function guarded(fn) {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof Crash)) throw e;
    crashed(e);
    return undefined;
  }
}

/** Back to the first preset in a freshly instantiated simulator (the old instance may be poisoned). */
async function resetToDefault() {
  showError('');
  try {
    await load({ fresh: true });
    state.presets = presets();
  } catch (e) {
    crashed(e);
    return;
  }
  state.session = null;
  state.base = null;
  state.twin = false;
  ui.twin.checked = false;
  delete document.body.dataset.crashed;
  fillPresetPicker();
  guarded(() => choosePreset(state.presets[0].name));
  ui.preset.focus();
}

window.addEventListener('error', (ev) => crashed(ev.error || ev.message));
window.addEventListener('unhandledrejection', (ev) => crashed(ev.reason));

// ---- language ---------------------------------------------------------------------------------

function savedLanguage() {
  try {
    return localStorage.getItem('twlab.lang');
  } catch {
    return null;
  }
}

function applyLanguage(code, save) {
  const lang = setLanguage(code);
  document.documentElement.lang = lang;
  if (save) {
    try {
      localStorage.setItem('twlab.lang', lang);
    } catch {
      // Storage may be off (private mode, sandboxed frame): the choice lasts for this visit.
    }
  }
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t(node.dataset.i18nLabel));
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  document.title = `twlab: ${t('title')}`;
  translateProfiles(ui.form);
  fillPresetPicker();
  relabelStreams();
  if (state.models) {
    state.lastNarrated = null;
    redraw();
    renderChangeList();
    syncLink();
  }
}

// ---- scenarios ------------------------------------------------------------------------------

function presetTitle(p) {
  const own = t(`presets.${p.name}`);
  return Array.isArray(own) ? own : [p.name, p.description];
}

function fillPresetPicker() {
  const chosen = ui.preset.value;
  ui.preset.replaceChildren();
  // A custom scenario from a link is listed under its own name while it is shown.
  const custom = state.base && !state.presets.includes(state.base) ? [state.base] : [];
  for (const p of [...state.presets, ...custom]) {
    const option = document.createElement('option');
    option.value = p.name;
    option.textContent = presetTitle(p)[0];
    option.title = presetTitle(p)[1];
    ui.preset.appendChild(option);
  }
  if (chosen) ui.preset.value = chosen;
  if (state.base) ui.description.textContent = presetTitle(state.base)[1];
}

/** A simulated run, or a capture (drawn as recorded: no twin, parameters, fates or link). */
function setCaptureMode(on) {
  state.capture = on;
  ui.changesBox.hidden = on;
  ui.twin.disabled = on;
  ui.paramsBox.hidden = on;
  ui.copyLink.hidden = on;
  ui.embedButton.hidden = on;
  ui.embedPanel.hidden = ui.embedPanel.hidden || on;
  if (!on) hideStreams();
}

/** Draw a capture file (dropped or picked); what is wrong with a file that cannot be read is said. */
async function showCapture(file, stream = 0) {
  let session;
  try {
    session = await openCapture(file, stream);
  } catch (e) {
    showError(t('badCapture', file.name, e.kind ? t(`captureErrors.${e.kind}`) : e.message || String(e)));
    return;
  }
  showError('');
  const { trace } = session.runs();
  const pair = trace.name.slice(trace.name.indexOf(': ') + 2);
  state.twin = false;
  ui.twin.checked = false;
  state.base = { name: file.name, description: t('captureAbout', file.name, pair, trace.segments.length) };
  state.scenario = { name: file.name, profile: 'linux', params: {}, client: [], server: [] };
  state.overrides = [];
  state.session?.free();
  state.session = session;
  fillPresetPicker();
  ui.preset.value = file.name;
  setCaptureMode(true);
  showStreams(session, (n) => showCapture(file, n));
  rerun(null);
  player.toEnd();
  // A capture has no share link: the address bar keeps only the page.
  history.replaceState(null, '', location.pathname + location.search);
}

function bindCaptures() {
  ui.captureFile.addEventListener('change', () => {
    const [file] = ui.captureFile.files;
    ui.captureFile.value = '';
    if (file) showCapture(file);
  });
  const carriesFiles = (ev) => [...(ev.dataTransfer?.types || [])].includes('Files');
  document.addEventListener('dragover', (ev) => {
    if (!carriesFiles(ev)) return;
    ev.preventDefault();
    document.body.classList.add('dropping');
  });
  document.addEventListener('dragleave', (ev) => {
    if (!ev.relatedTarget) document.body.classList.remove('dropping');
  });
  document.addEventListener('drop', (ev) => {
    const [file] = ev.dataTransfer?.files || [];
    document.body.classList.remove('dropping');
    if (!file) return;
    ev.preventDefault();
    showCapture(file);
  });
}

function choosePreset(name) {
  const preset = state.presets.find((p) => p.name === name) || state.presets[0];
  openScenario(preset, preset);
}

/** Run `scenario` (its fates included); `base` is the preset it started from, or itself if custom. */
function openScenario(base, scenario) {
  state.base = base;
  setCaptureMode(false);
  fillPresetPicker();
  ui.preset.value = base.name;
  state.scenario = { ...scenario, overrides: [] };
  state.overrides = [...(scenario.overrides || [])];
  ui.description.textContent = presetTitle(base)[1];
  showParamsError(ui.form, ui.paramsError, null);
  const session = new Session({ ...state.scenario, overrides: state.overrides });
  state.session?.free();
  state.session = session;
  rerun(null);
  syncLink();
}

// ---- share links ------------------------------------------------------------------------------

/** The step a link records: 0 before the first event, n after the nth (the "step n of …" shown). */
function currentStep() {
  return player.step + 1;
}

/**
 * The address bar holds the link to what is shown (without the step, which changes as it plays).
 * It is written once the change is on screen: replaceState takes the browser milliseconds, a toggle
 * should not wait for it.
 */
let linkFrame = 0;
function syncLink() {
  if (!state.session) return;
  cancelAnimationFrame(linkFrame);
  linkFrame = requestAnimationFrame(() => setTimeout(() => {
    if (state.session) history.replaceState(null, '', `#${state.session.link(state.twin, language(), null)}`);
  }));
  if (!ui.embedPanel.hidden) showEmbed();
  if (embedded) ui.openFull.href = `${pageBase()}#${state.session.link(state.twin, language(), currentStep())}`;
}

/**
 * Open the link in the address bar: its scenario, toggles, language and step. A link that does not
 * open leaves a message and the first scenario; no link at all is the first scenario.
 */
function openFromHash() {
  const fragment = location.hash.slice(1);
  const opened = fragment ? openLink(fragment) : { error: null };
  if (opened.error !== undefined) {
    showError(opened.error ? linkProblem(opened) : '');
    if (!state.session) choosePreset(state.presets[0].name);
    else syncLink();
    return;
  }
  showError('');
  if (opened.lang) applyLanguage(initialLanguage(opened.lang, [opened.lang]), false);
  state.twin = opened.twin;
  ui.twin.checked = opened.twin;
  const s = opened.scenario;
  const preset = state.presets.find((p) => p.name === s.name);
  const same = preset && JSON.stringify([preset.client, preset.server]) === JSON.stringify([s.client, s.server]);
  try {
    openScenario(same ? preset : s, s);
  } catch (e) {
    if (e instanceof Crash) throw e;
    // The link decoded but asks for something the simulator refuses: say what, show the first scenario.
    choosePreset(state.presets[0].name);
    showError(t('linkRefused', explainError(e)));
    return;
  }
  if (opened.step != null) {
    if (opened.step >= state.steps.length) player.toEnd();
    else player.toStep(opened.step - 1);
  }
}

function showEmbed() {
  const fragment = state.session.link(state.twin, language(), null);
  const snippets = embedSnippets(pageBase(), fragment, `twlab: ${presetTitle(state.base)[0]}`);
  ui.embedElement.value = snippets.element;
  ui.embedIframe.value = snippets.iframe;
}

function bindShare() {
  ui.copyLink.addEventListener('click', async () => {
    const link = `${pageBase()}#${state.session.link(state.twin, language(), currentStep())}`;
    const copied = await copyText(link, ui.shareLink);
    ui.shareStatus.textContent = t(copied ? 'linkCopied' : 'linkSelected');
  });
  ui.embedButton.addEventListener('click', () => {
    const open = ui.embedPanel.hidden;
    ui.embedPanel.hidden = !open;
    ui.embedButton.setAttribute('aria-expanded', String(open));
    if (open) showEmbed();
  });
  const menu = document.querySelector('.export-menu');
  menu.addEventListener('click', (ev) => {
    const kind = ev.target.closest('[data-export]')?.dataset.export;
    if (!kind) return;
    menu.open = false;
    exportAs(kind).catch((e) => showError(t('crashed', e.message || String(e))));
  });
  // The menu closes like a menu: a click elsewhere, or Escape.
  document.addEventListener('pointerdown', (ev) => {
    if (menu.open && !menu.contains(ev.target)) menu.open = false;
  });
  menu.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape' || !menu.open) return;
    menu.open = false;
    menu.querySelector('summary').focus();
  });
}

async function exportAs(kind) {
  const name = state.models.main.trace.name || 'twlab';
  if (kind === 'json') download(`${name}.json`, 'application/json', `${JSON.stringify(state.models.main.trace, null, 2)}\n`);
  else if (kind === 'text') download(`${name}.txt`, 'text/plain', state.session.text());
  else if (kind === 'mermaid') download(`${name}.mmd`, 'text/plain', state.session.mermaid());
  else if (kind === 'pcap') download(`${name}.pcap`, 'application/vnd.tcpdump.pcap', state.session.pcap());
  else {
    const doc = wholeDiagram();
    if (kind === 'svg') download(`${name}.svg`, 'image/svg+xml', doc.text);
    else download(`${name}.png`, 'image/png', await pngBlob(doc));
  }
}

/** The main run's diagram as a standalone SVG, drawn to its end whatever step the reader is at. */
function wholeDiagram() {
  const { view, model } = state.views.find((v) => v.id === 'main');
  view.setTime(state.timeline.end, model.trace.events.length - 1);
  view.highlight(-1);
  try {
    return svgDocument(view.svg);
  } finally {
    render({ t: player.t, step: player.step, playing: player.playing });
  }
}

function rerun(keep) {
  const runs = state.session.runs(state.twin);
  state.models = { main: analyse(runs.trace), twin: runs.twin ? analyse(runs.twin) : null };
  state.timeline = buildTimeline([runs.trace, runs.twin].filter(Boolean), durationUs(runs.trace.params.delay));
  state.steps = buildSteps(state.models);
  state.dwell = new Map();
  state.lastNarrated = null;
  state.lastAnnounced = null;
  showParams(ui.form, state.scenario, runs.trace.params);
  state.quiet = true;
  try {
    draw();
    renderChangeList();
    player.load(state.steps, state.timeline, keep);
  } finally {
    state.quiet = false;
  }
}

/** Steps are the run's events; with the twin shown, its events after the run's end follow. */
function buildSteps(models) {
  const steps = models.main.trace.events.map((e, index) => ({ at: e.at, run: 'main', index }));
  if (models.twin) {
    const end = models.main.trace.end;
    models.twin.trace.events.forEach((e, index) => {
      if (e.at > end) steps.push({ at: e.at, run: 'twin', index });
    });
  }
  return steps;
}

/** How long the player pauses on step `i`: long enough to read its narration. */
function dwellFor(i) {
  if (!state.dwell.has(i)) {
    const step = state.steps[i];
    const model = step && state.models[step.run];
    const e = model?.trace.events[step.index];
    let seconds = DWELL.event;
    if (!e) seconds = 0;
    else if (narrate(model, step.index).why) seconds = DWELL.why;
    else if (e.type.startsWith('timer_')) seconds = DWELL.timer;
    state.dwell.set(i, seconds);
  }
  return state.dwell.get(i);
}

// ---- drawing ----------------------------------------------------------------------------------

function runTitle(model, twin) {
  const p = model.trace.params;
  if (twin) return t('withoutTimeWait');
  if (!state.twin) return t('thisRun');
  return t('withTimeWait', p.time_wait === 'skip' ? 'skip' : formatDuration(timeWaitUs(p)));
}

function paramsSummary(trace) {
  const p = trace.params;
  const tw = p.time_wait === 'skip' ? 'skip' : `${p.time_wait} = ${formatDuration(timeWaitUs(p))}`;
  return `MSL ${formatDuration(durationUs(p.msl))} · ${t('delay')} ${formatDuration(durationUs(p.delay))} · TIME-WAIT ${tw}`;
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
  const limit = stopped.kind === 'time' ? formatDuration(durationUs(stopped.limit)) : stopped.limit;
  return t(`stopped.${stopped.kind}`, limit);
}

function draw() {
  ui.diagrams.classList.toggle('is-twin', Boolean(state.models.twin));
  const runs = [['main', state.models.main]];
  if (state.models.twin) runs.push(['twin', state.models.twin]);
  const figures = runs.map(([id, model]) => {
    const figure = document.createElement('figure');
    figure.className = `run run-${id}`;
    figure.dataset.run = id;
    const caption = document.createElement('figcaption');
    const title = document.createElement('h2');
    title.className = 'run-title';
    title.textContent = runTitle(model, id === 'twin');
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
    caption.append(title, summary, outcome);
    if (model.trace.stopped) {
      const stopped = document.createElement('p');
      stopped.className = 'run-stopped';
      stopped.setAttribute('role', 'status');
      stopped.textContent = t('stoppedEarly', stoppedText(model.trace.stopped));
      caption.appendChild(stopped);
    }
    const wrap = document.createElement('div');
    wrap.className = 'svg-wrap';
    figure.append(caption, wrap);
    return { id, model, figure, wrap };
  });
  ui.diagrams.replaceChildren(...figures.map((f) => f.figure));
  state.width = ui.diagrams.clientWidth;
  // Read every width before adding any SVG, so that the page is laid out once, not once per run.
  const widths = figures.map(({ wrap }) => Math.max(300, Math.floor(wrap.clientWidth)));
  state.views = figures.map(({ id, model, wrap }, i) => {
    const width = widths[i];
    const view = drawDiagram({
      model,
      timeline: state.timeline,
      width,
      id,
      label: `${runTitle(model, id === 'twin')}: ${outcomeText(model.trace)}`,
    });
    wrap.appendChild(view.svg);
    return { id, model, view };
  });
  cullDiagrams();
  drawTranscript();
}

/** A big run keeps only the arrows near the window in the DOM. */
let cullPending = false;
function cullDiagrams() {
  cullPending = false;
  for (const { view } of state.views) view.cull();
}

/** The text alternative, built while its <details> is open (a long run has thousands of rows). */
function drawTranscript() {
  if (!ui.transcriptBox.open) {
    ui.transcript.replaceChildren();
    state.markTranscript = null;
    return;
  }
  state.markTranscript = renderTranscript(ui.transcript, state.views.map(({ id, model }) => ({
    id,
    model,
    title: `${runTitle(model, id === 'twin')}: ${outcomeText(model.trace)}`,
  })));
}

function redraw() {
  draw();
  render({ t: player.t, step: player.step, playing: player.playing });
}

// ---- one frame --------------------------------------------------------------------------------

/**
 * The last event of `run` to show at time `tUs` and step `step`. The other run shows as many of its
 * events at this instant as the stepping run has shown of its own: the two runs are the same until
 * they differ, so side by side they stay in step event for event.
 */
function lastIndex(run, tUs, step) {
  if (step < 0) return -1;
  const s = state.steps[step];
  if (s.run === run) return s.index;
  const events = state.models[run].trace.events;
  const last = lastEventAt(events, tUs);
  const own = state.models[s.run].trace.events;
  if (own[s.index].at !== tUs) return last;
  const shownHere = s.index - firstEventAt(own, tUs) + 1;
  return Math.min(last, firstEventAt(events, tUs) + shownHere - 1);
}

/** The index of the first event at time `tUs` or later. */
function firstEventAt(events, tUs) {
  return lastEventAt(events, tUs - 1) + 1;
}

function render({ t: tUs, step, playing }) {
  if (!state.models) return;
  // Layout is read before this frame changes anything, so that reading it forces no extra layout.
  const follow = playing || document.activeElement === ui.forward || document.activeElement === ui.back;
  const place = follow ? cursorPlace() : null;
  if (cullPending) cullDiagrams();
  const shown = {};
  for (const { id, view } of state.views) {
    const last = lastIndex(id, tUs, step);
    view.setTime(tUs, last);
    view.highlight(last);
    shown[id] = last;
  }
  state.markTranscript?.(shown);
  ui.scrubber.value = String(Math.round(player.fraction() * 1000));
  ui.scrubber.setAttribute('aria-valuetext', formatTime(tUs));
  ui.clock.textContent = formatTime(tUs);
  ui.stepCount.textContent = t('stepOf', step + 1, state.steps.length);
  ui.play.classList.toggle('is-playing', playing);
  ui.play.setAttribute('aria-label', t(playing ? 'pause' : step >= state.steps.length - 1 ? 'replay' : 'play'));
  ui.back.disabled = step < 0;
  ui.forward.disabled = step >= state.steps.length - 1 && tUs >= state.timeline.end;
  narrateStep(tUs, step);
  if (place) keepCursorInView(place, playing);
}

function narrateStep(tUs, step) {
  const key = `${step}:${language()}:${state.models.twin ? lastIndex('twin', tUs, step) : ''}`;
  if (key === state.lastNarrated) return;
  state.lastNarrated = key;
  const why = ui.narrationWhy.querySelector('span');
  if (step < 0) {
    announce(step, null);
    ui.narrationTime.textContent = formatTime(0);
    ui.narrationActor.textContent = '';
    ui.narrationText.textContent = t('start');
    ui.narrationWhy.hidden = true;
    ui.narrationTwin.hidden = true;
    return;
  }
  const s = state.steps[step];
  const n = narrate(state.models[s.run], s.index);
  ui.narrationTime.textContent = n.time;
  ui.narrationActor.textContent = s.run === 'twin' ? `${n.actor} · ${t('withoutTimeWait')}` : n.actor;
  ui.narrationActor.dataset.side = n.side;
  ui.narrationText.textContent = n.text;
  ui.narrationWhy.hidden = !n.why;
  why.textContent = n.why;
  if (state.models.twin && s.run === 'main') {
    const ti = lastIndex('twin', tUs, step);
    const twinTrace = state.models.twin.trace;
    const other = ti >= 0 ? narrate(state.models.twin, ti) : null;
    ui.narrationTwin.hidden = false;
    if (tUs > twinTrace.end) ui.narrationTwin.textContent = t('twinOver', formatTime(twinTrace.end), outcomeText(twinTrace));
    else ui.narrationTwin.textContent = other && other.text !== n.text ? t('twinSays', other.text) : t('twinSame');
  } else ui.narrationTwin.hidden = true;
  announce(step, n, s.run);
}

/** Tell screen readers about a new step (playing or stepping), once per step. */
function announce(step, n, run) {
  if (state.lastAnnounced === step) return;
  state.lastAnnounced = step;
  if (state.quiet || !n) return;
  const who = run === 'twin' ? `${n.actor} (${t('withoutTimeWait')})` : n.actor;
  const twinSays = ui.narrationTwin.hidden ? '' : ` ${ui.narrationTwin.textContent}`;
  ui.announcer.textContent = `${t('announce', step + 1, state.steps.length, n.time, who, n.text)}${twinSays}`;
}

/** Where the cursor and the bottom of the sticky player are on screen now. */
function cursorPlace() {
  const cursor = ui.diagrams.querySelector('.cursor');
  if (!cursor) return null;
  const svg = cursor.ownerSVGElement;
  const stage = document.querySelector('.stage');
  return {
    cursor,
    y: Number(cursor.getAttribute('y1')),
    box: cursor.getBoundingClientRect(),
    scale: svg.getBoundingClientRect().height / Number(svg.getAttribute('height')) || 1,
    top: stage && getComputedStyle(stage).position === 'sticky' ? stage.getBoundingClientRect().bottom : 0,
  };
}

/** Scroll so the current instant is visible below the sticky player; `place` is from before it moved. */
function keepCursorInView(place, playing) {
  const shift = (Number(place.cursor.getAttribute('y1')) - place.y) * place.scale;
  const top = place.box.top + shift;
  const bottom = place.box.bottom + shift;
  const margin = 60;
  let delta = 0;
  if (top < place.top + margin / 2) delta = top - place.top - margin;
  else if (bottom > window.innerHeight - margin) delta = bottom - window.innerHeight + margin * 2;
  if (delta) window.scrollBy({ top: delta, behavior: playing || reducedMotion.matches ? 'auto' : 'smooth' });
}

// ---- toggles ----------------------------------------------------------------------------------

function renderChangeList() {
  renderChanges(ui.changes, {
    overrides: state.overrides,
    presetOverrides: state.base.overrides || [],
    trace: state.models.main.trace,
    onRemove: (o) => applyOverrides(withFate(state.overrides, o, null)),
  });
}

let toggles = 0;

/** Re-run with new fates, keep the place, and time it (toggle → diagram redrawn). */
function applyOverrides(overrides, focus) {
  const start = performance.now();
  try {
    state.session.setOverrides(overrides);
  } catch (e) {
    if (e instanceof Crash) crashed(e);
    else showError(t('invalid', explainError(e)));
    return;
  }
  showError('');
  state.overrides = overrides;
  rerun(player.place());
  syncLink();
  if (focus) {
    const again = ui.diagrams.querySelector(`figure[data-run="${focus.run}"] .flight[data-seg="${focus.seg}"][data-copy="${focus.copy}"]`)
      || ui.diagrams.querySelector(`.flight[data-seg="${focus.seg}"]`);
    again?.focus();
  }
  const ms = performance.now() - start;
  toggles += 1;
  document.body.dataset.toggleMs = ms.toFixed(2);
  document.body.dataset.toggles = String(toggles);
  // And until the new diagram is on screen: the frame after this task has been rendered.
  const count = toggles;
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      document.body.dataset.toggleFrameMs = (performance.now() - start).toFixed(2);
      document.body.dataset.toggleFrames = String(count);
    };
    channel.port2.postMessage(null);
  });
}

function flightId(node) {
  return { conn: Number(node.dataset.conn), from: node.dataset.from, nth: Number(node.dataset.nth) };
}

/** Where keyboard focus should return after a re-run redraws the arrows (none after a mouse click). */
function focusInfo(node) {
  if (!node.matches(':focus-visible')) return null;
  return { run: node.closest('figure')?.dataset.run, seg: node.dataset.seg, copy: node.dataset.copy };
}

function openMenuFor(node) {
  const id = flightId(node);
  openFateMenu(ui.menu, node, {
    label: segmentLabel(id, state.models.main.trace),
    current: fateOf(state.overrides, id),
    choose: (fate) => applyOverrides(withFate(state.overrides, id, fate), focusInfo(node)),
  });
}

function bindDiagrams() {
  // Until the simulator is ready the diagram is the build's pre-rendered picture: nothing to toggle.
  ui.diagrams.addEventListener('click', (ev) => {
    const node = state.models && ev.target.closest('.flight');
    // A capture is what happened: its segments have no fates to change.
    if (!node || state.capture) return;
    if (ev.shiftKey) return openMenuFor(node);
    applyOverrides(toggleDrop(state.overrides, flightId(node)), focusInfo(node));
  });
  ui.diagrams.addEventListener('contextmenu', (ev) => {
    const node = state.models && ev.target.closest('.flight');
    // A capture is what happened: its segments have no fates to change.
    if (!node || state.capture) return;
    ev.preventDefault();
    openMenuFor(node);
  });
  ui.diagrams.addEventListener('keydown', (ev) => {
    const node = state.models && ev.target.closest('.flight');
    // A capture is what happened: its segments have no fates to change.
    if (!node || state.capture) return;
    if ((ev.key === 'Enter' && ev.shiftKey) || ev.key === 'ContextMenu' || ev.key === 'm') {
      ev.preventDefault();
      openMenuFor(node);
    } else if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      applyOverrides(toggleDrop(state.overrides, flightId(node)), focusInfo(node));
    }
  });
}

// ---- start ------------------------------------------------------------------------------------

function bindSetup() {
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', () => applyLanguage(b.dataset.lang, true));
  }
  ui.preset.addEventListener('change', () => guarded(() => choosePreset(ui.preset.value)));
  ui.twin.addEventListener('change', () => {
    state.twin = ui.twin.checked;
    guarded(() => {
      rerun(player.place());
      syncLink();
    });
  });
  ui.errorReset.addEventListener('click', resetToDefault);
  ui.transcriptBox.addEventListener('toggle', () => {
    drawTranscript();
    if (state.models) render({ t: player.t, step: player.step, playing: player.playing });
  });
  ui.resetChanges.addEventListener('click', () => applyOverrides([...(state.base.overrides || [])]));
  ui.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    applyParams();
  });
  ui.form.elements.profile.addEventListener('change', applyParams);
  // Someone edited the address or followed a link to this page: open it (our own updates use
  // replaceState, which fires no hashchange).
  window.addEventListener('hashchange', () => guarded(openFromHash));
  // Culled on the next frame, or first thing in the player's frame if it comes first.
  window.addEventListener('scroll', () => {
    if (cullPending) return;
    cullPending = true;
    requestAnimationFrame(() => cullPending && cullDiagrams());
  }, { passive: true });
  let resize = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(resize);
    resize = requestAnimationFrame(() => {
      if (state.models && ui.diagrams.clientWidth !== state.width) redraw();
    });
  });
}

function applyParams() {
  const scenario = scenarioFromForm(ui.form, state.scenario, state.scenario.profile || 'lab');
  try {
    state.session.setScenario({ ...scenario, overrides: state.overrides });
  } catch (e) {
    if (e instanceof Crash) crashed(e);
    else showParamsError(ui.form, ui.paramsError, e);
    return;
  }
  showParamsError(ui.form, ui.paramsError, null);
  state.scenario = scenario;
  rerun({ t: 0, step: -1 });
  player.toEnd();
  syncLink();
}

/** In an iframe: no chrome, fewer controls unless asked, and the height for the host page. */
function setUpEmbedding() {
  const root = document.documentElement.classList;
  root.add('embed');
  if (query.get('controls') !== 'full') root.add('controls-minimal');
  ui.openFull.hidden = false;
  let last = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: 'twlab:height', height }, '*');
  }).observe(document.body);
}

async function start() {
  applyLanguage(initialLanguage(savedLanguage(), navigator.languages || [navigator.language]), false);
  if (embedded) setUpEmbedding();
  bindPlayer(player, ui);
  bindSetup();
  bindDiagrams();
  bindShare();
  if (!embedded) bindCaptures();
  try {
    await load();
    state.presets = presets();
  } catch (e) {
    ui.status.textContent = t('failed', e.message || String(e));
    ui.status.classList.add('error');
    return;
  }
  // #bulk-2000: a bulk transfer of that many segments, for the benchmark (bench/).
  const bulk = /^bulk-(\d{1,5})$/.exec(location.hash.slice(1));
  if (bulk) state.presets.push({ ...bulkScenario(Number(bulk[1])), name: `bulk-${bulk[1]}` });
  fillPresetPicker();
  guarded(() => (bulk ? choosePreset(`bulk-${bulk[1]}`) : openFromHash()));
  if (embedded && query.has('autoplay') && !reducedMotion.matches) {
    player.toStart();
    player.play();
  }
  ui.status.hidden = true;
  ui.lab.setAttribute('aria-busy', 'false');
  document.body.dataset.ready = 'true';
}

start();
