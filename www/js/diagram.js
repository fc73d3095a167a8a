// The sequence diagram: pure drawing from an analysed trace and a shared time axis to SVG elements.
// Client and server lifelines, time going down; each flight an arrow whose slope is its flight time;
// each side's states as labelled bands; timers beside the lifelines; application events as marks.
// The returned view only toggles classes and moves arrow heads as time passes (setTime) and marks the
// current step (highlight); a re-run draws a new diagram.

import { t, formatDuration } from './i18n.js';
import { ticks } from './timeline.js';
import { flagsText, SIDES } from './trace.js';
import { describeSegment, durationUs } from './narration.js';

const NS = 'http://www.w3.org/2000/svg';
const TOP = 64;
const BOTTOM = 30;
const BAND = 5; // half the width of a state band
const LANE = 12; // timers run this far outside the lifeline
const PARALLEL = 11; // px between arrows sent together
const PARALLEL_SPAN = 44; // at most, for a whole window of segments sent at once
/** Past this many arrows and marks only those near the window are in the DOM (made and dropped on scroll). */
const CULL_FROM = 400;
const CULL_MARGIN = 600; // px above and below the window kept drawn

function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const k in attrs) if (attrs[k] != null) node.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(node);
  return node;
}

function text(parent, x, y, content, attrs = {}) {
  const node = el('text', { x: r(x), y: r(y), ...attrs }, parent);
  node.textContent = content;
  return node;
}

const r = (x) => Math.round(x * 10) / 10;

// Labels are measured with a canvas in the page's own font (no DOM layout needed), so they can be
// shortened or wrapped to fit their column whatever fonts the reader has.
let measurer = null;
let family = '';
const widths = new Map();

/** Width in px of `s` at `size` px; `em` > 0.6 asks for bold. */
function textWidth(s, size, em = 0.58) {
  const weight = em > 0.6 ? 700 : 400;
  const key = `${weight}:${size}:${s}`;
  let w = widths.get(key);
  if (w !== undefined) return w;
  if (!measurer) {
    measurer = document.createElement('canvas').getContext('2d');
    family = getComputedStyle(document.body).fontFamily || 'sans-serif';
  }
  if (measurer) {
    measurer.font = `${weight} ${size}px ${family}`;
    w = measurer.measureText(s).width;
  } else {
    w = 0;
    for (const ch of s) w += ch.codePointAt(0) > 0x2e80 ? size : size * em;
  }
  if (widths.size > 5000) widths.clear();
  widths.set(key, w);
  return w;
}

/** `s`, shortened with an ellipsis to fit `max` px (`em` > 0.6: bold). */
function fit(s, size, max, em) {
  if (textWidth(s, size, em) <= max) return s;
  const chars = Array.from(s);
  // The longest start (one character at least) that fits with the ellipsis, found by halving.
  let lo = 1;
  let hi = chars.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (textWidth(`${chars.slice(0, mid).join('')}…`, size, em) <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('')}…`;
}

/** At most two lines of at most `max` px, broken between words; the rest is cut with an ellipsis. */
function wrap(s, size, max, em) {
  if (textWidth(s, size, em) <= max) return [s];
  const words = s.split(' ');
  let first = '';
  while (words.length > 1 && textWidth(`${first}${first ? ' ' : ''}${words[0]}`, size, em) <= max) {
    first += `${first ? ' ' : ''}${words.shift()}`;
  }
  if (!first) return [fit(s, size, max, em)];
  return [first, fit(words.join(' '), size, max, em)];
}

const STATE_CLASS = {
  LISTEN: 'listen',
  'SYN-SENT': 'open',
  'SYN-RECEIVED': 'open',
  ESTABLISHED: 'est',
  'FIN-WAIT-1': 'closing',
  'FIN-WAIT-2': 'closing',
  CLOSING: 'closing',
  'CLOSE-WAIT': 'closing',
  'LAST-ACK': 'closing',
  'TIME-WAIT': 'tw',
  CLOSED: 'closed',
};

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
    client: [t('Client'), at(trace.client_ip, conn0?.client_port)],
    server: [t('Server'), at(trace.server_ip, conn0?.server_port)],
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
    const words = `${t('connection', c.id)} · ${t('samePorts')}`;
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

function drawTimers(layer, model, x, size, Y, items, remember) {
  for (const span of model.timers) {
    const outward = span.side === 'client' ? -1 : 1;
    const lane = x[span.side] + outward * (span.timer === 'delayed_ack' ? LANE - 4 : LANE);
    const y0 = Y(span.t0);
    const y1 = Y(span.t1);
    const g = el('g', { class: `timer timer-${span.timer}${span.restart ? ' timer-restart' : ''}` }, layer);
    const line = el('line', { x1: r(lane), x2: r(lane), y1: r(y0), y2: r(y1), class: 'timer-line' }, g);
    el('line', { x1: r(lane - 3), x2: r(lane + 3), y1: r(y0), y2: r(y0), class: 'timer-cap' }, g);
    if (span.endedBy === 'fired') el('circle', { cx: r(lane), cy: r(y1), r: 3.2, class: 'timer-fired' }, g);
    else el('line', { x1: r(lane - 3), x2: r(lane + 3), y1: r(y1), y2: r(y1), class: 'timer-cap' }, g);
    if (span.restart) {
      el('circle', { cx: r(lane), cy: r(y0), r: 4.2, class: 'timer-restart-mark' }, g);
    }
    const length = formatDuration(span.expires - span.t0);
    const name = span.timer === 'time_wait'
      ? span.restart ? t('twRestart') : `${t('tw')} = ${length}`
      : span.timer === 'retransmit' ? `${t('rto')} ${length}`
      : span.timer === 'fin_wait_2' ? `${t('finWait2')} ${length}` : t('delayedAck');
    const room = y1 - y0 - 8;
    const small = size * 0.86;
    if (room > textWidth(name, small, 0.7)) {
      const tx = lane + outward * 6 + (outward < 0 ? 0 : small * 0.7);
      const ty = (y0 + y1) / 2;
      text(g, tx, ty, name, {
        class: 'timer-label',
        'text-anchor': 'middle',
        transform: `rotate(-90 ${r(tx)} ${r(ty)})`,
      });
    }
    el('title', {}, g).textContent = `${name} (${span.side})`;
    items.push({ node: g, line, event: span.event, endEvent: span.endEvent, kind: 'timer', y0, y1, t0: span.t0, t1: span.t1 });
    remember(span.key, g);
  }
}

/** How long the flight would have taken had it arrived: the span its arrow covers from side to side. */
function fullFlight(seg, flight, params) {
  const delay = durationUs(params.delay);
  const fate = seg.fate;
  if (fate && fate.delay) return delay + durationUs(fate.delay);
  if (fate && fate.duplicate && flight.copy) return delay + durationUs(fate.duplicate);
  return delay;
}

/** Every flight's arrow, as { key, top, bottom, make() -> <g> } plus what setTime needs. */
function drawFlights(model, x, size, Y, id, defs) {
  const { trace } = model;
  // Arrows that leave together and land together run parallel, a few px apart.
  const groups = new Map();
  for (const f of model.flights) {
    const k = `${f.seg.from}:${f.departs}:${f.ends}:${f.end}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(f);
  }
  // Each direction's flights by departure, to find the arrows that cross one without trying them all.
  const byDeparture = { client: [], server: [] };
  for (const f of model.flights) byDeparture[f.seg.from].push(f);
  for (const list of Object.values(byDeparture)) list.sort((a, b) => a.departs - b.departs);
  const out = [];
  for (const group of groups.values()) {
    group.forEach((f, k) => {
      const offset = (k - (group.length - 1) / 2) * Math.min(PARALLEL, PARALLEL_SPAN / Math.max(1, group.length - 1));
      const from = f.seg.from;
      const to = from === 'client' ? 'server' : 'client';
      const dir = to === 'server' ? 1 : -1;
      const xa = x[from] + dir * (BAND + 1);
      const xb = x[to] - dir * (BAND + 2);
      const frac = f.end === 'delivered' ? 1 : Math.min(1, (f.ends - f.departs) / fullFlight(f.seg, f, trace.params));
      const x0 = xa;
      const y0 = Y(f.departs) + offset;
      const x1 = xa + (xb - xa) * frac;
      const y1 = Y(f.ends) + offset;
      const classes = ['flight', `from-${from}`];
      if (f.end === 'dropped') classes.push('lost');
      if (f.end === 'expired') classes.push('expired');
      if (f.staleIn != null) classes.push('stale');
      if (f.orphan) classes.push('orphan');
      if (f.seg.flags.includes('RST')) classes.push('rst');
      if (f.seg.fate) classes.push('has-fate');
      const segName = t('segmentName', t(from), f.seg.nth, f.seg.conn, flagsText(f.seg));
      const notes = [];
      if (f.seg.retransmission) notes.push(t('retransmission'));
      if (f.copy) notes.push(`${t('copy')} +${formatDuration(durationUs(f.seg.fate.duplicate))}`);
      if (f.end === 'dropped') notes.push(t('lost'));
      if (f.end === 'expired') notes.push(t('expired'));
      if (f.staleIn != null) notes.push(t('staleMark', f.seg.conn));
      if (f.orphan) notes.push(t('noConnection'));
      let faded = false; // the expired arrow's gradient is in <defs>
      const make = () => {
        const g = el('g', {
          class: classes.join(' '),
          tabindex: 0,
          role: 'button',
          'data-seg': f.segKey,
          'data-conn': f.seg.conn,
          'data-from': from,
          'data-nth': f.seg.nth,
          'data-copy': f.copy ? 'true' : 'false',
          'data-end': f.end,
          // A toggle: pressed when the reader (or the scenario) gave this segment a fate.
          'aria-pressed': f.seg.fate ? 'true' : 'false',
          'aria-describedby': 'changes-hint',
        });
        const described = `${segName}: ${describeSegment(f.seg)}${notes.length ? `, ${notes.join(', ')}` : ''}`;
        el('line', { x1: r(x0), y1: r(y0), x2: r(x1), y2: r(y1), class: 'hit' }, g);
        let stroke = null;
        if (f.end === 'expired' && !faded) {
          faded = true;
          const grad = el('linearGradient', {
            id: `${id}-fade-${f.key}`,
            gradientUnits: 'userSpaceOnUse',
            x1: r(x0), y1: r(y0), x2: r(x1), y2: r(y1),
          }, defs);
          el('stop', { offset: 0, class: 'fade-stop', 'stop-opacity': 1 }, grad);
          el('stop', { offset: 0.55, class: 'fade-stop', 'stop-opacity': 0.75 }, grad);
          el('stop', { offset: 1, class: 'fade-stop', 'stop-opacity': 0 }, grad);
        }
        if (f.end === 'expired') stroke = `url(#${id}-fade-${f.key})`;
        const line = el('line', { x1: r(x0), y1: r(y0), x2: r(x1), y2: r(y1), class: 'wire' }, g);
        // The fade is per arrow; set through the CSSOM so that it wins over the stylesheet's stroke.
        if (stroke) line.style.stroke = stroke;
        const angle = Math.atan2(y1 - y0, x1 - x0);
        if (f.end === 'delivered') {
          el('polygon', { points: headPoints(x1, y1, angle), class: 'head-arrow' }, g);
        } else if (f.end === 'dropped') {
          const s = 6;
          el('path', { d: `M${r(x1 - s)} ${r(y1 - s)}L${r(x1 + s)} ${r(y1 + s)}M${r(x1 - s)} ${r(y1 + s)}L${r(x1 + s)} ${r(y1 - s)}`, class: 'lost-x' }, g);
        } else {
          el('circle', { cx: r(x1), cy: r(y1), r: 2.5, class: 'expired-dot' }, g);
        }
        // Labels along the arrow: flags and numbers above, payload and notes below. Arrows sent
        // together share the space: the upper one is labelled above, the lower one below.
        const length = Math.hypot(x1 - x0, y1 - y0) - 14;
        // A little before the middle, toward the sender, so that arrows that cross keep their labels
        // apart; nearer the sender still when the two sides send at the same time (the FINs of a
        // simultaneous close).
        const crossing = crosses(byDeparture[to], f);
        const along = frac < 1 ? 0.5 : crossing ? 0.26 : 0.44;
        const mx = x0 + (x1 - x0) * along;
        const my = y0 + (y1 - y0) * along;
        // Text reads left to right whichever way the arrow points.
        let deg = (angle * 180) / Math.PI;
        if (deg > 90) deg -= 180;
        else if (deg < -90) deg += 180;
        deg = r(deg);
        const numbers = seqAck(f.seg);
        const payload = f.seg.len > 0 ? `len ${f.seg.len} ${shorten(f.seg.payload, 22)}` : '';
        const main = `${flagsText(f.seg)} ${numbers}`;
        const detail = [payload, ...notes].filter(Boolean).join(' · ');
        const labelSize = size;
        const place = (words, below, cls) => {
          const s = fit(words, labelSize, Math.max(24, length), cls === 'label' ? 0.7 : 0.58);
          // A space between the labels, so that their words do not run together in the arrow's text.
          if (drawn.length) g.appendChild(document.createTextNode(' '));
          const node = text(g, mx, below ? my + labelSize + 2 : my - 5, s, {
            class: cls,
            'text-anchor': 'middle',
            transform: `rotate(${deg} ${r(mx)} ${r(my)})`,
          });
          drawn.push(s);
          return node;
        };
        const drawn = [];
        if (group.length === 1) {
          place(main, false, 'label');
          if (detail) place(detail, true, 'label-detail');
        } else if (k === 0) {
          place(detail ? `${main} · ${detail}` : main, false, 'label');
        } else if (k === group.length - 1) {
          place(detail ? `${main} · ${detail}` : main, true, 'label');
        }
        // The accessible name starts with the words drawn on the arrow (WCAG 2.5.3, label in name).
        g.setAttribute('aria-label', drawn.length ? `${drawn.join(' ')} — ${described}` : described);
        return g;
      };
      out.push({
        key: f.key,
        make,
        node: null,
        kind: 'flight',
        event: f.sendEvent,
        endEvent: f.endEvent,
        line: null,
        x0, y0, x1, y1,
        // The band of the diagram it covers, labels included.
        top: Math.min(y0, y1) - size * 2,
        bottom: Math.max(y0, y1) + size * 2,
        departs: f.departs,
        ends: f.ends,
        partial: false,
      });
    });
  }
  return out;
}

/**
 * Whether a flight of `others` (the other direction, by departure) crosses `f` having left within
 * half of `f`'s flight time of it.
 */
function crosses(others, f) {
  const half = (f.ends - f.departs) / 2;
  let lo = 0;
  let hi = others.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (others[mid].departs <= f.departs - half) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < others.length && others[i].departs < f.departs + half; i++) {
    const o = others[i];
    if (o.departs < f.ends && o.ends > f.departs) return true;
  }
  return false;
}

function shorten(text, max) {
  const chars = Array.from(text);
  return `“${chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text}”`;
}

function seqAck(seg) {
  const parts = [];
  if (seg.len > 0 || seg.flags.some((fl) => fl !== 'ACK')) parts.push(`seq ${seg.rel_seq}`);
  if (seg.flags.includes('ACK')) parts.push(`ack ${seg.rel_ack}`);
  return parts.join(' ');
}

function headPoints(x, y, angle) {
  const len = 9;
  const half = 4.2;
  const bx = x - len * Math.cos(angle);
  const by = y - len * Math.sin(angle);
  const px = half * Math.sin(angle);
  const py = -half * Math.cos(angle);
  return `${r(x)},${r(y)} ${r(bx + px)},${r(by + py)} ${r(bx - px)},${r(by - py)}`;
}

/** An arrow part-way through its flight: its tip at time `tUs`, the head shown once it lands. */
function progressFlight(item, tUs, last, Y) {
  const started = item.event <= last;
  const landed = item.endEvent >= 0 && item.endEvent <= last;
  let frac = 1;
  if (started && !landed) {
    frac = item.ends > item.departs ? (tUs - item.departs) / (item.ends - item.departs) : 1;
    frac = Math.max(0, Math.min(landed ? 1 : 0.985, frac));
  }
  const partial = started && !landed;
  if (partial || item.partial) {
    const xx = item.x0 + (item.x1 - item.x0) * frac;
    const yy = item.y0 + (item.y1 - item.y0) * frac;
    item.line.setAttribute('x2', r(xx));
    item.line.setAttribute('y2', r(yy));
    item.partial = partial;
  }
  item.node.classList.toggle('in-flight', partial);
}

/** Labels beside each lifeline: state changes and the applications' events, kept from overlapping. */
const SHORT_STATE = { 'SYN-RECEIVED': 'SYN-RCVD', ESTABLISHED: 'ESTAB' };

/** Every mark, as { key, top, bottom, make() -> <g> }: placed now, drawn when needed. */
function drawMarks(model, { x, side, size, Y, marksAt, short }) {
  const { trace } = model;
  const out = [];
  const lineH = size + 2.6;
  for (const s of SIDES) {
    const outward = s === 'client' ? -1 : 1;
    const anchor = s === 'client' ? 'end' : 'start';
    const tx = x[s] + outward * marksAt;
    const room = (side - marksAt - 3) * 0.96;
    let lastY = -Infinity;
    for (const mark of model.marks) {
      if (mark.side !== s) continue;
      const e = trace.events[mark.event];
      const words = short && mark.kind === 'state' ? SHORT_STATE[e.to] || e.to : markText(e);
      if (!words) continue;
      const em = mark.kind === 'state' ? 0.72 : 0.56;
      const lines = wrap(words, size, room, em);
      const want = Y(e.at);
      const y = Math.max(want, lastY + lineH);
      lastY = y + (lines.length - 1) * lineH;
      const cls = mark.kind === 'state'
        ? `mark mark-state state-${STATE_CLASS[e.to] || 'other'}`
        : `mark mark-app${isAlarm(e) ? ' mark-alarm' : ''}`;
      const make = () => {
        const g = el('g', { class: cls });
        if (y - want > 2) {
          el('polyline', {
            points: `${r(x[s] + outward * (BAND + 2))},${r(want)} ${r(tx - outward * 9)},${r(want)} ${r(tx - outward * 3)},${r(y - size * 0.35)}`,
            class: 'leader',
          }, g);
        } else {
          el('line', { x1: r(x[s] + outward * (BAND + 2)), x2: r(tx - outward * 3), y1: r(want), y2: r(want), class: 'leader' }, g);
        }
        lines.forEach((line, k) => {
          const node = text(g, tx, y + size * 0.35 + k * lineH, line, { 'text-anchor': anchor });
          if (mark.kind === 'state') node.classList.add('state-name');
        });
        return g;
      };
      out.push({ key: `mark-${mark.event}`, make, node: null, event: mark.event, kind: 'mark', top: want - size, bottom: lastY + size });
    }
  }
  return out;
}

function isAlarm(e) {
  return e.type === 'reset' || e.type === 'timed_out' || (e.type === 'read' && e.stale_from != null) || e.type === 'call_failed';
}

function markText(e) {
  const q = (s) => `“${s}”`;
  switch (e.type) {
    case 'state':
      return e.to;
    case 'call':
      if (e.call === 'connect' || e.call === 'listen') return t(`app.${e.call}`, e.port);
      if (e.call === 'send' || e.call === 'send_bytes') return t(`app.${e.call}`, q(e.text ?? ''));
      return t(`app.${e.call}`);
    case 'read':
      return e.stale_from != null ? t('app.readStale', q(e.text), e.stale_from) : t('app.read', q(e.text));
    case 'call_failed':
      return t('app.call_failed', e.call, String(e.error).replace(/_/g, ' '));
    case 'connected':
    case 'eof':
    case 'closed':
    case 'reset':
    case 'timed_out':
    case 'connect_waiting':
      return t(`app.${e.type}`);
    default:
      return '';
  }
}
