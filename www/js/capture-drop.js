// Opening a real capture: the "Open a capture" button and a file dropped anywhere on the page. What
// is wrong with a file that cannot be read is said; the lab keeps showing what it showed.

import { openCapture as readCapture } from './capture.js';
import { t } from './i18n.js';
import { state, openCapture } from './store.js';
import { guarded, showError } from './crash.js';
import { player } from './frame.js';
import { ui } from './dom.js';

/** Draw TCP stream `stream` of `file` (a capture has one picker for its streams: streams.js). */
export async function showCapture(file, stream = 0) {
  const version = state.version;
  let session;
  try {
    session = await readCapture(file, stream);
  } catch (e) {
    if (state.version === version) showError(t('badCapture', file.name, e.kind ? t(`captureErrors.${e.kind}`) : e.message || String(e)));
    return;
  }
  // The reader chose something else while the file was read: that wins (found by the random walk).
  if (state.version !== version) return;
  showError('');
  const { trace } = session.runs();
  const pair = trace.name.slice(trace.name.indexOf(': ') + 2);
  const base = { name: file.name, description: t('captureAbout', file.name, pair, trace.segments.length) };
  guarded(() => {
    openCapture(base, session);
    player.toEnd();
  });
}

export function bindCaptures() {
  ui.captureFile.addEventListener('change', () => {
    const [file] = ui.captureFile.files;
    ui.captureFile.value = '';
    if (file) showCapture(file);
  });
  const carriesFiles = (ev) => [...(ev.dataTransfer?.types || [])].includes('Files');
  document.addEventListener('dragover', (ev) => {
    if (!carriesFiles(ev)) return;
    ev.preventDefault();
    document.body.classList.add('dropping');
  });
  document.addEventListener('dragleave', (ev) => {
    if (!ev.relatedTarget) document.body.classList.remove('dropping');
  });
  document.addEventListener('drop', (ev) => {
    const [file] = ev.dataTransfer?.files || [];
    document.body.classList.remove('dropping');
    if (!file) return;
    ev.preventDefault();
    showCapture(file);
  });
}
