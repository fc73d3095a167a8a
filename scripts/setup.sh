#!/usr/bin/env bash
# Install what the build and the tests need, skipping whatever is already there. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly (pinned with = in crates/twlab-wasm).
want=$( { grep -A1 '^name = "wasm-bindgen"$' Cargo.lock || true; } | sed -n 's/^version = "\(.*\)"$/\1/p' | head -n1)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ -n "$want" ] && [ "$have" != "$want" ]; then
  log "installing wasm-bindgen-cli $want (a few minutes on 2 cores)"
  cargo install wasm-bindgen-cli --version "$want"
fi

if [ "${1:-}" = "--with-browser" ]; then
  # Debian packages, those missing installed together (one apt-get update).
  debs=()
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    debs+=(chromium chromium-driver)
  fi
  # The capture tests and the end-to-end tests check their reading against tshark.
  command -v tshark >/dev/null || debs+=(tshark)
  # Without a CJK font the Chinese screenshots in test-results/screenshots/ show empty boxes.
  fc-list :lang=zh family 2>/dev/null | grep -q . || debs+=(fonts-noto-cjk)
  if [ ${#debs[@]} -gt 0 ]; then
    log "installing Debian's ${debs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${debs[@]}" >/dev/null
  fi
  # mdBook for the mdbook-twlab end-to-end test (tests/e2e/mdbook.test.mjs), without the watch, serve
  # and search features it does not use (2m10s of CPU; 9.5 min wall while six other builds shared the 2 cores).
  mdbook_want=0.5.4
  if [ "$(mdbook --version 2>/dev/null || true)" != "mdbook v$mdbook_want" ]; then
    log "installing mdbook $mdbook_want (cargo install, a few minutes)"
    cargo install mdbook --version "$mdbook_want" --no-default-features --locked
  fi
fi

if [ -f package-lock.json ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  log "installing npm packages from the lockfile"
  npm ci --no-audit --no-fund --loglevel=error
fi
