// Just enough of a DOM for the page's drawing modules to run under Node (scripts/render-static.mjs):
// elements with attributes, classes, data-* and children, text, and serialisation to markup. No
// layout: an element's clientWidth is the width it was given, or its parent's. No parsing, no events.

const VOID = new Set(['br', 'hr', 'img', 'input', 'meta', 'link']);
const escText = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
const kebab = (s) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

class Node {
  constructor() {
    this.childNodes = [];
    this.parentNode = null;
  }

  get isConnected() {
    return false;
  }

  appendChild(child) {
    child.remove();
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }

  append(...children) {
    for (const c of children) this.appendChild(typeof c === 'string' ? new Text(c) : c);
  }

  replaceChildren(...children) {
    for (const c of this.childNodes) c.parentNode = null;
    this.childNodes = [];
    this.append(...children);
  }

  remove() {
    if (!this.parentNode) return;
    const siblings = this.parentNode.childNodes;
    siblings.splice(siblings.indexOf(this), 1);
    this.parentNode = null;
  }

  get textContent() {
    return this.childNodes.map((c) => c.textContent).join('');
  }

  set textContent(value) {
    this.replaceChildren(new Text(String(value)));
  }
}

class Text extends Node {
  constructor(data) {
    super();
    this.data = data;
  }

  get textContent() {
    return this.data;
  }

  get outerHTML() {
    return escText(this.data);
  }
}

class Element extends Node {
  constructor(tag) {
    super();
    this.localName = tag;
    this.attrs = new Map();
    this.width = null;
    const element = this;
    this.classList = {
      contains: (c) => element.className.split(' ').includes(c),
      add: (...cs) => cs.forEach((c) => element.classList.toggle(c, true)),
      remove: (...cs) => cs.forEach((c) => element.classList.toggle(c, false)),
      toggle(c, force) {
        const list = element.className.split(' ').filter(Boolean);
        const on = force ?? !list.includes(c);
        const rest = list.filter((x) => x !== c);
        element.className = (on ? [...rest, c] : rest).join(' ');
        return on;
      },
    };
    this.dataset = new Proxy({}, {
      get: (_, k) => element.getAttribute(`data-${kebab(k)}`) ?? undefined,
      set: (_, k, v) => (element.setAttribute(`data-${kebab(k)}`, v), true),
    });
    this.style = new Proxy({}, {
      set(_, k, v) {
        const rules = (element.getAttribute('style') || '').split('; ').filter((d) => d && !d.startsWith(`${kebab(k)}:`));
        element.setAttribute('style', [...rules, `${kebab(k)}: ${v}`].join('; '));
        return true;
      },
    });
  }

  get className() {
    return this.getAttribute('class') || '';
  }

  set className(v) {
    this.setAttribute('class', v);
  }

  get clientWidth() {
    return this.width ?? this.parentNode?.clientWidth ?? 0;
  }

  setAttribute(k, v) {
    this.attrs.set(k, String(v));
  }

  getAttribute(k) {
    return this.attrs.has(k) ? this.attrs.get(k) : null;
  }

  hasAttribute(k) {
    return this.attrs.has(k);
  }

  removeAttribute(k) {
    this.attrs.delete(k);
  }

  /** Only what the drawing modules ask: `.class` or a tag name. */
  querySelectorAll(selector) {
    const match = selector.startsWith('.') ? (e) => e.classList.contains(selector.slice(1)) : (e) => e.localName === selector;
    const found = [];
    const walk = (node) => {
      for (const c of node.childNodes) {
        if (!(c instanceof Element)) continue;
        if (match(c)) found.push(c);
        walk(c);
      }
    };
    walk(this);
    return found;
  }

  querySelector(selector) {
    return this.querySelectorAll(selector)[0] || null;
  }

  get innerHTML() {
    return this.childNodes.map((c) => c.outerHTML).join('');
  }

  get outerHTML() {
    const attrs = [...this.attrs].map(([k, v]) => ` ${k}="${escAttr(v)}"`).join('');
    if (VOID.has(this.localName)) return `<${this.localName}${attrs}>`;
    return `<${this.localName}${attrs}>${this.innerHTML}</${this.localName}>`;
  }
}

/** A document whose getElementById hands out a detached element per id (the page's `ui` table). */
export function tinyDocument() {
  const ids = new Map();
  const body = new Element('body');
  return {
    body,
    documentElement: new Element('html'),
    createElement: (tag) => Object.assign(new Element(tag), tag === 'canvas' ? { getContext: () => null } : {}),
    createElementNS: (_, tag) => new Element(tag),
    createTextNode: (data) => new Text(data),
    getElementById(id) {
      if (!ids.has(id)) ids.set(id, new Element('div'));
      return ids.get(id);
    },
    querySelector: () => null,
    querySelectorAll: () => [],
    addEventListener() {},
  };
}
