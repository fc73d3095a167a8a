#!/usr/bin/env bash
# A long random walk over the page (tests/e2e/monkey.mjs): N actions in sequences of 50 from a seed
# (default: the time), against the built site (scripts/build-web.sh first). Prints each sequence's
# seed; a failure prints its seed and the actions that led to it (replay: MONKEY_SEED=that N=50).
#   scripts/monkey.sh 10000 [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
total=${1:-1000}
seed=${2:-$(date +%s)}
[ -f dist/index.html ] || { echo "monkey: no dist/ (run scripts/build-web.sh)" >&2; exit 1; }
echo "monkey: $total actions from seed $seed"
MONKEY_ACTIONS=50 MONKEY_SEQUENCES=$(( (total + 49) / 50 )) MONKEY_SEED=$seed \
  node --test --test-concurrency=1 tests/e2e/monkey.test.mjs
