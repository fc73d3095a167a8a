/work/wt-reuse/target-size/wasm32-unknown-unknown/wasm-release/deps/twlab_wasm.d: crates/twlab-wasm/src/lib.rs

/work/wt-reuse/target-size/wasm32-unknown-unknown/wasm-release/deps/twlab_wasm.wasm: crates/twlab-wasm/src/lib.rs

/work/wt-reuse/target-size/wasm32-unknown-unknown/wasm-release/deps/libtwlab_wasm.rlib: crates/twlab-wasm/src/lib.rs

crates/twlab-wasm/src/lib.rs:
