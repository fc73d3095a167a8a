//! One end of one TCP connection (a TCB, RFC 9293 §3.3.1), as a sans-IO state machine.
//!
//! The caller feeds it inputs with the current virtual time and drains its outputs:
//! - inputs: [`Endpoint::connect`] or [`Endpoint::accept`] to create it, then [`Endpoint::handle_segment`],
//!   [`Endpoint::handle_timeout`] and the user calls [`Endpoint::send`] and [`Endpoint::close`];
//! - outputs, after every input: [`Endpoint::poll_event`] until `None` (segments to send come in the same
//!   queue, in the order things happened), then [`Endpoint::poll_timeout`] for when to call
//!   `handle_timeout` next.
//!
//! Segment arrival follows the numbered steps of RFC 9293 §3.10.7; each transition names its section.
//! Every segment and every delivered byte carries an opaque `tag` (the simulation uses the connection
//! that sent it), so that bytes from an earlier incarnation can be recognised when they are read.

use crate::discard::Discard;
use crate::rtt::{RtoBounds, RttEstimator};
use crate::segment::{Flags, Segment, Timestamps};
use crate::seq::SeqNum;
use crate::state::State;
use crate::time::{Duration, Instant};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::fmt;

/// RFC 5961 §7 asks for ACK throttling without fixing a rate; this is Linux's `tcp_invalid_ratelimit`.
pub const ACK_THROTTLE: Duration = Duration::from_millis(500);

/// What an endpoint needs to know of the scenario's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub mss: u16,
    pub window: u16,
    pub rto: RtoBounds,
    /// Retransmissions of one segment before giving up (RFC 9293 §3.8.3, threshold R2).
    pub max_retries: u32,
    /// How long TIME-WAIT lasts; `None` skips it (the "what if" world).
    pub time_wait: Option<Duration>,
    /// Delayed ACK (RFC 9293 §3.8.6.3): wait this long for a segment to ride on; zero ACKs at once.
    pub ack_delay: Duration,
    /// RFC 1337's fix: ignore RST segments in TIME-WAIT instead of closing.
    pub rfc1337: bool,
    /// Linux's quick-ACK mode (`tcp_in_quickack_mode`): the first [`QUICK_ACKS`] data segments of a
    /// connection are acknowledged at once whatever `ack_delay` says. A FIN that moves us to CLOSE-WAIT
    /// still waits for the delayed-ACK timer: Linux enters its "pingpong" mode there (`tcp_fin`), hoping
    /// that our own FIN will carry the ACK.
    pub quick_ack: bool,
    /// Linux's rules for a socket the application has closed (an orphan, `SOCK_DEAD`): in FIN-WAIT-2 it
    /// lives this long (`tcp_fin_timeout`) and then goes silently; with TIME-WAIT skipped it cannot be held
    /// at all (Linux keeps it in a TIME-WAIT bucket); and new data for it is answered by RST
    /// (`tcp_rcv_state_process`, "abort on data"). `None`: RFC 9293, which has no such rules.
    pub orphan_fin_wait_2: Option<Duration>,
    /// Send the timestamps option (RFC 7323) and apply PAWS (§5) and RFC 6191 in TIME-WAIT. TSval is a
    /// millisecond clock: virtual time, the same for every connection of a host, so it only ever grows
    /// across incarnations of a socket pair (as Linux's per-pair offset keeps it).
    pub timestamps: bool,
}

/// Linux's `TCP_MAX_QUICKACKS`: how many segments quick-ACK mode acknowledges at once.
pub const QUICK_ACKS: u32 = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Timer {
    Retransmit,
    TimeWait,
    DelayedAck,
    /// Linux's time-out for an orphaned FIN-WAIT-2 (`tcp_fin_timeout`).
    FinWait2,
}

/// Why a state changed: the narration and the state-diagram check read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    ActiveOpen,
    PassiveOpen,
    RcvSyn,
    RcvSynAck,
    RcvAck,
    AppClose,
    RcvFin,
    RcvAckOfFin,
    TimeWaitExpired,
    TimeWaitSkipped,
    RcvRst,
    RetriesExhausted,
    /// Linux: an orphaned FIN-WAIT-2 timed out, or could not be held without TIME-WAIT.
    FinWait2Timeout,
    /// Linux: new data reached a socket its application had closed.
    DataAfterClose,
}

impl Cause {
    /// A few words for listings; the page has its own, translated.
    pub fn describe(self) -> &'static str {
        match self {
            Cause::ActiveOpen => "connect",
            Cause::PassiveOpen => "listen",
            Cause::RcvSyn => "SYN received",
            Cause::RcvSynAck => "SYN,ACK received",
            Cause::RcvAck => "ACK of SYN received",
            Cause::AppClose => "application closed",
            Cause::RcvFin => "FIN received",
            Cause::RcvAckOfFin => "our FIN acknowledged",
            Cause::TimeWaitExpired => "2MSL timer expired",
            Cause::TimeWaitSkipped => "TIME-WAIT skipped",
            Cause::RcvRst => "RST received",
            Cause::RetriesExhausted => "retransmissions exhausted",
            Cause::FinWait2Timeout => "orphaned FIN-WAIT-2 dropped",
            Cause::DataAfterClose => "data after close: RST",
        }
    }
}

/// What the application learns (the user interface of RFC 9293 §3.9, reduced to events).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppEvent {
    Connected,
    Read {
        bytes: Vec<u8>,
        tag: u32,
    },
    /// The peer's FIN: no more data will come.
    Eof,
    /// The application's close completed: our FIN was acknowledged and the peer's received.
    Closed,
    Reset,
    TimedOut,
}

/// A state change, as the endpoint reports it and the trace records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StateChange {
    pub from: State,
    pub to: State,
    pub cause: Cause,
}

/// A timer started (or restarted: it was already running), as reported and recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TimerArm {
    pub timer: Timer,
    pub expires: Instant,
    pub restart: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    StateChanged(StateChange),
    TimerArmed(TimerArm),
    TimerCancelled {
        timer: Timer,
    },
    TimerFired {
        timer: Timer,
    },
    App(AppEvent),
    /// A segment to put on the wire.
    Transmit(Segment),
    /// The segment just handed to [`Endpoint::handle_segment`] was discarded, and why.
    Discarded(Discard),
}

/// Errors of the user calls, with the RFC's wording (§3.10.2, §3.10.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallError {
    ConnectionClosing,
    ConnectionDoesNotExist,
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            CallError::ConnectionClosing => "error: connection closing",
            CallError::ConnectionDoesNotExist => "error: connection does not exist",
        })
    }
}

/// Bytes that arrived ahead of RCV.NXT, held until the gap fills (RFC 9293 §3.10.7.4, seventh step:
/// segments with higher beginning sequence numbers may be held for later processing).
#[derive(Clone, Debug)]
struct Held {
    bytes: Vec<u8>,
    fin: bool,
    tag: u32,
}

#[derive(Clone, Debug)]
pub struct Endpoint {
    cfg: Config,
    state: State,
    local_port: u16,
    remote_port: u16,
    /// Whether this TCB came from a passive OPEN (a SYN to a listener).
    passive: bool,
    iss: SeqNum,
    snd_una: SeqNum,
    snd_nxt: SeqNum,
    snd_wnd: u32,
    rcv_nxt: SeqNum,
    /// Data not yet acknowledged, starting at SND.UNA (after the SYN): sent bytes first, then unsent.
    send_buf: VecDeque<u8>,
    /// The application called close or shutdown: a FIN follows the data.
    fin_queued: bool,
    /// Sequence number of our FIN once it has been sent.
    fin_seq: Option<SeqNum>,
    /// Early arrivals keyed by their place in the received stream (`rcv_pos` counts consumed octets).
    held: BTreeMap<u64, Held>,
    rcv_pos: u64,
    rtt: RttEstimator,
    /// The segment being timed for an RTT sample (Karn: never a retransmitted one, RFC 6298 §3).
    rtt_probe: Option<(SeqNum, Instant)>,
    retransmit_at: Option<Instant>,
    retries: u32,
    time_wait_at: Option<Instant>,
    fin_wait_2_at: Option<Instant>,
    /// The application has closed the socket (not just shut down its sending half).
    orphaned: bool,
    /// TS.Recent (RFC 7323 §4.3) once the peer's SYN showed it uses timestamps.
    ts_recent: Option<u32>,
    delayed_ack_at: Option<Instant>,
    /// An ACK is owed; `ack_now` if it may not be delayed.
    ack_due: bool,
    ack_now: bool,
    ack_limited: bool,
    last_limited_ack: Option<Instant>,
    /// In-order data segments received since our last ACK.
    unacked_segments: u32,
    /// Data segments quick-ACK mode will still acknowledge at once.
    quick_acks_left: u32,
    events: VecDeque<Event>,
}

impl Endpoint {
    fn new(cfg: Config, local_port: u16, remote_port: u16, iss: SeqNum, passive: bool) -> Self {
        Endpoint {
            rtt: RttEstimator::new(cfg.rto),
            quick_acks_left: if cfg.quick_ack { QUICK_ACKS } else { 0 },
            snd_wnd: u32::from(cfg.window),
            cfg,
            state: if passive {
                State::Listen
            } else {
                State::Closed
            },
            local_port,
            remote_port,
            passive,
            iss,
            snd_una: iss,
            snd_nxt: iss,
            rcv_nxt: SeqNum(0),
            send_buf: VecDeque::new(),
            fin_queued: false,
            fin_seq: None,
            held: BTreeMap::new(),
            rcv_pos: 0,
            rtt_probe: None,
            retransmit_at: None,
            retries: 0,
            time_wait_at: None,
            fin_wait_2_at: None,
            orphaned: false,
            ts_recent: None,
            delayed_ack_at: None,
            ack_due: false,
            ack_now: false,
            ack_limited: false,
            last_limited_ack: None,
            unacked_segments: 0,
            events: VecDeque::new(),
        }
    }

    /// Active OPEN (RFC 9293 §3.10.1, CLOSED state): send <SEQ=ISS><CTL=SYN>, enter SYN-SENT.
    pub fn connect(
        now: Instant,
        cfg: Config,
        local_port: u16,
        remote_port: u16,
        iss: SeqNum,
    ) -> Self {
        let mut ep = Endpoint::new(cfg, local_port, remote_port, iss, false);
        ep.set_state(State::SynSent, Cause::ActiveOpen);
        ep.transmit(now, ep.iss, Flags::SYN, Vec::new());
        ep.snd_nxt = ep.iss + 1;
        ep.arm_retransmit(now, true);
        ep
    }

    /// A SYN reached a listener (RFC 9293 §3.10.7.2, LISTEN state, third check): RCV.NXT <- SEG.SEQ+1,
    /// send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, enter SYN-RECEIVED.
    pub fn accept(now: Instant, cfg: Config, syn: &Segment, iss: SeqNum) -> Self {
        let mut ep = Endpoint::new(cfg, syn.dst_port, syn.src_port, iss, true);
        ep.ts_recent = syn.ts.filter(|_| ep.cfg.timestamps).map(|ts| ts.val);
        ep.rcv_nxt = syn.seq + 1;
        ep.snd_wnd = u32::from(syn.window);
        ep.set_state(State::SynReceived, Cause::RcvSyn);
        ep.transmit(now, ep.iss, Flags::SYN_ACK, Vec::new());
        ep.snd_nxt = ep.iss + 1;
        ep.arm_retransmit(now, true);
        ep
    }

    pub fn state(&self) -> State {
        self.state
    }
    pub fn local_port(&self) -> u16 {
        self.local_port
    }
    pub fn remote_port(&self) -> u16 {
        self.remote_port
    }
    pub fn iss(&self) -> SeqNum {
        self.iss
    }
    pub fn snd_nxt(&self) -> SeqNum {
        self.snd_nxt
    }
    pub fn rcv_nxt(&self) -> SeqNum {
        self.rcv_nxt
    }

    /// A new SYN reopens the pair from TIME-WAIT (see [`Endpoint::reopens_time_wait`]): this TCB goes.
    pub fn close_for_new_syn(&mut self) {
        self.set_state(State::Closed, Cause::RcvSyn);
    }

    /// RFC 9293 §3.6.1 (MAY-2, from RFC 1122 §4.2.2.13): in TIME-WAIT a new SYN may reopen the connection
    /// if its sequence number is beyond everything of the old incarnation (without timestamps, the
    /// only test). The new ISN must then exceed the largest one we used: see [`Endpoint::snd_nxt`].
    ///
    /// With timestamps, RFC 6191 §2: the SYN is accepted if its TSval is newer than TS.Recent, whatever
    /// its sequence number; one with an older TSval is not.
    pub fn reopens_time_wait(&self, seg: &Segment) -> bool {
        let newer = match (self.ts_recent, seg.ts) {
            (Some(recent), Some(ts)) => Timestamps::older(recent, ts.val),
            _ => self.rcv_nxt.lt(seg.seq),
        };
        self.state == State::TimeWait && seg.flags.syn && !seg.flags.ack && !seg.flags.rst && newer
    }

    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }
    /// The earliest armed timer.
    pub fn poll_timeout(&self) -> Option<Instant> {
        [
            self.retransmit_at,
            self.time_wait_at,
            self.delayed_ack_at,
            self.fin_wait_2_at,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// SEND (RFC 9293 §3.10.2): queue the data; segmentize it if the connection is open for sending.
    pub fn send(&mut self, now: Instant, data: &[u8]) -> Result<(), CallError> {
        match self.state {
            State::SynSent | State::SynReceived | State::Established | State::CloseWait
                if !self.fin_queued =>
            {
                self.send_buf.extend(data);
                self.push(now);
                Ok(())
            }
            State::Closed | State::Listen => Err(CallError::ConnectionDoesNotExist),
            _ => Err(CallError::ConnectionClosing),
        }
    }

    /// CLOSE (RFC 9293 §3.10.4): "I have no more to send". A FIN follows the queued data.
    pub fn close(&mut self, now: Instant) -> Result<(), CallError> {
        if matches!(self.state, State::Closed | State::Listen) {
            return Err(CallError::ConnectionDoesNotExist);
        }
        if self.fin_queued {
            return Err(CallError::ConnectionClosing);
        }
        match self.state {
            // SYN-SENT: delete the TCB; any queued sends get "error: closing".
            State::SynSent => self.set_state(State::Closed, Cause::AppClose),
            // SYN-RECEIVED and ESTABLISHED: the FIN goes after the data; enter FIN-WAIT-1.
            State::SynReceived | State::Established => {
                self.fin_queued = true;
                self.set_state(State::FinWait1, Cause::AppClose);
            }
            // CLOSE-WAIT: send the FIN after the data, enter LAST-ACK.
            State::CloseWait => {
                self.fin_queued = true;
                self.set_state(State::LastAck, Cause::AppClose);
            }
            State::Closed | State::Listen => return Err(CallError::ConnectionDoesNotExist),
            _ => return Err(CallError::ConnectionClosing),
        }
        self.push(now);
        Ok(())
    }

    /// The application closed the socket and will read no more (a CLOSE after which, unlike a shutdown of
    /// the sending half, nobody holds it). Only the Linux rules ([`Config::orphan_fin_wait_2`]) care.
    pub fn orphan(&mut self, now: Instant) {
        self.orphaned = true;
        if self.state == State::FinWait2 {
            self.orphan_in_fin_wait_2(now);
        }
    }

    /// Linux (`tcp_rcv_state_process`, `tcp_close`): an orphan in FIN-WAIT-2 moves to a TIME-WAIT bucket
    /// with the FIN-WAIT-2 time-out; without buckets it is dropped at once.
    fn orphan_in_fin_wait_2(&mut self, now: Instant) {
        let Some(timeout) = self.cfg.orphan_fin_wait_2 else {
            return;
        };
        if self.cfg.time_wait.is_none() {
            self.set_state(State::Closed, Cause::FinWait2Timeout);
            return;
        }
        let expires = now + timeout;
        self.fin_wait_2_at = Some(expires);
        self.events.push_back(Event::TimerArmed(TimerArm {
            timer: Timer::FinWait2,
            expires,
            restart: false,
        }));
    }

    pub fn handle_timeout(&mut self, now: Instant) {
        if self.fin_wait_2_at.is_some_and(|at| at <= now) {
            self.fin_wait_2_at = None;
            self.events.push_back(Event::TimerFired {
                timer: Timer::FinWait2,
            });
            self.set_state(State::Closed, Cause::FinWait2Timeout);
        }
        if self.time_wait_at.is_some_and(|at| at <= now) {
            // RFC 9293 §3.10.8: when the time-wait timeout expires, delete the TCB and enter CLOSED.
            self.time_wait_at = None;
            self.events.push_back(Event::TimerFired {
                timer: Timer::TimeWait,
            });
            self.set_state(State::Closed, Cause::TimeWaitExpired);
        }
        if self.delayed_ack_at.is_some_and(|at| at <= now) {
            self.delayed_ack_at = None;
            self.events.push_back(Event::TimerFired {
                timer: Timer::DelayedAck,
            });
            self.send_ack(now);
        }
        if self.retransmit_at.is_some_and(|at| at <= now) {
            self.retransmit_at = None;
            self.events.push_back(Event::TimerFired {
                timer: Timer::Retransmit,
            });
            self.on_retransmit_timeout(now);
        }
    }

    /// RFC 6298 §5.4–5.6 and RFC 9293 §3.8.3: retransmit the earliest unacknowledged segment and back off,
    /// or, past the retry limit, give up and tell the user.
    fn on_retransmit_timeout(&mut self, now: Instant) {
        if self.retries >= self.cfg.max_retries {
            self.events.push_back(Event::App(AppEvent::TimedOut));
            self.set_state(State::Closed, Cause::RetriesExhausted);
            return;
        }
        self.retries += 1;
        self.rtt.back_off();
        self.rtt_probe = None;
        // RFC 6298 §5.4: the earliest unacknowledged segment, which may still be our SYN (after a close in
        // SYN-RECEIVED, for instance).
        let syn_unacked = self.snd_una == self.iss;
        match self.state {
            State::SynSent => self.transmit(now, self.iss, Flags::SYN, Vec::new()),
            _ if syn_unacked => self.transmit(now, self.iss, Flags::SYN_ACK, Vec::new()),
            _ => {
                let sent = self.sent_data_len();
                let len = sent.min(usize::from(self.cfg.mss));
                let payload: Vec<u8> = self.send_buf.iter().take(len).copied().collect();
                let fin = self.fin_seq.is_some() && len == sent;
                if len == 0 && !fin {
                    return;
                }
                let flags = if fin { Flags::FIN_ACK } else { Flags::ACK };
                self.transmit(now, self.snd_una, flags, payload);
            }
        }
        self.arm_retransmit(now, false);
    }

    /// Bytes of `send_buf` already sent once (SND.NXT - SND.UNA, less the FIN's place).
    fn sent_data_len(&self) -> usize {
        let in_flight = self.snd_nxt.since(self.snd_una) as usize;
        let syn = usize::from(self.snd_una == self.iss && self.snd_nxt != self.iss);
        in_flight - syn - usize::from(self.fin_seq.is_some_and(|f| self.snd_una.le(f)))
    }

    /// Segmentize queued data, then the FIN, as far as the peer's window allows (RFC 9293 §3.8.6.2.1 is
    /// about small windows; here every segment is as large as MSS and the window allow).
    fn push(&mut self, now: Instant) {
        let can_send_data = matches!(
            self.state,
            State::Established | State::CloseWait | State::FinWait1 | State::LastAck
        ) && self.fin_seq.is_none();
        if !can_send_data {
            return;
        }
        loop {
            let sent = self.sent_data_len();
            let unsent = self.send_buf.len() - sent;
            let window_left = (self.snd_wnd as usize).saturating_sub(sent);
            let len = unsent.min(usize::from(self.cfg.mss)).min(window_left);
            let fin = self.fin_queued && len == unsent;
            if len == 0 && !fin {
                return;
            }
            let payload: Vec<u8> = self.send_buf.range(sent..sent + len).copied().collect();
            let seq = self.snd_nxt;
            if self.rtt_probe.is_none() {
                self.rtt_probe = Some((seq, now));
            }
            self.transmit(
                now,
                seq,
                if fin { Flags::FIN_ACK } else { Flags::ACK },
                payload,
            );
            self.snd_nxt = seq + len as u32 + u32::from(fin);
            self.arm_retransmit(now, true);
            if fin {
                self.fin_seq = Some(seq + len as u32);
                return;
            }
        }
    }

    fn transmit(&mut self, now: Instant, seq: SeqNum, flags: Flags, payload: Vec<u8>) {
        let ack = if flags.ack { self.rcv_nxt } else { SeqNum(0) };
        if flags.syn && self.rtt_probe.is_none() && self.retries == 0 {
            self.rtt_probe = Some((seq, now));
        }
        if flags.ack {
            // Any segment with ACK carries the acknowledgment that was owed.
            self.ack_due = false;
            self.ack_now = false;
            self.unacked_segments = 0;
            if self.delayed_ack_at.take().is_some() {
                self.events.push_back(Event::TimerCancelled {
                    timer: Timer::DelayedAck,
                });
            }
        }
        // RFC 7323 §3.2: on the SYN if we want it; after that only if the peer's SYN had it.
        let ts = (self.cfg.timestamps && (flags.syn && !flags.ack || self.ts_recent.is_some()))
            .then(|| Timestamps {
                val: (now.0 / 1000) as u32,
                ecr: self.ts_recent.unwrap_or(0),
            });
        self.events.push_back(Event::Transmit(Segment {
            src_port: self.local_port,
            dst_port: self.remote_port,
            seq,
            ack,
            flags,
            window: self.cfg.window,
            payload,
            ts,
        }));
    }

    /// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, the reply the RFC prescribes throughout §3.10.7.4.
    fn send_ack(&mut self, now: Instant) {
        self.transmit(now, self.snd_nxt, Flags::ACK, Vec::new());
    }

    /// RFC 6298 §5.1: start the timer when data is sent and it is not running (`only_if_idle`);
    /// §5.3: restart it when an ACK acknowledges new data.
    fn arm_retransmit(&mut self, now: Instant, only_if_idle: bool) {
        if only_if_idle && self.retransmit_at.is_some() {
            return;
        }
        let expires = now + self.rtt.rto();
        let restart = self.retransmit_at.is_some();
        self.retransmit_at = Some(expires);
        self.events.push_back(Event::TimerArmed(TimerArm {
            timer: Timer::Retransmit,
            expires,
            restart,
        }));
    }

    fn cancel_retransmit(&mut self) {
        if self.retransmit_at.take().is_some() {
            self.events.push_back(Event::TimerCancelled {
                timer: Timer::Retransmit,
            });
        }
    }

    fn set_state(&mut self, to: State, cause: Cause) {
        let from = self.state;
        self.state = to;
        self.events
            .push_back(Event::StateChanged(StateChange { from, to, cause }));
        if to == State::Closed || to == State::Listen {
            // The TCB is deleted: no timer outlives it.
            self.cancel_retransmit();
            if self.delayed_ack_at.take().is_some() {
                self.events.push_back(Event::TimerCancelled {
                    timer: Timer::DelayedAck,
                });
            }
            if self.time_wait_at.take().is_some() {
                self.events.push_back(Event::TimerCancelled {
                    timer: Timer::TimeWait,
                });
            }
        }
        if from == State::FinWait2 && self.fin_wait_2_at.take().is_some() {
            self.events.push_back(Event::TimerCancelled {
                timer: Timer::FinWait2,
            });
        }
    }

    /// Enter TIME-WAIT and start its timer (RFC 9293 §3.10.7.4, eighth step), or, in the world without
    /// TIME-WAIT, pass straight through it to CLOSED.
    fn enter_time_wait(&mut self, now: Instant, cause: Cause) {
        self.set_state(State::TimeWait, cause);
        self.cancel_retransmit();
        match self.cfg.time_wait {
            Some(length) => self.arm_time_wait(now, length),
            None => self.set_state(State::Closed, Cause::TimeWaitSkipped),
        }
    }

    fn arm_time_wait(&mut self, now: Instant, length: Duration) {
        let expires = now + length;
        let restart = self.time_wait_at.is_some();
        self.time_wait_at = Some(expires);
        self.events.push_back(Event::TimerArmed(TimerArm {
            timer: Timer::TimeWait,
            expires,
            restart,
        }));
    }

    /// The receive-window acceptability test of RFC 9293 §3.10.7.4 (first step), all four cases.
    fn acceptable(&self, seg: &Segment) -> bool {
        let wnd = u32::from(self.cfg.window);
        let in_window = |s: SeqNum| self.rcv_nxt.le(s) && s.lt(self.rcv_nxt + wnd);
        match (seg.seq_len(), wnd) {
            (0, 0) => seg.seq == self.rcv_nxt,
            (0, _) => in_window(seg.seq),
            (_, 0) => false,
            (len, _) => in_window(seg.seq) || in_window(seg.seq + (len - 1)),
        }
    }

    fn discard(&mut self, why: Discard) {
        self.events.push_back(Event::Discarded(why));
    }

    pub fn handle_segment(&mut self, now: Instant, seg: &Segment, tag: u32) {
        match self.state {
            State::Closed | State::Listen => self.discard(Discard::NoConnection),
            State::SynSent => self.on_segment_syn_sent(now, seg),
            _ => self.on_segment_synchronized(now, seg, tag),
        }
        self.push(now);
        if self.ack_due {
            self.flush_ack(now);
        }
    }

    /// Owe an ACK that may not be delayed. `limited` replies (to segments outside the window, challenge
    /// ACKs) are throttled to one per [`ACK_THROTTLE`] (RFC 5961 §7): that is what ends an ACK war between
    /// two ends that disagree about the sequence space.
    fn owe_ack_now(&mut self, limited: bool) {
        self.ack_due = true;
        self.ack_now = true;
        self.ack_limited |= limited;
    }

    /// Send the owed ACK now, or delay it (RFC 9293 §3.8.6.3: never more than 0.5 s, and at least every
    /// second full-sized segment is acknowledged; replies to unacceptable segments are never delayed).
    fn flush_ack(&mut self, now: Instant) {
        if std::mem::take(&mut self.ack_limited) {
            if self
                .last_limited_ack
                .is_some_and(|t| now.since(t) < ACK_THROTTLE)
            {
                self.ack_due = false;
                self.ack_now = false;
                return;
            }
            self.last_limited_ack = Some(now);
        }
        if self.ack_now || self.cfg.ack_delay == Duration::ZERO || self.unacked_segments >= 2 {
            self.send_ack(now);
        } else if self.delayed_ack_at.is_none() {
            let expires = now + self.cfg.ack_delay;
            self.delayed_ack_at = Some(expires);
            self.events.push_back(Event::TimerArmed(TimerArm {
                timer: Timer::DelayedAck,
                expires,
                restart: false,
            }));
        }
    }

    /// RFC 9293 §3.10.7.3, SYN-SENT state.
    fn on_segment_syn_sent(&mut self, now: Instant, seg: &Segment) {
        // First, check the ACK bit: it must acknowledge our SYN and nothing beyond.
        let ack_ok = seg.flags.ack && self.iss.lt(seg.ack) && seg.ack.le(self.snd_nxt);
        if seg.flags.ack && !ack_ok {
            if !seg.flags.rst {
                self.transmit(now, seg.ack, Flags::RST, Vec::new());
            }
            return self.discard(Discard::SynSentUnacceptable);
        }
        // Second, the RST bit: with an acceptable ACK the connection is refused.
        if seg.flags.rst {
            if !ack_ok {
                return self.discard(Discard::SynSentUnacceptable);
            }
            self.events.push_back(Event::App(AppEvent::Reset));
            self.set_state(State::Closed, Cause::RcvRst);
            return;
        }
        // Fourth, the SYN bit.
        if !seg.flags.syn {
            return self.discard(Discard::SynSentUnacceptable);
        }
        self.rcv_nxt = seg.seq + 1;
        self.snd_wnd = u32::from(seg.window);
        self.ts_recent = seg.ts.filter(|_| self.cfg.timestamps).map(|ts| ts.val);
        if ack_ok {
            self.take_rtt_sample(now, seg.ack);
            self.snd_una = seg.ack;
            self.retries = 0;
            self.cancel_retransmit();
            // Our SYN has been ACKed: enter ESTABLISHED and send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
            self.set_state(State::Established, Cause::RcvSynAck);
            self.events.push_back(Event::App(AppEvent::Connected));
            self.owe_ack_now(false);
        } else {
            // Simultaneous open: enter SYN-RECEIVED and send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
            self.set_state(State::SynReceived, Cause::RcvSyn);
            self.transmit(now, self.iss, Flags::SYN_ACK, Vec::new());
        }
    }

    /// RFC 9293 §3.10.7.4, SYN-RECEIVED and the synchronized states.
    fn on_segment_synchronized(&mut self, now: Instant, seg: &Segment, tag: u32) {
        // PAWS (RFC 7323 §5.3, R1): a segment whose TSval is older than TS.Recent is an old duplicate,
        // whatever its sequence number says: ACK it and drop it. A RST is not checked (R1 exempts it).
        if let (Some(recent), Some(ts)) = (self.ts_recent, seg.ts) {
            if !seg.flags.rst && Timestamps::older(ts.val, recent) {
                self.owe_ack_now(seg.seq_len() == 0 || seg.flags.syn);
                return self.discard(Discard::Paws);
            }
        }
        // TIME-WAIT: "The only thing that can arrive in this state is a retransmission of the remote FIN.
        // Acknowledge it, and restart the 2 MSL timeout" (eighth step). Its sequence number lies just below
        // RCV.NXT, so the first step's acceptability test alone would only ACK it; like real stacks (Linux's
        // tcp_timewait_state_process) we recognise it here so that the timer restarts as the RFC intends.
        if self.state == State::TimeWait
            && seg.flags.fin
            && !seg.flags.rst
            && seg.seq + seg.seq_len() == self.rcv_nxt
        {
            self.owe_ack_now(false);
            if let Some(length) = self.cfg.time_wait {
                self.arm_time_wait(now, length);
            }
            return;
        }
        // First, check the sequence number. An unacceptable segment gets an ACK (unless it is a RST).
        if !self.acceptable(seg) {
            if !seg.flags.rst {
                // Like Linux (tcp_oow_rate_limited), only replies to segments that occupy no sequence space,
                // or carry SYN, are throttled: a duplicate of data or of a FIN is no ACK war.
                self.owe_ack_now(seg.seq_len() == 0 || seg.flags.syn);
            }
            return self.discard(Discard::OutsideWindow);
        }
        // RFC 7323 §4.3 (simplified to segments that pass the first check): remember the newest TSval.
        if let (Some(recent), Some(ts)) = (self.ts_recent, seg.ts) {
            if !Timestamps::older(ts.val, recent) && !seg.flags.rst {
                self.ts_recent = Some(ts.val);
            }
        }
        // Second, the RST bit. RFC 9293 adopts RFC 5961 §3.2: only a RST at exactly RCV.NXT resets; one
        // elsewhere in the window gets a challenge ACK.
        if seg.flags.rst {
            if seg.seq != self.rcv_nxt {
                self.owe_ack_now(true);
                return self.discard(Discard::RstChallenge);
            }
            match self.state {
                // Passive OPEN: return to LISTEN; the user need not be informed.
                State::SynReceived if self.passive => self.set_state(State::Listen, Cause::RcvRst),
                // RFC 1337's fix: in TIME-WAIT, ignore it.
                State::TimeWait if self.cfg.rfc1337 => self.discard(Discard::RstInTimeWait),
                // TIME-WAIT: enter CLOSED, delete the TCB (the hazard RFC 1337 names "TIME-WAIT assassination").
                State::TimeWait => self.set_state(State::Closed, Cause::RcvRst),
                // Any other state: outstanding calls get "reset" and the user a "connection reset" signal;
                // in CLOSING and LAST-ACK that is the still-pending CLOSE.
                _ => {
                    self.events.push_back(Event::App(AppEvent::Reset));
                    self.set_state(State::Closed, Cause::RcvRst);
                }
            }
            return;
        }
        // Fourth, the SYN bit: in a synchronized state answer with a challenge ACK (RFC 5961 §4, as
        // RFC 9293 recommends). In SYN-RECEIVED of a passive OPEN, return to LISTEN.
        if seg.flags.syn {
            if self.state == State::SynReceived && self.passive {
                self.set_state(State::Listen, Cause::RcvSyn);
            } else {
                self.owe_ack_now(true);
                self.discard(Discard::SynChallenge);
            }
            return;
        }
        // Fifth, the ACK field. Without ACK the segment is dropped.
        if !seg.flags.ack {
            return self.discard(Discard::NoAck);
        }
        if self.state == State::SynReceived {
            if !(self.snd_una.lt(seg.ack) && seg.ack.le(self.snd_nxt)) {
                self.transmit(now, seg.ack, Flags::RST, Vec::new());
                return self.discard(Discard::BadAckInSynReceived);
            }
            self.set_state(State::Established, Cause::RcvAck);
            self.events.push_back(Event::App(AppEvent::Connected));
        }
        if self.snd_nxt.lt(seg.ack) {
            // It acknowledges something not yet sent: send an ACK, drop the segment.
            self.owe_ack_now(true);
            return self.discard(Discard::AckOfUnsent);
        }
        if self.snd_una.lt(seg.ack) {
            self.on_new_ack(now, seg.ack);
        }
        // RFC 9293 §3.10.7.4: the window is updated only if SND.UNA =< SEG.ACK; an older ACK is ignored.
        if self.snd_una.le(seg.ack) {
            self.snd_wnd = u32::from(seg.window);
        }
        let our_fin_acked = self.fin_seq.is_some_and(|f| f.lt(self.snd_una));
        match self.state {
            // FIN-WAIT-1: if our FIN is now acknowledged, enter FIN-WAIT-2.
            State::FinWait1 if our_fin_acked => {
                self.set_state(State::FinWait2, Cause::RcvAckOfFin);
                // A FIN riding on this ACK takes the orphan to TIME-WAIT instead (below).
                if self.orphaned && !seg.flags.fin {
                    self.orphan_in_fin_wait_2(now);
                    if self.state == State::Closed {
                        return;
                    }
                }
            }
            // CLOSING: if the ACK acknowledges our FIN, enter TIME-WAIT; otherwise ignore the segment.
            State::Closing => {
                if our_fin_acked {
                    self.enter_time_wait(now, Cause::RcvAckOfFin);
                }
                return;
            }
            // LAST-ACK: if our FIN is now acknowledged, delete the TCB, enter CLOSED, and return.
            State::LastAck if our_fin_acked => {
                self.events.push_back(Event::App(AppEvent::Closed));
                self.set_state(State::Closed, Cause::RcvAckOfFin);
                return;
            }
            _ => {}
        }
        // Linux (and RFC 9293 §3.6.1 SHLD-2, for hosts whose CLOSE is half-duplex): new data after the
        // application closed cannot be read by anyone; answer it with RST to show that it was lost.
        if self.orphaned
            && self.cfg.orphan_fin_wait_2.is_some()
            && matches!(self.state, State::FinWait1 | State::FinWait2)
            && self.rcv_nxt.lt(seg.seq + seg.payload.len() as u32)
        {
            self.transmit(now, seg.ack, Flags::RST, Vec::new());
            self.events.push_back(Event::App(AppEvent::Reset));
            self.set_state(State::Closed, Cause::DataAfterClose);
            return;
        }
        // Seventh, the segment text, and eighth, the FIN bit: only states that still receive take them.
        if matches!(
            self.state,
            State::Established | State::FinWait1 | State::FinWait2
        ) {
            self.receive(now, seg, tag);
        }
    }

    /// An ACK acknowledging new data (RFC 9293 §3.10.7.4 fifth step, ESTABLISHED: SND.UNA <- SEG.ACK).
    fn on_new_ack(&mut self, now: Instant, ack: SeqNum) {
        self.take_rtt_sample(now, ack);
        // The SYN and the FIN each take a sequence number but no place in the send buffer.
        let syn_acked = self.snd_una == self.iss;
        let fin_acked = self.fin_seq.is_some_and(|f| f.lt(ack));
        let acked =
            ack.since(self.snd_una) as usize - usize::from(syn_acked) - usize::from(fin_acked);
        self.send_buf.drain(..acked.min(self.send_buf.len()));
        self.snd_una = ack;
        self.retries = 0;
        // RFC 6298 §5.2: all outstanding data acknowledged, turn the timer off; §5.3: else restart it.
        if self.snd_una == self.snd_nxt {
            self.cancel_retransmit();
        } else {
            self.arm_retransmit(now, false);
        }
    }

    fn take_rtt_sample(&mut self, now: Instant, ack: SeqNum) {
        if let Some((seq, sent)) = self.rtt_probe {
            if seq.lt(ack) {
                self.rtt.sample(now.since(sent));
                self.rtt_probe = None;
            }
        }
    }

    /// Steps seven and eight of RFC 9293 §3.10.7.4: take in-order text, hold what arrives early, and
    /// process the FIN once everything before it is in.
    fn receive(&mut self, now: Instant, seg: &Segment, tag: u32) {
        if seg.payload.is_empty() && !seg.flags.fin {
            return;
        }
        self.ack_due = true;
        // Out of order or a duplicate: ACK at once, so the sender learns of the gap.
        self.ack_now |= seg.seq != self.rcv_nxt;
        if !seg.payload.is_empty() && self.quick_acks_left > 0 {
            self.quick_acks_left -= 1;
            self.ack_now = true;
        }
        self.unacked_segments += u32::from(!seg.payload.is_empty());
        // Trim what lies before RCV.NXT (already received); key the rest by its place in the stream.
        let ahead = seg.seq.0.wrapping_sub(self.rcv_nxt.0) as i32;
        let skip = usize::try_from(-i64::from(ahead)).unwrap_or(0);
        let bytes = seg.payload.get(skip..).unwrap_or_default().to_vec();
        let start = self.rcv_pos + u64::try_from(ahead).unwrap_or(0);
        self.held.insert(
            start,
            Held {
                bytes,
                fin: seg.flags.fin,
                tag,
            },
        );
        while let Some(entry) = self.held.first_entry() {
            if *entry.key() > self.rcv_pos {
                return;
            }
            let (start, mut chunk) = entry.remove_entry();
            chunk
                .bytes
                .drain(..((self.rcv_pos - start) as usize).min(chunk.bytes.len()));
            if !chunk.bytes.is_empty() {
                self.rcv_pos += chunk.bytes.len() as u64;
                self.rcv_nxt = self.rcv_nxt + chunk.bytes.len() as u32;
                self.events.push_back(Event::App(AppEvent::Read {
                    bytes: chunk.bytes,
                    tag: chunk.tag,
                }));
            }
            if chunk.fin {
                self.held.clear();
                self.on_fin(now);
                return;
            }
        }
    }

    /// Eighth step: the FIN is in order. Advance RCV.NXT over it, tell the user, and move on.
    fn on_fin(&mut self, now: Instant) {
        self.rcv_nxt = self.rcv_nxt + 1;
        self.events.push_back(Event::App(AppEvent::Eof));
        if self.state != State::Established {
            // We have closed already: nothing of ours can carry this ACK, so it goes now, before the
            // state changes below (and before CLOSED, when TIME-WAIT is skipped).
            self.send_ack(now);
        }
        match self.state {
            // ESTABLISHED: enter CLOSE-WAIT.
            State::Established => self.set_state(State::CloseWait, Cause::RcvFin),
            // FIN-WAIT-1: our FIN is not yet acknowledged (else we would be in FIN-WAIT-2): enter CLOSING.
            State::FinWait1 => self.set_state(State::Closing, Cause::RcvFin),
            // FIN-WAIT-2: enter TIME-WAIT, start the time-wait timer, turn off the other timers.
            State::FinWait2 => self.enter_time_wait(now, Cause::RcvFin),
            _ => {}
        }
    }
}
