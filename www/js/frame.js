// One frame: the player's place (virtual time and step) drawn into every diagram, the readout, the
// narration and the transcript's mark. The player calls `render` after every change.

import { Player, DWELL } from './controls.js';
import { t, formatTime } from './i18n.js';
import { lastEventAt } from './trace.js';
import { narrate } from './narration.js';
import { state } from './store.js';
import { ui, reducedMotion } from './dom.js';
import { views, cullIfPending, markTranscript } from './runs.js';
import { narrateStep } from './narration-panel.js';
import { cursorPlace, keepCursorInView } from './follow.js';

export const player = new Player({
  onChange: render,
  reducedMotion: () => reducedMotion.matches,
  dwellFor: (i) => dwellFor(i),
});

let dwell = new Map();

/** A new run is drawn: forget what was measured for the old one. */
export function forgetDwell() {
  dwell = new Map();
}

/** How long the player pauses on step `i`: long enough to read its narration. */
function dwellFor(i) {
  if (!dwell.has(i)) {
    const step = state.steps[i];
    const model = step && state.models[step.run];
    const e = model?.trace.events[step.index];
    let seconds = DWELL.event;
    if (!e) seconds = 0;
    else if (narrate(model, step.index).why) seconds = DWELL.why;
    else if (e.type.startsWith('timer_')) seconds = DWELL.timer;
    dwell.set(i, seconds);
  }
  return dwell.get(i);
}

/** Draw the player's current place again (after a redraw, an export, a language switch). */
export function renderNow() {
  render({ t: player.t, step: player.step, playing: player.playing });
}

/**
 * The last event of `run` to show at time `tUs` and step `step`. The other run shows as many of its
 * events at this instant as the stepping run has shown of its own: the two runs are the same until
 * they differ, so side by side they stay in step event for event.
 */
export function lastIndex(run, tUs, step) {
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
  cullIfPending();
  const shown = {};
  for (const { id, view } of views()) {
    const last = lastIndex(id, tUs, step);
    view.setTime(tUs, last);
    view.highlight(last);
    shown[id] = last;
  }
  markTranscript(shown);
  ui.scrubber.value = String(Math.round(player.fraction() * 1000));
  ui.scrubber.setAttribute('aria-valuetext', formatTime(tUs));
  ui.clock.textContent = formatTime(tUs);
  ui.stepCount.textContent = t('stepOf', step + 1, state.steps.length);
  ui.play.classList.toggle('is-playing', playing);
  ui.play.setAttribute('aria-label', t(playing ? 'pause' : step >= state.steps.length - 1 ? 'replay' : 'play'));
  ui.back.disabled = step < 0;
  ui.forward.disabled = step >= state.steps.length - 1 && tUs >= state.timeline.end;
  narrateStep(tUs, step, lastIndex);
  if (place) keepCursorInView(place, playing);
}
