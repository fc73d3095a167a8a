#!/usr/bin/env bash
# The README's run command: set up, build the page's wasm, and serve www/ on 127.0.0.1.
#   scripts/run.sh            http://127.0.0.1:8080/
#   PORT=9000 scripts/run.sh  another port
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
TWLAB_SKIP_SETUP=1 scripts/build-web.sh
exec node scripts/serve.mjs --port "${PORT:-8080}"
