// <twlab-lab>: the lab inside any page, from one script tag.
//
//   <script type="module" src="https://example.org/twlab/twlab.js"></script>
//   <twlab-lab preset="last-ack-lost" lang="zh-Hans" controls="minimal" autoplay twin></twlab-lab>
//
// Attributes: preset (a preset's name), or link (a share link's fragment, for any scenario; it wins
// over preset, lang and twin); lang (en, zh-Hans); controls (minimal, the default, or full);
// autoplay; twin (show the run without TIME-WAIT beside it).
//
// Each element is the page itself in embed mode (index.html?embed), in an iframe inside the element's
// shadow root: the page's code is reused as it is, each instance runs its own simulator and language,
// and neither the host's styles nor the lab's can cross. The element is as wide as its container and
// as tall as the lab says it is (its twlab:height messages). Loading this script also sizes plain
// <iframe data-twlab> embeds on the page the same way.

const PAGE = new URL('index.html', import.meta.url);

const sheet = new CSSStyleSheet();
sheet.replaceSync(`
:host { display: block; width: 100%; min-width: 280px; }
:host([hidden]) { display: none; }
iframe { display: block; width: 100%; height: 480px; border: 0; }
`);

/** The embed page's address for an element's attributes. */
function source(el) {
  const url = new URL(PAGE);
  url.searchParams.set('embed', '');
  if (el.getAttribute('controls') === 'full') url.searchParams.set('controls', 'full');
  if (el.hasAttribute('autoplay')) url.searchParams.set('autoplay', '');
  const link = el.getAttribute('link');
  if (link) {
    url.hash = link.replace(/^#/, '');
  } else {
    const preset = encodeURIComponent(el.getAttribute('preset') || 'last-ack-lost');
    const lang = el.getAttribute('lang');
    url.hash = `v1/${preset}${el.hasAttribute('twin') ? '/twin' : ''}${lang ? `/lang=${encodeURIComponent(lang)}` : ''}/end`;
  }
  return url.href;
}

class TwlabLab extends HTMLElement {
  static observedAttributes = ['preset', 'link', 'lang', 'controls', 'autoplay', 'twin'];

  connectedCallback() {
    if (!this.frame) {
      const root = this.attachShadow({ mode: 'open' });
      root.adoptedStyleSheets = [sheet];
      this.frame = document.createElement('iframe');
      this.frame.setAttribute('loading', 'lazy');
      root.appendChild(this.frame);
    }
    this.load();
  }

  attributeChangedCallback() {
    if (this.frame) this.load();
  }

  load() {
    const src = source(this);
    if (this.frame.src === src) return;
    this.frame.title = `twlab: ${this.getAttribute('preset') || 'TCP TIME-WAIT lab'}`;
    this.frame.src = src;
  }
}

if (!customElements.get('twlab-lab')) customElements.define('twlab-lab', TwlabLab);

/** Every frame we size: our elements' and the page's own <iframe data-twlab>. */
function frames() {
  const own = [...document.querySelectorAll('twlab-lab')].map((el) => el.frame).filter(Boolean);
  return [...own, ...document.querySelectorAll('iframe[data-twlab]')];
}

window.addEventListener('message', (ev) => {
  if (ev.origin !== PAGE.origin || ev.data?.type !== 'twlab:height') return;
  const height = Number(ev.data.height);
  if (!Number.isFinite(height) || height <= 0) return;
  const frame = frames().find((f) => f.contentWindow === ev.source);
  if (frame) frame.style.height = `${Math.min(Math.ceil(height), 20000)}px`;
});
