//! The trace states every fact the page shows, so that the page never works one out: why a TCB (or a
//! host without one) discarded a segment, where a lost flight was headed and when, and the durations
//! in microseconds.

use serde_json::json;
use twlab_core::discard::Discard;
use twlab_core::network::FlightEnd;
use twlab_core::scenario::{Fate, Override, Profile, SegmentId, Side, TimeWait};
use twlab_core::trace::{EventKind, Trace};
use twlab_core::{presets, simulate, Duration, Scenario};

fn preset(name: &str) -> Scenario {
    presets::by_name(name).expect("preset exists")
}

fn run(s: &Scenario) -> Trace {
    simulate(s).expect("valid")
}

/// Every (side, connection it reached, segment's sender, reason) of a discarded delivery.
fn discards(t: &Trace) -> Vec<(Side, Side, Discard)> {
    t.events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Deliver {
                segment,
                discarded: Some(why),
                ..
            } => Some((e.side, t.segments[segment as usize].id.from, why)),
            _ => None,
        })
        .collect()
}

#[test]
fn paws_discards_the_old_duplicate_and_says_so() {
    // RFC 7323 §5.3 R1: a segment whose TSval is older than TS.Recent is discarded (and ACKed). In the
    // timestamps-paws twin the stale copy fits connection 2's window, so nothing else would stop it.
    let t = run(&preset("timestamps-paws").without_time_wait());
    assert_eq!(discards(&t), [(Side::Server, Side::Client, Discard::Paws)]);
    let json = serde_json::to_value(&t).unwrap();
    let event = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e.get("discarded").is_some())
        .unwrap();
    assert_eq!(event["type"], "deliver");
    assert_eq!(event["copy"], true);
    assert_eq!(
        event["discarded"],
        json!({"reason": "paws", "rfc": "RFC 7323 §5.3"})
    );
    // Without timestamps the same copy is taken as new data.
    let plain = run(&preset("old-duplicate").without_time_wait());
    assert!(
        !discards(&plain).iter().any(|d| d.2 == Discard::Paws),
        "{:?}",
        discards(&plain)
    );
}

#[test]
fn a_duplicate_of_data_already_received_is_outside_the_window() {
    // RFC 9293 §3.10.7.4, first step: the copy's octets all lie below RCV.NXT, so it fails the
    // acceptability test; the server ACKs it and drops it.
    let mut s = preset("normal-close");
    s.overrides = vec![Override {
        segment: SegmentId {
            conn: 1,
            from: Side::Client,
            nth: 3,
        },
        fate: Fate::Duplicate(Duration::from_millis(20)),
    }];
    let t = run(&s);
    let request = t.segments.iter().find(|r| r.id == s.overrides[0].segment);
    assert_eq!(
        request.unwrap().len,
        5,
        "the request is the client's third segment"
    );
    assert_eq!(
        discards(&t),
        [(Side::Server, Side::Client, Discard::OutsideWindow)]
    );
    assert_eq!(Discard::OutsideWindow.rfc(), "RFC 9293 §3.10.7.4");
}

#[test]
fn without_time_wait_the_retransmitted_fin_finds_no_connection() {
    // RFC 9293 §3.10.7.1: in CLOSED an incoming segment with ACK draws <SEQ=SEG.ACK><CTL=RST>.
    let t = run(&preset("last-ack-lost").without_time_wait());
    assert_eq!(
        discards(&t),
        [(Side::Client, Side::Server, Discard::NoConnection)]
    );
    // With TIME-WAIT the client's TCB is still there and takes the FIN (it ACKs it again).
    assert!(discards(&run(&preset("last-ack-lost"))).is_empty());
}

#[test]
fn rfc1337_ignores_the_rst_in_time_wait_and_says_so() {
    // RFC 1337: with its fix, a RST in TIME-WAIT is ignored. Without the fix the RST is taken.
    let with_fix = run(&preset("time-wait-assassination-rfc1337"));
    assert!(discards(&with_fix).contains(&(Side::Client, Side::Server, Discard::RstInTimeWait)));
    let without = run(&preset("time-wait-assassination"));
    assert!(!discards(&without)
        .iter()
        .any(|d| d.2 == Discard::RstInTimeWait));
}

#[test]
fn a_lost_flight_knows_when_it_would_have_arrived() {
    // last-ack-lost drops the client's last ACK half-way; it would have arrived one delay after it left.
    let t = run(&preset("last-ack-lost"));
    let delay = t.params.delay;
    let lost: Vec<_> = t
        .segments
        .iter()
        .flat_map(|s| s.flights.iter())
        .filter(|f| f.end == FlightEnd::Dropped)
        .collect();
    assert!(!lost.is_empty());
    for f in lost {
        assert_eq!(f.arrives, f.departs + delay);
        assert!(f.ends < f.arrives);
    }
    // A delivered flight arrives when it ends.
    for s in &t.segments {
        for f in s.flights.iter().filter(|f| f.end == FlightEnd::Delivered) {
            assert_eq!(f.arrives, f.ends);
        }
    }
}

#[test]
fn an_expired_flight_keeps_the_arrival_msl_prevented() {
    // RFC 9293 §3.4.2: the network drops a segment once it has lived MSL. old-duplicate's copy
    // lingers 600 ms; with MSL 100 ms it expires at 100 ms, short of its arrival at 50 + 600 ms.
    let mut s = preset("old-duplicate");
    s.params.msl = Some(Duration::from_millis(100));
    let t = run(&s);
    let copy = t
        .segments
        .iter()
        .flat_map(|s| s.flights.iter())
        .find(|f| f.copy)
        .unwrap();
    assert_eq!(copy.end, FlightEnd::Expired);
    assert_eq!(copy.ends, copy.departs + Duration::from_millis(100));
    assert_eq!(copy.arrives, copy.departs + Duration::from_millis(650));
    let json = serde_json::to_value(&t).unwrap();
    let seg = json["segments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["flights"].as_array().unwrap().len() == 2)
        .unwrap();
    assert_eq!(seg["fate"], json!({"duplicate": "600ms"}));
    assert_eq!(seg["fate_us"], 600_000);
    assert!(seg["flights"][1]["arrives"].is_u64());
}

#[test]
fn durations_are_in_microseconds_and_time_wait_is_its_timers_length() {
    for (profile, time_wait) in [
        (Profile::Lab, 2_000_000),
        (Profile::Rfc9293, 240_000_000),
        (Profile::Linux, 60_000_000),
    ] {
        let mut s = preset("normal-close");
        s.profile = profile;
        let t = run(&s);
        assert_eq!(t.durations.time_wait, Some(time_wait), "{profile:?}");
        assert_eq!(t.durations.msl, t.params.msl.micros());
        assert_eq!(t.durations.delay, 50_000);
        // The TIME-WAIT timer the client arms runs exactly that long.
        let armed = t
            .events
            .iter()
            .find_map(|e| match &e.kind {
                EventKind::TimerArmed(a) if a.timer == twlab_core::endpoint::Timer::TimeWait => {
                    Some(a.expires.since(e.at))
                }
                _ => None,
            })
            .unwrap();
        assert_eq!(armed.micros(), time_wait);
    }
    let mut skip = preset("normal-close");
    skip.params.time_wait = Some(TimeWait::Skip);
    let json = serde_json::to_value(run(&skip)).unwrap();
    assert_eq!(
        json["durations"],
        json!({"msl": 1_000_000, "delay": 50_000, "time_wait": null})
    );
}

/// (sender, nth) of every segment the trace marks as the ACK that ends a close.
fn last_acks(t: &Trace) -> Vec<(Side, u32)> {
    let marked = t.segments.iter().filter(|s| s.last_ack);
    marked.map(|s| (s.id.from, s.id.nth)).collect()
}

#[test]
fn the_ack_that_ends_a_close_is_marked_as_such() {
    // RFC 9293 §3.6: the side that closed first ACKs the peer's FIN (which takes one sequence number,
    // §3.4); lost, that ACK leaves the peer in LAST-ACK retransmitting its FIN. The passive closer's
    // ACK of the first FIN (sent in CLOSE-WAIT, before its own FIN) is not it.
    let normal = run(&preset("normal-close"));
    let last = normal
        .segments
        .iter()
        .filter(|s| s.flags.fin)
        .last()
        .unwrap();
    let expected: Vec<_> = normal
        .segments
        .iter()
        .filter(|s| {
            s.id.from == Side::Client
                && s.flags.ack
                && s.ack == last.seq + 1
                && s.len == 0
                && !s.flags.fin
        })
        .map(|s| (s.id.from, s.id.nth))
        .collect();
    assert_eq!(expected.len(), 1);
    assert_eq!(last_acks(&normal), expected);
    // The lost one in last-ack-lost, and the re-ACK from TIME-WAIT of the retransmitted FIN.
    let lost = run(&preset("last-ack-lost"));
    let dropped: Vec<_> = lost
        .segments
        .iter()
        .filter(|s| s.fate == Some(Fate::Drop))
        .collect();
    assert_eq!(dropped.len(), 1);
    assert!(dropped[0].last_ack);
    assert_eq!(last_acks(&lost).len(), 2, "{}", lost.to_text());
    // Simultaneous close (§3.6, Figure 13): each side's ACK of the other's FIN ends a close.
    let both = last_acks(&run(&preset("simultaneous-close")));
    assert!(
        both.iter().any(|(s, _)| *s == Side::Client)
            && both.iter().any(|(s, _)| *s == Side::Server),
        "{both:?}"
    );
    // It is data: a segment with bytes never is.
    let json = serde_json::to_value(&lost).unwrap();
    let marked = json["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["last_ack"] == true)
        .count();
    assert_eq!(marked, 2);
    assert!(
        json["segments"][0].get("last_ack").is_none(),
        "absent when false"
    );
}
