// The parameters form, generated from the core's parameter table (pkg/params.js, written by the
// build from `twlab params --json`: every parameter's name, kind, range, defaults and meaning in both
// languages), fetched when the form is first opened: the common ones in view, the rest under "More".
// It shows the values the run actually used (the trace's params) and turns an edit into a new
// scenario; the core validates it, and a refusal names the field and its range in the page's
// language (and is said again in the new language after a switch).

import { t, language, explainError, quote } from './i18n.js';
import { state, setScenario } from './store.js';
import { attempt } from './crash.js';
import { player } from './frame.js';

let table = [];
let refusal = null; // the error shown, to say again in another language

/** What `param` allows, in the page's language. */
function rangeText(param) {
  if (param.kind === 'bool') return t('range.bool');
  if (param.kind === 'time_wait' || param.kind === 'isn') return t(`range.${param.kind}`, param);
  const span = t('range.span', param);
  return Object.values(param.defaults).includes(null) ? t('range.unset', span) : span;
}

/** A value as the form shows it: scenario spelling, an object as JSON, unset as empty. */
function shown(value) {
  if (value == null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One field: its name (as in scenario JSON and links), its input, its range and meaning. */
function field(param) {
  const box = document.createElement('div');
  box.className = `param param-${param.kind}`;
  const id = `param-${param.name}`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.className = 'param-name';
  label.textContent = param.name;
  const input = document.createElement('input');
  input.id = id;
  input.name = param.name;
  if (param.kind === 'bool') input.type = 'checkbox';
  else {
    input.type = 'text';
    input.autocomplete = 'off';
    input.spellcheck = false;
    if (param.kind === 'count') input.inputMode = 'numeric';
  }
  const hint = document.createElement('p');
  hint.className = 'param-hint';
  hint.id = `${id}-hint`;
  input.setAttribute('aria-describedby', hint.id);
  box.append(label, input, hint);
  return box;
}

let loading = null;

/** Build the fields from the core's table, the first time the form is opened. */
function buildParams(form) {
  loading ??= import('../pkg/params.js').then(({ default: loaded }) => {
    table = loaded;
    form.querySelector('#params-common').replaceChildren(...table.filter((p) => p.common).map(field));
    form.querySelector('#params-rest').replaceChildren(...table.filter((p) => !p.common).map(field));
    translateParams(form);
    if (state.models && state.session.can.params) showParams(form, state.scenario, state.models.main.trace.params);
  });
  return loading;
}

/** Profile names, each field's range and meaning, and a refusal shown, in the page's language. */
export function translateParams(form, box = form.querySelector('#params-error')) {
  for (const option of form.elements.profile.options) option.textContent = t(`profiles.${option.value}`);
  for (const param of table) {
    const hint = form.querySelector(`#param-${param.name}-hint`);
    hint.textContent = `${param.meaning[language()] || param.meaning.en} ${t('allowed', rangeText(param))}`;
  }
  if (refusal) showParamsError(form, box, refusal);
}

/** Fill the form from a scenario (for the profile) and the trace's effective params. */
export function showParams(form, scenario, params) {
  form.elements.profile.value = scenario.profile || 'lab';
  for (const param of table) {
    const input = form.elements[param.name];
    if (param.kind === 'bool') input.checked = Boolean(params[param.name]);
    else input.value = shown(params[param.name]);
    input.dataset.shown = input.type === 'checkbox' ? String(input.checked) : input.value;
    input.removeAttribute('aria-invalid');
  }
}

/** What was typed into `param`'s field, as the scenario spells it (the core judges it). */
function typed(param, input) {
  if (param.kind === 'bool') return input.checked;
  const value = input.value.trim();
  if (param.kind === 'count' && /^\d+$/.test(value)) return Number(value);
  if (param.kind === 'isn' && /^[{["]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

/**
 * The scenario the form asks for. Changing the profile alone takes that profile's own values (so
 * "RFC 9293" really means a 4-minute TIME-WAIT); otherwise the fields that were edited are taken as
 * typed, an emptied one takes the profile's value, and the others stay as they were (so a share link
 * names only what was changed).
 */
export function scenarioFromForm(form, base, shownProfile) {
  const profile = form.elements.profile.value;
  const params = { ...(base.params || {}) };
  for (const param of table) {
    const input = form.elements[param.name];
    const now = input.type === 'checkbox' ? String(input.checked) : input.value;
    if (profile !== shownProfile || now.trim() === '') delete params[param.name];
    else if (now !== input.dataset.shown) params[param.name] = typed(param, input);
  }
  return { ...base, profile, params };
}

/** Show why the core rejected the form (null: clear): the field, what is wrong, what it allows. */
export function showParamsError(form, box, error) {
  refusal = error;
  for (const param of table) form.elements[param.name].removeAttribute('aria-invalid');
  if (!error) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  const name = /^params\.(\w+)/.exec(error.field || '')?.[1];
  const param = table.find((p) => p.name === name);
  const problem = error.problem?.kind;
  // What could not be read is said in the page's language (the parser's detail is English), and any
  // refusal but an out-of-range value (which names its range) is told the field's range.
  const why = param && problem === 'parse'
    ? `${error.field}${language() === 'en' ? ': ' : '：'}${t('badValue', quote(form.elements[name].value, Infinity))}`
    : explainError(error);
  const allowed = param && problem !== 'out_of_range' ? ` ${t('allowed', rangeText(param))}` : '';
  box.hidden = false;
  box.textContent = `${t('invalid', why)}${language() === 'en' ? allowed : allowed.trim()}`;
  if (param) {
    const input = form.elements[param.name];
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', `${box.id} param-${param.name}-hint`);
    input.closest('details:not([open])')?.setAttribute('open', '');
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
  form.closest('details').addEventListener('toggle', (ev) => {
    if (ev.target.open) buildParams(form).catch((e) => showParamsError(form, box, e));
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    applyParams(form, box);
  });
  // A switch or the profile applies at once; text is applied with Enter or the button.
  form.addEventListener('change', (ev) => {
    if (ev.target.name === 'profile' || ev.target.type === 'checkbox') applyParams(form, box);
  });
}
