// Share and export: copy the link, and Download → the diagram (SVG, PNG), the trace (JSON, text),
// Mermaid text or a pcap capture. Every session, simulated or captured, answers each of them (a
// simulated one through the export module, fetched on the first download: lab.js).

import { t } from './i18n.js';
import { state } from './store.js';
import { showError } from './crash.js';
import { copyText, download, svgDocument, pngBlob } from './share.js';
import { linkHere } from './address.js';
import { views } from './runs.js';
import { renderNow } from './frame.js';
import { ui } from './dom.js';

async function exportAs(kind) {
  const name = state.models.main.trace.name || 'twlab';
  if (kind === 'json') download(`${name}.json`, 'application/json', `${JSON.stringify(state.models.main.trace, null, 2)}\n`);
  else if (kind === 'text') download(`${name}.txt`, 'text/plain', await state.session.text());
  else if (kind === 'mermaid') download(`${name}.mmd`, 'text/plain', await state.session.mermaid());
  else if (kind === 'pcap') download(`${name}.pcap`, 'application/vnd.tcpdump.pcap', await state.session.pcap());
  else {
    const doc = wholeDiagram();
    if (kind === 'svg') download(`${name}.svg`, 'image/svg+xml', doc.text);
    else download(`${name}.png`, 'image/png', await pngBlob(doc));
  }
}

/** The main run's diagram as a standalone SVG, drawn to its end whatever step the reader is at. */
function wholeDiagram() {
  const { view, model } = views().find((v) => v.id === 'main');
  view.setTime(state.timeline.end, model.trace.events.length - 1);
  view.highlight(-1);
  try {
    return view.whole(() => svgDocument(view.svg));
  } finally {
    renderNow();
  }
}

export function bindExports() {
  ui.copyLink.addEventListener('click', async () => {
    const link = linkHere();
    if (link === null) return;
    const copied = await copyText(link, ui.shareLink);
    ui.shareStatus.textContent = t(copied ? 'linkCopied' : 'linkSelected');
  });
  const menu = ui.exportMenu;
  menu.addEventListener('click', (ev) => {
    const kind = ev.target.closest('[data-export]')?.dataset.export;
    if (!kind || !state.models) return;
    menu.open = false;
    exportAs(kind).catch((e) => showError(t('crashed', e.message || String(e))));
  });
  // The menu closes like a menu: a click elsewhere, or Escape.
  document.addEventListener('pointerdown', (ev) => {
    if (menu.open && !menu.contains(ev.target)) menu.open = false;
  });
  menu.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape' || !menu.open) return;
    menu.open = false;
    menu.querySelector('summary').focus();
  });
}
