// The random walk (monkey.mjs) in the e2e suite: a fixed budget for CI, 4 sequences of 50 actions,
// seeds printed so that a failure can be replayed (MONKEY_SEED=… MONKEY_ACTIONS=… as below).
// Long runs: scripts/monkey.sh N [seed]. Every failure it finds becomes a test in regressions.test.mjs.
import { test } from 'node:test';
import { useBrowser } from './browser.mjs';
import { walk } from './monkey.mjs';

const ACTIONS = Number(process.env.MONKEY_ACTIONS || 50);
const SEQUENCES = Number(process.env.MONKEY_SEQUENCES || 4);
const FIRST = Number(process.env.MONKEY_SEED || 20261201);

let browser;
let server;
useBrowser((b, s) => {
  browser = b;
  server = s;
});

for (let i = 0; i < SEQUENCES; i++) {
  const seed = FIRST + i;
  test(`random walk: ${ACTIONS} actions from seed ${seed}`, { timeout: ACTIONS * 5000 }, async () => {
    console.log(`monkey: seed ${seed}, ${ACTIONS} actions`);
    const trail = await walk(browser, server.url, { seed, actions: ACTIONS });
    if (process.env.MONKEY_VERBOSE) console.log(trail.join('\n'));
  });
}
