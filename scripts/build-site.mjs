#!/usr/bin/env node
// The site as served, in dist/: www/ with its modules and the wasm glue bundled and minified into
// one script (esbuild), the stylesheet minified, the wasm copied, and the default view's diagram
// pre-rendered into index.html by the page itself in headless Chromium, so that it is on screen
// before the wasm has loaded (the page replaces it when it is ready). Without a Chromium the site is
// built without the pre-rendered diagram. www/ itself stays a working unbundled copy of the page.
//   node scripts/build-site.mjs [--no-prerender]
import { build, transform } from 'esbuild';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const www = join(ROOT, 'www');
const dist = join(ROOT, 'dist');
const log = (s) => console.log(`\x1b[1m[build-site]\x1b[0m ${s}`);

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, 'pkg'), { recursive: true });

// The lab's glue is bundled: it finds its wasm next to itself, which from js/main.js is ../pkg/.
// Modules fetched on demand (import() of pkg/, the capture reader, a language other than English)
// stay files of their own.
const wasmGlue = {
  name: 'wasm-glue',
  setup(b) {
    b.onResolve({ filter: /\/(pkg|lang|teach|drill)\/[^/]+\.js$/ }, ({ path, kind }) => (kind === 'dynamic-import' ? { path, external: true } : undefined));
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
// The teaching views, fetched on demand: their own bundle, which must not carry a copy of any page
// module with state (the page hands them its own: teach/host.js). Only pure trace.js may be shared.
const pageState = {
  name: 'page-state',
  setup(b) {
    b.onResolve({ filter: /^\.\.\// }, ({ path, importer }) => {
      if (importer.includes('/js/teach/') && path !== '../trace.js') {
        return { errors: [{ text: `${importer}: imports ${path}; the teaching bundle gets the page's modules through teach/host.js` }] };
      }
      // The script views fetch the drill module's glue at run time; nothing else of the page.
      if (importer.includes('/js/drill/')) {
        if (path.startsWith('../../pkg/')) return { path, external: true };
        return { errors: [{ text: `${importer}: imports ${path}; the script views get the page's modules through drill/host.js` }] };
      }
      return undefined;
    });
  },
};
// The teaching views and the script views (a packetdrill script dropped, pasted or linked), each a
// bundle with its stylesheet.
for (const views of ['teach', 'drill']) {
  await build({
    entryPoints: [join(www, `js/${views}/index.js`)],
    outfile: join(dist, `js/${views}/index.js`),
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    legalComments: 'none',
    plugins: [pageState],
    logLevel: 'warning',
  });
}
for (const sheet of ['lab', 'teach', 'drill']) {
  await build({
    entryPoints: [join(www, `css/${sheet}.css`)],
    outfile: join(dist, `css/${sheet}.css`),
    minify: true,
    logLevel: 'warning',
  });
}
// The wasm modules and their glue (lab.js imports the glue at run time, so that a crash can get a
// fresh instance), the glue minified.
await cp(join(www, 'pkg'), join(dist, 'pkg'), { recursive: true });
for (const name of (await readdir(join(dist, 'pkg'))).filter((f) => f.endsWith('.js'))) {
  const file = join(dist, 'pkg', name);
  const { code } = await transform(await readFile(file, 'utf8'), { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' });
  await writeFile(file, code);
}
// The embedding script and the demo article that shows it, as they are.
for (const file of ['twlab.js', 'demo.html', 'css/demo.css']) await cp(join(www, file), join(dist, file));
let html = await readFile(join(www, 'index.html'), 'utf8');
await writeFile(join(dist, 'index.html'), html);
log('bundled js/main.js and css/lab.css (esbuild, minified), copied the wasm');

const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
if (process.argv.includes('--no-prerender')) {
  log('not pre-rendering (--no-prerender)');
} else if (!existsSync(chromium)) {
  log(`not pre-rendering: no Chromium at ${chromium} (scripts/setup.sh --with-browser installs one)`);
} else {
  const diagrams = await prerender();
  const empty = '<div id="diagrams" class="diagrams"></div>';
  if (!html.includes(empty)) throw new Error(`www/index.html no longer has ${empty}`);
  html = html.replace(empty, `<div id="diagrams" class="diagrams">${diagrams}</div>`);
  await writeFile(join(dist, 'index.html'), html);
  log(`pre-rendered the default view into index.html (${diagrams.length} bytes)`);
}

/** The default view's diagrams as the page draws them in a 1280 px wide window, marked as such. */
async function prerender() {
  const { launch } = await import('../tests/e2e/browser.mjs');
  const { serve } = await import('./serve.mjs');
  const { server, url } = await serve({ root: dist, port: 0 });
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    return await page.evaluate(() => {
      const box = document.getElementById('diagrams');
      for (const svg of box.querySelectorAll('svg')) svg.setAttribute('data-prerendered', '');
      // Not a control until the page is ready: the wasm behind it has not loaded yet.
      for (const f of box.querySelectorAll('[tabindex]')) f.setAttribute('tabindex', '-1');
      return box.innerHTML;
    });
  } finally {
    await browser.close();
    server.close();
  }
}
