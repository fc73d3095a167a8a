// Drawing a real capture on the page: the kernel's own captures (tests/linux/fixtures), opened with
// the file button as a reader would, and files that are not captures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openLab, ROOT, SHOTS } from './browser.mjs';

const KERNEL = join(ROOT, 'tests', 'linux', 'fixtures');

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
  await page.setInputFiles('#capture-file', join(ROOT, 'crates', 'twlab-core', 'tests', 'captures', 'udp-only.pcap'));
  await page.waitForFunction(() => /无法绘制 udp-only\.pcap：其中没有 IPv4 上的 TCP 报文段/.test(document.querySelector('#error-text').textContent));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
