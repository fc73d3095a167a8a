//! The parameter table (`twlab_core::params`) is the one list of parameters: the scenario JSON, the
//! share links and the README agree with it, and every parameter survives a link at any valid value.

mod common;

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use twlab_core::params::{table, ParamInfo, Range, Shown};
use twlab_core::scenario::{ParamOverrides, Profile, Scenario};
use twlab_core::{presets, Duration};
use twlab_formats::link::{self, Link, LinkScenario};

fn names() -> Vec<&'static str> {
    table().iter().map(|p| p.name).collect()
}

#[test]
fn the_table_lists_every_field_of_the_scenarios_params_once() {
    let names = names();
    // Every parameter set: the JSON object has one key per table row, in the table's order.
    let all = table()
        .iter()
        .map(|p| (p.name.to_string(), valid_example(p)))
        .collect::<Map<_, _>>();
    let overrides: ParamOverrides = serde_json::from_value(Value::Object(all)).unwrap();
    let back = serde_json::to_value(&overrides).unwrap();
    let mut sorted = names.clone();
    sorted.sort();
    let keys: Vec<&str> = back
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, sorted);
    // The resolved parameters (in a trace) have the same fields, those off or unset omitted.
    let linux = serde_json::to_value(Profile::Linux.params()).unwrap();
    assert!(linux
        .as_object()
        .unwrap()
        .keys()
        .all(|k| names.contains(&k.as_str())));
    // Anything else is refused.
    assert!(serde_json::from_value::<ParamOverrides>(json!({"mls": "1s"})).is_err());
}

#[test]
fn the_tables_defaults_are_the_profiles_parameters() {
    for (profile, pick) in [
        (
            Profile::Rfc9293,
            (|p: &ParamInfo| &p.defaults.rfc9293) as fn(&ParamInfo) -> &Shown,
        ),
        (Profile::Linux, |p| &p.defaults.linux),
        (Profile::Lab, |p| &p.defaults.lab),
    ] {
        let params = serde_json::to_value(profile.params()).unwrap();
        for p in table() {
            let shown = serde_json::to_value(pick(&p)).unwrap();
            match params.get(p.name) {
                Some(value) => assert_eq!(value, &shown, "{profile:?} {}", p.name),
                // Left out of a trace's JSON when off, zero or unset.
                None => assert!(
                    [json!(false), json!(0), Value::Null].contains(&shown),
                    "{}",
                    p.name
                ),
            }
        }
    }
}

#[test]
fn the_common_parameters_are_those_the_page_shows_in_view() {
    let common: Vec<&str> = table()
        .iter()
        .filter(|p| p.common)
        .map(|p| p.name)
        .collect();
    assert_eq!(
        common,
        ["msl", "delay", "time_wait", "rfc1337", "timestamps"]
    );
    for p in table() {
        assert!(p.meaning.en.ends_with('.'), "{}", p.name);
        assert!(p.meaning.zh_hans.ends_with('。'), "{}", p.name);
    }
}

#[test]
fn each_range_is_enforced_at_its_ends() {
    for p in table() {
        let field = format!("params.{}", p.name);
        let (below, above) = match p.range {
            Range::Duration { min, max } => (
                (min.0 > 0).then(|| json!(Duration(min.0 - 1))),
                json!(Duration(max.0 + 1)),
            ),
            // 65535 is the type's own limit (a u16): the JSON does not parse above it.
            Range::Count { min, max } if max < u32::from(u16::MAX) => {
                ((min > 0).then(|| json!(min - 1)), json!(max + 1))
            }
            Range::Count { min, .. } => match min {
                0 => continue,
                _ => (Some(json!(min - 1)), json!(min - 1)),
            },
            Range::TimeWait {
                max,
                msl_multiple_max,
                ..
            } => {
                assert_eq!(
                    rejected_at(p.name, json!(format!("{}msl", msl_multiple_max + 1))),
                    field
                );
                (Some(json!("0msl")), json!(Duration(max.0 + 1)))
            }
            _ => continue,
        };
        for value in below.into_iter().chain([above]) {
            assert_eq!(rejected_at(p.name, value.clone()), field, "{value}");
        }
        for value in [p.defaults.lab.clone(), p.defaults.linux.clone()] {
            if value != Shown::None {
                assert!(
                    with(p.name, json!(value)).validate().is_ok(),
                    "{} {value:?}",
                    p.name
                );
            }
        }
    }
}

/// A lab scenario (normal-close) with one parameter set.
fn with(name: &str, value: Value) -> Scenario {
    let mut s = serde_json::to_value(presets::by_name("normal-close").unwrap()).unwrap();
    s["profile"] = json!("linux");
    s["params"] = json!({ name: value });
    serde_json::from_value(s).unwrap()
}

fn rejected_at(name: &str, value: Value) -> String {
    with(name, value).validate().unwrap_err().field
}

/// Some value inside the range, for a parameter of any kind.
fn valid_example(p: &ParamInfo) -> Value {
    match &p.range {
        Range::Duration { min, .. } => json!(min),
        Range::Count { min, .. } => json!(min),
        Range::Bool => json!(true),
        Range::TimeWait { .. } => json!("skip"),
        Range::Isn { .. } => json!("clock"),
    }
}

/// Any value inside `p`'s range, drawn from its declaration, so that a new parameter is covered
/// without touching this test.
fn value_in(p: &ParamInfo) -> BoxedStrategy<Value> {
    // Durations spread over the whole range on a log scale (1 µs to an hour are all likely).
    fn duration(min: Duration, max: Duration) -> BoxedStrategy<Value> {
        let (lo, hi) = (min.0.max(1) as f64, max.0 as f64);
        (0.0..=1.0f64, any::<bool>())
            .prop_map(move |(x, round)| {
                let us = (lo * (hi / lo).powf(x)) as u64;
                // Round to whole milliseconds half the time: links spell those `200ms`.
                let us = if round && us >= 1000 {
                    us / 1000 * 1000
                } else {
                    us
                };
                json!(Duration(us.clamp(min.0, max.0)))
            })
            .boxed()
    }
    match p.range.clone() {
        Range::Duration { min, max } => duration(min, max),
        Range::Count { min, max } => (min..=max).prop_map(|n| json!(n)).boxed(),
        Range::Bool => any::<bool>().prop_map(|b| json!(b)).boxed(),
        Range::TimeWait {
            min,
            max,
            msl_multiple_min,
            msl_multiple_max,
        } => prop_oneof![
            (msl_multiple_min..=msl_multiple_max).prop_map(|n| json!(format!("{n}msl"))),
            duration(min, max),
            Just(json!("skip")),
        ]
        .boxed(),
        Range::Isn { min, max } => {
            let pair =
                (any::<u32>(), any::<u32>()).prop_map(|(c, s)| json!({"client": c, "server": s}));
            prop_oneof![
                Just(json!("clock")),
                pair.clone().prop_map(|p| json!({ "fixed": p })),
                prop::collection::vec(pair, min as usize..=(max as usize).min(4))
                    .prop_map(|pairs| json!({ "per_connection": pairs })),
            ]
            .boxed()
        }
    }
}

/// Each parameter of the table left alone or set to a valid value.
fn overrides() -> impl Strategy<Value = ParamOverrides> {
    table()
        .iter()
        .map(|p| {
            let name = p.name;
            prop::option::of(value_in(p)).prop_map(move |v| v.map(|v| (name, v)))
        })
        .collect::<Vec<_>>()
        .prop_map(|values| {
            let object: Map<String, Value> = values
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            serde_json::from_value(Value::Object(object)).unwrap()
        })
}

fn profile() -> impl Strategy<Value = Profile> {
    prop_oneof![
        Just(Profile::Lab),
        Just(Profile::Linux),
        Just(Profile::Rfc9293)
    ]
}

/// scenario → link → scenario gives the scenario back (its resolved parameters included), or, when
/// the parameters contradict each other (say a delay longer than MSL), the error validation gives.
fn round_trips(scenario: &Scenario, twin: bool) -> Result<(), TestCaseError> {
    let link = Link {
        scenario: LinkScenario::of(scenario),
        twin,
        lang: None,
        step: None,
    };
    common::assert_round_trip(scenario, &link)
}

proptest! {
    #[test]
    fn every_parameter_survives_a_link_on_every_preset(
        i in 0..presets::all().len(),
        profile in profile(),
        params in overrides(),
        twin in any::<bool>(),
    ) {
        let mut s = presets::all().swap_remove(i);
        s.profile = profile;
        // The preset's own parameters, each replaced where the draw sets one.
        let mut merged = serde_json::to_value(&s.params).unwrap();
        for (k, v) in serde_json::to_value(&params).unwrap().as_object().unwrap() {
            merged[k] = v.clone();
        }
        s.params = serde_json::from_value(merged).unwrap();
        let short = matches!(LinkScenario::of(&s), LinkScenario::Preset { .. });
        prop_assert!(short);
        round_trips(&s, twin)?;
    }

    #[test]
    fn every_parameter_survives_a_link_in_a_custom_scenario(
        profile in profile(),
        params in overrides(),
        twin in any::<bool>(),
    ) {
        let mut s = presets::by_name("normal-close").unwrap();
        s.name = "mine".into();
        s.profile = profile;
        s.params = params;
        let custom = matches!(LinkScenario::of(&s), LinkScenario::Custom(_));
        prop_assert!(custom);
        round_trips(&s, twin)?;
    }
}

// ---- regressions: the links of issue 12 ----------------------------------------------------------

#[test]
fn old_duplicate_with_timestamps_and_twin_opens_as_written() {
    let link = link::decode("#v1/old-duplicate/timestamps=on/twin/end").unwrap();
    let s = link.scenario.to_scenario().unwrap();
    assert_eq!(s.name, "old-duplicate");
    assert!(s.params().timestamps);
    assert!(link.twin);
}

#[test]
fn a_custom_scenario_keeps_timestamps_quick_ack_and_orphan_fin_wait_2() {
    let mut s = presets::by_name("normal-close").unwrap();
    s.name = "mine".into();
    s.params.timestamps = Some(true);
    s.params.quick_ack = Some(true);
    s.params.orphan_fin_wait_2 = Some(Duration::from_secs(5));
    let text = link::encode(&Link {
        scenario: LinkScenario::of(&s),
        twin: false,
        lang: None,
        step: None,
    });
    assert!(
        text.contains("/quick_ack=on/orphan_fin_wait_2=5s/timestamps=on/"),
        "{text}"
    );
    let back = link::decode(&text).unwrap().scenario.to_scenario().unwrap();
    assert_eq!(back, s);
}

// ---- the README ------------------------------------------------------------------------------------

/// A value as the README's table writes it: `1s`, `"2msl"`, `536`, `false`, `none`.
fn readme_value(v: &Shown) -> String {
    match v {
        Shown::Duration(d) => d.to_string(),
        Shown::Count(n) => n.to_string(),
        Shown::None => "none".into(),
        other => format!("`{}`", serde_json::to_string(other).unwrap()),
    }
}

fn range_text(range: &Range) -> Option<String> {
    Some(match range {
        Range::Duration { min, max } => format!("{min}–{max}"),
        Range::Count { min, max } => format!("{min}–{max}"),
        Range::TimeWait {
            min,
            max,
            msl_multiple_min,
            msl_multiple_max,
        } => {
            format!(
                "`\"{msl_multiple_min}msl\"`–`\"{msl_multiple_max}msl\"`, `\"{min}\"`–`\"{max}\"`"
            )
        }
        Range::Bool => "`true`, `false`".into(),
        Range::Isn { .. } => return None,
    })
}

#[test]
fn the_readme_lists_exactly_the_tables_parameters_with_their_ranges_and_defaults() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let rows: Vec<Vec<&str>> = readme
        .lines()
        .filter(|l| l.starts_with("| `params."))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    let listed: Vec<&str> = rows
        .iter()
        .map(|r| r[0].trim_start_matches("`params.").trim_end_matches('`'))
        .collect();
    assert_eq!(listed, names());
    for (row, p) in rows.iter().zip(table()) {
        if let Some(range) = range_text(&p.range) {
            // The rto_initial row says only "between rto_min and rto_max", which is narrower.
            if p.name != "rto_initial" {
                assert!(
                    row[2].starts_with(&range),
                    "{}: {:?} does not start with {range}",
                    p.name,
                    row[2]
                );
            }
        }
        // `lab · rfc9293 · linux`, or one value when all three agree.
        let d = &p.defaults;
        let [lab, rfc, linux] = [&d.lab, &d.rfc9293, &d.linux].map(readme_value);
        let expected = if lab == rfc && rfc == linux {
            lab
        } else {
            format!("{lab} · {rfc} · {linux}")
        };
        assert_eq!(row[3], expected, "{}", p.name);
    }
}

#[test]
fn the_fuzzers_dictionaries_know_every_parameter() {
    let dict = |name: &str| {
        std::fs::read_to_string(format!("{}/../../fuzz/{name}", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
    };
    let (json, link) = (dict("scenario_json.dict"), dict("share_link.dict"));
    for p in names() {
        assert!(
            json.lines().any(|l| l == format!(r#""\"{p}\"""#)),
            "scenario_json.dict: {p}"
        );
        assert!(
            link.lines().any(|l| l == format!(r#""{p}=""#)),
            "share_link.dict: {p}"
        );
    }
}
