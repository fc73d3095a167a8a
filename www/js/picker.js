// The scenario bar: the preset picker (with a custom scenario or a capture listed while it is
// shown), its description, the twin switch, and which controls apply to the session shown. An action
// the session cannot take (a capture's fates, twin, parameters or link) is hidden or disabled here,
// so that it is never offered.

import { t, language } from './i18n.js';
import { state, can } from './store.js';
import { ui } from './dom.js';

/** A preset's [title, description] in the page's language (a custom scenario's own otherwise). */
export function presetTitle(p) {
  const own = t(`presets.${p.name}`);
  return Array.isArray(own) ? own : [p.name, p.description];
}

// What the options were made for: a re-run of the same list in the same language keeps them.
let filled = [];

export function fillPresetPicker() {
  const custom = state.base && !state.presets.includes(state.base) ? [state.base] : [];
  const list = [language(), ...state.presets, ...custom];
  if (list.length !== filled.length || list.some((x, i) => x !== filled[i])) fill(list.slice(1));
  filled = list;
  if (state.base) {
    ui.preset.value = state.base.name;
    ui.description.textContent = presetTitle(state.base)[1];
  }
}

/** One option per scenario. */
function fill(scenarios) {
  ui.preset.replaceChildren();
  for (const p of scenarios) {
    const option = document.createElement('option');
    option.value = p.name;
    [option.textContent, option.title] = presetTitle(p);
    ui.preset.appendChild(option);
  }
}

/** The controls as the session shown allows them. */
export function showAbilities() {
  ui.twin.checked = state.twin;
  ui.twin.disabled = !can('twin');
  ui.changesBox.hidden = !can('fates');
  // A fork replaces the twin; while one is shown its own bar leaves it (fork/index.js).
  ui.fork.hidden = !can('fates') || !!state.models.before;
  ui.paramsBox.hidden = !can('params');
  ui.copyLink.hidden = !can('link');
  ui.embedButton.hidden = !can('link');
  if (!can('link')) ui.embedPanel.hidden = true;
}
