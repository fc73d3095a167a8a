#!/usr/bin/env node
// twlab side by side with Mermaid (issue 6), in one run: the built page (www/, served as in
// production: strict CSP, no compression) and a Mermaid page rendering twlab's own Mermaid export of
// the same scenario, each loaded cold in a fresh browser context, the two variants alternating.
// Scenarios: the default preset, and bulk transfers of 200 and 2,000 segments with 2% loss.
// Prints one table with the ratios twlab/Mermaid. Run it with `npm run bench` (scripts/bench.sh),
// which builds the site first.
//   node bench/run.mjs [--loads 15] [--toggles 30] [--big-loads 15] [--big-toggles 10] [--only default,200,2000]
import { mkdtemp, readFile, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir, cpus, totalmem, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { launch } from '../tests/e2e/browser.mjs';
import { serve } from '../scripts/serve.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const LOADS = Number(opt('--loads', 15));
const TOGGLES = Number(opt('--toggles', 30));
const BIG_TOGGLES = Number(opt('--big-toggles', 10));
const BIG_LOADS = Number(opt('--big-loads', LOADS)); // the 2,000-segment scenario: Mermaid takes seconds per load
const ONLY = opt('--only', 'default,200,2000').split(',');
const VIEWPORT = { width: 1280, height: 900 };

// ---- the scenarios, and twlab's Mermaid export of each (the wasm modules, run in node) -----------

const wasm = await import(join(ROOT, 'www/pkg/twlab_wasm.js'));
await wasm.default({ module_or_path: await readFile(join(ROOT, 'www/pkg/twlab_wasm_bg.wasm')) });
const exporter = await import(join(ROOT, 'www/pkg/twlab_export_wasm.js'));
await exporter.default({ module_or_path: await readFile(join(ROOT, 'www/pkg/twlab_export_wasm_bg.wasm')) });

const SCENARIOS = [
  { id: 'default', title: 'default preset (normal-close)', hash: '', lab: () => wasm.Lab.preset(wasm.presets()[0].name), nth: 6 },
  { id: '200', title: '200-segment bulk, 2% loss', hash: '#bulk-200', lab: () => wasm.Lab.bulk(200, 20, 1), nth: 10 },
  { id: '2000', title: '2,000-segment bulk, 2% loss', hash: '#bulk-2000', lab: () => wasm.Lab.bulk(2000, 20, 1), nth: 10 },
].filter((s) => ONLY.includes(s.id));

for (const s of SCENARIOS) {
  const lab = s.lab();
  s.mermaid = exporter.mermaid(JSON.stringify(lab.scenario()));
  const trace = lab.trace();
  s.flights = trace.segments.reduce((n, seg) => n + seg.flights.length, 0);
  lab.free();
  const lines = s.mermaid.split('\n');
  s.messages = lines.filter((l) => /^\s+[CS](->>|-x|--\))[CS]:/.test(l)).length;
}

/** The Mermaid line of the client's nth segment: the one a loss toggle flips (no copies here). */
function lineOf(s, nth) {
  let k = 0;
  return s.mermaid.split('\n').findIndex((l) => /^\s+C(->>|-x)S:/.test(l) && ++k === nth);
}

// ---- serving: twlab as in production, Mermaid without the CSP (it styles its SVG inline) --------

const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const mermaidRoot = await mkdtemp(join(tmpdir(), 'twlab-bench-'));
await symlink(join(ROOT, 'node_modules/mermaid/dist'), join(mermaidRoot, 'mermaid-dist'));
await copyFile(join(ROOT, 'bench/mermaid-page.js'), join(mermaidRoot, 'mermaid-page.js'));
for (const s of SCENARIOS) {
  await writeFile(join(mermaidRoot, `${s.id}.html`), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mermaid: ${s.title}</title></head><body>
<pre class="mermaid" id="diagram">${escapeHtml(s.mermaid)}</pre>
<script type="module" src="mermaid-page.js"></script>
</body></html>
`);
}
const twlabServer = await serve({ root: join(ROOT, 'dist'), port: 0 });
const mermaidServer = await serve({ root: mermaidRoot, port: 0, csp: null });

// ---- one cold load ------------------------------------------------------------------------------

const VARIANTS = {
  twlab: {
    url: (s) => `${twlabServer.url}${s.hash}`,
    // The run's diagram with its arrows; a pre-rendered default view counts only for the default; a
    // big run's arrows are on a canvas and in bands, drawn once the big-run layer is fetched.
    diagram: (s) => (s.id === 'default'
      ? 'figure[data-run="main"] svg.diagram .flight'
      : 'figure[data-run="main"] svg.diagram:not([data-prerendered]):not([data-big="waiting"]) :is(.flight, .fold)'),
    ready: 'body[data-ready="true"]',
  },
  mermaid: {
    url: (s) => `${mermaidServer.url}${s.id}.html`,
    // mermaid.run renders inside the element, then replaces its content with the finished SVG.
    diagram: () => '#diagram > svg',
    ready: 'body[data-ready="true"], body[data-error]',
  },
};

/** Installed before any page script: when the diagram first appears, and the longest task. */
function observer(selector) {
  const b = { diagram: null, ready: null, longest: 0 };
  window.__bench = b;
  const mo = new MutationObserver(() => {
    if (b.diagram == null && document.querySelector(selector)) b.diagram = performance.now();
    if (b.ready == null && document.body?.dataset.ready === 'true') b.ready = performance.now();
    if (b.diagram != null && b.ready != null) mo.disconnect();
  });
  mo.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longest = Math.max(window.__bench.longest, e.duration);
  }).observe({ type: 'longtask', buffered: true });
}

async function painted() {
  await new Promise((done) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = done;
    channel.port2.postMessage(null);
  }));
}

async function coldLoad(browser, variant, s, { bytes = false, heap = false } = {}) {
  const v = VARIANTS[variant];
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const files = [];
  if (bytes) {
    page.on('requestfinished', async (req) => {
      const res = await req.response();
      const body = await res.body().catch(() => Buffer.alloc(0));
      files.push({ url: req.url().replace(/^https?:\/\/[^/]+\//, '/').replace(/#.*/, ''), raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
    });
  }
  await page.addInitScript(observer, v.diagram(s));
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(v.url(s), { waitUntil: 'commit' });
  await page.waitForSelector(v.ready, { timeout: 120_000, state: 'attached' });
  await page.waitForFunction(() => window.__bench.diagram != null, null, { timeout: 120_000 });
  const error = await page.evaluate(() => document.body.dataset.error);
  if (error || problems.length) throw new Error(`${variant} ${s.id}: ${error || problems.join('; ')}`);
  const timing = await page.evaluate(() => window.__bench);
  const out = { page, context, ...timing, files };
  if (heap) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    out.heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    out.nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    await cdp.detach();
  }
  return out;
}

// ---- measurements -------------------------------------------------------------------------------

const median = (xs) => {
  const a = [...xs].sort((x, y) => x - y);
  return a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
};
const pct = (xs, p) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function toggles(browser, variant, s, n) {
  const { page, context } = await coldLoad(browser, variant, s);
  if (variant === 'twlab') s.line = lineOf(s, s.nth);
  const times = [];
  for (let i = 0; i < n; i++) {
    const ms = variant === 'twlab'
      ? await page.evaluate(async ({ nth, painted }) => {
        // A big run has in its SVG only the arrow of the current step (the rest are on a canvas):
        // untimed, step the player to where the client's nth segment is sent, as with a keyboard.
        const arrow = () => document.querySelector(`figure[data-run="main"] .flight[data-conn="1"][data-from="client"][data-nth="${nth}"]`);
        if (!arrow()) {
          const key = (k) => document.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
          key('Home');
          for (let k = 0; k < 5000 && !arrow(); k++) key('ArrowRight');
        }
        const node = arrow();
        const t0 = performance.now();
        node.dispatchEvent(new MouseEvent('click', { bubbles: true }));
        await new Function(`return (${painted})()`)();
        return performance.now() - t0;
      }, { nth: s.nth, painted: painted.toString() })
      : await page.evaluate(async ({ line, painted }) => {
        const t0 = performance.now();
        await window.bench.toggle(line);
        await new Function(`return (${painted})()`)();
        return performance.now() - t0;
      }, { line: s.line, painted: painted.toString() });
    times.push(ms);
  }
  await context.close();
  return times;
}

/** Frame times while twlab plays its run for three seconds. */
async function playback(browser, s) {
  const { page, context } = await coldLoad(browser, 'twlab', s);
  const frames = await page.evaluate(async () => {
    document.getElementById('play').click();
    const deltas = [];
    let last = performance.now();
    const end = last + 3000;
    await new Promise((done) => {
      const frame = (now) => {
        deltas.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(frame);
        else done();
      };
      requestAnimationFrame(frame);
    });
    document.getElementById('play').click();
    return deltas.slice(1);
  });
  await context.close();
  return { p95: pct(frames, 0.95), max: Math.max(...frames), count: frames.length };
}

/** Mermaid draws what twlab exported: one message line per flight, in the real package. */
async function checkMermaidRenders(browser, s) {
  const { page, context } = await coldLoad(browser, 'mermaid', s);
  const drawn = await page.evaluate(() => ({
    messages: document.querySelectorAll('#diagram > svg [class^="messageLine"]').length,
    crosses: document.querySelectorAll('#diagram > svg [marker-end*="crosshead"]').length,
    actors: [...document.querySelectorAll('#diagram > svg text.actor')].map((t) => t.textContent),
  }));
  await context.close();
  const lost = s.mermaid.split('\n').filter((l) => /^\s+[CS]-x[CS]:/.test(l)).length;
  if (drawn.messages !== s.flights || s.messages !== s.flights || drawn.crosses !== lost) {
    throw new Error(`Mermaid drew ${drawn.messages} messages (${drawn.crosses} lost) for ${s.flights} flights (${lost} lost) in ${s.id}`);
  }
  return drawn;
}

// ---- the run ------------------------------------------------------------------------------------

const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(' ');
const startedAt = new Date();
const browser = await launch();
const version = browser.version();
const results = {};
try {
  for (const s of SCENARIOS) {
    process.stderr.write(`${s.title}: ${s.flights} flights; checking Mermaid renders them… `);
    const drawn = await checkMermaidRenders(browser, s);
    process.stderr.write(`ok (${drawn.messages} messages, actors ${drawn.actors.slice(0, 2).join(' / ')})\n`);
    const r = { twlab: { loads: [], ready: [], longest: [] }, mermaid: { loads: [], ready: [], longest: [] } };
    results[s.id] = r;
    const loads = s.id === '2000' ? BIG_LOADS : LOADS;
    for (let i = 0; i < loads; i++) {
      const order = i % 2 ? ['mermaid', 'twlab'] : ['twlab', 'mermaid'];
      for (const variant of order) {
        const first = i < 3;
        const load = await coldLoad(browser, variant, s, { bytes: i === 0, heap: first });
        r[variant].loads.push(load.diagram);
        r[variant].ready.push(load.ready);
        r[variant].longest.push(load.longest);
        if (i === 0) r[variant].files = load.files;
        if (first) {
          (r[variant].heap ??= []).push(load.heap);
          (r[variant].nodes ??= []).push(load.nodes);
        }
        await load.context.close();
      }
      process.stderr.write(`  load ${i + 1}/${loads}: twlab ${r.twlab.loads.at(-1).toFixed(0)} ms, Mermaid ${r.mermaid.loads.at(-1).toFixed(0)} ms\n`);
    }
    const n = s.id === '2000' ? BIG_TOGGLES : TOGGLES;
    for (const variant of ['twlab', 'mermaid']) {
      r[variant].toggles = await toggles(browser, variant, s, n);
      process.stderr.write(`  ${n} toggles ${variant} (client segment ${s.nth}): median ${median(r[variant].toggles).toFixed(1)} ms\n`);
    }
    r.twlab.playback = await playback(browser, s);
  }
} finally {
  await browser.close();
  twlabServer.server.close();
  mermaidServer.server.close();
  await rm(mermaidRoot, { recursive: true, force: true });
}

// ---- the table ----------------------------------------------------------------------------------

const KB = 1024;
const kb = (n) => `${(n / KB).toFixed(1)} KB`;
const ms = (n) => `${n.toFixed(1)} ms`;
const sum = (files, key) => files.reduce((t, f) => t + f[key], 0);
const rows = [];
const row = (metric, a, b, fmt, ratio = true) => rows.push([metric, fmt(a), b == null ? '—' : fmt(b), ratio && b ? `${(a / b).toFixed(3)}` : '—']);
for (const s of SCENARIOS) {
  const { twlab, mermaid } = results[s.id];
  rows.push([`## ${s.title} (${s.flights} messages)`]);
  row('bytes loaded, raw', sum(twlab.files, 'raw'), sum(mermaid.files, 'raw'), kb);
  row('bytes loaded, gzip', sum(twlab.files, 'gzip'), sum(mermaid.files, 'gzip'), kb);
  row('files loaded', twlab.files.length, mermaid.files.length, String);
  row(`nav → diagram in DOM, min (${twlab.loads.length} cold)`, Math.min(...twlab.loads), Math.min(...mermaid.loads), ms);
  row('nav → diagram in DOM, median', median(twlab.loads), median(mermaid.loads), ms);
  row('nav → diagram in DOM, max', Math.max(...twlab.loads), Math.max(...mermaid.loads), ms);
  row('nav → page ready (wasm/Mermaid loaded), median', median(twlab.ready), median(mermaid.ready), ms);
  row('longest main-thread task during load, median', median(twlab.longest), median(mermaid.longest), ms);
  row(`toggle → updated diagram painted, median (${twlab.toggles.length})`, median(twlab.toggles), median(mermaid.toggles), ms);
  row('JS heap after GC, median of 3 (V8 heap; not wasm memory)', median(twlab.heap), median(mermaid.heap), kb);
  row('DOM elements (median of 3)', median(twlab.nodes), median(mermaid.nodes), String);
  row(`playback frame time p95 (${twlab.playback.count} frames)`, twlab.playback.p95, null, ms, false);
  row('playback frame time max', twlab.playback.max, null, ms, false);
}
const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.filter((r) => r.length > 1).map((r) => r[c].length)));
console.log(`twlab vs Mermaid ${JSON.parse(await readFile(join(ROOT, 'node_modules/mermaid/package.json'), 'utf8')).version}` +
  ` · Chromium ${version} (headless) · ${cpus().length} × ${cpus()[0]?.model.trim()} · ${(totalmem() / 2 ** 30).toFixed(1)} GB`);
console.log(`load average (1, 5, 15 min) at the start: ${loadAtStart}; run took ${((Date.now() - startedAt) / 60000).toFixed(1)} min; uptime at the end: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
console.log(`${'metric'.padEnd(widths[0])}  ${'twlab'.padStart(widths[1])}  ${'Mermaid'.padStart(widths[2])}  ${'twlab/Mermaid'.padStart(13)}`);
for (const r of rows) {
  if (r.length === 1) console.log(`\n${r[0]}`);
  else console.log(`${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2].padStart(widths[2])}  ${r[3].padStart(13)}`);
}
const first = results[SCENARIOS[0].id];
for (const variant of ['twlab', 'mermaid']) {
  console.log(`\nfiles loaded by ${variant} (${SCENARIOS[0].id}):`);
  for (const f of first[variant].files) console.log(`  ${f.url.padEnd(60)} ${kb(f.raw).padStart(10)} ${kb(f.gzip).padStart(10)} gzip`);
}
