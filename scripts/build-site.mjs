#!/usr/bin/env node
// The site as served, in dist/: www/ with its modules and the wasm glue bundled and minified into
// one script (esbuild), the stylesheet minified, the wasm copied, and the default view's diagram
// pre-rendered into index.html by the page's own drawing code under Node (render-static.mjs), so
// that it is on screen before the wasm has loaded (the page replaces it when it is ready). The same
// renderer draws static/: every preset and its twin, in each language, at two widths, for
// <twlab-lab> to show before its lab loads, and css/embed.css styles them inside the element.
// www/ itself stays a working unbundled copy of the page.
//   node scripts/build-site.mjs [--no-prerender]
import { build, transform } from 'esbuild';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const www = join(ROOT, 'www');
const dist = join(ROOT, 'dist');
const { STATIC_LANGUAGES: LANGUAGES, STATIC_WIDTHS, THEMABLE } = await import('../www/js/lite-assets.js');
const words = (await readdir(join(www, 'js/lang'))).map((f) => f.replace(/\.js$/, '')).sort();
if (words.join() !== LANGUAGES.join()) throw new Error(`www/js/lite-assets.js lists ${LANGUAGES}, www/js/lang/ has ${words}`);
const log = (s) => console.log(`\x1b[1m[build-site]\x1b[0m ${s}`);

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, 'pkg'), { recursive: true });

// The lab's glue is bundled: it finds its wasm next to itself, which from js/main.js is ../pkg/.
// Modules fetched on demand (import() of pkg/, the capture reader, a language other than English)
// stay files of their own.
const wasmGlue = {
  name: 'wasm-glue',
  setup(b) {
    b.onResolve({ filter: /\/(pkg|lang|teach|big|fork|drill)\/[^/]+\.js$/ }, ({ path, kind }) => (kind === 'dynamic-import' ? { path, external: true } : undefined));
    b.onLoad({ filter: /\/pkg\/[^/]+_wasm\.js$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      const name = path.split('/').pop().replace(/\.js$/, '_bg.wasm');
      const from = `new URL('${name}', import.meta.url)`;
      if (!text.includes(from)) throw new Error(`${path}: the glue no longer says ${from}`);
      return { contents: text.replace(from, `new URL('../pkg/${name}', import.meta.url)`), loader: 'js' };
    });
  },
};

await build({
  entryPoints: [join(www, 'js/main.js')],
  outfile: join(dist, 'js/main.js'),
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  legalComments: 'none',
  plugins: [wasmGlue],
  logLevel: 'warning',
});
// Each language but English (which is bundled) as a minified module of its own, fetched when needed.
await build({
  entryPoints: (await readdir(join(www, 'js/lang'))).filter((f) => f !== 'en.js').map((f) => join(www, 'js/lang', f)),
  outdir: join(dist, 'js/lang'),
  minify: true,
  format: 'esm',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
});
// The teaching views, the big-run layer, the fork view and the script views (a packetdrill script
// dropped, pasted or linked), fetched on demand: bundles of their own, which must not carry a copy of
// any page module with state (the page hands them its own: teach/host.js, main.js for the big-run
// layer's zoom, fork/index.js, drill/host.js). Only pure modules may be shared; the fork bundles its
// own wasm glue, the script views fetch theirs at run time.
const SHARED = { teach: ['../trace.js'], big: ['../trace.js', '../drawing.js', '../timeline.js'], fork: ['../trace.js'], drill: [] };
for (const [bundle, shared] of Object.entries(SHARED)) {
  const pageState = {
    name: 'page-state',
    setup(b) {
      b.onResolve({ filter: /^\.\.\// }, ({ path, importer }) => {
        if (path.startsWith('../../pkg/')) return bundle === 'drill' ? { path, external: true } : undefined;
        if (!shared.includes(path)) {
          return { errors: [{ text: `${importer}: imports ${path}; a bundle fetched on demand gets the page's modules from the page` }] };
        }
        return undefined;
      });
    },
  };
  await build({
    entryPoints: [join(www, `js/${bundle}/index.js`)],
    outfile: join(dist, `js/${bundle}/index.js`),
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    legalComments: 'none',
    plugins: bundle === 'fork' ? [pageState, wasmGlue] : [pageState],
    logLevel: 'warning',
  });
}
for (const sheet of ['lab', 'teach', 'big', 'fork', 'drill']) {
  await build({
    entryPoints: [join(www, `css/${sheet}.css`)],
    outfile: join(dist, `css/${sheet}.css`),
    minify: true,
    logLevel: 'warning',
  });
}
// The wasm modules and their glue (lab.js imports the glue at run time, so that a crash can get a
// fresh instance), the glue and the snippets it imports (twlab-jsdata's decoder) minified.
await cp(join(www, 'pkg'), join(dist, 'pkg'), { recursive: true });
for (const name of (await readdir(join(dist, 'pkg'), { recursive: true })).filter((f) => f.endsWith('.js'))) {
  const file = join(dist, 'pkg', name);
  const { code } = await transform(await readFile(file, 'utf8'), { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' });
  await writeFile(file, code);
}
for (const file of ['demo.html', 'css/demo.css']) await cp(join(www, file), join(dist, file));
await writeFile(join(dist, 'css/embed.css'), (await transform(embedCss(await readFile(join(www, 'css/lab.css'), 'utf8')), { loader: 'css', minify: true })).code);
let html = await readFile(join(www, 'index.html'), 'utf8');
// The lab's glue imports the snippets wasm-bindgen wrote beside it (pkg/snippets/<crate>-<hash>/):
// preloaded with it, they are not one more round trip before the wasm can start.
const gluePreload = '<link rel="modulepreload" href="pkg/twlab_wasm.js">';
if (!html.includes(gluePreload)) throw new Error(`www/index.html no longer has ${gluePreload}`);
const glue = await readFile(join(dist, 'pkg/twlab_wasm.js'), 'utf8');
const snippets = [...glue.matchAll(/from\s*["'](\.\/snippets\/[^"']+)["']/g)].map((m) => `pkg/${m[1].slice(2)}`);
html = html.replace(gluePreload, [gluePreload, ...snippets.map((s) => `<link rel="modulepreload" href="${s}">`)].join('\n'));
await writeFile(join(dist, 'index.html'), html);
log('bundled js/main.js and the stylesheets (esbuild, minified), copied the wasm');

let drawn = [];
if (process.argv.includes('--no-prerender')) {
  log('not pre-rendering (--no-prerender)');
} else {
  const { staticRenderer } = await import('./render-static.mjs');
  const { presets, render } = await staticRenderer(www);
  // The default view as the page draws it in a 1280 px wide window (its diagram box is 938 px),
  // marked as pre-rendered; not a control until the page is ready (the wasm has not loaded yet).
  const diagrams = (await render({ preset: presets[0], width: 938 }))
    .replaceAll('<svg class="diagram"', '<svg data-prerendered="" class="diagram"')
    .replaceAll('tabindex="0"', 'tabindex="-1"');
  const empty = '<div id="diagrams" class="diagrams"></div>';
  if (!html.includes(empty)) throw new Error(`www/index.html no longer has ${empty}`);
  html = html.replace(empty, `<div id="diagrams" class="diagrams">${diagrams}</div>`);
  await writeFile(join(dist, 'index.html'), html);
  log(`pre-rendered the default view into index.html (${diagrams.length} bytes)`);
  let count = 0;
  for (const lang of LANGUAGES) {
    await mkdir(join(dist, 'static', lang), { recursive: true });
    for (const preset of presets) {
      for (const twin of [false, true]) {
        for (const width of STATIC_WIDTHS) {
          const file = join(dist, 'static', lang, `${preset}${twin ? '.twin' : ''}.${width}.html`);
          await writeFile(file, await render({ preset, twin, lang, width }));
          count += 1;
        }
      }
    }
  }
  drawn = presets;
  log(`pre-rendered ${count} static diagrams into static/ (${presets.length} presets, twin or not, ${LANGUAGES.join(' and ')}, ${STATIC_WIDTHS.join(' and ')} px)`);
}

// The embedding element (one small module, no import of the page's), with the list of the static
// diagrams drawn (twlab.js: __TWLAB_DRAWN__).
await build({
  entryPoints: [join(www, 'twlab.js')],
  outfile: join(dist, 'twlab.js'),
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
  define: { __TWLAB_DRAWN__: JSON.stringify(drawn) },
});
log(`bundled twlab.js (${drawn.length} presets with static diagrams)`);

/**
 * The element's stylesheet from the page's one (lab.css): its palette, every colour overridable
 * as --twlab-NAME (THEMABLE), light on the element's .lite box unless it is [data-theme=dark],
 * and the diagram's own rules.
 */
function embedCss(lab) {
  const light = /^:root \{([^}]*)\}/m.exec(lab);
  const dark = /@media \(prefers-color-scheme: dark\) \{\s*:root \{([^}]*)\}/.exec(lab);
  const start = lab.indexOf('\n.run {');
  const end = lab.indexOf('/* ---- transcript ---- */');
  if (!light || !dark || start < 0 || end < start) throw new Error('www/css/lab.css: palette or diagram rules not found where build-site.mjs looks');
  const themed = (block) => block.replace(/--([\w-]+):\s*([^;]+);/g, (all, name, value) => (THEMABLE.includes(name) ? `--${name}: var(--twlab-${name}, ${value});` : all));
  return `.lite {${themed(light[1])}}\n.lite[data-theme="dark"] {${themed(dark[1])}}\n${lab.slice(start, end)}`;
}
