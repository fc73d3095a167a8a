#!/usr/bin/env node
// The npm package `twlab` (not published from here): the built site (dist/, without the demo
// article) with twlab.js as its entry, so that `import 'twlab'` in a bundle and
// <script type="module" src=".../twlab/twlab.js"> both define <twlab-lab>, with the lab, the wasm
// and the static diagrams beside it. Writes build/twlab-VERSION.tgz (npm pack) and prints its path.
// Run scripts/build-web.sh first (npm run pack does).
//   node scripts/pack.mjs
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dist = join(ROOT, 'dist');
const out = join(ROOT, 'build');
const stage = join(out, 'npm', 'twlab');
if (!existsSync(join(dist, 'static'))) throw new Error('dist/ has no static diagrams: run scripts/build-web.sh first');

const cargo = await readFile(join(ROOT, 'Cargo.toml'), 'utf8');
const field = (name) => new RegExp(`^${name} = "([^"]+)"`, 'm').exec(cargo)[1];
const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
const embedding = /^## Publish and embed\n[\s\S]*?(?=^## )/m.exec(readme)[0];

await rm(join(out, 'npm'), { recursive: true, force: true });
await mkdir(stage, { recursive: true });
await cp(dist, stage, { recursive: true, filter: (src) => !/(demo\.html|demo\.css)$/.test(src) });
await writeFile(join(stage, 'package.json'), `${JSON.stringify({
  name: 'twlab',
  version: field('version'),
  description: 'An embeddable TCP sequence diagram lab that shows why the active closer waits 2×MSL in TIME-WAIT: <twlab-lab>.',
  license: field('license'),
  type: 'module',
  main: './twlab.js',
  module: './twlab.js',
  exports: { '.': './twlab.js', './package.json': './package.json', './*': './*' },
  // Importing it defines the element.
  sideEffects: ['./twlab.js'],
  keywords: ['tcp', 'time-wait', 'sequence-diagram', 'web-component', 'custom-element', 'wasm'],
}, null, 2)}\n`);
await writeFile(join(stage, 'README.md'), `# twlab\n\nThe lab's files as served, with \`twlab.js\` (the \`<twlab-lab>\` element) as the entry.\n\n${embedding.replace(/^## /, '## ')}`);
const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: stage, encoding: 'utf8' }).trim().split('\n').pop();
console.log(join(out, name));
