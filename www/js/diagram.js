// The sequence diagram: pure drawing from an analysed trace and a shared time axis to SVG elements.
// Client and server lifelines, time going down; each flight an arrow whose slope is its flight time;
// each side's states as labelled bands; timers beside the lifelines; application events as marks.
// The returned view only toggles classes and moves arrow heads as time passes (setTime) and marks the
// current step (highlight); a re-run draws a new diagram.

import { t, formatDuration } from './i18n.js';
import { ticks } from './timeline.js';
import { SIDES } from './trace.js';
import { BAND, STATE_CLASS, el, text, r, textWidth, fit } from './drawing.js';
import { drawFlights, progressFlight } from './flights.js';
import { drawTimers, drawMarks } from './marks.js';

const TOP = 64;
const BOTTOM = 30;
/** Past this many arrows and marks only those near the window are in the DOM (made and dropped on scroll). */
const CULL_FROM = 400;
const CULL_MARGIN = 600; // px above and below the window kept drawn


/**
 * Draw one run. `model` comes from trace.analyse, `timeline` from timeline.buildTimeline (shared by
 * the runs shown together), `width` in CSS px. Returns the view.
 */
export function drawDiagram({ model, timeline, width, id, label }) {
  const { trace } = model;
  // On a phone the arrows need the room: smaller type, RFC state names in their short forms.
  const narrow = width < 520;
  const size = narrow ? 9.5 : width >= 900 ? 12 : 11;
  // Room for the widest time label (a capture's microseconds need more than a lab's milliseconds).
  const widest = Math.max(0, ...ticks(timeline).map((tick) => textWidth(axisLabel(tick.t), size * 0.9)));
  const gutter = Math.max(narrow ? 31 : 46, Math.ceil(widest) + 12);
  const side = narrow ? Math.max(90, Math.min(110, width * 0.25)) : Math.max(100, Math.min(172, width * 0.22));
  const marksAt = narrow ? 21 : 28; // labels beside a lifeline start this far out
  const x = { client: gutter + side, server: width - side };
  const height = TOP + timeline.height + BOTTOM;
  const Y = (us) => TOP + timeline.y(us);

  const svg = el('svg', {
    class: 'diagram',
    viewBox: `0 0 ${width} ${r(height)}`,
    width,
    height: r(height),
    role: 'group',
    'font-size': size,
    'aria-label': label,
    'data-run': id,
  });
  const defs = el('defs', {}, svg);
  const hatch = el('pattern', { id: `${id}-tw`, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, defs);
  el('rect', { width: 6, height: 6, class: 'tw-fill' }, hatch);
  el('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'tw-hatch' }, hatch);

  const layers = {};
  for (const name of ['breaks', 'axis', 'lifelines', 'dividers', 'bands', 'timers', 'flights', 'marks', 'cursor']) {
    layers[name] = el('g', { class: `layer-${name}` }, svg);
  }

  drawBreaks(layers.breaks, timeline, width, gutter, size, Y);
  drawAxis(layers.axis, timeline, gutter, size * 0.9, Y);

  // Lifelines and their heads.
  const conn0 = trace.connections[0];
  // `10.0.0.1:80`, `[::1]:80`: an IPv6 address is bracketed before its port.
  const at = (ip, port) => (conn0 ? `${ip.includes(':') ? `[${ip}]` : ip}:${port}` : ip);
  const heads = {
    client: [model.head?.('client') ?? t('Client'), at(trace.client_ip, conn0?.client_port)],
    server: [model.head?.('server') ?? t('Server'), at(trace.server_ip, conn0?.server_port)],
  };
  for (const s of SIDES) {
    el('line', { x1: x[s], y1: TOP - 8, x2: x[s], y2: r(height - 8), class: 'lifeline' }, layers.lifelines);
    const boxW = Math.min(side * 1.5, narrow ? 104 : 150);
    el('rect', { x: r(x[s] - boxW / 2), y: 8, width: r(boxW), height: 40, rx: 7, class: `head head-${s}` }, layers.lifelines);
    text(layers.lifelines, x[s], 25, heads[s][0], { class: 'head-name', 'text-anchor': 'middle' });
    text(layers.lifelines, x[s], 40, heads[s][1], { class: 'head-addr', 'text-anchor': 'middle' });
  }

  // A new incarnation of the same socket pair: say so where it starts.
  for (const c of trace.connections.slice(1)) {
    const first = trace.events.find((e) => e.conn === c.id);
    if (!first) continue;
    const y = Y(first.at);
    el('line', { x1: x.client, y1: r(y), x2: x.server, y2: r(y), class: 'divider' }, layers.dividers);
    const samePorts = c.client_port === trace.connections[0].client_port;
    const words = `${t('connection', c.id)} · ${samePorts ? t('samePorts') : t('fromPort', c.client_port)}`;
    // Above the line by the client, where the new SYN leaves downward: clear of its label.
    text(layers.dividers, x.client + BAND + 8, y - 5, fit(words, size * 0.9, (x.server - x.client) * 0.8, 0.7), {
      class: 'divider-label',
    });
  }

  const items = []; // everything that appears at its event: { node, event, ... }
  const byKey = new Map();
  const remember = (key, node) => {
    if (!key) return;
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key).push(node);
  };

  // State bands along the lifelines.
  for (const s of SIDES) {
    for (const band of model.bands[s]) {
      if (band.state === 'CLOSED') continue;
      const y0 = Y(band.t0);
      const y1 = Y(band.t1 ?? trace.end);
      const cls = STATE_CLASS[band.state] || 'other';
      const rect = el('rect', {
        x: x[s] - BAND,
        y: r(y0),
        width: BAND * 2,
        height: r(Math.max(1.5, y1 - y0)),
        rx: 2,
        class: `band band-${cls}`,
        fill: cls === 'tw' ? `url(#${id}-tw)` : null,
      }, layers.bands);
      items.push({ node: rect, event: band.event, kind: 'band', y0, y1, t0: band.t0, t1: band.t1 ?? trace.end });
      remember(`mark-${band.event}`, rect);
    }
  }

  drawTimers(layers.timers, model, x, size, Y, items, remember);
  // Arrows and marks: made when they are needed (see cull).
  const lazy = [
    ...drawFlights(model, x, size, Y, id, defs).map((item) => ({ ...item, layer: layers.flights })),
    ...drawMarks(model, { x, side, size, Y, marksAt, short: narrow }).map((item) => ({ ...item, layer: layers.marks })),
  ];

  // The current instant.
  const cursor = el('line', { x1: gutter, x2: width - 4, y1: TOP, y2: TOP, class: 'cursor' }, layers.cursor);

  let current = [];
  let currentKey = null;
  let now = null; // the last setTime: { tUs, last, yNow }

  /** One item as of `now`: shown or still to come, and how far it has got. */
  const update = (item) => {
    const { tUs, last, yNow } = now;
    const future = item.event > last;
    item.node.classList.toggle('is-future', future);
    if (item.kind === 'flight') progressFlight(item, tUs, last, Y);
    else if (item.kind === 'band' || item.kind === 'timer') {
      const done = item.t1 <= tUs || (item.endEvent != null && item.endEvent >= 0 && item.endEvent <= last);
      const y1 = future ? item.y1 : done ? item.y1 : Math.min(item.y1, Math.max(item.y0, yNow));
      // Only what changed: each attribute set makes the browser lay out and paint the diagram again.
      const end = item.kind === 'band' ? r(Math.max(1.5, y1 - item.y0)) : r(y1);
      if (end !== item.shown) {
        item.shown = end;
        if (item.kind === 'band') item.node.setAttribute('height', end);
        else item.line.setAttribute('y2', end);
      }
    }
  };

  // Arrows and marks in the DOM: all of them, or for a big run those near the window (see cull).
  const drawn = new Set();
  const show = (item) => {
    item.node = item.make();
    item.line = item.node.querySelector('.wire');
    item.partial = false;
    item.layer.appendChild(item.node);
    drawn.add(item);
    if (now) update(item);
    if (item.key === currentKey) {
      item.node.classList.add('is-current');
      current.push(item.node);
    }
  };
  const hide = (item) => {
    item.node.remove();
    item.node = null;
    item.line = null;
    drawn.delete(item);
  };
  const culled = lazy.length > CULL_FROM;
  if (!culled) lazy.forEach(show);
  // By top edge, to find what is in a band of the diagram; `reach` is the tallest item.
  const byTop = culled ? [...lazy].sort((a, b) => a.top - b.top) : [];
  const reach = byTop.reduce((m, a) => Math.max(m, a.bottom - a.top), 0);

  const view = {
    svg,
    height,
    /** Show what has happened by virtual time `tUs` and event `last` (-1: nothing yet). */
    setTime(tUs, last) {
      now = { tUs, last, yNow: Y(tUs) };
      cursor.setAttribute('y1', r(now.yNow));
      cursor.setAttribute('y2', r(now.yNow));
      for (const item of items) update(item);
      for (const item of drawn) update(item);
    },
    /** Mark what event `i` is about (an arrow, a band and its label, a timer, a mark). */
    highlight(i) {
      for (const node of current) node.classList.remove('is-current');
      current = [];
      const owner = i >= 0 ? model.owner[i] : null;
      currentKey = owner?.key ?? null;
      for (const node of (owner && byKey.get(owner.key)) || []) {
        node.classList.add('is-current');
        current.push(node);
      }
      for (const item of drawn) {
        if (item.key === currentKey) {
          item.node.classList.add('is-current');
          current.push(item.node);
        }
      }
      return current[0] || null;
    },
    /**
     * A big run keeps only the arrows and marks within CULL_MARGIN of the window in the DOM: call this once
     * the diagram is in the page, and when the page scrolls or resizes.
     */
    cull() {
      if (!culled || !svg.isConnected) return;
      const box = svg.getBoundingClientRect();
      const scale = box.height / height || 1;
      const top = (-box.top - CULL_MARGIN) / scale;
      const bottom = (window.innerHeight - box.top + CULL_MARGIN) / scale;
      let lo = 0;
      let hi = byTop.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (byTop[mid].top < top - reach) lo = mid + 1;
        else hi = mid;
      }
      const wanted = new Set();
      for (let i = lo; i < byTop.length && byTop[i].top <= bottom; i++) {
        if (byTop[i].bottom >= top) wanted.add(byTop[i]);
      }
      for (const item of drawn) if (!wanted.has(item)) hide(item);
      for (const item of wanted) if (!drawn.has(item)) show(item);
    },
  };
  return view;
}

function drawBreaks(layer, timeline, width, gutter, size, Y) {
  for (const b of timeline.breaks) {
    const y0 = Y(b.t0);
    const y1 = Y(b.t1);
    const mid = (y0 + y1) / 2;
    el('rect', { x: gutter - 6, y: r(y0 + 6), width: r(width - gutter + 2), height: r(Math.max(0, y1 - y0 - 12)), class: 'break-band' }, layer);
    for (const yy of [mid - 5, mid + 5]) {
      let d = `M${gutter - 6} ${r(yy)}`;
      for (let xx = gutter - 6, up = true; xx < width; xx += 8, up = !up) d += ` L${xx + 8} ${r(yy + (up ? -4 : 4))}`;
      el('path', { d, class: 'break-zigzag' }, layer);
    }
    const words = t('compressed', formatDuration(b.t1 - b.t0));
    const w = textWidth(words, size * 0.95) + 16;
    const cx = (gutter + width) / 2;
    el('rect', { x: r(cx - w / 2), y: r(mid - 10), width: r(w), height: 20, rx: 10, class: 'break-pill' }, layer);
    text(layer, cx, mid + 4, words, { class: 'break-label', 'text-anchor': 'middle' });
  }
}

function drawAxis(layer, timeline, gutter, size, Y) {
  text(layer, gutter - 8, TOP - 14, t('s').trim(), { class: 'axis-unit', 'text-anchor': 'end' });
  for (const tick of ticks(timeline)) {
    const y = Y(tick.t);
    el('line', { x1: gutter - 4, x2: gutter, y1: r(y), y2: r(y), class: 'tick' }, layer);
    text(layer, gutter - 7, y + size * 0.35, axisLabel(tick.t), { class: 'axis-label', 'text-anchor': 'end' });
  }
}

function axisLabel(us) {
  const s = us / 1e6;
  if (s === 0) return '0';
  // As many decimals as the tick needs: a capture on loopback ticks in microseconds.
  const digits = [1e6, 1e5, 1e4, 1e3, 1e2, 10].findIndex((unit) => us % unit === 0);
  return s.toFixed(digits < 0 ? 6 : digits);
}
