// A big run (#bulk-2000: 2,000 segments of a bulk transfer, 2% of the client's transmissions lost):
// bursts fold into bands that say what they carry, zooming in unfolds them into arrows, the arrows
// drawn on the canvas answer clicks as SVG arrows do, and the transcript still lists every event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { useBrowser, openLab, rerun, SHOTS } from './browser.mjs';

let browser;
let server;
useBrowser((b, s) => {
  browser = b;
  server = s;
});

const main = (sel) => `figure[data-run="main"] ${sel}`;

async function openBig(options = {}) {
  const page = await openLab(browser, server.url, { hash: '#bulk-2000', ...options });
  // The big-run layer is fetched with the first big run, then the diagram is drawn again.
  await page.waitForSelector(main('svg.diagram[data-big="drawn"]'), { timeout: 30000 });
  return page;
}

/** The run's trace, from the page's own wasm (the reference the drawing is checked against). */
function traceOf(page) {
  return page.evaluate(async () => {
    const wasm = await import('/pkg/twlab_wasm.js');
    const lab = wasm.Lab.bulk(2000, 20, 1);
    const trace = lab.trace();
    lab.free();
    return trace;
  });
}

/** Every band: its first segment, what it says it carries, its ✕ and its label. */
function bands(page) {
  return page.$$eval(main('.fold'), (nodes) => nodes.map((n) => ({
    first: n.dataset.first,
    segments: Number(n.dataset.segments),
    bytes: Number(n.dataset.bytes),
    lost: Number(n.dataset.lost),
    crosses: n.querySelectorAll('.lost-x').length,
    label: [...n.querySelectorAll('.fold-label')].map((t) => t.textContent).join(' '),
  })));
}

const arrowsOnCanvas = async (page) => Number(await page.getAttribute(main('svg.diagram'), 'data-arrows'));

test('2,000 segments: bursts fold into bands with their counts from the trace, a loss marked on a band', async () => {
  const page = await openBig();
  const trace = await traceOf(page);
  const found = await bands(page);
  assert.ok(found.length > 10, `bands: ${found.length}`);
  // The first burst of data: every client segment with data that leaves when the first one does.
  const data = trace.segments.filter((s) => s.from === 'client' && s.len > 0);
  const burst = data.filter((s) => s.flights[0].departs === data[0].flights[0].departs);
  const lost = burst.filter((s) => s.flights[0].end === 'dropped').length;
  const band = found.find((b) => b.first === `1-client-${burst[0].nth}`);
  assert.ok(band, `a band starts at the client's segment ${burst[0].nth}: ${found.map((b) => b.first)}`);
  assert.deepEqual([band.segments, band.bytes, band.lost], [burst.length, burst.reduce((n, s) => n + s.len, 0), lost]);
  assert.ok(lost > 0 && band.crosses === lost, `one ✕ per loss on the band: ${band.crosses} of ${lost}`);
  assert.match(band.label, new RegExp(`${burst.length} segments .*${band.bytes.toLocaleString('en')} bytes.*${lost} lost`));
  // Every flight is drawn once: as an arrow on the canvas or inside a band.
  const flights = trace.segments.reduce((n, s) => n + s.flights.length, 0);
  assert.equal(found.reduce((n, b) => n + b.segments, 0) + await arrowsOnCanvas(page), flights);
  // The handshake and the close stay arrows: the SYN, the FINs.
  const folded = new Set(found.map((b) => b.first));
  for (const s of trace.segments.filter((seg) => seg.flags.includes('SYN') || seg.flags.includes('FIN'))) {
    assert.ok(!folded.has(`${s.conn}-${s.from}-${s.nth}`), `${s.from} ${s.nth} is not folded`);
  }
  await page.screenshot({ path: join(SHOTS, 'big-2000-1280.png') });
  assert.deepEqual(page.problems, []);
  await page.context().close();

  // At 390 px and in Chinese: the same bands, labelled in Chinese.
  const phone = await openBig({ width: 390, locale: 'zh-CN' });
  const there = await bands(phone);
  const same = there.find((b) => b.first === band.first);
  assert.equal(same.segments, band.segments);
  assert.match(same.label, new RegExp(`${band.segments} 个报文段`));
  await phone.screenshot({ path: join(SHOTS, 'big-2000-390-zh.png') });
  assert.deepEqual(phone.problems, []);
  await phone.context().close();
});

test('zooming in by keyboard unfolds a band into arrows, about the player\'s place; zooming out folds it again', async () => {
  const page = await openBig();
  await page.keyboard.press('Home');
  const before = await bands(page);
  const arrows = await arrowsOnCanvas(page);
  // A band of a few dozen segments: its arrows are ~2 px apart at 1×.
  const target = before.find((b) => b.segments >= 20 && b.segments <= 100);
  assert.ok(target, 'a band of 20 to 100 segments');
  const cursor = () => page.$eval(main('.cursor'), (n) => n.getBoundingClientRect().top);
  const at = await cursor();
  let presses = 0;
  while ((await bands(page)).some((b) => b.first === target.first)) {
    assert.ok(presses < 7, `still folded at ${await page.textContent('#zoom-level')}`);
    await page.keyboard.press('+');
    presses += 1;
  }
  assert.ok(presses >= 1);
  assert.equal(await page.textContent('#zoom-level'), `${2 ** presses}×`);
  assert.ok(await arrowsOnCanvas(page) >= arrows + target.segments, 'its segments are arrows now');
  assert.ok(Math.abs((await cursor()) - at) < 2, 'the zoom keeps the player\'s place where it was on screen');
  for (let i = 0; i < presses; i++) await page.keyboard.press('-');
  assert.ok((await bands(page)).some((b) => b.first === target.first), 'folded again at 1×');
  assert.equal(await page.textContent('#zoom-level'), '1×');
  // A click on a band zooms in until its arrows can be told apart.
  const band = page.locator(main(`.fold[data-first="${target.first}"] .fold-area`));
  await band.evaluate((n) => n.scrollIntoView({ block: 'center' }));
  await band.click({ position: { x: 60, y: 10 }, force: true });
  await page.waitForFunction(() => document.getElementById('zoom-level').textContent !== '1×');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an arrow on the canvas answers a click as an SVG arrow does: the fate menu, a loss; the keyboard reaches it too', async () => {
  const page = await openBig();
  // The player on the client's SYN: its arrow is the one in the SVG, where we learn where it is drawn.
  await page.keyboard.press('Home');
  const syn = main('.flight[data-seg="1-client-1"]');
  for (let i = 0; i < 10 && !(await page.$(syn)); i++) await page.keyboard.press('ArrowRight');
  await page.$eval(syn, (n) => n.scrollIntoView({ block: 'center' }));
  const box = await page.$eval(`${syn} .hit`, (n) => {
    const r = n.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  });
  // Elsewhere, and the pointer away: the SYN is only on the canvas.
  await page.mouse.move(5, 5);
  for (let i = 0; i < 10 && (await page.$(syn)); i++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.$(syn), null, 'the SYN is not in the SVG');
  await page.mouse.click(box.x, box.y, { button: 'right' });
  await page.waitForSelector('#fate-menu:not([hidden])');
  assert.match(await page.textContent('#fate-menu'), /client's 1st segment of connection 1 \(SYN\)/);
  await page.keyboard.press('Escape');
  // A click loses it, as on a small run's arrow.
  await rerun(page, () => page.mouse.click(box.x, box.y));
  assert.match(await page.textContent('#change-list'), /client's 1st segment/);
  await page.mouse.move(box.x + 1, box.y);
  assert.equal(await page.getAttribute(syn, 'aria-pressed'), 'true');
  // The keyboard: the current step's arrow is a button in the SVG; Enter gives the segment back.
  await page.mouse.move(5, 5);
  await page.keyboard.press('Home');
  for (let i = 0; i < 10 && !(await page.$(syn)); i++) await page.keyboard.press('ArrowRight');
  await page.focus(syn);
  await rerun(page, () => page.keyboard.press('Enter'));
  assert.equal(await page.getAttribute(syn, 'aria-pressed'), 'false');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.seg), '1-client-1', 'focus stays on it');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the transcript of a big run lists every event, each segment sent among them', async () => {
  const page = await openBig();
  const trace = await traceOf(page);
  await page.click('#transcript-box > summary');
  await page.waitForSelector('.transcript-table[data-run="main"] tbody tr');
  const rows = await page.$$eval('.transcript-table[data-run="main"] tbody tr', (rs) => rs.map((r) => r.cells[3].textContent));
  assert.equal(rows.length, trace.events.length);
  const sends = trace.events.map((e, i) => [e, i]).filter(([e]) => e.type === 'send');
  assert.equal(sends.length, trace.segments.length);
  for (const [e, i] of sends) {
    const seg = trace.segments[e.segment];
    assert.ok(rows[i].includes(`seq ${seg.rel_seq}`) || rows[i].includes(`ack ${seg.rel_ack}`), `row ${i + 1}: ${rows[i]}`);
  }
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('Download → SVG of a big run has every arrow: its canvas arrows drawn in the SVG, and its bands', async () => {
  const page = await openBig();
  const arrows = await arrowsOnCanvas(page);
  const folds = (await bands(page)).length;
  await page.click('.export-menu summary');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="svg"]')]);
  const text = readFileSync(await file.path(), 'utf8');
  // (Read here, not parsed in the page: its CSP would refuse the file's style attributes.)
  const count = (cls) => (text.match(new RegExp(`<g class="${cls}[ "]`, 'g')) || []).length;
  assert.deepEqual({ flights: count('flight'), folds: count('fold') }, { flights: arrows, folds });
  // And the page is as it was: only the current step's arrow in its SVG.
  assert.ok(await page.locator(main('.flight')).count() <= 1);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
