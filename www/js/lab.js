// The only module that talks to the wasm: load it, list the presets and parameters, run scenarios.
// Every error the reader can cause comes in the wasm's one shape, `{kind, message, field?, problem?}`
// (a rejected scenario throws an Error carrying it; see i18n.explainError).
// Anything else thrown from inside the wasm (a Rust panic traps as a WebAssembly.RuntimeError) is a
// crash: that instance may be left half-way through a change, so it is never called again, and
// `load({ fresh: true })` instantiates the module anew.

let wasm = null;

/**
 * A wasm module's glue, instantiated on first use: the lab's own, and those fetched on demand
 * (exports, captures, scripts, forks). After a trap inside it (a Crash: `call`, or `discard`) the
 * next use instantiates it anew, since that instance may be left half-way through a change: another
 * URL is another module record with its own memory (the .wasm itself comes from the cache). `first`
 * is a literal import(), so that a bundler ships the file; `url` is the same file's address.
 */
export function wasmModule(first, url) {
  let instances = 0;
  let glue = null;
  const module = {
    get() {
      glue ??= (async () => {
        instances += 1;
        const g = instances === 1 ? await first() : await import(`${url}?instance=${instances}`);
        await g.default();
        return g;
      })().catch((e) => {
        glue = null; // a failed fetch is tried again at the next use
        throw e;
      });
      return glue;
    },
    /** `fn(glue)`, guarded: a Crash discards the instance. */
    async call(fn) {
      const g = await module.get();
      try {
        return guard(() => fn(g));
      } catch (e) {
        if (e instanceof Crash) module.discard();
        throw e;
      }
    },
    discard() {
      glue = null;
    },
  };
  return module;
}

// (A URL object, not a template string: a bundler would take a template for a glob of its files.)
const simulator = wasmModule(() => import('../pkg/twlab_wasm.js'), new URL('../pkg/twlab_wasm.js', import.meta.url).href);
/** The export module (text, Mermaid, pcap), fetched the first time a run is downloaded. */
const writer = wasmModule(() => import('../pkg/twlab_export_wasm.js'), new URL('../pkg/twlab_export_wasm.js', import.meta.url).href);

/** A failure that is not the scenario's fault; the page offers a reset. */
export class Crash extends Error {
  constructor(cause) {
    super(cause?.message || String(cause), { cause });
    this.name = 'Crash';
  }
}

/** Load and instantiate the wasm; `fresh` gives a new instance (its own memory) after a crash. */
export async function load({ fresh = false } = {}) {
  if (fresh) simulator.discard();
  wasm = await simulator.get();
}

export function presets() {
  return guard(() => wasm.presets());
}

/** The benchmark's big diagrams: a bulk transfer of `segments` segments, 2% of them lost (seed 1). */
const BULK = { lossPerMille: 20, seed: 1 };

/** The scenario of a bulk transfer of `segments` segments (`Session.bulk` runs it). */
export function bulkScenario(segments) {
  return guard(() => wasm.bulk(segments, BULK.lossPerMille, BULK.seed));
}

/**
 * Read a share link (a URL fragment): { scenario, twin, lang, step }, or the error { kind, message,
 * field?, problem? } where `kind` is the damage ("truncated", "future_version", …).
 */
export function openLink(fragment) {
  return guard(() => wasm.open_link(fragment));
}


/** A guided-tour link: { chapter, lang }, { error, message } if damaged, or null if it is no tour link. */
export function openTourLink(fragment) {
  return guard(() => wasm.open_tour_link(fragment));
}

/** The tour link's fragment for chapter `chapter` (from 1) in language `lang`. */
export function tourLink(chapter, lang) {
  return guard(() => wasm.tour_link(chapter, lang));
}

/** Rethrow the core's own rejections (from any of the wasm modules); wrap anything else as a Crash. */
export function guard(call) {
  try {
    return call();
  } catch (e) {
    if (e && e.kind) throw e;
    throw new Crash(e);
  }
}

/**
 * One scenario and its runs, a session as store.js knows it (capture.js's CaptureSession is the other kind). `runs(twin)` gives { trace, twin? } as plain data; `setScenario` and
 * `setOverrides` re-run and throw (leaving everything as it was) if the core rejects the change.
 * After a Crash the session is dead: every call throws Crash.
 *
 * The page's wasm opens a preset by name or a share link, never a scenario object: it carries no
 * reader of whole scenarios (the fork view's module does: fork/index.js).
 */
export class Session {
  /**
   * `make(glue)`: its wasm Lab; `glue`: the wasm module to run it in, from `module` (the fork
   * view's has more: fork/index.js), which a crash discards.
   */
  constructor(make, glue = wasm, module = simulator) {
    this.module = module;
    /** What a reader can change in a simulated run: everything (see capture.js for a capture). */
    this.can = { fates: true, twin: true, params: true, link: true };
    this.dead = null;
    this.lab = this.call(() => make(glue));
  }

  /** A preset, by its name. */
  static preset(name) {
    return new Session((glue) => glue.Lab.preset(name));
  }

  /** A share link's scenario (a fork's link is the fork view's). */
  static open(fragment) {
    return new Session((glue) => glue.Lab.open(fragment));
  }

  /** `bulkScenario(segments)`. */
  static bulk(segments) {
    return new Session((glue) => glue.Lab.bulk(segments, BULK.lossPerMille, BULK.seed));
  }

  call(fn) {
    if (this.dead) throw this.dead;
    try {
      return guard(fn);
    } catch (e) {
      if (e instanceof Crash) {
        this.dead = e;
        this.module.discard();
      }
      throw e;
    }
  }

  scenario() {
    return this.call(() => this.lab.scenario());
  }

  /** `scenario`'s profile and parameters (the page changes nothing else of a scenario). */
  setScenario(scenario) {
    this.call(() => this.lab.set_settings(scenario));
  }

  setOverrides(overrides) {
    this.call(() => this.lab.set_overrides(overrides));
  }

  runs(withTwin) {
    return this.call(() => ({ trace: this.lab.trace(), twin: withTwin ? this.lab.twin_trace() : null }));
  }


  /** The share link's fragment (without "#"); `step` null leaves the reader at the end. */
  link(twin, lang, step) {
    return this.call(() => this.lab.link(twin, lang, step));
  }

  /** The run's tcpdump-like listing (a promise, as are the other downloads). */
  text() {
    return this.written('text');
  }

  /** The run as a Mermaid sequenceDiagram. */
  mermaid() {
    return this.written('mermaid');
  }

  /** The run as a pcap file (Uint8Array). */
  pcap() {
    return this.written('pcap');
  }

  /**
   * The run written out by the export module, which runs the scenario as it is now again (a run is
   * deterministic) so that the lab's own wasm carries none of the formats.
   */
  async written(format) {
    const scenario = JSON.stringify(this.scenario());
    return writer.call((glue) => glue[format](scenario));
  }

  /** Release the wasm memory; a crashed instance is left alone (it is dropped with its module). */
  free() {
    if (!this.dead && this.lab) this.lab.free();
  }
}
