// The guided tour: a panel (`data-tour`) above the lab with the chapter's words and its buttons. Each
// chapter opens an ordinary run by its link in the same lab, from the start, and asks the questions
// it names (predictor.js), so the reader drives the same diagram, player and narration.

import { CHAPTERS, chapterText } from './chapters.js';
import { teach } from './text.js';
import { page } from './host.js';

function button(text, onClick, className = '') {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (className) b.className = className;
  b.addEventListener('click', onClick);
  return b;
}

/**
 * Build the tour in `container`. `host` is the lab: `open(link)` opens a chapter's run and resolves
 * when it is drawn, `play()`, `ask(tags)` arms the chapter's questions, `address(chapter)` writes the
 * tour's link, `leave()` ends the tour. Returns `{ go(n), chapter(), redraw() }`.
 */
export function mountTour(container, host) {
  let index = 0;
  container.dataset.tour = '';
  container.hidden = false;

  function draw() {
    const tx = teach();
    const chapter = CHAPTERS[index];
    const text = chapterText(chapter, page.language());
    container.setAttribute('aria-label', tx.tour.label);
    const count = document.createElement('p');
    count.className = 'tour-count';
    count.textContent = tx.tour.chapter(index + 1, CHAPTERS.length);
    const title = document.createElement('h2');
    title.className = 'tour-title';
    title.tabIndex = -1;
    title.textContent = text.title;
    const body = text.text.map((s) => {
      const p = document.createElement('p');
      p.textContent = s;
      return p;
    });
    const last = index === CHAPTERS.length - 1;
    const nav = document.createElement('div');
    nav.className = 'tour-nav';
    const prev = button(tx.tour.prev, () => go(index - 1));
    prev.disabled = index === 0;
    const play = button(tx.tour.play, () => host.play(), 'tour-play');
    const next = button(last ? tx.tour.finish : tx.tour.next, () => (last ? finish() : go(index + 1)), 'tour-next');
    const leave = button(tx.tour.leave, () => host.leave(), 'tour-leave');
    nav.append(prev, play, next, leave);
    const done = document.createElement('p');
    done.className = 'tour-done';
    done.hidden = true;
    done.textContent = tx.tour.done;
    container.replaceChildren(count, title, ...body, nav, done);
    return title;
  }

  function finish() {
    const done = container.querySelector('.tour-done');
    done.hidden = false;
    container.dataset.finished = 'true';
    done.tabIndex = -1;
    done.focus();
  }

  async function go(n) {
    index = Math.max(0, Math.min(CHAPTERS.length - 1, n));
    delete container.dataset.finished;
    container.dataset.chapter = String(index + 1);
    const title = draw();
    await host.open(CHAPTERS[index].link);
    host.ask(CHAPTERS[index].ask);
    host.address(index + 1);
    title.focus();
  }

  return {
    go,
    /** Keyboard focus to Play (`more` questions ahead in this chapter) or to Next. */
    focusNext(more) {
      container.querySelector(more ? '.tour-play' : '.tour-next')?.focus();
    },
    chapter: () => index + 1,
    redraw: () => draw(),
  };
}

export { CHAPTERS };
