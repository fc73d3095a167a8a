//! Every preset and its "without TIME-WAIT" twin: the outcome, and the segments that tell the story,
//! checked against the RFC text they come from.

mod common;

use twlab_core::endpoint::{CallError, Cause, StateChange, Timer, TimerArm};
use twlab_core::network::FlightEnd;
use twlab_core::presets;
use twlab_core::scenario::Side;
use twlab_core::trace::{Ending, EventKind, SegmentRecord, Trace, Verdict};
use twlab_core::{simulate, Duration, Instant, State};

fn run(name: &str) -> Trace {
    simulate(&presets::by_name(name).expect("preset exists")).expect("presets are valid")
}

fn twin(name: &str) -> Trace {
    simulate(&presets::by_name(name).unwrap().without_time_wait()).expect("presets are valid")
}

/// tcpdump-style flags of every segment `from` sent on `conn`, in order.
fn flags(t: &Trace, conn: u32, from: Side) -> Vec<String> {
    t.segments
        .iter()
        .filter(|s| s.id.conn == conn && s.id.from == from)
        .map(|s| s.flags.to_string())
        .collect()
}

fn app_events(t: &Trace, side: Side) -> Vec<&EventKind> {
    t.events
        .iter()
        .filter(|e| e.side == side)
        .map(|e| &e.kind)
        .filter(|k| {
            matches!(
                k,
                EventKind::Connected
                    | EventKind::Read(_)
                    | EventKind::Eof
                    | EventKind::Closed
                    | EventKind::Reset
                    | EventKind::TimedOut
            )
        })
        .collect()
}

fn time_of(t: &Trace, side: Side, pred: impl Fn(&EventKind) -> bool) -> Vec<Instant> {
    t.events
        .iter()
        .filter(|e| e.side == side && pred(&e.kind))
        .map(|e| e.at)
        .collect()
}

/// How long the client's first TIME-WAIT lasted, from entering it to leaving it.
fn client_time_wait(t: &Trace) -> Duration {
    let state = |pick: fn(&StateChange) -> State| {
        time_of(
            t,
            Side::Client,
            |k| matches!(k, EventKind::State(c) if pick(c) == State::TimeWait),
        )[0]
    };
    state(|c| c.from).since(state(|c| c.to))
}

fn last(t: &Trace, from: Side, f: &str) -> SegmentRecord {
    t.segments
        .iter()
        .rev()
        .find(|s| s.id.from == from && s.flags.to_string() == f)
        .cloned()
        .expect("segment exists")
}

#[test]
fn normal_close_waits_two_msl_in_time_wait() {
    let t = run("normal-close");
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    // Handshake (RFC 9293 §3.5), a request and its ACK, the FIN; then the ACK of the server's FIN.
    assert_eq!(flags(&t, 1, Side::Client), ["S", ".", ".", ".", "F.", "."]);
    assert_eq!(flags(&t, 1, Side::Server), ["S.", ".", ".", ".", "F."]);
    // The active closer goes FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT, CLOSED (RFC 9293 §3.6, case 1).
    assert_eq!(
        t.state_path(Side::Client, 1),
        [
            State::SynSent,
            State::Established,
            State::FinWait1,
            State::FinWait2,
            State::TimeWait,
            State::Closed
        ]
    );
    assert_eq!(
        t.state_path(Side::Server, 1),
        [
            State::SynReceived,
            State::Established,
            State::CloseWait,
            State::LastAck,
            State::Closed
        ]
    );
    // RFC 9293 §3.10.7.4: TIME-WAIT lasts 2×MSL (the lab's MSL is 1 s).
    assert_eq!(client_time_wait(&t), Duration::from_secs(2));
    // Relative numbers as tcpdump prints them: the client's FIN is at 6 after "GET /" (1..6).
    let fin = last(&t, Side::Client, "F.");
    assert_eq!((fin.rel_seq, fin.rel_ack), (6, 7));
}

#[test]
fn normal_close_without_time_wait_closes_at_once() {
    let t = twin("normal-close");
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    let skipped = t.events.iter().any(|e| {
        matches!(
            e.kind,
            EventKind::State(StateChange {
                from: State::TimeWait,
                to: State::Closed,
                cause: Cause::TimeWaitSkipped
            })
        )
    });
    assert!(skipped);
    assert_eq!(
        run("normal-close").segments.len(),
        t.segments.len(),
        "the same segments, only no wait"
    );
}

#[test]
fn last_ack_lost_with_time_wait_reacks_the_retransmitted_fin() {
    let t = run("last-ack-lost");
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    // The client's last ACK is lost in the network.
    let lost: Vec<_> = t
        .segments
        .iter()
        .filter(|s| s.flights.iter().any(|f| f.end == FlightEnd::Dropped))
        .collect();
    assert_eq!(lost.len(), 1);
    assert_eq!(
        (lost[0].id.from, lost[0].flags.to_string(), lost[0].rel_ack),
        (Side::Client, ".".into(), 8)
    );
    // The server, in LAST-ACK, times out and retransmits its FIN (RFC 6298 §5.4).
    let server = flags(&t, 1, Side::Server);
    assert_eq!(server[server.len() - 2..], ["F.", "F."]);
    assert!(last(&t, Side::Server, "F.").retransmission);
    // In TIME-WAIT the client acknowledges it again and restarts the 2 MSL timeout (RFC 9293 §3.10.7.4).
    let restarts = time_of(&t, Side::Client, |k| {
        matches!(
            k,
            EventKind::TimerArmed(TimerArm {
                timer: Timer::TimeWait,
                restart: true,
                ..
            })
        )
    });
    assert_eq!(restarts.len(), 1);
    let reack = last(&t, Side::Client, ".");
    assert_eq!(reack.rel_ack, 8);
    assert_eq!(reack.sent, restarts[0]);
    assert!(!t.segments.iter().any(|s| s.flags.rst));
    // The server's CLOSE completes cleanly.
    assert_eq!(
        app_events(&t, Side::Server).last(),
        Some(&&EventKind::Closed)
    );
    let left = time_of(&t, Side::Client, |k| {
        matches!(
            k,
            EventKind::State(StateChange {
                from: State::TimeWait,
                ..
            })
        )
    })[0];
    assert_eq!(
        left.since(restarts[0]),
        Duration::from_secs(2),
        "a full 2×MSL from the restart"
    );
}

#[test]
fn last_ack_lost_without_time_wait_draws_a_reset() {
    let t = twin("last-ack-lost");
    assert_eq!(
        t.outcome.verdict,
        Verdict::Reset {
            side: Side::Server,
            conn: 1
        }
    );
    // The retransmitted FIN reaches no connection: RFC 9293 §3.10.7.1 answers a segment with ACK by
    // <SEQ=SEG.ACK><CTL=RST>.
    let fin = last(&t, Side::Server, "F.");
    let rst = last(&t, Side::Client, "R");
    assert!(fin.retransmission);
    assert_eq!(rst.seq, fin.ack);
    assert!(t.events.iter().any(|e| e.side == Side::Client
        && matches!(
            e.kind,
            EventKind::Deliver {
                accepted_by: None,
                ..
            }
        )));
    // LAST-ACK + RST: the server's pending CLOSE gets "connection reset" (RFC 9293 §3.10.7.4, second step).
    assert_eq!(
        app_events(&t, Side::Server).last(),
        Some(&&EventKind::Reset)
    );
    assert_eq!(t.outcome.connections[0].server, Ending::Reset);
    assert_eq!(t.outcome.connections[0].client, Ending::ClosedCleanly);
}

#[test]
fn old_duplicate_without_time_wait_delivers_stale_bytes_to_the_new_connection() {
    let t = twin("old-duplicate");
    let Verdict::StaleData {
        side,
        conn,
        from_conn,
        text,
    } = &t.outcome.verdict
    else {
        panic!("expected stale data, got {:?}", t.outcome.verdict)
    };
    assert_eq!(
        (*side, *conn, *from_conn, text.as_str()),
        (Side::Server, 2, 1, "I ate the last cookie")
    );
    // Connection 2 starts on the same socket pair with the same ISN, so the old copy's sequence number
    // is exactly RCV.NXT of the new connection and passes the acceptability test (RFC 9293 §3.10.7.4).
    assert_eq!(t.connections[0].client_port, t.connections[1].client_port);
    let copy = t
        .segments
        .iter()
        .find(|s| s.id.conn == 1 && s.flights.len() == 2)
        .unwrap();
    assert_eq!(copy.seq.0, t.connections[1].client_isn.unwrap() + 1);
    let accepted = t.events.iter().find(|e| {
        matches!(
            e.kind,
            EventKind::Deliver {
                copy: true,
                accepted_by: Some(2),
                ..
            }
        )
    });
    assert!(
        accepted.is_some(),
        "the copy is taken by connection 2's TCB"
    );
    // The new connection's own first bytes overlap the stale ones and are trimmed away: the server reads
    // the old words, then only the tail of the new request.
    let reads: Vec<_> = t
        .events
        .iter()
        .filter(|e| e.side == Side::Server && e.conn == Some(2))
        .filter_map(|e| match &e.kind {
            EventKind::Read(r) => Some((&*r.text, r.stale_from)),
            _ => None,
        })
        .collect();
    assert_eq!(
        reads,
        [
            ("I ate the last cookie", Some(1)),
            ("d-new connection", None)
        ]
    );
    // The copy lived less than MSL, so the network delivered it (RFC 9293 §3.4.2).
    assert!(copy.flights[1].ends.since(copy.flights[1].departs) < t.params.msl);
}

#[test]
fn old_duplicate_with_time_wait_holds_the_reconnect_until_the_copy_is_gone() {
    let t = run("old-duplicate");
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    // The connect at 500 ms finds the pair in TIME-WAIT and waits (like EADDRINUSE and a retry).
    let waiting = time_of(&t, Side::Client, |k| {
        matches!(k, EventKind::ConnectWaiting { .. })
    });
    assert_eq!(waiting, [Instant(500_000)]);
    let tw_end = time_of(&t, Side::Client, |k| {
        matches!(
            k,
            EventKind::State(StateChange {
                from: State::TimeWait,
                to: State::Closed,
                ..
            })
        )
    })[0];
    let syn2 = t
        .segments
        .iter()
        .find(|s| s.id.conn == 2 && s.flags.syn)
        .unwrap();
    assert_eq!(syn2.sent, tw_end);
    // By then every segment of connection 1 has left the network: 2×MSL after the client's last ACK.
    let conn1_end = t
        .segments
        .iter()
        .filter(|s| s.id.conn == 1)
        .flat_map(|s| &s.flights)
        .map(|f| f.ends)
        .max()
        .unwrap();
    assert!(conn1_end < syn2.sent);
    assert!(t
        .events
        .iter()
        .all(|e| !matches!(&e.kind, EventKind::Read(r) if r.stale_from.is_some())));
    assert_eq!(t.outcome.connections.len(), 2);
}

#[test]
fn simultaneous_close_passes_through_closing_on_both_sides() {
    for t in [run("simultaneous-close")] {
        assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
        // RFC 9293 §3.6, case 3: both FIN-WAIT-1 -> CLOSING -> TIME-WAIT.
        for side in [Side::Client, Side::Server] {
            let s = t.state_path(side, 1);
            let tail = &s[s.len() - 4..];
            assert_eq!(
                tail,
                [
                    State::FinWait1,
                    State::Closing,
                    State::TimeWait,
                    State::Closed
                ],
                "{side:?}"
            );
        }
    }
    let t = twin("simultaneous-close");
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    assert!(t.state_path(Side::Server, 1).contains(&State::Closing));
}

#[test]
fn three_way_close_piggybacks_the_fin_and_still_needs_the_last_ack() {
    let t = run("three-way-close");
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    // The close takes FIN, FIN+ACK, ACK: the server's ACK of the client's FIN rides on its own FIN
    // (delayed ACK, RFC 9293 §3.8.6.3), so no pure ACK comes from the server between the two FINs.
    let client_fin = last(&t, Side::Client, "F.");
    let server_after: Vec<_> = t
        .segments
        .iter()
        .filter(|s| s.id.from == Side::Server && s.sent > client_fin.sent)
        .collect();
    assert_eq!(server_after[0].flags.to_string(), "F.");
    assert_eq!(server_after[0].rel_ack, client_fin.rel_seq + 1);
    // The third segment is lost and the FIN is retransmitted and re-ACKed from TIME-WAIT.
    assert!(server_after[1].retransmission);
    let t = twin("three-way-close");
    assert_eq!(
        t.outcome.verdict,
        Verdict::Reset {
            side: Side::Server,
            conn: 1
        }
    );
}

#[test]
fn syn_in_time_wait_reopens_the_pair_with_a_larger_isn() {
    let t = run("syn-in-time-wait");
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    // The server closed first, so it holds TIME-WAIT when the client's new SYN arrives.
    let syn2 = t
        .segments
        .iter()
        .find(|s| s.id.conn == 2 && s.flags.syn && !s.flags.ack)
        .unwrap();
    let arrival = syn2.flights[0].ends;
    let reopened = t.events.iter().find(|e| {
        e.side == Side::Server
            && e.conn == Some(1)
            && matches!(
                e.kind,
                EventKind::State(StateChange {
                    from: State::TimeWait,
                    to: State::Closed,
                    cause: Cause::RcvSyn
                })
            )
    });
    assert_eq!(
        reopened.map(|e| e.at),
        Some(arrival),
        "RFC 9293 §3.6.1: a newer SYN may reopen from TIME-WAIT"
    );
    // RFC 1122 §4.2.2.13 (1): the new ISN is larger than any sequence number of the old incarnation.
    assert!(common::new_server_isn_beyond_the_old(&t));
    let t = twin("syn-in-time-wait");
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    assert!(!t.events.iter().any(|e| matches!(
        e.kind,
        EventKind::State(StateChange {
            cause: Cause::RcvSyn,
            from: State::TimeWait,
            ..
        })
    )));
}

#[test]
fn time_wait_assassination_and_the_rfc1337_fix() {
    let t = run("time-wait-assassination");
    assert_eq!(
        t.outcome.verdict,
        Verdict::TimeWaitAssassinated {
            side: Side::Client,
            conn: 1
        }
    );
    // The old copy draws an ACK from the client in TIME-WAIT; the closed server answers that ACK with
    // <SEQ=SEG.ACK><CTL=RST> (RFC 9293 §3.10.7.2), which sits exactly at the client's RCV.NXT.
    let rst = last(&t, Side::Server, "R");
    let cut = time_of(&t, Side::Client, |k| {
        matches!(
            k,
            EventKind::State(StateChange {
                from: State::TimeWait,
                cause: Cause::RcvRst,
                ..
            })
        )
    });
    assert_eq!(cut, [rst.flights[0].ends]);
    // RFC 1337's fix: ignore RST in TIME-WAIT; the full 2×MSL is kept.
    let mut fixed = presets::by_name("time-wait-assassination").unwrap();
    fixed.params.rfc1337 = Some(true);
    let t = simulate(&fixed).unwrap();
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    assert_eq!(client_time_wait(&t), Duration::from_secs(2));
}

#[test]
fn smoltcp_short_time_wait_lets_an_old_copy_into_the_next_connection() {
    // smoltcp's TIME-WAIT is a fixed 10 s (`CLOSE_DELAY`, src/socket/tcp.rs; docs/stacks.md), not 2×MSL.
    let t = run("smoltcp-old-duplicate");
    assert_eq!(client_time_wait(&t), Duration::from_secs(10));
    assert_eq!(t.params.msl, Duration::from_secs(120));
    // The copy lives 10.5 s, within MSL (RFC 9293 §3.4.2), so the network delivers it, into connection 2.
    let Verdict::StaleData {
        conn, from_conn, ..
    } = t.outcome.verdict
    else {
        panic!("expected stale data, got {:?}", t.outcome.verdict)
    };
    assert_eq!((conn, from_conn), (2, 1));
    // With the RFC's 2×MSL the same copy dies first: the reconnect waits 4 minutes.
    let mut rfc = presets::by_name("smoltcp-old-duplicate").unwrap();
    rfc.params.time_wait = None;
    let t = simulate(&rfc).unwrap();
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    assert_eq!(client_time_wait(&t), Duration::from_secs(240));
}

#[test]
fn freebsd_waits_two_msl_of_30_s_and_drops_rst_in_time_wait() {
    // FreeBSD: TCPTV_MSL is 30 s, tcp_twstart arms 2 * V_tcp_msl, tcp_twcheck drops RST (docs/stacks.md).
    let t = run("freebsd-time-wait-assassination");
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    assert_eq!(client_time_wait(&t), Duration::from_secs(60));
    // The stray RST still reaches the client in TIME-WAIT, and changes nothing.
    let rst = last(&t, Side::Server, "R");
    assert_eq!(rst.flights[0].end, FlightEnd::Delivered);
    let tw = time_of(&t, Side::Client, |k| {
        matches!(
            k,
            EventKind::State(StateChange {
                from: State::TimeWait,
                ..
            })
        )
    });
    assert_eq!(tw, [Instant(60_500_000)]);
}

#[test]
fn half_close_keeps_receiving_after_shutdown() {
    let t = run("half-close");
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    // RFC 9293 §3.6.1: after its FIN the client keeps receiving in FIN-WAIT-2.
    let reads: Vec<_> = t
        .events
        .iter()
        .filter(|e| e.side == Side::Client)
        .filter_map(|e| match &e.kind {
            EventKind::Read(r) => Some(&*r.text),
            _ => None,
        })
        .collect();
    assert_eq!(reads, ["part 1", "part 2"]);
    let fin_at = last(&t, Side::Client, "F.").sent;
    assert!(t
        .events
        .iter()
        .filter(|e| e.side == Side::Client && matches!(e.kind, EventKind::Read(_)))
        .all(|e| e.at > fin_at));
}

#[test]
fn data_lost_is_retransmitted_after_rto() {
    let t = run("data-lost");
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    let gets: Vec<_> = t
        .segments
        .iter()
        .filter(|s| &*s.payload == b"GET /")
        .collect();
    assert_eq!(gets.len(), 2);
    assert!(gets[1].retransmission && !gets[0].retransmission);
    // RFC 6298 §2.1: before any RTT measurement of data... the handshake gave one: RTO = R + 4·R/2 = 300 ms.
    assert_eq!(gets[1].sent.since(gets[0].sent), Duration::from_millis(300));
}

/// The application calls that failed on `side`, as (call, error).
fn failures(t: &Trace, side: Side) -> Vec<(&'static str, CallError)> {
    t.events
        .iter()
        .filter(|e| e.side == side)
        .filter_map(|e| match &e.kind {
            EventKind::CallFailed(f) => Some((f.call, f.error)),
            _ => None,
        })
        .collect()
}

/// When `side` went from `from` to `to` on `conn` (`None`: the listener).
fn changes(
    t: &Trace,
    side: Side,
    conn: Option<u32>,
    from: State,
    to: State,
) -> Vec<(Instant, Cause)> {
    t.events
        .iter()
        .filter(|e| e.side == side && e.conn == conn)
        .filter_map(|e| match e.kind {
            EventKind::State(c) if c.from == from && c.to == to => Some((e.at, c.cause)),
            _ => None,
        })
        .collect()
}

#[test]
fn client_reuses_its_time_wait_with_timestamps() {
    // Linux, tcp_twsk_unique: a connect from a port bound with SO_REUSEADDR may take over the socket pair
    // from a TIME-WAIT that had timestamps (PAWS keeps its segments out), at once, with write_seq =
    // tw_snd_nxt + 65535 + 2.
    let t = run("client-reuses-time-wait");
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    assert!(failures(&t, Side::Client).is_empty());
    let entered = changes(&t, Side::Client, Some(1), State::FinWait2, State::TimeWait);
    let reused = changes(&t, Side::Client, Some(1), State::TimeWait, State::Closed);
    assert_eq!(reused.len(), 1);
    assert_eq!(reused[0].1, Cause::TimeWaitReused);
    assert!(
        reused[0].0.since(entered[0].0) < Duration::from_millis(200),
        "long before 2×MSL (2 s)"
    );
    // The new connection's SYN leaves at the moment of the reuse.
    let syn2 = t
        .segments
        .iter()
        .find(|s| s.id.conn == 2 && s.flags.syn)
        .unwrap();
    assert_eq!(syn2.sent, reused[0].0);
    // Its ISN is the old SND.NXT + 65537: the old ISN, SYN, "GET /" and FIN took 7 numbers.
    let isn = |c: usize| t.connections[c].client_isn.unwrap();
    assert_eq!(t.connections[1].client_port, t.connections[0].client_port);
    assert_eq!(isn(1), isn(0).wrapping_add(7 + 65537));
    // Both requests are served.
    let reads = app_events(&t, Side::Server)
        .into_iter()
        .filter(|k| matches!(k, EventKind::Read(_)))
        .count();
    assert_eq!(reads, 2);
}

#[test]
fn client_reuse_without_timestamps_fails_with_eaddrnotavail() {
    // Linux, tcp_twsk_unique: without timestamps (tw_ts_recent_stamp = 0) the pair cannot be taken from
    // TIME-WAIT; __inet_check_established then fails the connect with EADDRNOTAVAIL.
    let t = run("client-reuses-time-wait-no-timestamps");
    assert_eq!(
        failures(&t, Side::Client),
        [("connect", CallError::AddressNotAvailable)]
    );
    assert_eq!(t.connections.len(), 1, "no second connection was made");
    assert!(!t.segments.iter().any(|s| s.id.conn == 2));
    // The TIME-WAIT runs its full 2×MSL.
    assert_eq!(client_time_wait(&t), Duration::from_secs(2));
    // Without TIME-WAIT the port is free: the reconnect needs no reuse and succeeds.
    let t = twin("client-reuses-time-wait-no-timestamps");
    assert!(failures(&t, Side::Client).is_empty());
    assert_eq!(t.connections.len(), 2);
}

#[test]
fn server_restart_in_time_wait_gets_eaddrinuse_unless_reuse_addr() {
    // Linux, inet_csk_bind_conflict: a TIME-WAIT socket still holds its port; binding it again fails
    // with EADDRINUSE unless both sockets set SO_REUSEADDR (a listener always conflicts).
    let t = run("address-in-use");
    assert_eq!(
        failures(&t, Side::Server),
        [("bind", CallError::AddressInUse)]
    );
    // The server's old connection was in TIME-WAIT when the restarted server tried to bind.
    let tw = changes(&t, Side::Server, Some(1), State::FinWait2, State::TimeWait);
    let failed_at = t
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::CallFailed(_)))
        .unwrap()
        .at;
    assert!(tw[0].0 < failed_at);
    // Nobody listens on port 80 again: the next client's SYN is refused with RST (RFC 9293 §3.10.7.1).
    assert_eq!(flags(&t, 2, Side::Server), ["R."]);
    assert_eq!(
        t.outcome.verdict,
        Verdict::Reset {
            side: Side::Client,
            conn: 2
        }
    );

    let t = run("address-in-use-reuse-addr");
    assert!(failures(&t, Side::Server).is_empty());
    let listens = changes(&t, Side::Server, None, State::Closed, State::Listen);
    assert_eq!(
        listens.len(),
        2,
        "listening again while the TIME-WAIT lasts"
    );
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
    // Without TIME-WAIT nothing holds the port: the restart binds even without SO_REUSEADDR.
    let t = twin("address-in-use");
    assert!(failures(&t, Side::Server).is_empty());
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);
}

/// The tw-reuse preset with its parameters changed by `edit`.
fn tw_reuse_with(edit: impl FnOnce(&mut twlab_core::scenario::ParamOverrides)) -> Trace {
    let mut s = presets::tw_reuse();
    edit(&mut s.params);
    simulate(&s).unwrap()
}

fn client_ports(t: &Trace) -> Vec<u16> {
    t.connections.iter().map(|c| c.client_port).collect()
}

#[test]
fn an_ephemeral_connect_takes_a_time_wait_only_with_tw_reuse_once_it_is_old_enough() {
    // Linux, __inet_hash_connect: a connect without bind tries each port of ip_local_port_range (here
    // two); tcp_twsk_unique lets it take a pair from TIME-WAIT only with timestamps, tcp_tw_reuse, and a
    // TIME-WAIT more than tcp_tw_reuse_delay old (time_after32: strictly). Else it tries the next port.
    let t = run("tw-reuse");
    assert_eq!(client_ports(&t), [40000, 40001, 40000]);
    assert!(failures(&t, Side::Client).is_empty());
    let entered = changes(&t, Side::Client, Some(1), State::FinWait2, State::TimeWait)[0].0;
    let reused = changes(&t, Side::Client, Some(1), State::TimeWait, State::Closed);
    assert_eq!(reused[0].1, Cause::TimeWaitReused);
    let age = reused[0].0.since(entered);
    assert_eq!(age, Duration::from_millis(1400));
    let isn = |c: usize| t.connections[c].client_isn.unwrap();
    assert_eq!(isn(2), isn(0).wrapping_add(7 + 65537));
    assert_eq!(t.outcome.verdict, Verdict::ClosedCleanly);

    // Exactly tcp_tw_reuse_delay old is not old enough; a millisecond less of delay is.
    let t = tw_reuse_with(|p| p.tw_reuse_delay = Some(age));
    assert_eq!(
        failures(&t, Side::Client),
        [("connect", CallError::AddressNotAvailable)]
    );
    let t = tw_reuse_with(|p| p.tw_reuse_delay = Some(Duration::from_millis(1399)));
    assert_eq!(client_ports(&t), [40000, 40001, 40000]);

    // tcp_tw_reuse 0, or 2 (loopback only: the lab's hosts are not), or no timestamps: no port is left.
    for t in [
        run("tw-reuse-off"),
        tw_reuse_with(|p| p.tw_reuse = Some(2)),
        tw_reuse_with(|p| p.timestamps = Some(false)),
    ] {
        assert_eq!(client_ports(&t), [40000, 40001]);
        assert_eq!(
            failures(&t, Side::Client),
            [("connect", CallError::AddressNotAvailable)]
        );
    }
    // With the usual range each search starts two ports further on (table_perturb): no TIME-WAIT is met.
    let t = tw_reuse_with(|p| p.local_ports = None);
    assert_eq!(client_ports(&t), [40000, 40002, 40004]);
}

#[test]
fn an_ephemeral_connect_skips_a_port_bound_by_bind() {
    // __inet_hash_connect skips a port whose bind bucket bind() made (fastreuse >= 0), even when a
    // TIME-WAIT on it could be taken over (checked on kernel 6.18: the bound port's TIME-WAIT stays).
    let mut s = presets::tw_reuse();
    s.client[0].action = twlab_core::scenario::Action::Connect {
        port: 40000,
        bind: Some(twlab_core::scenario::BindMode::ReuseAddr),
    };
    let t = simulate(&s).unwrap();
    assert_eq!(client_ports(&t), [40000, 40001]);
    assert_eq!(
        failures(&t, Side::Client),
        [("connect", CallError::AddressNotAvailable)]
    );
}

#[test]
fn a_listener_cannot_take_an_ephemeral_port() {
    let mut s = presets::normal_close();
    s.server[0].action = twlab_core::scenario::Action::Listen {
        port: 80,
        bind: Some(twlab_core::scenario::BindMode::Ephemeral),
    };
    let e = s.validate().unwrap_err();
    assert_eq!(
        e.to_string(),
        "server[0].bind: a listener binds its own port: exclusive or reuse_addr, not ephemeral"
    );
}

#[test]
fn every_preset_runs_with_and_without_time_wait() {
    for p in presets::all() {
        for s in [p.clone(), p.without_time_wait()] {
            let t = simulate(&s).unwrap();
            assert!(t.stopped.is_none(), "{}: {:?}", p.name, t.stopped);
            assert_ne!(t.outcome.verdict, Verdict::Unfinished, "{}", p.name);
            assert_eq!(t.name, p.name);
        }
    }
}

#[test]
fn the_linux_profile_s_syns_carry_the_kernel_s_options_in_its_order() {
    // tcp_options_write: MSS, SACK-permitted, timestamps, NOP, window scale; the SYN,ACK answers in kind.
    let mut s = presets::normal_close();
    s.profile = twlab_core::scenario::Profile::Linux;
    let text = twlab_formats::to_text(&simulate(&s).unwrap());
    assert!(
        text.contains("Flags [S], seq 0, mss 1448, sackOK, TS val 0 ecr 0, wscale 10, length 0"),
        "{text}"
    );
    assert!(
        text.contains(
            "Flags [S.], seq 0, ack 1, mss 1448, sackOK, TS val 50 ecr 0, wscale 10, length 0"
        ),
        "{text}"
    );
}
