// What <twlab-lab> (twlab.js) and the build (scripts/build-site.mjs) agree on: the static diagrams
// the build draws for the element (static/LANG/PRESET[.twin].WIDTH.html), and the colours and font a
// host page may set on the element as --twlab-NAME, names of the palette in css/lab.css (the static
// diagram takes them through css/embed.css, the lab in its frame through a message, embed.js).
export const STATIC_LANGUAGES = ['en', 'zh-Hans'];
export const STATIC_WIDTHS = [360, 640];
export const THEMABLE = ['font', 'mono', 'bg', 'surface', 'surface-2', 'ink', 'muted', 'line', 'line-strong', 'accent', 'alarm'];
