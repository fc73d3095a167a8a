// Embedding: the panel of snippets for someone's article, and the page's own embed mode (?embed, in
// an iframe): no chrome, fewer controls unless asked, and its height posted to the host page.

import { language } from './i18n.js';
import { state, link } from './store.js';
import { embedSnippets, pageBase } from './share.js';
import { presetTitle } from './picker.js';
import { ui, query } from './dom.js';
import { THEMABLE } from './lite-assets.js';

/** Refresh the snippets if the panel is open (after any change to what is shown). */
export function refreshEmbed() {
  if (ui.embedPanel.hidden) return;
  const fragment = link(language(), null);
  if (fragment === null) return;
  const snippets = embedSnippets(pageBase(), fragment, `twlab: ${presetTitle(state.base)[0]}`);
  ui.embedElement.value = snippets.element;
  ui.embedIframe.value = snippets.iframe;
}

export function bindEmbedPanel() {
  ui.embedButton.addEventListener('click', () => {
    const open = ui.embedPanel.hidden;
    ui.embedPanel.hidden = !open;
    ui.embedButton.setAttribute('aria-expanded', String(open));
    refreshEmbed();
  });
}

/**
 * In an iframe: no chrome, fewer controls unless asked, the height for the host page, and the host's
 * colours and font (<twlab-lab>'s --twlab-NAME) applied to the palette.
 */
export function setUpEmbedding() {
  const root = document.documentElement.classList;
  root.add('embed');
  if (query.get('controls') !== 'full') root.add('controls-minimal');
  ui.openFull.hidden = false;
  let last = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: 'twlab:height', height }, '*');
  }).observe(document.body);
  window.addEventListener('message', (ev) => {
    if (ev.source === window.parent && ev.data?.type === 'twlab:style') applyHostStyle(ev.data);
  });
}

/** The palette lab.css gives `:root` for `theme` (light, or dark as for prefers-color-scheme: dark). */
function palette(theme) {
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) {
      if (theme === 'light' && rule.selectorText === ':root') return rule.style;
      if (theme === 'dark' && /prefers-color-scheme:\s*dark/.test(rule.media?.mediaText)) return rule.cssRules[0].style;
    }
  }
  return null;
}

/** The host's theme (light or dark, whatever the system's) and its colours and font. */
function applyHostStyle({ theme, vars }) {
  const root = document.documentElement.style;
  root.cssText = '';
  const decls = theme === 'light' || theme === 'dark' ? palette(theme) : null;
  for (const name of decls || []) root.setProperty(name, decls.getPropertyValue(name));
  if (decls) root.colorScheme = theme;
  for (const name of THEMABLE) {
    const value = vars?.[name];
    if (typeof value === 'string' && value && value.length < 300) root.setProperty(`--${name}`, value);
  }
}

/** Tell the host page (twlab.js) that the lab is live. */
export function embedReady() {
  window.parent.postMessage({ type: 'twlab:ready' }, '*');
}
