// A real capture opened on the page (dropped, or picked with "Open a capture"): read by the capture
// module, which is fetched on first use so that the page's first load stays small, and shown like a
// run. A capture is what happened: its session has no link, no fates and no parameters to change.

const GLUE = '../pkg/twlab_capture_wasm.js';

let reader = null;

/**
 * Read `file` (a File) into a session the page draws like a simulated one: its TCP stream `stream`
 * (Wireshark's tcp.stream) with the streams on the same socket pair. Throws an Error whose
 * `kind` names what is wrong with the file (`not_a_capture`, `truncated`, `unsupported_link`,
 * `no_tcp`, `no_stream`), for the page's own words.
 */
export async function openCapture(file, stream = 0) {
  reader ??= import(GLUE).then(async (glue) => {
    await glue.default();
    return glue;
  });
  const glue = await reader;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const drawn = glue.draw_capture(file.name, bytes, stream);
  if (drawn.error) throw Object.assign(new Error(drawn.message), { kind: drawn.error });
  return new CaptureSession(drawn, bytes, stream);
}

/** The parts of lab.js's Session a capture can answer. */
class CaptureSession {
  constructor(drawn, bytes, stream) {
    this.drawn = drawn;
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

  /** The file as it was opened. */
  pcap() {
    return this.bytes;
  }

  free() {}
}
