//! Writes the fuzzers' seed corpus: every preset as a scenario file, and every preset's share link
//! (as it opens, with the twin, a language and a step, and with one segment lost), and every packetdrill
//! script of tests/drill. Run by scripts/fuzz.sh.
//!   cargo run --manifest-path fuzz/Cargo.toml --bin seed_corpus -- <corpus dir>
use std::path::PathBuf;
use twlab_formats::link::{self, Link, LinkScenario};
use twlab_core::presets;
use twlab_core::scenario::{Fate, Override, SegmentId, Side};

fn main() -> std::io::Result<()> {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "fuzz/corpus".into()),
    );
    let scenarios = root.join("scenario_json");
    let links = root.join("share_link");
    std::fs::create_dir_all(&scenarios)?;
    std::fs::create_dir_all(&links)?;
    let scripts = root.join("drill_script");
    std::fs::create_dir_all(&scripts)?;
    let ours = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/drill");
    for entry in std::fs::read_dir(ours)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "pkt") {
            std::fs::copy(&path, scripts.join(path.file_name().expect("a file")))?;
        }
    }
    for preset in presets::all() {
        let json = serde_json::to_string_pretty(&preset).expect("a preset serializes");
        std::fs::write(scenarios.join(format!("{}.json", preset.name)), json)?;
        let mut lossy = preset.clone();
        lossy.overrides.push(Override {
            segment: SegmentId {
                conn: 1,
                from: Side::Server,
                nth: 3,
            },
            fate: Fate::Drop,
        });
        let mut custom = preset.clone();
        custom.name = format!("{} (mine)", preset.name);
        let variants = [
            ("plain", &preset, false, None, None),
            ("twin", &preset, true, Some("zh-Hans"), Some(7)),
            ("lossy", &lossy, false, Some("en"), Some(0)),
            ("custom", &custom, true, None, None),
        ];
        for (tag, scenario, twin, lang, step) in variants {
            let text = link::encode(&Link {
                scenario: LinkScenario::of(scenario),
                twin,
                lang: lang.map(String::from),
                step,
            });
            std::fs::write(links.join(format!("{}-{tag}.txt", preset.name)), text)?;
        }
        // A fork of the preset that loses the server's third segment.
        let fork = link::Fork {
            step: 9,
            overrides: Some(lossy.overrides.clone()),
        };
        let text = link::encode_forked(&Link {
            scenario: LinkScenario::of(&preset),
            twin: false,
            lang: None,
            step: None,
        }, &fork);
        std::fs::write(links.join(format!("{}-fork.txt", preset.name)), text)?;
    }
    Ok(())
}
