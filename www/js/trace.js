// Reads a trace (the core's output, unchanged) into what the diagram draws: flights with the events
// that start and end them, each side's state over time, timer spans and the marks beside the
// lifelines. Nothing about TCP is decided here; it only regroups what the core recorded.

export const SIDES = ['client', 'server'];

/** "SYN/ACK", "FIN/ACK", "RST", "ACK". */
export function flagsText(seg) {
  return seg.flags.join('/');
}

/** A stable key for a segment identity: the same key names the same segment after a re-run. */
export function segmentKey(id) {
  return `${id.conn}-${id.from}-${id.nth}`;
}

/** `model.flightOf`'s key: the flight of segment `segment` (its index), the copy or not. */
export function flightKey(segment, copy) {
  return segment * 2 + (copy ? 1 : 0);
}

export function analyse(trace) {
  const { events, segments } = trace;
  const flights = [];
  const flightOf = new Map(); // flightKey(segment, copy) -> flight
  segments.forEach((seg, index) => {
    seg.flights.forEach((f) => {
      const flight = {
        key: `${segmentKey(seg)}${f.copy ? '-copy' : ''}`,
        segKey: segmentKey(seg),
        seg,
        index,
        copy: f.copy,
        departs: f.departs,
        ends: f.ends,
        arrives: f.arrives,
        end: f.end,
        sendEvent: -1,
        endEvent: -1,
        staleIn: null,
        orphan: false,
      };
      flights.push(flight);
      flightOf.set(flightKey(index, f.copy), flight);
    });
  });

  const bands = { client: [], server: [] };
  const timers = [];
  const marks = [];
  // Per side: each connection's state (null: the listener), to show the one that matters.
  const conns = { client: new Map(), server: new Map() };
  const shown = { client: null, server: null };
  const openTimers = new Map(); // `${side}:${conn}:${timer}` -> span
  const statesAfter = [];
  const owner = []; // event index -> what it is about, for highlighting

  const closeBand = (side, at) => {
    const band = shown[side];
    if (band) band.t1 = at;
  };
  const display = (side) => {
    // The most recently changed connection that is not CLOSED; else the listener.
    let best = null;
    for (const [conn, s] of conns[side]) {
      if (s.state !== 'CLOSED' && (!best || s.since >= best.since)) best = { conn, ...s };
    }
    return best;
  };

  events.forEach((e, i) => {
    switch (e.type) {
      case 'send': {
        for (const copy of [false, true]) {
          const f = flightOf.get(flightKey(e.segment, copy));
          if (f && f.sendEvent < 0) f.sendEvent = i;
        }
        owner[i] = { kind: 'flight', key: flightOf.get(flightKey(e.segment, false))?.key };
        break;
      }
      case 'deliver':
      case 'drop':
      case 'expire': {
        const f = flightOf.get(flightKey(e.segment, e.copy));
        if (f) {
          f.endEvent = i;
          if (e.type === 'deliver') {
            if (e.accepted_by == null) f.orphan = true;
            else if (e.accepted_by !== f.seg.conn) f.staleIn = e.accepted_by;
          }
        }
        owner[i] = { kind: 'flight', key: f?.key };
        break;
      }
      case 'state': {
        const map = conns[e.side];
        map.set(e.conn ?? 0, { state: e.to, since: i });
        const next = display(e.side);
        const before = shown[e.side];
        if (!before || !next || before.state !== next.state || before.conn !== next.conn) {
          closeBand(e.side, e.at);
          shown[e.side] = next
            ? { side: e.side, state: next.state, conn: next.conn, t0: e.at, t1: null, event: i }
            : null;
          if (next) bands[e.side].push(shown[e.side]);
        }
        marks.push({ side: e.side, at: e.at, event: i, kind: 'state', state: e.to });
        owner[i] = { kind: 'state', key: `mark-${i}` };
        break;
      }
      case 'timer_armed': {
        const k = `${e.side}:${e.conn}:${e.timer}`;
        const prev = openTimers.get(k);
        if (prev) {
          prev.t1 = e.at;
          prev.endedBy = 'restart';
        }
        const span = {
          key: `timer-${i}`,
          side: e.side,
          conn: e.conn,
          timer: e.timer,
          t0: e.at,
          t1: null,
          expires: e.expires,
          restart: e.restart,
          event: i,
          endEvent: -1,
          endedBy: null,
        };
        openTimers.set(k, span);
        timers.push(span);
        owner[i] = { kind: 'timer', key: span.key };
        break;
      }
      case 'timer_cancelled':
      case 'timer_fired': {
        const k = `${e.side}:${e.conn}:${e.timer}`;
        const span = openTimers.get(k);
        if (span) {
          span.t1 = e.at;
          span.endEvent = i;
          span.endedBy = e.type === 'timer_fired' ? 'fired' : 'cancelled';
          openTimers.delete(k);
          owner[i] = { kind: 'timer', key: span.key };
        }
        break;
      }
      default: {
        marks.push({ side: e.side, at: e.at, event: i, kind: 'app', type: e.type });
        owner[i] = { kind: 'app', key: `mark-${i}` };
      }
    }
    // A TCB that closed leaves no timer running.
    if (e.type === 'state' && e.to === 'CLOSED') {
      for (const [k, span] of openTimers) {
        if (span.side === e.side && span.conn === e.conn) {
          span.t1 = e.at;
          span.endedBy = span.endedBy || 'closed';
          openTimers.delete(k);
        }
      }
    }
    statesAfter.push({ client: shown.client?.state ?? null, server: shown.server?.state ?? null });
  });
  for (const side of SIDES) closeBand(side, trace.end);
  for (const span of openTimers.values()) span.t1 = Math.min(span.expires, trace.end);
  // Spans that start and stop in the same instant (a delayed ACK sent at once) have nothing to show.
  const visibleTimers = timers.filter((s) => s.t1 > s.t0);

  // Whose state each event happened in (for narration: "in TIME-WAIT the client still knows it").
  const stateBefore = events.map((_, i) => (i === 0 ? { client: null, server: null } : statesAfter[i - 1]));

  // Which side closes first: the application's first close or shutdown call.
  const firstClose = events.findIndex((e) => e.type === 'call' && (e.call === 'close' || e.call === 'shutdown'));

  return {
    trace,
    flights,
    flightOf,
    bands,
    timers: visibleTimers,
    allTimers: timers,
    marks,
    statesAfter,
    stateBefore,
    owner,
    firstClose,
  };
}

/** The index of the last event at or before `t`. */
export function lastEventAt(events, t) {
  let lo = 0;
  let hi = events.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].at <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
