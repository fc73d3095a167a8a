// Drawing a real capture on the page: the kernel's own captures (tests/linux/fixtures), opened with
// the file button as a reader would, and files that are not captures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openLab, ROOT, SHOTS } from './browser.mjs';

const KERNEL = join(ROOT, 'tests', 'linux', 'fixtures');
const CAPTURES = join(ROOT, 'crates', 'twlab-capture', 'tests', 'captures');

let browser;
let server;
useBrowser((b, s) => {
  browser = b;
  server = s;
});

/** Open `file` with the page's file button and wait for its diagram. */
async function openCapture(page, file) {
  await page.setInputFiles('#capture-file', file);
  await page.waitForFunction((name) => document.querySelector('#preset').value === name, file.split('/').pop());
}

test('a kernel capture of the lost last ACK is drawn with its loss, the re-ACK and TIME-WAIT', async () => {
  const page = await openLab(browser, server.url);
  // The capture module is not part of the first load.
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.ok(!loaded.some((n) => n.includes('twlab_capture_wasm')), 'fetched only when a file is opened');
  await openCapture(page, join(KERNEL, 'last-ack-lost.pcap'));
  const arrows = await page.$$eval('figure[data-run="main"] .flight', (nodes) => nodes.length);
  assert.equal(arrows, 13, 'one arrow per captured segment');
  assert.equal(await page.$$eval('figure[data-run="main"] .lost-x', (n) => n.length), 1, 'the lost ACK ends in a cross');
  assert.equal(await page.getAttribute('figure[data-run="main"] .outcome', 'data-kind'), 'closed_cleanly');
  const text = await page.textContent('figure[data-run="main"]');
  assert.match(text, /TIME-WAIT/);
  assert.ok(await page.isDisabled('#twin'), 'a capture has no twin');
  assert.ok(await page.isHidden('#copy-link'), 'nor a share link');
  // Its segments are what happened: clicking one changes nothing.
  await page.click('figure[data-run="main"] .flight .hit', { force: true });
  assert.equal(await page.$$eval('figure[data-run="main"] .lost-x', (n) => n.length), 1);
  assert.ok(await page.isHidden('#changes-box'));
  assert.match(await page.textContent('#preset-description'), /real capture/);
  await page.screenshot({ path: join(SHOTS, 'capture-last-ack-lost.png'), fullPage: true });
  // The same with TIME-WAIT skipped by the kernel: the client's RST and the server's reset.
  await openCapture(page, join(KERNEL, 'last-ack-lost-no-time-wait.pcap'));
  assert.equal(await page.getAttribute('figure[data-run="main"] .outcome', 'data-kind'), 'reset');
  // Back to a preset: the twin and the link return.
  await page.selectOption('#preset', 'normal-close');
  assert.ok(!(await page.isDisabled('#twin')));
  assert.ok(!(await page.isHidden('#copy-link')));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a file that is not a capture is refused with words that say why, in both languages', async () => {
  const page = await openLab(browser, server.url);
  await page.setInputFiles('#capture-file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a capture') });
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error'), /notes\.txt could not be drawn: it is not a capture file/);
  // The lab keeps showing what it showed.
  assert.equal(await page.inputValue('#preset'), 'normal-close');
  await page.click('.lang-switch button[data-lang="zh-Hans"]');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  await page.setInputFiles('#capture-file', join(CAPTURES, 'udp-only.pcap'));
  await page.waitForFunction(() => /无法绘制 udp-only\.pcap：其中没有 TCP 报文段/.test(document.querySelector('#error-text').textContent));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an IPv6 capture with several streams lists them, and the stream picked is drawn', async () => {
  for (const [lang, width] of [['en', 1280], ['zh-Hans', 390]]) {
    const page = await openLab(browser, server.url);
    await page.setViewportSize({ width, height: 900 });
    if (lang !== 'en') await page.click(`.lang-switch button[data-lang="${lang}"]`);
    await openCapture(page, join(CAPTURES, 'http-streams.pcapng'));
    assert.ok(await page.isVisible('#streams'), 'more than one stream: the picker shows');
    // tcp.stream 0 to 4 (tshark's numbering), each with its ends, packets and how it ended.
    const options = await page.$$eval('#stream option', (os) => os.map((o) => [o.value, o.textContent]));
    assert.deepEqual(options.map(([v]) => v), ['0', '1', '2', '3', '4']);
    const label = lang === 'en'
      ? '1: [::1]:40002 → [::1]:8000, 12 packets, closed, the server first'
      : '1：[::1]:40002 → [::1]:8000，12 个数据包，已关闭，服务器先关闭';
    assert.equal(options[1][1], label);
    assert.match(options[3][1], /127\.0\.0\.1:40004/);
    assert.equal(await page.inputValue('#stream'), '0');
    // Stream 0 shares its socket pair with stream 4: both are drawn, 24 arrows.
    assert.equal(await page.$$eval('figure[data-run="main"] .flight', (n) => n.length), 24);
    assert.match(await page.textContent('figure[data-run="main"]'), /\[::1\]:40001/);
    await page.selectOption('#stream', '3');
    await page.waitForFunction(() => document.querySelector('figure[data-run="main"]').textContent.includes('127.0.0.1:40004'));
    assert.equal(await page.$$eval('figure[data-run="main"] .flight', (n) => n.length), 12);
    assert.match(await page.textContent('#preset-description'), /127\.0\.0\.1:40004/);
    assert.equal(await page.inputValue('#stream'), '3');
    await page.screenshot({ path: join(SHOTS, `capture-streams-${lang}-${width}.png`), fullPage: true });
    // A capture of one stream has no picker, nor has a preset.
    await openCapture(page, join(KERNEL, 'normal-close.pcap'));
    assert.ok(await page.isHidden('#streams'));
    await openCapture(page, join(CAPTURES, 'http-streams.pcapng'));
    await page.selectOption('#preset', 'normal-close');
    assert.ok(await page.isHidden('#streams'));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});
