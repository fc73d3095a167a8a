#!/usr/bin/env bash
# The README's test command: install what the tests need (skipping what is already there), then run
# every test: the core's unit, scenario and property tests, the CLI's, the wasm tests in headless
# Chromium, and the end-to-end tests of the page.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --with-browser
cargo test --locked -p twlab-core -p twlab-cli
scripts/test-web.sh
