// Zooming a big run's time axis: + and − (keys or buttons) about the player's place, so that the
// zoom follows the player; Ctrl+wheel (a trackpad's pinch) and a two-finger pinch about the pointer;
// a click on a folded band about its middle. The instant at the anchor stays where it was on screen.
// The page hands over what this uses of it (main.js): its state, player, diagrams and controls.

import { w } from './text.js';

/** How far the reader may zoom the time axis out and in. */
const ZOOM = { min: 1 / 8, max: 128 };

/** The zoom's controls, beside the player's speed: −, the level, +. */
function makeControls() {
  const box = document.createElement('div');
  box.className = 'zoom';
  box.id = 'zoom';
  box.setAttribute('role', 'group');
  const button = (id, text, keys) => {
    const b = document.createElement('button');
    b.id = id;
    b.type = 'button';
    b.className = 'icon';
    b.textContent = text;
    b.setAttribute('aria-keyshortcuts', keys);
    return b;
  };
  const controls = { box, out: button('zoom-out', '−', '-'), level: document.createElement('output'), in: button('zoom-in', '+', '+') };
  controls.level.id = 'zoom-level';
  controls.level.setAttribute('aria-live', 'polite');
  box.append(controls.out, controls.level, controls.in);
  document.querySelector('.player .speed').after(box);
  return controls;
}
let controls = null;

let page = null;

/** Zoom to `zoom`, keeping instant `at` (µs, the player's by default) where it is on screen. */
function zoomTo(zoom, at = page.player.t) {
  const { state, views, ui } = page;
  const layer = views()[0]?.view.big;
  if (!layer) return;
  const before = layer.screenY(at);
  const focused = document.activeElement?.closest?.('.flight')?.dataset.seg;
  if (!page.setZoom(Math.min(ZOOM.max, Math.max(ZOOM.min, zoom)))) return;
  page.drawRuns();
  page.player.timeline = state.timeline;
  page.renderNow();
  window.scrollBy(0, views()[0].view.big.screenY(at) - before);
  if (focused) ui.diagrams.querySelector(`.flight[data-seg="${focused}"]`)?.focus();
  showZoom(true);
}

/** The zoom's controls, shown while a big run is (`shown`), say how far the axis is zoomed. */
export function showZoom(shown) {
  const { zoom } = page.state;
  controls.box.hidden = !shown;
  // In the page's language, which may have changed since.
  controls.box.setAttribute('aria-label', w('zoom'));
  controls.in.setAttribute('aria-label', w('zoomIn'));
  controls.out.setAttribute('aria-label', w('zoomOut'));
  // Two significant digits below 10× (0.13×, 1.5×), whole numbers above (128×, not 1.3e2).
  controls.level.textContent = `${zoom < 10 ? Number(zoom.toPrecision(2)) : Math.round(zoom)}×`;
  controls.in.disabled = zoom >= ZOOM.max;
  controls.out.disabled = zoom <= ZOOM.min;
}

export function bindZoom(modules) {
  page = modules;
  controls = makeControls();
  const { state, views, ui } = page;
  controls.in.addEventListener('click', () => zoomTo(state.zoom * 2));
  controls.out.addEventListener('click', () => zoomTo(state.zoom / 2));
  document.addEventListener('keydown', (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.target.closest?.('input, select, textarea')) return;
    const factor = { '+': 2, '=': 2, '-': 0.5 }[ev.key];
    if (!factor || controls.box.hidden) return;
    ev.preventDefault();
    zoomTo(state.zoom * factor);
  });
  // Wheel and pinch steps come faster than frames: one zoom per frame, about the latest pointer.
  let pending = null;
  const later = (factor, clientY) => {
    if (!pending) {
      pending = { factor: 1 };
      requestAnimationFrame(() => {
        const { factor: f, at } = pending;
        pending = null;
        zoomTo(state.zoom * f, at);
      });
    }
    pending.factor *= factor;
    pending.at = views()[0]?.view.big?.timeAt(clientY);
  };
  ui.diagrams.addEventListener('wheel', (ev) => {
    if (!ev.ctrlKey || controls.box.hidden) return;
    ev.preventDefault();
    later(Math.exp(-ev.deltaY / 300), ev.clientY);
  }, { passive: false });
  const touches = new Map();
  let pinch = null;
  ui.diagrams.addEventListener('pointerdown', (ev) => {
    if (ev.pointerType !== 'touch') return;
    touches.set(ev.pointerId, ev.clientY);
    if (touches.size === 2) pinch = { span: spread(touches) };
  });
  ui.diagrams.addEventListener('pointermove', (ev) => {
    if (!touches.has(ev.pointerId)) return;
    touches.set(ev.pointerId, ev.clientY);
    if (!pinch || touches.size !== 2) return;
    const span = spread(touches);
    const [a, b] = touches.values();
    later(span / pinch.span, (a + b) / 2);
    pinch.span = span;
  });
  const lift = (ev) => {
    touches.delete(ev.pointerId);
    if (touches.size < 2) pinch = null;
  };
  ui.diagrams.addEventListener('pointerup', lift);
  ui.diagrams.addEventListener('pointercancel', lift);
  ui.diagrams.addEventListener('twlab:zoom', (ev) => zoomTo(ev.detail.zoom, ev.detail.at));
}

/** How far apart two touches are along the time axis (at least a finger's width). */
function spread(touches) {
  const [a, b] = touches.values();
  return Math.max(20, Math.abs(a - b));
}
