// The sequence diagram: pure drawing from an analysed trace and a shared time axis to SVG elements.
// Client and server lifelines, time going down; each flight an arrow whose slope is its flight time;
// each side's states as labelled bands; timers beside the lifelines; application events as marks.
// The returned view only toggles classes and moves arrow heads as time passes (setTime) and marks the
// current step (highlight); a re-run or a zoom draws a new diagram. A big run's arrows are drawn by the
// big-run layer (big/, fetched on demand: bursts folded into bands, the rest on a canvas), with only
// the current and the hovered arrow in the SVG.

import { t, formatDuration } from './i18n.js';
import { ticks } from './timeline.js';
import { SIDES } from './trace.js';
import { BAND, STATE_CLASS, el, text, r, textWidth, fit } from './drawing.js';
import { drawFlights, progressFlight } from './flights.js';
import { drawTimers, drawMarks } from './marks.js';

const TOP = 64;
const BOTTOM = 30;
/** Past this many arrows a run is big: its arrows are the big-run layer's. */
export const BIG_FROM = 300;


/**
 * Draw one run. `model` comes from trace.analyse, `timeline` from timeline.buildTimeline (shared by
 * the runs shown together), `width` in CSS px; `big` is the big-run layer's module, once loaded (a big
 * run drawn without it has no arrows yet). `difference`: in a fork, the index of the first event not
 * shared with the other run (what comes before it is muted, it is marked). Returns the view.
 */
export function drawDiagram({ model, timeline, width, id, label, big, difference = null }) {
  const { trace } = model;
  // On a phone the arrows need the room: smaller type, RFC state names in their short forms.
  const narrow = width < 520;
  const size = narrow ? 9.5 : width >= 900 ? 12 : 11;
  // Room for the widest time label (a capture's microseconds need more than a lab's milliseconds).
  const axis = ticks(timeline);
  // (The first and last hundred: a zoomed-in run has thousands, their labels as wide as these.)
  const widest = Math.max(0, ...[...axis.slice(0, 100), ...axis.slice(-100)].map((tick) => textWidth(axisLabel(tick.t), size * 0.9)));
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
  text(layers.axis, gutter - 8, TOP - 14, t('s').trim(), { class: 'axis-unit', 'text-anchor': 'end' });

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
  // Arrows, marks and ticks: made when they are needed (a big run's near the window, see cull).
  // A big run waiting for its layer shows its lifelines, states and timers until it comes.
  const isBig = model.flights.length > BIG_FROM;
  const waiting = isBig && !big;
  const flights = waiting ? [] : drawFlights(model, x, size, Y, id, defs, timeline.zoom);
  for (const item of flights) item.layer = layers.flights;
  const lazy = waiting ? [] : [
    ...(isBig ? [] : flights),
    ...drawMarks(model, { x, side, size, Y, marksAt, short: narrow }).map((item) => ({ ...item, layer: layers.marks })),
    ...axis.map((tick) => axisTick(tick.t, gutter, size * 0.9, Y(tick.t), layers.axis)),
  ];

  // A fork: what both runs share is muted, where they part is marked.
  const partKey = difference == null ? null : model.owner[difference]?.key;
  const part = (item) => {
    if (difference == null) return;
    item.node.classList.toggle('is-shared', item.event < difference);
    if (partKey && item.key === partKey) item.node.classList.add('is-difference');
  };
  items.forEach(part);

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

  // Arrows, marks and ticks in the DOM: all of them, or for a big run those its layer asks for.
  const drawn = new Set();
  const show = (item) => {
    item.node = item.make();
    item.line = item.node.querySelector('.wire');
    item.partial = false;
    item.layer.appendChild(item.node);
    drawn.add(item);
    part(item);
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
  if (!isBig) lazy.forEach(show);
  // A big run: its layer draws the arrows, and keeps in the SVG the marks and ticks near the window
  // and the arrows of the current step and under the pointer.
  const layer = isBig && !waiting ? big.flightLayer({ svg, items: flights, lazy, show, hide, drawn, x, size, Y, timeline }) : null;
  if (isBig) svg.dataset.big = layer ? 'drawn' : 'waiting';

  const view = {
    svg,
    height,
    /** Whether this run's arrows wait for the big-run layer (runs.js fetches it, then draws again). */
    waiting,
    /** The big-run layer that draws its arrows, if it does. */
    big: layer,
    /** Show what has happened by virtual time `tUs` and event `last` (-1: nothing yet). */
    setTime(tUs, last) {
      now = { tUs, last, yNow: Y(tUs) };
      cursor.setAttribute('y1', r(now.yNow));
      cursor.setAttribute('y2', r(now.yNow));
      for (const item of items) update(item);
      for (const item of drawn) update(item);
      layer?.setTime(tUs, last);
    },
    /** `fn()` with every arrow, mark and tick in the SVG (an export draws them all), then as before. */
    whole(fn) {
      const extra = [...lazy, ...(layer?.solos || [])].filter((item) => !drawn.has(item));
      extra.forEach(show);
      try {
        return fn();
      } finally {
        extra.forEach(hide);
      }
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
      layer?.current(currentKey);
      for (const item of drawn) {
        if (item.key === currentKey) {
          item.node.classList.add('is-current');
          current.push(item.node);
        }
      }
      return current[0] || null;
    },
    /** The page scrolled or resized (a big run keeps in the SVG only what is near the window). */
    cull() {
      if (svg.isConnected) layer?.scrolled();
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

/** One tick of the time axis, as a lazy item (a zoomed-in run has thousands). */
function axisTick(us, gutter, size, y, layer) {
  const make = () => {
    const g = el('g', {});
    el('line', { x1: gutter - 4, x2: gutter, y1: r(y), y2: r(y), class: 'tick' }, g);
    text(g, gutter - 7, y + size * 0.35, axisLabel(us), { class: 'axis-label', 'text-anchor': 'end' });
    return g;
  };
  return { make, layer, event: -1, kind: 'tick', top: y - size, bottom: y + size };
}


function axisLabel(us) {
  const s = us / 1e6;
  if (s === 0) return '0';
  // As many decimals as the tick needs: a capture on loopback ticks in microseconds.
  const digits = [1e6, 1e5, 1e4, 1e3, 1e2, 10].findIndex((unit) => us % unit === 0);
  return s.toFixed(digits < 0 ? 6 : digits);
}
