// The narration beside the player: what the current step is, who did it, why it matters, and what
// the twin (without TIME-WAIT) did at the same moment. New steps are announced (announcer.js).

import { t, language, formatTime } from './i18n.js';
import { narrate, outcomeText } from './narration.js';
import { state } from './store.js';
import { ui } from './dom.js';
import { announce } from './announcer.js';

let lastNarrated = null;

/** A new run or language: the next frame narrates afresh. */
export function forgetNarration() {
  lastNarrated = null;
}

/** Narrate step `step` at `tUs`; `lastIndex(run, tUs, step)` is the twin's event shown alongside. */
export function narrateStep(tUs, step, lastIndex) {
  const key = `${step}:${language()}:${state.models.twin ? lastIndex('twin', tUs, step) : ''}`;
  if (key === lastNarrated) return;
  lastNarrated = key;
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
  // A script's comments and mismatch at this event (drill/).
  const because = [n.why, state.models[s.run].note?.(s.index)].filter(Boolean).join(' ');
  ui.narrationWhy.hidden = !because;
  why.textContent = because;
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
