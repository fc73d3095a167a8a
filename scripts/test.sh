#!/usr/bin/env bash
# The README's test command: install what the tests need (skipping what is already there), then run
# every test: the core's unit, scenario and property tests and the CLI's.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cargo test --locked -p twlab-core -p twlab-cli
