//! Bad scenarios get clear errors naming the field and the allowed range; no scenario that parses
//! makes the simulator panic or run past its budgets.

use proptest::prelude::*;
use twlab_core::presets;
use twlab_core::scenario::{
    Action, BindMode, Fate, Isn, IsnPair, Override, ParamOverrides, Profile, Scenario, SegmentId,
    Side, Step, TimeWait, Trigger,
};
use twlab_core::{simulate, Duration};
use twlab_formats::to_text;

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
            "params.time_wait: 11msl is out of range (allowed 1msl to 10msl)",
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
            "params.isn.per_connection: 0 pairs is too few (at least 1)",
        ),
        (
            error_of(|s| {
                s.client[0].action = Action::Listen {
                    port: 80,
                    bind: None,
                }
            }),
            "client[0]: only the server listens",
        ),
        (
            error_of(|s| {
                s.client[0].action = Action::Connect {
                    port: 0,
                    bind: None,
                }
            }),
            "client[0].port: 0 is out of range (allowed 1 to 65535)",
        ),
        (
            error_of(|s| {
                s.client[1].action = Action::Send {
                    text: "x".repeat(5000),
                }
            }),
            "client[1].text: 5000 bytes is too many (at most 4096)",
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
        (
            error_of(|s| s.name = "n".repeat(201)),
            "name: 201 bytes is too many (at most 200)",
        ),
        (
            error_of(|s| s.description = "d".repeat(2001)),
            "description: 2001 bytes is too many (at most 2000)",
        ),
        (
            error_of(|s| s.params.window = Some(0)),
            "params.window: 0 is out of range (allowed 1 to 65535)",
        ),
        (
            error_of(|s| s.params.rto_max = Some(Duration::from_secs(601))),
            "params.rto_max: 601s is out of range (allowed 1ms to 10min)",
        ),
        (
            error_of(|s| {
                s.params.isn = Some(Isn::PerConnection(vec![
                    IsnPair {
                        client: 1,
                        server: 2
                    };
                    101
                ]))
            }),
            "params.isn.per_connection: 101 pairs is too many (at most 100)",
        ),
        (
            error_of(|s| {
                s.server[0].action = Action::Connect {
                    port: 80,
                    bind: None,
                }
            }),
            "server[0]: only the client connects",
        ),
        (
            error_of(|s| s.client[1].action = Action::SendBytes { bytes: 0 }),
            "client[1].bytes: 0 is out of range (allowed 1 to 16777216)",
        ),
        (
            error_of(|s| s.client[1].wait = Some(Duration::from_secs(3601))),
            "client[1].wait: 3601s is out of range (allowed 0s to 1h)",
        ),
        (
            error_of(|s| {
                s.client.extend(vec![
                    Step {
                        action: Action::Close,
                        at: None,
                        after: None,
                        wait: None
                    };
                    200
                ])
            }),
            "client: 203 steps is too many (at most 200)",
        ),
        (
            error_of(|s| {
                s.client.extend(vec![
                    Step {
                        action: Action::Connect {
                            port: 1,
                            bind: None
                        },
                        at: None,
                        after: None,
                        wait: None
                    };
                    100
                ])
            }),
            "client: 101 connections is too many (at most 100)",
        ),
        (
            error_of(|s| {
                s.client.extend(vec![
                    Step {
                        action: Action::SendBytes { bytes: 16 << 20 },
                        at: None,
                        after: None,
                        wait: None
                    };
                    2
                ])
            }),
            "client: 16777221 bytes sent is too many (at most 16777216)",
        ),
        (
            error_of(|s| {
                s.overrides = vec![Override {
                    segment: SegmentId {
                        conn: 1,
                        from: Side::Client,
                        nth: 1_000_001,
                    },
                    fate: Fate::Drop,
                }]
            }),
            "overrides[0].nth: 1000001 is out of range (allowed 1 to 1000000)",
        ),
        (
            error_of(|s| {
                s.overrides = vec![Override {
                    segment: SegmentId {
                        conn: 1,
                        from: Side::Client,
                        nth: 1,
                    },
                    fate: Fate::Delay(Duration::from_secs(3601)),
                }]
            }),
            "overrides[0].fate: 3601s is out of range (allowed 0s to 1h)",
        ),
    ];
    for (got, want) in cases {
        assert!(
            got.starts_with(want),
            "got {got:?}, want it to start with {want:?}"
        );
    }
}

/// A run that outgrows a budget stops cleanly, and the trace says which budget ran out.
#[test]
fn budgets_stop_a_run_cleanly_and_say_which_ran_out() {
    use twlab_core::sim::{simulate_within, Budget, MAX_TIME};
    use twlab_core::trace::Stopped;
    // The budget is checked between instants; an instant adds at most a window of segments (65 here).
    let mut bulk = presets::normal_close();
    bulk.params.mss = Some(1000);
    bulk.client[1].action = Action::SendBytes { bytes: 1 << 20 };
    let t = simulate_within(
        &bulk,
        Budget {
            events: 1_000,
            time: MAX_TIME,
        },
    )
    .unwrap();
    assert_eq!(t.stopped, Some(Stopped::Events { limit: 1_000 }));
    assert!(
        t.events.len() >= 1_000 && t.events.len() < 1_200,
        "{}",
        t.events.len()
    );
    assert!(
        to_text(&t).ends_with("stopped early: more than 1000 events\n"),
        "{}",
        to_text(&t)
    );
    assert!(
        simulate(&bulk).unwrap().stopped.is_none(),
        "within the default budget it finishes"
    );

    // A word an hour for 199 hours: the run stops at six.
    let mut slow = presets::normal_close();
    let hourly = Step {
        action: Action::Send {
            text: "tick".into(),
        },
        at: None,
        after: None,
        wait: Some(Duration::from_secs(3600)),
    };
    slow.client.truncate(1);
    slow.client.extend(vec![hourly; 199]);
    let t = simulate(&slow).unwrap();
    assert_eq!(
        t.stopped,
        Some(Stopped::Time {
            limit: MAX_TIME,
            limit_us: MAX_TIME.micros()
        })
    );
    assert!(t.end.0 <= MAX_TIME.0);
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(
        json["stopped"],
        serde_json::json!({"kind": "time", "limit": "6h", "limit_us": 21_600_000_000u64})
    );
}

/// The problem as data, for the page to word in Chinese: kind, value and range.
#[test]
fn problems_serialize_with_their_parts() {
    let e = error_value(|s| s.params.msl = Some(Duration::from_secs(3600)));
    assert_eq!(
        e,
        serde_json::json!({"field": "params.msl", "problem": {"kind": "out_of_range", "value": "1h", "min": "1ms", "max": "10min"}})
    );
    let e = error_value(|s| {
        s.client.extend(vec![
            Step {
                action: Action::Close,
                at: None,
                after: None,
                wait: None
            };
            200
        ])
    });
    assert_eq!(
        e["problem"],
        serde_json::json!({"kind": "count", "what": "steps", "count": 203, "min": 0, "max": 200})
    );
    let e = error_value(|s| s.params.delay = Some(Duration::from_secs(2)));
    assert_eq!(
        e["problem"],
        serde_json::json!({"kind": "delay_not_below_msl", "delay": "2s", "msl": "1s"})
    );
}

fn error_value(edit: impl FnOnce(&mut Scenario)) -> serde_json::Value {
    let mut s = presets::normal_close();
    edit(&mut s);
    serde_json::to_value(simulate(&s).expect_err("the scenario is invalid")).unwrap()
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
    // Steps and overrides are read through flat shapes (scenario.rs): serde's words all the same.
    for (client, expected) in [
        (r#"[{"do": "connect"}]"#, "missing field `port`"),
        (r#"[{"do": "send", "at": "1s"}]"#, "missing field `text`"),
        (r#"[{"do": "send_bytes"}]"#, "missing field `bytes`"),
        (r#"[{"port": 40000}]"#, "missing field `do`"),
        (
            r#"[{"do": "dance"}]"#,
            "unknown variant `dance`, expected one of",
        ),
        (r#"[{"do": "connect", "port": 70000}]"#, "expected u16"),
    ] {
        let json = format!(r#"{{"client": {client}, "server": []}}"#);
        let err = serde_json::from_str::<Scenario>(&json).unwrap_err();
        assert!(err.to_string().contains(expected), "{json}: {err}");
    }
    let err = serde_json::from_str::<Scenario>(
        r#"{"client": [], "server": [], "overrides": [{"conn": 1, "from": "client", "fate": "drop"}]}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("missing field `nth`"), "{err}");
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
        (any::<u16>(), bind_mode()).prop_map(|(port, bind)| Action::Listen { port, bind }),
        (prop_oneof![Just(40000u16), any::<u16>()], bind_mode())
            .prop_map(|(port, bind)| Action::Connect { port, bind }),
        Just(Action::CloseListener),
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
        (
            prop::option::of(any::<bool>()),
            prop::option::of(any::<bool>()),
            prop::option::of(0u32..=25),
            prop::option::of(duration()),
            prop::option::of(0u32..=3),
            prop::option::of(0u32..=4),
            prop::option::of(any::<bool>()),
            prop::option::of(any::<bool>()),
        ),
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
                (
                    quick_ack,
                    timestamps,
                    syn_linear_timeouts,
                    syn_sent_rst_retry,
                    tw_reuse,
                    local_ports,
                    sack,
                    window_scaling,
                ),
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
                quick_ack,
                orphan_fin_wait_2: None,
                timestamps,
                syn_linear_timeouts,
                syn_sent_rst_retry,
                isn_tick_ns: None,
                local_ports,
                tw_reuse,
                tw_reuse_delay: None,
                sack,
                window_scaling,
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
                    action: Action::Listen {
                        port: 80,
                        bind: None,
                    },
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
            Err(e) => prop_assert!(!e.field.is_empty() && !e.problem.to_string().is_empty()),
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

/// Any JSON value: the replacements below reach every kind of field with every kind of wrong value.
fn json_leaf() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{json, Value};
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        "\\PC{0,16}".prop_map(Value::from),
        (
            0u64..100_000,
            prop::sample::select(vec!["us", "ms", "s", "min", "h", "msl", ""])
        )
            .prop_map(|(n, u)| Value::from(format!("{n}{u}"))),
        Just(json!([])),
        Just(json!({})),
        Just(json!("drop")),
        Just(json!({"delay": "1h"})),
    ]
}

/// Replace the `n`th value (depth first) of `v` with `leaf`. True once replaced.
fn replace_nth(v: &mut serde_json::Value, n: &mut usize, leaf: &serde_json::Value) -> bool {
    if *n == 0 {
        *v = leaf.clone();
        return true;
    }
    *n -= 1;
    match v {
        serde_json::Value::Array(items) => items.iter_mut().any(|x| replace_nth(x, n, leaf)),
        serde_json::Value::Object(map) => map.values_mut().any(|x| replace_nth(x, n, leaf)),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Every preset with any one value replaced by any other: a trace within the budgets, or an error
    /// that starts with the field it names; never a panic.
    #[test]
    fn any_preset_with_one_value_replaced_is_run_or_refused(preset in 0..presets::all().len(), at in 0usize..400, leaf in json_leaf()) {
        let mut v = serde_json::to_value(&presets::all()[preset]).unwrap();
        replace_nth(&mut v, &mut { at }, &leaf);
        if let Ok(s) = serde_json::from_value::<Scenario>(v) {
            match simulate(&s) {
                Ok(t) => prop_assert!(t.events.len() <= twlab_core::sim::MAX_EVENTS + 70_000 && t.end.0 <= twlab_core::sim::MAX_TIME.0),
                Err(e) => {
                    let prefix = format!("{}: ", e.field);
                    prop_assert!(!e.field.is_empty() && e.to_string().starts_with(&prefix), "{}", e);
                }
            }
        }
    }
}

fn bind_mode() -> impl Strategy<Value = Option<BindMode>> {
    prop_oneof![
        Just(None),
        Just(Some(BindMode::Exclusive)),
        Just(Some(BindMode::ReuseAddr)),
        Just(Some(BindMode::Ephemeral))
    ]
}
