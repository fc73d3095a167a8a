// The diagram's arrows as controls: a click (or Enter) loses a segment or gives it back, Shift+click,
// a right click or Shift+Enter opens the fate menu (delay, duplicate). Only a session whose fates can
// change (not a capture: it is what happened) takes them.

import { t, explainError } from './i18n.js';
import { state, can, setOverrides } from './store.js';
import { attempt, showError } from './crash.js';
import { toggleDrop, withFate, fateOf, openFateMenu, segmentLabel } from './toggles.js';
import { player } from './frame.js';
import { ui } from './dom.js';

/** Re-run with new fates, keeping the place; `focus` is the arrow to give keyboard focus back to. */
export function applyOverrides(overrides, focus) {
  const done = attempt(() => setOverrides(overrides, player.place()), (e) => showError(t('invalid', explainError(e))));
  if (!done) return;
  showError('');
  if (focus) {
    const again = ui.diagrams.querySelector(`figure[data-run="${focus.run}"] .flight[data-seg="${focus.seg}"][data-copy="${focus.copy}"]`)
      || ui.diagrams.querySelector(`.flight[data-seg="${focus.seg}"]`);
    again?.focus();
  }
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

/** The arrow an event is about, if the session shown lets it be changed. */
function arrowOf(ev) {
  // Until the simulator is ready the diagram is the build's pre-rendered picture: nothing to toggle.
  if (!state.models || !can('fates') || ev.target.closest('figure[data-run="before"]')) return null;
  return ev.target.closest('.flight');
}

export function bindArrows() {
  ui.diagrams.addEventListener('click', (ev) => {
    const node = arrowOf(ev);
    if (!node) return;
    if (ev.shiftKey) openMenuFor(node);
    else applyOverrides(toggleDrop(state.overrides, flightId(node)), focusInfo(node));
  });
  ui.diagrams.addEventListener('contextmenu', (ev) => {
    const node = arrowOf(ev);
    if (!node) return;
    ev.preventDefault();
    openMenuFor(node);
  });
  ui.diagrams.addEventListener('keydown', (ev) => {
    const node = arrowOf(ev);
    if (!node) return;
    if ((ev.key === 'Enter' && ev.shiftKey) || ev.key === 'ContextMenu' || ev.key === 'm') {
      ev.preventDefault();
      openMenuFor(node);
    } else if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      applyOverrides(toggleDrop(state.overrides, flightId(node)), focusInfo(node));
    }
  });
  ui.resetChanges.addEventListener('click', () => applyOverrides([...(state.base.overrides || [])]));
}
