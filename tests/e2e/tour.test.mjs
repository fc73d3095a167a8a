// The teaching views in a real browser: the guided tour from its link in both languages, walked to its
// end by keyboard alone; predict-then-reveal before the lost ACK's consequence; the state map against
// the transcript at every step of every preset; axe on the new views; screenshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser, openLab, axe, addressBar, SHOTS } from './browser.mjs';
import { CHAPTERS } from '../../www/js/teach/chapters.js';


let browser;
let server;
useBrowser((b, s) => {
  browser = b;
  server = s;
});

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return { cls: el?.className || '', choice: el?.dataset?.choice || null, tag: el?.tagName };
});

/** Tab (forward) until the focused element has class `cls`; at most `max` presses. */
async function tabTo(page, cls, max = 12) {
  for (let i = 0; i < max; i++) {
    if ((await focused(page)).cls.split(' ').includes(cls)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`no .${cls} within ${max} tabs (focus on ${JSON.stringify(await focused(page))})`);
}

async function shoot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

for (const lang of ['en', 'zh-Hans']) {
  test(`the tour opens from its link (${lang}) and is walked to its end by keyboard alone`, async () => {
    const hash = lang === 'en' ? '#v1/tour/end' : `#v1/tour/lang=${lang}/end`;
    const page = await openLab(browser, server.url, { hash });
    await page.waitForSelector('[data-tour] .tour-title');
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    // The tour drives the lab itself: the same player at the start, the state map open beside it.
    assert.equal(await page.$eval('#statemap-box', (d) => d.open), true);
    await page.waitForSelector('#statemap svg [aria-current]');
    // Quicker playback, set with the keyboard like everything else.
    await page.focus('#speed');
    await page.keyboard.press('End');
    assert.equal(await page.$eval('#speed', (s) => s.value), '4');
    await page.focus('.tour-title');
    for (let n = 1; n <= CHAPTERS.length; n++) {
      const chapter = CHAPTERS[n - 1];
      await page.waitForSelector(`[data-tour][data-chapter="${n}"]`);
      assert.equal(await page.textContent('.tour-title'), (chapter[lang] || chapter.en).title);
      // The address bar follows when the page is idle, not at once.
      const link = `#v1/tour/${n > 1 ? `${n}/` : ''}lang=${lang}/end`;
      assert.equal(await addressBar(page, link), link);
      assert.equal(await page.textContent('#step-count').then((s) => /\b0\b/.test(s)), true, 'each chapter starts at step 0');
      if (lang !== 'en' && n > 3) {
        // The questions come from the trace, not the language (the English walk answers them all):
        // past the third chapter, the Chinese walk goes on by Next chapter.
        await tabTo(page, 'tour-next');
        await page.keyboard.press('Enter');
        continue;
      }
      let asked = 0;
      await tabTo(page, 'tour-play');
      while ((await focused(page)).cls.includes('tour-play')) {
        await page.keyboard.press('Enter');
        // The player stops before the moment and the prompt takes the focus.
        await page.waitForFunction(() => document.activeElement?.classList.contains('predict-choice'), null, { timeout: 60_000 });
        asked += 1;
        const prompt = await page.$eval('[data-predict]', (p) => ({ tag: p.dataset.tag, event: Number(p.dataset.event) }));
        assert.equal(prompt.tag, chapter.ask[asked - 1], `chapter ${n}, question ${asked}`);
        const step = await page.textContent('#step-count');
        assert.ok(step.includes(String(prompt.event)), `stopped before event ${prompt.event}: ${step}`);
        if (n === 1 && asked === 1) await shoot(page, `tour-prompt-${lang}-1280`);
        await page.keyboard.press('Enter');
        await page.waitForSelector('[data-predict][data-answered]', { timeout: 60_000 });
        assert.ok((await page.textContent('.predict-feedback')).length > 20);
        // After the answer the keyboard is on Play (more to ask) or Next.
        await page.waitForFunction(() => /tour-(play|next)/.test(document.activeElement?.className), null, { timeout: 5000 });
      }
      assert.equal(asked, chapter.ask.length, `chapter ${n} asked each of its questions`);
      assert.ok((await focused(page)).cls.includes('tour-next'));
      if (n === 2) await shoot(page, `tour-${lang}-1280`);
      await page.keyboard.press('Enter');
    }
    await page.waitForSelector('[data-tour][data-finished="true"]');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

/** Answer the prompts up to the one tagged `tag` with their first choice; returns that prompt. */
async function promptFor(page, tag) {
  for (let guard = 0; guard < 400; guard++) {
    const prompt = await page.$('[data-predict]:not([data-answered])');
    if (prompt) {
      const info = await prompt.evaluate((p) => ({ tag: p.dataset.tag, event: Number(p.dataset.event), text: p.textContent }));
      if (info.tag === tag) return info;
      await page.click('[data-predict]:not([data-answered]) .predict-choice');
      await page.waitForSelector('[data-predict][data-answered]');
      continue;
    }
    await page.click('#step-forward');
  }
  throw new Error(`no prompt ${tag}`);
}

test('last-ack-lost: a prompt before the lost ACK\'s consequence; right and wrong answers each explained', async () => {
  for (const [choice, right] of [['ack', true], ['rst', false]]) {
    const page = await openLab(browser, server.url, { hash: '#v1/last-ack-lost/end' });
    await page.selectOption('#speed', '4'); // playing on to an answer
    await page.click('label:has(#predict-switch)');
    await page.waitForFunction(() => document.querySelector('link[href="css/teach.css"]'));
    await page.click('#to-start');
    // The lost ACK itself, then what follows from it: the server's FIN again, reaching the client.
    const lost = await promptFor(page, 'lost-ack');
    assert.match(lost.text, /will be lost/);
    await page.click('[data-predict] [data-choice="peer"]');
    await page.waitForSelector('[data-predict][data-answered="right"]');
    const again = await promptFor(page, 'fin-again');
    assert.match(again.text, /TIME-WAIT/);
    // Stopped before the retransmitted FIN arrives: the transcript's last row is the one before.
    await page.click('#transcript-box summary');
    // The table is built when the <details> has opened (its toggle event comes after the click).
    await page.waitForSelector('#transcript table[data-run="main"] tr[aria-current="step"]');
    assert.equal(await page.$eval('#transcript table[data-run="main"] tr[aria-current="step"]', (tr) => Number(tr.dataset.event)), again.event - 1);
    if (right) await shoot(page, 'predict-en-1280');
    await page.click(`[data-predict] [data-choice="${choice}"]`);
    await page.waitForSelector(`[data-predict][data-answered="${right ? 'right' : 'wrong'}"]`);
    const feedback = await page.textContent('.predict-feedback');
    assert.match(feedback, right ? /^Right\./ : /^Not quite: The client answers with an ACK\./);
    assert.match(feedback, /first reason for TIME-WAIT/, 'the why, for a right and a wrong answer alike');
    // Playing on showed the answer: the client's ACK of the retransmitted FIN.
    const shown = await page.$eval('#transcript table[data-run="main"] tr[aria-current="step"]', (tr) => Number(tr.dataset.event));
    assert.ok(shown >= again.event);
    assert.equal(await page.$eval('[data-predict] .is-answer', (b) => b.dataset.choice), 'ack');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
  // Without TIME-WAIT the same moment is answered by RST, and said why.
  const page = await openLab(browser, server.url, { hash: '#v1/last-ack-lost/time_wait=skip/lang=zh-Hans/end' });
  await page.click('label:has(#predict-switch)');
  await page.click('#to-start');
  await promptFor(page, 'no-connection');
  await page.click('[data-predict] [data-choice="rst"]');
  await page.waitForSelector('[data-predict][data-answered="right"]');
  assert.match(await page.textContent('.predict-feedback'), /^答对了。没有 TIME-WAIT/);
  await shoot(page, 'predict-zh-Hans-390-wide');
  await page.context().close();
});

test('the state map shows the transcript\'s states at every step of every preset', async () => {
  const probe = await openLab(browser, server.url);
  const names = await probe.$$eval('#preset option', (options) => options.map((o) => o.value));
  await probe.context().close();
  assert.ok(names.length >= 15);
  for (const name of names) {
    const page = await openLab(browser, server.url, { hash: `#v1/${name}/end` });
    await page.click('#statemap-box summary');
    await page.click('#transcript-box summary');
    await page.waitForSelector('#statemap svg [aria-current]');
    await page.click('#to-start');
    // Where both sides start, the badges above the top CLOSED are inside the map (they were cut off).
    const cut = await page.$$eval('#statemap .sm-badges', (badges) => {
      const map = badges[0].ownerSVGElement.getBoundingClientRect();
      return badges.filter((b) => b.textContent && b.getBoundingClientRect().top < map.top).map((b) => b.textContent);
    });
    assert.deepEqual(cut, [], `${name}: badges cut off at the map's top edge`);
    const mismatches = await page.evaluate(() => {
      const out = [];
      const forward = document.getElementById('step-forward');
      for (let step = 0; step < 2000 && !forward.disabled; step++) {
        forward.click();
        const row = document.querySelector('#transcript table[data-run="main"] tr[aria-current="step"]');
        if (!row) continue;
        const cells = row.querySelectorAll('.transcript-state');
        for (const [k, side] of [[0, 'client'], [1, 'server']]) {
          const want = cells[k].dataset.state;
          const nodes = [...document.querySelectorAll(`#statemap .sm-node.is-${side}`)];
          const got = nodes.map((n) => n.dataset.state).join();
          const current = nodes.every((n) => n.getAttribute('aria-current') === 'true');
          if (got !== want || !current) out.push(`event ${row.dataset.event} ${side}: transcript ${want}, map ${got}`);
        }
      }
      return out;
    });
    assert.deepEqual(mismatches, [], name);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('clicking a state jumps to the next moment a side enters it; the names switch to ss and netstat', async () => {
  const page = await openLab(browser, server.url, { hash: '#v1/last-ack-lost/end' });
  await page.click('#statemap-box summary');
  await page.click('#transcript-box summary');
  await page.click('#to-start');
  await page.focus('#statemap .sm-node[data-node="TIME-WAIT"]');
  await page.keyboard.press('Enter');
  const row = await page.$('#transcript table[data-run="main"] tr[aria-current="step"]');
  assert.match(await row.textContent(), /TIME-WAIT/);
  assert.equal(await page.$eval('#statemap .sm-node.is-client', (n) => n.dataset.state), 'TIME-WAIT');
  assert.match(await page.textContent('.statemap-caption'), /FIN-WAIT-2 → TIME-WAIT.*RFC 9293 §3\.10\.7\.4/);
  assert.equal(await page.$eval('.statemap-caption a', (a) => a.href), 'https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4');
  await page.check('input[name="statemap-naming"][value="netstat"]');
  assert.equal(await page.textContent('#statemap .sm-node[data-node="TIME-WAIT"] text'), 'TIME_WAIT');
  await page.check('input[name="statemap-naming"][value="ss"]');
  assert.equal(await page.textContent('#statemap .sm-node[data-node="ESTABLISHED"] text'), 'ESTAB');
  // CLOSING is never entered in this run: the caption says so.
  await page.focus('#statemap .sm-node[data-node="CLOSING"]');
  await page.keyboard.press('Enter');
  assert.match(await page.textContent('.statemap-caption'), /No side enters CLOSING/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a damaged tour link says so and opens the first scenario', async () => {
  const page = await openLab(browser, server.url, { hash: '#v1/tour/0/end' });
  assert.equal(await page.isVisible('#error'), true);
  assert.match(await page.textContent('#error-text'), /chapters count from 1/);
  assert.equal(await page.$eval('#preset', (s) => s.value), 'normal-close');
  assert.equal(await page.isHidden('#tour'), true);
  await page.context().close();
});

test('axe-core: nothing serious on the tour, a prompt and the state map, en and zh, light and dark', async () => {
  for (const lang of ['en', 'zh-Hans']) {
    for (const dark of [false, true]) {
      const page = await openLab(browser, server.url, { hash: `#v1/tour/2/lang=${lang}/end`, dark });
      await page.waitForSelector('#statemap svg [aria-current]');
      await page.selectOption('#speed', '4');
      await page.click('.tour-play');
      await page.waitForSelector('[data-predict]', { timeout: 60_000 });
      assert.deepEqual((await axe(page)).serious, [], `${lang} ${dark ? 'dark' : 'light'}`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  }
});

test('screenshots: the tour, a prediction and the state map, en and zh, 1280 and 390 px', async () => {
  for (const lang of ['en', 'zh-Hans']) {
    for (const width of [1280, 390]) {
      const page = await openLab(browser, server.url, { hash: `#v1/tour/3/lang=${lang}/end`, width, height: 860 });
      await page.waitForSelector('#statemap svg [aria-current]');
      await shoot(page, `tour-${lang}-${width}`);
      await page.selectOption('#speed', '4');
      await page.click('.tour-play');
      await page.waitForSelector('[data-predict]', { timeout: 60_000 });
      await page.$eval('[data-predict]', (p) => p.scrollIntoView({ block: 'center' }));
      await shoot(page, `predict-${lang}-${width}`);
      await page.$eval('#statemap-box', (d) => d.scrollIntoView({ block: 'start' }));
      await shoot(page, `statemap-${lang}-${width}`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  }
});
