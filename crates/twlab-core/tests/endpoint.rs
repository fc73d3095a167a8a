//! Unit tests of the sans-IO endpoint, one state and one transition at a time (RFC 9293 §3.10), in the
//! style of smoltcp's socket tests: each test reads like a packet trace.
//!
//! - `send!(ep, time T, segment)` feeds a segment from the peer at `T` milliseconds;
//! - `timeout!(ep, time T)` calls `handle_timeout` at `T` milliseconds;
//! - `recv!(ep, [segments])` drains the events and checks the segments the endpoint transmitted,
//!   `recv_nothing!(ep)` that it transmitted none;
//! - `events!(ep, [events])` drains and checks the whole event queue, in order.
//!
//! Every drained `StateChanged` is checked against `State::is_rfc_edge` (and against the previous one and
//! the endpoint's state), so every test also checks that the endpoint only walks RFC 9293 Figure 5.
//!
//! ISNs are pinned: we are LOCAL (ISS = `LOCAL_SEQ`), the peer is REMOTE (IRS = `REMOTE_SEQ`).
//! `SEND_TEMPL` is what the peer sends once synchronized, `RECV_TEMPL` what we send.

use std::cell::RefCell;
use twlab_core::discard::Discard;
use twlab_core::endpoint::{
    AppEvent, CallError, Cause, Config, Endpoint, Event, StateChange, Timer, TimerArm,
    ACK_THROTTLE, WINDOW_SCALE,
};
use twlab_core::rtt::RtoBounds;
use twlab_core::segment::{Flags, Options, Segment};
use twlab_core::seq::SeqNum;
use twlab_core::{Duration, Instant, State};

const LOCAL_PORT: u16 = 49152;
const REMOTE_PORT: u16 = 80;
const LOCAL_SEQ: SeqNum = SeqNum(10_000);
const REMOTE_SEQ: SeqNum = SeqNum(50_000);
/// Our receive window (RCV.WND), advertised in every segment we send.
const WINDOW: u16 = 1000;
/// The window the peer advertises until a test changes it.
const PEER_WINDOW: u16 = 1000;
const MSS: u16 = 100;
/// 2×MSL with MSL = 30 s.
const TWO_MSL: Duration = Duration::from_secs(60);
/// The tag the peer's segments carry unless a test gives another.
const PEER_TAG: u32 = 7;
/// The handshake measures RTT = 100 ms (SYN at 0, SYN,ACK at 100): RTO = SRTT + 4·RTTVAR = 100 + 4·50 =
/// 300 ms (RFC 6298 §2.2). Timer expiries below follow from it.
const RTO_MS: u64 = 300;

/// What the peer sends once synchronized: <SEQ=REMOTE_SEQ+1><ACK=LOCAL_SEQ+1><CTL=ACK>.
const SEND_TEMPL: Segment = Segment {
    src_port: REMOTE_PORT,
    dst_port: LOCAL_PORT,
    seq: SeqNum(REMOTE_SEQ.0 + 1),
    ack: SeqNum(LOCAL_SEQ.0 + 1),
    flags: Flags::ACK,
    window: PEER_WINDOW,
    payload: Vec::new(),
    ts: None,
    options: None,
};

/// What we send once synchronized: <SEQ=LOCAL_SEQ+1><ACK=REMOTE_SEQ+1><CTL=ACK>.
const RECV_TEMPL: Segment = Segment {
    src_port: LOCAL_PORT,
    dst_port: REMOTE_PORT,
    seq: SeqNum(LOCAL_SEQ.0 + 1),
    ack: SeqNum(REMOTE_SEQ.0 + 1),
    flags: Flags::ACK,
    window: WINDOW,
    payload: Vec::new(),
    ts: None,
    options: None,
};

const NO_FLAGS: Flags = Flags {
    syn: false,
    ack: false,
    fin: false,
    rst: false,
};

fn cfg() -> Config {
    Config {
        mss: MSS,
        window: WINDOW,
        rto: RtoBounds {
            initial: Duration::from_secs(1),
            min: Duration::from_millis(200),
            max: Duration::from_secs(60),
        },
        max_retries: 3,
        time_wait: Some(TWO_MSL),
        ack_delay: Duration::ZERO,
        rfc1337: false,
        quick_ack: false,
        orphan_fin_wait_2: None,
        timestamps: false,
        syn_linear_timeouts: 0,
        syn_sent_rst_retry: None,
        sack: false,
        window_scaling: false,
    }
}

/// Delayed ACKs (RFC 9293 §3.8.6.3) of 200 ms.
fn cfg_delayed_ack() -> Config {
    Config {
        ack_delay: Duration::from_millis(200),
        ..cfg()
    }
}

/// Milliseconds of virtual time.
fn at(ms: u64) -> Instant {
    Instant(ms * 1_000)
}

/// `n` distinguishable bytes.
fn data(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i % 251) as u8).collect()
}

// ---------------------------------------------------------------------------------------------------
// Driving and draining
// ---------------------------------------------------------------------------------------------------

thread_local! {
    /// Every state change drained by this test's thread (each test runs on its own thread).
    static STATE_CHANGES: RefCell<Vec<(State, State, Cause)>> = const { RefCell::new(Vec::new()) };
}

/// Drain the event queue, checking every state change against RFC 9293 Figure 5 as it goes.
fn drain(ep: &mut Endpoint) -> Vec<Event> {
    let events: Vec<Event> = std::iter::from_fn(|| ep.poll_event()).collect();
    let mut last_to = None;
    for event in &events {
        if let Event::StateChanged(StateChange { from, to, cause }) = *event {
            assert!(
                State::is_rfc_edge(from, to),
                "{from} -> {to} ({cause:?}) is not an edge of RFC 9293 Figure 5; events: {events:#?}"
            );
            if let Some(prev) = last_to {
                assert_eq!(from, prev, "state changes must chain; events: {events:#?}");
            }
            last_to = Some(to);
            STATE_CHANGES.with(|log| log.borrow_mut().push((from, to, cause)));
        }
    }
    if let Some(to) = last_to {
        assert_eq!(
            ep.state(),
            to,
            "the last state change is the endpoint's state"
        );
    }
    events
}

fn transmitted(events: Vec<Event>) -> Vec<Segment> {
    events
        .into_iter()
        .filter_map(|e| match e {
            Event::Transmit(seg) => Some(seg),
            _ => None,
        })
        .collect()
}

macro_rules! send {
    ($ep:expr, time $t:expr, $seg:expr) => {
        send!($ep, time $t, $seg, tag PEER_TAG)
    };
    ($ep:expr, time $t:expr, $seg:expr, tag $tag:expr) => {
        $ep.handle_segment(at($t), &$seg, $tag)
    };
}

macro_rules! timeout {
    ($ep:expr, time $t:expr) => {
        $ep.handle_timeout(at($t))
    };
}

/// The retransmission timer fires at `time`: `seg` goes out again and the timer is re-armed, backed off,
/// to expire at `next` (RFC 6298 §5.4–5.6).
macro_rules! retransmits {
    ($ep:expr, time $t:expr, $seg:expr, next $n:expr) => {
        timeout!($ep, time $t);
        events!(
            $ep,
            [fired(Timer::Retransmit), tx($seg), armed(Timer::Retransmit, at($n), false)]
        );
    };
}

/// The last retransmission went unanswered: at `time` the timer fires once more, the application is told
/// the connection timed out, and the TCB is deleted (RFC 9293 §3.8.3, R2; RFC 6298 §5).
macro_rules! gives_up {
    ($ep:expr, time $t:expr, from $state:expr) => {
        timeout!($ep, time $t);
        events!(
            $ep,
            [
                fired(Timer::Retransmit),
                app(AppEvent::TimedOut),
                changed($state, State::Closed, Cause::RetriesExhausted),
            ]
        );
    };
}

macro_rules! recv {
    ($ep:expr, [$($seg:expr),* $(,)?]) => {
        assert_eq!(transmitted(drain(&mut $ep)), vec![$($seg),*], "segments transmitted")
    };
}

macro_rules! recv_nothing {
    ($ep:expr) => {
        recv!($ep, [])
    };
}

macro_rules! events {
    ($ep:expr, [$($ev:expr),* $(,)?]) => {
        assert_eq!(drain(&mut $ep), vec![$($ev),*], "events")
    };
}

fn tx(seg: Segment) -> Event {
    Event::Transmit(seg)
}
fn discarded(why: Discard) -> Event {
    Event::Discarded(why)
}
fn changed(from: State, to: State, cause: Cause) -> Event {
    Event::StateChanged(StateChange { from, to, cause })
}
fn armed(timer: Timer, expires: Instant, restart: bool) -> Event {
    Event::TimerArmed(TimerArm {
        timer,
        expires,
        restart,
    })
}
fn cancelled(timer: Timer) -> Event {
    Event::TimerCancelled { timer }
}
fn fired(timer: Timer) -> Event {
    Event::TimerFired { timer }
}
fn app(event: AppEvent) -> Event {
    Event::App(event)
}
fn read(bytes: &[u8], tag: u32) -> Event {
    Event::App(AppEvent::Read {
        bytes: bytes.to_vec(),
        tag,
    })
}

/// What our SYN and SYN,ACK carry with the test configuration: the MSS option alone (RFC 9293 §3.7.1).
fn our_syn_options() -> Option<Box<Options>> {
    Some(Box::new(Options {
        mss: Some(MSS),
        ..Options::default()
    }))
}

/// The peer's SYN: <SEQ=REMOTE_SEQ><CTL=SYN>.
fn peer_syn() -> Segment {
    Segment {
        seq: REMOTE_SEQ,
        ack: SeqNum(0),
        flags: Flags::SYN,
        ..SEND_TEMPL
    }
}

/// The peer's answer to our SYN: <SEQ=REMOTE_SEQ><ACK=LOCAL_SEQ+1><CTL=SYN,ACK>.
fn peer_syn_ack() -> Segment {
    Segment {
        seq: REMOTE_SEQ,
        flags: Flags::SYN_ACK,
        ..SEND_TEMPL
    }
}

/// A reset we send: <SEQ=seq><CTL=RST>.
fn our_rst(seq: SeqNum) -> Segment {
    Segment {
        seq,
        ack: SeqNum(0),
        flags: Flags::RST,
        ..RECV_TEMPL
    }
}

// ---------------------------------------------------------------------------------------------------
// Fixtures, one per state. Times: SYN at 0, SYN,ACK at 100 (ESTABLISHED), our close at 1000, the
// peer's ACK of our FIN at 1100 (FIN-WAIT-2), the peer's FIN at 2000 (TIME-WAIT until 62000).
// ---------------------------------------------------------------------------------------------------

fn ep_syn_sent_with(cfg: Config) -> Endpoint {
    let mut ep = Endpoint::connect(at(0), cfg, LOCAL_PORT, REMOTE_PORT, LOCAL_SEQ);
    drain(&mut ep);
    assert_eq!(ep.state(), State::SynSent);
    ep
}
fn ep_syn_sent() -> Endpoint {
    ep_syn_sent_with(cfg())
}

fn ep_syn_received() -> Endpoint {
    let mut ep = Endpoint::accept(at(0), cfg(), &peer_syn(), LOCAL_SEQ);
    drain(&mut ep);
    assert_eq!(ep.state(), State::SynReceived);
    ep
}

fn ep_established_with(cfg: Config) -> Endpoint {
    let mut ep = ep_syn_sent_with(cfg);
    send!(ep, time 100, peer_syn_ack());
    drain(&mut ep);
    assert_eq!(ep.state(), State::Established);
    ep
}
fn ep_established() -> Endpoint {
    ep_established_with(cfg())
}

/// FIN sent at 1000 (<SEQ=LOCAL_SEQ+1>); its retransmission timer expires at 1300.
fn ep_fin_wait_1_with(cfg: Config) -> Endpoint {
    let mut ep = ep_established_with(cfg);
    ep.close(at(1000)).unwrap();
    drain(&mut ep);
    assert_eq!(ep.state(), State::FinWait1);
    ep
}
fn ep_fin_wait_1() -> Endpoint {
    ep_fin_wait_1_with(cfg())
}

fn ep_fin_wait_2_with(cfg: Config) -> Endpoint {
    let mut ep = ep_fin_wait_1_with(cfg);
    send!(ep, time 1100, Segment { ack: LOCAL_SEQ + 2, ..SEND_TEMPL });
    drain(&mut ep);
    assert_eq!(ep.state(), State::FinWait2);
    ep
}
fn ep_fin_wait_2() -> Endpoint {
    ep_fin_wait_2_with(cfg())
}

/// The peer's FIN crossed ours: it acknowledges only our SYN. Our FIN's timer still expires at 1300.
fn ep_closing() -> Endpoint {
    let mut ep = ep_fin_wait_1();
    send!(ep, time 1100, Segment { flags: Flags::FIN_ACK, ..SEND_TEMPL });
    drain(&mut ep);
    assert_eq!(ep.state(), State::Closing);
    ep
}

/// Entered at 2000: the 2MSL timer expires at 62000. RCV.NXT = REMOTE_SEQ+2, SND.NXT = LOCAL_SEQ+2.
fn ep_time_wait_with(cfg: Config) -> Endpoint {
    let mut ep = ep_fin_wait_2_with(cfg);
    send!(ep, time 2000, Segment { flags: Flags::FIN_ACK, ack: LOCAL_SEQ + 2, ..SEND_TEMPL });
    drain(&mut ep);
    assert_eq!(ep.state(), State::TimeWait);
    ep
}
fn ep_time_wait() -> Endpoint {
    ep_time_wait_with(cfg())
}

/// The peer's FIN arrived at 1000: RCV.NXT = REMOTE_SEQ+2.
fn ep_close_wait_with(cfg: Config) -> Endpoint {
    let mut ep = ep_established_with(cfg);
    send!(ep, time 1000, Segment { flags: Flags::FIN_ACK, ..SEND_TEMPL });
    drain(&mut ep);
    assert_eq!(ep.state(), State::CloseWait);
    ep
}
fn ep_close_wait() -> Endpoint {
    ep_close_wait_with(cfg())
}

/// Our FIN sent at 2000 (<SEQ=LOCAL_SEQ+1><ACK=REMOTE_SEQ+2>); its timer expires at 2300.
fn ep_last_ack() -> Endpoint {
    let mut ep = ep_close_wait();
    ep.close(at(2000)).unwrap();
    drain(&mut ep);
    assert_eq!(ep.state(), State::LastAck);
    ep
}

// ===================================================================================================
// Figure 5: every fixture walks the RFC's arrows
// ===================================================================================================

/// A fixture and the state changes that lead to it.
type FixturePath = (fn() -> Endpoint, &'static [(State, State)]);

#[test]
fn test_fixtures_walk_only_rfc_edges() {
    // RFC 9293 §3.3.2, Figure 5. `drain` asserts `is_rfc_edge` on every state change of every test; here
    // the paths to each fixture are pinned, and the check itself is shown not to accept everything.
    use State::*;
    let cases: [FixturePath; 9] = [
        (ep_syn_sent, &[(Closed, SynSent)]),
        (ep_syn_received, &[(Listen, SynReceived)]),
        (ep_established, &[(Closed, SynSent), (SynSent, Established)]),
        (
            ep_fin_wait_1,
            &[
                (Closed, SynSent),
                (SynSent, Established),
                (Established, FinWait1),
            ],
        ),
        (
            ep_fin_wait_2,
            &[
                (Closed, SynSent),
                (SynSent, Established),
                (Established, FinWait1),
                (FinWait1, FinWait2),
            ],
        ),
        (
            ep_closing,
            &[
                (Closed, SynSent),
                (SynSent, Established),
                (Established, FinWait1),
                (FinWait1, Closing),
            ],
        ),
        (
            ep_time_wait,
            &[
                (Closed, SynSent),
                (SynSent, Established),
                (Established, FinWait1),
                (FinWait1, FinWait2),
                (FinWait2, TimeWait),
            ],
        ),
        (
            ep_close_wait,
            &[
                (Closed, SynSent),
                (SynSent, Established),
                (Established, CloseWait),
            ],
        ),
        (
            ep_last_ack,
            &[
                (Closed, SynSent),
                (SynSent, Established),
                (Established, CloseWait),
                (CloseWait, LastAck),
            ],
        ),
    ];
    for (build, path) in cases {
        STATE_CHANGES.with(|log| log.borrow_mut().clear());
        build();
        let walked: Vec<(State, State)> =
            STATE_CHANGES.with(|log| log.borrow().iter().map(|&(f, t, _)| (f, t)).collect());
        assert_eq!(walked, path);
        assert!(walked.iter().all(|&(f, t)| State::is_rfc_edge(f, t)));
    }
    // The check has teeth: arrows that Figure 5 does not have.
    assert!(!State::is_rfc_edge(TimeWait, Established));
    assert!(!State::is_rfc_edge(Established, SynSent));
    assert!(!State::is_rfc_edge(FinWait2, FinWait1));
    assert!(!State::is_rfc_edge(Closed, Closed));
}

// ===================================================================================================
// SYN-SENT (RFC 9293 §3.10.7.3)
// ===================================================================================================

#[test]
fn test_connect_sends_syn() {
    // RFC 9293 §3.10.1, OPEN in CLOSED: "A SYN segment of the form <SEQ=ISS><CTL=SYN> is sent", enter
    // SYN-SENT.
    let mut ep = Endpoint::connect(at(0), cfg(), LOCAL_PORT, REMOTE_PORT, LOCAL_SEQ);
    assert_eq!(ep.state(), State::SynSent);
    assert_eq!(ep.iss(), LOCAL_SEQ);
    events!(
        ep,
        [
            changed(State::Closed, State::SynSent, Cause::ActiveOpen),
            tx(Segment {
                seq: LOCAL_SEQ,
                ack: SeqNum(0),
                flags: Flags::SYN,
                options: our_syn_options(),
                ..RECV_TEMPL
            }),
            // RFC 6298 §5.1 and §2.1: the SYN must be acknowledged, so the timer starts, at the initial 1 s.
            armed(Timer::Retransmit, at(1000), false),
        ]
    );
    assert_eq!(ep.snd_nxt(), LOCAL_SEQ + 1);
}

#[test]
fn test_syn_sent_syn_ack_establishes() {
    // RFC 9293 §3.10.7.3, fourth (SYN bit): our SYN is ACKed, so enter ESTABLISHED and send
    // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; RCV.NXT = SEG.SEQ+1.
    let mut ep = ep_syn_sent();
    send!(ep, time 100, peer_syn_ack());
    events!(
        ep,
        [
            // RFC 6298 §5.2: everything outstanding (the SYN) is acknowledged, so the timer stops.
            cancelled(Timer::Retransmit),
            changed(State::SynSent, State::Established, Cause::RcvSynAck),
            app(AppEvent::Connected),
            tx(RECV_TEMPL),
        ]
    );
    assert_eq!(ep.rcv_nxt(), REMOTE_SEQ + 1);
}

#[test]
fn test_syn_sent_unacceptable_ack_gets_rst() {
    // RFC 9293 §3.10.7.3, first (ACK bit): "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset
    // <SEQ=SEG.ACK><CTL=RST>", discard the segment; the state does not change.
    let mut ep = ep_syn_sent();
    // SEG.ACK > SND.NXT, on a SYN,ACK.
    send!(ep, time 100, Segment { ack: LOCAL_SEQ + 2, ..peer_syn_ack() });
    events!(
        ep,
        [
            tx(our_rst(LOCAL_SEQ + 2)),
            discarded(Discard::SynSentUnacceptable)
        ]
    );
    // SEG.ACK = ISS, on a bare ACK.
    send!(ep, time 200, Segment { ack: LOCAL_SEQ, ..SEND_TEMPL });
    events!(
        ep,
        [
            tx(our_rst(LOCAL_SEQ)),
            discarded(Discard::SynSentUnacceptable)
        ]
    );
    assert_eq!(ep.state(), State::SynSent);
}

#[test]
fn test_syn_sent_rst_with_acceptable_ack_refuses() {
    // RFC 9293 §3.10.7.3, second (RST bit): "If the ACK was acceptable, then signal to the user 'error:
    // connection reset', drop the segment, enter CLOSED state, delete TCB, and return."
    let mut ep = ep_syn_sent();
    send!(ep, time 100, Segment { seq: SeqNum(0), flags: Flags::RST_ACK, ..SEND_TEMPL });
    events!(
        ep,
        [
            app(AppEvent::Reset),
            changed(State::SynSent, State::Closed, Cause::RcvRst),
            cancelled(Timer::Retransmit),
        ]
    );
    assert_eq!(
        ep.poll_timeout(),
        None,
        "the TCB is deleted, no timer outlives it"
    );
}

#[test]
fn test_syn_sent_rst_with_bad_ack_or_without_ack_ignored() {
    // RFC 9293 §3.10.7.3: a RST whose ACK is unacceptable is dropped (first step: "unless the RST bit is
    // set, if so drop the segment and return"); a RST without ACK too (second step: "If the ACK bit is
    // off, drop the segment and return"; RFC 5961 §3 keeps blind resets out of SYN-SENT).
    let mut ep = ep_syn_sent();
    send!(ep, time 100, Segment { seq: SeqNum(0), ack: LOCAL_SEQ + 9, flags: Flags::RST_ACK, ..SEND_TEMPL });
    events!(ep, [discarded(Discard::SynSentUnacceptable)]);
    send!(ep, time 200, Segment { seq: SeqNum(0), ack: SeqNum(0), flags: Flags::RST, ..SEND_TEMPL });
    events!(ep, [discarded(Discard::SynSentUnacceptable)]);
    assert_eq!(ep.state(), State::SynSent);
}

#[test]
fn test_syn_sent_ack_without_syn_dropped() {
    // RFC 9293 §3.10.7.3, fifth: "If neither of the SYN or RST bits is set, then drop the segment and
    // return" (even with an acceptable ACK).
    let mut ep = ep_syn_sent();
    send!(ep, time 100, Segment { payload: b"early".to_vec(), ..SEND_TEMPL });
    events!(ep, [discarded(Discard::SynSentUnacceptable)]);
    assert_eq!(ep.state(), State::SynSent);
}

#[test]
fn test_syn_sent_simultaneous_open() {
    // RFC 9293 §3.10.7.3, fourth: a SYN without ACK means "enter SYN-RECEIVED, form a SYN,ACK segment
    // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it" (Figure 8).
    let mut ep = ep_syn_sent();
    send!(ep, time 50, peer_syn());
    events!(
        ep,
        [
            changed(State::SynSent, State::SynReceived, Cause::RcvSyn),
            tx(Segment {
                seq: LOCAL_SEQ,
                flags: Flags::SYN_ACK,
                options: our_syn_options(),
                ..RECV_TEMPL
            }),
        ]
    );
    // The peer's SYN,ACK (SEQ=IRS) lies below RCV.NXT: by the text of §3.10.7.4 first step it is not
    // acceptable and gets <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (Figure 8 draws it as completing the open).
    send!(ep, time 100, peer_syn_ack());
    events!(ep, [discarded(Discard::OutsideWindow), tx(RECV_TEMPL)]);
    assert_eq!(ep.state(), State::SynReceived);
    // The peer's ACK of our SYN completes it (§3.10.7.4 fifth, SYN-RECEIVED).
    send!(ep, time 150, SEND_TEMPL);
    events!(
        ep,
        [
            changed(State::SynReceived, State::Established, Cause::RcvAck),
            app(AppEvent::Connected),
            // The SYN's timer, running since connect, stops (RFC 6298 §5.2).
            cancelled(Timer::Retransmit),
        ]
    );
}

#[test]
fn test_syn_sent_simultaneous_open_rst_refuses() {
    // RFC 9293 §3.10.7.4 second, SYN-RECEIVED: "If this connection was initiated with an active OPEN
    // (i.e., came from SYN-SENT state), then the connection was refused; signal the user".
    let mut ep = ep_syn_sent();
    send!(ep, time 50, peer_syn());
    drain(&mut ep);
    send!(ep, time 100, Segment { flags: Flags::RST, ..SEND_TEMPL });
    events!(
        ep,
        [
            app(AppEvent::Reset),
            changed(State::SynReceived, State::Closed, Cause::RcvRst),
            cancelled(Timer::Retransmit),
        ]
    );
}

#[test]
fn test_syn_sent_send_is_queued_until_established() {
    // RFC 9293 §3.10.2, SEND in SYN-SENT: "Queue the data for transmission after entering ESTABLISHED
    // state"; §3.10.7.3: "Data or controls that were queued for transmission MAY be included" in the ACK.
    let mut ep = ep_syn_sent();
    assert_eq!(ep.send(at(10), b"hello"), Ok(()));
    recv_nothing!(ep);
    send!(ep, time 100, peer_syn_ack());
    events!(
        ep,
        [
            cancelled(Timer::Retransmit),
            changed(State::SynSent, State::Established, Cause::RcvSynAck),
            app(AppEvent::Connected),
            tx(Segment {
                payload: b"hello".to_vec(),
                ..RECV_TEMPL
            }),
            // RFC 6298 §5.1: the data's retransmission timer starts, RTO = 300 ms after the handshake's sample.
            armed(Timer::Retransmit, at(100 + RTO_MS), false),
        ]
    );
}

#[test]
fn test_syn_sent_close_deletes_tcb() {
    // RFC 9293 §3.10.4, CLOSE in SYN-SENT: "Delete the TCB"; afterwards SEND in CLOSED returns "error:
    // connection does not exist" (§3.10.2).
    let mut ep = ep_syn_sent();
    assert_eq!(ep.close(at(10)), Ok(()));
    events!(
        ep,
        [
            changed(State::SynSent, State::Closed, Cause::AppClose),
            cancelled(Timer::Retransmit),
        ]
    );
    assert_eq!(ep.poll_timeout(), None);
    assert_eq!(
        ep.send(at(20), b"x"),
        Err(CallError::ConnectionDoesNotExist)
    );
}

#[test]
fn test_syn_sent_syn_retransmitted_with_backoff_then_times_out() {
    // RFC 6298 §5.1 (start the timer when a segment that must be acknowledged is sent), §5.4 (retransmit
    // the earliest unacknowledged segment), §5.5 (RTO <- RTO * 2), §5.6 (restart the timer); RFC 9293
    // §3.8.3: after R2 (max_retries) retransmissions, close the connection and tell the user.
    let syn = Segment {
        seq: LOCAL_SEQ,
        ack: SeqNum(0),
        flags: Flags::SYN,
        options: our_syn_options(),
        ..RECV_TEMPL
    };
    let mut ep = ep_syn_sent();
    assert_eq!(
        ep.poll_timeout(),
        Some(at(1000)),
        "initial RTO = 1 s (RFC 6298 §2.1)"
    );
    timeout!(ep, time 999);
    events!(ep, []);
    retransmits!(ep, time 1000, syn.clone(), next 3000);
    retransmits!(ep, time 3000, syn.clone(), next 7000);
    retransmits!(ep, time 7000, syn, next 15000);
    gives_up!(ep, time 15000, from State::SynSent);
    assert_eq!(ep.poll_timeout(), None);
}

/// Linux's SYN-SENT timers: `tcp_syn_linear_timeouts` = 4 and a resend two jiffies (8 ms at HZ 250)
/// after resetting a stray ACK.
fn cfg_linux_syn_sent() -> Config {
    Config {
        max_retries: 6,
        syn_linear_timeouts: 4,
        syn_sent_rst_retry: Some(Duration::from_millis(8)),
        ..cfg()
    }
}

fn our_syn() -> Segment {
    Segment {
        seq: LOCAL_SEQ,
        ack: SeqNum(0),
        flags: Flags::SYN,
        options: our_syn_options(),
        ..RECV_TEMPL
    }
}

#[test]
fn test_syn_sent_linux_linear_timeouts_then_backoff() {
    // Linux (tcp_retransmit_timer): in SYN-SENT, "tp->total_rto > sysctl_tcp_syn_linear_timeouts" decides
    // whether the RTO doubles, so the first four time-outs keep 1 s and only the fifth doubles (a kernel
    // trying a dead address sends SYNs at 0, 1, 2, 3, 4, 5, 7, 11 s ...). Other states still double
    // (RFC 6298 §5.5): see test_syn_sent_syn_retransmitted_with_backoff_then_times_out.
    let mut ep = ep_syn_sent_with(cfg_linux_syn_sent());
    retransmits!(ep, time 1000, our_syn(), next 2000);
    retransmits!(ep, time 2000, our_syn(), next 3000);
    retransmits!(ep, time 3000, our_syn(), next 4000);
    retransmits!(ep, time 4000, our_syn(), next 5000);
    retransmits!(ep, time 5000, our_syn(), next 7000);
    retransmits!(ep, time 7000, our_syn(), next 11000);
    gives_up!(ep, time 11000, from State::SynSent);
}

#[test]
fn test_syn_sent_linux_resends_syn_soon_after_resetting_a_stray_ack() {
    // Linux (tcp_rcv_synsent_state_process): an unacceptable ACK in SYN-SENT is answered by RST as RFC 9293
    // §3.10.7.3 says, and then, "Previous FIN/ACK or RST/ACK might be ignored", if the SYN has not been
    // retransmitted yet the timer is re-armed for TCP_TIMEOUT_MIN instead of the rest of the RTO.
    let mut ep = ep_syn_sent_with(cfg_linux_syn_sent());
    send!(ep, time 100, Segment { seq: REMOTE_SEQ, ack: LOCAL_SEQ + 500, ..SEND_TEMPL });
    events!(
        ep,
        [
            tx(our_rst(LOCAL_SEQ + 500)),
            armed(Timer::Retransmit, at(108), true),
            discarded(Discard::SynSentUnacceptable),
        ]
    );
    // The resend is a retransmission: its RTO stays 1 s (the first linear time-out).
    retransmits!(ep, time 108, our_syn(), next 1108);
    // Once the SYN has been retransmitted, another stray ACK only gets its RST.
    send!(ep, time 200, Segment { seq: REMOTE_SEQ, ack: LOCAL_SEQ + 500, ..SEND_TEMPL });
    events!(
        ep,
        [
            tx(our_rst(LOCAL_SEQ + 500)),
            discarded(Discard::SynSentUnacceptable)
        ]
    );
    // A RST,ACK with a bad ACK gets no RST (never reset a reset), but re-arms just the same in a fresh
    // SYN-SENT.
    let mut ep = ep_syn_sent_with(cfg_linux_syn_sent());
    send!(ep, time 100, Segment { seq: SeqNum(0), ack: LOCAL_SEQ + 9, flags: Flags::RST_ACK, ..SEND_TEMPL });
    events!(
        ep,
        [
            armed(Timer::Retransmit, at(108), true),
            discarded(Discard::SynSentUnacceptable)
        ]
    );
}

// ===================================================================================================
// SYN-RECEIVED (RFC 9293 §3.10.7.2, §3.10.7.4)
// ===================================================================================================

#[test]
fn test_accept_sends_syn_ack() {
    // RFC 9293 §3.10.7.2, LISTEN, third (SYN bit): RCV.NXT <- SEG.SEQ+1, send
    // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, enter SYN-RECEIVED.
    let mut ep = Endpoint::accept(at(0), cfg(), &peer_syn(), LOCAL_SEQ);
    assert_eq!(
        (ep.local_port(), ep.remote_port()),
        (LOCAL_PORT, REMOTE_PORT)
    );
    events!(
        ep,
        [
            changed(State::Listen, State::SynReceived, Cause::RcvSyn),
            tx(Segment {
                seq: LOCAL_SEQ,
                flags: Flags::SYN_ACK,
                options: our_syn_options(),
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(1000), false),
        ]
    );
    assert_eq!(ep.rcv_nxt(), REMOTE_SEQ + 1);
}

#[test]
fn test_syn_received_ack_establishes() {
    // RFC 9293 §3.10.7.4 fifth, SYN-RECEIVED: "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED
    // state and continue processing".
    let mut ep = ep_syn_received();
    send!(ep, time 100, SEND_TEMPL);
    events!(
        ep,
        [
            changed(State::SynReceived, State::Established, Cause::RcvAck),
            app(AppEvent::Connected),
            cancelled(Timer::Retransmit),
        ]
    );
}

#[test]
fn test_syn_received_ack_with_data_establishes_and_reads() {
    // RFC 9293 §3.10.7.4: fifth step enters ESTABLISHED "and continue processing", so the seventh takes
    // the text and acknowledges it.
    let mut ep = ep_syn_received();
    send!(ep, time 100, Segment { payload: b"hi".to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            changed(State::SynReceived, State::Established, Cause::RcvAck),
            app(AppEvent::Connected),
            cancelled(Timer::Retransmit),
            read(b"hi", PEER_TAG),
            tx(Segment {
                ack: REMOTE_SEQ + 3,
                ..RECV_TEMPL
            }),
        ]
    );
}

#[test]
fn test_syn_received_unacceptable_ack_gets_rst() {
    // RFC 9293 §3.10.7.4 fifth, SYN-RECEIVED: "If the segment acknowledgment is not acceptable, form a
    // reset segment <SEQ=SEG.ACK><CTL=RST> and send it."
    let mut ep = ep_syn_received();
    send!(ep, time 100, Segment { ack: LOCAL_SEQ + 5, ..SEND_TEMPL });
    events!(
        ep,
        [
            tx(our_rst(LOCAL_SEQ + 5)),
            discarded(Discard::BadAckInSynReceived)
        ]
    );
    // SEG.ACK = SND.UNA acknowledges nothing: not acceptable either.
    send!(ep, time 200, Segment { ack: LOCAL_SEQ, ..SEND_TEMPL });
    events!(
        ep,
        [
            tx(our_rst(LOCAL_SEQ)),
            discarded(Discard::BadAckInSynReceived)
        ]
    );
    assert_eq!(ep.state(), State::SynReceived);
}

#[test]
fn test_syn_received_rst_returns_to_listen() {
    // RFC 9293 §3.10.7.4 second, SYN-RECEIVED: "If this connection was initiated with a passive OPEN
    // (i.e., came from the LISTEN state), then return this connection to LISTEN state and return. The user
    // need not be informed."
    let mut ep = ep_syn_received();
    send!(ep, time 100, Segment { flags: Flags::RST, ..SEND_TEMPL });
    events!(
        ep,
        [
            changed(State::SynReceived, State::Listen, Cause::RcvRst),
            cancelled(Timer::Retransmit),
        ]
    );
}

#[test]
fn test_syn_received_rst_in_window_gets_challenge_ack() {
    // RFC 5961 §3.2 (RFC 9293 §3.10.7.4 second): a RST in the window but not at RCV.NXT gets a challenge
    // ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
    let mut ep = ep_syn_received();
    send!(ep, time 100, Segment { seq: REMOTE_SEQ + 10, flags: Flags::RST, ..SEND_TEMPL });
    events!(ep, [discarded(Discard::RstChallenge), tx(RECV_TEMPL)]);
    assert_eq!(ep.state(), State::SynReceived);
}

#[test]
fn test_syn_received_syn() {
    // RFC 9293 §3.10.7.4: a retransmitted SYN (SEQ=IRS) is below RCV.NXT, not acceptable (first step):
    // answered with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. A SYN inside the window reaches the fourth
    // step: "If the connection was initiated with a passive OPEN, then return this connection to the
    // LISTEN state and return."
    let mut ep = ep_syn_received();
    send!(ep, time 100, peer_syn());
    events!(ep, [discarded(Discard::OutsideWindow), tx(RECV_TEMPL)]);
    send!(ep, time 200, Segment { seq: REMOTE_SEQ + 5, ack: SeqNum(0), flags: Flags::SYN, ..SEND_TEMPL });
    events!(
        ep,
        [
            changed(State::SynReceived, State::Listen, Cause::RcvSyn),
            cancelled(Timer::Retransmit),
        ]
    );
}

#[test]
fn test_syn_received_close_sends_fin() {
    // RFC 9293 §3.10.4, CLOSE in SYN-RECEIVED: "If no SENDs have been issued and there is no pending data
    // to send, then form a FIN segment and send it, and enter FIN-WAIT-1 state". The peer's ACK of SYN and
    // FIN then leads to FIN-WAIT-2 (§3.10.7.4 fifth).
    let mut ep = ep_syn_received();
    assert_eq!(ep.close(at(10)), Ok(()));
    events!(
        ep,
        [
            changed(State::SynReceived, State::FinWait1, Cause::AppClose),
            tx(Segment {
                flags: Flags::FIN_ACK,
                ..RECV_TEMPL
            }),
        ]
    );
    send!(ep, time 100, Segment { ack: LOCAL_SEQ + 2, ..SEND_TEMPL });
    events!(
        ep,
        [
            cancelled(Timer::Retransmit),
            changed(State::FinWait1, State::FinWait2, Cause::RcvAckOfFin),
        ]
    );
}

#[test]
fn test_syn_received_close_then_rto_retransmits_syn_ack_first() {
    // RFC 6298 §5.4: "Retransmit the earliest segment that has not been acknowledged by the TCP
    // receiver". After close() in SYN-RECEIVED the SYN (SEQ=ISS) is still unacknowledged, so that is the
    // SYN,ACK <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>; the FIN occupies ISS+1 (RFC 9293 §3.4).
    let mut ep = ep_syn_received();
    ep.close(at(10)).unwrap();
    drain(&mut ep);
    let expiry = ep
        .poll_timeout()
        .expect("SYN,ACK and FIN are unacknowledged: the timer runs");
    ep.handle_timeout(expiry);
    recv!(
        ep,
        [Segment {
            seq: LOCAL_SEQ,
            flags: Flags::SYN_ACK,
            options: our_syn_options(),
            ..RECV_TEMPL
        }]
    );
}

#[test]
fn test_syn_received_syn_ack_retransmitted() {
    // RFC 6298 §5.1/§5.4–5.6 and RFC 9293 §3.8.3, as for the SYN: the SYN,ACK is retransmitted on RTO with
    // backoff, and the attempt is abandoned after R2.
    let syn_ack = Segment {
        seq: LOCAL_SEQ,
        flags: Flags::SYN_ACK,
        options: our_syn_options(),
        ..RECV_TEMPL
    };
    let mut ep = ep_syn_received();
    assert_eq!(
        ep.poll_timeout(),
        Some(at(1000)),
        "initial RTO = 1 s (RFC 6298 §2.1)"
    );
    retransmits!(ep, time 1000, syn_ack.clone(), next 3000);
    retransmits!(ep, time 3000, syn_ack.clone(), next 7000);
    retransmits!(ep, time 7000, syn_ack, next 15000);
    gives_up!(ep, time 15000, from State::SynReceived);
}

// ===================================================================================================
// ESTABLISHED: receiving (RFC 9293 §3.10.7.4 first and seventh steps)
// ===================================================================================================

#[test]
fn test_established_in_order_data_read_and_acked() {
    // RFC 9293 §3.10.7.4 seventh: deliver the text, advance RCV.NXT, send <SEQ=SND.NXT><ACK=RCV.NXT>.
    let mut ep = ep_established();
    send!(ep, time 1000, Segment { payload: b"abcdef".to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            read(b"abcdef", PEER_TAG),
            tx(Segment {
                ack: REMOTE_SEQ + 7,
                ..RECV_TEMPL
            }),
        ]
    );
    assert_eq!(ep.rcv_nxt(), REMOTE_SEQ + 7);
}

#[test]
fn test_established_out_of_order_held_until_gap_fills() {
    // RFC 9293 §3.10.7.4 first step: "Segments with higher beginning sequence numbers may be held for
    // later processing"; the ACK still names RCV.NXT (the gap). Each byte keeps its segment's tag.
    let mut ep = ep_established();
    send!(ep, time 1000, Segment { seq: REMOTE_SEQ + 4, payload: b"def".to_vec(), ..SEND_TEMPL }, tag 2);
    events!(ep, [tx(RECV_TEMPL)]);
    send!(ep, time 1010, Segment { payload: b"abc".to_vec(), ..SEND_TEMPL }, tag 1);
    events!(
        ep,
        [
            read(b"abc", 1),
            read(b"def", 2),
            tx(Segment {
                ack: REMOTE_SEQ + 7,
                ..RECV_TEMPL
            }),
        ]
    );
}

#[test]
fn test_established_out_of_order_fin_held_until_gap_fills() {
    // RFC 9293 §3.10.7.4 eighth: the FIN is processed once everything before it is in ("FIN implies PUSH
    // for any segment text not yet delivered"), then ESTABLISHED -> CLOSE-WAIT.
    let mut ep = ep_established();
    send!(ep, time 1000, Segment {
        seq: REMOTE_SEQ + 4,
        flags: Flags::FIN_ACK,
        payload: b"def".to_vec(),
        ..SEND_TEMPL
    });
    events!(ep, [tx(RECV_TEMPL)]);
    assert_eq!(ep.state(), State::Established);
    send!(ep, time 1010, Segment { payload: b"abc".to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            read(b"abc", PEER_TAG),
            read(b"def", PEER_TAG),
            app(AppEvent::Eof),
            changed(State::Established, State::CloseWait, Cause::RcvFin),
            tx(Segment {
                ack: REMOTE_SEQ + 8,
                ..RECV_TEMPL
            }),
        ]
    );
}

#[test]
fn test_established_duplicate_data_acked_at_once() {
    // RFC 9293 §3.10.7.4 first step: a segment wholly before RCV.NXT is not acceptable: "an acknowledgment
    // should be sent in reply" — at once, even with delayed ACKs (§3.8.6.3), and the text is not read
    // again.
    let mut ep = ep_established_with(cfg_delayed_ack());
    send!(ep, time 1000, Segment { payload: b"abc".to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            read(b"abc", PEER_TAG),
            armed(Timer::DelayedAck, at(1200), false)
        ]
    );
    send!(ep, time 1100, Segment { payload: b"abc".to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            discarded(Discard::OutsideWindow),
            cancelled(Timer::DelayedAck),
            tx(Segment {
                ack: REMOTE_SEQ + 4,
                ..RECV_TEMPL
            }),
        ]
    );
}

#[test]
fn test_established_overlapping_data_trimmed() {
    // RFC 9293 §3.10.7.4 first step: processing assumes "the idealized segment that begins at RCV.NXT";
    // a segment straddling RCV.NXT is trimmed to its new part.
    let mut ep = ep_established();
    send!(ep, time 1000, Segment { payload: b"abc".to_vec(), ..SEND_TEMPL });
    drain(&mut ep);
    send!(ep, time 1100, Segment { payload: b"abcdef".to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            read(b"def", PEER_TAG),
            tx(Segment {
                ack: REMOTE_SEQ + 7,
                ..RECV_TEMPL
            })
        ]
    );
}

#[test]
fn test_established_segment_outside_window_gets_ack() {
    // RFC 9293 §3.10.7.4 first step: "If an incoming segment is not acceptable, an acknowledgment should
    // be sent in reply: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" and the segment dropped.
    let mut ep = ep_established();
    let beyond = REMOTE_SEQ + 1 + u32::from(WINDOW);
    send!(ep, time 1000, Segment { seq: beyond, payload: b"far".to_vec(), ..SEND_TEMPL });
    events!(ep, [discarded(Discard::OutsideWindow), tx(RECV_TEMPL)]);
    assert_eq!(ep.rcv_nxt(), REMOTE_SEQ + 1);
}

#[test]
fn test_established_segment_without_ack_dropped() {
    // RFC 9293 §3.10.7.4 fifth: "if the ACK bit is off, drop the segment and return" — its text is not
    // read and nothing is sent.
    let mut ep = ep_established();
    send!(ep, time 1000, Segment { flags: NO_FLAGS, payload: b"abc".to_vec(), ..SEND_TEMPL });
    events!(ep, [discarded(Discard::NoAck)]);
    assert_eq!(ep.rcv_nxt(), REMOTE_SEQ + 1);
}

// The acceptability test of RFC 9293 §3.10.7.4 first step, its four cases:
//
//   Segment Length  Receive Window  Test
//   0               0               SEG.SEQ = RCV.NXT
//   0               >0              RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
//   >0              0               not acceptable
//   >0              >0              RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
//                                   or RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND
//
// An acceptable segment is processed (its ACK cancels our retransmission timer); an unacceptable one
// only draws <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. Unacceptable pure ACKs are spaced 500 ms apart so that
// ACK throttling (RFC 5961 §7) does not hide the reply.

#[test]
fn test_acceptability_empty_segment_zero_window() {
    // Case 1: SEG.LEN = 0, RCV.WND = 0: acceptable only if SEG.SEQ = RCV.NXT.
    let mut ep = ep_established_with(Config { window: 0, ..cfg() });
    ep.send(at(1000), b"abc").unwrap();
    events!(
        ep,
        [
            tx(Segment {
                window: 0,
                payload: b"abc".to_vec(),
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(1000 + RTO_MS), false),
        ]
    );
    send!(ep, time 1100, Segment { ack: LOCAL_SEQ + 4, ..SEND_TEMPL });
    events!(ep, [cancelled(Timer::Retransmit)]);
    send!(ep, time 1200, Segment { seq: REMOTE_SEQ + 2, ack: LOCAL_SEQ + 4, ..SEND_TEMPL });
    events!(
        ep,
        [
            discarded(Discard::OutsideWindow),
            tx(Segment {
                seq: LOCAL_SEQ + 4,
                window: 0,
                ..RECV_TEMPL
            })
        ]
    );
}

#[test]
fn test_acceptability_empty_segment_open_window() {
    // Case 2: SEG.LEN = 0, RCV.WND > 0: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND, boundaries included.
    let mut ep = ep_established();
    ep.send(at(1000), b"abc").unwrap();
    drain(&mut ep);
    let last_in_window = REMOTE_SEQ + u32::from(WINDOW); // RCV.NXT + RCV.WND - 1
    send!(ep, time 1100, Segment { seq: last_in_window, ack: LOCAL_SEQ + 4, ..SEND_TEMPL });
    events!(ep, [cancelled(Timer::Retransmit)]);
    let reply = Segment {
        seq: LOCAL_SEQ + 4,
        ..RECV_TEMPL
    };
    send!(ep, time 2000, Segment { seq: last_in_window + 1, ack: LOCAL_SEQ + 4, ..SEND_TEMPL });
    events!(ep, [discarded(Discard::OutsideWindow), tx(reply.clone())]);
    send!(ep, time 3000, Segment { seq: REMOTE_SEQ, ack: LOCAL_SEQ + 4, ..SEND_TEMPL });
    events!(ep, [discarded(Discard::OutsideWindow), tx(reply)]);
}

#[test]
fn test_acceptability_data_zero_window() {
    // Case 3: SEG.LEN > 0, RCV.WND = 0: never acceptable, even at RCV.NXT.
    let mut ep = ep_established_with(Config { window: 0, ..cfg() });
    send!(ep, time 1000, Segment { payload: b"abc".to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            discarded(Discard::OutsideWindow),
            tx(Segment {
                window: 0,
                ..RECV_TEMPL
            })
        ]
    );
    assert_eq!(ep.rcv_nxt(), REMOTE_SEQ + 1);
}

#[test]
fn test_acceptability_data_open_window() {
    // Case 4: SEG.LEN > 0, RCV.WND > 0: acceptable if its first or its last octet is in the window.
    // RCV.WND = 10: the window is [RCV.NXT, RCV.NXT+10).
    let mut ep = ep_established_with(Config {
        window: 10,
        ..cfg()
    });
    let ack = |n: u32| Segment {
        ack: REMOTE_SEQ + n,
        window: 10,
        ..RECV_TEMPL
    };
    // First octet at RCV.NXT+RCV.WND-1: acceptable, held (the ACK names the gap).
    send!(ep, time 1000, Segment { seq: REMOTE_SEQ + 10, payload: b"j".to_vec(), ..SEND_TEMPL }, tag 2);
    events!(ep, [tx(ack(1))]);
    // First octet at RCV.NXT+RCV.WND: not acceptable, dropped.
    send!(ep, time 1010, Segment { seq: REMOTE_SEQ + 11, payload: b"k".to_vec(), ..SEND_TEMPL });
    events!(ep, [discarded(Discard::OutsideWindow), tx(ack(1))]);
    // Filling the gap delivers the held octet, not the dropped one.
    send!(ep, time 1020, Segment { payload: b"abcdefghi".to_vec(), ..SEND_TEMPL }, tag 1);
    events!(ep, [read(b"abcdefghi", 1), read(b"j", 2), tx(ack(11))]);
    // Last octet at RCV.NXT-1: not acceptable.
    send!(ep, time 1030, Segment { payload: b"abc".to_vec(), ..SEND_TEMPL });
    events!(ep, [discarded(Discard::OutsideWindow), tx(ack(11))]);
    // First octet before RCV.NXT, last one inside: acceptable, the new part is read.
    send!(ep, time 1040, Segment { seq: REMOTE_SEQ + 9, payload: b"ijkl".to_vec(), ..SEND_TEMPL });
    events!(ep, [read(b"kl", PEER_TAG), tx(ack(13))]);
}

// ===================================================================================================
// ESTABLISHED: RST and SYN (RFC 9293 §3.10.7.4 second and fourth steps, RFC 5961 §3, §4)
// ===================================================================================================

#[test]
fn test_established_rst_at_rcv_nxt_resets() {
    // RFC 5961 §3.2 / RFC 9293 §3.10.7.4 second: a RST exactly at RCV.NXT resets: "any outstanding
    // RECEIVEs and SEND should receive 'reset' responses ... Enter the CLOSED state, delete the TCB".
    let mut ep = ep_established();
    send!(ep, time 1000, Segment { flags: Flags::RST, ..SEND_TEMPL });
    events!(
        ep,
        [
            app(AppEvent::Reset),
            changed(State::Established, State::Closed, Cause::RcvRst)
        ]
    );
    // The TCB is gone: later segments are ignored.
    send!(ep, time 1100, Segment { payload: b"late".to_vec(), ..SEND_TEMPL });
    events!(ep, [discarded(Discard::NoConnection)]);
}

#[test]
fn test_established_rst_in_window_gets_challenge_ack() {
    // RFC 5961 §3.2: a RST in the window but not at RCV.NXT draws a challenge ACK
    // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; the connection stays.
    let mut ep = ep_established();
    send!(ep, time 1000, Segment { seq: REMOTE_SEQ + 2, flags: Flags::RST, ..SEND_TEMPL });
    events!(ep, [discarded(Discard::RstChallenge), tx(RECV_TEMPL)]);
    assert_eq!(ep.state(), State::Established);
}

#[test]
fn test_established_rst_outside_window_dropped() {
    // RFC 5961 §3.2 / RFC 9293 §3.10.7.4 first step: an unacceptable RST is dropped silently ("If the RST
    // bit is set, ... drop the segment and return").
    let mut ep = ep_established();
    let beyond = REMOTE_SEQ + 1 + u32::from(WINDOW);
    send!(ep, time 1000, Segment { seq: beyond, flags: Flags::RST, ..SEND_TEMPL });
    events!(ep, [discarded(Discard::OutsideWindow)]);
    send!(ep, time 2000, Segment { seq: REMOTE_SEQ, flags: Flags::RST, ..SEND_TEMPL });
    events!(ep, [discarded(Discard::OutsideWindow)]);
    assert_eq!(ep.state(), State::Established);
}

#[test]
fn test_established_syn_gets_challenge_ack() {
    // RFC 5961 §4.2 / RFC 9293 §3.10.7.4 fourth: "If the SYN bit is set, irrespective of the sequence
    // number, TCP endpoints MUST send a 'challenge ACK' to the remote peer" and drop the segment.
    let mut ep = ep_established();
    send!(ep, time 1000, Segment { ack: SeqNum(0), flags: Flags::SYN, ..SEND_TEMPL });
    events!(ep, [discarded(Discard::SynChallenge), tx(RECV_TEMPL)]);
    // An old SYN,ACK (our handshake ACK lost) is below RCV.NXT: the first step's ACK, same segment.
    send!(ep, time 2000, peer_syn_ack());
    events!(ep, [discarded(Discard::OutsideWindow), tx(RECV_TEMPL)]);
    assert_eq!(ep.state(), State::Established);
}

#[test]
fn test_established_ack_beyond_snd_nxt_acked_and_dropped() {
    // RFC 9293 §3.10.7.4 fifth, ESTABLISHED: "If the ACK acknowledges something not yet sent (SEG.ACK >
    // SND.NXT), then send an ACK, drop the segment, and return" — its text is not read.
    let mut ep = ep_established();
    send!(ep, time 1000, Segment { ack: LOCAL_SEQ + 10, payload: b"xyz".to_vec(), ..SEND_TEMPL });
    events!(ep, [discarded(Discard::AckOfUnsent), tx(RECV_TEMPL)]);
    assert_eq!(ep.rcv_nxt(), REMOTE_SEQ + 1);
}

#[test]
fn test_established_ack_below_max_window_dropped_with_challenge_ack() {
    // RFC 5961 §5.2: "the ACK value is considered acceptable only if it is in the range of ((SND.UNA -
    // MAX.SND.WND) =< SEG.ACK =< SND.NXT). All incoming segments whose ACK value doesn't satisfy the
    // above condition MUST be discarded and an ACK sent back." MAX.SND.WND here is the peer's 1000.
    let snd_una = LOCAL_SEQ + 1;
    let max_wnd = u32::from(PEER_WINDOW);
    let mut ep = ep_established();
    send!(ep, time 1000, Segment { ack: snd_una - (max_wnd + 1), payload: b"old".to_vec(), ..SEND_TEMPL });
    events!(ep, [discarded(Discard::AckTooOld), tx(RECV_TEMPL)]);
    assert_eq!(ep.rcv_nxt(), REMOTE_SEQ + 1, "its text is not read");
    // RFC 5961 §7: the challenge ACKs are throttled; a second one within ACK_THROTTLE is not sent.
    send!(ep, time 1100, Segment { ack: snd_una - (max_wnd + 500), payload: b"old".to_vec(), ..SEND_TEMPL });
    events!(ep, [discarded(Discard::AckTooOld)]);
    // At the edge, SEG.ACK = SND.UNA - MAX.SND.WND, the ACK is acceptable (an old one: ignored) and the
    // segment goes on to its text (RFC 9293 §3.10.7.4, fifth and seventh steps).
    send!(ep, time 1200, Segment { ack: snd_una - max_wnd, payload: b"new".to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            read(b"new", PEER_TAG),
            tx(Segment {
                ack: REMOTE_SEQ + 4,
                ..RECV_TEMPL
            })
        ]
    );
}

#[test]
fn test_max_snd_wnd_is_the_largest_window_offered() {
    // RFC 5961 §5.2: "MAX.SND.WND is defined as the largest window that the local sender has ever
    // received from its peer": a window that shrinks later does not narrow the acceptable range.
    let snd_una = LOCAL_SEQ + 1;
    let mut ep = ep_established();
    send!(ep, time 500, Segment { window: 5000, ..SEND_TEMPL });
    send!(ep, time 600, Segment { window: 100, ..SEND_TEMPL });
    events!(ep, []);
    send!(ep, time 1000, Segment { ack: snd_una - 5000, payload: b"ok".to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            read(b"ok", PEER_TAG),
            tx(Segment {
                ack: REMOTE_SEQ + 3,
                ..RECV_TEMPL
            })
        ]
    );
    send!(ep, time 1100, Segment { seq: REMOTE_SEQ + 3, ack: snd_una - 5001, payload: b"no".to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            discarded(Discard::AckTooOld),
            tx(Segment {
                ack: REMOTE_SEQ + 3,
                ..RECV_TEMPL
            })
        ]
    );
    assert_eq!(ep.rcv_nxt(), REMOTE_SEQ + 3);
}

// ===================================================================================================
// ESTABLISHED: sending (RFC 9293 §3.10.2, §3.10.7.4 fifth step; RFC 6298 §5)
// ===================================================================================================

#[test]
fn test_established_send_segmentizes_by_mss_within_peer_window() {
    // RFC 9293 §3.10.2 SEND: "Segmentize the buffer and send it"; segments are at most MSS (§3.7.1) and
    // the data in flight stays within SND.UNA + SND.WND (§3.8.6.2.1). RFC 6298 §5.1 starts the timer with
    // the first segment, §5.3 restarts it when new data is acknowledged.
    let bytes = data(400);
    let mut ep = ep_established();
    // The peer advertises 250 octets.
    send!(ep, time 500, Segment { window: 250, ..SEND_TEMPL });
    events!(ep, []);
    ep.send(at(1000), &bytes).unwrap();
    events!(
        ep,
        [
            tx(Segment {
                payload: bytes[0..100].to_vec(),
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(1000 + RTO_MS), false),
            tx(Segment {
                seq: LOCAL_SEQ + 101,
                payload: bytes[100..200].to_vec(),
                ..RECV_TEMPL
            }),
            tx(Segment {
                seq: LOCAL_SEQ + 201,
                payload: bytes[200..250].to_vec(),
                ..RECV_TEMPL
            }),
        ]
    );
    // 100 octets acknowledged after 100 ms: RTO = 100 + 4·37.5 = 250 ms (RFC 6298 §2.3); room for 100.
    send!(ep, time 1100, Segment { ack: LOCAL_SEQ + 101, window: 250, ..SEND_TEMPL });
    events!(
        ep,
        [
            armed(Timer::Retransmit, at(1350), true),
            tx(Segment {
                seq: LOCAL_SEQ + 251,
                payload: bytes[250..350].to_vec(),
                ..RECV_TEMPL
            }),
        ]
    );
    // All acknowledged: the timer stops (§5.2), the last 50 go and start it again, RTO = 212.5 ms.
    send!(ep, time 1200, Segment { ack: LOCAL_SEQ + 351, window: 250, ..SEND_TEMPL });
    events!(
        ep,
        [
            cancelled(Timer::Retransmit),
            tx(Segment {
                seq: LOCAL_SEQ + 351,
                payload: bytes[350..400].to_vec(),
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, Instant(1_412_500), false),
        ]
    );
}

#[test]
fn test_established_ack_of_new_data_restarts_then_cancels_retransmit_timer() {
    // RFC 6298 §5.1: start the timer only if it is not running; §5.3: restart it when an ACK acknowledges
    // new data; §5.2: turn it off when all outstanding data has been acknowledged.
    let mut ep = ep_established();
    ep.send(at(1000), b"abc").unwrap();
    events!(
        ep,
        [
            tx(Segment {
                payload: b"abc".to_vec(),
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(1000 + RTO_MS), false),
        ]
    );
    ep.send(at(1010), b"def").unwrap();
    events!(
        ep,
        [tx(Segment {
            seq: LOCAL_SEQ + 4,
            payload: b"def".to_vec(),
            ..RECV_TEMPL
        })]
    );
    // RTT sample of 100 ms: RTO = 250 ms.
    send!(ep, time 1100, Segment { ack: LOCAL_SEQ + 4, ..SEND_TEMPL });
    events!(ep, [armed(Timer::Retransmit, at(1350), true)]);
    send!(ep, time 1200, Segment { ack: LOCAL_SEQ + 7, ..SEND_TEMPL });
    events!(ep, [cancelled(Timer::Retransmit)]);
    assert_eq!(ep.poll_timeout(), None);
}

#[test]
fn test_established_rto_retransmits_earliest_unacked_with_backoff() {
    // RFC 6298 §5.4: "Retransmit the earliest segment that has not been acknowledged"; §5.5: RTO <- RTO·2;
    // §5.6: start the timer with the new RTO. Karn (§3): no sample from the retransmitted segment, so the
    // backed-off RTO stays when the ACK comes (§5.3 restarts the timer with it).
    let bytes = data(150);
    let mut ep = ep_established();
    ep.send(at(1000), &bytes).unwrap();
    events!(
        ep,
        [
            tx(Segment {
                payload: bytes[0..100].to_vec(),
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(1300), false),
            tx(Segment {
                seq: LOCAL_SEQ + 101,
                payload: bytes[100..150].to_vec(),
                ..RECV_TEMPL
            }),
        ]
    );
    timeout!(ep, time 1299);
    events!(ep, []);
    let first = Segment {
        payload: bytes[0..100].to_vec(),
        ..RECV_TEMPL
    };
    retransmits!(ep, time 1300, first.clone(), next 1900);
    retransmits!(ep, time 1900, first, next 3100);
    send!(ep, time 3000, Segment { ack: LOCAL_SEQ + 101, ..SEND_TEMPL });
    events!(ep, [armed(Timer::Retransmit, at(3000 + 1200), true)]);
    send!(ep, time 3100, Segment { ack: LOCAL_SEQ + 151, ..SEND_TEMPL });
    events!(ep, [cancelled(Timer::Retransmit)]);
}

#[test]
fn test_established_retries_exhausted_times_out() {
    // RFC 9293 §3.8.3: when the retransmissions of a segment reach R2 (max_retries = 3), close the
    // connection and tell the user; RFC 6298 §5.5 doubles RTO each time.
    let data_seg = Segment {
        payload: b"abc".to_vec(),
        ..RECV_TEMPL
    };
    let mut ep = ep_established();
    ep.send(at(1000), b"abc").unwrap();
    recv!(ep, [data_seg.clone()]);
    for (now, next) in [(1300, 1900), (1900, 3100), (3100, 5500)] {
        retransmits!(ep, time now, data_seg.clone(), next next);
    }
    gives_up!(ep, time 5500, from State::Established);
    assert_eq!(ep.poll_timeout(), None);
}

#[test]
fn test_established_old_ack_does_not_update_send_window() {
    // RFC 9293 §3.10.7.4 fifth, ESTABLISHED: "If the ACK is a duplicate (SEG.ACK < SND.UNA), it can be
    // ignored" and "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated" (with the
    // SND.WL1/SND.WL2 check). A reordered old ACK advertising a zero window must not close the window.
    let bytes = data(400);
    let mut ep = ep_established();
    ep.send(at(1000), &bytes[..300]).unwrap();
    drain(&mut ep);
    send!(ep, time 1100, Segment { ack: LOCAL_SEQ + 201, ..SEND_TEMPL });
    drain(&mut ep);
    // The older ACK, overtaken in the network, arrives last.
    send!(ep, time 1110, Segment { ack: LOCAL_SEQ + 101, window: 0, ..SEND_TEMPL });
    drain(&mut ep);
    // SND.WND is still 1000 with 100 octets in flight: the next 100 go at once.
    ep.send(at(1200), &bytes[300..]).unwrap();
    recv!(
        ep,
        [Segment {
            seq: LOCAL_SEQ + 301,
            payload: bytes[300..].to_vec(),
            ..RECV_TEMPL
        }]
    );
}

// ===================================================================================================
// ESTABLISHED: closing (RFC 9293 §3.10.4, §3.10.7.4 eighth step)
// ===================================================================================================

#[test]
fn test_established_fin_enters_close_wait() {
    // RFC 9293 §3.10.7.4 eighth: "advance RCV.NXT over the FIN, and send an acknowledgment for the FIN";
    // signal "connection closing" (Eof); ESTABLISHED -> CLOSE-WAIT.
    let mut ep = ep_established();
    send!(ep, time 1000, Segment { flags: Flags::FIN_ACK, ..SEND_TEMPL });
    events!(
        ep,
        [
            app(AppEvent::Eof),
            changed(State::Established, State::CloseWait, Cause::RcvFin),
            tx(Segment {
                ack: REMOTE_SEQ + 2,
                ..RECV_TEMPL
            }),
        ]
    );
}

#[test]
fn test_established_data_with_fin() {
    // RFC 9293 §3.10.7.4 seventh then eighth on one segment: the text is read, then the FIN.
    let mut ep = ep_established();
    send!(ep, time 1000, Segment { flags: Flags::FIN_ACK, payload: b"bye".to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            read(b"bye", PEER_TAG),
            app(AppEvent::Eof),
            changed(State::Established, State::CloseWait, Cause::RcvFin),
            tx(Segment {
                ack: REMOTE_SEQ + 5,
                ..RECV_TEMPL
            }),
        ]
    );
}

#[test]
fn test_established_close_sends_fin() {
    // RFC 9293 §3.10.4, CLOSE in ESTABLISHED: "Queue this until all preceding SENDs have been segmentized,
    // then form a FIN segment and send it. In any case, enter FIN-WAIT-1 state." The FIN occupies one
    // sequence number and is retransmitted like data (RFC 6298 §5.1).
    let mut ep = ep_established();
    assert_eq!(ep.close(at(1000)), Ok(()));
    events!(
        ep,
        [
            changed(State::Established, State::FinWait1, Cause::AppClose),
            tx(Segment {
                flags: Flags::FIN_ACK,
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(1000 + RTO_MS), false),
        ]
    );
    assert_eq!(ep.snd_nxt(), LOCAL_SEQ + 2);
}

#[test]
fn test_established_send_then_close_sends_fin_after_data() {
    // RFC 9293 §3.10.4: the FIN follows "all preceding SENDs": data at SND.NXT, then the FIN after it.
    let mut ep = ep_established();
    ep.send(at(1000), b"abc").unwrap();
    ep.close(at(1000)).unwrap();
    events!(
        ep,
        [
            tx(Segment {
                payload: b"abc".to_vec(),
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(1000 + RTO_MS), false),
            changed(State::Established, State::FinWait1, Cause::AppClose),
            tx(Segment {
                seq: LOCAL_SEQ + 4,
                flags: Flags::FIN_ACK,
                ..RECV_TEMPL
            }),
        ]
    );
}

#[test]
fn test_established_fin_piggybacks_on_last_queued_data() {
    // RFC 9293 §3.10.4: with data still queued (the peer's window is full), close() only queues the FIN;
    // it then rides on the last data segment (§3.10.2 "Segmentize the buffer"). SND.WND = 100 here.
    let bytes = data(150);
    let mut ep = ep_established();
    send!(ep, time 500, Segment { window: 100, ..SEND_TEMPL });
    ep.send(at(1000), &bytes).unwrap();
    events!(
        ep,
        [
            tx(Segment {
                payload: bytes[..100].to_vec(),
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(1000 + RTO_MS), false),
        ]
    );
    ep.close(at(1010)).unwrap();
    events!(
        ep,
        [changed(
            State::Established,
            State::FinWait1,
            Cause::AppClose
        )]
    );
    // The window reopens: the last 50 octets and the FIN in one segment; RTO = 250 ms after the sample.
    send!(ep, time 1100, Segment { ack: LOCAL_SEQ + 101, window: 100, ..SEND_TEMPL });
    events!(
        ep,
        [
            cancelled(Timer::Retransmit),
            tx(Segment {
                seq: LOCAL_SEQ + 101,
                flags: Flags::FIN_ACK,
                payload: bytes[100..].to_vec(),
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(1350), false),
        ]
    );
    send!(ep, time 1200, Segment { ack: LOCAL_SEQ + 152, window: 100, ..SEND_TEMPL });
    events!(
        ep,
        [
            cancelled(Timer::Retransmit),
            changed(State::FinWait1, State::FinWait2, Cause::RcvAckOfFin),
        ]
    );
}

// ===================================================================================================
// FIN-WAIT-1
// ===================================================================================================

#[test]
fn test_fin_wait_1_ack_of_fin_enters_fin_wait_2() {
    // RFC 9293 §3.10.7.4 fifth, FIN-WAIT-1: "if the FIN segment is now acknowledged, then enter
    // FIN-WAIT-2 and continue processing"; RFC 6298 §5.2 stops the timer.
    let mut ep = ep_fin_wait_1();
    send!(ep, time 1100, Segment { ack: LOCAL_SEQ + 2, ..SEND_TEMPL });
    events!(
        ep,
        [
            cancelled(Timer::Retransmit),
            changed(State::FinWait1, State::FinWait2, Cause::RcvAckOfFin),
        ]
    );
}

#[test]
fn test_fin_wait_1_fin_without_ack_of_ours_enters_closing() {
    // RFC 9293 §3.10.7.4 eighth, FIN-WAIT-1: "If our FIN has been ACKed (perhaps in this segment), then
    // enter TIME-WAIT ...; otherwise, enter the CLOSING state." The FIN is acknowledged at once (nothing
    // of ours will carry the ACK), before the state changes.
    let mut ep = ep_fin_wait_1();
    send!(ep, time 1100, Segment { flags: Flags::FIN_ACK, ..SEND_TEMPL });
    events!(
        ep,
        [
            app(AppEvent::Eof),
            tx(Segment {
                seq: LOCAL_SEQ + 2,
                ack: REMOTE_SEQ + 2,
                ..RECV_TEMPL
            }),
            changed(State::FinWait1, State::Closing, Cause::RcvFin),
        ]
    );
    assert_eq!(
        ep.poll_timeout(),
        Some(at(1000 + RTO_MS)),
        "our FIN is still unacknowledged"
    );
}

#[test]
fn test_fin_wait_1_fin_with_ack_of_ours_enters_time_wait() {
    // RFC 9293 §3.10.7.4: the fifth step sees our FIN acknowledged (FIN-WAIT-2), the eighth the peer's
    // FIN: "enter the TIME-WAIT state. Start the time-wait timer, turn off the other timers."
    let mut ep = ep_fin_wait_1();
    send!(ep, time 1100, Segment { flags: Flags::FIN_ACK, ack: LOCAL_SEQ + 2, ..SEND_TEMPL });
    events!(
        ep,
        [
            cancelled(Timer::Retransmit),
            changed(State::FinWait1, State::FinWait2, Cause::RcvAckOfFin),
            app(AppEvent::Eof),
            tx(Segment {
                seq: LOCAL_SEQ + 2,
                ack: REMOTE_SEQ + 2,
                ..RECV_TEMPL
            }),
            changed(State::FinWait2, State::TimeWait, Cause::RcvFin),
            armed(Timer::TimeWait, at(1100) + TWO_MSL, false),
        ]
    );
}

#[test]
fn test_fin_wait_1_data_still_received() {
    // RFC 9293 §3.10.7.4 seventh: "ESTABLISHED STATE, FIN-WAIT-1 STATE, FIN-WAIT-2 STATE: ... deliver
    // segment text to user RECEIVE buffers"; the ACK carries SND.NXT past our FIN.
    let mut ep = ep_fin_wait_1();
    send!(ep, time 1100, Segment { payload: b"abc".to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            read(b"abc", PEER_TAG),
            tx(Segment {
                seq: LOCAL_SEQ + 2,
                ack: REMOTE_SEQ + 4,
                ..RECV_TEMPL
            }),
        ]
    );
    assert_eq!(ep.state(), State::FinWait1);
}

#[test]
fn test_fin_wait_1_fin_retransmitted_on_rto() {
    // RFC 6298 §5.4–5.6: the unacknowledged FIN is retransmitted and RTO doubles (300 -> 600 ms).
    let mut ep = ep_fin_wait_1();
    timeout!(ep, time 1300);
    events!(
        ep,
        [
            fired(Timer::Retransmit),
            tx(Segment {
                flags: Flags::FIN_ACK,
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(1900), false),
        ]
    );
}

// ===================================================================================================
// FIN-WAIT-2
// ===================================================================================================

#[test]
fn test_fin_wait_2_data_still_received() {
    // RFC 9293 §3.10.7.4 seventh: FIN-WAIT-2 still delivers text and acknowledges it.
    let mut ep = ep_fin_wait_2();
    send!(ep, time 1500, Segment { payload: b"hello".to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            read(b"hello", PEER_TAG),
            tx(Segment {
                seq: LOCAL_SEQ + 2,
                ack: REMOTE_SEQ + 6,
                ..RECV_TEMPL
            }),
        ]
    );
}

#[test]
fn test_fin_wait_2_fin_enters_time_wait() {
    // RFC 9293 §3.10.7.4 eighth, FIN-WAIT-2: "Enter the TIME-WAIT state. Start the time-wait timer, turn
    // off the other timers"; the timer is 2MSL (§3.6 "When a connection is closed actively, it MUST linger
    // in the TIME-WAIT state for a time 2xMSL"). The ACK of the FIN is not delayed even with delayed ACKs:
    // nothing of ours will ever carry it.
    let mut ep = ep_fin_wait_2_with(cfg_delayed_ack());
    send!(ep, time 2000, Segment { flags: Flags::FIN_ACK, ack: LOCAL_SEQ + 2, ..SEND_TEMPL });
    events!(
        ep,
        [
            app(AppEvent::Eof),
            tx(Segment {
                seq: LOCAL_SEQ + 2,
                ack: REMOTE_SEQ + 2,
                ..RECV_TEMPL
            }),
            changed(State::FinWait2, State::TimeWait, Cause::RcvFin),
            armed(Timer::TimeWait, at(2000) + TWO_MSL, false),
        ]
    );
    assert_eq!(ep.poll_timeout(), Some(at(62_000)));
}

// ===================================================================================================
// CLOSE-WAIT
// ===================================================================================================

#[test]
fn test_close_wait_send_still_allowed() {
    // RFC 9293 §3.10.2, SEND in CLOSE-WAIT: "Segmentize any text to be sent"; the ACK names the FIN.
    let mut ep = ep_close_wait();
    assert_eq!(ep.send(at(2000), b"late"), Ok(()));
    events!(
        ep,
        [
            tx(Segment {
                ack: REMOTE_SEQ + 2,
                payload: b"late".to_vec(),
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(2000 + RTO_MS), false),
        ]
    );
}

#[test]
fn test_close_wait_close_enters_last_ack() {
    // RFC 9293 §3.10.4, CLOSE in CLOSE-WAIT: "Queue this request until all preceding SENDs have been
    // segmentized; then send a FIN segment, enter LAST-ACK state."
    let mut ep = ep_close_wait();
    assert_eq!(ep.close(at(2000)), Ok(()));
    events!(
        ep,
        [
            changed(State::CloseWait, State::LastAck, Cause::AppClose),
            tx(Segment {
                ack: REMOTE_SEQ + 2,
                flags: Flags::FIN_ACK,
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(2000 + RTO_MS), false),
        ]
    );
}

#[test]
fn test_close_wait_text_ignored() {
    // RFC 9293 §3.10.7.4 seventh, CLOSE-WAIT: "This should not occur since a FIN has been received from the
    // remote side. Ignore the segment text."
    let mut ep = ep_close_wait();
    send!(ep, time 1500, Segment { seq: REMOTE_SEQ + 2, payload: b"zzz".to_vec(), ..SEND_TEMPL });
    events!(ep, []);
    assert_eq!(ep.rcv_nxt(), REMOTE_SEQ + 2);
}

#[test]
fn test_close_wait_retransmitted_fin_acked() {
    // RFC 9293 §3.10.7.4 first step: the peer's FIN again (our ACK was lost) lies below RCV.NXT: it is
    // answered with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
    // A FIN occupies sequence space, so RFC 5961 §7's throttling does not apply (Linux's
    // tcp_oow_rate_limited): a second copy 100 ms later is acknowledged too.
    let mut ep = ep_close_wait();
    send!(ep, time 1500, Segment { flags: Flags::FIN_ACK, ..SEND_TEMPL });
    events!(
        ep,
        [
            discarded(Discard::OutsideWindow),
            tx(Segment {
                ack: REMOTE_SEQ + 2,
                ..RECV_TEMPL
            })
        ]
    );
    send!(ep, time 1600, Segment { flags: Flags::FIN_ACK, ..SEND_TEMPL });
    events!(
        ep,
        [
            discarded(Discard::OutsideWindow),
            tx(Segment {
                ack: REMOTE_SEQ + 2,
                ..RECV_TEMPL
            })
        ]
    );
    assert_eq!(ep.state(), State::CloseWait);
}

// ===================================================================================================
// CLOSING
// ===================================================================================================

#[test]
fn test_closing_ack_of_fin_enters_time_wait() {
    // RFC 9293 §3.10.7.4 fifth, CLOSING: "if the ACK acknowledges our FIN, then enter the TIME-WAIT state;
    // otherwise, ignore the segment"; the 2MSL timer starts.
    let mut ep = ep_closing();
    send!(ep, time 1200, Segment { seq: REMOTE_SEQ + 2, ack: LOCAL_SEQ + 2, ..SEND_TEMPL });
    events!(
        ep,
        [
            cancelled(Timer::Retransmit),
            changed(State::Closing, State::TimeWait, Cause::RcvAckOfFin),
            armed(Timer::TimeWait, at(1200) + TWO_MSL, false),
        ]
    );
}

#[test]
fn test_closing_other_ack_ignored() {
    // RFC 9293 §3.10.7.4 fifth, CLOSING: an ACK that does not acknowledge our FIN is ignored.
    let mut ep = ep_closing();
    send!(ep, time 1200, Segment { seq: REMOTE_SEQ + 2, ..SEND_TEMPL });
    events!(ep, []);
    assert_eq!(ep.state(), State::Closing);
}

#[test]
fn test_closing_fin_retransmitted_on_rto() {
    // RFC 6298 §5.4–5.6: our unacknowledged FIN is retransmitted, now acknowledging the peer's FIN.
    let mut ep = ep_closing();
    timeout!(ep, time 1300);
    events!(
        ep,
        [
            fired(Timer::Retransmit),
            tx(Segment {
                ack: REMOTE_SEQ + 2,
                flags: Flags::FIN_ACK,
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(1900), false),
        ]
    );
}

// ===================================================================================================
// LAST-ACK
// ===================================================================================================

#[test]
fn test_last_ack_ack_of_fin_closes() {
    // RFC 9293 §3.10.7.4 fifth, LAST-ACK: "The only thing that can arrive in this state is an
    // acknowledgment of our FIN. If our FIN is now acknowledged, delete the TCB, enter the CLOSED state,
    // and return." The application's close completes.
    let mut ep = ep_last_ack();
    send!(ep, time 2100, Segment { seq: REMOTE_SEQ + 2, ack: LOCAL_SEQ + 2, ..SEND_TEMPL });
    events!(
        ep,
        [
            cancelled(Timer::Retransmit),
            app(AppEvent::Closed),
            changed(State::LastAck, State::Closed, Cause::RcvAckOfFin),
        ]
    );
    assert_eq!(ep.poll_timeout(), None);
}

#[test]
fn test_last_ack_rst_closes() {
    // RFC 9293 §3.10.7.4 second, CLOSING/LAST-ACK/TIME-WAIT: "If the RST bit is set, then enter the CLOSED
    // state, delete the TCB, and return"; the pending close learns of the reset.
    let mut ep = ep_last_ack();
    send!(ep, time 2100, Segment { seq: REMOTE_SEQ + 2, flags: Flags::RST, ..SEND_TEMPL });
    events!(
        ep,
        [
            app(AppEvent::Reset),
            changed(State::LastAck, State::Closed, Cause::RcvRst),
            cancelled(Timer::Retransmit),
        ]
    );
}

#[test]
fn test_last_ack_fin_retransmitted_on_rto() {
    // RFC 6298 §5.4–5.6: the FIN is retransmitted with backoff (300 -> 600 -> 1200 ms).
    let fin = Segment {
        ack: REMOTE_SEQ + 2,
        flags: Flags::FIN_ACK,
        ..RECV_TEMPL
    };
    let mut ep = ep_last_ack();
    retransmits!(ep, time 2300, fin.clone(), next 2900);
    retransmits!(ep, time 2900, fin, next 4100);
}

#[test]
fn test_last_ack_retransmitted_fin_acked() {
    // RFC 9293 §3.10.7.4 first step: the peer's FIN again lies below RCV.NXT; reply
    // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and stay in LAST-ACK (eighth step: "Remain in the LAST-ACK state").
    let mut ep = ep_last_ack();
    send!(ep, time 2100, Segment { flags: Flags::FIN_ACK, ..SEND_TEMPL });
    events!(
        ep,
        [
            discarded(Discard::OutsideWindow),
            tx(Segment {
                seq: LOCAL_SEQ + 2,
                ack: REMOTE_SEQ + 2,
                ..RECV_TEMPL
            })
        ]
    );
    assert_eq!(ep.state(), State::LastAck);
}

// ===================================================================================================
// TIME-WAIT
// ===================================================================================================

#[test]
fn test_time_wait_retransmitted_fin_acked_and_timer_restarted() {
    // RFC 9293 §3.10.7.4 eighth, TIME-WAIT: "The only thing that can arrive in this state is a
    // retransmission of the remote FIN. Acknowledge it, and restart the 2 MSL timeout."
    let mut ep = ep_time_wait();
    send!(ep, time 10_000, Segment { flags: Flags::FIN_ACK, ack: LOCAL_SEQ + 2, ..SEND_TEMPL });
    events!(
        ep,
        [
            armed(Timer::TimeWait, at(10_000) + TWO_MSL, true),
            tx(Segment {
                seq: LOCAL_SEQ + 2,
                ack: REMOTE_SEQ + 2,
                ..RECV_TEMPL
            }),
        ]
    );
    assert_eq!(ep.poll_timeout(), Some(at(70_000)));
    // The old expiry no longer closes it.
    timeout!(ep, time 62_000);
    events!(ep, []);
    assert_eq!(ep.state(), State::TimeWait);
}

#[test]
fn test_time_wait_timer_expiry_closes() {
    // RFC 9293 §3.10.8, TIME-WAIT TIMEOUT: "If the time-wait timeout expires on a connection, delete the
    // TCB, enter the CLOSED state, and return." A spurious earlier timeout changes nothing.
    let mut ep = ep_time_wait();
    assert_eq!(ep.poll_timeout(), Some(at(62_000)));
    timeout!(ep, time 61_999);
    events!(ep, []);
    timeout!(ep, time 62_000);
    events!(
        ep,
        [
            fired(Timer::TimeWait),
            changed(State::TimeWait, State::Closed, Cause::TimeWaitExpired),
        ]
    );
    assert_eq!(ep.poll_timeout(), None);
}

#[test]
fn test_time_wait_rst_at_rcv_nxt_assassinates() {
    // RFC 9293 §3.10.7.4 second, TIME-WAIT: "If the RST bit is set, then enter the CLOSED state, delete the
    // TCB, and return" — RFC 1337 §2 calls this TIME-WAIT assassination (hazard H1).
    let mut ep = ep_time_wait();
    send!(ep, time 5000, Segment { seq: REMOTE_SEQ + 2, ack: LOCAL_SEQ + 2, flags: Flags::RST, ..SEND_TEMPL });
    events!(
        ep,
        [
            changed(State::TimeWait, State::Closed, Cause::RcvRst),
            cancelled(Timer::TimeWait),
        ]
    );
    assert_eq!(ep.poll_timeout(), None);
}

#[test]
fn test_time_wait_rst_ignored_with_rfc1337() {
    // RFC 1337 §3: "Fix: Ignore RST segments in TIME-WAIT state." The 2MSL timer keeps running.
    let mut ep = ep_time_wait_with(Config {
        rfc1337: true,
        ..cfg()
    });
    send!(ep, time 5000, Segment { seq: REMOTE_SEQ + 2, ack: LOCAL_SEQ + 2, flags: Flags::RST, ..SEND_TEMPL });
    events!(ep, [discarded(Discard::RstInTimeWait)]);
    assert_eq!(ep.state(), State::TimeWait);
    assert_eq!(ep.poll_timeout(), Some(at(62_000)));
}

#[test]
fn test_time_wait_rst_in_window_gets_challenge_ack() {
    // RFC 5961 §3.2: a RST in the window but not at RCV.NXT draws a challenge ACK, also in TIME-WAIT.
    let mut ep = ep_time_wait();
    send!(ep, time 5000, Segment { seq: REMOTE_SEQ + 3, flags: Flags::RST, ..SEND_TEMPL });
    events!(
        ep,
        [
            discarded(Discard::RstChallenge),
            tx(Segment {
                seq: LOCAL_SEQ + 2,
                ack: REMOTE_SEQ + 2,
                ..RECV_TEMPL
            })
        ]
    );
    assert_eq!(ep.state(), State::TimeWait);
}

#[test]
fn test_time_wait_skipped_when_disabled() {
    // The lab's "what if" world (cfg.time_wait = None): RFC 9293 §3.10.7.4 eighth enters TIME-WAIT and
    // the endpoint passes straight through it to CLOSED; the ACK of the FIN still goes out, before the TCB
    // is deleted.
    let mut ep = ep_fin_wait_2_with(Config {
        time_wait: None,
        ..cfg()
    });
    send!(ep, time 2000, Segment { flags: Flags::FIN_ACK, ack: LOCAL_SEQ + 2, ..SEND_TEMPL });
    events!(
        ep,
        [
            app(AppEvent::Eof),
            tx(Segment {
                seq: LOCAL_SEQ + 2,
                ack: REMOTE_SEQ + 2,
                ..RECV_TEMPL
            }),
            changed(State::FinWait2, State::TimeWait, Cause::RcvFin),
            changed(State::TimeWait, State::Closed, Cause::TimeWaitSkipped),
        ]
    );
    assert_eq!(ep.poll_timeout(), None);
}

#[test]
fn test_time_wait_reopened_only_by_bare_syn_beyond_rcv_nxt() {
    // RFC 9293 §3.6.1 / RFC 1122 §4.2.2.13: in TIME-WAIT a new SYN may reopen the connection if its
    // sequence number is larger than the largest of the old incarnation (RCV.NXT = REMOTE_SEQ+2 here).
    let ep = ep_time_wait();
    let syn = |seq: SeqNum, flags: Flags| Segment {
        seq,
        ack: SeqNum(0),
        flags,
        ..SEND_TEMPL
    };
    assert!(ep.reopens_time_wait(&syn(REMOTE_SEQ + 3, Flags::SYN)));
    assert!(ep.reopens_time_wait(&syn(REMOTE_SEQ + 100_000, Flags::SYN)));
    assert!(
        !ep.reopens_time_wait(&syn(REMOTE_SEQ + 2, Flags::SYN)),
        "at RCV.NXT: not beyond"
    );
    assert!(
        !ep.reopens_time_wait(&syn(REMOTE_SEQ, Flags::SYN)),
        "an old SYN"
    );
    assert!(!ep.reopens_time_wait(&syn(REMOTE_SEQ + 3, Flags::SYN_ACK)));
    let syn_rst = Flags {
        rst: true,
        ..Flags::SYN
    };
    assert!(!ep.reopens_time_wait(&syn(REMOTE_SEQ + 3, syn_rst)));
    assert!(!ep.reopens_time_wait(&syn(REMOTE_SEQ + 3, Flags::ACK)));
    // Only TIME-WAIT can be reopened.
    assert!(!ep_established().reopens_time_wait(&syn(REMOTE_SEQ + 100_000, Flags::SYN)));
}

#[test]
fn test_time_wait_close_for_new_syn() {
    // RFC 9293 §3.6.1: the old TCB goes when a new SYN reopens the pair; its 2MSL timer with it.
    let mut ep = ep_time_wait();
    ep.close_for_new_syn();
    events!(
        ep,
        [
            changed(State::TimeWait, State::Closed, Cause::RcvSyn),
            cancelled(Timer::TimeWait),
        ]
    );
}

#[test]
fn test_time_wait_ack_ignored() {
    // RFC 9293 §3.10.7.4 fifth, TIME-WAIT: only a retransmitted FIN is expected; a plain in-window ACK
    // draws nothing and the timer is not restarted.
    let mut ep = ep_time_wait();
    send!(ep, time 5000, Segment { seq: REMOTE_SEQ + 2, ack: LOCAL_SEQ + 2, ..SEND_TEMPL });
    events!(ep, []);
    assert_eq!(ep.poll_timeout(), Some(at(62_000)));
}

// ===================================================================================================
// Delayed ACK (RFC 9293 §3.8.6.3; RFC 5681 §4.2), ack_delay = 200 ms
// ===================================================================================================

#[test]
fn test_delayed_ack_waits_then_timer_sends_it() {
    // RFC 9293 §3.8.6.3: the ACK for in-order data may wait (at most 0.5 s); when the timer fires, it goes.
    let mut ep = ep_established_with(cfg_delayed_ack());
    send!(ep, time 1000, Segment { payload: b"abc".to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            read(b"abc", PEER_TAG),
            armed(Timer::DelayedAck, at(1200), false)
        ]
    );
    assert_eq!(ep.poll_timeout(), Some(at(1200)));
    timeout!(ep, time 1199);
    events!(ep, []);
    timeout!(ep, time 1200);
    recv!(
        ep,
        [Segment {
            ack: REMOTE_SEQ + 4,
            ..RECV_TEMPL
        }]
    );
    assert_eq!(ep.poll_timeout(), None);
}

#[test]
fn test_delayed_ack_timer_fires_without_being_cancelled() {
    // Event contract (not an RFC rule): a timer that fired is not running any more, so it cannot also be
    // cancelled; TIME-WAIT and Retransmit clear their deadline before acting, DelayedAck does not.
    let mut ep = ep_established_with(cfg_delayed_ack());
    send!(ep, time 1000, Segment { payload: b"abc".to_vec(), ..SEND_TEMPL });
    drain(&mut ep);
    timeout!(ep, time 1200);
    events!(
        ep,
        [
            fired(Timer::DelayedAck),
            tx(Segment {
                ack: REMOTE_SEQ + 4,
                ..RECV_TEMPL
            })
        ]
    );
}

#[test]
fn test_delayed_ack_rides_on_outgoing_data() {
    // RFC 9293 §3.8.6.3: the point of the delay is that the ACK can ride on data the application sends.
    let mut ep = ep_established_with(cfg_delayed_ack());
    send!(ep, time 1000, Segment { payload: b"abc".to_vec(), ..SEND_TEMPL });
    drain(&mut ep);
    ep.send(at(1100), b"xyz").unwrap();
    events!(
        ep,
        [
            cancelled(Timer::DelayedAck),
            tx(Segment {
                ack: REMOTE_SEQ + 4,
                payload: b"xyz".to_vec(),
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(1100 + RTO_MS), false),
        ]
    );
    assert_eq!(ep.poll_timeout(), Some(at(1100 + RTO_MS)));
}

#[test]
fn test_delayed_ack_rides_on_fin() {
    // RFC 9293 §3.8.6.3 and §3.10.4: the delayed ACK rides on our FIN when the application closes in time.
    let mut ep = ep_established_with(cfg_delayed_ack());
    send!(ep, time 1000, Segment { payload: b"abc".to_vec(), ..SEND_TEMPL });
    drain(&mut ep);
    ep.close(at(1100)).unwrap();
    events!(
        ep,
        [
            changed(State::Established, State::FinWait1, Cause::AppClose),
            cancelled(Timer::DelayedAck),
            tx(Segment {
                ack: REMOTE_SEQ + 4,
                flags: Flags::FIN_ACK,
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(1100 + RTO_MS), false),
        ]
    );
}

#[test]
fn test_delayed_ack_of_fin_in_established_rides_on_our_fin() {
    // RFC 9293 §3.8.6.3: the ACK of a FIN received in ESTABLISHED may wait too (like Linux's pingpong
    // mode); when the application closes from CLOSE-WAIT, it rides on our FIN.
    let mut ep = ep_established_with(cfg_delayed_ack());
    send!(ep, time 1000, Segment { flags: Flags::FIN_ACK, ..SEND_TEMPL });
    events!(
        ep,
        [
            app(AppEvent::Eof),
            changed(State::Established, State::CloseWait, Cause::RcvFin),
            armed(Timer::DelayedAck, at(1200), false),
        ]
    );
    ep.close(at(1100)).unwrap();
    events!(
        ep,
        [
            changed(State::CloseWait, State::LastAck, Cause::AppClose),
            cancelled(Timer::DelayedAck),
            tx(Segment {
                ack: REMOTE_SEQ + 2,
                flags: Flags::FIN_ACK,
                ..RECV_TEMPL
            }),
            armed(Timer::Retransmit, at(1100 + RTO_MS), false),
        ]
    );
}

#[test]
fn test_delayed_ack_sent_at_once_for_second_full_segment() {
    // RFC 9293 §3.8.6.3 (RFC 5681 §4.2): "an ACK SHOULD be generated for at least every second full-sized
    // segment".
    let bytes = data(200);
    let mut ep = ep_established_with(cfg_delayed_ack());
    send!(ep, time 1000, Segment { payload: bytes[..100].to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            read(&bytes[..100], PEER_TAG),
            armed(Timer::DelayedAck, at(1200), false)
        ]
    );
    send!(ep, time 1050, Segment { seq: REMOTE_SEQ + 101, payload: bytes[100..].to_vec(), ..SEND_TEMPL });
    events!(
        ep,
        [
            read(&bytes[100..], PEER_TAG),
            cancelled(Timer::DelayedAck),
            tx(Segment {
                ack: REMOTE_SEQ + 201,
                ..RECV_TEMPL
            }),
        ]
    );
}

#[test]
fn test_delayed_ack_sent_at_once_for_out_of_order_data() {
    // RFC 5681 §4.2 / RFC 9293 §3.8.6.3: "an out-of-order data segment SHOULD be acknowledged
    // immediately", so the sender learns of the gap.
    let mut ep = ep_established_with(cfg_delayed_ack());
    send!(ep, time 1000, Segment { seq: REMOTE_SEQ + 11, payload: b"later".to_vec(), ..SEND_TEMPL });
    events!(ep, [tx(RECV_TEMPL)]);
    assert_eq!(ep.poll_timeout(), None);
}

// ===================================================================================================
// ACK throttling (RFC 5961 §7)
// ===================================================================================================

#[test]
fn test_throttle_out_of_window_pure_acks() {
    // RFC 5961 §7: replies to unacceptable segments are rate-limited; here one per ACK_THROTTLE (500 ms),
    // which is what ends an ACK war.
    assert_eq!(ACK_THROTTLE, Duration::from_millis(500));
    let mut ep = ep_established();
    let stray = Segment {
        seq: REMOTE_SEQ + 5000,
        ..SEND_TEMPL
    };
    send!(ep, time 1000, stray.clone());
    events!(ep, [discarded(Discard::OutsideWindow), tx(RECV_TEMPL)]);
    send!(ep, time 1200, stray.clone());
    events!(ep, [discarded(Discard::OutsideWindow)]);
    send!(ep, time 1499, stray.clone());
    events!(ep, [discarded(Discard::OutsideWindow)]);
    send!(ep, time 1500, stray);
    events!(ep, [discarded(Discard::OutsideWindow), tx(RECV_TEMPL)]);
}

#[test]
fn test_throttle_challenge_acks_share_the_limit() {
    // RFC 5961 §7: challenge ACKs (RST in window §3, SYN §4, ACK beyond SND.NXT §5) count against the same
    // limit.
    let mut ep = ep_established();
    send!(ep, time 1000, Segment { seq: REMOTE_SEQ + 2, flags: Flags::RST, ..SEND_TEMPL });
    events!(ep, [discarded(Discard::RstChallenge), tx(RECV_TEMPL)]);
    send!(ep, time 1100, Segment { ack: SeqNum(0), flags: Flags::SYN, ..SEND_TEMPL });
    events!(ep, [discarded(Discard::SynChallenge)]);
    send!(ep, time 1200, Segment { ack: LOCAL_SEQ + 50, ..SEND_TEMPL });
    events!(ep, [discarded(Discard::AckOfUnsent)]);
    send!(ep, time 1500, Segment { ack: SeqNum(0), flags: Flags::SYN, ..SEND_TEMPL });
    events!(ep, [discarded(Discard::SynChallenge), tx(RECV_TEMPL)]);
    assert_eq!(ep.state(), State::Established);
}

#[test]
fn test_throttle_spares_replies_to_data() {
    // RFC 5961 §7 targets ACK wars; a segment carrying data is not part of one (Linux's
    // tcp_oow_rate_limited): every out-of-window data segment gets its ACK, and those replies do not use
    // up the pure ACKs' allowance.
    let mut ep = ep_established();
    let far_data = Segment {
        seq: REMOTE_SEQ + 5000,
        payload: b"zz".to_vec(),
        ..SEND_TEMPL
    };
    for t in [1000, 1100, 1200] {
        send!(ep, time t, far_data.clone());
        events!(ep, [discarded(Discard::OutsideWindow), tx(RECV_TEMPL)]);
    }
    let stray = Segment {
        seq: REMOTE_SEQ + 5000,
        ..SEND_TEMPL
    };
    send!(ep, time 1300, stray.clone());
    events!(ep, [discarded(Discard::OutsideWindow), tx(RECV_TEMPL)]);
    send!(ep, time 1400, stray);
    events!(ep, [discarded(Discard::OutsideWindow)]);
}

// ===================================================================================================
// User call errors (RFC 9293 §3.10.2 SEND, §3.10.4 CLOSE)
// ===================================================================================================

#[test]
fn test_send_after_close_is_connection_closing() {
    // RFC 9293 §3.10.2, SEND in FIN-WAIT-1/FIN-WAIT-2/CLOSING/LAST-ACK/TIME-WAIT: "Return 'error:
    // connection closing' and do not service request."
    let mut ep = ep_fin_wait_1();
    assert_eq!(
        ep.send(at(1050), b"more"),
        Err(CallError::ConnectionClosing)
    );
    events!(ep, []);
    for mut ep in [ep_fin_wait_2(), ep_closing(), ep_last_ack(), ep_time_wait()] {
        assert_eq!(
            ep.send(at(3000), b"more"),
            Err(CallError::ConnectionClosing),
            "in {}",
            ep.state()
        );
        events!(ep, []);
    }
}

#[test]
fn test_close_twice_is_connection_closing() {
    // RFC 9293 §3.10.4, CLOSE in FIN-WAIT-1/FIN-WAIT-2: "Strictly speaking, this is an error and should
    // receive an 'error: connection closing' response"; CLOSING/LAST-ACK/TIME-WAIT: "Respond with 'error:
    // connection closing'".
    let mut ep = ep_established();
    assert_eq!(ep.close(at(1000)), Ok(()));
    drain(&mut ep);
    assert_eq!(ep.close(at(1010)), Err(CallError::ConnectionClosing));
    events!(ep, []);
    for mut ep in [ep_fin_wait_2(), ep_closing(), ep_last_ack(), ep_time_wait()] {
        assert_eq!(
            ep.close(at(3000)),
            Err(CallError::ConnectionClosing),
            "in {}",
            ep.state()
        );
        events!(ep, []);
    }
}

#[test]
fn test_calls_after_reset_connection_does_not_exist() {
    // RFC 9293 §3.10.2 and §3.10.4, CLOSED: "return 'error: connection does not exist'".
    let mut ep = ep_established();
    send!(ep, time 1000, Segment { flags: Flags::RST, ..SEND_TEMPL });
    drain(&mut ep);
    assert_eq!(
        ep.send(at(1100), b"x"),
        Err(CallError::ConnectionDoesNotExist)
    );
    assert_eq!(ep.close(at(1100)), Err(CallError::ConnectionDoesNotExist));
    events!(ep, []);
}

#[test]
fn test_close_after_orderly_close_connection_does_not_exist() {
    // RFC 9293 §3.10.4, CLOSE in CLOSED: "return 'error: connection does not exist'" — whatever the path
    // to CLOSED. close() tests `fin_queued` before the state.
    let mut ep = ep_time_wait();
    timeout!(ep, time 62_000);
    drain(&mut ep);
    assert_eq!(ep.state(), State::Closed);
    assert_eq!(
        ep.send(at(63_000), b"x"),
        Err(CallError::ConnectionDoesNotExist)
    );
    assert_eq!(ep.close(at(63_000)), Err(CallError::ConnectionDoesNotExist));
}

// ---- SYN options: MSS, SACK-permitted, window scale -------------------------------------------------

/// A configuration that offers SACK and window scaling, as the `linux` profile does.
fn cfg_options() -> Config {
    Config {
        sack: true,
        window_scaling: true,
        ..cfg()
    }
}

#[test]
fn test_syn_offers_mss_sack_and_window_scale() {
    // RFC 9293 §3.7.1 (MSS), RFC 2018 §2 (SACK-permitted, "only in a SYN"), RFC 7323 §2.2 (window scale:
    // "sent in a <SYN> segment"). A SYN's own window is never scaled (§2.3).
    let mut ep = Endpoint::connect(at(0), cfg_options(), LOCAL_PORT, REMOTE_PORT, LOCAL_SEQ);
    let syn = &transmitted(drain(&mut ep))[0];
    assert_eq!(
        syn.options.as_deref(),
        Some(&Options {
            mss: Some(MSS),
            sack_permitted: true,
            sack: Vec::new(),
            window_scale: Some(WINDOW_SCALE),
        })
    );
    assert_eq!(syn.window, WINDOW);
}

#[test]
fn test_syn_ack_offers_only_what_the_peer_offered() {
    // RFC 7323 §2.2: window scale MAY be sent in a <SYN,ACK> only if it was received in the <SYN>; RFC
    // 2018 §2: SACK-permitted likewise. Without them neither side scales.
    let mut ep = Endpoint::accept(at(0), cfg_options(), &peer_syn(), LOCAL_SEQ);
    let syn_ack = &transmitted(drain(&mut ep))[0];
    assert_eq!(syn_ack.options, our_syn_options());
    send!(ep, time 100, SEND_TEMPL);
    ep.send(at(100), b"hello").unwrap();
    let data = transmitted(drain(&mut ep));
    assert!(data
        .iter()
        .all(|s| s.window == WINDOW && s.options.is_none()));
}

#[test]
fn test_windows_are_scaled_once_both_syns_offered_it() {
    // RFC 7323 §2.3: once both SYNs carried window scale, every later window field is shifted: ours right
    // by our shift, the peer's left by its own (here 7), so a window field of 1 lets 128 octets go.
    let syn = Segment {
        options: Some(Box::new(Options {
            mss: Some(1460),
            sack_permitted: true,
            sack: Vec::new(),
            window_scale: Some(7),
        })),
        ..peer_syn()
    };
    let mut ep = Endpoint::accept(at(0), cfg_options(), &syn, LOCAL_SEQ);
    let syn_ack = &transmitted(drain(&mut ep))[0];
    let offered = syn_ack.options.as_deref().unwrap();
    assert!(offered.sack_permitted);
    assert_eq!(offered.window_scale, Some(WINDOW_SCALE));
    assert_eq!(syn_ack.window, WINDOW, "a SYN,ACK's window is not scaled");
    send!(ep, time 100, Segment { window: 1, ..SEND_TEMPL });
    ep.send(at(100), &[b'x'; 200]).unwrap();
    let sent = transmitted(drain(&mut ep));
    let bytes: usize = sent.iter().map(|s| s.payload.len()).sum();
    assert_eq!(bytes, 128);
    assert_eq!(sent[0].window, WINDOW >> WINDOW_SCALE);
}
