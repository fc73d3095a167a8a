// The baseline a tutorial author would use: a static Mermaid sequenceDiagram (twlab's own export of
// the same scenario) rendered by Mermaid's ESM build. `window.bench.toggle(line)` edits the text as
// an author would (one message lost or restored) and renders it again.
import mermaid from './mermaid-dist/mermaid.esm.min.mjs';

// A 2,000-message diagram is far past Mermaid's default limit of 50,000 characters.
mermaid.initialize({ startOnLoad: false, maxTextSize: 10_000_000, securityLevel: 'strict' });

const pre = document.getElementById('diagram');
let source = pre.textContent;
let renders = 0;

/** `C->>S: ACK ack 8` <-> `C-xS: ACK ack 8 LOST`. */
function flip(line) {
  if (line.includes('-x')) return line.replace('-x', '->>').replace(/ LOST$/, '');
  return line.replace('->>', '-x') + ' LOST';
}

window.bench = {
  async toggle(index) {
    const lines = source.split('\n');
    lines[index] = flip(lines[index]);
    source = lines.join('\n');
    renders += 1;
    const { svg } = await mermaid.render(`bench-${renders}`, source);
    pre.innerHTML = svg;
  },
};

try {
  await mermaid.run({ nodes: [pre] });
  document.body.dataset.ready = 'true';
} catch (e) {
  document.body.dataset.error = e.message || String(e);
}
