// What of a big diagram is near the window: the diagram's own px of the client area, and a search
// of items by the band of the diagram they cover ({ top, bottom }).

/** Client point (cx, cy) in the diagram's own px, and its scale (CSS px per diagram px). */
export function toDiagram(svg, cx, cy) {
  const box = svg.getBoundingClientRect();
  const scale = box.height / Number(svg.getAttribute('height')) || 1;
  return [(cx - box.left) / scale, (cy - box.top) / scale, scale];
}

/** The band of the diagram in the window, `margin` px more on each side. */
export function inView(svg, margin) {
  const [, top, scale] = toDiagram(svg, 0, 0);
  return { top: top - margin / scale, bottom: top + (innerHeight + margin) / scale };
}

/** `within(top, bottom)`: the items whose band meets [top, bottom], found by halving. */
export function searchable(items) {
  const byTop = [...items].sort((a, b) => a.top - b.top);
  const reach = byTop.reduce((m, a) => Math.max(m, a.bottom - a.top), 0);
  return function within(top, bottom) {
    let lo = 0;
    let hi = byTop.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byTop[mid].top < top - reach) lo = mid + 1;
      else hi = mid;
    }
    const out = [];
    for (let i = lo; i < byTop.length && byTop[i].top <= bottom; i++) if (byTop[i].bottom >= top) out.push(byTop[i]);
    return out;
  };
}
