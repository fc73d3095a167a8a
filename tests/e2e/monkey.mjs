// A seeded, model-based random walk over every control of the page: presets, the twin, arrow clicks,
// the fate menu, a fork (made, gone to where it parts, left), step/play/scrub, language, bad and good
// parameter values, every export, good and bad captures, packetdrill scripts dropped or pasted (good,
// failing and malformed), good and mangled links typed into the address bar, the embed panel, the
// transcript and the resets. After every action: no crash banner, no page error, no console error (CSP included),
// and what the model expects of the controls; at checkpoints the page's link, opened in a fresh page,
// shows the same diagram at the same step. The same seed replays the same walk.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLab, trapOn, ROOT } from './browser.mjs';

const FIXTURES = join(ROOT, 'tests', 'linux', 'fixtures');
const CAPTURES = readdirSync(FIXTURES).filter((f) => f.endsWith('.pcap')).map((f) => join(FIXTURES, f));
const DRILL = join(ROOT, 'tests', 'drill');
const SCRIPTS = readdirSync(DRILL).filter((f) => f.endsWith('.pkt'));
const BAD_VALUES = ['1y', '-5ms', 'abc', '', '0', '99999h', '<b>x</b>', '1e9s', '2 msl', '½s'];
const GOOD_VALUES = { msl: ['500ms', '2s', '1min'], delay: ['10ms', '80ms', '1s'], time_wait: ['2msl', '60s', 'skip', '1msl'] };
const EXPORTS = ['svg', 'png', 'json', 'text', 'mermaid', 'pcap'];

/** mulberry32: a small seeded generator, the same sequence for the same seed everywhere. */
export function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] };
}

/** Two frames, a task and idle time: what the action started is drawn, the address bar written (address.js). */
const settle = (page) => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => requestIdleCallback(done, { timeout: 1000 }), 0)))));

/** Stop the player if it is playing. */
async function pause(page) {
  if (await page.evaluate(() => document.getElementById('play').classList.contains('is-playing'))) await page.click('#play');
}

/** What the page shows, for the model and the link check. */
function snapshot(page) {
  return page.evaluate(() => ({
    preset: document.getElementById('preset').value,
    lang: document.documentElement.lang,
    twin: document.getElementById('twin').checked,
    twinDisabled: document.getElementById('twin').disabled,
    capture: document.getElementById('copy-link').hidden,
    forked: Boolean(document.querySelector('#diagrams figure[data-run="before"]')),
    // A capture or a script: what happened, or what a script says happens; no fates to give.
    fixed: document.getElementById('changes-box').hidden,
    runs: [...document.querySelectorAll('#diagrams figure.run')].map((f) => ({
      run: f.dataset.run,
      outcome: f.querySelector('.outcome')?.dataset.kind,
      arrows: [...f.querySelectorAll('.flight')].map((n) => `${n.dataset.seg}:${n.dataset.copy}:${n.dataset.end}`).join(' '),
    })),
    step: document.getElementById('step-count').textContent,
    crashed: document.body.dataset.crashed || null,
  }));
}

/** The actions, each `(page, rng, log) => Promise`; the model's expectations are asserted inside. */
const ACTIONS = {
  async preset(page, rng, log) {
    const names = await page.$$eval('#preset option', (os) => os.map((o) => o.value).filter((v) => !v.includes('.')));
    const name = rng.pick(names);
    log(`preset ${name}`);
    await page.selectOption('#preset', name);
    await settle(page);
    assert.equal((await snapshot(page)).preset, name);
  },
  async twin(page, rng, log) {
    const before = await snapshot(page);
    log('twin switch');
    // Disabled for a capture: the click must change nothing.
    await page.click('.switch', { force: before.twinDisabled });
    await settle(page);
    const after = await snapshot(page);
    if (before.twinDisabled) assert.equal(after.twin, before.twin, 'a capture or a fork has no twin');
    else assert.equal(after.twin, !before.twin);
    assert.equal(after.runs.length, after.twin || after.forked ? 2 : 1, 'the switch shows what is drawn');
  },
  async arrow(page, rng, log) {
    const count = await page.locator('figure[data-run="main"] .flight').count();
    if (!count) return;
    const i = rng.int(count);
    const how = rng.pick(['click', 'click', 'shift', 'keyboard']);
    log(`arrow ${i} ${how}`);
    const node = page.locator('figure[data-run="main"] .flight').nth(i);
    await node.evaluate((n) => n.scrollIntoView({ block: 'center' }));
    if (how === 'keyboard') {
      // An arrow still to come while the lab asks before key moments is hidden and takes no focus:
      // Enter would press whatever has it, the Paste button that opened the last dialog, say (random
      // walk, seed 7500033).
      await node.focus();
      if (await node.evaluate((n) => document.activeElement === n)) await page.keyboard.press('Enter');
    } else await node.locator('.hit').click({ force: true, modifiers: how === 'shift' ? ['Shift'] : [] });
    await settle(page);
    if (await page.isVisible('#fate-menu')) await page.keyboard.press('Escape');
  },
  async fateMenu(page, rng, log) {
    const count = await page.locator('figure[data-run="main"] .flight').count();
    if (!count) return;
    const i = rng.int(count);
    const node = page.locator('figure[data-run="main"] .flight').nth(i);
    // While it asks before key moments, the arrows still to come are hidden: nothing to right-click
    // (random walk, seed 6000055).
    if (await node.evaluate((n) => getComputedStyle(n).visibility === 'hidden')) return;
    const capture = (await snapshot(page)).fixed;
    // A smooth scroll the player started (keeping its cursor in view) may still move the arrow from
    // under the pointer: bring it back and try once more before calling the menu missing.
    for (let attempt = 0; attempt < 2 && !(await page.isVisible('#fate-menu')); attempt++) {
      await node.evaluate((n) => n.scrollIntoView({ block: 'center' }));
      await settle(page);
      await node.locator('.hit').click({ force: true, button: 'right' });
      if (!capture) await page.waitForSelector('#fate-menu:not([hidden])', { timeout: 1000 }).catch(() => {});
    }
    if (capture) {
      log(`fate menu on capture or script arrow ${i}`);
      assert.ok(await page.isHidden('#fate-menu'), 'a capture or a script offers no fates');
      return;
    }
    const fates = await page.$$eval('#fate-menu button[data-fate]', (bs) => bs.map((b) => b.dataset.fate));
    const fate = rng.pick([...fates, 'escape']);
    log(`fate menu arrow ${i} ${fate}`);
    if (fate === 'escape') await page.keyboard.press('Escape');
    else await page.click(`#fate-menu button[data-fate="${fate}"]`);
    await settle(page);
  },
  async player(page, rng, log) {
    const what = rng.pick(['#step-forward', '#step-back', '#to-start', '#to-end', 'play', 'scrub', 'speed']);
    log(`player ${what}`);
    if (what === 'play') {
      await page.click('#play');
      await page.waitForTimeout(rng.int(300));
      await pause(page);
    } else if (what === 'scrub') {
      await page.$eval('#scrubber', (s, v) => {
        s.value = String(v);
        s.dispatchEvent(new Event('input', { bubbles: true }));
      }, rng.int(1001));
    } else if (what === 'speed') {
      await page.selectOption('#speed', rng.pick(['0.25', '0.5', '1', '2', '4']));
    } else if (await page.isEnabled(what)) await page.click(what);
    await settle(page);
  },
  async language(page, rng, log) {
    const lang = rng.pick(['en', 'zh-Hans']);
    log(`language ${lang}`);
    await page.click(`.lang-switch button[data-lang="${lang}"]`);
    // The first switch to Chinese fetches its words.
    await page.waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: 5000 });
    await settle(page);
  },
  async params(page, rng, log) {
    if (!(await page.isVisible('#params-box'))) return;
    await page.$eval('#params-box', (d) => { d.open = true; });
    await page.$eval('#params-more', (d) => { d.open = true; });
    const names = await page.$$eval('#params input[name]', (is) => is.map((i) => i.name));
    if (!names.length) return;
    const name = rng.pick(names);
    const bad = rng.next() < 0.5;
    const value = bad ? rng.pick(BAD_VALUES) : rng.pick(GOOD_VALUES[name] || ['on', 'off']);
    log(`param ${name}=${JSON.stringify(value)}`);
    const input = page.locator(`#params [name="${name}"]`);
    if ((await input.getAttribute('type')) === 'checkbox') await input.click();
    else {
      await input.fill(value);
      await input.press('Enter');
    }
    await settle(page);
    const error = await page.isVisible('#params-error');
    // A value the core refuses is said (not crashed on); '' means "the default", which is valid.
    if (error) assert.ok((await page.textContent('#params-error')).length > 10, 'the refusal says why');
  },
  async profile(page, rng, log) {
    if (!(await page.isVisible('#params-box'))) return;
    await page.$eval('#params-box', (d) => { d.open = true; });
    const profile = rng.pick(['rfc9293', 'linux', 'lab']);
    log(`profile ${profile}`);
    await page.selectOption('#params [name="profile"]', profile);
    await settle(page);
  },
  async export(page, rng, log) {
    const kind = rng.pick(EXPORTS);
    log(`export ${kind}`);
    await page.click('.export-menu summary');
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), page.click(`[data-export="${kind}"]`)]);
    assert.ok(file.suggestedFilename().length > 0);
  },
  async capture(page, rng, log) {
    if (await page.isHidden('#capture-file').catch(() => true)) {
      // The file input is visually hidden but present; only an embed has none.
      if (!(await page.$('#capture-file'))) return;
    }
    const bad = rng.next() < 0.3;
    if (bad) {
      log('capture notes.txt (not a capture)');
      const before = (await snapshot(page)).preset;
      await page.setInputFiles('#capture-file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a capture') });
      await page.waitForSelector('#error:not([hidden])');
      assert.equal((await snapshot(page)).preset, before, 'the lab keeps what it showed');
      return;
    }
    const file = rng.pick(CAPTURES);
    const name = file.split('/').pop();
    log(`capture ${name}`);
    await page.setInputFiles('#capture-file', file);
    await page.waitForFunction((n) => document.getElementById('preset').value === n, name);
    const s = await snapshot(page);
    assert.ok(s.twinDisabled && s.capture && !s.twin, 'a capture: no twin, no link');
  },
  async script(page, rng, log) {
    if (!(await page.$('#capture-file'))) return;
    const name = rng.pick(SCRIPTS);
    let text = readFileSync(join(DRILL, name), 'utf8');
    // Ours hold; a wrong ack makes the stack part from the script; a cut makes it malformed.
    const kind = rng.pick(['good', 'good', 'wrong', 'cut']);
    // The first `>` line with an ack expects one more than the stack sends.
    const wrong = kind === 'wrong' && /> [^\n]*?ack \d+/.test(text);
    if (wrong) text = text.replace(/(> [^\n]*?ack )(\d+)/, (m, head, n) => `${head}${Number(n) + 1}`);
    if (kind === 'cut') text = `${text.slice(0, rng.int(text.length))}\n+0 < S 0:0(0) win`;
    const how = rng.pick(['drop', 'paste']);
    log(`script ${name} ${kind} by ${how}`);
    const before = (await snapshot(page)).preset;
    if (how === 'drop') {
      await page.setInputFiles('#capture-file', { name, mimeType: 'text/plain', buffer: Buffer.from(text) });
    } else {
      await page.click('#paste-script');
      await page.waitForSelector('#paste-dialog[open]');
      await page.fill('#paste-text', text);
      await page.click('#paste-dialog button[value="run"]');
    }
    const shownAs = how === 'drop' ? name : 'pasted.pkt';
    await page.waitForFunction(([n, was]) => document.getElementById('preset').value === n
      || (!document.getElementById('error').hidden && document.getElementById('preset').value === was)
      || document.querySelector('#paste-dialog .paste-problem')?.textContent, [shownAs, before]);
    await settle(page);
    if (await page.isVisible('#paste-dialog')) await page.click('#paste-dialog button[value="cancel"]');
    const s = await snapshot(page);
    if (s.preset === shownAs) {
      assert.ok(s.twinDisabled && s.fixed && !s.capture && !s.twin, 'a script: no twin or fates; a link');
      const marks = await page.$$eval('figure[data-run="main"] .flight.mismatch', (n) => n.length);
      assert.ok(marks <= 1, 'at most one arrow where script and stack part');
      if (kind === 'good') assert.equal(marks, 0, 'our scripts hold');
      if (wrong) assert.equal(marks, 1, 'the arrow with the wrong ack is marked');
    } else {
      assert.equal(s.preset, before, 'the lab keeps what it showed');
      assert.notEqual(kind, 'good', 'our scripts run');
    }
  },
  async hash(page, rng, log) {
    const current = await page.evaluate(() => location.hash.slice(1));
    const presets = await page.$$eval('#preset option', (os) => os.map((o) => o.value).filter((v) => !v.includes('.')));
    const good = [`v1/${rng.pick(presets)}/end`, `v1/${rng.pick(presets)}/twin/end`, rng.pick(presets),
      `v1/${rng.pick(presets)}/lang=zh-Hans/step=${rng.int(30)}/end`, `v1/normal-close/drop=c${1 + rng.int(8)}/end`];
    const mangle = (s) => {
      if (!s) return 'v1/';
      const i = rng.int(s.length);
      return rng.pick([s.slice(0, i), s.slice(0, i) + rng.pick(['%', '/', '=', 'x', '%ZZ', '…']) + s.slice(i), `v9/${s}`, s.replace('end', '')]);
    };
    const fragment = rng.next() < 0.5 ? rng.pick(good) : mangle(current);
    log(`hash #${fragment}`);
    await page.evaluate((f) => { location.hash = f; }, fragment);
    await settle(page);
  },
  async embed(page, rng, log) {
    if (!(await page.isVisible('#embed-button'))) return;
    log('embed panel');
    await page.click('#embed-button');
    await settle(page);
  },
  async transcript(page, rng, log) {
    log('transcript');
    await page.$eval('#transcript-box > summary', (s) => s.scrollIntoView());
    await page.click('#transcript-box > summary');
    await settle(page);
  },
  async crashAndReset(page, rng, log) {
    // Once per walk: the page's first wasm instance is the one this can reach (a reset makes another).
    const { fixed, forked } = await snapshot(page);
    if (page.wasReset || fixed) return;
    page.wasReset = true;
    log('crash in the wasm, Reset to default, then the twin switch');
    // A fork's runs are the fork view's wasm's (seed 20261203): its instance traps then.
    await trapOn(page, 'set_overrides', forked ? '/pkg/twlab_fork.js' : undefined);
    // By keyboard: a smooth scroll the player started may still move an arrow from under a click.
    // At the end: with predictions on, the arrows still to come are hidden, and take no focus (seed
    // 20261201 once the walk had a fork action).
    await page.click('#to-end');
    await page.locator('figure[data-run="main"] .flight').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#error-reset:not([hidden])');
    await page.click('#error-reset');
    await page.waitForFunction(() => !document.body.dataset.crashed);
    await page.click('.switch');
    await settle(page);
    const s = await snapshot(page);
    assert.equal(s.runs.length, s.twin ? 2 : 1);
  },
  async fork(page, rng, log) {
    const before = await snapshot(page);
    if (before.forked) {
      const how = rng.pick(['go', 'leave']);
      if (how === 'go' && !(await page.isVisible('#fork-go'))) return;
      log(`fork: ${how}`);
      await page.click(`#fork-${how}`);
      await settle(page);
      assert.equal((await snapshot(page)).forked, how === 'go', 'leaving a fork leaves one run');
      return;
    }
    if (!(await page.isVisible('#fork'))) return;
    log('fork from here');
    // A still player: while it plays, the step moves on between the test's look and the click (seed
    // 7100015, playing since the tour's Play).
    await pause(page);
    const still = await snapshot(page);
    await page.click('#fork');
    await page.waitForSelector('#diagrams figure[data-run="before"]');
    const after = await snapshot(page);
    assert.deepEqual(after.runs.map((r) => r.run), ['before', 'main']);
    assert.equal(after.twin, false, 'a fork replaces the twin');
    assert.equal(after.step, still.step, 'a fork keeps the step');
  },
  async tour(page, rng, log) {
    const open = await page.isVisible('[data-tour]');
    const what = open ? rng.pick(['.tour-next', '.tour-play', '.tour-leave', 'link']) : 'link';
    if (what === 'link') {
      const chapter = 1 + rng.int(9);
      log(`tour link ${chapter}`);
      await page.evaluate((n) => { location.hash = `v1/tour/${n}/end`; }, chapter);
      await page.waitForSelector(`[data-tour][data-chapter="${chapter}"]`);
    } else {
      log(`tour ${what}`);
      if (await page.isEnabled(what)) await page.click(what);
      if (what === '.tour-play') await page.waitForTimeout(rng.int(400));
    }
    await settle(page);
    if (await page.isVisible('[data-tour]')) {
      assert.match(await page.evaluate(() => location.hash), /^#v1\/tour\//, 'the address bar holds the tour link');
    }
  },
  async predict(page, rng, log) {
    if (rng.next() < 0.5 && await page.evaluate(() => document.body.classList.contains('is-predicting'))) {
      // Step towards the next question: the player stops before it and asks.
      log('predict: step forward');
      for (let i = 0; i < 20 && !(await page.$('[data-predict]:not([data-answered])')) && await page.isEnabled('#step-forward'); i++) {
        await page.click('#step-forward');
      }
    }
    const waiting = await page.$('[data-predict]:not([data-answered]) .predict-choice');
    if (waiting) {
      const choices = await page.$$('[data-predict]:not([data-answered]) .predict-choice');
      log('predict: answer');
      await rng.pick(choices).click();
      await page.waitForSelector('[data-predict][data-answered]', { timeout: 30_000 });
      assert.ok((await page.textContent('.predict-feedback')).length > 10, 'the answer says why');
    } else if (!(await page.isVisible('[data-tour]'))) {
      log('predict switch');
      await page.click('label:has(#predict-switch)');
    }
    await settle(page);
  },
  async statemap(page, rng, log) {
    const open = await page.$eval('#statemap-box', (d) => d.open);
    const what = open ? rng.pick(['node', 'naming', 'close']) : 'open';
    log(`statemap ${what}`);
    if (what === 'open' || what === 'close') await page.click('#statemap-box > summary');
    else if (what === 'naming') await page.check(`input[name="statemap-naming"][value="${rng.pick(['rfc', 'ss', 'netstat'])}"]`);
    else {
      const nodes = await page.$$('#statemap .sm-node');
      await rng.pick(nodes).click();
    }
    await page.waitForFunction((o) => !o || document.querySelector('#statemap svg'), what !== 'close');
    await settle(page);
    if (await page.$eval('#statemap-box', (d) => d.open)) {
      // One place per side on the map, marked current.
      for (const side of ['client', 'server']) {
        const here = await page.$$eval(`#statemap .sm-node.is-${side}`, (ns) => ns.map((n) => n.getAttribute('aria-current')));
        assert.deepEqual(here, ['true'], `${side} is in one state`);
      }
    }
  },
  async resetChanges(page, rng, log) {
    if (!(await page.isVisible('#reset-changes'))) return;
    log('back to the scenario');
    await page.click('#reset-changes');
    await settle(page);
  },
};

/**
 * Zooming a big run: in a page of its own (a bulk transfer of 400 segments), a few of +/− keys, the
 * buttons, Ctrl+wheel, a click on a band, a click or right click anywhere on the diagram (a canvas
 * arrow, a band, nothing). The zoom stays in range and the page keeps drawing its run.
 */
async function zoomWalk(browser, url, rng, log) {
  const page = await openLab(browser, url, { hash: '#bulk-400' });
  try {
    await page.waitForSelector('figure[data-run="main"] svg.diagram[data-big="drawn"]', { timeout: 30000 });
    for (let i = 0, n = 2 + rng.int(5); i < n; i++) {
      const what = rng.pick(['+', '-', 'zoom-in', 'zoom-out', 'wheel', 'band', 'click', 'menu', 'play']);
      log(`zoom ${what}`);
      const svg = await page.$eval('figure[data-run="main"] svg.diagram', (s) => {
        const r = s.getBoundingClientRect();
        return { x: r.left, y: Math.max(r.top, 140), w: r.width, h: Math.min(r.bottom, innerHeight) - Math.max(r.top, 140) };
      });
      const point = { x: svg.x + rng.next() * svg.w, y: svg.y + rng.next() * Math.max(1, svg.h) };
      if (what === '+' || what === '-') await page.keyboard.press(what);
      else if (what === 'zoom-in' || what === 'zoom-out') {
        if (await page.isEnabled(`#${what}`)) await page.click(`#${what}`);
      } else if (what === 'wheel') {
        await page.mouse.move(point.x, point.y);
        await page.keyboard.down('Control');
        await page.mouse.wheel(0, rng.pick([-240, -80, 80, 240]));
        await page.keyboard.up('Control');
      } else if (what === 'band') {
        const bands = page.locator('figure[data-run="main"] .fold .fold-area');
        const count = await bands.count();
        if (count) await bands.nth(rng.int(count)).click({ force: true });
      } else if (what === 'play') {
        await page.click('#play');
        await page.waitForTimeout(rng.int(400));
        await pause(page);
      } else {
        await page.mouse.click(point.x, point.y, { button: what === 'menu' ? 'right' : 'left' });
        await settle(page);
        if (await page.isVisible('#fate-menu')) await page.keyboard.press('Escape');
      }
      await settle(page);
      const level = Number((await page.textContent('#zoom-level')).replace('×', ''));
      assert.ok(level >= 1 / 8 && level <= 128, `zoom ${level}`);
      assert.ok(await page.$('figure[data-run="main"] svg.diagram[data-big="drawn"]'), 'the run is drawn');
      assert.equal(await page.evaluate(() => document.body.dataset.crashed || null), null);
      assert.deepEqual(page.problems, []);
    }
  } finally {
    await page.context().close();
  }
}

const WEIGHTS = { preset: 3, twin: 3, arrow: 5, fateMenu: 3, player: 5, language: 2, params: 3, profile: 1, export: 2, capture: 2, script: 2, hash: 3, embed: 1, transcript: 1, resetChanges: 1, crashAndReset: 1, tour: 2, predict: 3, statemap: 2, fork: 3 };
const BAG = Object.entries(WEIGHTS).flatMap(([name, w]) => Array(w).fill(name));

/** The link the page gives (Copy link) opens the same diagram at the same step in a fresh page. */
async function checkLink(browser, url, page, log) {
  if (!(await page.isVisible('#copy-link'))) return;
  // A still page: while it plays, the step may move between the copy and the comparison.
  await pause(page);
  await page.click('#copy-link');
  await page.waitForFunction(() => document.getElementById('share-link').value.includes('#'));
  const link = await page.inputValue('#share-link');
  const here = await snapshot(page);
  const fresh = await openLab(browser, link.slice(0, link.indexOf('#')), { hash: link.slice(link.indexOf('#')) });
  try {
    const there = await snapshot(fresh);
    log(`checkpoint ${link.slice(link.indexOf('#'))}`);
    for (const key of ['preset', 'lang', 'twin', 'runs', 'step']) assert.deepEqual(there[key], here[key], `the link reopens the same ${key}`);
    assert.deepEqual(fresh.problems, []);
  } finally {
    await fresh.context().close();
  }
}

/** One walk of `actions` actions from seed `seed`; throws with the walk so far if anything fails. */
export async function walk(browser, url, { seed, actions, checkEvery = 10 }) {
  const rng = random(seed);
  // Zooming a big run draws from a generator of its own, so that the rest of the walk is the same
  // walk as before it was added.
  const zooms = random(seed ^ 0x2000);
  const trail = [];
  const log = (s) => trail.push(s);
  const page = await openLab(browser, url);
  try {
    for (let i = 1; i <= actions; i++) {
      const name = rng.pick(BAG);
      await ACTIONS[name](page, rng, log);
      if (zooms.next() < 0.06) await zoomWalk(browser, url, zooms, log);
      const s = await snapshot(page);
      assert.equal(s.crashed, null, `crash banner: ${await page.textContent('#error-text')}`);
      assert.deepEqual(page.problems, []);
      if (i % checkEvery === 0) await checkLink(browser, url, page, log);
    }
  } catch (e) {
    // What the page said, if anything: a message above the lab, or its console.
    const said = await page.evaluate(() => document.getElementById('error-text')?.textContent).catch(() => null);
    e.message = `seed ${seed}, after: ${trail.slice(-12).join(' | ')}\n${e.message}\npage: ${said || '(no message)'}; ${page.problems.join('; ') || 'no console errors'}`;
    throw e;
  } finally {
    await page.context().close();
  }
  return trail;
}
