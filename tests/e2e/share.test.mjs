// Share links, embeds and exports in a real browser (headless Debian Chromium) against the page as
// served by serve.mjs with its strict CSP. Run: node --test tests/e2e/   (scripts/test-web.sh)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBrowser, openLab, addressBar, ROOT, SHOTS } from './browser.mjs';


let browser;
let server;
useBrowser((b, s) => {
  browser = b;
  server = s;
});

/** The native CLI's output for a preset: the reference every export must match. */
function cli(...args) {
  const bin = process.env.TWLAB_CLI || join(ROOT, 'target', 'debug', 'twlab');
  return existsSync(bin)
    ? execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 64 << 20 })
    : execFileSync('cargo', ['run', '-q', '-p', 'twlab-cli', '--', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
}

const flightsOf = (trace) => trace.segments.reduce((n, s) => n + s.flights.length, 0);

/** What the reader sees: the step, the narration, the run(s) drawn, every arrow, the fates listed. */
async function seen(page) {
  return page.evaluate(() => ({
    step: document.querySelector('#step-count').textContent,
    clock: document.querySelector('#clock').textContent,
    narration: document.querySelector('#narration-text').textContent,
    preset: document.querySelector('#preset').value,
    twin: document.querySelector('#twin').checked,
    lang: document.documentElement.lang,
    runs: [...document.querySelectorAll('#diagrams figure')].map((f) => f.dataset.run),
    outcome: [...document.querySelectorAll('.outcome')].map((o) => o.dataset.kind),
    arrows: [...document.querySelectorAll('.flight')].map((f) => `${f.closest('figure').dataset.run}:${f.dataset.seg}:${f.dataset.copy}:${f.getAttribute('class')}`),
    changes: document.querySelector('#change-list').textContent,
    params: document.querySelector('.run-params').textContent,
  }));
}

/** Click an arrow as a reader would, after bringing it to the middle of the window (clear of the sticky player). */
async function clickArrow(page, selector) {
  await page.$eval(selector, (node) => node.scrollIntoView({ block: 'center' }));
  await page.click(`${selector} .hit`, { force: true });
}

async function downloaded(page, kind) {
  await page.click('.export-menu summary');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-export="${kind}"]`)]);
  return { name: file.suggestedFilename(), path: await file.path() };
}

test('a share link opens the same diagram, step, toggles and language', async () => {
  const page = await openLab(browser, server.url, { hash: '#v1/last-ack-lost/twin/lang=zh-Hans/step=12/end' });
  const got = await seen(page);
  assert.equal(got.preset, 'last-ack-lost');
  assert.equal(got.twin, true);
  assert.deepEqual(got.runs, ['main', 'twin']);
  assert.equal(got.lang, 'zh-Hans');
  assert.match(got.step, /^第 12 \/ \d+ 步$/);
  assert.equal(await page.isHidden('#error'), true);
  // The address bar keeps the link (without the step, which moves as the run plays).
  const link = '#v1/last-ack-lost/twin/lang=zh-Hans/end';
  assert.equal(await addressBar(page, link), link);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('copy link, open it in a new page: the same diagram and step', async () => {
  const page = await openLab(browser, server.url, { hash: '#normal-close' });
  // The reader's own changes: lose the last ACK, a longer MSL, the twin, then step back a little.
  await clickArrow(page, 'figure[data-run="main"] .flight[data-from="client"][data-nth="6"]');
  await page.click('#params-box summary');
  await page.fill('#params input[name="msl"]', '1500ms');
  await page.click('#params button[type="submit"]');
  await page.check('#twin', { force: true });
  for (let i = 0; i < 5; i++) await page.click('#step-back');
  await page.click('#copy-link');
  const link = await page.inputValue('#share-link');
  assert.match(link, /#v1\/normal-close\/msl=1500ms\/drop=c6\/twin\/lang=en\/step=\d+\/end$/);
  // The clipboard answers asynchronously; the status follows it.
  await page.waitForFunction(() => /Copied|Selected/.test(document.querySelector('#share-status').textContent));
  const before = await seen(page);

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const again = await context.newPage();
  await again.goto(link);
  await again.waitForSelector('body[data-ready="true"]');
  assert.deepEqual(await seen(again), before);
  await again.screenshot({ path: join(SHOTS, 'share-link-opened.png') });
  await context.close();
  await page.context().close();
});

test('a custom scenario travels in its link', async () => {
  const text = 'v1/custom/name=two%20closes/client=connect:40000,close@500ms/server=listen:80,close@500ms/step=3/end';
  const page = await openLab(browser, server.url, { hash: `#${text}` });
  const got = await seen(page);
  assert.equal(got.preset, 'two closes');
  assert.match(got.step, /^step 3 of /);
  assert.equal(await page.isHidden('#error'), true);
  await page.click('#copy-link');
  assert.match(await page.inputValue('#share-link'), /#v1\/custom\/name=two%20closes\/client=connect:40000,close@500ms\/server=listen:80,close@500ms\/lang=en\/step=3\/end$/);
  await page.context().close();
});

test('every kind of bad link opens the first scenario with its own message', async () => {
  const cases = [
    ['#v1/last-ack-lost/drop=c6/st', /cut off/],
    ['#v3/last-ack-lost/end', /newer twlab \(format v3\)/],
    ['#v1/no-such-scenario/end', /no scenario called "no-such-scenario"/],
    ['#v1/normal-close/msl=8760h/end', /params\.msl: 8760h is out of range \(allowed 1ms to 10min\)/],
    ['#v1/normal-close/drop=x/end', /garbled at "x"/],
    [`#v1/normal-close/drop=${Array.from({ length: 1001 }, (_, i) => `c${i + 1}`).join(',')}/end`, /fates for 1001 segments; at most 1000/],
    [`#v1/normal-close/${'x'.repeat(20000)}/end`, /characters long; a twlab link has at most 16384/],
  ];
  for (const [hash, message] of cases) {
    const page = await openLab(browser, server.url, { hash });
    assert.equal(await page.isVisible('#error'), true, hash.slice(0, 60));
    const text = await page.textContent('#error');
    assert.match(text, /^This link could not be opened: /);
    assert.match(text, message);
    assert.match(text, /Here is the first scenario instead\./);
    assert.equal(await page.inputValue('#preset'), 'normal-close');
    assert.ok((await page.$$('.flight')).length > 5, 'a diagram is drawn');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
  const zh = await openLab(browser, server.url, { hash: '#v1/last-ack-lost/lang=zh-Hans/st', locale: 'zh-CN' });
  assert.match(await zh.textContent('#error'), /^无法打开这个链接：链接被截断了/);
  await zh.screenshot({ path: join(SHOTS, 'share-bad-link-zh.png') });
  await zh.context().close();
});

test('the demo article shows two independent embeds, sized to their content, styles kept apart', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(`${server.url}demo.html`);
  const element = await page.$('#embed-last-ack');
  const iframe = await page.$('#embed-old-duplicate');
  // The element shows its static diagram until the reader asks for the lab.
  await page.waitForFunction(() => document.querySelector('#embed-last-ack').dataset.static === 'shown');
  assert.equal(await element.evaluate((el) => el.shadowRoot.querySelector('iframe')), null);
  await element.evaluate((el) => el.shadowRoot.querySelector('.start').click());
  await iframe.scrollIntoViewIfNeeded();
  const inner = await (await element.evaluateHandle((el) => el.shadowRoot.querySelector('iframe'))).asElement().contentFrame();
  const outer = await iframe.contentFrame();
  for (const frame of [inner, outer]) await frame.waitForSelector('body[data-ready="true"]', { timeout: 15000 });

  // Each is as tall as its content says (the default heights are 480 and 720 px): the height messages arrived.
  await page.waitForFunction(() => {
    const own = document.querySelector('#embed-last-ack').shadowRoot.querySelector('iframe');
    return own.getBoundingClientRect().height > 600 && document.querySelector('#embed-old-duplicate').getBoundingClientRect().height > 900;
  });
  for (const [frame, box] of [[inner, element], [outer, iframe]]) {
    const content = await frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
    const height = (await box.boundingBox()).height;
    assert.ok(Math.abs(height - content) <= 2, `frame ${height}px for content ${content}px`);
  }

  // Two presets; minimal controls (no parameters, no list of changes, no page header).
  const state = (frame) => frame.evaluate(() => ({
    preset: document.querySelector('#preset').value,
    runs: [...document.querySelectorAll('#diagrams figure')].map((f) => f.dataset.run).join(','),
    params: getComputedStyle(document.querySelector('.params')).display,
    header: getComputedStyle(document.querySelector('.masthead')).display,
  }));
  assert.deepEqual(await state(inner), { preset: 'last-ack-lost', runs: 'main', params: 'none', header: 'none' });
  assert.deepEqual(await state(outer), { preset: 'old-duplicate', runs: 'main,twin', params: 'none', header: 'none' });

  // Toggling in one leaves the other as it was.
  const outerBefore = await outer.evaluate(() => document.querySelector('#diagrams').innerHTML);
  await inner.click('label.switch');
  await inner.waitForSelector('figure[data-run="twin"]');
  assert.equal((await state(inner)).runs, 'main,twin');
  assert.equal(await outer.evaluate(() => document.querySelector('#diagrams').innerHTML), outerBefore);
  await outer.click('label.switch');
  await outer.waitForFunction(() => !document.querySelector('figure[data-run="twin"]'));
  assert.equal((await state(inner)).runs, 'main,twin');

  // The host's rule for every button does not reach inside; the lab's styles do not reach out.
  const font = await inner.evaluate(() => getComputedStyle(document.querySelector('#play')).fontFamily);
  assert.doesNotMatch(font, /Comic Sans/);
  assert.match(await page.evaluate(() => getComputedStyle(document.body).fontFamily), /Georgia/);
  await element.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'demo-article.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('embed mode: no page chrome, autoplay plays, a short language tag is understood', async () => {
  const page = await openLab(browser, `${server.url}index.html?embed&autoplay`, { hash: '#v1/normal-close/lang=zh/end' });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hans');
  assert.equal(await page.isVisible('.masthead'), false);
  assert.equal(await page.isVisible('#params-box'), false);
  assert.equal(await page.isVisible('#open-full'), true);
  assert.match(await page.getAttribute('#open-full', 'href'), /#v1\/normal-close\/lang=zh-Hans\/step=\d+\/end$/);
  await page.waitForFunction(() => document.querySelector('#play').classList.contains('is-playing'));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the embed mode posts its height to the page that frames it', async () => {
  const page = await openLab(browser, server.url);
  const heights = await page.evaluate(async () => {
    const frame = document.createElement('iframe');
    frame.src = 'index.html?embed&controls=full#v1/data-lost/end';
    frame.style.width = '700px';
    const got = [];
    const done = new Promise((resolve) => {
      window.addEventListener('message', (ev) => {
        if (ev.source !== frame.contentWindow || ev.data?.type !== 'twlab:height') return;
        got.push(ev.data.height);
        resolve();
      });
    });
    document.body.appendChild(frame);
    await done;
    return { got, content: Math.ceil(frame.contentDocument.body.getBoundingClientRect().height) };
  });
  assert.ok(heights.got[0] > 400, `${heights.got}`);
  assert.equal(heights.got.at(-1), heights.content);
  await page.context().close();
});

test('the exported SVG stands alone: it parses, has one arrow per flight and no page styles', async () => {
  const page = await openLab(browser, server.url, { hash: '#last-ack-lost' });
  await page.click('#to-start'); // the export is the whole run whatever the step
  const { name, path } = await downloaded(page, 'svg');
  assert.equal(name, 'last-ack-lost.svg');
  const svg = readFileSync(path, 'utf8');
  assert.doesNotMatch(svg, /var\(--/);
  const trace = JSON.parse(cli('run', 'last-ack-lost', '--format', 'json'));
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: root.localName,
      ns: root.namespaceURI,
      flights: doc.querySelectorAll('.flight').length,
      unstyled: [...doc.querySelectorAll('line, path, text, rect')].filter((n) => !n.getAttribute('style')).length,
    };
  }, svg);
  assert.deepEqual(parsed, { error: null, root: 'svg', ns: 'http://www.w3.org/2000/svg', flights: flightsOf(trace), unstyled: 0 });
  // And it opens on its own in the browser, as an image.
  const view = await page.context().newPage();
  await view.goto(`file://${path}`);
  await view.screenshot({ path: join(SHOTS, 'export-svg.png') });
  await page.context().close();
});

test('the exported PNG, trace JSON, text and Mermaid are the run', async () => {
  const page = await openLab(browser, server.url, { hash: '#old-duplicate' });
  const png = readFileSync((await downloaded(page, 'png')).path);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.readUInt32BE(16) > 600 && png.readUInt32BE(20) > 600, 'drawn at twice the size');
  const json = JSON.parse(readFileSync((await downloaded(page, 'json')).path, 'utf8'));
  assert.deepEqual(json, JSON.parse(cli('run', 'old-duplicate', '--format', 'json')));
  assert.equal(readFileSync((await downloaded(page, 'text')).path, 'utf8'), cli('run', 'old-duplicate'));
  const mermaid = await downloaded(page, 'mermaid');
  assert.equal(mermaid.name, 'old-duplicate.mmd');
  assert.equal(readFileSync(mermaid.path, 'utf8'), cli('run', 'old-duplicate', '--format', 'mermaid'));
  await page.context().close();
});

test('text, Mermaid and pcap come from a module fetched on the first download, and write the run as changed', async () => {
  // normal-close with its last ACK lost, the twin beside it: the downloads are the main run's.
  const page = await openLab(browser, server.url, { hash: '#v1/normal-close/drop=c6/twin/end' });
  const fetched = () => page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('twlab_export_wasm')));
  assert.equal(await fetched(), false, 'not part of the first load');
  const dir = mkdtempSync(join(tmpdir(), 'twlab-export-'));
  const scenario = JSON.parse(cli('show', 'normal-close'));
  scenario.overrides = [{ conn: 1, from: 'client', nth: 6, fate: 'drop' }];
  const file = join(dir, 'normal-close.json');
  writeFileSync(file, JSON.stringify(scenario));
  const text = await downloaded(page, 'text');
  assert.equal(await fetched(), true);
  assert.equal(text.name, 'normal-close.txt');
  assert.equal(readFileSync(text.path, 'utf8'), cli('run', file));
  assert.match(readFileSync(text.path, 'utf8'), /\*\* LOST \*\*/);
  assert.equal(readFileSync((await downloaded(page, 'mermaid')).path, 'utf8'), cli('run', file, '--format', 'mermaid'));
  cli('run', file, '--format', 'pcap', '-o', join(dir, 'cli.pcap'));
  assert.deepEqual(readFileSync((await downloaded(page, 'pcap')).path), readFileSync(join(dir, 'cli.pcap')));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the exported pcap read back by tshark lists the trace\'s segments', async () => {
  const page = await openLab(browser, server.url, { hash: '#time-wait-assassination' });
  const { name, path } = await downloaded(page, 'pcap');
  assert.equal(name, 'time-wait-assassination.pcap');
  const trace = JSON.parse(cli('run', 'time-wait-assassination', '--format', 'json'));
  const fields = ['frame.time_relative', 'ip.src', 'tcp.srcport', 'tcp.flags', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.len', 'tcp.checksum.status'];
  const rows = execFileSync('tshark', ['-r', path, '-o', 'tcp.check_checksum:TRUE', '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .trim().split('\n').map((line) => line.split('\t'));
  assert.equal(rows.length, trace.segments.length);
  const FLAGS = { FIN: 0x01, SYN: 0x02, RST: 0x04, ACK: 0x10 };
  trace.segments.forEach((s, i) => {
    const [time, src, port, flags, seq, ack, len, checksum] = rows[i];
    const ip = s.from === 'client' ? trace.client_ip : trace.server_ip;
    assert.equal(Math.round(Number(time) * 1e6), s.sent, `packet ${i + 1} time`);
    assert.equal(src, ip);
    assert.equal(Number(port), s.src_port);
    assert.equal(Number(flags), s.flags.reduce((n, f) => n | FLAGS[f], 0), `packet ${i + 1} flags`);
    assert.equal(Number(seq), s.seq);
    assert.equal(Number(ack), s.ack);
    assert.equal(Number(len), s.len);
    assert.equal(checksum, '1', `packet ${i + 1}: tshark finds the TCP checksum good`);
  });
  await page.context().close();
});
