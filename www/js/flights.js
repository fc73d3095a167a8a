// The flights: each segment's arrows (one per copy), parallel when sent together, labelled with
// flags and sequence numbers where there is room, ending in a head, a cross (lost) or a stub
// (expired); and an arrow part-way through its flight as the player moves.

import { t, formatDuration } from './i18n.js';
import { flagsText } from './trace.js';
import { describeSegment } from './narration.js';
import { BAND, el, text, r, fit } from './drawing.js';

const PARALLEL = 11; // px between arrows sent together, measured across them
const PARALLEL_SPAN = 44; // at most, for a whole window of segments sent at once (times the zoom)

/**
 * Every flight's arrow, as { key, flight, top, bottom, make() -> <g> } plus what setTime needs; `zoom`
 * is the time axis's (a window sent at once spreads with it, so that zooming in unfolds it).
 */
export function drawFlights(model, x, size, Y, id, defs, zoom = 1) {
  const { trace } = model;
  const frozen = id === 'before';
  // Arrows that leave together and land together run parallel, a few px apart.
  const groups = new Map();
  for (const f of model.flights) {
    // Flights in no time (a packetdrill script's) at one instant run parallel whichever way they go.
    const k = f.ends === f.departs ? `${f.departs}` : `${f.seg.from}:${f.departs}:${f.ends}:${f.end}`;
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
      const from = f.seg.from;
      const to = from === 'client' ? 'server' : 'client';
      const dir = to === 'server' ? 1 : -1;
      const xa = x[from] + dir * (BAND + 1);
      const xb = x[to] - dir * (BAND + 2);
      // PARALLEL px apart across the arrows, however steep the zoom makes them; a big window less.
      const steep = Math.hypot(xb - xa, Y(f.arrives) - Y(f.departs)) / Math.abs(xb - xa);
      const offset = (k - (group.length - 1) / 2) * Math.min(PARALLEL * steep, (PARALLEL_SPAN * zoom) / Math.max(1, group.length - 1));
      const frac = f.end === 'delivered' ? 1 : Math.min(1, (f.ends - f.departs) / (f.arrives - f.departs));
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
      const marked = model.arrowNote?.(f.index);
      if (marked) classes.push('mismatch');
      const main = `${flagsText(f.seg)} ${seqAck(f.seg)}`;
      let faded = false; // the expired arrow's gradient is in <defs>
      // Made when the arrow is first drawn (a big run draws few of its thousands).
      const make = () => {
        const segName = t('segmentName', t(from), f.seg.nth, f.seg.conn, flagsText(f.seg));
        const notes = [];
        if (f.seg.retransmission) notes.push(t('retransmission'));
        if (f.copy) notes.push(`${t('copy')} +${formatDuration(f.seg.fate_us)}`);
        if (f.end === 'dropped') notes.push(t('lost'));
        if (f.end === 'expired') notes.push(t('expired'));
        if (f.staleIn != null) notes.push(t('staleMark', f.seg.conn));
        if (f.orphan) notes.push(t('noConnection'));
        if (marked) notes.push(marked);
        const g = el('g', {
          class: classes.join(' '),
          // The run a fork was made from stays as it was: its arrows are pictures, not controls.
          tabindex: frozen ? null : 0,
          role: frozen ? 'img' : 'button',
          'data-seg': f.segKey,
          'data-conn': f.seg.conn,
          'data-from': from,
          'data-nth': f.seg.nth,
          'data-copy': f.copy ? 'true' : 'false',
          'data-end': f.end,
          // A toggle: pressed when the reader (or the scenario) gave this segment a fate.
          'aria-pressed': frozen ? null : String(Boolean(f.seg.fate)),
          'aria-describedby': frozen ? null : 'changes-hint',
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
        const payload = f.seg.len > 0 ? `len ${f.seg.len} ${shorten(f.seg.payload, 22)}` : '';
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
        flight: f,
        words: main, // the label drawn along it
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
export function progressFlight(item, tUs, last, Y) {
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
