// The connection state machine of RFC 9293 (§3.3.2, its Figure 5, drawn afresh) beside the diagram:
// each side's current state and the transition just taken, both read from the trace's state events
// (from, to, cause). Nothing here decides what TCP does; it only places what the core recorded.
// `stateMapView` is pure (the tests check it against every preset); `drawStateMap` builds the SVG with
// DOM calls and returns `update(view)`.

import { teach } from './text.js';

export const RFC = 'https://www.rfc-editor.org/rfc/rfc9293';

/**
 * How tools print the states: `ss` (iproute2, misc/ss.c `sstate_name`) and `netstat` (net-tools,
 * netstat.c `tcp_state`). A socket with no TCB is not listed at all; UNCONN/CLOSE is what they print
 * for a socket in the kernel's CLOSE state. ss shows TIME-WAIT's timer as `timer:(timewait,…)`.
 */
export const NAMES = {
  'CLOSED': { ss: 'UNCONN', netstat: 'CLOSE' },
  'LISTEN': { ss: 'LISTEN', netstat: 'LISTEN' },
  'SYN-SENT': { ss: 'SYN-SENT', netstat: 'SYN_SENT' },
  'SYN-RECEIVED': { ss: 'SYN-RECV', netstat: 'SYN_RECV' },
  'ESTABLISHED': { ss: 'ESTAB', netstat: 'ESTABLISHED' },
  'FIN-WAIT-1': { ss: 'FIN-WAIT-1', netstat: 'FIN_WAIT1' },
  'FIN-WAIT-2': { ss: 'FIN-WAIT-2', netstat: 'FIN_WAIT2' },
  'CLOSE-WAIT': { ss: 'CLOSE-WAIT', netstat: 'CLOSE_WAIT' },
  'CLOSING': { ss: 'CLOSING', netstat: 'CLOSING' },
  'LAST-ACK': { ss: 'LAST-ACK', netstat: 'LAST_ACK' },
  'TIME-WAIT': { ss: 'TIME-WAIT', netstat: 'TIME_WAIT' },
};

/** A state's name as `naming` ('rfc', 'ss' or 'netstat') prints it. */
export function stateName(state, naming = 'rfc') {
  return naming === 'rfc' ? state : NAMES[state]?.[naming] ?? state;
}

// The nodes, on a grid of the figure's shape: opening above ESTABLISHED, the active close down the
// left, the passive close down the right. CLOSED is drawn twice, as in the figure: where a connection
// starts and where it ends.
const NODES = {
  'CLOSED': [220, 22],
  'LISTEN': [220, 80],
  'SYN-RECEIVED': [110, 140],
  'SYN-SENT': [330, 140],
  'ESTABLISHED': [220, 200],
  'FIN-WAIT-1': [110, 262],
  'CLOSE-WAIT': [330, 262],
  'FIN-WAIT-2': [58, 326],
  'CLOSING': [172, 326],
  'LAST-ACK': [330, 326],
  'TIME-WAIT': [110, 390],
  'CLOSED-end': [220, 448],
};
const NODE_W = 104;
const NODE_H = 28;
export const END = 'CLOSED-end';

/**
 * The figure's arrows (plus FIN-WAIT-1 to TIME-WAIT, which the text of §3.10.7.4 adds): from, to,
 * which way the curve bends, the RFC 9293 section that specifies it, and the cause the core records.
 */
export const EDGES = [
  ['CLOSED', 'LISTEN', 0, '3.10.1', 'passive_open'],
  ['CLOSED', 'SYN-SENT', 0.25, '3.10.1', 'active_open'],
  ['LISTEN', 'SYN-RECEIVED', 0.12, '3.10.7.2', 'rcv_syn'],
  ['LISTEN', 'SYN-SENT', 0, '3.10.2', 'send'],
  ['SYN-SENT', 'SYN-RECEIVED', 0, '3.10.7.3', 'rcv_syn'],
  ['SYN-RECEIVED', 'LISTEN', 0.12, '3.10.7.4', 'rcv_rst'],
  ['SYN-SENT', 'ESTABLISHED', 0, '3.10.7.3', 'rcv_syn_ack'],
  ['SYN-RECEIVED', 'ESTABLISHED', 0, '3.10.7.4', 'rcv_ack'],
  ['SYN-RECEIVED', 'FIN-WAIT-1', -0.35, '3.10.4', 'app_close'],
  ['ESTABLISHED', 'FIN-WAIT-1', 0, '3.10.4', 'app_close'],
  ['ESTABLISHED', 'CLOSE-WAIT', 0, '3.10.7.4', 'rcv_fin'],
  ['FIN-WAIT-1', 'FIN-WAIT-2', 0, '3.10.7.4', 'rcv_ack_of_fin'],
  ['FIN-WAIT-1', 'CLOSING', 0, '3.10.7.4', 'rcv_fin'],
  ['FIN-WAIT-1', 'TIME-WAIT', 0, '3.10.7.4', 'rcv_fin'],
  ['FIN-WAIT-2', 'TIME-WAIT', 0, '3.10.7.4', 'rcv_fin'],
  ['CLOSING', 'TIME-WAIT', 0, '3.10.7.4', 'rcv_ack_of_fin'],
  ['CLOSE-WAIT', 'LAST-ACK', 0, '3.10.4', 'app_close'],
  ['LAST-ACK', END, 0, '3.10.7.4', 'rcv_ack_of_fin'],
  ['TIME-WAIT', END, 0, '3.10.8', 'time_wait_expired'],
].map(([from, to, bend, section, cause]) => ({ id: `${from}>${to}`, from, to, bend, section, cause }));

// Transitions the figure leaves out, by cause: where the RFC specifies each.
const EXTRA_SECTIONS = {
  rcv_rst: '3.5.3', // reset processing, from any state
  retries_exhausted: '3.8.3', // connection failures: R2 reached
  rcv_syn: '3.6.1', // a new SYN reopens a pair in TIME-WAIT (MAY, RFC 1122 §4.2.2.13)
  time_wait_skipped: '3.6.1', // the lab's what-if: the MUST it breaks is in §3.6.1
  app_close: '3.10.4',
};

/** The link for a section of RFC 9293 (null: a Linux behaviour, not in the RFC). */
export function sectionUrl(section) {
  return section ? `${RFC}#section-${section}` : null;
}

/** The node a state is drawn at: CLOSED at the top until a transition into CLOSED was the last. */
function nodeFor(state, last) {
  if (state === 'CLOSED' || state == null) return last && last.to === 'CLOSED' ? END : 'CLOSED';
  return state;
}

/**
 * Each side's state and last transition after step `step` of an analysed trace (`trace.js`): the state
 * is the one the diagram's bands and the transcript show (`model.statesAfter`, null: no TCB).
 */
export function stateAt(model, step) {
  const sides = {};
  for (const side of ['client', 'server']) {
    let last = null;
    for (let i = Math.min(step, model.trace.events.length - 1); i >= 0; i--) {
      const e = model.trace.events[i];
      if (e.type === 'state' && e.side === side) {
        last = { side, from: e.from, to: e.to, cause: e.cause, event: i };
        break;
      }
    }
    sides[side] = { state: step >= 0 ? model.statesAfter[step]?.[side] ?? null : null, last };
  }
  return sides;
}

/**
 * The highlighted view: for each side its node and state (CLOSED when there is no TCB), and the
 * transition just taken (the latest of either side): its edge in the figure, or `extra` when the figure
 * has none, with its RFC 9293 section.
 */
export function stateMapView(sides) {
  const view = { nodes: {}, edge: null };
  let latest = null;
  for (const side of ['client', 'server']) {
    const { state, last } = sides[side];
    view.nodes[side] = { state: state ?? 'CLOSED', node: nodeFor(state, last) };
    if (last && (!latest || last.event > latest.event)) latest = last;
  }
  if (latest) {
    const to = latest.to === 'CLOSED' ? END : latest.to;
    const edge = EDGES.find((e) => e.from === latest.from && e.to === to && e.cause === latest.cause);
    view.edge = {
      side: latest.side,
      from: latest.from,
      to: latest.to,
      cause: latest.cause,
      event: latest.event,
      id: edge ? edge.id : `${latest.from}>${to}`,
      extra: !edge,
      section: edge ? edge.section : EXTRA_SECTIONS[latest.cause] ?? null,
    };
  }
  return view;
}

/** The first event after `step` (wrapping to the start) at which a side enters `state`; -1 if none. */
export function nextEntry(events, step, state) {
  const enters = (e) => e.type === 'state' && e.to === state;
  for (let i = step + 1; i < events.length; i++) if (enters(events[i])) return i;
  for (let i = 0; i <= Math.min(step, events.length - 1); i++) if (enters(events[i])) return i;
  return -1;
}

const SVG = 'http://www.w3.org/2000/svg';
function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

/** Where the segment from a's centre to b's centre leaves a's box. */
function boxExit([x, y], [tx, ty]) {
  const dx = tx - x;
  const dy = ty - y;
  const sx = dx ? (NODE_W / 2) / Math.abs(dx) : Infinity;
  const sy = dy ? (NODE_H / 2) / Math.abs(dy) : Infinity;
  const s = Math.min(sx, sy);
  return [x + dx * s, y + dy * s];
}

function edgePath(from, to, bend) {
  const a = NODES[from];
  const b = NODES[to];
  const [x1, y1] = boxExit(a, b);
  const [x2, y2] = boxExit(b, a);
  const mx = (x1 + x2) / 2 - (y2 - y1) * bend;
  const my = (y1 + y2) / 2 + (x2 - x1) * bend;
  return `M${x1.toFixed(1)},${y1.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`;
}

/**
 * Draw the map into `container` (an element). `onState(state)` is called when the reader activates a
 * state (click, Enter or Space). Returns `{ update(view), setNaming(naming) }`.
 */
export function drawStateMap(container, { onState, naming = 'rfc' } = {}) {
  const tx = teach();
  // From y -10: room for the side's badge above the top CLOSED.
  const svg = el('svg', { viewBox: '0 -10 440 480', class: 'statemap-svg', role: 'group' });
  svg.setAttribute('aria-label', tx.map.label);
  const defs = el('defs', {}, svg);
  const marker = el('marker', { id: 'sm-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, markerUnits: 'userSpaceOnUse', orient: 'auto' }, defs);
  el('path', { d: 'M0,0 L10,5 L0,10 z', class: 'sm-arrowhead' }, marker);

  const edgeLayer = el('g', { class: 'sm-edges' }, svg);
  const edges = new Map();
  for (const edge of EDGES) {
    const link = el('a', { href: sectionUrl(edge.section), target: '_blank', rel: 'noopener', class: 'sm-edge' }, edgeLayer);
    link.dataset.edge = edge.id;
    const title = el('title', {}, link);
    title.textContent = `${edge.from.replace(END, 'CLOSED')} → ${edge.to.replace(END, 'CLOSED')}: ${tx.causes[edge.cause] ?? edge.cause} (RFC 9293 §${edge.section})`;
    link.setAttribute('aria-label', title.textContent);
    el('path', { d: edgePath(edge.from, edge.to, edge.bend), 'marker-end': 'url(#sm-arrow)' }, link);
    edges.set(edge.id, link);
  }
  // A transition the figure does not draw (a reset, TIME-WAIT skipped) appears as a dashed arrow.
  const extra = el('path', { class: 'sm-extra', 'marker-end': 'url(#sm-arrow)', visibility: 'hidden' }, edgeLayer);

  const nodeLayer = el('g', { class: 'sm-nodes' }, svg);
  const badgeLayer = el('g', { class: 'sm-badge-layer', 'aria-hidden': 'true' }, svg);
  const nodes = new Map();
  for (const [id, [x, y]] of Object.entries(NODES)) {
    const state = id === END ? 'CLOSED' : id;
    const g = el('g', { class: 'sm-node', tabindex: 0, role: 'button', transform: `translate(${x - NODE_W / 2},${y - NODE_H / 2})` }, nodeLayer);
    g.dataset.state = state;
    g.dataset.node = id;
    el('rect', { width: NODE_W, height: NODE_H, rx: 6 }, g);
    const label = el('text', { x: NODE_W / 2, y: NODE_H / 2 + 4, 'text-anchor': 'middle' }, g);
    // Which side is here, in words beside the node; the node's own label says it to assistive
    // technology, so the badge sits outside the button and is hidden from it.
    const badges = el('text', { x: x + NODE_W / 2 - 4, y: y - NODE_H / 2 - 3, 'text-anchor': 'end', class: 'sm-badges' }, badgeLayer);
    const activate = () => onState?.(state);
    g.addEventListener('click', activate);
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        activate();
      }
    });
    nodes.set(id, { g, label, badges, state });
  }

  const caption = document.createElement('p');
  caption.className = 'statemap-caption';
  caption.setAttribute('aria-live', 'polite');
  container.replaceChildren(svg, caption);

  let current = null;
  const label = (n) => {
    n.label.textContent = stateName(n.state, naming);
  };
  const describe = (n, sidesHere) => {
    const here = sidesHere.map((s) => tx.sides[s]).join(tx.list);
    const name = stateName(n.state, naming);
    n.g.setAttribute('aria-label', sidesHere.length ? tx.map.nodeHere(name, here) : tx.map.node(name));
  };
  for (const n of nodes.values()) {
    label(n);
    describe(n, []);
  }

  function update(view) {
    current = view;
    for (const [id, n] of nodes) {
      const here = ['client', 'server'].filter((s) => view.nodes[s]?.node === id);
      n.g.classList.toggle('is-client', here.includes('client'));
      n.g.classList.toggle('is-server', here.includes('server'));
      if (here.length) n.g.setAttribute('aria-current', 'true');
      else n.g.removeAttribute('aria-current');
      n.badges.textContent = here.map((s) => tx.sides[s]).join(' ');
      describe(n, here);
    }
    for (const [id, link] of edges) {
      link.classList.toggle('is-taken', Boolean(view.edge && !view.edge.extra && view.edge.id === id));
      link.classList.toggle('is-client', view.edge?.side === 'client' && view.edge.id === id);
      link.classList.toggle('is-server', view.edge?.side === 'server' && view.edge.id === id);
    }
    if (view.edge?.extra) {
      const [from, to] = view.edge.id.split('>');
      extra.setAttribute('d', edgePath(from, to, 0.3));
      extra.setAttribute('visibility', 'visible');
      extra.setAttribute('class', `sm-extra is-${view.edge.side}`);
    } else extra.setAttribute('visibility', 'hidden');
    caption.replaceChildren();
    if (view.edge) {
      const e = view.edge;
      caption.append(`${tx.Sides[e.side]}${tx.colon}${stateName(e.from, naming)} → ${stateName(e.to, naming)} (${tx.causes[e.cause] ?? e.cause}) `);
      if (e.section) {
        const a = document.createElement('a');
        a.href = sectionUrl(e.section);
        a.target = '_blank';
        a.rel = 'noopener';
        a.textContent = `RFC 9293 §${e.section}`;
        caption.append(a);
      } else caption.append(tx.map.notRfc);
    }
  }

  function setNaming(next) {
    naming = next;
    for (const n of nodes.values()) label(n);
    if (current) update(current);
  }

  /** Say something in the caption (it is a live region): until the next update. */
  function say(text) {
    caption.textContent = text;
  }

  return { update, setNaming, say, svg };
}
