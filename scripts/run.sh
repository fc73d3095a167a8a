#!/usr/bin/env bash
# The README's run command. Until the page lands (issue 3) it builds the twlab command and shows the
# presets and how to run one; then this script builds the page and serves it.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked -q -p twlab-cli
twlab=target/release/twlab
echo "twlab is built: $twlab"
echo
"$twlab" list
echo
echo "Run one, with or without TIME-WAIT:"
echo "  $twlab run last-ack-lost"
echo "  $twlab run last-ack-lost --no-time-wait"
echo "  $twlab run old-duplicate --no-time-wait --format json"
