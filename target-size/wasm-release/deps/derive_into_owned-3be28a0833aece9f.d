/work/wt-reuse/target-size/wasm-release/deps/derive_into_owned-3be28a0833aece9f.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/derive-into-owned-0.2.0/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/derive-into-owned-0.2.0/src/field_kind.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/derive-into-owned-0.2.0/src/helpers.rs

/work/wt-reuse/target-size/wasm-release/deps/libderive_into_owned-3be28a0833aece9f.so: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/derive-into-owned-0.2.0/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/derive-into-owned-0.2.0/src/field_kind.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/derive-into-owned-0.2.0/src/helpers.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/derive-into-owned-0.2.0/src/lib.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/derive-into-owned-0.2.0/src/field_kind.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/derive-into-owned-0.2.0/src/helpers.rs:
