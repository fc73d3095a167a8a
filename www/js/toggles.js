// Per-segment fates the reader sets by clicking arrows: lose a segment, delay it or duplicate it.
// A fate is keyed by the segment's stable identity {conn, from, nth} (the core's SegmentId), so it
// means the same segment after the re-run. This module edits the list and shows it; main.js re-runs.

import { t, formatDuration } from './i18n.js';
import { flagsText, segmentKey } from './trace.js';

/** What the fate menu offers, in µs: an extra delay, and the gap before a duplicate. */
const EXTRA_DELAY = 300_000;
const DUPLICATE_GAP = 600_000;

/** The overrides with segment `id`'s fate set to `fate` ("drop", {delay}, {duplicate}) or removed (null). */
export function withFate(overrides, id, fate) {
  const key = segmentKey(id);
  const rest = overrides.filter((o) => segmentKey(o) !== key);
  if (fate == null) return rest;
  return [...rest, { conn: id.conn, from: id.from, nth: id.nth, fate }];
}

/** Clicking an arrow: lose it, or if it already has a fate, give it back its normal delivery. */
export function toggleDrop(overrides, id) {
  const has = overrides.some((o) => segmentKey(o) === segmentKey(id));
  return withFate(overrides, id, has ? null : 'drop');
}

export function fateOf(overrides, id) {
  return overrides.find((o) => segmentKey(o) === segmentKey(id))?.fate ?? null;
}

/**
 * A fate in words; its extra time is the one the trace gives its segment (`fate_us`), or as the
 * scenario spells it if the segment was never sent.
 */
function fateText(fate, seg) {
  const extra = seg?.fate_us != null ? formatDuration(seg.fate_us) : fate.delay || fate.duplicate;
  if (fate === 'drop') return t('fates.drop');
  if (fate?.delay) return t('fates.delay', extra);
  if (fate?.duplicate) return t('fates.duplicate', extra);
  return '';
}

/** "deliver", "drop", "delay" or "duplicate" (however its time is spelt). */
const kindOf = (fate) => (fate == null ? 'deliver' : typeof fate === 'string' ? fate : Object.keys(fate)[0]);

function segmentOf(id, trace) {
  return trace?.segments.find((s) => s.conn === id.conn && s.from === id.from && s.nth === id.nth);
}

/** "client's 6th segment of connection 1 (ACK)", with the flags as sent in `trace`. */
export function segmentLabel(id, trace) {
  const seg = segmentOf(id, trace);
  return t('segmentName', t(id.from), id.nth, id.conn, seg ? flagsText(seg) : t('notSent'));
}

/** Show the current fates, each with a button to remove it. */
export function renderChanges(list, { overrides, presetOverrides, trace, onRemove }) {
  list.replaceChildren();
  if (overrides.length === 0) {
    const li = document.createElement('li');
    li.className = 'change-none';
    li.textContent = t('noChanges');
    list.appendChild(li);
    return;
  }
  const fromPreset = new Set(presetOverrides.map((o) => `${segmentKey(o)}:${JSON.stringify(o.fate)}`));
  for (const o of overrides) {
    const li = document.createElement('li');
    li.className = 'change';
    li.dataset.seg = segmentKey(o);
    const what = document.createElement('span');
    what.className = 'change-what';
    what.textContent = segmentLabel(o, trace);
    const fate = document.createElement('span');
    fate.className = `change-fate fate-${kindOf(o.fate)}`;
    fate.textContent = fateText(o.fate, segmentOf(o, trace));
    li.append(what, fate);
    if (fromPreset.has(`${segmentKey(o)}:${JSON.stringify(o.fate)}`)) {
      const note = document.createElement('span');
      note.className = 'change-note';
      note.textContent = t('presetChange');
      li.appendChild(note);
    }
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'quiet change-remove';
    remove.textContent = t('remove');
    remove.setAttribute('aria-label', `${t('remove')}: ${what.textContent}`);
    remove.addEventListener('click', () => onRemove(o));
    li.appendChild(remove);
    list.appendChild(li);
  }
}

/**
 * The small menu for one segment: deliver, lose, delay, duplicate. Opens beside `anchor` and calls
 * `choose(fate | null)` (null: deliver normally); Escape or a click elsewhere closes it.
 */
export function openFateMenu(menu, anchor, { label, current, choose }) {
  const title = menu.querySelector('.fate-menu-title');
  title.textContent = t('fateMenu', label);
  const buttons = [...menu.querySelectorAll('button')];
  const fates = {
    deliver: null,
    drop: 'drop',
    delay: { delay: `${EXTRA_DELAY}us` },
    duplicate: { duplicate: `${DUPLICATE_GAP}us` },
  };
  const words = {
    deliver: t('fateDeliver'),
    drop: t('fateDrop'),
    delay: t('fateDelay', formatDuration(EXTRA_DELAY)),
    duplicate: t('fateDuplicate', formatDuration(DUPLICATE_GAP)),
    cancel: t('cancel'),
  };
  for (const b of buttons) {
    const kind = b.dataset.fate;
    b.textContent = words[kind];
    const active = kind !== 'cancel' && kindOf(fates[kind]) === kindOf(current);
    if (kind !== 'cancel') b.setAttribute('aria-checked', String(active));
    b.classList.toggle('is-active', active);
  }
  menu.hidden = false;
  const box = anchor.getBoundingClientRect();
  const w = menu.offsetWidth;
  const h = menu.offsetHeight;
  const left = Math.min(window.innerWidth - w - 8, Math.max(8, box.left + box.width / 2 - w / 2));
  const top = box.bottom + h + 8 < window.innerHeight ? box.bottom + 6 : Math.max(8, box.top - h - 6);
  menu.style.left = `${Math.round(left + window.scrollX)}px`;
  menu.style.top = `${Math.round(top + window.scrollY)}px`;
  buttons[0].focus();

  const close = (restoreFocus) => {
    menu.hidden = true;
    menu.removeEventListener('click', onClick);
    menu.removeEventListener('keydown', onKey);
    document.removeEventListener('pointerdown', onOutside, true);
    if (restoreFocus && anchor.isConnected) anchor.focus();
  };
  const onClick = (ev) => {
    const b = ev.target.closest('button');
    if (!b) return;
    const kind = b.dataset.fate;
    close(true);
    if (kind !== 'cancel') choose(fates[kind]);
  };
  const onKey = (ev) => {
    const i = buttons.indexOf(document.activeElement);
    if (ev.key === 'Escape') {
      ev.preventDefault();
      close(true);
    } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      const next = (i + (ev.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length;
      buttons[next].focus();
    } else if (ev.key === 'Tab') {
      close(false);
    }
  };
  const onOutside = (ev) => {
    if (!menu.contains(ev.target)) close(false);
  };
  menu.addEventListener('click', onClick);
  menu.addEventListener('keydown', onKey);
  document.addEventListener('pointerdown', onOutside, true);
  return close;
}
