// The page's languages (English and Simplified Chinese, one module each in lang/) and the
// functions that pick, look up and format words: t(key, …args), durations, instants, quotes.
// The tables have the same keys; a missing key falls back to English. English is part of the page;
// another language is fetched when the reader first needs it (loadLanguage), so that nobody
// downloads the words of a language they do not read.

import en from './lang/en.js';

const languages = { en };
// A literal import() for each, which the build keeps as a file of its own (scripts/build-site.mjs).
const loaders = { 'zh-Hans': () => import('./lang/zh-Hans.js') };

let current = en;

/** The language to start in: a saved choice, else the browser's, else English. */
export function initialLanguage(saved, navigatorLanguages) {
  if (saved && (languages[saved] || loaders[saved])) return saved;
  for (const tag of navigatorLanguages || []) {
    const lower = String(tag).toLowerCase();
    if (lower.startsWith('zh')) return 'zh-Hans';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Fetch `code`'s words if they are not here yet; if they cannot be fetched, English stays. */
export async function loadLanguage(code) {
  if (languages[code] || !loaders[code]) return;
  try {
    languages[code] = (await loaders[code]()).default;
  } catch {
    // Offline, or the file is missing: the page keeps speaking English rather than failing.
  }
}

/** Switch to `code` (loaded already by loadLanguage); returns the language now in use. */
export function setLanguage(code) {
  current = languages[code] || en;
  return current.lang;
}

export function language() {
  return current.lang;
}

/** The string (or the result of the template) for `key`, a dotted path like "app.close". */
export function t(key, ...args) {
  const value = lookup(current, key) ?? lookup(en, key);
  if (typeof value === 'function') return value(...args);
  return value ?? key;
}

export function has(key) {
  return lookup(current, key) !== undefined || lookup(en, key) !== undefined;
}

function lookup(table, key) {
  let v = table;
  for (const part of key.split('.')) {
    if (v == null) return undefined;
    v = v[part];
  }
  return v;
}

/**
 * What is wrong with a rejected scenario, in the current language: "params.msl: 100h is out of range
 * (allowed 1ms to 10min)". The core's errors carry `field` and `problem`; anything else shows its message.
 */
export function explainError(error) {
  const problem = error?.problem;
  if (error?.field && problem && has(`problem.${problem.kind}`)) {
    return `${error.field}${current.lang === 'zh-Hans' ? '：' : ': '}${t(`problem.${problem.kind}`, problem)}`;
  }
  return String(error?.message ?? error);
}

/** A duration in µs, in the largest unit that reads well: "50 ms", "1.5 s", "4 min", "6 h". */
export function formatDuration(us) {
  if (us >= 3600e6 && us % 3600e6 === 0) return `${us / 3600e6} ${t('h')}`;
  if (us >= 60e6 && us % 60e6 === 0) return `${us / 60e6} ${t('min')}`;
  if (us >= 1e6) return `${trim(us / 1e6, 3)} ${t('s')}`;
  if (us >= 1e3) return `${trim(us / 1e3, 3)} ${t('ms')}`;
  return `${us} ${t('us')}`;
}

/** An instant in µs since the start, as seconds with millisecond precision: "0.350 s". */
export function formatTime(us) {
  return `${(us / 1e6).toFixed(us % 1000 === 0 ? 3 : 6)} ${t('s')}`;
}

function trim(x, digits) {
  return String(Number(x.toFixed(digits)));
}

/** Text a user or a scenario wrote, in quotes and shortened to `max` characters. */
export function quote(text, max = 24) {
  const chars = Array.from(text);
  const short = chars.length > max ? chars.slice(0, max - 1).join('') + '…' : text;
  return `“${short}”`;
}
