// The page: load the simulator, pick a scenario, run it (and its no-TIME-WAIT twin), draw, narrate,
// play. The state and its actions are store.js; the modules below draw from it and turn the
// reader's clicks into its actions. Every change re-runs or redraws at once and keeps the reader's
// place, and the address bar holds the share link for it. With ?embed (an iframe in someone's
// article) the page drops its chrome and reports its height.

import { bulkScenario } from './lab.js';
import { t } from './i18n.js';
import { state, on, start as startLab, choosePreset, setTwin, reset, setZoom } from './store.js';
import { guarded, whenCrashed, clearCrash, crashed } from './crash.js';
import { startLanguage, bindLanguage } from './language.js';
import { bindPlayer } from './controls.js';
import { player, renderNow, forgetDwell } from './frame.js';
import { drawRuns, drawTranscript, cullSoon, resized, onBigLoaded, views, fetchBig } from './runs.js';
import { forgetNarration } from './narration-panel.js';
import { quietly } from './announcer.js';
import { fillPresetPicker, showAbilities } from './picker.js';
import { syncLink, openFromHash } from './address.js';
import { bindEmbedPanel, refreshEmbed, setUpEmbedding, embedReady } from './embed.js';
import { bindExports } from './exports.js';
import { bindArrows, applyOverrides } from './arrows.js';
import { bindCaptures } from './capture-drop.js';
import { renderStreams } from './streams.js';
import { renderChanges, withFate } from './toggles.js';
import { showParams, showParamsError, translateParams, bindParams } from './params.js';
import { bindTeaching } from './teaching.js';
import { bindFork } from './forking.js';
import { ui, query, embedded, reducedMotion } from './dom.js';

function renderChangeList() {
  if (!state.session.can.fates) return;
  renderChanges(ui.changes, {
    overrides: state.overrides,
    presetOverrides: state.base.overrides || [],
    trace: state.models.main.trace,
    onRemove: (o) => applyOverrides(withFate(state.overrides, o, null)),
  });
}

// A new run: every view draws it, the player keeps the reader's place.
on('run', (keep) => {
  forgetDwell();
  forgetNarration();
  fillPresetPicker();
  showAbilities();
  renderStreams(state.session);
  if (state.session.can.params) showParams(ui.form, state.scenario, state.models.main.trace.params);
  quietly(() => {
    drawRuns();
    renderChangeList();
    player.load(state.steps, state.timeline, keep);
  });
  syncLink();
  refreshEmbed();
});

on('language', () => {
  translateParams(ui.form, ui.paramsError);
  if (!state.models) return;
  fillPresetPicker();
  renderStreams(state.session);
  forgetNarration();
  drawRuns();
  renderNow();
  renderChangeList();
  syncLink();
  refreshEmbed();
});

whenCrashed(() => player.pause());

async function resetToDefault() {
  try {
    await reset();
  } catch (e) {
    crashed(e);
    return;
  }
  clearCrash();
  showParamsError(ui.form, ui.paramsError, null);
  ui.preset.focus();
}

function bindSetup() {
  bindLanguage();
  ui.preset.addEventListener('change', () => guarded(() => {
    choosePreset(ui.preset.value);
    showParamsError(ui.form, ui.paramsError, null);
  }));
  ui.twin.addEventListener('change', () => {
    guarded(() => setTwin(ui.twin.checked, player.place()));
    // Refused (a capture, a reset under way) or crashed: the switch shows what is drawn.
    ui.twin.checked = state.twin;
  });
  ui.errorReset.addEventListener('click', resetToDefault);
  ui.transcriptBox.addEventListener('toggle', () => {
    drawTranscript();
    if (state.models) renderNow();
  });
  bindParams(ui.form, ui.paramsError);
  // Someone edited the address or followed a link to this page: open it (our own updates use
  // replaceState, which fires no hashchange).
  window.addEventListener('hashchange', (ev) => guarded(() => openFromHash(new URL(ev.newURL).hash.slice(1))));
  window.addEventListener('scroll', cullSoon, { passive: true });
  let resize = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(resize);
    resize = requestAnimationFrame(() => {
      if (state.models && resized()) {
        drawRuns({ measure: true });
        renderNow();
      }
    });
  });
}

async function start() {
  await startLanguage();
  if (embedded) setUpEmbedding();
  bindPlayer(player, ui);
  onBigLoaded((big) => {
    big.bindZoom({ state, setZoom, player, renderNow, views, drawRuns, ui });
    if (!state.models) return;
    drawRuns();
    renderNow();
  });
  bindSetup();
  bindArrows();
  bindEmbedPanel();
  bindExports();
  bindTeaching();
  bindFork();
  if (!embedded) bindCaptures();
  // #bulk-2000: a bulk transfer of that many segments, for the benchmark (bench/); its layer is
  // fetched with the simulator, so that the run is drawn once.
  const bulk = /^bulk-(\d{1,5})$/.exec(location.hash.slice(1));
  try {
    await Promise.all([startLab(), bulk && fetchBig()]);
  } catch (e) {
    ui.status.textContent = t('failed', e.message || String(e));
    ui.status.classList.add('error');
    return;
  }
  if (bulk) state.presets.push({ ...bulkScenario(Number(bulk[1])), name: `bulk-${bulk[1]}`, bulk: Number(bulk[1]) });
  fillPresetPicker();
  await guarded(() => (bulk ? choosePreset(`bulk-${bulk[1]}`) : openFromHash()));
  if (embedded && query.has('autoplay') && !reducedMotion.matches) {
    player.toStart();
    player.play();
  }
  ui.status.hidden = true;
  ui.lab.setAttribute('aria-busy', 'false');
  document.body.dataset.ready = 'true';
  if (embedded) embedReady();
}

start();
