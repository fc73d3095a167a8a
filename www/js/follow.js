// Keeping the current instant in view while it plays or is stepped: the diagram scrolls so that the
// cursor stays below the sticky player.

import { ui, reducedMotion } from './dom.js';

/** Where the cursor and the bottom of the sticky player are on screen now. */
export function cursorPlace() {
  const cursor = ui.diagrams.querySelector('.cursor');
  if (!cursor) return null;
  const svg = cursor.ownerSVGElement;
  const stage = document.querySelector('.stage');
  return {
    cursor,
    y: Number(cursor.getAttribute('y1')),
    box: cursor.getBoundingClientRect(),
    scale: svg.getBoundingClientRect().height / Number(svg.getAttribute('height')) || 1,
    top: stage && getComputedStyle(stage).position === 'sticky' ? stage.getBoundingClientRect().bottom : 0,
  };
}

/**
 * Scroll so the current instant is visible below the sticky player; `place` is from before it moved.
 * While it plays, only a cursor that was on screen is followed: a reader who scrolled elsewhere (to
 * the Download menu, say) is not pulled back on every frame (found by the random walk, seed 424246).
 */
export function keepCursorInView(place, playing) {
  if (playing && (place.box.bottom < place.top || place.box.top > window.innerHeight)) return;
  const shift = (Number(place.cursor.getAttribute('y1')) - place.y) * place.scale;
  const top = place.box.top + shift;
  const bottom = place.box.bottom + shift;
  const margin = 60;
  let delta = 0;
  if (top < place.top + margin / 2) delta = top - place.top - margin;
  else if (bottom > window.innerHeight - margin) delta = bottom - window.innerHeight + margin * 2;
  if (delta) window.scrollBy({ top: delta, behavior: playing || reducedMotion.matches ? 'auto' : 'smooth' });
}
