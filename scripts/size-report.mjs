#!/usr/bin/env node
// What the page downloads: every file reachable from dist/index.html (the built site: its stylesheet,
// its script and the wasm the glue fetches), raw and gzipped, with the total; modules fetched on
// demand by a dynamic import() are listed apart.
// Budgets (what the build achieves plus about 1 KB): what the page loads when it opens ≤ 127 KB gzip,
// its wasm ≤ 80 KB gzip. Exits 1 if one is exceeded.
//   node scripts/size-report.mjs [--root dist] [--json]
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const KB = 1024;
const BUDGET_TOTAL = 127 * KB;
const BUDGET_WASM = 80 * KB;

const args = process.argv.slice(2);
const rootArg = args.includes('--root') ? args[args.indexOf('--root') + 1] : null;
const root = resolve(rootArg || join(dirname(fileURLToPath(import.meta.url)), '..', 'dist'));

/**
 * Files the page loads, in the order the browser meets them: `start` when it opens, `onDemand` those
 * only a dynamic import() reaches (a module fetched when a feature is used), and what they load.
 */
function reachable(entry) {
  const seen = new Set();
  const start = [];
  const later = [];
  const visit = (file, list) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!existsSync(file)) throw new Error(`${relative(root, file)} is referenced but missing (run scripts/build-web.sh)`);
    list.push(file);
    const text = readFileSync(file, 'utf8');
    const here = dirname(file);
    const refs = [];
    const dynamic = [];
    if (file.endsWith('.html')) {
      for (const m of text.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)) refs.push(m[1]);
    } else if (file.endsWith('.js')) {
      // Minified code writes no space after the keyword: import{decode as e}from"./snippets/…".
      for (const m of text.matchAll(/\b(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g)) refs.push(m[1]);
      for (const m of text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) dynamic.push(m[1]);
      // A glue's address of its .wasm, which it fetches; an address of a script is only a name (the
      // lab's wasm loader keeps one beside its import(), to import the glue anew after a crash).
      for (const m of text.matchAll(/new URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)) {
        if (!m[1].endsWith('.js')) refs.push(m[1]);
      }
    } else if (file.endsWith('.css')) {
      for (const m of text.matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)/g)) refs.push(m[1]);
    }
    const path = (ref) => (ref.startsWith('/') ? join(root, ref) : resolve(here, ref));
    const local = (ref) => !/^(data:|https?:|#)/.test(ref);
    for (const ref of refs.filter(local)) visit(path(ref), list);
    for (const ref of dynamic.filter(local)) pending.push(path(ref));
  };
  const pending = [];
  visit(entry, start);
  // What is loaded on demand, unless the page loads it at the start anyway.
  while (pending.length) visit(pending.shift(), later);
  return { start, later };
}

const measure = (file) => {
  const body = readFileSync(file);
  return { file: relative(root, file), raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
};
const { start, later } = reachable(join(root, 'index.html'));
const files = start.map(measure);
const onDemand = later.map(measure);
const total = files.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip }), { raw: 0, gzip: 0 });
const wasm = files.filter((f) => f.file.endsWith('.wasm')).reduce((n, f) => n + f.gzip, 0);

if (args.includes('--json')) {
  console.log(JSON.stringify({ files, onDemand, total, wasmGzip: wasm, budgets: { total: BUDGET_TOTAL, wasm: BUDGET_WASM } }, null, 2));
} else {
  const kb = (n) => `${(n / KB).toFixed(1)} KB`.padStart(10);
  console.log('size report: what the page loads when it opens');
  console.log(`  ${'file'.padEnd(60)}${'raw'.padStart(10)}${'gzip'.padStart(10)}`);
  for (const f of files) console.log(`  ${f.file.padEnd(60)}${kb(f.raw)}${kb(f.gzip)}`);
  console.log(`  ${'total'.padEnd(60)}${kb(total.raw)}${kb(total.gzip)}`);
  console.log(`  budget: page ${kb(total.gzip).trim()} of ${BUDGET_TOTAL / KB} KB gzip ${total.gzip <= BUDGET_TOTAL ? 'ok' : 'OVER'}; ` +
    `wasm ${kb(wasm).trim()} of ${BUDGET_WASM / KB} KB gzip ${wasm <= BUDGET_WASM ? 'ok' : 'OVER'}`);
  if (onDemand.length) {
    console.log('  loaded on demand (not in the total):');
    for (const f of onDemand) console.log(`  ${f.file.padEnd(60)}${kb(f.raw)}${kb(f.gzip)}`);
  }
}
if (files.every((f) => !f.file.endsWith('.wasm'))) {
  console.error('size report: the page loads no wasm; is the site built (scripts/build-web.sh)?');
  process.exit(1);
}
if (total.gzip > BUDGET_TOTAL || wasm > BUDGET_WASM) process.exit(1);
