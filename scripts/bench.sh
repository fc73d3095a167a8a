#!/usr/bin/env bash
# The side-by-side benchmark (bench/run.mjs): build the site, then measure twlab and Mermaid in one
# run and print the table. Arguments go to bench/run.mjs (--loads, --toggles, --big-toggles, --only).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --with-browser
TWLAB_SKIP_SETUP=1 scripts/build-web.sh
node bench/run.mjs "$@"
