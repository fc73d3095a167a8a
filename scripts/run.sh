#!/usr/bin/env bash
# The README's run command: set up, build the site, and serve it (dist/) on 127.0.0.1.
#   scripts/run.sh            http://127.0.0.1:8080/
#   PORT=9000 scripts/run.sh  another port
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
TWLAB_SKIP_SETUP=1 scripts/build-web.sh
exec node scripts/serve.mjs --root dist --port "${PORT:-8080}"
