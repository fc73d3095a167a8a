// The teaching views (the state map, predict-then-reveal, the guided tour) are a bundle of their own,
// fetched the first time the reader opens the state map, switches predictions on or follows a tour
// link. This module binds those three entry points and hands the bundle the page's live modules.

import { language, quote } from './i18n.js';
import { narrate, describeSegment } from './narration.js';
import { state, on } from './store.js';
import { player, onFrame, renderNow } from './frame.js';
import { openFromHash, setTour, syncLink } from './address.js';
import { tourLink } from './lab.js';
import { drawRuns, resized } from './runs.js';
import { guarded } from './crash.js';
import { ui, loadStyle } from './dom.js';

let loading = null;
/** The tour's own link while it is open (the address bar shows it instead of the run's). */
let tourAddress = null;

/** The teaching views, loaded once. */
function teaching() {
  loading ||= (async () => {
    const [views] = await Promise.all([import('./teach/index.js'), loadStyle('css/teach.css')]);
    return views.start({
      language, quote, narrate, describeSegment, state, on, player, onFrame, ui, tourLink,
      open: (fragment) => openFromHash(fragment, { inTour: true }),
      address: (fragment) => {
        tourAddress = fragment;
        syncLink();
      },
      relayout,
    });
  })();
  return loading;
}

/** The diagrams' box changed width (the state map opened or closed beside it): draw them again. */
function relayout() {
  if (state.models && resized()) {
    drawRuns({ measure: true });
    renderNow();
  }
}

export function bindTeaching() {
  setTour({
    open: async (chapter) => (await teaching()).tour(chapter),
    address: () => tourAddress,
    leave: () => {
      if (tourAddress !== null) loading.then((views) => views.leaveTour());
    },
  });
  ui.stateMapBox.addEventListener('toggle', () => guarded(async () => {
    (await teaching()).stateMap(ui.stateMapBox.open);
  }));
  ui.predictSwitch.addEventListener('change', () => guarded(async () => {
    (await teaching()).predict(ui.predictSwitch.checked);
  }));
}
