#!/usr/bin/env bash
# The browser tests: the wasm wrapper's own tests (wasm-bindgen-test in headless Chromium), then the
# page end to end (node --test tests/e2e/, playwright-core driving Debian's Chromium) against
# scripts/serve.mjs on a free port, then the size report. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[test-web]\033[0m %s\n' "$*"; }

scripts/setup.sh --with-browser
TWLAB_SKIP_SETUP=1 scripts/build-web.sh

chromedriver=$(command -v chromedriver || echo /usr/bin/chromedriver)
log "wasm-bindgen-test in headless Chromium ($chromedriver)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER="$chromedriver" \
WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/crates/twlab-wasm/webdriver.json" \
WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --locked -p twlab-wasm -p twlab-capture-wasm -p twlab-export-wasm -p twlab-jsdata --target wasm32-unknown-unknown --features twlab-wasm/fork

log "native CLI for the determinism check"
cargo build --locked -q -p twlab-cli
export TWLAB_CLI="$PWD/target/debug/twlab"

log "unit tests of the page's modules in Node (tests/unit/)"
node --test tests/unit/

log "serving the built site (dist/) on a free port"
serve_log=$(mktemp)
node scripts/serve.mjs --root dist --port 0 >"$serve_log" 2>&1 &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true; rm -f "$serve_log"' EXIT
for _ in $(seq 1 100); do
  grep -q 'http://' "$serve_log" && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$serve_log"; exit 1; }
  sleep 0.1
done
TWLAB_URL=$(grep -o 'http://[^ ]*' "$serve_log" | head -n1)
[ -n "$TWLAB_URL" ] || { log "the server did not start"; cat "$serve_log"; exit 1; }
export TWLAB_URL
log "end-to-end tests against $TWLAB_URL (screenshots in test-results/screenshots/)"
status=0
node --test --test-concurrency=1 tests/e2e/ || status=$?

# The size report prints whatever the tests said, and fails if a budget is exceeded.
node scripts/size-report.mjs || status=$?
exit "$status"
