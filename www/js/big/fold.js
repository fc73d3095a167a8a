// Which arrows fold into a band: a drawing decision, from where the arrows fall on screen. Arrows of
// one direction and connection that would run closer than FOLD_PX to the previous one (measured
// across the arrows, so a steep arrow needs more room down the page) become one band (data and bare
// ACKs apart); the handshake and the close (SYN, FIN, RST) always stay arrows. What a band says (segments, bytes, losses) is counted from the trace's own records.

import { BAND } from '../drawing.js';

/** Arrows closer than this (px) at both ends fold together. */
export const FOLD_PX = 3;
const CONTROL = new Set(['SYN', 'FIN', 'RST']);

/**
 * `items` are diagram.js's flight items ({ flight, x0, y0, x1, y1, … }); `Y` maps µs to the diagram's y,
 * `x` gives each lifeline's x. Returns { solos: items drawn as arrows, folds: [{ items, quad, counts, … }] }.
 */
export function fold(items, Y, x) {
  const lanes = new Map();
  const solos = [];
  for (const item of items) {
    const { seg } = item.flight;
    if (seg.flags.some((flag) => CONTROL.has(flag))) {
      solos.push(item);
      continue;
    }
    // Where it would have landed (a lost arrow stops where it was lost), and how steep it is: arrows
    // `d` px apart down the page are d × across px apart across.
    item.yEnd = Y(item.flight.arrives) + (item.y0 - Y(item.flight.departs));
    const across = Math.abs(x.server - x.client);
    item.across = across / Math.hypot(across, item.yEnd - item.y0);
    // Data and bare ACKs apart: the handshake's last ACK stays an arrow beside the first burst.
    const lane = `${seg.conn}:${seg.from}:${seg.len > 0}`;
    if (!lanes.has(lane)) lanes.set(lane, []);
    lanes.get(lane).push(item);
  }
  const folds = [];
  for (const lane of lanes.values()) {
    lane.sort((a, b) => a.y0 - b.y0 || a.yEnd - b.yEnd);
    let open = []; // bands that the next arrow may still join: { items, y0, yEnd, gap }
    const all = [];
    for (const item of lane) {
      open = open.filter((band) => (item.y0 - band.y0) * item.across < FOLD_PX);
      const band = open.find((b) => Math.abs(item.yEnd - b.yEnd) * item.across < FOLD_PX);
      if (band) {
        // The closest two neighbours (down the page) decide how far to zoom to point at each.
        band.gap = Math.min(band.gap, Math.max(item.y0 - band.y0, Math.abs(item.yEnd - band.yEnd)));
        band.items.push(item);
        band.y0 = item.y0;
        band.yEnd = item.yEnd;
      } else {
        const fresh = { items: [item], y0: item.y0, yEnd: item.yEnd, gap: Infinity };
        open.push(fresh);
        all.push(fresh);
      }
    }
    for (const band of all) {
      if (band.items.length === 1) solos.push(band.items[0]);
      else folds.push(describe(band, x));
    }
  }
  return { solos, folds };
}

/** A band's outline and what it carries, from its arrows' records. */
function describe({ items, gap }, x) {
  const first = items[0];
  const { from } = first.flight.seg;
  const xa = first.x0;
  // Where its arrows land, as flights.js ends a delivered one.
  const xb = from === 'client' ? x.server - (BAND + 2) : x.client + BAND + 2;
  const y0s = items.map((item) => item.y0);
  const ends = items.map((item) => item.yEnd);
  const top0 = Math.min(...y0s);
  const bottom0 = Math.max(...y0s, top0 + 3);
  const top1 = Math.min(...ends);
  const bottom1 = Math.max(...ends, top1 + 3);
  const segments = new Map();
  for (const item of items) segments.set(item.flight.segKey, item.flight.seg);
  const counts = {
    segments: segments.size,
    bytes: [...segments.values()].reduce((n, seg) => n + seg.len, 0),
    lost: items.filter((item) => item.flight.end === 'dropped').length,
    retransmitted: [...segments.values()].filter((seg) => seg.retransmission).length,
  };
  return {
    items,
    from,
    key: items.reduce((a, b) => (b.flight.index < a.flight.index ? b : a)).flight.segKey, // the first sent
    event: Math.min(...items.map((item) => item.event)),
    quad: { xa, xb, top0, bottom0, top1, bottom1 },
    top: Math.min(top0, top1),
    bottom: Math.max(bottom0, bottom1),
    counts,
    gap,
  };
}
