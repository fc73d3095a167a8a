// A big run's arrows on one canvas: only the slice of the diagram near the window, redrawn when the
// player moves or the page scrolls, each style (sent or still to come; plain, lost, expired, stale,
// reset) stroked as one path. Labels go where they do not overlap the previous one on that side.
// Hit-testing finds the arrow under a point, so that the SVG can show that one arrow as a control.

import { fit } from '../drawing.js';
import { toDiagram, inView, searchable } from './window.js';

const MARGIN = 100; // px drawn above and below the window, so that a small scroll need not resize it
const HIT = 8; // px from an arrow that still counts as on it

export function arrowCanvas(svg, solos, size) {
  const canvas = document.createElement('canvas');
  canvas.className = 'arrows-canvas';
  canvas.setAttribute('aria-hidden', 'true');
  const within = searchable(solos);
  labelRoom(solos, size);
  let slice = null; // { top, bottom } of the diagram the canvas covers
  let now = { tUs: 0, last: -1 };
  let colors = null; // the theme's, read once the SVG is styled
  let font = '';

  let scale = 1;

  /**
   * Draw the arrows near the window; `measure` (after a scroll or a redraw, when the page is laid
   * out) moves the canvas with the window. The player's frames do not measure: that would make the
   * browser lay out the page they just changed.
   */
  function paint(measure) {
    if (!svg.isConnected) return;
    // Under the SVG, once the SVG is in the page.
    if (canvas.nextSibling !== svg) svg.before(canvas);
    const width = Number(svg.getAttribute('width'));
    const height = Number(svg.getAttribute('height'));
    const ratio = devicePixelRatio || 1;
    const { top, bottom } = measure || !slice ? inView(svg, 0) : slice;
    if (!slice || top < slice.top || bottom > slice.bottom) {
      const box = svg.getBoundingClientRect();
      scale = box.height / height || 1;
      slice = { top: Math.max(0, top - MARGIN), bottom: Math.min(height, bottom + MARGIN) };
      canvas.width = Math.ceil(width * scale * ratio);
      canvas.height = Math.ceil((slice.bottom - slice.top) * scale * ratio);
      canvas.style.width = `${width * scale}px`;
      canvas.style.height = `${(slice.bottom - slice.top) * scale}px`;
      const wrap = svg.parentNode.getBoundingClientRect();
      canvas.style.top = `${box.top - wrap.top + slice.top * scale}px`;
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio * scale, 0, 0, ratio * scale, 0, -slice.top * ratio * scale);
    ctx.clearRect(0, slice.top, width, slice.bottom - slice.top);
    if (!colors) {
      const style = getComputedStyle(svg);
      colors = {};
      for (const name of ['--ink', '--alarm', '--surface', '--oi-vermillion']) colors[name] = style.getPropertyValue(name).trim() || '#000';
      font = style.fontFamily;
    }
    const color = (name) => colors[name];
    const ink = color('--ink');
    const styles = new Map();
    for (const item of within(slice.top, slice.bottom)) {
      const key = `${item.event > now.last ? 'future' : 'past'} ${kind(item)}`;
      if (!styles.has(key)) styles.set(key, []);
      styles.get(key).push(item);
    }
    for (const [key, items] of styles) {
      const [when, what] = key.split(' ');
      ctx.globalAlpha = when === 'future' ? 0.12 : 1;
      ctx.strokeStyle = what === 'stale' ? color('--oi-vermillion') : ink;
      ctx.fillStyle = ink;
      ctx.lineWidth = what === 'stale' ? 2.6 : what === 'expired' ? 2 : 1.6;
      ctx.setLineDash(DASH[what] || []);
      ctx.beginPath();
      const heads = [];
      for (const item of items) {
        const frac = when === 'future' ? 1 : progress(item, now);
        ctx.moveTo(item.x0, item.y0);
        ctx.lineTo(item.x0 + (item.x1 - item.x0) * frac, item.y0 + (item.y1 - item.y0) * frac);
        if (frac === 1) heads.push(item);
      }
      ctx.stroke();
      ctx.setLineDash([]);
      drawHeads(ctx, heads, color);
      drawLabels(ctx, items, size, font, color);
    }
    ctx.globalAlpha = 1;
  }

  return {
    canvas,
    count: solos.length,
    paint,
    setTime(tUs, last) {
      now = { tUs, last };
      paint(false);
    },
    /** The arrow within HIT px of client point (cx, cy), or null. */
    at(cx, cy) {
      const [px, py] = toDiagram(svg, cx, cy);
      let best = null;
      let bestD = HIT;
      for (const item of within(py - HIT, py + HIT)) {
        const d = distance(px, py, item);
        if (d < bestD) {
          best = item;
          bestD = d;
        }
      }
      return best;
    },
  };
}

const DASH = { lost: [6, 4], expired: [2, 3], stale: [9, 3, 1.5, 3] };

function kind({ flight }) {
  if (flight.staleIn != null) return 'stale';
  if (flight.end === 'dropped') return 'lost';
  if (flight.end === 'expired') return 'expired';
  return 'plain';
}

/** How much of an arrow is drawn at the player's place (as flights.js's progressFlight). */
function progress(item, { tUs, last }) {
  if (item.endEvent >= 0 && item.endEvent <= last) return 1;
  if (item.ends <= item.departs) return 0.985;
  return Math.max(0, Math.min(0.985, (tUs - item.departs) / (item.ends - item.departs)));
}

function drawHeads(ctx, items, color) {
  ctx.beginPath();
  for (const item of items) {
    if (item.flight.end !== 'delivered') continue;
    const angle = Math.atan2(item.y1 - item.y0, item.x1 - item.x0);
    const bx = item.x1 - 9 * Math.cos(angle);
    const by = item.y1 - 9 * Math.sin(angle);
    const px = 4.2 * Math.sin(angle);
    const py = -4.2 * Math.cos(angle);
    ctx.moveTo(item.x1, item.y1);
    ctx.lineTo(bx + px, by + py);
    ctx.lineTo(bx - px, by - py);
    ctx.closePath();
  }
  ctx.fill();
  ctx.beginPath();
  for (const item of items) {
    if (item.flight.end !== 'dropped') continue;
    const s = 6;
    ctx.moveTo(item.x1 - s, item.y1 - s);
    ctx.lineTo(item.x1 + s, item.y1 + s);
    ctx.moveTo(item.x1 - s, item.y1 + s);
    ctx.lineTo(item.x1 + s, item.y1 - s);
  }
  ctx.save();
  ctx.strokeStyle = color('--alarm');
  ctx.lineWidth = 2.6;
  ctx.lineCap = 'round';
  ctx.stroke();
  ctx.restore();
  ctx.beginPath();
  for (const item of items) {
    if (item.flight.end !== 'expired') continue;
    ctx.moveTo(item.x1 + 2.5, item.y1);
    ctx.arc(item.x1, item.y1, 2.5, 0, Math.PI * 2);
  }
  ctx.fill();
}

/**
 * Which arrows get a label: going down the diagram, one whose label would not overlap an earlier one
 * (labels sit a little before the middle, toward the sender, so the two directions' meet); first the
 * SYNs, FINs and RSTs, whose words matter most, then the rest.
 */
function labelRoom(items, size) {
  const fixed = []; // where the SYNs', FINs' and RSTs' labels are
  let last = -Infinity; // the last other label down the page
  const control = (item) => item.flight.seg.flags.some((flag) => flag !== 'ACK');
  const order = [...items].sort((a, b) => control(b) - control(a) || a.y0 - b.y0);
  for (const item of order) {
    const along = 0.44;
    const my = item.y0 + (item.y1 - item.y0) * along;
    const length = Math.hypot(item.x1 - item.x0, item.y1 - item.y0);
    // Apart across the arrows, not down the page: steep arrows' labels need more room down it.
    const room = (size * 1.6 * length) / Math.abs(item.x1 - item.x0);
    const clash = (y) => Math.abs(my - y) < room;
    item.label = null;
    if (fixed.some(clash) || clash(last)) continue;
    if (control(item)) fixed.push(my);
    else last = my;
    item.label = {
      words: null, // fitted to the arrow when first drawn
      room: Math.max(24, length - 14),
      x: item.x0 + (item.x1 - item.x0) * along,
      y: my,
      angle: readable(Math.atan2(item.y1 - item.y0, item.x1 - item.x0)),
    };
  }
}

function readable(angle) {
  if (angle > Math.PI / 2) return angle - Math.PI;
  if (angle < -Math.PI / 2) return angle + Math.PI;
  return angle;
}

function drawLabels(ctx, items, size, family, color) {
  ctx.font = `650 ${size}px ${family}`;
  ctx.textAlign = 'center';
  ctx.lineJoin = 'round';
  ctx.lineWidth = 3;
  ctx.strokeStyle = color('--surface');
  ctx.fillStyle = color('--ink');
  for (const item of items) {
    if (!item.label) continue;
    item.label.words ??= fit(item.words, size, item.label.room, 0.7);
    const { words, x, y, angle } = item.label;
    ctx.save();
    ctx.translate(x, y);
    ctx.rotate(angle);
    ctx.strokeText(words, 0, -5);
    ctx.fillText(words, 0, -5);
    ctx.restore();
  }
}

function distance(px, py, { x0, y0, x1, y1 }) {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const k = Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (x0 + dx * k), py - (y0 + dy * k));
}
