// The fork view in a real browser: fork a run at a step, change a fate in the fork, see where the two
// runs part (the core's compare) marked in both; its link reopens both runs; a keyboard path; the
// fork meets the language switch, the exports, a capture and a new link; axe; screenshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBrowser, openLab, axe, rerun, addressBar, ROOT, SHOTS } from './browser.mjs';


let browser;
let server;
useBrowser((b, s) => {
  browser = b;
  server = s;
});

/** What the fork view shows: the runs and their arrows, what is marked, the bar, the step. */
function forkView(page) {
  return page.evaluate(() => ({
    runs: [...document.querySelectorAll('#diagrams figure')].map((f) => f.dataset.run),
    titles: [...document.querySelectorAll('#diagrams .run-title')].map((h) => h.textContent),
    arrows: [...document.querySelectorAll('#diagrams .flight')].map((f) => `${f.closest('figure').dataset.run}:${f.dataset.seg}:${f.dataset.copy}:${f.dataset.end}`),
    parted: [...document.querySelectorAll('#diagrams .flight.is-difference')].map((f) => `${f.closest('figure').dataset.run}:${f.dataset.seg}`),
    shared: document.querySelectorAll('#diagrams .is-shared').length,
    bar: document.getElementById('fork-bar')?.hidden === false ? document.getElementById('fork-text').textContent : null,
    step: document.getElementById('step-count').textContent,
    forkButton: !document.getElementById('fork').hidden,
    twinDisabled: document.getElementById('twin').disabled,
  }));
}

/** Fork last-ack-lost at its start, then give the lost last ACK back in the fork (by keyboard). */
async function forkAndGiveBack(page) {
  await page.focus('#fork');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#diagrams figure[data-run="before"]');
  const lost = 'figure[data-run="main"] .flight.lost';
  const seg = await page.$eval(lost, (f) => f.dataset.seg);
  await page.focus(lost);
  await rerun(page, () => page.keyboard.press('Enter'));
  return seg;
}

test('a fork is drawn beside its run, and where they part is marked in both', async () => {
  const page = await openLab(browser, server.url, { hash: '#v1/last-ack-lost/step=3/end' });
  const made = await page.evaluate(() => document.getElementById('fork').hidden);
  assert.equal(made, false);
  const seg = await forkAndGiveBack(page);
  const view = await forkView(page);
  assert.deepEqual(view.runs, ['before', 'main']);
  assert.match(view.step, /^step 3 of /i, 'a fork keeps the step');
  // The core's first difference: the lost last ACK (a fate), ringed in both runs.
  assert.deepEqual(view.parted, [`before:${seg}`, `main:${seg}`]);
  assert.ok(view.shared > 10, 'what both runs share is muted');
  assert.match(view.bar, /part at 0\.500 s: client's 6th segment of connection 1 \(ACK\) has another fate/);
  assert.ok(view.arrows.includes(`before:${seg}:false:dropped`) && view.arrows.includes(`main:${seg}:false:delivered`));
  assert.equal(view.forkButton, false);
  assert.equal(view.twinDisabled, true, 'a fork and the twin are not shown at once');
  // The run it was made from stays as it was: its arrows are not controls.
  assert.equal(await page.$eval('figure[data-run="before"] .flight', (f) => f.getAttribute('role')), 'img');
  // Go to where they part: the player shows that event.
  await page.click('#fork-go');
  const at = await page.$eval('figure[data-run="main"] .flight.is-current', (f) => f.dataset.seg);
  assert.equal(at, seg);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a fork's link reopens both runs with the same marks, and a keyboard path leaves it", async () => {
  const page = await openLab(browser, server.url, { hash: '#v1/last-ack-lost/end' });
  // Forked at the end: the fork's step is the last one of the run it was made from.
  const [, shown] = /(\d+) of/.exec((await forkView(page)).step);
  await forkAndGiveBack(page);
  // The fork's own link may be written before the one with its fates.
  const expected = `#v1/last-ack-lost/lang=en/fork=${shown}/fates=none/end`;
  const hash = await addressBar(page, expected);
  const here = await forkView(page);
  assert.equal(hash, expected);
  const again = await openLab(browser, server.url, { hash });
  assert.deepEqual(await forkView(again), here);
  // Copy link carries the step and the language too.
  await again.click('[data-lang="zh-Hans"]');
  await again.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  await again.click('#copy-link');
  const link = await again.inputValue('#share-link');
  const [now] = /\d+/.exec((await forkView(again)).step);
  assert.ok(link.endsWith(`#v1/last-ack-lost/lang=zh-Hans/step=${now}/fork=${shown}/fates=none/end`), link);
  const third = await openLab(browser, server.url, { hash: link.slice(link.indexOf('#')) });
  const there = await forkView(third);
  assert.deepEqual([there.runs, there.arrows, there.parted, there.step], [here.runs, here.arrows, here.parted, (await forkView(again)).step]);
  assert.match(there.bar, /两次运行在/);
  // Keyboard: Tab from the bar's words to its buttons; Leave keeps the fork, alone.
  await third.focus('#fork-text');
  await third.keyboard.press('Tab');
  assert.equal(await third.evaluate(() => document.activeElement.id), 'fork-go');
  await third.keyboard.press('Tab');
  assert.equal(await third.evaluate(() => document.activeElement.id), 'fork-leave');
  await rerun(third, () => third.keyboard.press('Enter'));
  const left = await forkView(third);
  assert.deepEqual(left.runs, ['main']);
  assert.equal(left.bar, null);
  assert.equal(await third.evaluate(() => document.activeElement.id), 'fork');
  await third.waitForFunction(() => !location.hash.includes('fork='));
  assert.match(await third.evaluate(() => location.hash), /^#v1\/last-ack-lost\/fates=none\//);
  for (const p of [page, again, third]) {
    assert.deepEqual(p.problems, []);
    await p.context().close();
  }
});

test('a fork meets the language switch, the exports, a new link and a capture', async () => {
  const page = await openLab(browser, server.url, { hash: '#v1/last-ack-lost/end' });
  await forkAndGiveBack(page);
  await page.click('[data-lang="zh-Hans"]');
  await page.waitForFunction(() => document.getElementById('fork-text').textContent.includes('两次运行'));
  const zh = await forkView(page);
  assert.deepEqual(zh.runs, ['before', 'main']);
  assert.deepEqual(zh.titles, ['分叉前', '分叉后']);
  await page.waitForFunction(() => location.hash.includes('lang=zh-Hans') && location.hash.includes('fork='));
  // The exports are the fork's (the run the reader changes): no segment lost.
  await page.click('.export-menu summary');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="json"]')]);
  const trace = JSON.parse(readFileSync(await file.path(), 'utf8'));
  assert.equal(trace.segments.some((s) => s.flights.some((f) => f.end === 'dropped')), false);
  // Another link: the fork is left.
  await rerun(page, () => page.evaluate(() => { location.hash = '#v1/normal-close/end'; }));
  const other = await forkView(page);
  assert.deepEqual(other.runs, ['main']);
  assert.equal(other.bar, null);
  assert.equal(other.forkButton, true);
  // Fork again, then open a capture: a capture has no fork.
  await page.click('#fork');
  await page.waitForSelector('#diagrams figure[data-run="before"]');
  await rerun(page, () => page.setInputFiles('#capture-file', join(ROOT, 'tests/linux/fixtures/last-ack-lost.pcap')));
  const capture = await forkView(page);
  assert.deepEqual(capture.runs, ['main']);
  assert.equal(capture.bar, null);
  assert.equal(capture.forkButton, false);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a fork of a preset without fates opens from its link, the same run on both sides (found by the random walk)', async () => {
  const page = await openLab(browser, server.url, { hash: '#v1/simultaneous-close/fork=5/end' });
  const view = await forkView(page);
  assert.deepEqual(view.runs, ['before', 'main']);
  assert.match(view.step, /^step 5 of /i);
  assert.match(view.bar, /the same so far/);
  assert.deepEqual([view.parted, view.shared], [[], 0]);
  assert.equal(await page.isVisible('#fork-go'), false);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a damaged fork link says what is wrong and opens the first scenario', async () => {
  for (const [hash, words] of [['#v1/last-ack-lost/fork=3/twin/end', /the twin or a fork/], ['#v1/last-ack-lost/fork=3/late=c1:2h/end', /overrides/]]) {
    const page = await openLab(browser, server.url, { hash });
    assert.equal(await page.isVisible('#error'), true);
    assert.match(await page.textContent('#error-text'), words);
    assert.deepEqual((await forkView(page)).runs, ['main']);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('axe-core: nothing serious on the fork view, en and zh, light and dark', async () => {
  for (const lang of ['en', 'zh-Hans']) {
    for (const dark of [false, true]) {
      const page = await openLab(browser, server.url, { hash: `#v1/last-ack-lost/lang=${lang}/step=30/fork=30/fates=none/end`, dark });
      await page.waitForSelector('#fork-bar:not([hidden])');
      assert.deepEqual((await axe(page)).serious, [], `${lang} ${dark ? 'dark' : 'light'}`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  }
});

test('screenshots: the fork view, en and zh, 1280 and 390 px', async () => {
  for (const lang of ['en', 'zh-Hans']) {
    for (const width of [1280, 390]) {
      const page = await openLab(browser, server.url, { hash: `#v1/last-ack-lost/lang=${lang}/step=30/fork=30/fates=none/end`, width, height: 900 });
      await page.waitForSelector('#fork-bar:not([hidden])');
      await page.click('#fork-go');
      await page.$eval('#fork-bar', (b) => b.scrollIntoView({ block: 'center' }));
      await page.screenshot({ path: join(SHOTS, `fork-${lang}-${width}.png`) });
      await page.$eval('figure[data-run="main"] .flight.is-difference', (f) => f.scrollIntoView({ block: 'center' }));
      await page.screenshot({ path: join(SHOTS, `fork-parted-${lang}-${width}.png`) });
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  }
});
