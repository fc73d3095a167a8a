#!/usr/bin/env bash
# Build the page's wasm: the core compiled to wasm32, its JS glue (wasm-bindgen, --target web) into
# www/pkg/, then shrunk with wasm-opt -Oz when a working one is at hand; then the site as served into
# dist/ (scripts/build-site.mjs: one minified script, minified CSS, the default diagram pre-rendered).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[build-web]\033[0m %s\n' "$*"; }

[ "${TWLAB_SKIP_SETUP:-}" = 1 ] || scripts/setup.sh "$@"

# Five modules: the lab; what the page fetches only when needed: the capture reader (a file dropped on
# it), the packetdrill runner (a script dropped, pasted or linked), the exports (text, Mermaid, pcap: a
# run first downloaded); and the lab with its fork view (twlab-wasm's `fork` feature, out-name
# twlab_fork), fetched when a reader forks a run. The fork build comes last: both twlab-wasm builds
# write the same .wasm in target/.
build() {
  log "cargo build $* (wasm32, profile wasm-release)"
  cargo build --locked "$@" --target wasm32-unknown-unknown --profile wasm-release
}
rm -rf www/pkg

# The features rustc enables by default for wasm32 (Rust >= 1.82); wasm-opt must accept them all.
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)
# wasm-bindgen, then wasm-opt -Oz: `bind <crate's wasm name> <module name>`.
bind() {
  local crate=$1 module=$2
  log "wasm-bindgen --target web --out-dir www/pkg ($module)"
  wasm-bindgen --target web --no-typescript --out-dir www/pkg --out-name "$module" \
    "target/wasm32-unknown-unknown/wasm-release/$crate.wasm"
  out=www/pkg/${module}_bg.wasm
  optimized=
  # npm's binaryen (a devDependency) first: Debian's is v108, too old for some of those features.
  for opt in node_modules/.bin/wasm-opt "$(command -v wasm-opt || true)"; do
    [ -n "$opt" ] && [ -x "$opt" ] || continue
    # --converge repeats -Oz while it still shrinks.
    if "$opt" -Oz --converge "${features[@]}" --strip-producers --strip-target-features "$out" -o "$out.opt" 2>/dev/null; then
      log "wasm-opt -Oz ($("$opt" --version | head -n1)): $(wc -c <"$out") -> $(wc -c <"$out.opt") bytes"
      mv "$out.opt" "$out"
      optimized=1
      break
    fi
    rm -f "$out.opt"
    log "skipping $opt: it rejected the module"
  done
  [ -n "$optimized" ] || log "no working wasm-opt found: $module is larger but works (npm ci installs one)"
}
build -p twlab-wasm -p twlab-capture-wasm -p twlab-drill-wasm -p twlab-export-wasm
bind twlab_wasm twlab_wasm
bind twlab_capture_wasm twlab_capture_wasm
bind twlab_drill_wasm twlab_drill_wasm
bind twlab_export_wasm twlab_export_wasm
build -p twlab-wasm --features fork
bind twlab_wasm twlab_fork
# The parameter table for the page's form, from the core's one table (`twlab params --json`), as an ES
# module the page imports. Not in the wasm, where its meanings in two languages cost 4 KB gzip.
log "twlab params --json -> www/pkg/params.js"
table=$(cargo run --locked -q -p twlab-cli -- params --json)
printf 'export default %s;\n' "$table" >www/pkg/params.js
log "done: www/pkg/"

# The site as served: bundled, minified, the default view pre-rendered (scripts/build-site.mjs).
node scripts/build-site.mjs
log "done: dist/"
