// The teaching views' logic in Node, on real traces from the native CLI (every preset and its twin):
// the state map follows the trace's state events, predictions come from what the trace records, and
// the RFC's answers hold where the RFC gives one. Run: node --test tests/unit/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyse } from '../../www/js/trace.js';
import { setLanguage, loadLanguage, language, quote } from '../../www/js/i18n.js';
import { narrate, describeSegment } from '../../www/js/narration.js';
import { connect } from '../../www/js/teach/host.js';
import { stateAt, stateMapView, nextEntry, stateName, NAMES, EDGES, END, sectionUrl } from '../../www/js/teach/statemap.js';
import { questions, judge, nextQuestion } from '../../www/js/teach/predict.js';

connect({ language, narrate, describeSegment, quote });
await loadLanguage('zh-Hans');

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function cli(args) {
  const bin = process.env.TWLAB_CLI || join(ROOT, 'target', 'debug', 'twlab');
  return existsSync(bin)
    ? execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 64 << 20 })
    : execFileSync('cargo', ['run', '-q', '-p', 'twlab-cli', '--', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
}
const presets = cli(['list']).split('\n').filter(Boolean).map((line) => line.split(/\s+/)[0]);
const cache = new Map();
function model(preset, twin = false) {
  const key = `${preset}:${twin}`;
  if (!cache.has(key)) {
    cache.set(key, analyse(JSON.parse(cli(['run', preset, '--format', 'json', ...(twin ? ['--no-time-wait'] : [])]))));
  }
  return cache.get(key);
}
const runs = presets.flatMap((p) => [[p, false], [p, true]]);
const STATES = Object.keys(NAMES);

test('the state map shows, at every step of every run, the state the diagram and transcript show', () => {
  for (const [preset, twin] of runs) {
    const m = model(preset, twin);
    let lastTo = { client: null, server: null };
    m.trace.events.forEach((e, i) => {
      if (e.type === 'state') lastTo[e.side] = e.to;
      const view = stateMapView(stateAt(m, i));
      for (const side of ['client', 'server']) {
        const shown = m.statesAfter[i][side] ?? 'CLOSED';
        assert.equal(view.nodes[side].state, shown, `${preset}${twin ? ' twin' : ''} step ${i} ${side}`);
        // CLOSED is drawn at the end of the figure once the side has closed, at the top before.
        const node = view.nodes[side].node;
        if (shown !== 'CLOSED') assert.equal(node, shown);
        else assert.equal(node, lastTo[side] === 'CLOSED' ? END : 'CLOSED');
      }
    });
  }
});

test('every transition a run takes is an arrow of the figure with its cause, or says where the RFC has it', () => {
  const seen = new Set();
  for (const [preset, twin] of runs) {
    const m = model(preset, twin);
    m.trace.events.forEach((e, i) => {
      if (e.type !== 'state') return;
      const { edge } = stateMapView(stateAt(m, i));
      assert.equal(edge.event, i);
      assert.deepEqual([edge.side, edge.from, edge.to, edge.cause], [e.side, e.from, e.to, e.cause]);
      seen.add(edge.id);
      if (!edge.extra) {
        const arrow = EDGES.find((x) => x.id === edge.id);
        assert.equal(arrow.cause, e.cause);
      }
      // Only the Linux-only causes have no RFC 9293 section.
      if (!edge.section) assert.match(e.cause, /^(fin_wait2_timeout|data_after_close|time_wait_reused)$/);
    });
  }
  // The presets between them walk the whole close: both the active and the passive path, and CLOSING.
  for (const id of ['ESTABLISHED>FIN-WAIT-1', 'FIN-WAIT-1>FIN-WAIT-2', 'FIN-WAIT-2>TIME-WAIT', 'FIN-WAIT-1>CLOSING',
    'CLOSING>TIME-WAIT', 'ESTABLISHED>CLOSE-WAIT', 'CLOSE-WAIT>LAST-ACK', `LAST-ACK>${END}`, `TIME-WAIT>${END}`]) {
    assert.ok(seen.has(id), id);
  }
});

test('the figure links each arrow to RFC 9293 and draws only arrows between its eleven states', () => {
  for (const e of EDGES) {
    assert.ok(STATES.includes(e.from), e.from);
    assert.ok(STATES.includes(e.to) || e.to === END, e.to);
    assert.match(sectionUrl(e.section), /^https:\/\/www\.rfc-editor\.org\/rfc\/rfc9293#section-3\.\d+(\.\d+)*$/);
  }
  // RFC 9293 §3.10.8: the time-wait timeout deletes the TCB; §3.10.7.4 (TIME-WAIT): the FIN is ACKed.
  assert.equal(EDGES.find((e) => e.id === `TIME-WAIT>${END}`).section, '3.10.8');
  assert.equal(EDGES.find((e) => e.id === 'FIN-WAIT-2>TIME-WAIT').section, '3.10.7.4');
});

test('state names as ss and netstat print them', () => {
  assert.equal(STATES.length, 11);
  // iproute2 misc/ss.c sstate_name[], net-tools netstat.c tcp_state[].
  assert.equal(stateName('TIME-WAIT', 'ss'), 'TIME-WAIT');
  assert.equal(stateName('TIME-WAIT', 'netstat'), 'TIME_WAIT');
  assert.equal(stateName('ESTABLISHED', 'ss'), 'ESTAB');
  assert.equal(stateName('SYN-RECEIVED', 'ss'), 'SYN-RECV');
  assert.equal(stateName('FIN-WAIT-1', 'netstat'), 'FIN_WAIT1');
  assert.equal(stateName('LAST-ACK', 'rfc'), 'LAST-ACK');
  for (const s of STATES) for (const naming of ['ss', 'netstat']) assert.ok(stateName(s, naming));
});

test('clicking a state goes to the next moment a side enters it, wrapping to the start', () => {
  const m = model('last-ack-lost');
  const events = m.trace.events;
  const tw = events.findIndex((e) => e.type === 'state' && e.to === 'TIME-WAIT');
  assert.equal(nextEntry(events, -1, 'TIME-WAIT'), tw);
  assert.equal(nextEntry(events, tw, 'TIME-WAIT'), tw, 'the only entry, found again from the start');
  assert.equal(nextEntry(events, 0, 'CLOSING'), -1);
  const closed = nextEntry(events, tw, 'CLOSED');
  assert.ok(closed > tw && events[closed].to === 'CLOSED');
  assert.ok(!events.slice(tw + 1, closed).some((e) => e.type === 'state' && e.to === 'CLOSED'));
});

test('every question has two to four distinct choices, the right one among them, and a why', () => {
  for (const lang of ['en', 'zh-Hans']) {
    setLanguage(lang);
    for (const [preset, twin] of runs) {
      const m = model(preset, twin);
      for (const q of questions(m)) {
        const where = `${lang} ${preset}${twin ? ' twin' : ''} event ${q.event}`;
        assert.ok(['deliver', 'drop'].includes(m.trace.events[q.arrives].type), where);
        assert.ok(q.event <= q.arrives && m.trace.events[q.event].at === m.trace.events[q.arrives].at, where);
        assert.ok(q.choices.length >= 2 && q.choices.length <= 4, where);
        assert.equal(new Set(q.choices.map((c) => c.id)).size, q.choices.length, where);
        assert.equal(new Set(q.choices.map((c) => c.text)).size, q.choices.length, where);
        assert.ok(q.choices.some((c) => c.id === q.answer), where);
        assert.ok(q.why.length > 10, where);
        assert.ok(q.reveal >= q.event, where);
        const right = judge(q, q.answer);
        const wrong = judge(q, q.choices.find((c) => c.id !== q.answer).id);
        assert.ok(right.right && !wrong.right);
        assert.ok(right.text.includes(q.why) && wrong.text.includes(q.why), where);
      }
    }
  }
  setLanguage('en');
});

test('the reply a question expects is the segment the receiver sends next in the trace', () => {
  for (const [preset, twin] of runs) {
    const m = model(preset, twin);
    for (const q of questions(m).filter((x) => x.kind === 'reply')) {
      const e = m.trace.events[q.arrives];
      const reply = m.trace.events.slice(q.arrives + 1).find((x, k) => x.type === 'send' && x.side === e.side
        && x.at === e.at && !m.trace.events.slice(q.arrives + 1, q.arrives + 1 + k).some((y) => y.type === 'deliver' && y.side === e.side));
      const flags = reply ? m.trace.segments[reply.segment].flags : [];
      if (q.answer === 'rst') assert.ok(flags.includes('RST'));
      else if (q.answer === 'nothing') assert.equal(reply, undefined);
      else assert.ok(reply && !flags.includes('RST'));
    }
  }
});

test('last-ack-lost: the lost ACK, then the retransmitted FIN, answered as RFC 9293 says', () => {
  const tw = questions(model('last-ack-lost'));
  const lost = nextQuestion(tw, -1, ['lost-ack']);
  // The server, in LAST-ACK, never gets the ACK: its retransmission timer sends the FIN again.
  assert.equal(lost.answer, 'peer');
  // §3.10.7.4, TIME-WAIT: a retransmitted FIN is acknowledged and the 2 MSL timeout restarted.
  const again = nextQuestion(tw, lost.event, ['fin-again']);
  assert.equal(again.answer, 'ack');
  assert.ok(again.event > lost.event);
  // Without TIME-WAIT the FIN finds no connection: §3.10.7.1, a segment for a CLOSED port draws a RST.
  const skip = questions(model('last-ack-lost', true));
  const orphan = nextQuestion(skip, -1, ['no-connection']);
  assert.equal(orphan.answer, 'rst');
  assert.equal(orphan.event, again.event, 'the same moment in both runs');
});

test('old segments: read as new data without TIME-WAIT, discarded by PAWS with timestamps', () => {
  assert.equal(nextQuestion(questions(model('old-duplicate', true)), -1, ['stale']).answer, 'read');
  // RFC 7323 §5: a segment whose timestamp is older than the last one seen is dropped.
  assert.equal(nextQuestion(questions(model('timestamps-paws', true)), -1, ['stale']).answer, 'discard');
  // With TIME-WAIT the copy reaches a server with no connection for it: RST (§3.10.7.1 / 3.10.7.2).
  assert.equal(nextQuestion(questions(model('old-duplicate')), -1, ['stale', 'no-connection']).answer, 'rst');
});

test('a lost data segment is sent again by its sender', () => {
  const q = nextQuestion(questions(model('data-lost')), -1, ['lost']);
  assert.equal(q.answer, 'self');
});

test('a SYN reaching TIME-WAIT: reopened when newer, answered with an ACK when older', () => {
  // RFC 9293 §3.6.1 (RFC 1122 §4.2.2.13): a SYN with a higher sequence number may reopen from TIME-WAIT.
  const newer = nextQuestion(questions(model('syn-in-time-wait')), -1, ['syn-in-tw']);
  assert.equal(newer.answer, 'synack');
  // The question comes before the TIME-WAIT the SYN ends: the map still shows it when asked.
  const m = model('syn-in-time-wait');
  assert.equal(stateMapView(stateAt(m, newer.event - 1)).nodes.server.state, 'TIME-WAIT');
  // §3.10.7.4: an unacceptable SYN in a synchronized state draws an ACK.
  assert.equal(nextQuestion(questions(model('syn-in-time-wait-old-isn')), -1, ['syn-in-tw']).answer, 'ack');
});

test('every tour chapter opens a preset and finds each question it asks, in order, in both languages', async () => {
  const { CHAPTERS, chapterText } = await import('../../www/js/teach/chapters.js');
  assert.ok(CHAPTERS.length >= 6);
  for (const chapter of CHAPTERS) {
    // The chapters' links use only a preset, `time_wait=skip` and `twin`: run the same with the CLI.
    const parts = chapter.link.split('/');
    assert.deepEqual([parts[0], parts.at(-1)], ['v1', 'end']);
    assert.ok(presets.includes(parts[1]), chapter.link);
    const rest = parts.slice(2, -1);
    assert.ok(rest.every((p) => p === 'twin' || p === 'time_wait=skip'), chapter.link);
    const list = questions(model(parts[1], rest.includes('time_wait=skip')));
    let at = -1;
    for (const tag of chapter.ask) {
      const q = nextQuestion(list, at, [tag]);
      assert.ok(q, `${chapter.link}: ${tag}`);
      at = q.event;
    }
    for (const lang of ['en', 'zh-Hans']) {
      const text = chapterText(chapter, lang);
      assert.ok(text.title && text.text.length && text.text.every((s) => s.length > 10), `${chapter.link} ${lang}`);
    }
    assert.notEqual(chapterText(chapter, 'en').title, chapterText(chapter, 'zh-Hans').title);
  }
});
