// mdbook-twlab end to end: the sample book (tests/mdbook/book) wired up by `mdbook-twlab install`,
// built by a real `mdbook build`, served under a subpath, and read in headless Chromium in mdBook's
// light and navy themes: every ```twlab block is a working lab, the bad one an error box, and no
// console error. Needs `mdbook` on PATH (scripts/setup.sh --with-browser installs it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, countRedraws, rerun, ROOT, SHOTS } from './browser.mjs';
import { serve } from '../../scripts/serve.mjs';

const SUBPATH = 'guide/';
let browser;
let server;
let url;
let tmp;
let buildLog;

before(async () => {
  const version = spawnSync('mdbook', ['--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, 'mdbook is not on PATH: scripts/setup.sh --with-browser installs it');
  execFileSync('cargo', ['build', '--locked', '-q', '-p', 'mdbook-twlab'], { cwd: ROOT, stdio: 'inherit' });
  assert.ok(existsSync(join(ROOT, 'dist/twlab.js')), 'dist/ is not built: scripts/build-web.sh');
  tmp = mkdtempSync(join(tmpdir(), 'twlab-mdbook-'));
  const book = join(tmp, 'book');
  cpSync(join(ROOT, 'tests/mdbook/book'), book, { recursive: true });
  const env = { ...process.env, PATH: `${join(ROOT, 'target/debug')}:${process.env.PATH}` };
  const install = execFileSync('mdbook-twlab', ['install', book, '--assets', join(ROOT, 'dist')], { env, encoding: 'utf8' });
  assert.match(install, /added \[preprocessor\.twlab\]/);
  assert.match(readFileSync(join(book, 'book.toml'), 'utf8'), /\[preprocessor\.twlab\]\ncommand = "mdbook-twlab"\n.*\nassets = "(\.\.\/)+.*dist"\n/);
  const build = spawnSync('mdbook', ['build', book, '--dest-dir', join(tmp, 'site', SUBPATH)], { env, encoding: 'utf8' });
  buildLog = `${build.stdout}\n${build.stderr}`;
  assert.equal(build.status, 0, buildLog);
  // mdBook's pages run inline scripts, so the book is served without the lab's strict CSP.
  server = await serve({ root: join(tmp, 'site'), port: 0, csp: null });
  url = `${server.url}${SUBPATH}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.server.close(done) : done()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A page of the book in `theme` (mdBook keeps the reader's pick in localStorage), collecting errors. */
async function openBook(path, theme) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript((t) => localStorage.setItem('mdbook-theme', t), theme);
  await countRedraws(context);
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => m.type() === 'error' && page.problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  const response = await page.goto(`${url}${path}`);
  assert.equal(response.status(), 200, path);
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains(localStorage.getItem('mdbook-theme'))), true, `${path}: in ${theme}`);
  return page;
}

/** The nth lab of the page, scrolled into view, once drawn: its frame. */
async function lab(page, n) {
  const element = page.locator('twlab-lab').nth(n);
  await element.scrollIntoViewIfNeeded();
  await page.waitForFunction((i) => document.querySelectorAll('twlab-lab')[i].shadowRoot, n);
  // An element that shows a picture first makes its lab when the reader clicks it.
  if (!(await element.evaluate((el) => el.shadowRoot.querySelector('iframe')))) await element.click();
  await page.waitForFunction((i) => document.querySelectorAll('twlab-lab')[i].shadowRoot.querySelector('iframe'), n);
  const frame = await (await element.evaluateHandle((el) => el.shadowRoot.querySelector('iframe'))).asElement().contentFrame();
  await frame.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  await frame.waitForSelector('figure[data-run="main"] .flight');
  return frame;
}

const main = (sel) => `figure[data-run="main"] ${sel}`;

test('the build names the bad block by chapter and line and goes on', () => {
  assert.match(buildLog, /mdbook-twlab: error: chapter "A block with a typo" \(typo\.md\), line 7: there is no preset "last-ack-lots"/);
  // The script is loaded relative to the root, once per chapter: mdBook's path_to_root, else one
  // level up from a folder.
  const nested = readFileSync(join(tmp, 'site', SUBPATH, 'close/last-ack.html'), 'utf8');
  assert.equal(nested.match(/<script type="module">import\(new URL\(\(typeof path_to_root == "string" \? path_to_root : "\.\.\/"\) \+ "twlab\/twlab\.js", document\.baseURI\)\);<\/script>/g)?.length, 1);
  assert.equal(nested.match(/<twlab-lab /g).length, 2);
  assert.ok(existsSync(join(tmp, 'site', SUBPATH, 'twlab/pkg/twlab_wasm_bg.wasm')), 'the site was copied into the book');
});

for (const theme of ['light', 'navy']) {
  test(`in the ${theme} theme, served under /${SUBPATH}, every lab of the book works`, async () => {
    // The first chapter: a click on an arrow loses it and the run changes.
    const intro = await openBook('index.html', theme);
    const close = await lab(intro, 0);
    assert.equal(await close.getAttribute(main('.outcome'), 'data-kind'), 'closed_cleanly');
    const arrows = await close.locator(main('.flight')).count();
    const ack = main('.flight[data-seg="1-client-6"]');
    await close.$eval(ack, (node) => node.scrollIntoView({ block: 'center' }));
    await rerun(close, () => close.click(`${ack} .hit`, { force: true }));
    assert.equal(await close.getAttribute(ack, 'data-end'), 'dropped');
    assert.equal(await close.locator(main('.flight')).count(), arrows + 2, 'the FIN retransmitted and ACKed again');
    assert.equal(await intro.locator('pre code').count(), 1, 'the sh block stays a code block');
    assert.deepEqual(intro.problems, []);
    await intro.context().close();

    // A chapter in a folder: two labs, the twin beside the first, the second in Chinese with every control.
    const page = await openBook('close/last-ack.html', theme);
    const twin = await lab(page, 0);
    assert.deepEqual(await twin.$$eval('#diagrams figure', (f) => f.map((x) => x.dataset.run)), ['main', 'twin']);
    assert.equal(await twin.getAttribute('figure[data-run="twin"] .outcome', 'data-kind'), 'reset');
    const zh = await lab(page, 1);
    assert.equal(await zh.evaluate(() => document.documentElement.lang), 'zh-Hans');
    assert.equal(await zh.isVisible('#params-box'), true, 'controls = "full"');
    await page.evaluate(() => document.querySelector('#mdbook-content, main')?.scrollIntoView() ?? window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, `mdbook-${theme}.png`) });
    assert.deepEqual(page.problems, []);
    await page.context().close();

    // A share link.
    const linked = await openBook('old-duplicate.html', theme);
    const frame = await lab(linked, 0);
    assert.equal(await frame.getAttribute(main('.flight[data-seg="1-client-6"]'), 'data-end'), 'dropped');
    assert.deepEqual(linked.problems, []);
    await linked.context().close();

    // The bad block: an error box saying what is wrong, no lab and no script.
    const typo = await openBook('typo.html', theme);
    assert.equal(await typo.locator('twlab-lab').count(), 0);
    assert.match(await typo.textContent('.twlab-error'), /twlab block, line 7: there is no preset "last-ack-lots"[^]*preset = "last-ack-lots"/);
    assert.equal(await typo.isVisible('.twlab-error'), true);
    await typo.locator('.twlab-error').scrollIntoViewIfNeeded();
    await typo.screenshot({ path: join(SHOTS, `mdbook-error-${theme}.png`) });
    assert.deepEqual(typo.problems, []);
    await typo.context().close();
  });
}

test('print.html, where every chapter sits at the root, loads the lab once and draws every block', async () => {
  const page = await openBook('print.html', 'light');
  assert.equal(await page.locator('twlab-lab').count(), 4);
  for (let n = 0; n < 4; n++) await lab(page, n);
  assert.equal(await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => r.name.endsWith('/twlab.js')).length), 1);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
