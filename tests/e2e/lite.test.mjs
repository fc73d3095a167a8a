// The lite <twlab-lab> (www/twlab.js) in articles served from another origin than the lab: the
// static diagram at once, the lab only on interaction, themes that follow the host, styles kept
// apart both ways, print and reduced motion; and the measurement of an article with ten elements
// (numbers printed, not asserted, except the bytes loaded before interaction and no console error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { useBrowser, SHOTS, ROOT } from './browser.mjs';
import { serve } from '../../scripts/serve.mjs';

let browser;
let lab;
useBrowser((b, s) => {
  browser = b;
  lab = s;
});

const FILLER = '<p>TIME-WAIT keeps the pair of ports out of use long enough for every old segment to expire. '.repeat(3);

/** An article on its own origin (another port) loading twlab.js from the lab's: { url, close }. */
async function article(body, { lang = 'en', head = '' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'twlab-article-'));
  writeFileSync(join(dir, 'index.html'), `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>An article</title><script type="module" src="${lab.url}twlab.js"></script>
<style>body { margin: 0 auto; max-width: 46rem; padding: 16px; font: 18px/1.6 Georgia, serif; } ${head}</style></head>
<body><h1>Notes on TIME-WAIT</h1>${body}</body></html>`);
  const { server, url } = await serve({ root: dir, port: 0, csp: null });
  return { url, close: () => new Promise((done) => server.close(done)) };
}

async function open(url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && page.problems.push(m.text()));
  await page.goto(url);
  return page;
}

const shown = (page, sel) => page.waitForFunction((s) => document.querySelector(s).dataset.static === 'shown', sel);
const live = (page, sel) => page.waitForFunction((s) => document.querySelector(s).dataset.live === 'true', sel, { timeout: 30000 });
const inner = (page, sel) => page.evaluate((s) => Boolean(document.querySelector(s).shadowRoot.querySelector('iframe')), sel);
const frameOf = async (page, sel) => (await (await page.evaluateHandle((s) => document.querySelector(s).shadowRoot.querySelector('iframe'), sel)).asElement()).contentFrame();

test('ten elements on another origin: static diagrams as they scroll in, little loaded, a lab live on the first click', async () => {
  const presets = ['last-ack-lost', 'old-duplicate', 'normal-close', 'simultaneous-close', 'syn-in-time-wait',
    'time-wait-assassination', 'half-close', 'data-lost', 'timestamps-paws', 'address-in-use'];
  const body = presets.map((p, i) => `<h2>${p}</h2>${FILLER}<twlab-lab id="e${i}" preset="${p}"${i % 3 === 1 ? ' twin' : ''}${i === 4 ? ' lang="zh-Hans"' : ''}></twlab-lab>${FILLER}`).join('');
  const host = await article(body);
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  // What the page loaded from the lab, weighed afterwards (fetching bodies over the devtools protocol
  // while the page loads would slow what is measured).
  const loaded = [];
  let interacted = false;
  page.on('response', (r) => r.url().startsWith(lab.url) && loaded.push({ url: r.url().slice(lab.url.length), before: !interacted }));
  const weigh = () => Promise.all(loaded.map(async (f) => {
    f.gzip ??= gzipSync(Buffer.from(await (await fetch(lab.url + f.url)).arrayBuffer())).length;
  }));
  await page.goto(host.url);

  // Scroll each into view; how long until its diagram is drawn (two frames after it is in the DOM).
  const delays = [];
  for (let i = 0; i < presets.length; i++) {
    delays.push(await page.evaluate(async (id) => {
      const el = document.getElementById(id);
      el.scrollIntoView({ block: 'start' });
      const t0 = performance.now();
      const frame = () => new Promise(requestAnimationFrame);
      while (!(el.dataset.static === 'shown' && el.shadowRoot.querySelector('svg')?.getBoundingClientRect().height > 100)) await frame();
      await frame();
      return performance.now() - t0;
    }, `e${i}`));
  }
  await page.waitForTimeout(300);
  await weigh();
  const before = loaded.filter((f) => f.before);
  const total = before.reduce((n, f) => n + f.gzip, 0);
  assert.ok(before.every((f) => !/\.wasm|js\/main\.js|index\.html/.test(f.url)), `no lab before interaction: ${before.map((f) => f.url)}`);
  assert.ok(total <= 120 * 1024, `${(total / 1024).toFixed(1)} KB gzip loaded before interaction`);

  // The first interaction: press play on the first element.
  await page.evaluate(() => document.getElementById('e0').scrollIntoView());
  interacted = true;
  const toLive = await page.evaluate(() => new Promise((done) => {
    const el = document.getElementById('e0');
    const t0 = performance.now();
    el.addEventListener('twlab-ready', () => done(performance.now() - t0), { once: true });
    el.shadowRoot.querySelector('.start').click();
  }));
  const frame = await frameOf(page, '#e0');
  assert.equal(await frame.evaluate(() => document.body.dataset.ready), 'true');
  assert.equal(await frame.evaluate(() => document.querySelector('#preset').value), 'last-ack-lost');
  await weigh();
  const after = loaded.filter((f) => !f.before).reduce((n, f) => n + f.gzip, 0);

  const sorted = [...delays].sort((a, b) => a - b);
  console.log(`# lite embed, 10 elements on another origin:
#   diagram drawn after scrolling into view: median ${sorted[5].toFixed(0)} ms, max ${sorted[9].toFixed(0)} ms (target 100 ms); each: ${delays.map((d) => d.toFixed(0)).join(', ')}
#   loaded before interaction: ${(total / 1024).toFixed(1)} KB gzip in ${before.length} files (target 120 KB): ${before.map((f) => `${f.url} ${(f.gzip / 1024).toFixed(1)}`).join(', ')}
#   first interaction to a live lab: ${toLive.toFixed(0)} ms (target 300 ms), ${(after / 1024).toFixed(1)} KB gzip more
#   console errors: ${problems.length}`);
  assert.deepEqual(problems, []);
  await context.close();
  await host.close();
});

test('the host page\'s styles do not reach the lab, and the lab\'s do not leak out', async () => {
  const hostile = `* { font-family: "Comic Sans MS", cursive !important; } svg *, rect, line, text { fill: red !important; stroke: red !important; }
    button, .start { background: rgb(255, 0, 0); color: rgb(0, 255, 0); } .run, .static, .lite, iframe { display: none !important; }
    twlab-lab { color: rgb(1, 2, 3); line-height: 3; }`;
  const host = await article(`<p class="start run outcome" id="mine">Host text with the lab's class names.</p>
    <twlab-lab id="a" preset="last-ack-lost"></twlab-lab>`, { head: hostile });
  const page = await open(host.url);
  await shown(page, '#a');
  const look = await page.evaluate(() => {
    const root = document.querySelector('#a').shadowRoot;
    const cs = (node) => getComputedStyle(node);
    return {
      lifeline: cs(root.querySelector('.lifeline')).stroke,
      text: cs(root.querySelector('svg text')).fill,
      font: cs(root.querySelector('.run-title')).fontFamily,
      colour: cs(root.querySelector('.lite')).color,
      lineHeight: cs(root.querySelector('.lite')).lineHeight,
      run: cs(root.querySelector('.run')).display,
      start: cs(root.querySelector('.start')).backgroundColor,
      mine: { bg: cs(document.querySelector('#mine')).backgroundColor, colour: cs(document.querySelector('#mine')).color, radius: cs(document.querySelector('#mine')).borderRadius },
    };
  });
  assert.doesNotMatch(look.lifeline, /255, 0, 0/);
  assert.doesNotMatch(look.text, /255, 0, 0/);
  assert.doesNotMatch(look.font, /Comic Sans/);
  assert.notEqual(look.colour, 'rgb(1, 2, 3)', 'the host colour is not inherited');
  assert.notEqual(look.run, 'none');
  assert.notEqual(look.start, 'rgb(255, 0, 0)');
  // The host's element with the lab's class names keeps the host's look (no lab background, pill or colour).
  assert.deepEqual(look.mine, { bg: 'rgb(255, 0, 0)', colour: 'rgb(0, 255, 0)', radius: '0px' });
  // And once the lab is live in its frame, the same.
  await page.evaluate(() => document.querySelector('#a').shadowRoot.querySelector('.start').click());
  await live(page, '#a');
  const frame = await frameOf(page, '#a');
  assert.doesNotMatch(await frame.evaluate(() => getComputedStyle(document.querySelector('#play')).fontFamily), /Comic Sans/);
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('#mine')).backgroundColor), 'rgb(255, 0, 0)');
  assert.deepEqual(page.problems, []);
  await page.context().close();
  await host.close();
});

test('nothing but the picture until the reader clicks; load="visible" loads when seen; a custom link renders once its lab loads', async () => {
  const host = await article(`<twlab-lab id="a" preset="normal-close"></twlab-lab>${FILLER.repeat(8)}
    <twlab-lab id="b" preset="half-close" load="visible"></twlab-lab>
    <twlab-lab id="c" link="v1/normal-close/drop=c6/end" load="visible"></twlab-lab>
    <twlab-lab id="d" preset="no-such-preset"></twlab-lab>`);
  const page = await open(host.url);
  await shown(page, '#a');
  await page.waitForTimeout(400);
  assert.equal(await inner(page, '#a'), false, 'no lab before a click');
  assert.equal(await inner(page, '#b'), false, 'load="visible" waits until it is seen');
  await page.evaluate(() => document.querySelector('#b').scrollIntoView());
  await live(page, '#b');
  assert.equal(await (await frameOf(page, '#b')).evaluate(() => document.querySelector('#preset').value), 'half-close');
  // A custom scenario has no static picture: a button until its lab draws it.
  await page.evaluate(() => document.querySelector('#c').scrollIntoView());
  await page.waitForFunction(() => document.querySelector('#c').dataset.static === 'none');
  await live(page, '#c');
  const c = await frameOf(page, '#c');
  assert.ok(await c.evaluate(() => document.querySelectorAll('.flight.lost').length) >= 1, 'the link\'s dropped segment is drawn');
  // A misspelt preset: the button (no request that fails), then the lab's own message.
  await page.evaluate(() => document.querySelector('#d').scrollIntoView());
  await page.waitForFunction(() => document.querySelector('#d').dataset.static === 'none');
  await page.evaluate(() => document.querySelector('#d').shadowRoot.querySelector('.start').click());
  await live(page, '#d');
  assert.match(await (await frameOf(page, '#d')).textContent('#error'), /no-such-preset/);
  // Clicking the diagram itself also loads the lab, with no autoplay.
  await page.evaluate(() => document.querySelector('#a').scrollIntoView());
  await page.click('#a');
  await live(page, '#a');
  assert.equal(await (await frameOf(page, '#a')).evaluate(() => document.querySelector('#play').classList.contains('is-playing')), false);
  assert.deepEqual(page.problems, []);
  await page.context().close();
  await host.close();
});

test('setBase() called late: the pictures and the lab come from the new place', async () => {
  // The same build served from a second origin, as when a bundler moved the files after the fact.
  const moved = await serve({ root: join(ROOT, 'dist'), port: 0 });
  const host = await article(`<twlab-lab id="a" preset="half-close"></twlab-lab>
    <script type="module">import { setBase } from '${lab.url}twlab.js'; window.moveTo = setBase;</script>`);
  const page = await open(host.url);
  await shown(page, '#a');
  await page.evaluate((url) => window.moveTo(url), moved.url);
  await page.waitForFunction((url) => performance.getEntriesByType('resource').some((e) => e.name.startsWith(`${url}static/`)), moved.url);
  await shown(page, '#a');
  await page.evaluate(() => document.querySelector('#a').shadowRoot.querySelector('.start').click());
  await live(page, '#a');
  assert.ok((await page.evaluate(() => document.querySelector('#a').shadowRoot.querySelector('iframe').src)).startsWith(moved.url));
  assert.deepEqual(page.problems, []);
  await page.context().close();
  await host.close();
  await new Promise((done) => moved.server.close(done));
});

test('theme: auto follows mdBook\'s and Docusaurus\'s markers and the system; --twlab-* reach the picture and the lab', async () => {
  const host = await article(`<twlab-lab id="a" preset="last-ack-lost"></twlab-lab><twlab-lab id="b" preset="normal-close" theme="light"></twlab-lab>`,
    { head: '#a { --twlab-accent: rgb(200, 0, 120); }' });
  const page = await open(host.url, { colorScheme: 'light' });
  await shown(page, '#a');
  const theme = (sel) => page.evaluate((s) => document.querySelector(s).shadowRoot.querySelector('.lite').dataset.theme, sel);
  assert.equal(await theme('#a'), 'light');
  await page.evaluate(() => document.documentElement.classList.add('navy')); // mdBook's navy
  await page.waitForFunction(() => document.querySelector('#a').shadowRoot.querySelector('.lite').dataset.theme === 'dark');
  assert.equal(await theme('#b'), 'light', 'theme="light" wins');
  const surface = await page.evaluate(() => getComputedStyle(document.querySelector('#a').shadowRoot.querySelector('.run')).backgroundColor);
  assert.equal(surface, 'rgb(25, 29, 36)', 'the dark palette (lab.css) on the picture');
  await page.evaluate(() => {
    document.documentElement.classList.replace('navy', 'whatever');
    document.documentElement.dataset.theme = 'dark'; // Docusaurus
  });
  assert.equal(await theme('#a'), 'dark');
  await page.evaluate(() => delete document.documentElement.dataset.theme);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.querySelector('#a').shadowRoot.querySelector('.lite').dataset.theme === 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.evaluate(() => document.documentElement.classList.add('coal'));
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('#a').shadowRoot.querySelector('.start')).backgroundColor), 'rgb(200, 0, 120)');
  // The lab in its frame, on a light system: dark, with the host's accent (both by message).
  await page.evaluate(() => document.querySelector('#a').shadowRoot.querySelector('.start').click());
  await live(page, '#a');
  const frame = await frameOf(page, '#a');
  await frame.waitForFunction(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() === 'rgb(200, 0, 120)');
  assert.equal(await frame.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), false);
  assert.equal(await frame.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(17, 20, 25)');
  // And back to light when the host switches (mdBook's light theme).
  await page.evaluate(() => document.documentElement.classList.replace('coal', 'light'));
  await frame.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(247, 246, 242)');
  assert.deepEqual(page.problems, []);
  await page.context().close();
  await host.close();
});

test('reduced motion: autoplay shows the end state; print: the whole diagram, statically', async () => {
  const host = await article('<twlab-lab id="a" preset="last-ack-lost" autoplay load="visible"></twlab-lab>');
  const page = await open(host.url, { reducedMotion: 'reduce' });
  await live(page, '#a');
  const frame = await frameOf(page, '#a');
  assert.equal(await frame.evaluate(() => document.querySelector('#play').classList.contains('is-playing')), false);
  assert.equal(await frame.evaluate(() => document.querySelectorAll('#diagrams .is-future').length), 0, 'at the end');
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => {
    const root = document.querySelector('#a').shadowRoot;
    return { frame: getComputedStyle(root.querySelector('iframe')).display, picture: getComputedStyle(root.querySelector('.static')).display, start: getComputedStyle(root.querySelector('.start')).display };
  });
  assert.deepEqual(printed, { frame: 'none', picture: 'grid', start: 'none' });
  const pdf = await page.pdf();
  assert.ok(pdf.length > 10000);
  await page.context().close();
  await host.close();
});

test('screenshots: an article with several elements, light, dark, 390 px, Chinese', async () => {
  const body = `<p>${FILLER}</p><twlab-lab id="a" preset="last-ack-lost"></twlab-lab><p>${FILLER}</p>
    <twlab-lab id="b" preset="old-duplicate" twin></twlab-lab><twlab-lab id="c" preset="normal-close" load="visible"></twlab-lab>`;
  for (const [name, options, lang] of [
    ['light', { colorScheme: 'light' }, 'en'],
    ['dark', { colorScheme: 'dark' }, 'en'],
    ['390', { viewport: { width: 390, height: 844 } }, 'en'],
    ['zh', { viewport: { width: 1000, height: 900 } }, 'zh-CN'],
  ]) {
    const host = await article(body, { lang, head: '@media (prefers-color-scheme: dark) { body { background: #16181c; color: #e6e2da; } }' });
    const page = await open(host.url, options);
    await shown(page, '#a');
    await shown(page, '#b');
    await page.evaluate(() => document.querySelector('#c').scrollIntoView());
    await live(page, '#c');
    await page.evaluate(() => document.querySelector('#a').scrollIntoView());
    await page.screenshot({ path: join(SHOTS, `lite-article-${name}.png`) });
    await page.evaluate(() => document.querySelector('#b').scrollIntoView());
    await page.screenshot({ path: join(SHOTS, `lite-article-${name}-twin.png`) });
    assert.deepEqual(page.problems, []);
    await page.context().close();
    await host.close();
  }
});

test('the diagram pre-rendered under Node (index.html, static/) is the one the page draws in Chromium', async () => {
  const shape = () => [...document.querySelectorAll('#diagrams svg.diagram, .static svg.diagram')].map((svg) => ({
    viewBox: svg.getAttribute('viewBox'),
    flights: svg.querySelectorAll('.flight').length,
    bands: [...svg.querySelectorAll('.band')].map((b) => `${b.getAttribute('class')} ${b.getAttribute('y')} ${b.getAttribute('height')}`).join(),
    states: [...svg.querySelectorAll('.mark-state text')].map((t) => t.textContent).join(),
    future: svg.querySelectorAll('.is-future').length,
  }));
  const still = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  const before = await (async () => {
    const page = await still.newPage();
    await page.goto(lab.url);
    return page.evaluate(shape);
  })();
  await still.close();
  const page = await open(lab.url, { viewport: { width: 1280, height: 900 } });
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#to-end');
  const after = await page.evaluate(shape);
  assert.equal(before.length, 1);
  assert.ok(before[0].flights > 5);
  assert.deepEqual(before, after);
  await page.context().close();
  // An element's picture of a Chinese twin, against the page drawing the same at the same width.
  const host = await article('<div style="width: 640px"><twlab-lab id="a" preset="old-duplicate" twin lang="zh-Hans"></twlab-lab></div>');
  const article1 = await open(host.url, { viewport: { width: 1000, height: 900 } });
  await shown(article1, '#a');
  const picture = await article1.evaluate((f) => {
    const root = document.querySelector('#a').shadowRoot;
    return new Function('document', `return (${f})()`)(root);
  }, shape.toString());
  await article1.context().close();
  await host.close();
  assert.equal(picture.length, 2);
  assert.equal(picture[0].viewBox, '0 0 640 ' + picture[0].viewBox.split(' ')[3]);
  assert.ok(picture.every((p) => p.flights > 5 && p.future === 0 && /TIME-WAIT/.test(p.states)));
});
