// What every part of the diagram draws with: SVG elements, labels measured to fit their column,
// and the layout constants the parts share.

export const NS = 'http://www.w3.org/2000/svg';
export const BAND = 5; // half the width of a state band
export const LANE = 12; // timers run this far outside the lifeline

export const STATE_CLASS = {
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

export function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const k in attrs) if (attrs[k] != null) node.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(node);
  return node;
}

export function text(parent, x, y, content, attrs = {}) {
  const node = el('text', { x: r(x), y: r(y), ...attrs }, parent);
  node.textContent = content;
  return node;
}

export const r = (x) => Math.round(x * 10) / 10;

// Labels are measured with a canvas in the page's own font (no DOM layout needed), so they can be
// shortened or wrapped to fit their column whatever fonts the reader has.
let measurer = null;
let family = '';
const widths = new Map();

/** Width in px of `s` at `size` px; `em` > 0.6 asks for bold. */
export function textWidth(s, size, em = 0.58) {
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
export function fit(s, size, max, em) {
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
export function wrap(s, size, max, em) {
  if (textWidth(s, size, em) <= max) return [s];
  const words = s.split(' ');
  let first = '';
  while (words.length > 1 && textWidth(`${first}${first ? ' ' : ''}${words[0]}`, size, em) <= max) {
    first += `${first ? ' ' : ''}${words.shift()}`;
  }
  if (!first) return [fit(s, size, max, em)];
  return [first, fit(words.join(' '), size, max, em)];
}
