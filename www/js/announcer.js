// The live region: screen readers hear each new step once, while playing or stepping, but not the
// jump to the end that comes with drawing a new run.

import { t } from './i18n.js';
import { state } from './store.js';
import { ui } from './dom.js';

let lastAnnounced = null;
let quiet = false;

/** Draw a new run with `fn` without announcing where it lands. */
export function quietly(fn) {
  lastAnnounced = null;
  quiet = true;
  try {
    fn();
  } finally {
    quiet = false;
  }
}

/** Tell screen readers about step `step` (narrated as `n`, in `run`), once per step. */
export function announce(step, n, run) {
  if (lastAnnounced === step) return;
  lastAnnounced = step;
  if (quiet || !n) return;
  const who = run === 'twin' ? `${n.actor} (${t('withoutTimeWait')})` : n.actor;
  const twinSays = ui.narrationTwin.hidden ? '' : ` ${ui.narrationTwin.textContent}`;
  ui.announcer.textContent = `${t('announce', step + 1, state.steps.length, n.time, who, n.text)}${twinSays}`;
}
