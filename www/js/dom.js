// The page's elements the lab's views write to, found once.

const $ = (id) => document.getElementById(id);

export const ui = {
  lab: $('lab'),
  status: $('status'),
  error: $('error'),
  errorText: $('error-text'),
  errorReset: $('error-reset'),
  announcer: $('announcer'),
  transcriptBox: $('transcript-box'),
  transcript: $('transcript'),
  preset: $('preset'),
  description: $('preset-description'),
  twin: $('twin'),
  form: $('params'),
  paramsError: $('params-error'),
  diagrams: $('diagrams'),
  changes: $('change-list'),
  resetChanges: $('reset-changes'),
  menu: $('fate-menu'),
  play: $('play'),
  back: $('step-back'),
  forward: $('step-forward'),
  start: $('to-start'),
  end: $('to-end'),
  scrubber: $('scrubber'),
  speed: $('speed'),
  clock: $('clock'),
  stepCount: $('step-count'),
  narrationTime: $('narration-time'),
  narrationActor: $('narration-actor'),
  narrationText: $('narration-text'),
  narrationWhy: $('narration-why'),
  narrationTwin: $('narration-twin'),
  copyLink: $('copy-link'),
  shareLink: $('share-link'),
  shareStatus: $('share-status'),
  embedButton: $('embed-button'),
  embedPanel: $('embed-panel'),
  embedElement: $('embed-element'),
  embedIframe: $('embed-iframe'),
  openFull: $('open-full'),
  captureFile: $('capture-file'),
  paramsBox: $('params-box'),
  changesBox: $('changes-box'),
  exportMenu: document.querySelector('.export-menu'),
  tour: $('tour'),
  predictSwitch: $('predict-switch'),
  predictBox: $('predict-box'),
  stateMapBox: $('statemap-box'),
  stateMap: $('statemap'),
  fork: $('fork'),
};

/** Add the stylesheet `href`; resolves once it has loaded (or failed: the page goes on unstyled). */
export function loadStyle(href) {
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = href;
  const styled = new Promise((done) => {
    style.onload = done;
    style.onerror = done;
  });
  document.head.appendChild(style);
  return styled;
}

export const query = new URLSearchParams(location.search);
/** In an iframe of someone's article (?embed): no page chrome. */
export const embedded = query.has('embed');
export const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
