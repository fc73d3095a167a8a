// The page's own drawing code (www/js: store, runs, diagram) run under Node on a tiny DOM
// (tiny-dom.mjs), to pre-render diagrams without a browser: the default view in index.html, and the
// static diagram of every preset and its twin that <twlab-lab> shows before its lab loads.
// Labels are fitted with the drawing module's own estimate of text widths (there is no canvas).
//   const { presets, render } = await staticRenderer(wwwDir);
//   render({ preset: 'last-ack-lost', twin: true, lang: 'zh-Hans', width: 640 }) -> '<figure …>…'
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { tinyDocument } from './tiny-dom.mjs';

export async function staticRenderer(www) {
  const document = tinyDocument();
  Object.assign(globalThis, {
    document,
    window: { matchMedia: () => ({ matches: false, addEventListener() {} }), innerHeight: 900, addEventListener() {} },
    location: { search: '', hash: '' },
    getComputedStyle: () => ({ fontFamily: '' }),
    requestAnimationFrame: () => 0,
  });
  // The wasm glue fetches its module next to itself: hand it the file.
  const netFetch = globalThis.fetch;
  globalThis.fetch = async (url) => {
    const href = String(url);
    if (!href.startsWith('file:')) return netFetch(url);
    return new Response(await readFile(new URL(href)), { headers: { 'Content-Type': 'application/wasm' } });
  };
  const js = (name) => import(pathToFileURL(join(www, 'js', name)).href);
  const store = await js('store.js');
  const runs = await js('runs.js');
  const i18n = await js('i18n.js');
  await store.start();
  globalThis.fetch = netFetch;

  const box = document.getElementById('diagrams');
  /** The runs as the page draws them at `width` px, at their end, as markup. */
  async function render({ preset, twin = false, lang = 'en', width }) {
    await i18n.loadLanguage(lang);
    i18n.setLanguage(lang);
    if (!store.state.presets.some((p) => p.name === preset)) throw new Error(`no preset ${preset}`);
    store.choosePreset(preset, { twin });
    box.width = width;
    runs.drawRuns({ measure: true });
    for (const { view, model } of runs.views()) {
      view.setTime(store.state.timeline.end, model.trace.events.length - 1);
      view.highlight(-1);
    }
    return box.innerHTML;
  }
  return { presets: store.state.presets.map((p) => p.name), render };
}
