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
use crate::segment::{Flags, Options, Segment, Timestamps};
use crate::seq::SeqNum;
use crate::state::State;
use crate::time::{Duration, Instant};
use crate::timer::TimerTable;
pub use crate::timer::{Timer, TimerArm};
use crate::vec_map::VecMap;
use serde::Serialize;
use std::collections::VecDeque;
use std::fmt;

mod arrival;

/// RFC 5961 §7 asks for ACK throttling without fixing a rate; this is Linux's `tcp_invalid_ratelimit`.
pub const ACK_THROTTLE: Duration = Duration::from_millis(500);

/// The shift our SYN offers with window scaling: Linux 6.18's, which `tcp_select_initial_window` derives
/// from the largest receive buffer (`tcp_rmem`'s 32 MB: 32 MB >> 10 fits the 16-bit window field).
pub const WINDOW_SCALE: u8 = 10;

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
    /// Linux's `tcp_syn_linear_timeouts`: SYN retransmissions that keep the RTO before it doubles.
    pub syn_linear_timeouts: u32,
    /// Offer SACK (RFC 2018 §2) in the SYN. No SACK blocks are sent: a lost segment is resent on its timer.
    pub sack: bool,
    /// Offer window scaling (RFC 7323 §2) in the SYN, with shift [`WINDOW_SCALE`].
    pub window_scaling: bool,
    /// Linux: how soon the SYN goes again after we reset an unacceptable ACK in SYN-SENT (`None`: RFC).
    pub syn_sent_rst_retry: Option<Duration>,
}

/// Linux's `TCP_MAX_QUICKACKS`: how many segments quick-ACK mode acknowledges at once.
pub const QUICK_ACKS: u32 = 16;

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
    /// A connect from the same bound port took over the pair (Linux's `tcp_twsk_unique`).
    TimeWaitReused,
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
            Cause::TimeWaitReused => "reused by a new connect",
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
    /// EADDRINUSE from `bind()`: another socket holds the port.
    AddressInUse,
    /// EADDRNOTAVAIL from `connect()`: the socket pair is taken and cannot be reused.
    AddressNotAvailable,
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            CallError::ConnectionClosing => "error: connection closing",
            CallError::ConnectionDoesNotExist => "error: connection does not exist",
            CallError::AddressInUse => "EADDRINUSE (Address already in use)",
            CallError::AddressNotAvailable => "EADDRNOTAVAIL (Cannot assign requested address)",
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
    /// MAX.SND.WND (RFC 5961 §5.2): the largest window the peer has offered.
    max_snd_wnd: u32,
    rcv_nxt: SeqNum,
    /// Data not yet acknowledged, starting at SND.UNA (after the SYN): sent bytes first, then unsent.
    send_buf: VecDeque<u8>,
    /// The application called close or shutdown: a FIN follows the data.
    fin_queued: bool,
    /// Sequence number of our FIN once it has been sent.
    fin_seq: Option<SeqNum>,
    /// Early arrivals keyed by their place in the received stream (`rcv_pos` counts consumed octets).
    held: VecMap<u64, Held>,
    rcv_pos: u64,
    rtt: RttEstimator,
    /// The segment being timed for an RTT sample (Karn: never a retransmitted one, RFC 6298 §3).
    rtt_probe: Option<(SeqNum, Instant)>,
    timers: TimerTable,
    retries: u32,
    /// The application has closed the socket (not just shut down its sending half).
    orphaned: bool,
    /// TS.Recent (RFC 7323 §4.3) once the peer's SYN showed it uses timestamps.
    ts_recent: Option<u32>,
    /// Window scale shifts once both SYNs offered it (RFC 7323 §2.2): the peer's, applied to the windows
    /// it sends, and ours, applied to those we send; 0 without.
    snd_wscale: u8,
    rcv_wscale: u8,
    /// Both SYNs offered SACK-permitted.
    sack_ok: bool,
    /// When TIME-WAIT began (Linux's `tw_entry_stamp`; a retransmitted FIN restarts the timer, not this).
    time_wait_entered: Option<Instant>,
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
            max_snd_wnd: 0,
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
            held: VecMap::new(),
            rcv_pos: 0,
            rtt_probe: None,
            timers: TimerTable::default(),
            retries: 0,
            orphaned: false,
            ts_recent: None,
            time_wait_entered: None,
            snd_wscale: 0,
            rcv_wscale: 0,
            sack_ok: false,
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
        ep.negotiate(syn);
        ep.set_snd_wnd(syn);
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

    /// Linux's `tcp_twsk_unique`: a TIME-WAIT whose connection used timestamps may give its socket pair to
    /// a new connect, since PAWS keeps the old segments out; without them it may not. `min_age`: for a
    /// port the system picks, only with `tcp_tw_reuse`, and once TIME-WAIT has lasted longer than this
    /// (`tcp_tw_reuse_delay`).
    pub fn reusable_by_connect(&self, now: Instant, min_age: Option<Duration>) -> bool {
        let old_enough = match (min_age, self.time_wait_entered) {
            (Some(age), Some(entered)) => now > entered + age,
            _ => true,
        };
        self.state == State::TimeWait && self.ts_recent.is_some() && old_enough
    }

    /// A new connect takes over the pair ([`Endpoint::reusable_by_connect`]): this TCB goes.
    pub fn close_for_reuse(&mut self) {
        self.set_state(State::Closed, Cause::TimeWaitReused);
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
        self.timers.next()
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
        self.arm(Timer::FinWait2, now + timeout);
    }

    pub fn handle_timeout(&mut self, now: Instant) {
        for timer in Timer::FIRING_ORDER {
            let Some(fired) = self.timers.expire(timer, now) else {
                continue;
            };
            self.events.push_back(fired);
            match timer {
                Timer::FinWait2 => self.set_state(State::Closed, Cause::FinWait2Timeout),
                // RFC 9293 §3.10.8: when the time-wait timeout expires, delete the TCB and enter CLOSED.
                Timer::TimeWait => self.set_state(State::Closed, Cause::TimeWaitExpired),
                Timer::DelayedAck => self.send_ack(now),
                Timer::Retransmit => self.on_retransmit_timeout(now),
            }
        }
    }

    /// Start (or restart) a timer, recording it.
    fn arm(&mut self, timer: Timer, expires: Instant) {
        let event = self.timers.arm(timer, expires);
        self.events.push_back(event);
    }

    /// Stop a timer, recording it if it was running.
    fn cancel(&mut self, timer: Timer) {
        self.events.extend(self.timers.cancel(timer));
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
        // Linux (tcp_retransmit_timer): in SYN-SENT the first tcp_syn_linear_timeouts time-outs keep the
        // RTO; later ones, and every other state's, double it (RFC 6298 §5.5).
        if self.state != State::SynSent || self.retries > self.cfg.syn_linear_timeouts {
            self.rtt.back_off();
        }
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
            self.cancel(Timer::DelayedAck);
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
            // RFC 7323 §2.3: a SYN's window is never scaled; later ones are shifted right (rounded down).
            window: if flags.syn {
                self.cfg.window
            } else {
                self.cfg.window >> self.rcv_wscale
            },
            payload,
            ts,
            options: flags.syn.then(|| self.syn_options(flags)),
        }));
    }

    /// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, the reply the RFC prescribes throughout §3.10.7.4.
    fn send_ack(&mut self, now: Instant) {
        self.transmit(now, self.snd_nxt, Flags::ACK, Vec::new());
    }

    /// RFC 6298 §5.1: start the timer when data is sent and it is not running (`only_if_idle`);
    /// §5.3: restart it when an ACK acknowledges new data.
    fn arm_retransmit(&mut self, now: Instant, only_if_idle: bool) {
        if only_if_idle && self.timers.is_armed(Timer::Retransmit) {
            return;
        }
        self.arm(Timer::Retransmit, now + self.rtt.rto());
    }

    /// SND.WND from the peer's segment, scaled unless it is a SYN (RFC 7323 §2.3), and MAX.SND.WND.
    fn set_snd_wnd(&mut self, seg: &Segment) {
        let shift = if seg.flags.syn { 0 } else { self.snd_wscale };
        self.snd_wnd = u32::from(seg.window) << shift;
        self.max_snd_wnd = self.max_snd_wnd.max(self.snd_wnd);
    }

    /// The options of the peer's SYN: window scaling and SACK hold only if both SYNs offer them (RFC 7323
    /// §2.2, RFC 2018 §2); a shift above 14 counts as 14 (RFC 7323 §2.3).
    fn negotiate(&mut self, syn: &Segment) {
        let offered = syn.options.as_deref();
        if let Some(shift) = offered.and_then(|o| o.window_scale) {
            if self.cfg.window_scaling {
                self.snd_wscale = shift.min(14);
                self.rcv_wscale = WINDOW_SCALE;
            }
        }
        self.sack_ok = self.cfg.sack && offered.is_some_and(|o| o.sack_permitted);
    }

    /// A SYN's options, in the order Linux writes them (`tcp_options_write`): MSS, SACK-permitted (sharing
    /// a word with the timestamps), window scale. A SYN,ACK offers only what the peer's SYN did.
    fn syn_options(&self, flags: Flags) -> Box<Options> {
        let reply = flags.ack;
        Box::new(Options {
            mss: Some(self.cfg.mss),
            sack_permitted: if reply { self.sack_ok } else { self.cfg.sack },
            sack: Vec::new(),
            window_scale: (self.cfg.window_scaling && (!reply || self.rcv_wscale > 0))
                .then_some(WINDOW_SCALE),
        })
    }

    fn set_state(&mut self, to: State, cause: Cause) {
        let from = self.state;
        self.state = to;
        self.events
            .push_back(Event::StateChanged(StateChange { from, to, cause }));
        if to == State::Closed || to == State::Listen {
            // The TCB is deleted: no timer outlives it.
            for timer in [Timer::Retransmit, Timer::DelayedAck, Timer::TimeWait] {
                self.cancel(timer);
            }
        }
        // Only an orphan in FIN-WAIT-2 runs this timer.
        if from == State::FinWait2 {
            self.cancel(Timer::FinWait2);
        }
    }

    /// Enter TIME-WAIT and start its timer (RFC 9293 §3.10.7.4, eighth step), or, in the world without
    /// TIME-WAIT, pass straight through it to CLOSED.
    fn enter_time_wait(&mut self, now: Instant, cause: Cause) {
        self.set_state(State::TimeWait, cause);
        self.time_wait_entered = Some(now);
        self.cancel(Timer::Retransmit);
        match self.cfg.time_wait {
            Some(length) => self.arm(Timer::TimeWait, now + length),
            None => self.set_state(State::Closed, Cause::TimeWaitSkipped),
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
        } else if !self.timers.is_armed(Timer::DelayedAck) {
            self.arm(Timer::DelayedAck, now + self.cfg.ack_delay);
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
}
