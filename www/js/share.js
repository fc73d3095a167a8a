// Sharing what the reader sees: the link (the core writes and reads it), the embed snippets, and the
// downloads: the diagram as a self-contained SVG or a PNG, the trace as JSON or text, the run as pcap.

import { t, explainError } from './i18n.js';

/** The words for a link that did not open, in the page's language, with the core's details. */
export function linkProblem(opened) {
  // A value out of range is named with its field, value and allowed range in the reader's language.
  const message = opened.problem ? explainError(opened) : opened.message;
  return t('badLink', t(`linkErrors.${opened.kind}`), message);
}

/** The page's address (no query, no fragment): what links and snippets point at. */
export function pageBase(href = location.href) {
  const url = new URL(href);
  url.search = '';
  url.hash = '';
  return url.href.replace(/index\.html$/, '');
}

/** Put `text` on the clipboard; if the browser refuses, leave it selected in `input` for Ctrl+C. */
export async function copyText(text, input) {
  input.value = text;
  input.hidden = false;
  input.select();
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

const attr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The two embed snippets for a link's fragment: the custom element (one script, one tag) and the
 * iframe (for Markdown sites). An unchanged preset is spelt with `preset`, anything else with `link`.
 */
export function embedSnippets(base, fragment, title) {
  const plain = /^v1\/([a-z0-9-]+)(\/twin)?(?:\/lang=([A-Za-z0-9-]+))?\/end$/.exec(fragment);
  const what = plain
    ? `preset="${plain[1]}"${plain[3] ? ` lang="${plain[3]}"` : ''}${plain[2] ? ' twin' : ''}`
    : `link="${attr(fragment)}"`;
  return {
    element: `<script type="module" src="${attr(base)}twlab.js"></script>\n<twlab-lab ${what} controls="minimal"></twlab-lab>`,
    iframe: `<iframe src="${attr(base)}index.html?embed#${attr(fragment)}" title="${attr(title)}" width="100%" height="720" loading="lazy" style="border:0"></iframe>`,
  };
}

/** Offer `data` (a string, bytes or a Blob) as a file download. */
export function download(name, type, data) {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

// What the stylesheet sets on the diagram's shapes and text: copied onto each element so that the
// file looks the same without the page (Inkscape reads neither our classes nor CSS variables).
const PROPS = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin',
  'stroke-opacity', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor',
  'dominant-baseline', 'paint-order', 'letter-spacing',
];

/**
 * The diagram as a standalone SVG document: every element's computed style written inline, the
 * page's background behind it, hidden parts left out.
 */
export function svgDocument(svg) {
  const copy = svg.cloneNode(true);
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  const gone = [];
  from.forEach((node, i) => {
    const style = getComputedStyle(node);
    const out = to[i];
    if (style.display === 'none' || style.visibility === 'hidden') {
      if (!node.closest('defs')) gone.push(out);
      return;
    }
    out.removeAttribute('tabindex');
    // Through the CSSOM: a style attribute written as text is an inline style, which the page's
    // Content-Security-Policy (style-src 'self') refuses, and each refusal is a console error.
    for (const p of PROPS) out.style.setProperty(p, style.getPropertyValue(p));
  });
  for (const node of gone) node.remove();
  const box = svg.getBoundingClientRect();
  const width = Math.ceil(box.width);
  const height = Math.ceil(box.height);
  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('width', width);
  copy.setAttribute('height', height);
  if (!copy.getAttribute('viewBox')) copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  for (const [k, v] of Object.entries({ x: 0, y: 0, width: '100%', height: '100%' })) bg.setAttribute(k, v);
  bg.style.setProperty('fill', getComputedStyle(svg.closest('figure') || document.body).backgroundColor);
  copy.insertBefore(bg, copy.firstChild);
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`, width, height };
}

/** The SVG document drawn at twice its size into a PNG. */
export function pngBlob({ text, width, height }) {
  return new Promise((done, fail) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = width * 2;
      canvas.height = height * 2;
      const g = canvas.getContext('2d');
      g.scale(2, 2);
      g.drawImage(img, 0, 0, width, height);
      canvas.toBlob((blob) => (blob ? done(blob) : fail(new Error('the PNG could not be made'))), 'image/png');
    };
    img.onerror = () => fail(new Error('the diagram could not be drawn'));
    // A data: URL, which the page's Content-Security-Policy allows for images (blob: it does not).
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  });
}
