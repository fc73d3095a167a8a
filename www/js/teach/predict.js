// Predict, then reveal: the moments of a run worth a question, each with two to four plain choices,
// the right one, and the sentence on why. Everything comes from the trace: the question is asked just
// before an event (a segment arriving, or being lost), and the answer is what the trace records right
// after it: the receiver's next segment, its next state, what its application reads. So questions
// work for any run, including one the reader changed. The why is narration.js's sentence for the
// consequence (one source for every explanation), or a plain restatement of it.

import { teach } from './text.js';
import { page } from './host.js';
import { flagsText, flightKey } from '../trace.js';

// Reply kinds, in the order choices are listed.
const REPLIES = ['ack', 'fin', 'synack', 'data', 'rst', 'nothing'];
const CLOSING = new Set(['FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSING', 'TIME-WAIT', 'CLOSE-WAIT', 'LAST-ACK']);

/** "FIN/ACK", "ACK “GET /”": enough to recognise a segment in a choice. */
function shortName(seg) {
  return seg.len > 0 ? `${flagsText(seg)} ${page.quote(seg.payload)}` : flagsText(seg);
}

function replyKind(seg) {
  if (!seg) return 'nothing';
  if (seg.flags.includes('RST')) return 'rst';
  if (seg.flags.includes('SYN')) return seg.flags.includes('ACK') ? 'synack' : 'data';
  if (seg.flags.includes('FIN')) return 'fin';
  if (seg.len > 0) return 'data';
  return 'ack';
}

/**
 * What event `i` (a delivery to side R) led to in the same instant, before anything else reached R:
 * R's first segment sent, R's state changes, R's application reading stale bytes.
 */
function consequence(trace, i) {
  const e = trace.events[i];
  const out = { send: -1, state: -1, read: -1, last: i };
  for (let j = prelude(trace, i); j < trace.events.length; j++) {
    const x = trace.events[j];
    if (j === i) continue;
    if (x.at !== e.at || (x.type === 'deliver' && x.side === e.side)) break;
    if (x.side !== e.side) continue;
    if (x.type === 'send' && out.send < 0) out.send = j;
    else if (x.type === 'state' && out.state < 0) out.state = j;
    else if (x.type === 'read' && x.stale_from != null && out.read < 0) out.read = j;
    else continue;
    out.last = j;
  }
  return out;
}

/** `n` choices: the right one first, then the others of `pool`, listed in `order`. */
function choose(right, pool, n, order) {
  const ids = [...new Set([right, ...pool])].slice(0, n);
  return ids.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

function firstWhy(model, events) {
  for (const j of events) {
    if (j < 0) continue;
    const why = page.narrate(model, j).why;
    if (why) return why;
  }
  return '';
}

/**
 * Every question of an analysed run (trace.js's `analyse`), in time order:
 * `{ event, arrives, tag, kind, prompt, choices: [{ id, text }], answer, why, reveal }`. Ask before
 * `event` (show steps up to `event - 1`), where the handling of the segment arriving (or lost) at
 * `arrives` starts; playing through `reveal` shows the answer.
 */
export function questions(model) {
  const { trace } = model;
  const tx = teach();
  const out = [];
  trace.events.forEach((e, i) => {
    if (e.type === 'deliver') {
      const q = arrival(model, i, tx);
      if (q) out.push(q);
    } else if (e.type === 'drop') {
      const q = loss(model, i, tx);
      if (q) out.push(q);
    }
  });
  return out;
}

/**
 * Where the receiver's handling of the arrival at event `i` starts: the core records what the arrival
 * ends (a TIME-WAIT a new SYN reopens) just before the delivery itself, in the same instant.
 */
function prelude(trace, i) {
  const { at, side } = trace.events[i];
  let k = i;
  while (k > 0) {
    const x = trace.events[k - 1];
    if (x.at !== at || x.side !== side || x.type === 'deliver' || x.type === 'send' || x.type === 'call') break;
    k--;
  }
  return k;
}

/**
 * The state of the receiver's connection that the segment of event `i` belongs to, before it arrives;
 * for a SYN with none, a connection of the pair still in TIME-WAIT. Null: no such connection.
 */
function receiverState(trace, i, seg) {
  const side = trace.events[i].side;
  const conns = new Map();
  for (let j = 0; j < prelude(trace, i); j++) {
    const e = trace.events[j];
    if (e.type === 'state' && e.side === side && e.conn != null) conns.set(e.conn, e.to);
  }
  const own = conns.get(seg.conn);
  if (own && own !== 'CLOSED') return own;
  if (seg.flags.includes('SYN') && [...conns.values()].includes('TIME-WAIT')) return 'TIME-WAIT';
  return null;
}

function arrival(model, i, tx) {
  const { trace } = model;
  const e = trace.events[i];
  const seg = trace.segments[e.segment];
  const flight = model.flightOf.get(flightKey(e.segment, e.copy));
  const to = e.side;
  const before = receiverState(trace, i, seg) ?? model.stateBefore[i][to];
  const c = consequence(trace, i);
  const reply = c.send >= 0 ? trace.segments[trace.events[c.send].segment] : null;
  // Bytes of an older connection taken in by a newer one on the same pair.
  const stale = flight?.staleIn != null && flight.staleIn > seg.conn && seg.len > 0;
  const orphan = Boolean(flight?.orphan);
  const kind = replyKind(reply);
  // Worth asking: anything about closing, resets, retransmissions and old segments; not the
  // ordinary exchange of data and ACKs between two established sides.
  const worth = orphan || stale || seg.retransmission || e.copy || kind === 'rst'
    || seg.flags.includes('FIN') || seg.flags.includes('RST') || CLOSING.has(before);
  if (!worth) return null;

  const p = {
    seg: page.describeSegment(seg),
    to: tx.sides[to],
    state: before ?? 'CLOSED',
  };
  const base = { event: prelude(trace, i), arrives: i, reveal: c.last };
  const tagOf = () => {
    if (stale) return 'stale';
    if (orphan) return 'no-connection';
    if (seg.flags.includes('FIN') && seg.retransmission) return 'fin-again';
    if (seg.flags.includes('RST')) return 'rst';
    if (seg.flags.includes('SYN') && before === 'TIME-WAIT') return 'syn-in-tw';
    if (before === 'TIME-WAIT') return 'in-tw';
    if (seg.flags.includes('FIN')) return 'fin';
    return 'ack';
  };
  const tag = tagOf();

  if (stale) {
    const answer = c.read >= 0 ? 'read' : kind === 'rst' ? 'rst' : 'discard';
    const q = { from: seg.conn, conn: flight.staleIn, to: p.to };
    const ids = ['read', 'discard', 'rst'];
    return {
      ...base, tag, kind: 'fate', prompt: tx.predict.fate(q),
      choices: ids.map((id) => ({ id, text: tx.predict.choices[id](q) })),
      answer, why: firstWhy(model, [i, c.read, c.send]),
    };
  }
  const stateChange = c.state >= 0 ? trace.events[c.state] : null;
  if (kind === 'nothing') {
    // Nothing is sent back; the question is where the receiver goes, or whether it stays.
    const next = stateChange?.to;
    const answer = next ? `to:${next}` : 'stay';
    const ids = [...new Set([answer, 'stay', 'to:CLOSED', 'to:TIME-WAIT'])].filter((id) => id !== `to:${p.state}`).slice(0, 3);
    // RFC 1337's fix, when the run has it on: the RST is ignored in TIME-WAIT.
    const ignored = !next && seg.flags.includes('RST') && before === 'TIME-WAIT' && trace.params.rfc1337;
    return {
      ...base, tag, kind: 'state', prompt: tx.predict.state(p),
      choices: ids.map((id) => ({
        id,
        text: id === 'stay' ? tx.predict.choices.stay(p) : tx.predict.choices.to({ next: id.slice(3) }),
      })).sort((a, b) => a.text.localeCompare(b.text)),
      answer,
      why: ignored ? tx.predict.rfc1337(p) : firstWhy(model, [c.state, i]) || page.narrate(model, c.state >= 0 ? c.state : i).text,
    };
  }
  const pool = ['ack', 'rst', 'nothing', ...(seg.flags.includes('SYN') ? ['synack'] : ['fin'])];
  const ids = choose(kind, pool, 3, REPLIES);
  return {
    ...base, tag, kind: 'reply',
    prompt: orphan ? tx.predict.replyNoTcb(p) : tx.predict.reply(p),
    choices: ids.map((id) => ({ id, text: tx.predict.choices[id](p) })),
    answer: kind, why: firstWhy(model, [c.send, c.state, i]) || page.narrate(model, c.send >= 0 ? c.send : i).text,
  };
}

function loss(model, i, tx) {
  const { trace } = model;
  const e = trace.events[i];
  const seg = trace.segments[e.segment];
  // What the trace shows next on this connection: the next segment anyone sends on it.
  let next = -1;
  for (let j = i + 1; j < trace.events.length; j++) {
    const x = trace.events[j];
    if (x.type === 'send' && trace.segments[x.segment].conn === seg.conn) {
      next = j;
      break;
    }
  }
  const from = tx.sides[seg.from];
  const p = { seg: page.describeSegment(seg), from };
  const nextSeg = next >= 0 ? trace.segments[trace.events[next].segment] : null;
  const resent = nextSeg?.retransmission ? nextSeg : null;
  let answer;
  const texts = {};
  if (resent && resent.from !== seg.from) {
    answer = 'peer';
    texts.peer = tx.predict.choices.resend({ who: tx.sides[resent.from], flags: shortName(resent) });
  } else if (resent) answer = 'self';
  else answer = 'over';
  texts.self = answer === 'self'
    ? tx.predict.choices.resend({ who: from, flags: shortName(seg) })
    : tx.predict.choices.resendLost({ from, flags: shortName(seg) });
  texts.over = tx.predict.choices.over();
  const ids = answer === 'peer' ? ['peer', 'self', 'over'] : ['self', 'over'];
  return {
    event: i,
    arrives: i,
    reveal: next >= 0 ? next : i,
    tag: seg.len === 0 && flagsText(seg) === 'ACK' ? 'lost-ack' : 'lost',
    kind: 'lost',
    prompt: tx.predict.lost(p),
    choices: ids.map((id) => ({ id, text: texts[id] })),
    answer,
    why: firstWhy(model, [i, next]) || page.narrate(model, next >= 0 ? next : i).text,
  };
}

/** The first question at or after step `from` (-1 for the start) with one of `tags` (all when null). */
export function nextQuestion(list, from, tags = null) {
  return list.find((q) => q.event > from && (!tags || tags.includes(q.tag))) || null;
}

/** The feedback for choosing `id`: { right, text } with the sentence on why. */
export function judge(question, id) {
  const tx = teach();
  const right = id === question.answer;
  const answer = question.choices.find((c) => c.id === question.answer)?.text ?? '';
  const lead = right ? tx.predict.right : tx.predict.wrong(answer);
  return { right, text: question.why ? `${lead}${tx.gap}${question.why}` : lead };
}
