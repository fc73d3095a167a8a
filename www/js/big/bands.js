// The folded bursts, in the SVG: each band an outline from the sender's lifeline to the receiver's,
// labelled with its segments, bytes, losses and retransmissions; a ✕ where each of its segments was
// lost and a ring where each retransmission left. A click on a band zooms in until it unfolds.

import { el, text, r, fit, textWidth } from '../drawing.js';
import { w } from './text.js';

export function drawBands(layer, folds, size) {
  return folds.map((band) => {
    const { xa, xb, top0, bottom0, top1, bottom1 } = band.quad;
    const { counts } = band;
    const parts = [w('segments', counts.segments)];
    const marks = [];
    if (counts.bytes) marks.push(w('bytes', counts.bytes));
    if (counts.lost) marks.push(w('lost', counts.lost));
    if (counts.retransmitted) marks.push(w('retransmitted', counts.retransmitted));
    const g = el('g', {
      class: `fold from-${band.from}${counts.lost ? ' has-loss' : ''}`,
      role: 'img',
      'aria-label': w('band', [...parts, ...marks].join(', ')),
      'data-segments': counts.segments,
      'data-bytes': counts.bytes,
      'data-lost': counts.lost,
      'data-retransmitted': counts.retransmitted,
      'data-first': band.key,
    }, layer);
    el('polygon', { points: `${r(xa)},${r(top0)} ${r(xb)},${r(top1)} ${r(xb)},${r(bottom1)} ${r(xa)},${r(bottom0)}`, class: 'fold-area' }, g);
    for (const item of band.items) {
      if (item.flight.seg.retransmission) el('circle', { cx: r(item.x0), cy: r(item.y0), r: 3, class: 'fold-rx' }, g);
      if (item.flight.end !== 'dropped') continue;
      const s = 5;
      const { x1, y1 } = item;
      el('path', { d: `M${r(x1 - s)} ${r(y1 - s)}L${r(x1 + s)} ${r(y1 + s)}M${r(x1 - s)} ${r(y1 + s)}L${r(x1 + s)} ${r(y1 - s)}`, class: 'lost-x' }, g);
    }
    // Along the band's middle, from near the sender (its losses are further on), reading left to
    // right; on a phone as far as it takes (the ✕ have a halo's room around the words).
    const span = Math.abs(xb - xa);
    const room = Math.min(span * 0.9, Math.max(span * 0.4, 120));
    const along = (room / 2 + 6) / span;
    const mx = xa + (xb - xa) * along;
    const my = (top0 + bottom0) / 2 + ((top1 + bottom1) / 2 - (top0 + bottom0) / 2) * along;
    let deg = (Math.atan2((top1 + bottom1 - top0 - bottom0) / 2, xb - xa) * 180) / Math.PI;
    if (deg > 90) deg -= 180;
    else if (deg < -90) deg += 180;
    const rotate = `rotate(${r(deg)} ${r(mx)} ${r(my)})`;
    // As few lines as fit: the count first, then bytes, losses and retransmissions.
    const lines = [];
    for (const part of [...parts, ...marks]) {
      const longer = lines.length ? `${lines.at(-1)} · ${part}` : part;
      if (lines.length && textWidth(longer, size, 0.7) <= room) lines[lines.length - 1] = longer;
      else lines.push(part);
    }
    lines.forEach((line, k) => {
      text(g, mx, my - 2 + k * (size + 2), fit(line, size, room, 0.7), { class: k ? 'fold-label fold-marks' : 'fold-label', 'text-anchor': 'middle', transform: rotate });
    });
    el('title', {}, g).textContent = w('band', [...parts, ...marks].join(', '));
    return { band, node: g, future: null };
  });
}
