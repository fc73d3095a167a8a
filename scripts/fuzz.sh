#!/usr/bin/env bash
# Fuzz the core with libFuzzer (cargo-fuzz): each target in turn for a fixed time, in one process (libFuzzer's default: one job).
# Exits non-zero on the first crash, panic, timeout or out-of-memory; the input is left in
# fuzz/artifacts/<target>/. Not part of scripts/test.sh (the property tests guard the same invariants).
#   scripts/fuzz.sh [seconds per target, default 60] [target…]
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP=1 unlocks them on the stable toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[fuzz]\033[0m %s\n' "$*"; }

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario_json share_link drill_script capture)

if ! cargo fuzz --version >/dev/null 2>&1; then
  log "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1

log "seed corpus: every preset, every script in tests/drill, every capture fixture"
cargo run --quiet --manifest-path fuzz/Cargo.toml --bin seed_corpus -- fuzz/corpus
mkdir -p fuzz/corpus/capture
cp crates/twlab-capture/tests/captures/*.pcap* tests/linux/fixtures/*.pcap fuzz/corpus/capture/

for target in "${targets[@]}"; do
  log "$target for ${seconds}s"
  # No sanitizer (the core is safe Rust) but debug assertions, so that an overflow is a crash.
  # -timeout: one input running over 10 s counts as a hang.
  dict=(); [ -f "fuzz/$target.dict" ] && dict=(-dict="fuzz/$target.dict")
  cargo fuzz run --sanitizer none --debug-assertions "$target" "fuzz/corpus/$target" -- "${dict[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
done
log "no crashes"
