// The stream picker: a capture with more than one TCP stream lists them (numbered as Wireshark's
// tcp.stream, with their endpoints, packet count and how each ended, all as the capture module
// read them) and draws the one picked. Drawn again for every run and every language.

import { t } from './i18n.js';
import { showCapture } from './capture-drop.js';

/** List the session's streams (a capture's, when it has more than one), the drawn one chosen. */
export function renderStreams(session) {
  const box = document.getElementById('streams');
  const select = document.getElementById('stream');
  const shown = session?.streams?.length > 1 ? session : null;
  box.hidden = !shown;
  if (!shown) return;
  select.onchange = () => showCapture(shown.file, Number(select.value));
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
