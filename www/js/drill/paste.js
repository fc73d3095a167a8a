// The paste dialog: a script typed or pasted, run on "Run it". A script that cannot be run keeps the
// dialog open with its problem said and the caret at its line and column.

let dialog = null;

/** Open the dialog; `run(text)` shows the script, or returns `{ problem, line, col }`. */
export function pasteDialog({ words, run }) {
  dialog ??= build();
  const w = words();
  dialog.querySelector('h2').textContent = w.pasteTitle;
  dialog.querySelector('.paste-hint').textContent = w.pasteHint;
  dialog.querySelector('label').textContent = w.pasteLabel;
  dialog.querySelector('button[value="run"]').textContent = w.run;
  dialog.querySelector('button[value="cancel"]').textContent = w.cancel;
  const problem = dialog.querySelector('.paste-problem');
  problem.textContent = '';
  dialog.onsubmit = async (ev) => {
    ev.preventDefault();
    if (ev.submitter?.value === 'cancel') {
      dialog.close();
      return;
    }
    const area = dialog.querySelector('textarea');
    const failed = await run(area.value);
    if (!failed) {
      dialog.close();
      return;
    }
    problem.textContent = failed.problem;
    area.focus();
    const at = offset(area.value, failed.line, failed.col);
    area.setSelectionRange(at, at);
  };
  dialog.showModal();
}

function build() {
  const d = document.createElement('dialog');
  d.id = 'paste-dialog';
  d.setAttribute('aria-labelledby', 'paste-title');
  const form = document.createElement('form');
  form.method = 'dialog';
  const h = document.createElement('h2');
  h.id = 'paste-title';
  const hint = document.createElement('p');
  hint.className = 'paste-hint';
  const label = document.createElement('label');
  label.htmlFor = 'paste-text';
  const area = document.createElement('textarea');
  area.id = 'paste-text';
  area.rows = 14;
  area.spellcheck = false;
  const problem = document.createElement('p');
  problem.className = 'paste-problem';
  problem.setAttribute('role', 'alert');
  const buttons = document.createElement('p');
  buttons.className = 'paste-buttons';
  for (const value of ['run', 'cancel']) {
    const b = document.createElement('button');
    b.value = value;
    b.type = 'submit';
    buttons.append(b);
  }
  form.append(h, hint, label, area, problem, buttons);
  d.append(form);
  document.body.append(d);
  return d;
}

/** The index in `text` of line `line`, column `col` (both from 1, columns in characters). */
function offset(text, line, col) {
  const lines = text.split('\n');
  let at = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length); i++) at += lines[i].length + 1;
  return Math.min(text.length, at + Math.max(0, col - 1));
}
