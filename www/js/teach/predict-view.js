// A prediction prompt (`data-predict`): the question, its choices as buttons, and after the reader
// picks, the answer's feedback once the host has played on to show it. Built with DOM calls only.

import { teach } from './text.js';
import { judge } from './predict.js';

let serial = 0;

/**
 * Show `question` (predict.js) in `container`. `onChoose(id)` is called when the reader picks; the
 * host then plays on and calls `reveal()` when the answer is on screen. Returns `{ element, reveal,
 * chosen }`.
 */
export function showPrompt(container, question, { onChoose }) {
  const tx = teach();
  const id = `predict-${++serial}`;
  const box = document.createElement('section');
  box.className = 'predict';
  box.dataset.predict = question.kind;
  box.dataset.event = String(question.event);
  box.dataset.tag = question.tag;
  box.setAttribute('aria-labelledby', `${id}-q`);
  const heading = document.createElement('h3');
  heading.textContent = tx.predict.heading;
  const prompt = document.createElement('p');
  prompt.id = `${id}-q`;
  prompt.className = 'predict-question';
  prompt.textContent = question.prompt;
  const choices = document.createElement('div');
  choices.className = 'predict-choices';
  choices.setAttribute('role', 'group');
  choices.setAttribute('aria-labelledby', `${id}-q`);
  const feedback = document.createElement('p');
  feedback.className = 'predict-feedback';
  feedback.setAttribute('role', 'status');
  let chosen = null;
  const buttons = question.choices.map((c) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'predict-choice';
    b.dataset.choice = c.id;
    b.textContent = c.text;
    b.addEventListener('click', () => {
      if (chosen) return;
      chosen = c.id;
      for (const other of buttons) {
        other.disabled = other !== b;
        other.setAttribute('aria-pressed', String(other === b));
      }
      feedback.textContent = tx.predict.reveal;
      onChoose(c.id);
    });
    return b;
  });
  choices.append(...buttons);
  box.append(heading, prompt, choices, feedback);
  container.replaceChildren(box);

  function reveal() {
    if (!chosen) return;
    const verdict = judge(question, chosen);
    box.dataset.answered = verdict.right ? 'right' : 'wrong';
    for (const b of buttons) {
      b.disabled = true;
      if (b.dataset.choice === question.answer) b.classList.add('is-answer');
    }
    feedback.textContent = verdict.text;
  }
  return { element: box, reveal, chosen: () => chosen, focus: () => buttons[0]?.focus() };
}
