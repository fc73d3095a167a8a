// The parameters form, generated from the core's parameter table (the wasm's param_table): every
// parameter, its range and meaning in the page's language, and a refusal that names the field and
// its range, said again in the new language after a switch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openLab, rerun, SHOTS } from './browser.mjs';

let browser;
let server;
useBrowser((b, s) => {
  browser = b;
  server = s;
});

/** The table as the build wrote it for the page (`twlab params --json`). */
const tableOf = (page) => page.evaluate(async () => (await import('/pkg/params.js')).default);

test('the form lists exactly the table\'s parameters, common ones in view, each with its range and meaning', async () => {
  const page = await openLab(browser, server.url, { hash: '#normal-close' });
  const table = await tableOf(page);
  assert.ok(table.length >= 15, `${table.length} parameters`);
  await page.click('#params-box summary');
  await page.waitForSelector('#param-msl');
  const fields = (sel) => page.$$eval(sel, (inputs) => inputs.map((i) => i.name));
  assert.deepEqual(await fields('#params-common input'), table.filter((p) => p.common).map((p) => p.name));
  assert.deepEqual(await fields('#params-rest input'), table.filter((p) => !p.common).map((p) => p.name));
  for (const name of ['msl', 'delay', 'time_wait', 'timestamps', 'rfc1337']) assert.ok(await page.isVisible(`#param-${name}`), name);
  assert.ok(await page.isHidden('#param-rto_min'), 'the rest under "More"');
  const msl = table.find((p) => p.name === 'msl');
  assert.equal(await page.textContent('#param-msl-hint'), `${msl.meaning.en} Allowed: ${msl.min} to ${msl.max}.`);
  await page.click('button[data-lang="zh-Hans"]');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  assert.equal(await page.textContent('#param-msl-hint'), `${msl.meaning['zh-Hans']} 允许：${msl.min} 至 ${msl.max}。`);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('timestamps on in old-duplicate\'s twin: PAWS changes the outcome, and the share link keeps it', async () => {
  const page = await openLab(browser, server.url, { hash: '#v1/old-duplicate/twin/end' });
  const twinOutcome = () => page.getAttribute('figure[data-run="twin"] .outcome', 'data-kind');
  assert.equal(await twinOutcome(), 'stale_data', 'without TIME-WAIT the stale segment lands');
  await page.click('#params-box summary');
  await rerun(page, () => page.click('#param-timestamps'));
  // RFC 7323 §5: PAWS discards the old duplicate by its timestamp, TIME-WAIT or not.
  assert.notEqual(await twinOutcome(), 'stale_data');
  // The narration says PAWS dropped it because the trace says so (discarded: {reason: "paws"}).
  await page.click('#transcript-box summary');
  await page.waitForSelector('#transcript table[data-run="twin"] tbody tr');
  assert.match(await page.textContent('#transcript table[data-run="twin"]'), /so PAWS drops it/);
  await page.waitForFunction(() => /timestamps=on/.test(location.hash));
  const link = await page.evaluate(() => location.href);
  const fresh = await openLab(browser, link.slice(0, link.indexOf('#')), { hash: link.slice(link.indexOf('#')) });
  assert.equal(await fresh.inputValue('#preset'), 'old-duplicate');
  assert.equal(await fresh.getAttribute('figure[data-run="twin"] .outcome', 'data-kind'), await twinOutcome());
  await fresh.click('#params-box summary');
  assert.ok(await fresh.isChecked('#param-timestamps'));
  assert.deepEqual([...page.problems, ...fresh.problems], []);
  await fresh.context().close();
  await page.context().close();
});

test('a bad value names the field and its range, and a language switch keeps the message, translated', async () => {
  const page = await openLab(browser, server.url, { hash: '#normal-close' });
  await page.click('#params-box summary');
  await page.click('#params-more summary');
  await page.fill('#param-max_retries', 'many');
  await page.press('#param-max_retries', 'Enter');
  await page.waitForSelector('#params-error:not([hidden])');
  assert.equal(await page.textContent('#params-error'),
    'Not applied: params.max_retries: “many” cannot be read as this parameter\'s value. Allowed: 0 to 20.');
  assert.equal(await page.getAttribute('#param-max_retries', 'aria-invalid'), 'true');
  await page.click('button[data-lang="zh-Hans"]');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  assert.equal(await page.textContent('#params-error'), '未应用：params.max_retries：无法把 “many” 读作这个参数的值。允许：0 至 20。');
  // Out of range: the core's range, in the reader's language.
  await page.fill('#param-max_retries', '99');
  await page.press('#param-max_retries', 'Enter');
  await page.waitForFunction(() => /99/.test(document.getElementById('params-error').textContent));
  const zh = await page.textContent('#params-error');
  await page.click('button[data-lang="en"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.match(await page.textContent('#params-error'), /^Not applied: params\.max_retries: 99 is out of range \(allowed 0 to 20\)/);
  assert.notEqual(zh, await page.textContent('#params-error'));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('screenshots of the form, English and Chinese, 1280 and 390 px', async () => {
  for (const lang of ['en', 'zh-Hans']) {
    for (const width of [1280, 390]) {
      const page = await openLab(browser, server.url, { hash: `#v1/old-duplicate/lang=${lang}/end`, width });
      await page.click('#params-box summary');
      await page.click('#params-more summary');
      await page.fill('#param-msl', '1y');
      await page.press('#param-msl', 'Enter');
      await page.waitForSelector('#params-error:not([hidden])');
      await (await page.$('#params-box')).screenshot({ path: join(SHOTS, `params-form-${lang}-${width}.png`) });
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  }
});
