// A real capture opened on the page (dropped, or picked with "Open a capture"): read by the capture
// module, which is fetched on first use so that the page's first load stays small, and shown like a
// run. A capture is what happened: its session answers every export, but has no link, fates, twin or
// parameters to change (its `can` says so, and the page does not offer them).

import { wasmModule } from './lab.js';

const reader = wasmModule(() => import('../pkg/twlab_capture_wasm.js'), new URL('../pkg/twlab_capture_wasm.js', import.meta.url).href);

/**
 * Read `file` (a File) into a session the page draws like a simulated one: its TCP stream `stream`
 * (Wireshark's tcp.stream) with the streams on the same socket pair. Throws an Error whose
 * `kind` names what is wrong with the file (`not_a_capture`, `truncated`, `unsupported_link`,
 * `no_tcp`, `no_stream`), for the page's own words.
 */
export async function openCapture(file, stream = 0) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const drawn = await reader.call((glue) => glue.draw_capture(file.name, bytes, stream));
  if (drawn.kind) throw Object.assign(new Error(drawn.message), drawn);
  return new CaptureSession(drawn, file, bytes, stream);
}

/** lab.js's Session for a capture: the same methods; those that would change it refuse. */
class CaptureSession {
  constructor(drawn, file, bytes, stream) {
    this.can = { fates: false, twin: false, params: false, link: false };
    this.drawn = drawn;
    this.file = file;
    this.bytes = bytes;
    /** Every TCP stream of the file, and the one drawn (its tcp.stream). */
    this.streams = drawn.streams;
    this.stream = stream;
  }

  runs() {
    return { trace: this.drawn.trace, twin: null };
  }

  text() {
    return this.drawn.text;
  }

  mermaid() {
    return this.drawn.mermaid;
  }

  /** The file as it was opened. */
  pcap() {
    return this.bytes;
  }

  /** A capture has no share link. */
  link() {
    return null;
  }

  setOverrides() {
    throw new Error('a capture is what happened: its segments have no fates to change');
  }

  setScenario() {
    throw new Error('a capture is what happened: it has no parameters to change');
  }

  free() {}
}
