// What the script views use of the page, handed over once by the page when it loads them (index.js
// `start`): they are a bundle of their own, fetched on demand, so they share the page's live modules
// (its language, store, player and messages) instead of importing copies.

export const page = {};

/** Give the views the page's modules: `{ language, state, openCapture, player, showError, … }`. */
export function connect(modules) {
  Object.assign(page, modules);
}
