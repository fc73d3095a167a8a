// packetdrill scripts on the page: our own scripts (tests/drill) dropped or opened like a capture, a
// script pasted, a script whose expectation the stack does not meet, the script's comments in the
// narration, its share link, scripts that cannot be run, in both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBrowser, openLab, ROOT, SHOTS } from './browser.mjs';

const SCRIPTS = join(ROOT, 'tests', 'drill');
const script = (name) => readFileSync(join(SCRIPTS, name), 'utf8');

let browser;
let server;
useBrowser((b, s) => {
  browser = b;
  server = s;
});

const shown = (page, name) => page.waitForFunction((n) => document.querySelector('#preset').value === n, name);

/** Drop `name` (a File made of `text`) on the page, as a reader drags it from the desktop. */
async function drop(page, name, text) {
  await page.evaluate(([n, t]) => {
    const data = new DataTransfer();
    data.items.add(new File([t], n, { type: 'text/plain' }));
    document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, [name, text]);
}

/** Paste `text` into the dialog and run it. */
async function paste(page, text) {
  await page.click('#paste-script');
  await page.waitForSelector('dialog#paste-dialog[open]');
  await page.fill('#paste-text', text);
  await page.click('dialog#paste-dialog button[value="run"]');
}

/** Step the player to the event whose narration contains `words`; returns the narration's why. */
async function narrationAt(page, words) {
  await page.click('#to-start');
  for (let i = 0; i < 200; i++) {
    const why = await page.textContent('#narration-why');
    if (!(await page.isHidden('#narration-why')) && why.includes(words)) return why;
    await page.click('#step-forward');
  }
  throw new Error(`no step says ${words}`);
}

test('a dropped script is drawn: the stack under test and its peer, the comments read at their lines', async () => {
  const page = await openLab(browser, server.url);
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.ok(!loaded.some((n) => n.includes('drill')), 'the script views are fetched only when a script comes');
  await drop(page, 'old-duplicate.pkt', script('old-duplicate.pkt'));
  await shown(page, 'old-duplicate.pkt');
  const figure = 'figure[data-run="main"]';
  // One arrow per segment of the run (the CLI's trace has 14), the stack under test on the right (it listens).
  assert.equal(await page.$$eval(`${figure} .flight`, (n) => n.length), 14);
  assert.deepEqual(await page.$$eval(`${figure} .head-name`, (n) => n.map((x) => x.textContent)), ['Scripted peer', 'Stack under test']);
  assert.equal(await page.$$eval(`${figure} .flight.mismatch`, (n) => n.length), 0, 'the script holds');
  assert.match(await page.textContent('#preset-description'), /^An old duplicate \(twlab's old-duplicate preset, seen from the server\)\..*The stack does everything the script expects\.$/);
  // A script says what happens: no fates, twin or parameters; it has a link.
  assert.ok(await page.isDisabled('#twin'));
  assert.ok(await page.isHidden('#changes-box'));
  assert.ok(await page.isHidden('#params-box'));
  assert.ok(await page.isVisible('#copy-link'));
  // Line 26's comment narrates the server's second SYN,ACK; line 32's the read of stale bytes.
  const why = await narrationAt(page, 'line 26');
  assert.match(why, /Script, line 26: “our new ISN: Linux's ISN clock has ticked 290 ms \/ 64 ns”/);
  assert.match(await page.textContent('#narration-text'), /SYN\/ACK/);
  assert.match(await narrationAt(page, 'line 32'), /“and the application reads stale bytes”/);
  assert.match(await page.textContent('#narration-text'), /read/);
  // Every export works on it.
  for (const kind of ['json', 'text', 'mermaid', 'pcap', 'svg']) {
    await page.click('.export-menu summary');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-export="${kind}"]`)]);
    const body = readFileSync(await download.path());
    assert.ok(body.length > 100, `${kind}: ${body.length} bytes`);
    if (kind === 'json') {
      const trace = JSON.parse(body);
      assert.equal(trace.script.stack, 'server');
      assert.equal(trace.script.comments.length, 10);
      assert.equal(trace.mismatch, null);
    }
  }
  await page.click('#to-end');
  await page.screenshot({ path: join(SHOTS, 'drill-old-duplicate-en-1280.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a script whose expectation the stack does not meet is marked on the arrow where they part', async () => {
  for (const [lang, width] of [['en', 1280], ['zh-Hans', 390]]) {
    const page = await openLab(browser, server.url, { width });
    if (lang !== 'en') {
      await page.click(`.lang-switch button[data-lang="${lang}"]`);
      await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
    }
    // The passive closer's last ACK expected with ack 9: the stack acknowledges the FIN with 8.
    const text = script('last-ack-lost-active.pkt').replace(/^.*TIME-WAIT ACKs it again.*$/m, '   +0 > . 7:7(0) ack 9');
    await page.setInputFiles('#capture-file', { name: 'wrong-ack.pkt', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await shown(page, 'wrong-ack.pkt');
    const marked = 'figure[data-run="main"] .flight.mismatch';
    assert.equal(await page.$$eval(marked, (n) => n.length), 1);
    const label = await page.getAttribute(marked, 'aria-label');
    assert.match(label, lang === 'en' ? /≠ script line 25/ : /≠ 脚本第 25 行/);
    assert.equal(await page.getAttribute(marked, 'data-from'), 'client');
    assert.match(await page.textContent('#preset-description'), lang === 'en' ? /parts from the script at line 25/ : /第 25 行与脚本分歧/);
    // The narration at that segment says what was expected and what was sent.
    const why = await narrationAt(page, lang === 'en' ? 'parts from the script' : '与脚本分歧');
    assert.ok(why.includes('. 7:7(0) ack 9') && why.includes('. 7:7(0) ack 8 win 65535'), why);
    assert.match(why, /live packet field tcp_ack_seq: expected: 9 \(0x9\) vs actual: 8 \(0x8\)/);
    await page.screenshot({ path: join(SHOTS, `drill-mismatch-${lang}-${width}.png`), fullPage: true });
    await page.click('#to-end');
    await page.screenshot({ path: join(SHOTS, `drill-mismatch-end-${lang}-${width}.png`), fullPage: false });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('a pasted script runs; one that cannot be run keeps the dialog with its line and column', async () => {
  for (const [lang, width] of [['en', 390], ['zh-Hans', 1280]]) {
    const page = await openLab(browser, server.url, { width });
    if (lang !== 'en') {
      await page.click(`.lang-switch button[data-lang="${lang}"]`);
      await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
    }
    await paste(page, script('half-close.pkt').replace('+.05 < . 1:1(0) ack 7 win 65535', '+.05 < . 1:1(0) ack 7 win 65535 <md5 x>'));
    const problem = lang === 'en'
      ? /pasted\.pkt cannot be run: line \d+, column \d+: /
      : /无法运行 pasted\.pkt：第 \d+ 行第 \d+ 列：/;
    await page.waitForFunction(() => document.querySelector('#paste-dialog .paste-problem').textContent !== '');
    assert.match(await page.textContent('#paste-dialog .paste-problem'), problem);
    assert.ok(await page.isVisible('dialog#paste-dialog'), 'the dialog stays for the reader to fix it');
    // The caret is at the refused option.
    const caret = await page.$eval('#paste-text', (a) => a.value.slice(a.selectionStart, a.selectionStart + 5));
    assert.equal(caret, 'md5 x');
    await page.screenshot({ path: join(SHOTS, `drill-paste-error-${lang}-${width}.png`) });
    assert.equal(await page.inputValue('#preset'), 'normal-close', 'the lab keeps what it showed');
    await page.fill('#paste-text', script('half-close.pkt'));
    await page.click('dialog#paste-dialog button[value="run"]');
    await shown(page, 'pasted.pkt');
    assert.ok(await page.isHidden('dialog#paste-dialog'));
    assert.deepEqual(await page.$$eval('figure[data-run="main"] .head-name', (n) => n.map((x) => x.textContent)),
      lang === 'en' ? ['Stack under test', 'Scripted peer'] : ['被测协议栈', '脚本中的对端']);
    await page.screenshot({ path: join(SHOTS, `drill-half-close-${lang}-${width}.png`), fullPage: true });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('a malformed or unsupported dropped script is said with its place, never a crash', async () => {
  const page = await openLab(browser, server.url);
  await drop(page, 'udp.pkt', '0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3\n');
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error-text'), /^udp\.pkt cannot be run: line 1, column \d+: .+/);
  assert.equal(await page.inputValue('#preset'), 'normal-close');
  for (const [name, text] of [['cut.pkt', '0 socket(..., SOCK_STREAM'], ['binary.pkt', '\u0000\u00ff\ud800'], ['empty.pkt', '']]) {
    await drop(page, name, text);
    await page.waitForFunction((n) => document.querySelector('#error-text').textContent.startsWith(n) || document.querySelector('#preset').value === n, name);
  }
  assert.ok(!(await page.evaluate(() => document.body.dataset.crashed)));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a script's link opens the same script at the same step, in the link's language", async () => {
  const page = await openLab(browser, server.url);
  await drop(page, 'simultaneous-close.pkt', script('simultaneous-close.pkt'));
  await shown(page, 'simultaneous-close.pkt');
  await page.click('.lang-switch button[data-lang="zh-Hans"]');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  await page.click('#to-start');
  for (let i = 0; i < 7; i++) await page.click('#step-forward');
  await page.click('#copy-link');
  const link = await page.inputValue('#share-link');
  assert.match(link, /#v1\/drill\/[A-Za-z0-9_-]+\/name=simultaneous-close\.pkt\/lang=zh-Hans\/step=7\/end$/);
  assert.ok(link.length < 1100, `${link.length} characters`);
  const before = await page.textContent('#narration-text');
  const svg = await page.$eval('figure[data-run="main"] svg', (s) => s.querySelectorAll('.flight').length);
  const other = await openLab(browser, link.replace(/#.*/, ''), { hash: link.slice(link.indexOf('#')) });
  await shown(other, 'simultaneous-close.pkt');
  await other.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  assert.equal(await other.textContent('#narration-text'), before);
  assert.equal(await other.$eval('figure[data-run="main"] svg', (s) => s.querySelectorAll('.flight').length), svg);
  assert.match(await other.textContent('#step-count'), /7/);
  // The address bar holds the link too (without the step).
  await other.waitForFunction(() => location.hash.startsWith('#v1/drill/'));
  // A damaged script link says what is wrong and shows the first scenario.
  for (const [bad, words] of [[link.slice(link.indexOf('#'), -4), /cut off|截断/], ['#v1/drill/%%%/end', /garbled|损坏|无法/]]) {
    const broken = await openLab(browser, server.url, { hash: bad });
    await broken.waitForSelector('#error:not([hidden])');
    assert.match(await broken.textContent('#error-text'), words);
    assert.equal(await broken.inputValue('#preset'), 'normal-close');
    assert.deepEqual(broken.problems, []);
    await broken.context().close();
  }
  assert.deepEqual(page.problems, []);
  assert.deepEqual(other.problems, []);
  await page.context().close();
  await other.context().close();
});
