// The npm package (scripts/pack.mjs) as an author uses it: the tarball installed offline into a
// throwaway project, then <twlab-lab> from a plain <script type="module"> and from an esbuild bundle
// (`import { setBase } from 'twlab'`), each showing its static diagram and going live on a click.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { launch, ROOT, SHOTS } from './browser.mjs';
import { serve } from '../../scripts/serve.mjs';

let browser;
let site;
let project;

before(async () => {
  const tarball = execFileSync('node', [join(ROOT, 'scripts/pack.mjs')], { encoding: 'utf8' }).trim().split('\n').pop();
  project = mkdtempSync(join(tmpdir(), 'twlab-npm-'));
  writeFileSync(join(project, 'package.json'), '{ "name": "throwaway", "private": true, "type": "module" }\n');
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project, stdio: 'pipe' });
  const page = (script) => `<!doctype html><html lang="en"><meta charset="utf-8"><link rel="icon" href="data:,">
<title>throwaway</title>${script}<h1>Throwaway</h1><twlab-lab id="a" preset="old-duplicate"></twlab-lab>`;
  writeFileSync(join(project, 'script.html'), page('<script type="module" src="node_modules/twlab/twlab.js"></script>'));
  // A bundle: the element's code moves into out/app.js, its files stay in the package (setBase).
  writeFileSync(join(project, 'app.js'), "import { setBase } from 'twlab';\nsetBase('/node_modules/twlab/');\n");
  await build({ entryPoints: [join(project, 'app.js')], outfile: join(project, 'out/app.js'), bundle: true, format: 'esm', absWorkingDir: project, logLevel: 'warning' });
  writeFileSync(join(project, 'bundle.html'), page('<script type="module" src="out/app.js"></script>'));
  site = await serve({ root: project, port: 0 });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.server.close();
});

for (const entry of ['script', 'bundle']) {
  test(`the installed package works from ${entry === 'script' ? 'a <script type="module">' : 'an esbuild bundle (import \'twlab\')'}`, async () => {
    assert.ok(existsSync(join(project, 'node_modules/twlab/pkg/twlab_wasm_bg.wasm')), 'the wasm is in the package');
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(`${site.url}${entry}.html`);
    await page.waitForFunction(() => document.querySelector('#a').dataset.static === 'shown');
    assert.ok(await page.evaluate(() => document.querySelector('#a').shadowRoot.querySelectorAll('.flight').length) > 5);
    await page.evaluate(() => document.querySelector('#a').shadowRoot.querySelector('.start').click());
    await page.waitForFunction(() => document.querySelector('#a').dataset.live === 'true', null, { timeout: 30000 });
    const frame = await (await page.evaluateHandle(() => document.querySelector('#a').shadowRoot.querySelector('iframe'))).asElement().contentFrame();
    assert.equal(await frame.evaluate(() => document.querySelector('#preset').value), 'old-duplicate');
    await page.screenshot({ path: join(SHOTS, `npm-${entry}.png`) });
    assert.deepEqual(problems, []);
    await page.close();
  });
}
