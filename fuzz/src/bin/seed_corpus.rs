//! Writes the fuzzers' seed corpus: every preset as a scenario file. Run by scripts/fuzz.sh.
//!   cargo run --manifest-path fuzz/Cargo.toml --bin seed_corpus -- <corpus dir>
use std::path::PathBuf;
use twlab_core::presets;

fn main() -> std::io::Result<()> {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "fuzz/corpus".into()),
    );
    let dir = root.join("scenario_json");
    std::fs::create_dir_all(&dir)?;
    for preset in presets::all() {
        let json = serde_json::to_string_pretty(&preset).expect("a preset serializes");
        std::fs::write(dir.join(format!("{}.json", preset.name)), json)?;
    }
    Ok(())
}
