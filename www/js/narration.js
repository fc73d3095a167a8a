// Plain words for one step of a run: what happened, from the event's type and `cause`, and at the
// key moments why (the two reasons for TIME-WAIT, RST for no connection, stale bytes accepted,
// MSL expiry). The sentences themselves live in i18n.js, in both languages.

import { t, has, formatDuration, formatTime, quote, language } from './i18n.js';
import { flagsText, flightKey } from './trace.js';

/** "FIN/ACK (seq 7, ack 7)", "ACK “200 OK” (seq 1, ack 6, 6 bytes)". */
export function describeSegment(seg) {
  const parts = [];
  if (seg.len > 0 || seg.flags.some((f) => f !== 'ACK')) parts.push(`seq ${seg.rel_seq}`);
  if (seg.flags.includes('ACK')) parts.push(`ack ${seg.rel_ack}`);
  if (seg.len > 0) parts.push(t('bytes', seg.len));
  const payload = seg.len > 0 ? ` ${quote(seg.payload)}` : '';
  return `${flagsText(seg)}${payload} (${parts.join(', ')})`;
}

function who(side) {
  const other = side === 'client' ? 'server' : 'client';
  return {
    who: t('the', t(side)),
    Who: t('The', t(side)),
    peer: t('the', t(other)),
    Peer: t('The', t(other)),
  };
}

/**
 * The narration of event `i` of an analysed trace: { time, actor, text, why }.
 */
export function narrate(model, i) {
  const { trace } = model;
  const e = trace.events[i];
  const p = { ...who(e.side), conn: e.conn };
  const before = model.stateBefore[i][e.side];
  const skipRun = trace.durations.time_wait == null;
  let key = null;
  let why = null;
  let extra = '';

  switch (e.type) {
    case 'call':
      p.port = e.port;
      p.call = e.call;
      p.text = e.text != null ? quote(e.text) : '';
      key = e.bind ? `call_${e.call}_${e.bind}` : `call_${e.call}`;
      if ((e.call === 'close' || e.call === 'shutdown') && i === model.firstClose) {
        if (e.call === 'close') key = 'call_close_first';
        why = 'why_close_first';
      }
      break;
    case 'call_failed':
      Object.assign(p, { call: e.call, error: String(e.error).replace(/_/g, ' ') });
      key = 'call_failed';
      if (has(`n.call_failed_${e.error}`)) {
        key = `call_failed_${e.error}`;
        why = `why_${e.error}`;
      }
      break;
    case 'connect_waiting':
      p.port = e.port;
      key = 'connect_waiting';
      why = 'why_connect_waiting';
      break;
    case 'read':
      p.text = quote(e.text, 40);
      if (e.stale_from != null) {
        p.from = e.stale_from;
        key = 'read_stale';
        why = 'why_read_stale';
      } else key = 'read';
      break;
    case 'connected':
    case 'eof':
    case 'closed':
    case 'reset':
    case 'timed_out':
      key = e.type;
      break;
    case 'send': {
      const seg = trace.segments[e.segment];
      p.seg = describeSegment(seg);
      const prior = deliveredJustBefore(trace, model, i, e.side);
      if (seg.flags.includes('RST')) {
        key = 'send_rst';
        if (skipRun && prior?.orphan && prior.seg.flags.includes('FIN')) why = 'why_rst_no_tw';
      } else if (seg.retransmission && seg.flags.includes('FIN')) {
        key = 'send_fin_retransmission';
        why = 'why_fin_retransmission';
      } else if (before === 'TIME-WAIT' && prior?.seg.flags.includes('FIN')) {
        key = 'send_reack';
        why = 'why_reack';
      } else if (before === 'TIME-WAIT') {
        key = 'send_tw_ack';
        why = 'why_tw_ack';
      } else if (seg.retransmission) {
        key = 'send_retransmission';
      } else key = 'send';
      const fate = seg.fate;
      if (fate === 'drop') extra = t('n.fate_drop', p);
      else if (fate?.delay) extra = t('n.fate_delay', { ...p, extra: formatDuration(seg.fate_us) });
      else if (fate?.duplicate) extra = t('n.fate_duplicate', { ...p, extra: formatDuration(seg.fate_us) });
      break;
    }
    case 'deliver': {
      const f = model.flightOf.get(flightKey(e.segment, e.copy));
      const seg = trace.segments[e.segment];
      p.seg = describeSegment(seg);
      if (f?.staleIn != null) {
        Object.assign(p, { from: seg.conn, conn: f.staleIn });
        // The core says why the connection threw it away: PAWS (RFC 7323 §5.3), or not at all.
        const paws = e.discarded?.reason === 'paws';
        key = paws ? 'deliver_paws' : 'deliver_stale';
        why = paws ? 'why_deliver_paws' : 'why_deliver_stale';
      } else if (f?.orphan) key = 'deliver_orphan';
      else if (e.copy) key = 'deliver_copy';
      else if (before === 'TIME-WAIT') key = 'deliver_in_tw';
      else key = 'deliver';
      break;
    }
    case 'drop': {
      const seg = trace.segments[e.segment];
      p.seg = describeSegment(seg);
      Object.assign(p, who(seg.from));
      if (seg.last_ack) {
        key = 'drop_last_ack';
        why = 'why_drop_last_ack';
      } else key = 'drop';
      break;
    }
    case 'expire': {
      const seg = trace.segments[e.segment];
      p.seg = describeSegment(seg);
      p.msl = formatDuration(trace.durations.msl);
      key = 'expire';
      why = 'why_expire';
      break;
    }
    case 'timer_armed':
      p.expires = formatTime(e.expires);
      p.length = formatDuration(e.expires - e.at);
      key = `timer_armed_${e.timer}${e.timer === 'time_wait' && e.restart ? '_restart' : ''}`;
      if (e.timer === 'time_wait' && e.restart) why = 'why_tw_restart';
      break;
    case 'timer_cancelled':
    case 'timer_fired':
      key = `${e.type}_${e.timer}`;
      if (e.type === 'timer_cancelled' && closedJustBefore(trace, i)) key = 'timer_cancelled_gone';
      break;
    case 'state': {
      Object.assign(p, { from: e.from, to: e.to });
      const c = e.cause;
      const tw = model.allTimers.find((s) => s.event > i && s.side === e.side && s.timer === 'time_wait');
      p.length = formatDuration(tw ? tw.expires - tw.t0 : trace.durations.time_wait ?? 0);
      key = `state_${c}`;
      if (c === 'rcv_syn' && e.from === 'TIME-WAIT') {
        key = 'state_rcv_syn_tw';
        why = 'why_rcv_syn_tw';
      } else if (c === 'app_close' && e.to === 'FIN-WAIT-1') key = 'state_app_close_fw1';
      else if (c === 'app_close' && e.to === 'LAST-ACK') key = 'state_app_close_lastack';
      else if (c === 'rcv_fin' && e.to === 'CLOSE-WAIT') key = 'state_rcv_fin_closewait';
      else if (c === 'rcv_fin' && e.to === 'CLOSING') key = 'state_rcv_fin_closing';
      else if (e.to === 'TIME-WAIT') {
        if (c === 'rcv_fin') key = skipRun ? 'state_enter_tw_skip' : 'state_enter_tw';
        if (!skipRun) why = 'why_enter_tw';
      } else if (c === 'rcv_ack_of_fin' && e.to === 'FIN-WAIT-2') key = 'state_rcv_ack_of_fin_fw2';
      else if (c === 'rcv_ack_of_fin' && e.to === 'CLOSED') key = 'state_rcv_ack_of_fin_closed';
      else if (c === 'time_wait_expired') why = 'why_tw_expired';
      else if (c === 'time_wait_skipped') why = 'why_tw_skipped';
      else if (c === 'time_wait_reused') why = 'why_tw_reused';
      else if (c === 'rcv_rst' && e.from === 'TIME-WAIT') {
        key = 'state_rcv_rst_tw';
        why = 'why_rst_tw';
      }
      break;
    }
    default:
      key = null;
  }

  let text = key ? t(`n.${key}`, p) : e.type;
  // A call the sentences do not name (a packetdrill script's fcntl, read, poll…) is said as a call.
  if (text === `n.${key}`) text = t(e.type === 'call' ? 'n.call' : 'n.state', p);
  if (extra) text = language() === 'zh-Hans' ? `${text}${extra}` : `${text} ${extra}`;
  return {
    time: formatTime(e.at),
    actor: t(e.side === 'client' ? 'Client' : 'Server'),
    side: e.side,
    text,
    why: why ? t(`n.${why}`, p) : '',
  };
}

/** The flight delivered to `side` in the same instant, just before event `i`, if any. */
function deliveredJustBefore(trace, model, i, side) {
  const at = trace.events[i].at;
  for (let j = i - 1; j >= 0 && trace.events[j].at === at; j--) {
    const e = trace.events[j];
    if (e.type === 'deliver' && e.side === side) return model.flightOf.get(flightKey(e.segment, e.copy));
  }
  return null;
}

/** Whether event `i`'s connection on its side went CLOSED earlier in the same instant. */
function closedJustBefore(trace, i) {
  const { at, side, conn } = trace.events[i];
  for (let j = i - 1; j >= 0 && trace.events[j].at === at; j--) {
    const e = trace.events[j];
    if (e.type === 'state' && e.side === side && e.conn === conn && e.to === 'CLOSED') return true;
  }
  return false;
}

/** The outcome banner's sentence for a trace. */
export function outcomeText(trace) {
  const v = trace.outcome.verdict;
  const p = {
    the: v.side ? t('the', t(v.side)) : '',
    conn: v.conn,
    from: v.from_conn,
    text: v.text != null ? quote(v.text, 40) : '',
  };
  return t(`outcome.${v.kind}`, p);
}
