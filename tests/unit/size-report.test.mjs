// What the size report counts as loaded when the page opens (scripts/size-report.mjs), on a small
// made-up site: a glue's `new URL('…_bg.wasm', import.meta.url)` is a fetch at the start; a script's
// address kept beside its import() (the lab's wasm loader, www/js/lab.js) is only a name, and that
// script is loaded on demand. CI's run of stop 19 counted two on-demand modules as loaded at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const report = fileURLToPath(new URL('../../scripts/size-report.mjs', import.meta.url));

test("a script's address beside its import() is on demand; a glue's .wasm is loaded at the start", () => {
  const root = mkdtempSync(join(tmpdir(), 'twlab-size-'));
  mkdirSync(join(root, 'js'));
  mkdirSync(join(root, 'pkg'));
  const files = {
    'index.html': '<script type="module" src="js/main.js"></script>',
    'js/main.js': [
      "const later = () => import('../pkg/writer.js');",
      "const again = new URL('../pkg/writer.js', import.meta.url).href;",
      "const wasm = new URL('../pkg/lab_bg.wasm', import.meta.url);",
    ].join('\n'),
    'pkg/writer.js': "const w = new URL('writer_bg.wasm', import.meta.url);",
    'pkg/writer_bg.wasm': 'w'.repeat(64),
    'pkg/lab_bg.wasm': 'l'.repeat(64),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  const out = JSON.parse(execFileSync('node', [report, '--root', root, '--json'], { encoding: 'utf8' }));
  assert.deepEqual(out.files.map((f) => f.file), ['index.html', 'js/main.js', 'pkg/lab_bg.wasm']);
  assert.deepEqual(out.onDemand.map((f) => f.file), ['pkg/writer.js', 'pkg/writer_bg.wasm']);
});
