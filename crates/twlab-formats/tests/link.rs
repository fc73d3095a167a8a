//! Share links: every scenario survives encode → decode; every kind of damage gets its own error; no
//! input makes the decoder panic.

// The core's test helpers: the link round trip is checked there too, for every parameter (its tests/params.rs).
#[path = "../../twlab-core/tests/common/mod.rs"]
mod common;

use proptest::prelude::*;
use twlab_core::presets;
use twlab_core::scenario::{
    Action, BindMode, Fate, Isn, IsnPair, Override, Profile, Scenario, SegmentId, Side, Step,
    TimeWait, Trigger,
};
use twlab_core::{simulate, Duration};
use twlab_formats::link::{self, Fork, Link, LinkError, LinkScenario, MAX_LEN};

fn link_to(scenario: &Scenario, twin: bool, lang: Option<&str>, step: Option<u32>) -> Link {
    Link {
        scenario: LinkScenario::of(scenario),
        twin,
        lang: lang.map(String::from),
        step,
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn side() -> impl Strategy<Value = Side> {
    prop_oneof![Just(Side::Client), Just(Side::Server)]
}

fn fate() -> impl Strategy<Value = Fate> {
    prop_oneof![
        Just(Fate::Drop),
        (0u64..5000).prop_map(|d| Fate::Delay(ms(d))),
        (0u64..5000).prop_map(|d| Fate::Duplicate(Duration(d * 7))),
    ]
}

fn overrides() -> impl Strategy<Value = Vec<Override>> {
    prop::collection::vec((1u32..=3, side(), 1u32..=20, fate()), 0..8)
        .prop_map(common::distinct_overrides)
}

fn profile() -> impl Strategy<Value = Profile> {
    prop_oneof![
        Just(Profile::Lab),
        Just(Profile::Linux),
        Just(Profile::Rfc9293)
    ]
}

fn time_wait() -> impl Strategy<Value = TimeWait> {
    prop_oneof![
        (0u32..12).prop_map(TimeWait::MslMultiple),
        (0u64..100_000).prop_map(|d| TimeWait::Fixed(ms(d))),
        Just(TimeWait::Skip),
    ]
}

fn isn() -> impl Strategy<Value = Isn> {
    let pair = (any::<u32>(), any::<u32>()).prop_map(|(client, server)| IsnPair { client, server });
    prop_oneof![
        Just(Isn::Clock),
        pair.clone().prop_map(Isn::Fixed),
        prop::collection::vec(pair, 0..4).prop_map(Isn::PerConnection),
    ]
}

/// Random parameter changes on top of `s` (any of them may be out of range).
fn tweak(s: Scenario) -> impl Strategy<Value = Scenario> {
    (
        profile(),
        prop::option::of(1u64..3000),
        prop::option::of(1u64..200),
        prop::option::of(time_wait()),
        prop::option::of(isn()),
        prop::option::of(any::<bool>()),
        prop::option::of(0u32..25),
        prop::option::of(any::<u16>()),
        overrides(),
        any::<bool>(),
    )
        .prop_map(
            move |(profile, msl, delay, tw, isn, rfc1337, retries, mss, overrides, keep_fates)| {
                let mut s = s.clone();
                s.profile = profile;
                let p = &mut s.params;
                p.msl = msl.map(ms).or(p.msl);
                p.delay = delay.map(ms).or(p.delay);
                p.time_wait = tw.or(p.time_wait);
                p.isn = isn.or(p.isn.take());
                p.rfc1337 = rfc1337.or(p.rfc1337);
                p.max_retries = retries.or(p.max_retries);
                p.mss = mss.or(p.mss);
                if !keep_fates {
                    s.overrides = overrides;
                }
                s
            },
        )
}

fn lang() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        Just("en".to_string()),
        Just("zh-Hans".to_string()),
        "[a-zA-Z0-9-]{1,16}"
    ])
}

fn trigger() -> impl Strategy<Value = Trigger> {
    prop_oneof![
        Just(Trigger::Connected),
        Just(Trigger::Read),
        Just(Trigger::Eof),
        Just(Trigger::Closed)
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let action = prop_oneof![
        (any::<u16>(), bind_mode()).prop_map(|(port, bind)| Action::Listen { port, bind }),
        (any::<u16>(), bind_mode()).prop_map(|(port, bind)| Action::Connect { port, bind }),
        Just(Action::CloseListener),
        // Any text at all: spaces, slashes, %, emoji, the link's own separators.
        ".{0,20}".prop_map(|text| Action::Send { text }),
        "[/,@+%=a-z ]{0,10}".prop_map(|text| Action::Send { text }),
        (0u32..100_000).prop_map(|bytes| Action::SendBytes { bytes }),
        Just(Action::Close),
        Just(Action::Shutdown),
    ];
    (
        action,
        prop::option::of(0u64..5000),
        prop::option::of(trigger()),
        prop::option::of(0u64..5000),
    )
        .prop_map(|(action, at, after, wait)| Step {
            action,
            at: at.map(ms),
            after,
            wait: wait.map(|w| Duration(w * 3)),
        })
}

fn custom() -> impl Strategy<Value = Scenario> {
    (
        ".{0,12}",
        ".{0,30}",
        prop::collection::vec(step(), 0..6),
        prop::collection::vec(step(), 0..6),
        overrides(),
    )
        .prop_flat_map(|(name, description, client, mut server, overrides)| {
            server.push(Step {
                action: Action::Listen {
                    port: 80,
                    bind: None,
                },
                at: None,
                after: None,
                wait: None,
            });
            tweak(Scenario {
                name,
                description,
                profile: Profile::Lab,
                params: Default::default(),
                client,
                server,
                overrides,
            })
        })
}

/// A preset as it is, or with random changes.
fn preset_changed() -> impl Strategy<Value = Scenario> {
    (0..presets::all().len()).prop_flat_map(|i| {
        let preset = presets::all().swap_remove(i);
        prop_oneof![1 => Just(preset.clone()), 3 => tweak(preset)]
    })
}

proptest! {
    #[test]
    fn every_preset_with_random_changes_round_trips(
        scenario in preset_changed(),
        twin in any::<bool>(),
        lang in lang(),
        step in prop::option::of(0u32..=link::MAX_STEP),
    ) {
        let link = link_to(&scenario, twin, lang.as_deref(), step);
        // A preset's scripts never fall back to the long form.
        prop_assert!(matches!(link.scenario, LinkScenario::Preset { .. }), "{:?}", link.scenario);
        common::assert_round_trip(&scenario, &link)?;
    }

    #[test]
    fn random_custom_scenarios_round_trip(
        scenario in custom(),
        twin in any::<bool>(),
        lang in lang(),
        step in prop::option::of(0u32..=link::MAX_STEP),
    ) {
        common::assert_round_trip(&scenario, &link_to(&scenario, twin, lang.as_deref(), step))?;
    }

    /// A fork (the same scenario with other fates, made at a step) travels with either kind of base.
    #[test]
    fn forks_round_trip(
        scenario in prop_oneof![preset_changed(), custom()],
        fates in prop::option::of(overrides()),
        at in 0u32..=link::MAX_STEP,
        lang in lang(),
        step in prop::option::of(0u32..=link::MAX_STEP),
    ) {
        let link = link_to(&scenario, false, lang.as_deref(), step);
        let fork = Fork { step: at, overrides: fates.clone() };
        let text = link::encode_forked(&link, &fork);
        let forked = fork.scenario(&scenario);
        match (scenario.validate(), forked.validate()) {
            (Ok(()), Ok(())) => {
                prop_assert_eq!(link::decode_forked(&text), Ok((link.clone(), Some(fork))), "{}", text);
                prop_assert_eq!(link::decode_forked(&format!("#{text}")).map(|(_, f)| f.map(|f| f.scenario(&scenario))), Ok(Some(forked)));
            }
            (Err(e), _) | (Ok(()), Err(e)) => prop_assert_eq!(
                link::decode_forked(&text),
                Err(LinkError::OutOfRange { field: e.field, problem: e.problem }),
                "{}", text
            ),
        }
        // Without its fork the same link is the one `encode` writes.
        if scenario.validate().is_ok() {
            prop_assert_eq!(link::decode_forked(&link::encode(&link)), Ok((link, None)));
        }
    }

    #[test]
    fn the_decoder_never_panics_on_random_text(text in ".{0,200}") {
        let _ = link::decode(&text);
    }

    #[test]
    fn the_decoder_never_panics_on_link_like_text(text in "(v[0-9]{0,2}/)?([a-z0-9=,:@+%.-]{0,12}/){0,8}(end)?") {
        let _ = link::decode(&text);
    }

    /// Damage a real link: cut it, drop, insert or replace characters anywhere.
    #[test]
    fn the_decoder_never_panics_on_mutated_links(
        index in 0..presets::all().len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<char>()), 1..6),
    ) {
        let preset = presets::all().swap_remove(index);
        let mut custom = preset.clone();
        custom.client[0].wait = Some(ms(5));
        let scenario = if index % 2 == 0 { preset } else { custom };
        let link = link_to(&scenario, index % 3 != 0, Some("zh-Hans"), Some(7));
        let text = if index % 3 == 0 {
            link::encode_forked(&link, &Fork { step: 9, overrides: Some(Vec::new()) })
        } else {
            link::encode(&link)
        };
        let mut text: Vec<char> = text.chars().collect();
        for (at, edit, c) in edits {
            let i = at.index(text.len() + 1);
            match edit {
                0 => text.truncate(i),
                1 if i < text.len() => { text.remove(i); }
                2 => text.insert(i, c),
                _ if i < text.len() => text[i] = c,
                _ => {}
            }
        }
        let text: String = text.into_iter().collect();
        if let Ok(link) = link::decode(&text) {
            // Whatever decodes is a scenario that runs.
            prop_assert!(simulate(&link.scenario.to_scenario().unwrap()).is_ok(), "{}", text);
        }
        if let Ok((link, Some(fork))) = link::decode_forked(&text) {
            prop_assert!(simulate(&fork.scenario(&link.scenario.to_scenario().unwrap())).is_ok(), "{}", text);
        }
    }
}

#[test]
fn a_preset_link_is_short_and_readable() {
    let mut s = presets::last_ack_lost();
    assert_eq!(
        link::encode(&link_to(&s, false, None, None)),
        "v1/last-ack-lost/end"
    );
    s.params.msl = Some(Duration::from_secs(2));
    s.overrides.push(Override {
        segment: SegmentId {
            conn: 1,
            from: Side::Server,
            nth: 5,
        },
        fate: Fate::Delay(ms(300)),
    });
    assert_eq!(
        link::encode(&link_to(&s, true, Some("zh-Hans"), Some(12))),
        "v1/last-ack-lost/msl=2s/drop=c6/late=s5:300ms/twin/lang=zh-Hans/step=12/end"
    );
    s.overrides.clear();
    assert_eq!(
        link::encode(&link_to(&s, false, None, None)),
        "v1/last-ack-lost/msl=2s/fates=none/end"
    );
}

#[test]
fn a_fork_link_reads_as_the_run_and_its_fork() {
    // last-ack-lost beside the run whose last ACK arrives, forked at step 26.
    let s = presets::last_ack_lost();
    let link = link_to(&s, false, Some("zh-Hans"), None);
    let fork = Fork {
        step: 26,
        overrides: Some(Vec::new()),
    };
    let text = link::encode_forked(&link, &fork);
    assert_eq!(text, "v1/last-ack-lost/lang=zh-Hans/fork=26/fates=none/end");
    let (back, back_fork) = link::decode_forked(&text).unwrap();
    assert_eq!((&back, back_fork.as_ref()), (&link, Some(&fork)));
    assert!(fork.scenario(&s).overrides.is_empty());
    // The fate settings right after `fork=` are the fork's, the others the run's, wherever they are.
    let (back, fork) =
        link::decode_forked("v1/normal-close/fork=3/late=s5:300ms/drop=c6/lang=en/end").unwrap();
    let run = back.scenario.to_scenario().unwrap();
    let fork = fork.unwrap().scenario(&run);
    assert_eq!(run.overrides, presets::normal_close().overrides);
    assert_eq!(fork.overrides.len(), 2);
    assert_eq!(fork.overrides[0].fate, Fate::Delay(ms(300)));
    let (back, fork) = link::decode_forked("v1/normal-close/drop=c6/fork=3/lang=en/end").unwrap();
    let run = back.scenario.to_scenario().unwrap();
    assert_eq!(run.overrides.len(), 1);
    // No fates after it: the fork has the run's own (the two are the same until one changes).
    assert_eq!(fork.unwrap().scenario(&run), run);
    // The first module's decoder reads no forks.
    assert_eq!(error("v1/last-ack-lost/fork=0/end").kind(), "malformed");
}

#[test]
fn a_damaged_fork_is_refused_with_its_reason() {
    for (text, kind) in [
        ("v1/last-ack-lost/fork=3/twin/end", "malformed"),
        ("v1/last-ack-lost/fork=x/end", "malformed"),
        ("v1/last-ack-lost/fork=3/fork=4/end", "malformed"),
        (
            "v1/last-ack-lost/fork=3/fates=none/drop=c1/end",
            "malformed",
        ),
        ("v1/last-ack-lost/fork=3/late=c1:2h/end", "out_of_range"),
        ("v1/last-ack-lost/fork=99999999999/end", "out_of_range"),
        ("v1/last-ack-lost/fork=3", "truncated"),
        ("v1/nope/fork=3/end", "unknown_preset"),
    ] {
        let e = link::decode_forked(text).expect_err(text);
        assert_eq!(e.kind(), kind, "{text}: {e}");
    }
    let message = link::decode_forked("v1/last-ack-lost/fork=3/twin/end")
        .unwrap_err()
        .to_string();
    assert!(message.contains("the twin or a fork"), "{message}");
}

/// Every preset with the twin on, Chinese, and its last step (the largest number a page shows):
/// the longest is printed for the notes (`cargo test -p twlab-core --test link -- --nocapture`).
#[test]
fn preset_links_stay_short() {
    let mut longest = String::new();
    for p in presets::all() {
        let steps = simulate(&p).unwrap().events.len()
            + simulate(&p.without_time_wait()).unwrap().events.len();
        let text = link::encode(&link_to(&p, true, Some("zh-Hans"), Some(steps as u32)));
        assert!(text.len() <= 72, "{text}");
        let back = link::decode(&text).unwrap();
        assert_eq!(back.scenario.to_scenario().unwrap(), p);
        if text.len() > longest.len() {
            longest = text;
        }
    }
    println!(
        "longest preset link: #{longest} ({} characters with #)",
        longest.len() + 1
    );
}

#[test]
fn a_custom_scenario_spells_its_scripts() {
    let mut s = presets::normal_close();
    s.name = "my close".into();
    s.description = String::new();
    let text = link::encode(&link_to(&s, false, None, None));
    assert_eq!(
        text,
        "v1/custom/name=my%20close/client=connect:40000,send:GET%20%2F@connected,close@read+100ms/server=listen:80,send:200%20OK@read,close@eof+100ms/end"
    );
    assert_eq!(
        link::decode(&text).unwrap().scenario.to_scenario().unwrap(),
        s
    );
}

#[test]
fn todays_bare_preset_fragments_still_open() {
    let link = link::decode("#old-duplicate").unwrap();
    assert_eq!(
        link.scenario.to_scenario().unwrap(),
        presets::old_duplicate()
    );
    assert!(!link.twin);
}

fn error(text: &str) -> LinkError {
    link::decode(text).expect_err(text)
}

#[test]
fn a_garbled_link_is_malformed() {
    for (text, part) in [
        ("v1/last-ack-lost/drop=x9/end", "x9"),
        ("v1/last-ack-lost/msl=1y/end", "1y"),
        ("v1/last-ack-lost/colour=red/end", "colour=red"),
        ("v1/last-ack-lost/twin/twin/end", "twin"),
        ("v1/custom/client=dance/server=listen:80/end", "dance"),
        ("v1/custom/client=send:%zz/server=listen:80/end", "%zz"),
        ("vx/last-ack-lost/end", "vx"),
        ("hello world", "hello world"),
    ] {
        match error(text) {
            LinkError::Malformed { part: got, .. } => assert_eq!(got, part, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    assert_eq!(
        error("v1/last-ack-lost/msl=1y/end").to_string(),
        "the link is garbled at \"1y\": params.msl must be a duration like 200ms, 1.5s or 2min"
    );
}

#[test]
fn a_cut_off_link_is_truncated() {
    let full = "v1/last-ack-lost/drop=c6/step=12/end";
    for cut in 2..full.len() - 1 {
        assert_eq!(
            error(&full[..cut]),
            LinkError::Truncated,
            "{}",
            &full[..cut]
        );
    }
    assert!(error("v1/last-ack-lost/st").to_string().contains("cut off"));
}

#[test]
fn a_link_from_a_newer_twlab_says_so() {
    assert_eq!(
        error("v2/whatever/new-things/end"),
        LinkError::FutureVersion {
            version: 2,
            supported: 1
        }
    );
    assert!(error("v7").to_string().contains("newer twlab (format v7)"));
}

#[test]
fn an_unknown_preset_is_named() {
    assert_eq!(
        error("v1/no-such-thing/end"),
        LinkError::UnknownPreset {
            name: "no-such-thing".into()
        }
    );
    assert_eq!(
        error("#last-ack-found"),
        LinkError::UnknownPreset {
            name: "last-ack-found".into()
        }
    );
}

#[test]
fn an_absurd_value_names_its_field_and_range() {
    // MSL of a year.
    assert_eq!(
        error("v1/normal-close/msl=8760h/end").to_string(),
        "params.msl: 8760h is out of range (allowed 1ms to 10min)"
    );
    assert_eq!(
        error("v1/normal-close/mss=70000/end").to_string(),
        "params.mss: 70000 is out of range (allowed 0 to 65535)"
    );
    assert_eq!(
        error("v1/normal-close/step=99999999/end").to_string(),
        "step: 99999999 is out of range (allowed 0 to 1000000)"
    );
    assert!(matches!(
        error("v1/normal-close/drop=0c6/end"),
        LinkError::OutOfRange { field, .. } if field == "overrides[0].conn"
    ));
}

#[test]
fn too_many_fates_are_refused() {
    let fates: Vec<String> = (1..=1001).map(|n| format!("c{n}")).collect();
    let text = format!("v1/normal-close/drop={}/end", fates.join(","));
    assert!(text.len() <= MAX_LEN);
    assert_eq!(
        error(&text),
        LinkError::TooManyOverrides {
            count: 1001,
            max: 1000
        }
    );
}

#[test]
fn an_overlong_link_is_refused_before_it_is_read() {
    // A million fates.
    let text = format!("v1/normal-close/drop={}/end", "c1,".repeat(1_000_000));
    assert_eq!(
        error(&text),
        LinkError::TooLong {
            length: text.len(),
            max: MAX_LEN
        }
    );
}

/// Unescaped characters decode, but re-encoding escapes them: a link that would re-encode past the
/// length limit is refused as too long, so that every link that opens can be shared again (a case
/// the share_link fuzzer found).
#[test]
fn a_link_that_would_re_encode_too_long_is_refused() {
    let mut scenario = presets::normal_close();
    scenario.name = "raw".into();
    let encoded = link::encode(&link_to(&scenario, false, None, None));
    // Three sends of 2000 "é" (4000 bytes each, within a send's 4096): 12 000 bytes raw, 36 000 escaped.
    let sends = format!(",send:{}", "é".repeat(2000)).repeat(3);
    let raw = encoded.replace("connect:40000", &format!("connect:40000{sends}"));
    assert!(raw.len() < link::MAX_LEN, "{} bytes raw", raw.len());
    match link::decode(&raw) {
        Err(LinkError::TooLong { length, max }) => assert!(length > max, "{length} {max}"),
        other => panic!("{other:?}"),
    }
    let short = encoded.replace("connect:40000", "connect:40000,send:héllo");
    let opened = link::decode(&short).unwrap();
    assert_eq!(link::decode(&link::encode(&opened)), Ok(opened));
}

fn bind_mode() -> impl Strategy<Value = Option<BindMode>> {
    prop_oneof![
        Just(None),
        Just(Some(BindMode::Exclusive)),
        Just(Some(BindMode::ReuseAddr)),
        Just(Some(BindMode::Ephemeral))
    ]
}
