// What the teaching views use of the page, handed over once by the page when it loads them
// (index.js `start`): they are a bundle of their own, fetched on demand, so they must share the page's
// live modules (its language, its narration, its store and player) instead of importing copies.

export const page = {};

/** Give the views the page's modules: `{ language, narrate, describeSegment, quote, … }`. */
export function connect(modules) {
  Object.assign(page, modules);
}
