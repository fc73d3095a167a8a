// Which arrows of a big run fold into a band (www/js/big/fold.js), in Node: arrows closer than a few
// pixels across fold, steep ones need more room down the page, the handshake and the close never
// fold, and a band counts its segments, bytes and losses from their records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fold, FOLD_PX } from '../../www/js/big/fold.js';

const x = { client: 100, server: 600 };
const Y = (us) => us / 1000; // 1 px per ms

/** A flight item as flights.js makes it: `nth` of `from`, leaving at `y0` px, `flight` ms long. */
function arrow(nth, y0, { from = 'client', len = 100, flags = ['ACK'], flight = 50, end = 'delivered', retransmission = false } = {}) {
  const seg = { conn: 1, from, nth, len, flags, retransmission };
  const [xa, xb] = from === 'client' ? [x.client + 6, x.server - 7] : [x.server - 6, x.client + 7];
  const departs = y0 * 1000;
  const arrives = departs + flight * 1000;
  const ends = end === 'dropped' ? departs + (flight * 1000) / 2 : arrives;
  return {
    key: `1-${from}-${nth}`,
    flight: { seg, segKey: `1-${from}-${nth}`, index: nth, departs, arrives, ends, end },
    x0: xa,
    y0,
    x1: end === 'dropped' ? (xa + xb) / 2 : xb,
    y1: Y(ends),
  };
}

test('arrows closer than FOLD_PX across fold into one band; farther apart they stay arrows', () => {
  const close = [0, 1, 2, 3].map((k) => arrow(k + 3, 100 + k * (FOLD_PX / 2)));
  const apart = [0, 1, 2].map((k) => arrow(k + 10, 300 + k * FOLD_PX * 2));
  const { solos, folds } = fold([...close, ...apart], Y, x);
  assert.equal(folds.length, 1);
  assert.deepEqual(folds[0].items.map((i) => i.key).sort(), close.map((i) => i.key).sort());
  assert.deepEqual(solos.map((i) => i.key).sort(), apart.map((i) => i.key).sort());
});

test('steep arrows are measured across them: the same distance down the page folds when steep', () => {
  const gap = FOLD_PX * 1.5;
  const flat = fold([arrow(3, 100, { flight: 50 }), arrow(4, 100 + gap, { flight: 50 })], Y, x);
  assert.equal(flat.folds.length, 0, 'nearly level arrows 4.5 px apart stay apart');
  // A 2 s flight at 1 px/ms: 2000 px down for 487 px across, so 4.5 px down is about 1 px across.
  const steep = fold([arrow(3, 100, { flight: 2000 }), arrow(4, 100 + gap, { flight: 2000 })], Y, x);
  assert.equal(steep.folds.length, 1);
});

test('SYN, FIN and RST never fold; data and bare ACKs fold apart; the two directions apart', () => {
  const items = [
    arrow(1, 100, { flags: ['SYN'], len: 0 }),
    arrow(2, 100.5, { len: 0 }),
    arrow(3, 101, { len: 0 }),
    arrow(4, 100.2),
    arrow(5, 101.2),
    arrow(6, 101.4, { flags: ['FIN', 'ACK'], len: 0 }),
    arrow(1, 100.1, { from: 'server', len: 0 }),
    arrow(2, 100.6, { from: 'server', len: 0 }),
  ];
  const { solos, folds } = fold(items, Y, x);
  assert.deepEqual(solos.map((i) => i.key).sort(), ['1-client-1', '1-client-6']);
  assert.deepEqual(folds.map((f) => f.items.map((i) => i.key).sort().join(' ')).sort(),
    ['1-client-2 1-client-3', '1-client-4 1-client-5', '1-server-1 1-server-2']);
});

test('a band counts its segments, bytes, losses and retransmissions from their records', () => {
  const items = [
    arrow(3, 100, { len: 100 }),
    arrow(4, 101, { len: 100, end: 'dropped' }),
    arrow(5, 102, { len: 60 }),
    arrow(6, 103, { len: 100, retransmission: true }),
  ];
  const [band] = fold(items, Y, x).folds;
  assert.deepEqual(band.counts, { segments: 4, bytes: 360, lost: 1, retransmitted: 1 });
  assert.equal(band.key, '1-client-3', 'named by its first segment sent');
  // From the client's side of the lifelines to the server's, over every arrow's planned arrival.
  assert.deepEqual(band.quad, { xa: 106, xb: 593, top0: 100, bottom0: 103, top1: 150, bottom1: 153 });
});
