// Bugs found where features meet (issue 12, and the random walk in monkey.test.mjs), each with the
// test that now covers it. A capture session and a simulated session answer the same methods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openLab, rerun, trapOn, ROOT } from './browser.mjs';

const KERNEL = join(ROOT, 'tests', 'linux', 'fixtures');

let browser;
let server;
useBrowser((b, s) => {
  browser = b;
  server = s;
});

async function withCapture() {
  const page = await openLab(browser, server.url);
  await page.setInputFiles('#capture-file', join(KERNEL, 'last-ack-lost.pcap'));
  await page.waitForFunction(() => document.querySelector('#preset').value === 'last-ack-lost.pcap');
  return page;
}

/** Download → `kind`; the download's name and text (null for binary kinds). */
async function exportAs(page, kind) {
  await page.click('.export-menu summary');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-export="${kind}"]`)]);
  return file;
}

const calm = async (page) => {
  assert.equal(await page.evaluate(() => document.body.dataset.crashed), undefined, 'no crash banner');
  assert.deepEqual(page.problems, []);
};

test('regression: a capture exports Mermaid (was "session.mermaid is not a function")', async () => {
  const page = await withCapture();
  const file = await exportAs(page, 'mermaid');
  assert.match(file.suggestedFilename(), /\.mmd$/);
  const text = await (await import('node:fs/promises')).readFile(await file.path(), 'utf8');
  assert.match(text, /^sequenceDiagram/m);
  const arrows = await page.locator('figure[data-run="main"] .flight').count();
  assert.equal((text.match(/^\s*[CS]-/gm) || []).length, arrows, 'a message per arrow drawn');
  await calm(page);
  await page.context().close();
});

test('regression: every export works with a capture open, without a CSP violation', async () => {
  const page = await withCapture();
  for (const kind of ['svg', 'png', 'json', 'text', 'mermaid', 'pcap']) {
    const file = await exportAs(page, kind);
    assert.ok((await (await import('node:fs/promises')).stat(await file.path())).size > 100, `${kind} has content`);
  }
  await calm(page);
  await page.context().close();
});

test('regression: exporting the SVG applies no inline style the CSP refuses, and the file keeps its styles', async () => {
  // Each style attribute written as text was refused (style-src 'self'): 478 console errors, and an
  // SVG without its colours.
  const page = await openLab(browser, server.url, { hash: '#last-ack-lost' });
  const file = await exportAs(page, 'svg');
  const svg = await (await import('node:fs/promises')).readFile(await file.path(), 'utf8');
  assert.match(svg, /<line[^>]*style="[^"]*stroke:/, 'the arrows keep their stroke');
  await calm(page);
  await page.context().close();
});

test('regression: following a share link with a capture open (was "session.link is not a function")', async () => {
  const page = await withCapture();
  // A link that does not open: the message, and the capture stays.
  await page.evaluate(() => { location.hash = 'v1/garbage'; });
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error-text'), /could not be opened/);
  assert.equal(await page.inputValue('#preset'), 'last-ack-lost.pcap');
  await calm(page);
  // A good one opens its scenario, twin and all.
  await rerun(page, () => page.evaluate(() => { location.hash = 'v1/last-ack-lost/twin/end'; }));
  assert.equal(await page.inputValue('#preset'), 'last-ack-lost');
  assert.equal(await page.locator('figure.run').count(), 2);
  assert.ok(await page.isChecked('#twin'));
  await calm(page);
  await page.context().close();
});

test('regression: a capture offers no twin, fates, parameters or link, and a click on an arrow is no crash', async () => {
  const page = await withCapture();
  assert.ok(await page.isDisabled('#twin'));
  for (const id of ['#changes-box', '#params-box', '#copy-link', '#embed-button']) assert.ok(await page.isHidden(id), id);
  await page.click('figure[data-run="main"] .flight .hit', { force: true, modifiers: ['Shift'] });
  assert.ok(await page.isHidden('#fate-menu'));
  await page.click('figure[data-run="main"] .flight .hit', { button: 'right', force: true });
  assert.ok(await page.isHidden('#fate-menu'));
  // The address bar holds no link for it.
  await page.waitForFunction(() => location.hash === '');
  await calm(page);
  await page.context().close();
});

test('regression: the twin switch during "Reset to default", and after it, draws what it shows', async () => {
  // Clicked while the fresh simulator was loading, the switch reached the dead session (a second
  // crash) and stayed checked over one run; the reported browser death did not reproduce.
  const page = await openLab(browser, server.url, { hash: '#last-ack-lost' });
  await trapOn(page, 'twin_trace');
  await page.click('.switch');
  await page.waitForSelector('#error-reset:not([hidden])');
  assert.equal(await page.isChecked('#twin'), false, 'the switch shows the single run still drawn');
  await page.evaluate(() => {
    document.getElementById('error-reset').click();
    document.getElementById('error-reset').click();
    document.getElementById('twin').click();
  });
  await page.waitForFunction(() => !document.body.dataset.crashed);
  assert.ok(await page.isHidden('#error'));
  assert.equal(await page.isChecked('#twin'), (await page.locator('figure.run').count()) === 2);
  for (let i = 0; i < 4; i++) {
    await rerun(page, () => page.click('.switch'));
    assert.equal(await page.isChecked('#twin'), (await page.locator('figure.run').count()) === 2);
  }
  await calm(page);
  await page.context().close();
});

/** Hold back every response for `url` (a glob) by `ms`, so that what waits for it is overtaken. */
async function slow(page, url, ms) {
  await page.route(url, async (route) => {
    await new Promise((done) => setTimeout(done, ms));
    await route.continue();
  });
}

test('regression (random walk, seed 5045): a preset chosen while a capture is still being read wins', async () => {
  const page = await openLab(browser, server.url);
  await slow(page, '**/twlab_capture_wasm_bg.wasm', 800);
  await page.setInputFiles('#capture-file', join(KERNEL, 'last-ack-lost.pcap'));
  await page.selectOption('#preset', 'data-lost');
  // The capture reader has loaded and read the file by now.
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('twlab_capture_wasm_bg')));
  await page.waitForTimeout(300);
  assert.equal(await page.inputValue('#preset'), 'data-lost');
  assert.ok(!(await page.isDisabled('#twin')), 'a simulated run, not the capture');
  await calm(page);
  await page.context().close();
});

test('regression (random walk, seed 5050): a capture opened while a link\'s language loads wins', async () => {
  const page = await openLab(browser, server.url);
  await slow(page, '**/lang/zh-Hans.js', 800);
  await page.evaluate(() => { location.hash = 'v1/timestamps-paws/lang=zh-Hans/step=7/end'; });
  await page.setInputFiles('#capture-file', join(KERNEL, 'data-lost.pcap'));
  await page.waitForFunction(() => document.querySelector('#preset').value === 'data-lost.pcap');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  await page.waitForTimeout(300);
  assert.equal(await page.inputValue('#preset'), 'data-lost.pcap', 'the capture stays');
  assert.ok(await page.isDisabled('#twin'));
  await calm(page);
  await page.context().close();
});

test('regression (random walk, seed 424271): the twin switched while a link\'s language loads acts on the link\'s run', async () => {
  // The link waited for its words before opening, and the twin switch in between made it give up:
  // the switch flipped on the old run and the link never opened.
  const page = await openLab(browser, server.url, { hash: '#normal-close' });
  await slow(page, '**/lang/zh-Hans.js', 800);
  await page.evaluate(() => new Promise((done) => {
    addEventListener('hashchange', done, { once: true });
    location.hash = 'v1/timestamps-paws/lang=zh-Hans/step=13/end';
  }));
  await page.click('.switch');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  await page.waitForTimeout(300);
  assert.equal(await page.inputValue('#preset'), 'timestamps-paws');
  assert.equal(await page.isChecked('#twin'), true);
  assert.equal(await page.locator('figure.run').count(), 2);
  await page.waitForFunction(() => location.hash.includes('/twin/') && location.hash.includes('lang=zh-Hans'));
  await calm(page);
  await page.context().close();
});

test('regression: of two languages asked for in a row, the last one wins even if the first arrives later', async () => {
  const page = await openLab(browser, server.url, { hash: '#normal-close' });
  await slow(page, '**/lang/zh-Hans.js', 800);
  await page.click('[data-lang="zh-Hans"]');
  await page.click('[data-lang="en"]');
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('zh-Hans')));
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await page.getAttribute('[data-lang="en"]', 'aria-pressed'), 'true');
  await calm(page);
  await page.context().close();
});

test('regression (random walk, seed 424246): while it plays, a reader who scrolled up is not pulled back, and Download works', async () => {
  // The player kept the cursor in view on every frame, so the page scrolled away from the Download
  // menu as fast as the reader (or the walk's click) scrolled to it: no download in 10 s.
  const page = await openLab(browser, server.url, { hash: '#old-duplicate', width: 390, height: 640 });
  await page.selectOption('#speed', '0.25');
  await page.click('#to-start');
  await page.click('#play');
  await page.waitForFunction(() => window.scrollY > 100, null, { timeout: 20000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(1500);
  assert.equal(await page.evaluate(() => document.getElementById('play').classList.contains('is-playing')), true, 'still playing');
  assert.ok(await page.evaluate(() => window.scrollY) < 50, 'the page stays where the reader scrolled');
  const file = await exportAs(page, 'mermaid');
  assert.match(file.suggestedFilename(), /\.mmd$/);
  // Stepping is asked for: the cursor is brought back into view.
  await page.click('#play');
  await page.click('#step-forward');
  await page.waitForFunction(() => {
    const box = document.querySelector('figure[data-run="main"] .cursor').getBoundingClientRect();
    return box.top >= 0 && box.bottom <= innerHeight;
  });
  await calm(page);
  await page.context().close();
});

test('regression (random walk, seeds 5000045, 5000070): an answer is revealed even when another question falls before it', async () => {
  // Playing on towards an answer, the player stopped at the next question's moment and its prompt
  // replaced the answered one, which was never revealed.
  for (const hash of ['#syn-in-time-wait-timestamps', '#v1/half-close/profile=rfc9293/quick_ack=on/drop=c3/end']) {
    const page = await openLab(browser, server.url, { hash });
    await page.selectOption('#speed', '4'); // playing on to each answer
    await page.click('label:has(#predict-switch)');
    await page.click('#to-start');
    let answered = 0;
    for (;;) {
      for (let i = 0; i < 200 && !(await page.$('[data-predict]:not([data-answered])')) && await page.isEnabled('#step-forward'); i++) {
        await page.click('#step-forward');
      }
      const choices = await page.$$('[data-predict]:not([data-answered]) .predict-choice');
      if (!choices.length) break;
      await choices[0].click();
      await page.waitForSelector('[data-predict][data-answered]', { timeout: 10_000 });
      assert.ok((await page.textContent('.predict-feedback')).length > 10, 'the answer says why');
      answered += 1;
    }
    assert.ok(answered >= 4, `${hash}: ${answered} questions answered`);
    await calm(page);
    await page.context().close();
  }
});

test('regression: a re-run at the start stays at the start (the twin switched on at step 0 jumped past the events at 0 s)', async () => {
  const page = await openLab(browser, server.url, { hash: '#v1/last-ack-lost/step=0/end' });
  assert.match(await page.textContent('#step-count'), /^step 0 of /i);
  await rerun(page, () => page.click('.switch'));
  assert.match(await page.textContent('#step-count'), /^step 0 of /i);
  await calm(page);
  await page.context().close();
});

test('regression (random walk, seed 20261203): a crash inside the fork view\'s wasm, Reset, then a fork works again', async () => {
  // The fork view kept its crashed instance: Reset made the lab's own wasm anew, not the fork's.
  const page = await openLab(browser, server.url, { hash: '#v1/last-ack-lost/fork=3/end' });
  await page.waitForSelector('#diagrams figure[data-run="before"]');
  await trapOn(page, 'set_overrides', '/pkg/twlab_fork.js');
  await page.locator('figure[data-run="main"] .flight').first().focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#error-reset:not([hidden])');
  await page.click('#error-reset');
  await page.waitForFunction(() => !document.body.dataset.crashed && !document.querySelector('figure[data-run="before"]'));
  await page.click('#fork');
  await page.waitForSelector('#diagrams figure[data-run="before"]');
  const lost = 'figure[data-run="main"] .flight';
  await page.locator(lost).first().focus();
  await rerun(page, () => page.keyboard.press('Enter'));
  await calm(page);
  assert.ok(await page.isVisible('#fork-bar'), 'the fork is drawn, its fates change');
  await page.context().close();
});

test('regression (random walk, seed 7000004): a message about a damaged link goes when a script is opened, and the script is drawn', async () => {
  // The message stayed up while the script's module loaded, so the page seemed to have refused it.
  const page = await openLab(browser, server.url, { hash: '#v9/v1/normal-close/end' });
  assert.ok(await page.isVisible('#error'), 'the damaged link is said');
  await slow(page, '**/drill/index.js', 600);
  const name = 'old-duplicate-timestamps.pkt';
  await page.setInputFiles('#capture-file', join(ROOT, 'tests', 'drill', name));
  assert.ok(await page.isHidden('#error'), 'the old message is gone while the script loads');
  await page.waitForFunction((n) => document.getElementById('preset').value === n, name);
  assert.ok(await page.isHidden('#error'));
  await calm(page);
  await page.context().close();
});
