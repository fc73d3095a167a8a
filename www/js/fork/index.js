// The fork view: the run shown is kept as "before" and a fork of it (the same scenario, the fates
// the reader changes from here on) is drawn beside it, both from the same wasm (the lab built with
// its `fork` feature), which also says where they first part (twlab_core::compare); this module only
// words that and offers to go there or leave. The page hands it its live modules (forking.js): it
// imports none of them, so that it never holds a second copy of the page's state.

import { words } from './text.js';

let page = null;
/** The fork's wasm (lab.js's wasmModule: fresh again after a crash inside it), and its glue now. */
let forkModule = null;
let glue = null;
let ForkSession = null;
/** The bar above the diagrams while a fork is shown: where the runs part, go there, leave. */
const bar = {};

/** A session (lab.js's) in the fork's wasm, with the run it was forked from beside it. */
function sessionClass(Session) {
  return class extends Session {
    /** `fork`: `{step, overrides}`, the step it was made at and the fates of the run it was made from. */
    constructor(scenario, fork) {
      super((g) => new g.Lab(scenario), glue, forkModule);
      this.can = { ...this.can, twin: false };
      this.call(() => this.lab.fork(fork.step, fork.overrides));
    }

    runs() {
      return this.call(() => ({
        trace: this.lab.trace(),
        twin: null,
        before: this.lab.before_trace(),
        difference: this.lab.difference(),
      }));
    }

    link(_twin, lang, step) {
      return this.call(() => this.lab.fork_link(lang, step));
    }

    /** The link of the fork's scenario alone (the page's wasm opens links, not scenario objects). */
    plainLink() {
      return this.call(() => this.lab.link(false, null, null));
    }
  };
}

const say = () => words[page.language()] || words.en;

/** Where the runs part, in words: the core's difference as the page's other views name things. */
function describe(d) {
  const w = say();
  const what = d.kind === 'end' ? w.end
    : d.segment ? w[d.kind](page.segmentLabel(d.segment, page.state.models.main.trace))
      : w[d.kind](page.t(d.side));
  return w.parts(page.formatTime(d.at), what);
}

function render() {
  const { state } = page;
  const forked = Boolean(state.models?.before);
  bar.box.hidden = !forked;
  if (!forked) return;
  const w = say();
  bar.go.textContent = w.go;
  bar.leave.textContent = w.leave;
  bar.go.hidden = !state.difference;
  bar.text.textContent = state.difference ? describe(state.difference) : w.same;
}

function makeBar() {
  const made = (tag, props) => Object.assign(document.createElement(tag), props);
  bar.box = made('section', { id: 'fork-bar', className: 'fork-bar', hidden: true });
  bar.text = made('p', { id: 'fork-text', className: 'fork-text', tabIndex: -1 });
  bar.text.setAttribute('role', 'status');
  bar.box.setAttribute('aria-labelledby', 'fork-text');
  bar.go = made('button', { type: 'button', id: 'fork-go', onclick: goToDifference });
  bar.leave = made('button', { type: 'button', id: 'fork-leave', className: 'quiet', onclick: leave });
  bar.box.append(bar.text, bar.go, bar.leave);
  document.querySelector('.board').before(bar.box);
}

/** The view's stylesheet, loaded before anything of it is drawn. */
function styled() {
  const style = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: 'css/fork.css' });
  document.head.appendChild(style);
  return new Promise((done) => {
    style.onload = done;
    style.onerror = done;
  });
}

/** The player's step at which the fork first shows its difference (the before run's, if the fork ended first). */
function partStep() {
  const d = page.state.difference;
  return page.state.steps.findIndex((s) => (s.run === 'main' ? s.index === d.after : s.index === d.before));
}

function goToDifference() {
  const step = partStep();
  if (step < 0) page.player.toEnd();
  else page.player.toStep(step);
}

/** Fork the run shown at the player's step: it stays as "before", the fork takes the reader's changes. */
async function forkHere() {
  glue = await forkModule.get();
  const { state, player } = page;
  if (!state.session?.can.fates || state.models.before) return;
  // The step as a link counts it: n after the nth event.
  const fork = { step: player.step + 1, overrides: state.overrides };
  page.swapSession(new ForkSession(state.session.scenario(), fork), player.place());
  bar.text.focus();
}

/** Leave the fork: the fork, as the reader changed it, goes on alone. */
function leave() {
  const { state, player } = page;
  if (!state.models?.before) return;
  page.swapSession(page.Session.open(state.session.plainLink()), player.place());
  document.getElementById('fork').focus();
}

/** Read a link that may carry a fork: lab.openLink's shape, plus `fork` and `session(scenario)`. */
async function openLink(fragment) {
  glue = await forkModule.get();
  const opened = page.inWasm(() => glue.open_fork_link(fragment));
  if (!opened.fork) return opened;
  // The scenario's JSON leaves out an empty list of fates.
  const fork = { step: opened.fork.step, overrides: opened.scenario.overrides || [] };
  return { ...opened, session: (shown) => new ForkSession(shown, fork) };
}

export async function start(host) {
  page = host;
  forkModule = host.wasmModule(() => import('../../pkg/twlab_fork.js'), new URL('../../pkg/twlab_fork.js', import.meta.url).href);
  [glue] = await Promise.all([forkModule.get(), styled()]);
  ForkSession = sessionClass(host.Session);
  makeBar();
  host.on('run', render);
  host.on('language', render);
  return { forkHere, openLink };
}
