// Opening a real capture or a packetdrill script: the "Open a capture" button and a file dropped
// anywhere on the page (a `.pkt` is a script), and "Paste a script". What is wrong with a file that
// cannot be read is said; the lab keeps showing what it showed. The script views (drill/) are a
// bundle fetched the first time a script comes, handed the page's modules.

import { openCapture as readCapture } from './capture.js';
import { t, language } from './i18n.js';
import { state, openCapture, choosePreset } from './store.js';
import { guarded, showError } from './crash.js';
import { player } from './frame.js';
import { linkProblem } from './share.js';
import { linkLanguage } from './language.js';
import { Crash, wasmModule } from './lab.js';
import { ui } from './dom.js';

let scripts = null;

/** The script views, loaded once. */
export function drill() {
  scripts ||= import('./drill/index.js').then((views) => views.start({
    language, state, openCapture, choosePreset, guarded, showError, player, linkProblem, linkLanguage, Crash, wasmModule,
  }));
  return scripts;
}

/**
 * A capture, or a packetdrill script if its name says so. A message still shown about what the
 * reader has left (a link, another file) goes at once: what it says of this file comes when it is read.
 */
function open(file) {
  showError('');
  if (/\.pkt$/i.test(file.name)) guarded(async () => (await drill()).openFile(file));
  else showCapture(file);
}

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
    if (file) open(file);
  });
  document.getElementById('paste-script').addEventListener('click', () => guarded(async () => (await drill()).paste()));
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
    open(file);
  });
}
