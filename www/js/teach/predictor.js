// Predict, then reveal, over the lab's own player: before the step at which a question's segment
// arrives (or is lost), the player holds and the prompt appears; the reader picks, the player plays
// on through the answer, stops there, and the prompt says whether the pick was right and why.
// The tour asks the questions its chapter names; the "Ask me" switch asks every one of any run.

import { questions as allQuestions, nextQuestion } from './predict.js';
import { showPrompt } from './predict-view.js';

/** The questions to ask of `model`: all of them, or for each tag in `tags` the next one in order. */
export function pickQuestions(model, tags) {
  const list = allQuestions(model);
  if (!tags) return list;
  const picked = [];
  let at = -1;
  for (const tag of tags) {
    const q = nextQuestion(list, at, [tag]);
    if (!q) continue;
    picked.push(q);
    at = q.event;
  }
  return picked;
}

/**
 * `player` (controls.js) gains a hold: `container` receives the prompts. `onAsk(question)` and
 * `onRevealed(question, right)` let a host (the tour) follow along.
 */
export function createPredictor({ player, container, onAsk = () => {}, onRevealed = () => {} }) {
  let list = [];
  let asked = new Set();
  let open = null; // { question, prompt, answered }

  function clear() {
    document.body.classList.remove('is-asking');
    open = null;
    container.replaceChildren();
    container.hidden = true;
  }

  function ask(q) {
    const prompt = showPrompt(container, q, {
      onChoose: () => {
        asked.add(q);
        open.answered = true;
        if (player.step >= q.reveal) reveal();
        else player.play();
      },
    });
    open = { question: q, prompt, answered: false };
    document.body.classList.add('is-asking');
    container.hidden = false;
    onAsk(q);
    prompt.focus();
  }

  function reveal() {
    document.body.classList.remove('is-asking');
    const q = open.question;
    open.prompt.reveal();
    onRevealed(q, open.prompt.element.dataset.answered === 'right');
    open.answered = 'revealed';
  }

  // The player asks before entering each step while playing or stepping forward; not while it plays
  // on to an answer: a question on the way would replace the prompt before its reveal (random walk).
  player.hold = (step) => {
    if (open?.answered === true) return false;
    const q = list.find((x) => x.event === step && !asked.has(x));
    if (!q) return false;
    if (open?.question !== q) ask(q);
    return true;
  };

  return {
    /** A new run (or the switch turned on): these questions, none asked yet. */
    set(next) {
      list = next;
      asked = new Set();
      clear();
    },
    /** Called on every player change: reveal once the answer is on screen, drop a prompt left behind. */
    follow(step) {
      if (!open) return;
      if (open.answered === true && step >= open.question.reveal) {
        player.pause();
        reveal();
      } else if (!open.answered && step !== open.question.event - 1) clear();
    },
    /** The question waiting for an answer, if any. */
    waiting() {
      return open && !open.answered ? open.question : null;
    },
    /** How many questions are still to be asked. */
    remaining() {
      return list.filter((q) => !asked.has(q)).length;
    },
    stop() {
      list = [];
      clear();
    },
  };
}
