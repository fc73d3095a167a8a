// packetdrill scripts on the page: a `.pkt` dropped or opened like a capture, pasted into a dialog, or
// opened from its share link (`v1/drill/…/end`). A bundle of its own, fetched the first time a script
// comes; it runs the script with the drill module (crates/twlab-drill-wasm, the same runner as `twlab
// drill`) and shows the run as a session like any other: every export works on it, it has a link, and
// it has no fates, twin or parameters (a script says what happens). The page's modules come in
// through `start` (host.js), never as copies.

import { page, connect } from './host.js';
import { words } from './text.js';
import { pasteDialog } from './paste.js';

/** The drill module, instantiated on first use (again after a crash inside it): lab.js's wasmModule. */
let drill = null;

function runner() {
  drill ??= page.wasmModule(() => import('../../pkg/twlab_drill_wasm.js'), new URL('../../pkg/twlab_drill_wasm.js', import.meta.url).href);
  return drill.get();
}

/** A call into the drill module; a trap inside it is a crash, and the next call instantiates it anew. */
function call(g, fn) {
  try {
    return fn(g);
  } catch (e) {
    drill.discard();
    throw new page.Crash(e);
  }
}

/** The words for the page's language now. */
const w = () => words[page.language()] || words.en;

/** lab.js's Session for a script's run: the same methods; those that would change it refuse. */
class ScriptSession {
  constructor(g, name, text, ran) {
    this.g = g;
    this.name = name;
    this.script = text;
    this.ran = ran;
    const linked = call(g, () => g.script_link(name, text, null, null));
    this.can = { fates: false, twin: false, params: false, link: linked != null };
  }

  runs() {
    return { trace: this.ran.trace, twin: null };
  }

  text() {
    return this.ran.text;
  }

  mermaid() {
    return this.ran.mermaid;
  }

  pcap() {
    return this.ran.pcap;
  }

  /** The script's link (it has no twin); null when the script is too long for one. */
  link(_twin, lang, step) {
    return call(this.g, () => this.g.script_link(this.name, this.script, lang, step ?? null)) ?? null;
  }

  setOverrides() {
    throw new Error('a script says what happens: its segments have no fates to change');
  }

  setScenario() {
    throw new Error('a script says what happens: it has no parameters to change');
  }

  /**
   * What the views show of the script on its run's model, in the page's language when drawn: the
   * lifelines' names, the mark on the arrow where script and stack part, and the comments and the
   * mismatch in the narration at their events. All of it is the trace's (its `script`, `mismatch`).
   */
  annotate(model) {
    const { script, mismatch } = model.trace;
    model.head = (side) => w()[side === script.stack ? 'stack' : 'peer'];
    model.arrowNote = (index) => (mismatch?.segment === index ? w().mark(mismatch.line) : null);
    const notes = new Map();
    for (const c of script.comments) notes.set(c.event, [...(notes.get(c.event) || []), () => w().comment(c.line, c.text)]);
    if (mismatch?.event != null) {
      notes.set(mismatch.event, [...(notes.get(mismatch.event) || []), () => w().mismatch(mismatch)]);
    }
    model.note = (event) => notes.get(event)?.map((f) => f()).join(' ') || null;
  }

  free() {}
}

/**
 * Run `text` and show it; a script that cannot be read is said with its line and column (and
 * returned, for the paste dialog to point at), and the lab keeps what it showed.
 */
async function show(name, text, { step = null } = {}) {
  const version = page.state.version;
  page.showError(''); // what it said of the last thing the reader opened, now left
  const g = await runner();
  const ran = call(g, () => g.run_script(name, text));
  if (ran.kind) {
    const problem = w().bad(name, ran);
    if (page.state.version === version) page.showError(problem);
    // A link's script that cannot run, as the page opens: the first scenario, with the problem said.
    if (!page.state.session) page.choosePreset(page.state.presets[0].name);
    return { problem, line: ran.line, col: ran.col };
  }
  // The reader chose something else while the module loaded: that wins.
  if (page.state.version !== version) return null;
  const session = new ScriptSession(g, name, text, ran);
  const { trace } = ran;
  const about = [trace.script.description || w().about(name), w().verdict(trace)].join(' ');
  page.guarded(() => {
    page.openCapture({ name, description: about }, session);
    if (step == null || step >= page.state.steps.length) page.player.toEnd();
    else page.player.toStep(step - 1);
  });
  return null;
}

/** Called once by the page with its modules; returns the entry points once the styles are in. */
export async function start(modules) {
  connect(modules);
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = 'css/drill.css';
  await new Promise((done) => {
    style.onload = done;
    style.onerror = done;
    document.head.appendChild(style);
  });
  return {
    async openFile(file) {
      // A script is text; a file that is not UTF-8 is refused by the parser with its place.
      return show(file.name, await file.text());
    },
    /**
     * A script link's fragment: the script at the link's step, or the link's problem said; nothing if
     * `overtaken()` says another link was opened meanwhile (the last one wins).
     */
    async openLink(fragment, overtaken) {
      const g = await runner();
      const opened = call(g, () => g.open_script_link(fragment));
      if (!opened || overtaken()) return;
      if (opened.kind) {
        page.showError(page.linkProblem(opened));
        if (!page.state.session) page.choosePreset(page.state.presets[0].name);
        return;
      }
      if (opened.lang) await page.linkLanguage(opened.lang);
      if (overtaken()) return;
      await show(opened.name || 'script.pkt', opened.text, { step: opened.step });
    },
    paste() {
      pasteDialog({ words: w, run: (text) => show(w().pastedName, text) });
    },
  };
}
