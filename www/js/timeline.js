// Virtual time (µs) ↔ screen y (px). Time runs down the page to scale: one one-way delay is a fixed
// number of pixels, so an arrow's slope is its flight time. A long quiet span (nothing sent, nothing
// arriving, no state change) becomes a break of modest height, drawn as a zig-zag and labelled with
// its real length, so that a 4-minute TIME-WAIT fits beside 50 ms flights.

/** Pixels for one one-way delay: roomy enough for four stacked labels per delay. */
export const PX_PER_DELAY = 52;
/** A quiet span longer than this many one-way delays is compressed. */
const QUIET_DELAYS = 5;
const BREAK_MIN = 40;
const BREAK_MAX = 96;

/**
 * Build the time axis shared by all the traces shown together (so that the same instant lines up
 * across side-by-side diagrams), `zoom` times the usual scale (breaks shrink when zoomed out, never
 * grow). Returns { height, y(t), t(y), breaks, spans, end, scale, zoom }.
 */
export function buildTimeline(traces, delayUs, zoom = 1) {
  const delay = Math.max(1, delayUs);
  const scale = (PX_PER_DELAY * zoom) / delay; // px per µs
  const quiet = QUIET_DELAYS * delay;
  const instants = new Set([0]);
  let end = 0;
  for (const trace of traces) {
    for (const e of trace.events) instants.add(e.at);
    for (const s of trace.segments) {
      for (const f of s.flights) {
        instants.add(f.departs);
        instants.add(f.ends);
      }
    }
    end = Math.max(end, trace.end);
  }
  const times = [...instants].sort((a, b) => a - b);
  // Pieces of the axis: [t0, t1] drawn from y0 to y1, linear inside each piece.
  const spans = [];
  const breaks = [];
  let y = 0;
  for (let i = 1; i < times.length; i++) {
    const t0 = times[i - 1];
    const t1 = times[i];
    const gap = t1 - t0;
    let h;
    if (gap > quiet) {
      h = Math.min(BREAK_MAX, BREAK_MIN + 10 * Math.log2(gap / quiet)) * Math.min(1, zoom);
      breaks.push({ t0, t1, y0: y, y1: y + h });
    } else {
      h = gap * scale;
    }
    spans.push({ t0, t1, y0: y, y1: y + h, compressed: gap > quiet });
    y += h;
  }
  if (spans.length === 0) spans.push({ t0: 0, t1: 0, y0: 0, y1: 0, compressed: false });
  const height = y;

  /** The first span whose end (`key` "t1" or "y1") is at or after `v`, else the last one. */
  function spanAt(key, v) {
    let lo = 0;
    let hi = spans.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid][key] < v) lo = mid + 1;
      else hi = mid;
    }
    return spans[lo];
  }

  function yOf(t) {
    if (t <= spans[0].t0) return spans[0].y0;
    const s = spanAt('t1', t);
    if (t >= s.t1) return s.y1;
    return s.y0 + ((t - s.t0) / (s.t1 - s.t0)) * (s.y1 - s.y0);
  }

  function tOf(yy) {
    if (yy <= 0) return spans[0].t0;
    const s = spanAt('y1', yy);
    if (yy >= s.y1 || s.y1 === s.y0) return s.t1;
    return Math.round(s.t0 + ((yy - s.y0) / (s.y1 - s.y0)) * (s.t1 - s.t0));
  }

  return { height, y: yOf, t: tOf, breaks, spans, end, scale, zoom };
}

/**
 * Tick marks for the time axis: round instants at least `minGap` px apart inside the linear
 * stretches, and the first instant after each break.
 */
export function ticks(timeline, minGap = 44) {
  const out = [];
  const stepUs = niceStep(minGap / timeline.scale);
  let lastY = -Infinity;
  for (const s of timeline.spans) {
    if (s.compressed) {
      out.push({ t: s.t1, y: s.y1 });
      lastY = s.y1;
      continue;
    }
    const first = Math.ceil(s.t0 / stepUs) * stepUs;
    for (let t = first; t <= s.t1; t += stepUs) {
      const y = timeline.y(t);
      if (y - lastY >= minGap * 0.75) {
        out.push({ t, y });
        lastY = y;
      }
    }
  }
  return out;
}

function niceStep(us) {
  const pow = 10 ** Math.floor(Math.log10(Math.max(us, 1)));
  for (const m of [1, 2, 5, 10]) if (m * pow >= us) return m * pow;
  return 10 * pow;
}
