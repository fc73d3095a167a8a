// The fork view (a second run beside the one shown, the same scenario with other fates, and where
// they part) is a module of its own with its own wasm (fork/index.js), fetched the first time a
// reader forks a run or opens a fork's link. This binds those entry points and hands the module the
// page's live modules.

import { t, formatTime, language } from './i18n.js';
import { state, on, swapSession } from './store.js';
import { Session, guard as inWasm, wasmModule } from './lab.js';
import { player } from './frame.js';
import { segmentLabel } from './toggles.js';
import { guarded } from './crash.js';
import { ui } from './dom.js';

let loading = null;

function forkView() {
  loading ||= import('./fork/index.js').then((view) => view.start({
    state, on, swapSession, Session, inWasm, wasmModule, player, segmentLabel, t, formatTime, language,
  }));
  return loading;
}

/**
 * Whether a link's fragment may carry a fork (`fork=<step>`): the fork's module reads it then (it
 * reads any link, so a false alarm only costs the fetch).
 */
export function isForkLink(fragment) {
  return /\bfork=/.test(fragment);
}

/** Read a fork's link: as lab.openLink, plus `fork` and `session(scenario)` to open it with. */
export async function openForkLink(fragment) {
  return (await forkView()).openLink(fragment);
}

export function bindFork() {
  ui.fork.addEventListener('click', () => guarded(async () => (await forkView()).forkHere()));
}
