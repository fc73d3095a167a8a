// Shared by the end-to-end tests: a headless Debian Chromium driven by playwright-core (never a
// downloaded browser), and the page served by scripts/serve.mjs, either already running (TWLAB_URL)
// or started here on a free port.
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/** Where the tests leave their screenshots. */
export const SHOTS = join(ROOT, 'test-results', 'screenshots');

/**
 * One browser and one served site for a test file: `ready(browser, server)` is called before its
 * tests, and both are closed after them.
 */
export function useBrowser(ready) {
  let browser;
  let server;
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launch();
    server = await site();
    ready(browser, server);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

/** The page's URL, and a function to stop the server if this module started it. */
export async function site() {
  if (process.env.TWLAB_URL) return { url: process.env.TWLAB_URL, close: async () => {} };
  const { server, url } = await serve({ root: `${ROOT}/dist`, port: 0 });
  return { url, close: () => new Promise((done) => server.close(done)) };
}

/**
 * A fresh page at `url` (with `hash`, e.g. "#last-ack-lost"), collecting console errors, page errors
 * and Content-Security-Policy violations into `page.problems`, and waiting until the lab has drawn.
 */
export async function openLab(browser, url, { hash = '', width = 1280, height = 900, dark = false, locale = 'en-US', reducedMotion = 'no-preference' } = {}) {
  const context = await browser.newContext({
    viewport: { width, height },
    colorScheme: dark ? 'dark' : 'light',
    locale,
    reducedMotion,
  });
  // Every CSP violation is a problem too: report it on the console, where page.problems collects it.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (ev) => {
      window.cspViolations = [...(window.cspViolations || []), `${ev.violatedDirective} ${ev.blockedURI}`];
      console.error(`CSP violation: ${ev.violatedDirective} blocked ${ev.blockedURI || 'inline'}`);
    });
  });
  await countRedraws(context);
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => page.problems.push(`pageerror: ${err.message}`));
  await page.goto(`${url}${hash}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
  return page;
}

/**
 * Count, from outside the page, every new run it draws (its figures replaced in #diagrams) into
 * `window.twlabRedraws`, in every page and frame of `context`: what `rerun` waits for.
 */
export async function countRedraws(context) {
  await context.addInitScript(() => {
    window.twlabRedraws = 0;
    document.addEventListener('DOMContentLoaded', () => {
      const box = document.getElementById('diagrams');
      if (!box) return;
      // A redraw puts new diagrams in (into the figures it keeps when the runs shown are the same).
      const drawn = (n) => n.nodeName === 'FIGURE' || (n.nodeName === 'svg' && n.classList.contains('diagram'));
      new MutationObserver((records) => {
        if (records.some((r) => [...r.addedNodes].some(drawn))) window.twlabRedraws += 1;
      }).observe(box, { childList: true, subtree: true });
    });
  });
}

/** Do `act` (a toggle, a reset…) and wait until the page (or frame) has drawn the new run. */
export async function rerun(page, act) {
  const before = await page.evaluate(() => window.twlabRedraws);
  await act();
  await page.waitForFunction((n) => window.twlabRedraws > n, before);
}

/**
 * The address bar once it says `hash`, or after 5 s whatever it says (for the caller to assert):
 * the page writes it when idle (address.js), so an earlier link can be seen first.
 */
export async function addressBar(page, hash) {
  await page.waitForFunction((h) => location.hash === h, hash, { timeout: 5000 }).catch(() => {});
  return page.evaluate(() => location.hash);
}

/**
 * Make `Lab.prototype[method]` of the first instance of the wasm `glue` (the lab's own, or the fork
 * view's: /pkg/twlab_fork.js) trap as a Rust panic does in the release build (panic = "abort": the
 * call throws a RuntimeError). After the crash the page makes a new instance, which is left alone.
 */
export async function trapOn(page, method, glue = '/pkg/twlab_wasm.js') {
  await page.evaluate(async ([name, url]) => {
    const wasm = await import(url);
    wasm.Lab.prototype[name] = () => {
      throw new WebAssembly.RuntimeError('unreachable');
    };
  }, [method, glue]);
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * axe-core's results on `page`, with its serious and critical violations each as "id: help (nodes)".
 * Evaluated through the DevTools protocol, which the page's CSP does not govern (an injected <script>
 * would be refused: script-src 'self'). `rules`: only these axe rules (all by default).
 */
export async function axe(page, { rules = null } = {}) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(readFileSync(AXE, 'utf8'));
  const options = { resultTypes: ['violations'], ...(rules && { runOnly: { type: 'rule', values: rules } }) };
  const results = await page.evaluate((o) => window.axe.run(document, o), options);
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  return { ...results, serious };
}
