// Messages above the lab, and crashes: something failed that is not the reader's doing (a panic
// inside the wasm, or a bug in the page). The page stops playing, says so and offers a fresh start.

import { Crash } from './lab.js';
import { t } from './i18n.js';
import { ui } from './dom.js';

let onCrash = () => {};

/** `fn` runs when a crash is shown (the player pauses). */
export function whenCrashed(fn) {
  onCrash = fn;
}

/** Show `message` (as text) above the lab; `reset` adds the "Reset to default" button. */
export function showError(message, { reset = false } = {}) {
  ui.error.hidden = !message;
  ui.errorText.textContent = message || '';
  ui.errorReset.hidden = !reset;
}

export function crashed(error) {
  onCrash();
  document.body.dataset.crashed = 'true';
  showError(t('crashed', error?.message || String(error)), { reset: true });
}

/**
 * Run `fn`; a Crash is shown with its reset action, anything else (a rejected scenario) rethrown.
 * If `fn` is async, so is the guard.
 */
export function guarded(fn) {
  const shown = (e) => {
    if (!(e instanceof Crash)) throw e;
    crashed(e);
  };
  try {
    const result = fn();
    return result instanceof Promise ? result.catch(shown) : result;
  } catch (e) {
    return shown(e);
  }
}

/** Run `fn`; a rejection is shown by `rejected(error)`, a crash as a crash. Returns whether it worked. */
export function attempt(fn, rejected) {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof Crash) crashed(e);
    else rejected(e);
    return false;
  }
}

export function clearCrash() {
  delete document.body.dataset.crashed;
  showError('');
}

window.addEventListener('error', (ev) => crashed(ev.error || ev.message));
window.addEventListener('unhandledrejection', (ev) => crashed(ev.reason));
