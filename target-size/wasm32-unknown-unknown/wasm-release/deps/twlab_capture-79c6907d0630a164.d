/work/wt-reuse/target-size/wasm32-unknown-unknown/wasm-release/deps/twlab_capture-79c6907d0630a164.d: crates/twlab-capture/src/lib.rs crates/twlab-capture/src/build.rs crates/twlab-capture/src/container.rs crates/twlab-capture/src/export.rs crates/twlab-capture/src/losses.rs crates/twlab-capture/src/observer.rs crates/twlab-capture/src/packet.rs crates/twlab-capture/src/states.rs crates/twlab-capture/src/streams.rs

/work/wt-reuse/target-size/wasm32-unknown-unknown/wasm-release/deps/libtwlab_capture-79c6907d0630a164.rlib: crates/twlab-capture/src/lib.rs crates/twlab-capture/src/build.rs crates/twlab-capture/src/container.rs crates/twlab-capture/src/export.rs crates/twlab-capture/src/losses.rs crates/twlab-capture/src/observer.rs crates/twlab-capture/src/packet.rs crates/twlab-capture/src/states.rs crates/twlab-capture/src/streams.rs

/work/wt-reuse/target-size/wasm32-unknown-unknown/wasm-release/deps/libtwlab_capture-79c6907d0630a164.rmeta: crates/twlab-capture/src/lib.rs crates/twlab-capture/src/build.rs crates/twlab-capture/src/container.rs crates/twlab-capture/src/export.rs crates/twlab-capture/src/losses.rs crates/twlab-capture/src/observer.rs crates/twlab-capture/src/packet.rs crates/twlab-capture/src/states.rs crates/twlab-capture/src/streams.rs

crates/twlab-capture/src/lib.rs:
crates/twlab-capture/src/build.rs:
crates/twlab-capture/src/container.rs:
crates/twlab-capture/src/export.rs:
crates/twlab-capture/src/losses.rs:
crates/twlab-capture/src/observer.rs:
crates/twlab-capture/src/packet.rs:
crates/twlab-capture/src/states.rs:
crates/twlab-capture/src/streams.rs:
