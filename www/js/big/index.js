// The big-run layer, fetched the first time a run has more arrows than the SVG draws well
// (diagram.js BIG_FROM): bursts whose arrows would fall within a few pixels fold into bands (SVG,
// bands.js), the other arrows go on a canvas (canvas.js), and the SVG holds only the arrow of the
// current step and the one under the pointer, as the same controls as a small run's arrows, and the
// marks and ticks near the window. Zooming in (zoom.js) spreads the bursts until they unfold.

import { fold } from './fold.js';
import { arrowCanvas } from './canvas.js';
import { toDiagram, inView, searchable } from './window.js';
import { drawBands } from './bands.js';
import { w } from './text.js';

export { bindZoom, showZoom } from './zoom.js';

/** Down the page, px between a band's arrows from which the pointer picks them one by one. */
const MEMBER_PX = 4;

/** Px above and below the window whose marks and ticks are kept in the SVG. */
const NEAR = 600;

/**
 * `items` are the run's flight items (flights.js), `lazy` its marks and ticks; `show(item)` and
 * `hide(item)` put one in the SVG and take it out, `drawn` is the set of those in it. Returns what
 * diagram.js's view calls (setTime, current, scrolled) and what zoom.js uses (screenY, timeAt).
 */
export function flightLayer({ svg, items, lazy, show: put, hide, drawn, x, size, Y, timeline }) {
  const { solos, folds } = fold(items, Y, x);
  const layer = svg.querySelector('.layer-flights');
  const bands = drawBands(layer, folds, size);
  const arrows = arrowCanvas(svg, solos, size);
  svg.dataset.arrows = String(solos.length);
  svg.dataset.folds = String(folds.length);
  if (folds.length) svg.setAttribute('aria-label', `${svg.getAttribute('aria-label')}. ${w('folded', folds.length)}`);
  const byKey = new Map(items.map((item) => [item.key, item]));
  let current = null;
  let hovered = null;
  let near = new Set(); // marks and ticks near the window
  let pointed = new Set(); // the arrows of the current step and under the pointer
  const show = () => {
    const wanted = new Set([current, hovered].filter(Boolean));
    for (const item of pointed) if (!wanted.has(item)) hide(item);
    for (const item of wanted) if (!drawn.has(item)) put(item);
    pointed = wanted;
  };
  const nearby = searchable(lazy);

  // The arrow under the pointer becomes an SVG control (a tap too: pointerdown comes before its click).
  const point = (ev) => {
    const hit = arrows.at(ev.clientX, ev.clientY) || memberAt(ev.clientX, ev.clientY);
    if (hit === hovered) return;
    hovered = hit;
    show();
  };
  // Inside a band whose arrows are far enough apart down the page to point at, the one under the pointer.
  const memberAt = (cx, cy) => {
    const [px, py] = toDiagram(svg, cx, cy);
    let best = null;
    let bestD = Infinity;
    for (const { band } of bands) {
      if (band.gap < MEMBER_PX || py < band.top || py > band.bottom) continue;
      for (const item of band.items) {
        const k = (px - item.x0) / (item.x1 - item.x0);
        if (!(k >= 0 && k <= 1)) continue;
        const d = Math.abs(py - (item.y0 + (item.y1 - item.y0) * k));
        if (d < bestD && d <= band.gap / 2) {
          best = item;
          bestD = d;
        }
      }
    }
    return best;
  };
  svg.addEventListener('pointermove', point);
  svg.addEventListener('pointerdown', point);
  svg.addEventListener('pointerleave', () => {
    hovered = null;
    show();
  });
  // A click on a band zooms in, about its middle, until its arrows are far enough apart down the page
  // to point at one by one (and, unless it was sent all at once, to unfold).
  svg.addEventListener('click', (ev) => {
    const node = ev.target.closest('.fold');
    const entry = node && bands.find((b) => b.node === node);
    if (!entry || ev.target.closest('.flight')) return;
    const { band } = entry;
    const middle = band.items[band.items.length >> 1].flight.departs;
    const factor = band.gap > 0 ? Math.max(2, (1.5 * MEMBER_PX) / band.gap) : Infinity;
    svg.dispatchEvent(new CustomEvent('twlab:zoom', { bubbles: true, detail: { zoom: timeline.zoom * factor, at: middle } }));
  });

  return {
    /** The arrows drawn on the canvas (an export draws them in the SVG instead). */
    solos,
    setTime(tUs, last) {
      for (const entry of bands) {
        const future = entry.band.event > last;
        if (future !== entry.future) {
          entry.future = future;
          entry.node.classList.toggle('is-future', future);
        }
      }
      arrows.setTime(tUs, last);
    },
    /** The arrow of the current step (`key`, or null) is shown in the SVG. */
    current(key) {
      const item = (key && byKey.get(key)) || null;
      if (item === current) return;
      current = item;
      show();
    },
    scrolled() {
      arrows.paint(true);
      const { top, bottom } = inView(svg, NEAR);
      const wanted = new Set(nearby(top, bottom));
      for (const item of near) if (!wanted.has(item)) hide(item);
      for (const item of wanted) if (!drawn.has(item)) put(item);
      near = wanted;
    },
    /** Where instant `tUs` is on screen (client px), and the instant at client y `y`. */
    screenY(tUs) {
      const [, top, scale] = toDiagram(svg, 0, 0);
      return (Y(tUs) - top) * scale;
    },
    timeAt(y) {
      return timeline.t(toDiagram(svg, 0, y)[1] - Y(0));
    },
  };
}
