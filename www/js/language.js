// The page's language: the reader's saved choice, the browser's, or a link's; every static label
// (data-i18n) is rewritten when it changes, and the views redraw their words (the store's
// 'language' event).

import { t, setLanguage, loadLanguage, initialLanguage } from './i18n.js';
import { emit } from './store.js';

function savedLanguage() {
  try {
    return localStorage.getItem('twlab.lang');
  } catch {
    return null;
  }
}

/** The language to start in: saved, else the browser's, else English. */
export function startLanguage() {
  return applyLanguage(initialLanguage(savedLanguage(), navigator.languages || [navigator.language]), false);
}

/** A link's language (`lang=`), understood like a browser's preference; not saved. */
export function linkLanguage(tag) {
  return applyLanguage(initialLanguage(tag, [tag]), false);
}

let asked = 0;

/**
 * Switch to `code` (fetching its words first if needed); `save` remembers it for the next visit.
 * The last language asked for wins, even if an earlier one's words arrive after it.
 */
export async function applyLanguage(code, save) {
  const mine = ++asked;
  await loadLanguage(code);
  if (mine !== asked) return;
  const lang = setLanguage(code);
  document.documentElement.lang = lang;
  if (save) {
    try {
      localStorage.setItem('twlab.lang', lang);
    } catch {
      // Storage may be off (private mode, sandboxed frame): the choice lasts for this visit.
    }
  }
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t(node.dataset.i18nLabel));
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  document.title = `twlab: ${t('title')}`;
  emit('language');
}

export function bindLanguage() {
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', () => applyLanguage(b.dataset.lang, true));
  }
}
