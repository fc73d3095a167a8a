// <twlab-lab>: the lab inside any page, from one script tag (or `import 'twlab'` in a bundle).
//
//   <script type="module" src="https://example.org/twlab/twlab.js"></script>
//   <twlab-lab preset="last-ack-lost" lang="zh-Hans" controls="minimal" autoplay twin></twlab-lab>
//
// Attributes: preset (a preset's name), or link (a share link's fragment, for any scenario; it wins
// over preset, lang and twin); lang (en, zh-Hans; else the page's language); controls (minimal, the
// default, or full); autoplay; twin (the run without TIME-WAIT beside it); load ("interaction", the
// default, or "visible"); theme (auto, the default, light or dark).
//
// Lite: the element first shows the build's static diagram of its preset (static/, drawn by the
// page's own code) and loads nothing else. The lab itself, the page in embed mode
// (index.html?embed) in an iframe, is made when the reader clicks (or, with load="visible", when the
// element scrolls into view) and replaces the picture once it is ready. One frame per lab: the
// page's modules keep one lab's state per document, and a frame keeps the host's styles, scripts and
// ids apart from the lab's. The frames share the code and the compiled wasm through the browser's
// caches. Loading this script also sizes plain <iframe data-twlab> embeds from their height messages.

import { STATIC_LANGUAGES, STATIC_WIDTHS, THEMABLE } from './js/lite-assets.js';

let base = new URL('./', import.meta.url);
/** Where the lab's files are (a bundler moves this module away from them): a URL or a path. */
export function setBase(url) {
  base = new URL(url.endsWith('/') ? url : `${url}/`, document.baseURI);
  // Called late (after an await), it redraws what was fetched from the old place.
  diagramSheet = null;
  elements.forEach((el) => el.reset());
}

const WORDS = {
  en: { play: 'Play', load: 'Open the interactive lab', loading: 'Loading the lab…' },
  'zh-Hans': { play: '播放', load: '打开交互实验', loading: '正在加载实验…' },
};

const sheet = new CSSStyleSheet();
sheet.replaceSync(`
:host { display: block; width: 100%; min-width: 280px; }
:host([hidden]) { display: none; }
.lite { all: initial; display: block; position: relative; container-type: inline-size;
  font: 15px/1.45 var(--font); color: var(--ink); -webkit-text-size-adjust: 100%; }
.lite * { box-sizing: border-box; }
.static { display: grid; gap: 14px; cursor: pointer; }
.static:empty { min-height: 160px; border: 1px dashed var(--line-strong); border-radius: 10px; }
@container (min-width: 700px) { .static.is-twin { grid-template-columns: 1fr 1fr; } }
.static .svg-wrap svg { width: 100%; height: auto; }
.start { position: absolute; top: 10px; right: 10px; display: inline-flex; gap: 6px; align-items: center;
  padding: 7px 14px; border: 0; border-radius: 999px; font: 600 14px/1.2 var(--font);
  background: var(--accent); color: var(--surface); cursor: pointer; box-shadow: 0 1px 4px rgb(0 0 0 / 0.25); }
.static:empty + .start { top: 50%; right: 50%; transform: translate(50%, -50%); }
.start:focus-visible { outline: 3px solid var(--ink); outline-offset: 2px; }
.loading .start { opacity: 0.7; cursor: progress; }
iframe { display: block; width: 100%; height: 480px; border: 0; }
.loading iframe { position: absolute; inset: 0 auto auto 0; opacity: 0; pointer-events: none; }
.live .static, .live .start { display: none; }
@media print {
  .start, .has-static iframe { display: none !important; }
  .has-static .static { display: grid !important; }
  .run { break-inside: avoid; box-shadow: none; }
}
`);
// The diagram's styles, fetched once for every element (the build makes them from css/lab.css).
let diagramSheet = null;
function diagramStyles() {
  diagramSheet ??= fetch(new URL('css/embed.css', base)).then((r) => (r.ok ? r.text() : '')).catch(() => '')
    .then((text) => {
      const s = new CSSStyleSheet();
      s.replaceSync(text);
      return s;
    });
  return diagramSheet;
}

// The presets the build drew (scripts/build-site.mjs writes the list into the bundled script, so
// that the first diagram waits for no list); only those are asked for, so a misspelt one gets the
// button, then the lab's own message, and no failed fetch in the host's console. Unbundled: none.
const DRAWN = typeof __TWLAB_DRAWN__ === 'undefined' ? [] : __TWLAB_DRAWN__;
// Each static diagram is fetched once however many elements show it.
const fragments = new Map();
function fragment(url) {
  if (!fragments.has(url)) {
    fragments.set(url, fetch(url).then((r) => (r.ok ? r.text() : null)).catch(() => null));
  }
  return fragments.get(url);
}

const supported = (tag) => (String(tag).toLowerCase().startsWith('zh') ? 'zh-Hans' : 'en');

/** What the element shows: the lab's hash, and the static diagram's preset/twin/lang if it has one. */
function scenario(el) {
  const link = el.getAttribute('link');
  const lang = supported(el.closest('[lang]')?.getAttribute('lang') || 'en');
  if (link) {
    const parts = link.replace(/^#/, '').split('/');
    const plain = parts[0] === 'v1' && parts.slice(2).every((p) => /^(twin|end|lang=[\w-]+|step=\d+)$/.test(p));
    const linkLang = parts.find((p) => p.startsWith('lang='))?.slice(5);
    return {
      hash: parts.join('/'),
      preset: plain ? parts[1] : null,
      twin: parts.includes('twin'),
      lang: linkLang ? supported(linkLang) : lang,
    };
  }
  const preset = el.getAttribute('preset') || 'last-ack-lost';
  const twin = el.hasAttribute('twin');
  return { hash: `v1/${encodeURIComponent(preset)}${twin ? '/twin' : ''}/lang=${lang}/end`, preset, twin, lang };
}

/** light or dark: the attribute, else the host's marker (mdBook's theme class, Docusaurus's data-theme), else the system. */
function themeOf(el) {
  const asked = el.getAttribute('theme');
  if (asked === 'light' || asked === 'dark') return asked;
  const html = document.documentElement;
  if (['coal', 'navy', 'ayu'].some((c) => html.classList.contains(c))) return 'dark';
  if (['light', 'rust'].some((c) => html.classList.contains(c))) return 'light';
  const marked = html.dataset.theme;
  if (marked === 'dark' || marked === 'light') return marked;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

const elements = new Set();
const retheme = () => elements.forEach((el) => el.applyTheme());
new MutationObserver(retheme).observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'data-theme'] });
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', retheme);

// Near the window: fetch the static diagram, six screens ahead for a reader who scrolls fast (one
// diagram can be three screens tall); in it: load="visible" loads the lab.
const nearby = new IntersectionObserver((entries) => {
  for (const e of entries) if (e.isIntersecting) e.target.showStatic();
}, { rootMargin: '600% 0px' });
/** Shown, and in the window now (the observer first tells after the page's first frame). */
function inWindow(el) {
  const { top, bottom, width } = el.getBoundingClientRect();
  return width > 0 && bottom >= 0 && top <= innerHeight;
}
/** After the next frame is drawn. */
const afterFrame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
const inView = new IntersectionObserver((entries) => {
  for (const e of entries) if (e.isIntersecting) e.target.loadLab(false);
}, { threshold: 0.2 });

class TwlabLab extends HTMLElement {
  static observedAttributes = ['preset', 'link', 'lang', 'controls', 'autoplay', 'twin', 'theme', 'load'];

  connectedCallback() {
    if (!this.box) {
      const root = this.attachShadow({ mode: 'open' });
      root.adoptedStyleSheets = [sheet];
      this.box = document.createElement('div');
      this.box.className = 'lite';
      this.pictures = document.createElement('div');
      this.pictures.className = 'static';
      this.start = document.createElement('button');
      this.start.type = 'button';
      this.start.className = 'start';
      this.box.append(this.pictures, this.start);
      root.appendChild(this.box);
      this.pictures.addEventListener('click', () => this.loadLab(false));
      this.start.addEventListener('click', () => this.loadLab(true));
    }
    elements.add(this);
    this.reset();
  }

  disconnectedCallback() {
    elements.delete(this);
    nearby.unobserve(this);
    inView.unobserve(this);
  }

  attributeChangedCallback() {
    if (this.box && this.isConnected) this.reset();
  }

  /** Back to the static picture of what the attributes say; the lab is made again when wanted. */
  reset() {
    this.frame?.remove();
    this.frame = null;
    this.shown = undefined; // the static diagram's file shown (null: none)
    this.what = scenario(this);
    this.box.classList.remove('loading', 'live');
    const words = WORDS[this.what.lang];
    this.start.textContent = `▶ ${words.play}`;
    this.start.setAttribute('aria-label', words.load);
    this.start.title = words.load;
    this.applyTheme();
    nearby.unobserve(this);
    nearby.observe(this);
    // After the script that defined the element, so that a bundle's setBase() comes first.
    queueMicrotask(() => this.isConnected && inWindow(this) && this.showStatic());
    inView.unobserve(this);
    if (this.getAttribute('load') === 'visible') inView.observe(this);
  }

  applyTheme() {
    const theme = themeOf(this);
    this.box.dataset.theme = theme;
    if (!this.frame) return;
    // The theme and the host's --twlab-* go to the lab by message, once it listens.
    this.frame.style.colorScheme = theme;
    if (!this.box.classList.contains('live')) return;
    const style = getComputedStyle(this);
    const vars = Object.fromEntries(THEMABLE.map((n) => [n, style.getPropertyValue(`--twlab-${n}`).trim()]));
    this.frame.contentWindow?.postMessage({ type: 'twlab:style', theme, vars }, base.origin);
  }

  async showStatic() {
    const { preset, twin, lang } = this.what;
    const width = this.clientWidth / (twin && this.clientWidth >= 700 ? 2 : 1);
    const size = STATIC_WIDTHS.find((w) => w >= width * 0.9) || STATIC_WIDTHS.at(-1);
    const known = preset && STATIC_LANGUAGES.includes(lang) && DRAWN.includes(preset);
    const key = known ? `static/${lang}/${preset}${twin ? '.twin' : ''}.${size}.html` : null;
    if (key === this.shown) return;
    this.shown = key;
    // Those out of sight start a frame later, so that those in sight are fetched and drawn first.
    if (!inWindow(this)) await afterFrame();
    if (this.shown !== key) return;
    const styled = diagramStyles().then((s) => (this.shadowRoot.adoptedStyleSheets = [s, sheet]));
    const [text] = await Promise.all([key && fragment(new URL(key, base).href), styled]);
    if (this.shown !== key) return;
    // Our own build's markup, from where this script comes from; parsed inert, no script runs.
    const doc = text ? new DOMParser().parseFromString(text, 'text/html') : null;
    this.pictures.replaceChildren(...(doc ? doc.body.childNodes : []));
    this.pictures.classList.toggle('is-twin', twin);
    this.box.classList.toggle('has-static', Boolean(doc));
    this.dataset.static = doc ? 'shown' : 'none';
  }

  /** Make the lab (autoplaying if the reader pressed play and does not prefer reduced motion). */
  loadLab(play) {
    if (this.frame) return;
    const url = new URL('index.html', base);
    url.searchParams.set('embed', '');
    if (this.getAttribute('controls') === 'full') url.searchParams.set('controls', 'full');
    if (play || this.hasAttribute('autoplay')) url.searchParams.set('autoplay', '');
    url.hash = this.what.hash;
    this.frame = document.createElement('iframe');
    this.frame.title = `twlab: ${this.getAttribute('preset') || 'TCP TIME-WAIT lab'}`;
    this.frame.style.height = `${Math.max(200, this.box.offsetHeight)}px`;
    this.box.classList.add('loading');
    this.start.textContent = WORDS[this.what.lang].loading;
    this.focusOnReady = this.shadowRoot.activeElement === this.start;
    this.frame.src = url.href;
    this.box.appendChild(this.frame);
    this.applyTheme();
  }

  /** The lab in the frame is ready: it replaces the picture. */
  ready() {
    this.box.classList.replace('loading', 'live');
    this.dataset.live = 'true';
    this.applyTheme();
    if (this.focusOnReady) this.frame.focus();
    this.dispatchEvent(new CustomEvent('twlab-ready'));
  }
}

if (!customElements.get('twlab-lab')) customElements.define('twlab-lab', TwlabLab);

/** Our elements' frames and the page's own <iframe data-twlab>. */
function frames() {
  const own = [...elements].map((el) => el.frame).filter(Boolean);
  return [...own, ...document.querySelectorAll('iframe[data-twlab]')];
}

window.addEventListener('message', (ev) => {
  if (ev.origin !== base.origin) return;
  const frame = frames().find((f) => f.contentWindow === ev.source);
  if (!frame) return;
  if (ev.data?.type === 'twlab:ready') {
    [...elements].find((el) => el.frame === frame)?.ready();
  } else if (ev.data?.type === 'twlab:height') {
    const height = Number(ev.data.height);
    if (Number.isFinite(height) && height > 0) frame.style.height = `${Math.min(Math.ceil(height), 20000)}px`;
  }
});
