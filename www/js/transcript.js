// The diagram as text: one table per run, a row per event in the diagram's order (time, who, what
// happened, and why at the key moments, then each side's state after it), the current step marked. It is the accessible alternative to
// the SVG and a plain listing for anyone who prefers to read. Built only while its <details> is open.

import { t } from './i18n.js';
import { narrate } from './narration.js';

/**
 * Fill `container` with a table for each `{ id, title, model }`. Returns `mark(lastByRun)`, which
 * marks the row of each run's last shown event (-1: none).
 */
export function renderTranscript(container, runs) {
  const tables = runs.map(({ id, title, model }) => {
    const table = document.createElement('table');
    table.className = 'transcript-table';
    table.dataset.run = id;
    const caption = document.createElement('caption');
    caption.textContent = title;
    const head = document.createElement('thead');
    const headRow = head.insertRow();
    for (const key of ['step', 'time', 'who', 'what', 'client', 'server']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = t(`transcriptCols.${key}`);
      headRow.appendChild(th);
    }
    const body = document.createElement('tbody');
    const rows = model.trace.events.map((_, i) => {
      const n = narrate(model, i);
      const row = body.insertRow();
      row.dataset.event = String(i);
      const step = document.createElement('th');
      step.scope = 'row';
      step.textContent = String(i + 1);
      row.appendChild(step);
      row.insertCell().textContent = n.time;
      const who = row.insertCell();
      who.textContent = n.actor;
      who.dataset.side = n.side;
      const what = row.insertCell();
      what.textContent = n.text;
      if (n.why) {
        const why = document.createElement('p');
        why.className = 'transcript-why';
        why.textContent = `${t('why')}: ${n.why}`;
        what.appendChild(why);
      }
      // The state the diagram's band shows (none: no TCB, CLOSED).
      for (const side of ['client', 'server']) {
        const state = model.statesAfter[i][side] ?? 'CLOSED';
        const cell = row.insertCell();
        cell.className = 'transcript-state';
        cell.dataset.state = state;
        cell.textContent = state;
      }
      return row;
    });
    table.append(caption, head, body);
    return { id, table, rows, current: null };
  });
  container.replaceChildren(...tables.map((x) => x.table));
  return function mark(lastByRun) {
    for (const x of tables) {
      x.current?.classList.remove('is-current');
      x.current?.removeAttribute('aria-current');
      x.current = x.rows[lastByRun[x.id]] || null;
      x.current?.classList.add('is-current');
      x.current?.setAttribute('aria-current', 'step');
    }
  };
}
