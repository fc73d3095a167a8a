// The scenario bar: the preset picker (with a custom scenario or a capture listed while it is
// shown), its description, the twin switch, and which controls apply to the session shown. An action
// the session cannot take (a capture's fates, twin, parameters or link) is hidden or disabled here,
// so that it is never offered.

import { t } from './i18n.js';
import { state, can } from './store.js';
import { ui } from './dom.js';

/** A preset's [title, description] in the page's language (a custom scenario's own otherwise). */
export function presetTitle(p) {
  const own = t(`presets.${p.name}`);
  return Array.isArray(own) ? own : [p.name, p.description];
}

export function fillPresetPicker() {
  ui.preset.replaceChildren();
  const custom = state.base && !state.presets.includes(state.base) ? [state.base] : [];
  for (const p of [...state.presets, ...custom]) {
    const option = document.createElement('option');
    option.value = p.name;
    [option.textContent, option.title] = presetTitle(p);
    ui.preset.appendChild(option);
  }
  if (state.base) {
    ui.preset.value = state.base.name;
    ui.description.textContent = presetTitle(state.base)[1];
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
