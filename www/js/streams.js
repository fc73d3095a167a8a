// The stream picker: a capture with more than one TCP stream lists them (numbered as Wireshark's
// tcp.stream, with their endpoints, packet count and how each ended, all as the capture module
// read them) and draws the one picked. The page calls showStreams when it opens a capture.

import { t } from './i18n.js';

let shown = null;

/** List `session.streams` (when more than one) with `session.stream` chosen; `pick(n)` draws stream n. */
export function showStreams(session, pick) {
  const box = document.getElementById('streams');
  const select = document.getElementById('stream');
  shown = session.streams.length > 1 ? session : null;
  box.hidden = !shown;
  if (!shown) return;
  select.onchange = () => pick(Number(select.value));
  relabelStreams();
}

export function hideStreams() {
  shown = null;
  document.getElementById('streams').hidden = true;
}

/** Write the options again in the current language. */
export function relabelStreams() {
  if (!shown) return;
  const select = document.getElementById('stream');
  select.replaceChildren(...shown.streams.map((s) => {
    const option = document.createElement('option');
    option.value = String(s.index);
    const side = s.ending.first ?? s.ending.by;
    const ending = t(`streamEndings.${s.ending.kind}`, side && t(side));
    option.textContent = t('streamOption', s.index, s.client, s.server, s.packets, ending);
    return option;
  }));
  select.value = String(shown.stream);
}
