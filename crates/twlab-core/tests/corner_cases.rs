//! The corner cases of TIME-WAIT as presets with twins: a SYN for a pair in TIME-WAIT (RFC 9293 §3.6.1,
//! RFC 6191), TIME-WAIT assassination and RFC 1337's fix, and PAWS (RFC 7323 §5), checked against the
//! RFC text they come from.

mod common;

use twlab_core::endpoint::{Cause, StateChange};
use twlab_core::presets;
use twlab_core::scenario::Side;
use twlab_core::trace::{EventKind, Trace, Verdict};
use twlab_core::{simulate, Duration, Instant, State};

fn run(name: &str) -> Trace {
    simulate(&presets::by_name(name).expect("preset exists")).expect("presets are valid")
}

fn twin(name: &str) -> Trace {
    simulate(&presets::by_name(name).unwrap().without_time_wait()).expect("presets are valid")
}

/// When `side` on connection `conn` changed state as `pred` says.
fn state_change(
    t: &Trace,
    side: Side,
    conn: u32,
    pred: impl Fn(State, State, Cause) -> bool,
) -> Option<Instant> {
    t.events
        .iter()
        .find(|e| {
            e.side == side
                && e.conn == Some(conn)
                && matches!(e.kind, EventKind::State(StateChange { from, to, cause }) if pred(from, to, cause))
        })
        .map(|e| e.at)
}

#[test]
fn a_syn_with_an_older_isn_does_not_reopen_time_wait() {
    // RFC 9293 §3.6.1 (MAY-2): TIME-WAIT may accept a new SYN only if the new connection's sequence
    // numbers lie beyond the old ones. Here they do not: the SYN is just an unacceptable segment, which
    // TIME-WAIT answers with an ACK (§3.10.7.4, first step).
    let t = run("syn-in-time-wait-old-isn");
    let syn = t
        .segments
        .iter()
        .find(|s| s.id.conn == 2 && s.flags.syn)
        .unwrap();
    let ack = t
        .segments
        .iter()
        .find(|s| s.id.conn == 1 && s.id.from == Side::Server && s.sent == syn.flights[0].ends)
        .expect("TIME-WAIT answers the SYN");
    assert_eq!(ack.flags.to_string(), ".");
    assert_eq!(
        state_change(&t, Side::Server, 1, |from, _, c| from == State::TimeWait
            && c == Cause::RcvSyn),
        None
    );
    // SYN-SENT gets an ACK that acknowledges nothing of its SYN: <SEQ=SEG.ACK><CTL=RST> (§3.10.7.3).
    let rst = t
        .segments
        .iter()
        .find(|s| s.id.conn == 2 && s.flags.rst)
        .unwrap();
    assert_eq!(
        (rst.sent, rst.seq),
        (ack.flights[0].ends, ack.ack),
        "the RST carries the ACK's number"
    );
    // That RST lands exactly on TIME-WAIT's RCV.NXT and ends it (§3.10.7.4, second step): RFC 1337's
    // hazard, set off by the client's own retry. The retransmitted SYN then finds only the listener.
    assert_eq!(
        t.outcome.verdict,
        Verdict::TimeWaitAssassinated {
            side: Side::Server,
            conn: 1
        }
    );
    let retry = t
        .segments
        .iter()
        .find(|s| s.id.conn == 2 && s.flags.syn && s.retransmission)
        .unwrap();
    assert!(
        state_change(&t, Side::Server, 2, |_, to, _| to == State::Established)
            .is_some_and(|at| at > retry.sent),
        "the retransmitted SYN opens connection 2"
    );
    assert!(t.outcome.connections.iter().all(|c| c.stale.is_empty()));
}

#[test]
fn with_rfc1337_the_older_syn_waits_for_time_wait_to_end() {
    // RFC 1337's fix keeps TIME-WAIT through the client's RST: the SYN can only get in once 2×MSL is over.
    let mut s = presets::by_name("syn-in-time-wait-old-isn").unwrap();
    s.params.rfc1337 = Some(true);
    let t = simulate(&s).unwrap();
    let entered =
        state_change(&t, Side::Server, 1, |_, to, _| to == State::TimeWait).expect("TIME-WAIT");
    let left = state_change(&t, Side::Server, 1, |from, _, _| from == State::TimeWait).unwrap();
    assert_eq!(left.since(entered), Duration::from_secs(2));
    let opened = state_change(&t, Side::Server, 2, |_, to, _| to == State::Established).unwrap();
    assert!(opened > left);
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
}

#[test]
fn a_syn_with_a_newer_timestamp_reopens_time_wait_whatever_its_isn() {
    // RFC 6191 §2: with timestamps, a SYN whose TSval is newer than TS.Recent reopens the connection from
    // TIME-WAIT even though its sequence number is not beyond the old connection's.
    let t = run("syn-in-time-wait-timestamps");
    let syn = t
        .segments
        .iter()
        .find(|s| s.id.conn == 2 && s.flags.syn)
        .unwrap();
    let old_ts = t
        .segments
        .iter()
        .filter(|s| s.id.conn == 1 && s.id.from == Side::Client)
        .map(|s| s.ts.expect("timestamps on every segment").val)
        .max()
        .unwrap();
    assert!(syn.ts.unwrap().val > old_ts);
    assert_eq!(
        state_change(&t, Side::Server, 1, |from, to, c| from == State::TimeWait
            && to == State::Closed
            && c == Cause::RcvSyn),
        Some(syn.flights[0].ends)
    );
    assert!(!t.segments.iter().any(|s| s.flags.rst));
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    // RFC 9293 §3.6.1 (1): the server's new ISN still lies beyond its old sequence space.
    assert!(common::new_server_isn_beyond_the_old(&t));
}

#[test]
fn rfc1337_preset_keeps_the_full_time_wait() {
    // RFC 1337 §3 (fix TWA1): ignore RST segments in TIME-WAIT. The stray RST arrives and changes nothing.
    let t = run("time-wait-assassination-rfc1337");
    let rst = t
        .segments
        .iter()
        .find(|s| s.id.from == Side::Server && s.flags.rst)
        .expect("the closed server still answers the ACK with RST");
    let entered =
        state_change(&t, Side::Client, 1, |_, to, _| to == State::TimeWait).expect("TIME-WAIT");
    let left = state_change(&t, Side::Client, 1, |from, _, c| {
        from == State::TimeWait && c == Cause::TimeWaitExpired
    })
    .expect("TIME-WAIT runs out");
    assert!(entered < rst.flights[0].ends && rst.flights[0].ends < left);
    assert_eq!(left.since(entered), Duration::from_secs(2));
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    // Its twin without the fix is the assassination.
    assert_eq!(
        run("time-wait-assassination").outcome.verdict,
        Verdict::TimeWaitAssassinated {
            side: Side::Client,
            conn: 1
        }
    );
}

#[test]
fn paws_drops_the_stale_segment_even_without_time_wait() {
    // Without timestamps and without TIME-WAIT, the old copy is read as new data (old-duplicate's twin).
    assert!(matches!(
        twin("old-duplicate").outcome.verdict,
        Verdict::StaleData { .. }
    ));
    // With timestamps it still reaches connection 2 and fits its window, but its TSval is older than
    // TS.Recent: RFC 7323 §5.3 R1 says send an ACK and drop it.
    let t = twin("timestamps-paws");
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    let stale = t
        .segments
        .iter()
        .find(|s| s.id.conn == 1 && s.len > 0 && s.id.from == Side::Client)
        .unwrap();
    let copy = stale.flights.iter().find(|f| f.copy).unwrap();
    let arrived = t
        .events
        .iter()
        .find(|e| {
            matches!(
                e.kind,
                EventKind::Deliver {
                    copy: true,
                    accepted_by: Some(2),
                    ..
                }
            )
        })
        .expect("the copy reaches connection 2's TCB");
    assert_eq!(arrived.at, copy.ends);
    let syn2 = t
        .segments
        .iter()
        .find(|s| s.id.conn == 2 && s.flags.syn)
        .unwrap();
    assert!(stale.ts.unwrap().val < syn2.ts.unwrap().val);
    let reply = t
        .segments
        .iter()
        .find(|s| s.id.conn == 2 && s.id.from == Side::Server && s.sent == copy.ends)
        .expect("PAWS answers with an ACK");
    assert_eq!((reply.flags.to_string(), reply.rel_ack), (".".into(), 1));
    assert!(!t
        .events
        .iter()
        .any(|e| matches!(&e.kind, EventKind::Read(r) if r.stale_from.is_some())));
    // With TIME-WAIT the copy dies in the network before the pair is reused, as in old-duplicate.
    assert_eq!(
        run("timestamps-paws").outcome.verdict,
        Verdict::ClosedCleanly
    );
}

#[test]
fn timestamps_appear_in_the_trace_only_when_used() {
    // The option is serialized only when present, so traces without timestamps keep their shape.
    let plain = serde_json::to_string(&run("old-duplicate")).unwrap();
    assert!(!plain.contains("\"ts\""));
    let with = serde_json::to_value(run("timestamps-paws")).unwrap();
    let first = &with["segments"][0]["ts"];
    assert_eq!(
        (first["val"].as_u64(), first["ecr"].as_u64()),
        (Some(0), Some(0))
    );
    assert!(with["params"]["timestamps"].as_bool().unwrap());
}
