// The address bar holds the share link to what is shown; a link typed in, followed or pasted opens
// its scenario, toggles, language and step. A link that does not open leaves a message and the first
// scenario (or, if something is shown already, what is shown).

import { openLink, openTourLink, Crash, Session } from './lab.js';
import { isForkLink, openForkLink } from './forking.js';
import { t, language, explainError } from './i18n.js';
import { state, link, choosePreset, openScenario } from './store.js';
import { showError } from './crash.js';
import { linkProblem, pageBase } from './share.js';
import { linkLanguage } from './language.js';
import { player } from './frame.js';
import { drill } from './capture-drop.js';
import { ui, embedded } from './dom.js';

/** The step a link records: 0 before the first event, n after the nth (the "step n of …" shown). */
export function currentStep() {
  return player.step + 1;
}

/**
 * The guided tour (teaching.js): `open(tour)` for a tour link, `address()` its link for the address
 * bar while it is open (Copy link still gives the run shown, at its step), `leave()` when another
 * link is opened.
 */
let tour = null;
export function setTour(hooks) {
  tour = hooks;
}

/** The whole link to what is shown, with the current step; null if the session has none. */
export function linkHere() {
  const fragment = link(language(), currentStep());
  return fragment === null ? null : `${pageBase()}#${fragment}`;
}

/**
 * Write the link to what is shown (without the step, which changes as it plays) into the address
 * bar when the page is idle: replaceState takes Chromium 4 ms, which a toggle's frame and the next
 * input should not wait for (within 200 ms even while playing). A capture has no link: the address
 * bar keeps only the page.
 */
let linkWrite = 0;
// Safari has no idle callbacks: a short timer there.
const whenIdle = window.requestIdleCallback ?? ((fn) => setTimeout(fn, 50));
const cancelIdle = window.cancelIdleCallback ?? clearTimeout;

/** Forget a pending write of the address bar (a link the reader opened is newer). */
function cancelLinkWrite() {
  cancelIdle(linkWrite);
}

export function syncLink() {
  if (!state.session) return;
  cancelLinkWrite();
  linkWrite = whenIdle(() => {
    const fragment = tour?.address() ?? (state.session ? link(language(), null) : null);
    history.replaceState(null, '', fragment === null ? location.pathname + location.search : `#${fragment}`);
  }, { timeout: 200 });
  if (embedded) ui.openFull.href = linkHere() || pageBase();
}

let opening = 0;

/**
 * Open `fragment` (the address bar's, or the one a hashchange brought: by the time the event is
 * handled the address bar may hold a later write); none at all is the first scenario.
 */
export async function openFromHash(fragment = location.hash.slice(1), { inTour = false } = {}) {
  cancelLinkWrite();
  const mine = ++opening;
  const guided = fragment ? openTourLink(fragment) : null;
  if (guided && !guided.kind) {
    if (guided.lang) await linkLanguage(guided.lang);
    if (mine === opening) await tour?.open(guided.chapter);
    return;
  }
  if (!inTour) tour?.leave();
  if (fragment.startsWith('v1/drill/')) {
    await (await drill()).openLink(fragment, () => mine !== opening);
    return;
  }
  // A fork's link is read by the fork's own module, fetched now: another link, a preset or a capture
  // opened meanwhile wins.
  const version = state.version;
  const forked = !guided && isForkLink(fragment);
  const opened = guided || (forked ? await openForkLink(fragment) : fragment ? openLink(fragment) : null);
  if (forked && (mine !== opening || state.version !== version)) return;
  if (!opened?.scenario) {
    showError(opened ? linkProblem(opened) : '');
    if (!state.session) choosePreset(state.presets[0].name);
    else syncLink();
    return;
  }
  // The scenario opens at once and its words follow: whatever the reader does meanwhile (the twin,
  // another link) acts on what the link opened (found by the random walk, seed 424271).
  const words = opened.lang ? linkLanguage(opened.lang) : null;
  showError('');
  const s = opened.scenario;
  const preset = state.presets.find((p) => p.name === s.name);
  const same = preset && JSON.stringify([preset.client, preset.server]) === JSON.stringify([s.client, s.server]);
  // With a fork, the link's scenario is the run it was made from, and the fork is the run shown.
  const shown = opened.fork ? { ...s, overrides: opened.fork.overrides } : s;
  try {
    const session = opened.session ? opened.session(shown) : Session.open(fragment);
    openScenario(same ? preset : s, shown, { twin: opened.twin, session });
  } catch (e) {
    if (e instanceof Crash) throw e;
    // The link decoded but asks for something the simulator refuses: say what, show the first scenario.
    choosePreset(state.presets[0].name);
    await words;
    showError(t('linkRefused', explainError(e)));
    return;
  }
  const step = opened.step ?? opened.fork?.step;
  if (step != null) {
    if (step >= state.steps.length) player.toEnd();
    else player.toStep(step - 1);
  }
  await words;
}
