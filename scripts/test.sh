#!/usr/bin/env bash
# The README's test command: install what the tests need (skipping what is already there), then run
# every test: the core's unit, scenario and property tests, the formats' (links, listing, Mermaid,
# pcap), the capture reader's, the CLI's, the packetdrill runner's (every
# script in tests/drill), the wasm tests in headless Chromium, the end-to-end tests of the page, and
# the page's size budget.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --with-browser
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --locked -p twlab-core -p twlab-formats -p twlab-capture -p twlab-cli -p twlab-drill -p mdbook-twlab -p twlab-jsdata 2>&1 | tee "$log"
awk '/^test result:/ { p += $4; f += $6 } END { printf "rust tests: %d passed, %d failed\n", p, f }' "$log"
scripts/test-web.sh
