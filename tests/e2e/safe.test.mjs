// Robust, safe and accessible: the strict CSP, hostile text, a crash inside the wasm, bad input in
// both languages, keyboard-only use, the transcript and live announcements, and axe-core on every
// preset in both themes. Run: node --test tests/e2e/   (scripts/test-web.sh serves the page first)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBrowser, openLab, axe, countRedraws, rerun, trapOn, ROOT, SHOTS } from './browser.mjs';
import { CSP } from '../../scripts/serve.mjs';


let browser;
let server;
useBrowser((b, s) => {
  browser = b;
  server = s;
});

const main = (sel) => `figure[data-run="main"] ${sel}`;
const twin = (sel) => `figure[data-run="twin"] ${sel}`;
const HOSTILE = '<img src=x onerror=window.pwned=1><script>window.pwned=2</script>';

/** Click an arrow as a reader would, in the middle of the window (clear of the sticky player). */
async function clickArrow(page, selector) {
  await page.$eval(selector, (node) => node.scrollIntoView({ block: 'center' }));
  await page.click(`${selector} .hit`, { force: true });
}

async function presetNames(page) {
  return page.$$eval('#preset option', (options) => options.map((o) => o.value));
}

test('the page is served with the strict CSP, works under it, and a violation would be caught', async () => {
  const response = await fetch(server.url);
  const csp = response.headers.get('content-security-policy');
  assert.equal(csp, CSP);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);
  const page = await openLab(browser, server.url, { hash: '#old-duplicate' });
  await page.click('.switch');
  await page.waitForSelector(twin('.flight'));
  await page.click('#transcript-box summary');
  await page.click('#play');
  await page.waitForFunction(() => /step [1-9]\d* of/.test(document.getElementById('step-count').textContent));
  await page.click('#play');
  assert.deepEqual(page.problems, [], 'no console errors, no CSP violations');
  // The listener works: an inline script is refused and reported.
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.inlineRan = true';
    document.body.appendChild(s);
    return window.inlineRan === true;
  });
  assert.equal(ran, false);
  await page.waitForFunction(() => (window.cspViolations || []).length > 0);
  assert.match(page.problems.join('\n'), /CSP violation: script-src/);
  await page.context().close();
});

test('hostile text typed into a parameter comes back as text and runs nothing, in both languages', async () => {
  const page = await openLab(browser, server.url, { hash: '#normal-close' });
  await page.click('#params-box summary');
  for (const lang of ['en', 'zh-Hans']) {
    await page.click(`button[data-lang="${lang}"]`);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    await page.fill('input[name="msl"]', HOSTILE);
    await page.click('#params button[type="submit"]');
    await page.waitForSelector('#params-error:not([hidden])');
    const box = await page.$eval('#params-error', (n) => ({ text: n.textContent, elements: n.querySelectorAll('*').length }));
    assert.ok(box.text.includes(HOSTILE), box.text);
    assert.equal(box.elements, 0, 'no markup was made of it');
    assert.match(box.text, lang === 'en' ? /Not applied: params\.msl: / : /未应用：params\.msl：无法把/);
  }
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.locator('img').count(), 0);
  await page.context().close();
});

/**
 * The share link (fragment) for preset `name` with `set` ({ "client.1.text": value, … }) applied,
 * made by the page's fork module.
 */
async function linkFor(page, name, set, { twin = false, lang = null, step = null } = {}) {
  return page.evaluate(async ({ name, set, twin, lang, step }) => {
    // A scenario object is read by the fork view's module only (the page's opens presets and links).
    const wasm = await import('/pkg/twlab_fork.js');
    await wasm.default();
    const s = structuredClone(wasm.presets().find((p) => p.name === name));
    for (const [path, value] of Object.entries(set)) {
      const keys = path.split('.');
      const last = keys.pop();
      keys.reduce((o, k) => o[k], s)[last] = value;
    }
    const lab = new wasm.Lab(s);
    const link = lab.link(twin, lang, step);
    lab.free();
    return link;
  }, { name, set, twin, lang, step });
}

test('a hostile link: markup in every text field shows as text and runs nothing', async () => {
  const setup = await openLab(browser, server.url);
  const fragment = await linkFor(setup, 'normal-close', {
    name: `name ${HOSTILE}`,
    description: `description ${HOSTILE}`,
    'client.1.text': `client ${HOSTILE}`,
    'server.1.text': `server ${HOSTILE}`,
  }, { twin: true, lang: 'en', step: 12 });
  await setup.context().close();
  const page = await openLab(browser, server.url, { hash: `#${fragment}` });
  await page.click('#transcript-box summary');
  await page.click('#step-forward');
  const seen = await page.evaluate(() => ({
    option: document.querySelector('#preset').selectedOptions[0].textContent,
    description: document.getElementById('preset-description').textContent,
    svg: [...document.querySelectorAll('svg text')].map((n) => n.textContent).join('\n'),
    labels: [...document.querySelectorAll('.flight')].map((n) => n.getAttribute('aria-label')).join('\n'),
    transcript: document.getElementById('transcript').textContent,
    scripts: document.scripts.length,
    images: document.images.length,
    pwned: window.pwned,
  }));
  assert.equal(seen.pwned, undefined, 'nothing ran');
  assert.equal(seen.images, 0, 'no <img> was made');
  assert.equal(seen.scripts, 1, 'only the page\'s own module script');
  assert.equal(seen.option, `name ${HOSTILE}`);
  assert.equal(seen.description, `description ${HOSTILE}`);
  for (const side of ['client', 'server']) {
    assert.ok(seen.svg.includes(`“${side} <img`), `${side} text drawn as text`);
    assert.ok(seen.labels.includes(`${side} <img src=x`), `${side} text in the arrow's name`);
    assert.ok(seen.transcript.includes(`${side} <img src=x`), `${side} text in the transcript`);
  }
  await page.click('#embed-button');
  assert.ok((await page.inputValue('#embed-iframe')).includes('%3Cimg'), 'the snippet carries the link encoded');
  assert.equal(await page.evaluate(() => document.querySelectorAll('textarea img, textarea script').length), 0);
  await shoot(page, 'hostile-link');
  assert.deepEqual(page.problems, [], 'no errors, no CSP violations');

  // The language tag is free text too: such a link is refused, and the message quotes it as text.
  await page.evaluate((f) => { location.hash = f; }, fragment.replace('lang=en', `lang=${encodeURIComponent(HOSTILE)}`));
  await page.waitForSelector('#error:not([hidden])');
  const refused = await page.$eval('#error-text', (n) => ({ text: n.textContent, elements: n.querySelectorAll('*').length }));
  assert.match(refused.text, /This link could not be opened: .*(<img|%3Cimg)/);
  assert.equal(refused.elements, 0);
  assert.equal(await page.evaluate(() => [window.pwned, document.images.length, document.scripts.length].join()), ',0,1');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a link asking for an out-of-range value says which field, value and range, in Chinese too', async () => {
  const setup = await openLab(browser, server.url);
  const fragment = (await linkFor(setup, 'normal-close', { 'params.msl': '500ms' })).replace('500ms', '100h');
  await setup.context().close();
  const page = await openLab(browser, server.url, { hash: `#${fragment}`, locale: 'zh-CN' });
  assert.match(await page.textContent('#error-text'), /params\.msl：100h 超出范围（允许 1ms 至 10min）/);
  assert.ok(await page.isHidden('#error-reset'), 'a bad link is not a crash');
  assert.equal(await page.inputValue('#preset'), 'normal-close', 'the first scenario instead');
  await page.click('button[data-lang="en"]');
  await page.evaluate((f) => { location.hash = f; }, fragment);
  await page.waitForFunction(() => /out of range/.test(document.getElementById('error-text').textContent));
  assert.match(await page.textContent('#error-text'), /params\.msl: 100h is out of range \(allowed 1ms to 10min\)/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a run past the page\'s event budget stops cleanly and says so', async () => {
  const setup = await openLab(browser, server.url);
  const fragment = await linkFor(setup, 'normal-close', {
    'params.mss': 100,
    'client.1': { do: 'send_bytes', bytes: 1000000, after: 'connected' },
  });
  await setup.context().close();
  const page = await openLab(browser, server.url, { hash: `#${fragment}`, locale: 'zh-CN' });
  assert.equal(await page.textContent(main('.run-stopped')), '运行被提前终止：事件超过 20000 个；图中显示到此为止的运行。');
  assert.equal(await page.getAttribute(main('.run-stopped'), 'role'), 'status');
  await page.click('button[data-lang="en"]');
  assert.equal(await page.textContent(main('.run-stopped')), 'The run was stopped early: more than 20000 events; the diagram shows the run up to there.');
  // A big run: its arrows on the canvas and in bands (big.test.mjs).
  await page.waitForSelector(main('svg.diagram[data-big="drawn"]'));
  const drawn = await page.$eval(main('svg.diagram'), (svg) => Number(svg.dataset.arrows)
    + [...svg.querySelectorAll('.fold')].reduce((n, f) => n + Number(f.dataset.segments), 0));
  assert.ok(drawn > 1000, `${drawn} arrows`);
  assert.deepEqual(page.problems, []);
  await page.context().close();

  // A word an hour for 199 hours: stopped at six hours of virtual time.
  const again = await openLab(browser, server.url);
  const hourly = await linkFor(again, 'normal-close', {
    client: [{ do: 'connect', port: 40000 }, ...Array(199).fill({ do: 'send', text: 'tick', wait: '1h' })],
  });
  await again.context().close();
  const slow = await openLab(browser, server.url, { hash: `#${hourly}` });
  assert.equal(await slow.textContent(main('.run-stopped')), 'The run was stopped early: virtual time passed 6 h; the diagram shows the run up to there.');
  assert.deepEqual(slow.problems, []);
  await slow.context().close();
});

test('the embed works inside <iframe sandbox="allow-scripts"> under the CSP', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  await countRedraws(context);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (ev) => console.error(`CSP violation: ${ev.violatedDirective}`));
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
  page.on('pageerror', (err) => problems.push(err.message));
  // Someone else's article, on another page of the same server (a local page may not frame 127.0.0.1
  // from elsewhere); the sandbox gives the frame an opaque origin all the same.
  const host = `${server.url}embed-host.html`;
  await page.route(host, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><meta charset="utf-8"><title>An article</title><p>Before.</p>
      <iframe id="lab" sandbox="allow-scripts" title="twlab" width="960" height="760"
        src="${server.url}index.html?embed#v1/last-ack-lost/twin/end"></iframe><p>After.</p>`,
  }));
  await page.evaluate(() => {}).catch(() => {});
  const heights = [];
  await page.exposeFunction('reportHeight', (h) => heights.push(h));
  await page.addInitScript(() => window.addEventListener('message', (ev) => ev.data?.type === 'twlab:height' && window.reportHeight(ev.data.height)));
  await page.goto(host);
  const frame = await (await page.$('#lab')).contentFrame();
  await frame.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
  assert.equal(await frame.evaluate(() => origin), 'null', 'sandboxed: an opaque origin');
  assert.equal(await frame.getAttribute(twin('.outcome'), 'data-kind'), 'reset');
  assert.ok(await frame.locator(main('.flight')).count() > 10);
  // It still works: a toggle re-runs.
  await frame.focus(main('.flight[data-seg="1-client-6"]'));
  await rerun(frame, () => page.keyboard.press('Enter'));
  assert.equal(await frame.getAttribute(twin('.outcome'), 'data-kind'), 'closed_cleanly');
  await page.waitForFunction(() => true);
  assert.ok(heights.length > 0 && heights.at(-1) > 300, `heights reported: ${heights}`);
  await page.screenshot({ path: join(SHOTS, 'embed-sandboxed.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('an out-of-range value is explained with field, value and range in English and Chinese', async () => {
  const page = await openLab(browser, server.url, { hash: '#normal-close', locale: 'zh-CN' });
  await page.click('#params-box summary');
  await page.fill('input[name="delay"]', '2min');
  await page.click('#params button[type="submit"]');
  await page.waitForSelector('#params-error:not([hidden])');
  assert.equal(await page.textContent('#params-error'), '未应用：params.delay：2min 超出范围（允许 1us 至 1min）');
  assert.equal(await page.getAttribute('input[name="delay"]', 'aria-invalid'), 'true');
  await page.click('button[data-lang="en"]');
  await page.click('#params button[type="submit"]');
  await page.waitForFunction(() => /Not applied/.test(document.getElementById('params-error').textContent));
  assert.equal(await page.textContent('#params-error'), 'Not applied: params.delay: 2min is out of range (allowed 1us to 1min)');
  await shoot(page, 'bad-delay-en');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a crash inside the wasm is shown with "Reset to default", and after the reset the lab works', async () => {
  const page = await openLab(browser, server.url, { hash: '#last-ack-lost' });
  // Make the page's instance trap, as a Rust panic does, on the next toggle.
  await trapOn(page, 'set_overrides');
  await clickArrow(page, main('.flight[data-seg="1-client-3"]'));
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error-text'), /Something went wrong inside the lab \(unreachable\)/);
  assert.ok(await page.isVisible('#error-reset'));
  assert.equal(await page.getAttribute('#error', 'role'), 'alert');
  await shoot(page, 'crash');
  // The poisoned instance is not called again: another toggle says the same, and nothing throws.
  await clickArrow(page, main('.flight[data-seg="1-client-2"]'));
  assert.ok(await page.isVisible('#error-reset'));

  await page.click('#error-reset');
  await page.waitForFunction(() => !document.body.dataset.crashed && document.body.dataset.ready === 'true');
  assert.ok(await page.isHidden('#error'));
  assert.equal(await page.inputValue('#preset'), 'normal-close');
  assert.equal(await page.getAttribute(main('.outcome'), 'data-kind'), 'closed_cleanly');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'preset');
  // A fresh instance (the patched one is gone): toggles work again.
  await rerun(page, () => clickArrow(page, main('.flight[data-seg="1-client-6"]')));
  assert.equal(await page.getAttribute(main('.flight[data-seg="1-client-6"]'), 'data-end'), 'dropped');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

/** Press Tab (or Shift+Tab) until `predicate(activeElement)` holds; returns how many presses. */
async function tabTo(page, predicate, { back = false, max = 120 } = {}) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await page.evaluate(predicate)) return i;
  }
  throw new Error(`not reached in ${max} presses of ${back ? 'Shift+Tab' : 'Tab'}`);
}

test('keyboard only: last-ack-lost, tab to the last ACK, toggle it, turn on the twin, step to the RST', async () => {
  const page = await openLab(browser, server.url, { hash: '#last-ack-lost' });
  const lastAck = main('.flight[data-seg="1-client-6"]');
  await tabTo(page, () => document.activeElement.matches('figure[data-run="main"] .flight[data-seg="1-client-6"]'));
  assert.equal(await page.$eval(lastAck, (n) => n.matches(':focus-visible')), true, 'focus is visible');
  assert.match(await page.getAttribute(lastAck, 'aria-label'), /client's 6th segment of connection 1 \(ACK\).*lost/);
  assert.equal(await page.getAttribute(lastAck, 'aria-pressed'), 'true');
  await page.$eval(lastAck, (n) => n.scrollIntoView({ block: 'center' }));
  await shoot(page, 'keyboard-focus-arrow', { fullPage: false });

  // Enter restores it (the server's FIN is no longer retransmitted), Enter again loses it.
  await rerun(page, () => page.keyboard.press('Enter'));
  assert.equal(await page.getAttribute(lastAck, 'data-end'), 'delivered');
  assert.equal(await page.getAttribute(lastAck, 'aria-pressed'), 'false');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.seg), '1-client-6', 'focus stays on the arrow');
  await rerun(page, () => page.keyboard.press('Enter'));
  assert.equal(await page.getAttribute(lastAck, 'data-end'), 'dropped');

  // Back to the twin switch; Space turns it on.
  await tabTo(page, () => document.activeElement.id === 'twin', { back: true });
  await page.keyboard.press('Space');
  await page.waitForSelector(twin('.flight.rst'));
  // To the start, then step forward until the twin's RST has been sent.
  await tabTo(page, () => document.activeElement.id === 'to-start');
  await page.keyboard.press('Enter');
  assert.match(await page.textContent('#step-count'), /step 0 of/);
  await tabTo(page, () => document.activeElement.id === 'step-forward');
  let steps = 0;
  while (await page.$eval(twin('.flight.rst'), (n) => n.classList.contains('is-future'))) {
    await page.keyboard.press('Enter');
    steps += 1;
    assert.ok(steps < 200, 'the RST is reached');
  }
  assert.match(await page.textContent('#narration-twin'), /RST/);
  assert.match(await page.textContent('#announcer'), new RegExp(`^Step ${steps} of \\d+, .*Without TIME-WAIT: .*RST`));
  assert.equal(await page.$eval('#step-forward', (n) => n.matches(':focus-visible')), true);
  await shoot(page, 'keyboard-rst', { fullPage: false });

  // Play and pause from the keyboard.
  await tabTo(page, () => document.activeElement.id === 'play', { back: true });
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => !new RegExp(`step ${n} of`).test(document.getElementById('step-count').textContent), steps);
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#play', 'aria-label'), 'Play');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the transcript lists every event in the diagram\'s order and marks the current step', async () => {
  const page = await openLab(browser, server.url, { hash: '#last-ack-lost' });
  assert.equal(await page.locator('#transcript tr').count(), 0, 'built only when opened');
  await page.focus('#transcript-box summary');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#transcript table[data-run="main"] tbody tr');
  const events = await page.evaluate(async () => {
    const wasm = await import('/pkg/twlab_wasm.js');
    const lab = wasm.Lab.preset('last-ack-lost');
    const trace = lab.trace();
    lab.free();
    return trace.events.map((e) => ({ at: e.at, side: e.side }));
  });
  const rows = await page.$$eval('#transcript table[data-run="main"] tbody tr', (trs) => trs.map((tr) => ({
    step: tr.querySelector('th').textContent,
    time: tr.cells[1].textContent,
    side: tr.cells[2].dataset.side,
    what: tr.cells[3].textContent,
  })));
  assert.equal(rows.length, events.length);
  rows.forEach((row, i) => {
    assert.equal(row.step, String(i + 1));
    assert.equal(row.side, events[i].side);
    assert.equal(row.time, `${(events[i].at / 1e6).toFixed(3)} s`);
    assert.ok(row.what.length > 5, row.what);
  });
  assert.ok(rows.some((r) => /Why: /.test(r.what)), 'the key moments say why');
  // The current step (at the end after loading) is marked; stepping moves the mark.
  assert.equal(await page.$eval('#transcript tr[aria-current="step"]', (tr) => tr.dataset.event), String(events.length - 1));
  await page.click('#to-start');
  assert.equal(await page.locator('#transcript tr[aria-current="step"]').count(), 0);
  await page.click('#step-forward');
  await page.click('#step-forward');
  assert.equal(await page.$eval('#transcript tr[aria-current="step"]', (tr) => tr.dataset.event), '1');
  // With the twin, a second table.
  await page.click('.switch');
  await page.waitForSelector('#transcript table[data-run="twin"]');
  assert.match(await page.textContent('#transcript table[data-run="twin"] caption'), /TIME-WAIT skipped/);
  await page.$eval('#transcript-box', (n) => n.scrollIntoView());
  await shoot(page, 'transcript', { fullPage: false });
  await page.click('button[data-lang="zh-Hans"]');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  assert.match(await page.textContent('#transcript thead'), /发生了什么/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a live region announces each step during playback', async () => {
  const page = await openLab(browser, server.url, { hash: '#normal-close' });
  assert.equal(await page.getAttribute('#announcer', 'aria-live'), 'polite');
  assert.equal(await page.textContent('#announcer'), '', 'silent until the reader moves');
  await page.click('#to-start');
  await page.selectOption('#speed', '4');
  await page.evaluate(() => {
    window.heard = [];
    new MutationObserver(() => window.heard.push(document.getElementById('announcer').textContent))
      .observe(document.getElementById('announcer'), { childList: true, characterData: true, subtree: true });
  });
  await page.click('#play');
  await page.waitForFunction(() => window.heard.length >= 4, null, { timeout: 15000 });
  await page.click('#play');
  const heard = await page.evaluate(() => window.heard);
  // Each frame announces the step it shows: one by one, unless a slow frame (a busy machine) covers
  // several events at 4×.
  const steps = heard.map((text) => {
    assert.match(text, /^Step \d+ of \d+, \d\.\d{3} s, (Client|Server): .{10,}/, text);
    return Number(/^Step (\d+)/.exec(text)[1]);
  });
  assert.equal(steps[0], 1, heard[0]);
  steps.slice(1).forEach((n, i) => assert.ok(n > steps[i], `${steps}`));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('dropped, expired and stale arrows differ in shape, not only in colour', async () => {
  const page = await openLab(browser, server.url, { hash: '#old-duplicate' });
  await page.click('.switch');
  await page.waitForSelector(twin('.flight.stale'));
  const look = (sel) => page.$eval(sel, (g) => {
    const wire = getComputedStyle(g.querySelector('.wire'));
    const head = g.querySelector('.head-arrow, .lost-x, .expired-dot');
    return { dash: wire.strokeDasharray, head: head.tagName, fill: head && getComputedStyle(head).fill };
  });
  await clickArrow(page, main('.flight[data-seg="1-client-1"]'));
  await page.waitForSelector(main('.flight.lost'));
  const lost = await look(main('.flight.lost'));
  const stale = await look(twin('.flight.stale'));
  const plain = await look(main('.flight[data-end="delivered"]:not(.stale)'));
  assert.equal(lost.head, 'path', 'a lost arrow ends in ✕');
  assert.equal(stale.head, 'polygon');
  assert.notEqual(lost.dash, stale.dash);
  assert.notEqual(stale.dash, plain.dash);
  assert.notEqual(stale.fill, plain.fill, 'a stale head is hollow');
  await page.context().close();
});

async function shoot(page, name, { fullPage = true } = {}) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

test('axe-core: no serious or critical violations on any preset, light and dark, transcript open', async () => {
  const report = [];
  const probe = await openLab(browser, server.url);
  const names = await presetNames(probe);
  await probe.context().close();
  for (const name of names) {
    const page = await openLab(browser, server.url, { hash: `#${name}` });
    await page.click('.switch');
    await page.waitForSelector(twin('.flight'));
    await page.click('#transcript-box summary');
    await page.click('#params-box summary');
    // Every rule in the light theme; in the dark one (lab.css's prefers-color-scheme, switched on the
    // same page) only the rules a theme can change: the markup is the same.
    for (const [dark, rules] of [[false, null], [true, ['color-contrast', 'link-in-text-block']]]) {
      if (dark) await page.emulateMedia({ colorScheme: 'dark' });
      assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), dark);
      const { violations, serious } = await axe(page, { rules });
      report.push(`${name.padEnd(24)} ${dark ? 'dark ' : 'light'} ${violations.length} violations (${serious.length} serious/critical)${rules ? ` of ${rules.join(', ')}` : ''}`);
      assert.deepEqual(serious, [], `${name} ${dark ? 'dark' : 'light'}`);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
  console.log(`axe-core ${JSON.parse(readFileSync(join(ROOT, 'node_modules/axe-core/package.json'), 'utf8')).version}:\n  ${report.join('\n  ')}`);
});
