//! Bad scenarios get clear errors naming the field and the allowed range; no scenario that parses
//! makes the simulator panic or run past its budgets.

use proptest::prelude::*;
use twlab_core::presets;
use twlab_core::scenario::{
    Action, Fate, Isn, IsnPair, Override, ParamOverrides, Profile, Scenario, SegmentId, Side, Step,
    TimeWait, Trigger,
};
use twlab_core::{simulate, Duration};

fn error_of(edit: impl FnOnce(&mut Scenario)) -> String {
    let mut s = presets::normal_close();
    edit(&mut s);
    simulate(&s)
        .expect_err("the scenario is invalid")
        .to_string()
}

#[test]
fn every_bad_field_is_named_with_its_allowed_range() {
    let cases: Vec<(String, &str)> = vec![
        (
            error_of(|s| s.params.msl = Some(Duration::from_secs(365 * 24 * 3600))),
            "params.msl: 8760h is out of range (allowed 1ms to 10min)",
        ),
        (
            error_of(|s| s.params.msl = Some(Duration(0))),
            "params.msl: 0s is out of range (allowed 1ms to 10min)",
        ),
        (
            error_of(|s| s.params.delay = Some(Duration::from_secs(2))),
            "params.delay: 2s must be shorter than MSL (1s)",
        ),
        (
            error_of(|s| s.params.rto_min = Some(Duration::from_secs(5))),
            "params.rto_min: 5s is above rto_max (1s)",
        ),
        (
            error_of(|s| s.params.rto_initial = Some(Duration::from_millis(100))),
            "params.rto_initial: 100ms is out of range (allowed 200ms to 1s)",
        ),
        (
            error_of(|s| s.params.max_retries = Some(99)),
            "params.max_retries: 99 is out of range (allowed 0 to 20)",
        ),
        (
            error_of(|s| s.params.time_wait = Some(TimeWait::MslMultiple(11))),
            "params.time_wait: 11msl is out of range",
        ),
        (
            error_of(|s| s.params.time_wait = Some(TimeWait::Fixed(Duration::from_secs(7200)))),
            "params.time_wait: 2h is out of range (allowed 0s to 1h)",
        ),
        (
            error_of(|s| s.params.mss = Some(0)),
            "params.mss: 0 is out of range (allowed 1 to 65535)",
        ),
        (
            error_of(|s| s.params.ack_delay = Some(Duration::from_millis(600))),
            "params.ack_delay: 600ms is out of range",
        ),
        (
            error_of(|s| s.params.isn = Some(Isn::PerConnection(vec![]))),
            "params.isn.per_connection: give 1 to 100 pairs",
        ),
        (
            error_of(|s| s.client[0].action = Action::Listen { port: 80 }),
            "client[0]: only the server listens",
        ),
        (
            error_of(|s| s.client[0].action = Action::Connect { port: 0 }),
            "client[0].port: 0 is out of range (allowed 1 to 65535)",
        ),
        (
            error_of(|s| {
                s.client[1].action = Action::Send {
                    text: "x".repeat(5000),
                }
            }),
            "client[1].text: 5000 bytes is too long (at most 4096)",
        ),
        (
            error_of(|s| s.client[1].at = Some(Duration::from_secs(7200))),
            "client[1].at: 2h is out of range (allowed 0s to 1h)",
        ),
        (
            error_of(|s| {
                s.server
                    .retain(|st| !matches!(st.action, Action::Listen { .. }))
            }),
            "server: the server's script must listen on a port",
        ),
        (
            error_of(|s| {
                s.overrides = vec![
                    Override {
                        segment: SegmentId {
                            conn: 0,
                            from: Side::Client,
                            nth: 1
                        },
                        fate: Fate::Drop
                    };
                    1
                ]
            }),
            "overrides[0].conn: 0 is out of range (allowed 1 to 100)",
        ),
        (
            error_of(|s| {
                s.overrides = vec![
                    Override {
                        segment: SegmentId {
                            conn: 1,
                            from: Side::Client,
                            nth: 1
                        },
                        fate: Fate::Drop
                    };
                    2
                ]
            }),
            "overrides[1]: this segment already has a fate",
        ),
        (
            error_of(|s| {
                s.overrides = vec![
                    Override {
                        segment: SegmentId {
                            conn: 1,
                            from: Side::Client,
                            nth: 1
                        },
                        fate: Fate::Drop
                    };
                    1001
                ]
            }),
            "overrides: 1001 overrides is too many (at most 1000)",
        ),
    ];
    for (got, want) in cases {
        assert!(
            got.starts_with(want),
            "got {got:?}, want it to start with {want:?}"
        );
    }
}

#[test]
fn json_errors_say_what_was_expected() {
    let err = serde_json::from_str::<Scenario>(
        r#"{"client": [], "server": [], "params": {"msl": "forever"}}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("\"forever\" is not a duration"),
        "{err}"
    );
    let err = serde_json::from_str::<Scenario>(
        r#"{"client": [], "server": [], "params": {"msl": "1s", "mls": "1s"}}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("unknown field `mls`"), "{err}");
    let err = serde_json::from_str::<Scenario>(
        r#"{"client": [], "server": [], "params": {"time_wait": "2 msl?"}}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("not a TIME-WAIT length"), "{err}");
}

#[test]
fn scenarios_round_trip_through_json() {
    for p in presets::all() {
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            serde_json::from_str::<Scenario>(&json).unwrap(),
            p,
            "{json}"
        );
    }
}

fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        (0u64..=2_000_000).prop_map(Duration),
        (0u64..=u64::MAX / 2).prop_map(Duration)
    ]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        any::<u16>().prop_map(|port| Action::Listen { port }),
        prop_oneof![Just(40000u16), any::<u16>()].prop_map(|port| Action::Connect { port }),
        "[a-z]{0,12}".prop_map(|text| Action::Send { text }),
        (0u32..=5000).prop_map(|bytes| Action::SendBytes { bytes }),
        Just(Action::Close),
        Just(Action::Shutdown),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let trigger = prop_oneof![
        Just(Trigger::Connected),
        Just(Trigger::Read),
        Just(Trigger::Eof),
        Just(Trigger::Closed)
    ];
    (
        action(),
        prop::option::of(duration()),
        prop::option::of(trigger),
        prop::option::of(duration()),
    )
        .prop_map(|(action, at, after, wait)| Step {
            action,
            at,
            after,
            wait,
        })
}

fn arbitrary_scenario() -> impl Strategy<Value = Scenario> {
    let profile = prop_oneof![
        Just(Profile::Lab),
        Just(Profile::Rfc9293),
        Just(Profile::Linux)
    ];
    let tw = prop_oneof![
        (0u32..=12).prop_map(TimeWait::MslMultiple),
        duration().prop_map(TimeWait::Fixed),
        Just(TimeWait::Skip)
    ];
    let isn = prop_oneof![
        Just(Isn::Clock),
        any::<(u32, u32)>().prop_map(|(client, server)| Isn::Fixed(IsnPair { client, server }))
    ];
    let fate = prop_oneof![
        Just(Fate::Drop),
        duration().prop_map(Fate::Delay),
        duration().prop_map(Fate::Duplicate)
    ];
    let side = prop_oneof![Just(Side::Client), Just(Side::Server)];
    let overrides = prop::collection::vec((0u32..=3, side, 0u32..=20, fate), 0..8).prop_map(|v| {
        v.into_iter()
            .map(|(conn, from, nth, fate)| Override {
                segment: SegmentId { conn, from, nth },
                fate,
            })
            .collect()
    });
    let params = (
        prop::option::of(duration()),
        prop::option::of(duration()),
        prop::option::of(duration()),
        prop::option::of(duration()),
        prop::option::of(0u32..=25),
        prop::option::of(tw),
        prop::option::of(isn),
        prop::option::of(0u16..=2000),
        prop::option::of(duration()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(
                msl,
                delay,
                rto_min,
                rto_max,
                max_retries,
                time_wait,
                isn,
                mss,
                ack_delay,
                rfc1337,
            )| ParamOverrides {
                msl,
                delay,
                rto_initial: rto_min,
                rto_min,
                rto_max,
                max_retries,
                time_wait,
                isn,
                mss,
                window: None,
                ack_delay,
                rfc1337,
                quick_ack: None,
                orphan_fin_wait_2: None,
                timestamps: None,
            },
        );
    (
        profile,
        params,
        prop::collection::vec(step(), 0..8),
        prop::collection::vec(step(), 0..8),
        overrides,
    )
        .prop_map(|(profile, params, client, mut server, overrides)| {
            server.insert(
                0,
                Step {
                    action: Action::Listen { port: 80 },
                    at: None,
                    after: None,
                    wait: None,
                },
            );
            Scenario {
                name: "random".into(),
                description: String::new(),
                profile,
                params,
                client,
                server,
                overrides,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// Whatever parses either runs to a trace within the budgets or is refused with a named field.
    #[test]
    fn the_simulator_never_panics(s in arbitrary_scenario()) {
        match simulate(&s) {
            Ok(t) => prop_assert!(t.events.len() <= twlab_core::sim::MAX_EVENTS + 64),
            Err(e) => prop_assert!(!e.field.is_empty() && !e.message.is_empty()),
        }
    }

    /// Arbitrary bytes as scenario JSON: an error or a scenario, never a panic.
    #[test]
    fn arbitrary_json_never_panics(text in "\\PC{0,200}") {
        if let Ok(s) = serde_json::from_str::<Scenario>(&text) {
            let _ = simulate(&s);
        }
    }
}
