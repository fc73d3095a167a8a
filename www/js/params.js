// The parameters form: profile, MSL, one-way delay, TIME-WAIT length. It shows the values the run
// actually used (the trace's params) and turns an edit into a new scenario; the core validates it,
// and its error ("params.msl: 100h is out of range (allowed 1ms to 10min)") is shown in the page's language.

import { t, explainError } from './i18n.js';
import { state, setScenario } from './store.js';
import { attempt } from './crash.js';
import { player } from './frame.js';

const FIELDS = ['msl', 'delay', 'time_wait'];

/** Fill the form from a scenario (for the profile) and the trace's effective params. */
export function showParams(form, scenario, params) {
  form.elements.profile.value = scenario.profile || 'lab';
  for (const name of FIELDS) {
    form.elements[name].value = params[name];
    form.elements[name].dataset.shown = params[name];
    form.elements[name].removeAttribute('aria-invalid');
  }
}

/** Profile option labels in the current language. */
export function translateProfiles(form) {
  for (const option of form.elements.profile.options) option.textContent = t(`profiles.${option.value}`);
}

/**
 * The scenario the form asks for. Changing the profile alone takes that profile's own MSL, delay and
 * TIME-WAIT (so "RFC 9293" really means a 4-minute TIME-WAIT); otherwise the fields that were edited
 * are taken as typed, and the others stay as they were (so a share link names only what was changed).
 */
export function scenarioFromForm(form, base, shownProfile) {
  const profile = form.elements.profile.value;
  const params = { ...(base.params || {}) };
  for (const name of FIELDS) {
    const input = form.elements[name];
    const value = input.value.trim();
    if (profile !== shownProfile || value === '') delete params[name];
    else if (value !== input.dataset.shown) params[name] = value;
  }
  return { ...base, profile, params };
}

/** Show why the core rejected the form (null: clear); mark the field the error names. */
export function showParamsError(form, box, error) {
  for (const name of FIELDS) form.elements[name].removeAttribute('aria-invalid');
  if (!error) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  box.hidden = false;
  box.textContent = t('invalid', explainError(error));
  const field = /^params\.(\w+)/.exec(error.field || '')?.[1];
  if (field && form.elements[field]) {
    form.elements[field].setAttribute('aria-invalid', 'true');
    form.elements[field].setAttribute('aria-describedby', box.id);
  }
}

/** Run the scenario the form asks for, or say why the core refuses it. */
function applyParams(form, box) {
  const scenario = scenarioFromForm(form, state.scenario, state.scenario.profile || 'lab');
  const done = attempt(() => setScenario(scenario, { t: 0, step: -1 }), (e) => showParamsError(form, box, e));
  if (!done) return;
  showParamsError(form, box, null);
  player.toEnd();
}

export function bindParams(form, box) {
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    applyParams(form, box);
  });
  form.elements.profile.addEventListener('change', () => applyParams(form, box));
}
