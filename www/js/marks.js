// Beside the lifelines: timers as spans (the 2×MSL wait, retransmissions, FIN-WAIT-2, delayed ACK),
// and marks for state changes and the applications' events, kept from overlapping.

import { t, has, formatDuration } from './i18n.js';
import { SIDES } from './trace.js';
import { BAND, LANE, STATE_CLASS, el, text, r, textWidth, wrap } from './drawing.js';

export function drawTimers(layer, model, x, size, Y, items, remember) {
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

/** Labels beside each lifeline: state changes and the applications' events, kept from overlapping. */
const SHORT_STATE = { 'SYN-RECEIVED': 'SYN-RCVD', ESTABLISHED: 'ESTAB' };

/** Every mark, as { key, top, bottom, make() -> <g> }: placed now, drawn when needed. */
export function drawMarks(model, { x, side, size, Y, marksAt, short }) {
  const { trace } = model;
  const out = [];
  const lineH = size + 2.6;
  for (const s of SIDES) {
    const outward = s === 'client' ? -1 : 1;
    const anchor = s === 'client' ? 'end' : 'start';
    const tx = x[s] + outward * marksAt;
    const room = (side - marksAt - 3) * 0.96;
    let lastY = -Infinity;
    // Reads that would stack up (a bulk transfer's window arriving at once) become one mark.
    const entries = [];
    for (const mark of model.marks) {
      if (mark.side !== s) continue;
      const e = trace.events[mark.event];
      const prev = entries.at(-1);
      if (e.type === 'read' && prev?.e.type === 'read' && Y(e.at) - Y(prev.e.at) < lineH) {
        prev.reads += 1;
        prev.bytes += e.len;
      } else entries.push({ mark, e, reads: 1, bytes: e.len });
    }
    for (const { mark, e, reads, bytes } of entries) {
      const words = reads > 1 ? t('app.reads', bytes, reads) : short && mark.kind === 'state' ? SHORT_STATE[e.to] || e.to : markText(e);
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
      if ((e.call === 'connect' || e.call === 'listen') && e.port != null) return t(`app.${e.call}`, e.port);
      if (e.call === 'send' || e.call === 'send_bytes') return t(`app.${e.call}`, q(e.text ?? ''));
      // A packetdrill script's calls (socket, fcntl, read, connect without a port…) by their names.
      return ['close', 'shutdown', 'close_listener'].includes(e.call) ? t(`app.${e.call}`) : `${e.call}()`;
    case 'read':
      return e.stale_from != null ? t('app.readStale', q(e.text), e.stale_from) : t('app.read', q(e.text));
    case 'call_failed':
      return t('app.call_failed', e.call, has(`app.callError.${e.error}`) ? t(`app.callError.${e.error}`) : String(e.error).replace(/_/g, ' '));
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
