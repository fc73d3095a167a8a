/work/wt-reuse/target-size/wasm32-unknown-unknown/wasm-release/deps/twlab_core-a1bf3d71d8a9bf07.d: crates/twlab-core/src/lib.rs crates/twlab-core/src/addr.rs crates/twlab-core/src/discard.rs crates/twlab-core/src/endpoint.rs crates/twlab-core/src/endpoint/arrival.rs crates/twlab-core/src/error.rs crates/twlab-core/src/link.rs crates/twlab-core/src/mermaid.rs crates/twlab-core/src/network.rs crates/twlab-core/src/params.rs crates/twlab-core/src/presets.rs crates/twlab-core/src/rtt.rs crates/twlab-core/src/scenario.rs crates/twlab-core/src/segment.rs crates/twlab-core/src/seq.rs crates/twlab-core/src/sim.rs crates/twlab-core/src/state.rs crates/twlab-core/src/time.rs crates/twlab-core/src/timer.rs crates/twlab-core/src/trace.rs

/work/wt-reuse/target-size/wasm32-unknown-unknown/wasm-release/deps/libtwlab_core-a1bf3d71d8a9bf07.rlib: crates/twlab-core/src/lib.rs crates/twlab-core/src/addr.rs crates/twlab-core/src/discard.rs crates/twlab-core/src/endpoint.rs crates/twlab-core/src/endpoint/arrival.rs crates/twlab-core/src/error.rs crates/twlab-core/src/link.rs crates/twlab-core/src/mermaid.rs crates/twlab-core/src/network.rs crates/twlab-core/src/params.rs crates/twlab-core/src/presets.rs crates/twlab-core/src/rtt.rs crates/twlab-core/src/scenario.rs crates/twlab-core/src/segment.rs crates/twlab-core/src/seq.rs crates/twlab-core/src/sim.rs crates/twlab-core/src/state.rs crates/twlab-core/src/time.rs crates/twlab-core/src/timer.rs crates/twlab-core/src/trace.rs

/work/wt-reuse/target-size/wasm32-unknown-unknown/wasm-release/deps/libtwlab_core-a1bf3d71d8a9bf07.rmeta: crates/twlab-core/src/lib.rs crates/twlab-core/src/addr.rs crates/twlab-core/src/discard.rs crates/twlab-core/src/endpoint.rs crates/twlab-core/src/endpoint/arrival.rs crates/twlab-core/src/error.rs crates/twlab-core/src/link.rs crates/twlab-core/src/mermaid.rs crates/twlab-core/src/network.rs crates/twlab-core/src/params.rs crates/twlab-core/src/presets.rs crates/twlab-core/src/rtt.rs crates/twlab-core/src/scenario.rs crates/twlab-core/src/segment.rs crates/twlab-core/src/seq.rs crates/twlab-core/src/sim.rs crates/twlab-core/src/state.rs crates/twlab-core/src/time.rs crates/twlab-core/src/timer.rs crates/twlab-core/src/trace.rs

crates/twlab-core/src/lib.rs:
crates/twlab-core/src/addr.rs:
crates/twlab-core/src/discard.rs:
crates/twlab-core/src/endpoint.rs:
crates/twlab-core/src/endpoint/arrival.rs:
crates/twlab-core/src/error.rs:
crates/twlab-core/src/link.rs:
crates/twlab-core/src/mermaid.rs:
crates/twlab-core/src/network.rs:
crates/twlab-core/src/params.rs:
crates/twlab-core/src/presets.rs:
crates/twlab-core/src/rtt.rs:
crates/twlab-core/src/scenario.rs:
crates/twlab-core/src/segment.rs:
crates/twlab-core/src/seq.rs:
crates/twlab-core/src/sim.rs:
crates/twlab-core/src/state.rs:
crates/twlab-core/src/time.rs:
crates/twlab-core/src/timer.rs:
crates/twlab-core/src/trace.rs:
