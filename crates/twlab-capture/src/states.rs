//! What a segment shows of its sender and does to its receiver, by RFC 9293 §3.10.7, as far as a
//! passive observer can tell: states, reads, and TIME-WAIT.

use crate::losses::skips_time_wait;
use crate::observer::Observer;
use crate::packet::Packet;
use twlab_core::endpoint::{Cause, StateChange, Timer, TimerArm};
use twlab_core::scenario::Side;
use twlab_core::time::{Duration, Instant};
use twlab_core::trace::{AppRead, Event, EventKind};
use twlab_core::State;

/// TIME-WAIT as Linux keeps it, whatever MSL is (`TCP_TIMEWAIT_LEN`).
pub(crate) const TIME_WAIT: Duration = Duration::from_secs(60);

/// Longest text of a read kept in the trace, as in a simulation.
const READ_TEXT_MAX: usize = 64;

impl Observer<'_> {
    /// What sending `p` tells of the sender: a SYN is an open, a FIN the application's close, a RST
    /// the end of its TCB.
    pub(crate) fn sent_by(&mut self, i: usize, side: Side, at: Instant, p: &Packet) {
        let tcb = self.conns[i].tcbs[side as usize];
        let state = tcb.state;
        if p.flags.rst {
            // A RST from SYN-SENT or SYN-RECEIVED answers an unacceptable ACK and leaves the TCB
            // as it was (§3.10.7.3, §3.10.7.4 fifth); elsewhere it ends the connection (an abort).
            let open = !matches!(
                state,
                None | Some(State::Closed | State::TimeWait | State::SynSent | State::SynReceived)
            );
            if open {
                self.set(i, side, at, State::Closed, Cause::AppClose);
            }
            return;
        }
        if p.opens() && state.map_or(true, |s| s == State::Closed) {
            self.set(i, side, at, State::SynSent, Cause::ActiveOpen);
        }
        if p.flags.syn && p.flags.ack && state.is_none() {
            // Its SYN was not captured: the answer shows it had one.
            self.set(i, side, at, State::SynReceived, Cause::RcvSyn);
        }
        if p.flags.fin {
            self.conns[i].tcbs[side as usize].fin = Some(p.seq + p.payload.len() as u32);
            let next = match self.conns[i].tcbs[side as usize].state {
                Some(State::Established | State::SynReceived) => Some(State::FinWait1),
                Some(State::CloseWait) => Some(State::LastAck),
                _ => None,
            };
            if let Some(next) = next {
                self.set(i, side, at, next, Cause::AppClose);
            }
        }
    }

    /// What receiving `p` does to the receiver, by RFC 9293 §3.10.7.
    pub(crate) fn received_by(
        &mut self,
        i: usize,
        side: Side,
        at: Instant,
        p: &Packet,
        later: &[&Packet],
    ) {
        let id = self.conns[i].id;
        let tcb = self.conns[i].tcbs[side as usize];
        let Some(state) = tcb
            .state
            .or((side == Side::Server).then_some(State::Listen))
        else {
            return;
        };
        if p.flags.rst {
            // §3.10.7.3/§3.10.7.4: an acceptable RST ends the connection; the user hears "reset"
            // unless only TIME-WAIT was left (then it is RFC 1337's assassination).
            if !matches!(state, State::Closed | State::Listen) {
                if state != State::TimeWait {
                    self.record(side, Some(id), at, EventKind::Reset);
                } else {
                    self.timer_ends(side, id, at, Timer::TimeWait, false);
                }
                self.set(i, side, at, State::Closed, Cause::RcvRst);
            }
            return;
        }
        if p.flags.syn {
            let rcv = &mut self.conns[i].tcbs[side as usize];
            rcv.rcv_nxt = Some(p.seq + 1);
            match (state, p.flags.ack) {
                (State::Listen | State::SynSent, false) => {
                    self.set(i, side, at, State::SynReceived, Cause::RcvSyn)
                }
                (State::SynSent, true) => {
                    self.set(i, side, at, State::Established, Cause::RcvSynAck);
                    self.record(side, Some(id), at, EventKind::Connected);
                }
                _ => {}
            }
        }
        let state = self.conns[i].tcbs[side as usize].state.unwrap_or(state);
        let own_isn = self.conns[i].tcbs[side as usize].isn;
        if p.flags.ack && state == State::SynReceived && own_isn.is_some_and(|isn| isn.lt(p.ack)) {
            self.set(i, side, at, State::Established, Cause::RcvAck);
            self.record(side, Some(id), at, EventKind::Connected);
        }
        let fin = self.conns[i].tcbs[side as usize].fin;
        if p.flags.ack && fin.is_some_and(|f| f.lt(p.ack)) {
            match self.conns[i].tcbs[side as usize].state {
                Some(State::FinWait1) => self.set(i, side, at, State::FinWait2, Cause::RcvAckOfFin),
                Some(State::Closing) => {
                    self.enter_time_wait(i, side, at, Cause::RcvAckOfFin, p, later)
                }
                Some(State::LastAck) => {
                    self.record(side, Some(id), at, EventKind::Closed);
                    self.set(i, side, at, State::Closed, Cause::RcvAckOfFin);
                }
                _ => {}
            }
        }
        self.read(i, side, at, p);
        if p.flags.fin {
            let tcb = &mut self.conns[i].tcbs[side as usize];
            let first = !std::mem::replace(&mut tcb.peer_fin_seen, true);
            match tcb.state {
                Some(State::Established) if first => {
                    self.record(side, Some(id), at, EventKind::Eof);
                    self.set(i, side, at, State::CloseWait, Cause::RcvFin);
                }
                Some(State::FinWait1) if first => {
                    self.record(side, Some(id), at, EventKind::Eof);
                    self.set(i, side, at, State::Closing, Cause::RcvFin);
                }
                Some(State::FinWait2) if first => {
                    self.record(side, Some(id), at, EventKind::Eof);
                    self.enter_time_wait(i, side, at, Cause::RcvFin, p, later);
                }
                // §3.10.7.4, eighth, TIME-WAIT: a retransmitted FIN restarts the 2MSL wait.
                Some(State::TimeWait) => self.arm_time_wait(i, side, at, true),
                _ => {}
            }
        }
    }

    /// Bytes that arrive in order are read by the application; copies and gaps are not.
    pub(crate) fn read(&mut self, i: usize, side: Side, at: Instant, p: &Packet) {
        let id = self.conns[i].id;
        let tcb = &mut self.conns[i].tcbs[side as usize];
        let data_seq = p.seq + u32::from(p.flags.syn);
        let open = matches!(
            tcb.state,
            Some(State::Established | State::FinWait1 | State::FinWait2)
        );
        if p.payload.is_empty() || !open || tcb.rcv_nxt.is_some_and(|n| n != data_seq) {
            return;
        }
        tcb.rcv_nxt = Some(data_seq + p.payload.len() as u32);
        let text = String::from_utf8_lossy(&p.payload[..p.payload.len().min(READ_TEXT_MAX)]).into();
        let read = AppRead {
            text,
            len: p.payload.len() as u32,
            stale_from: None,
        };
        self.record(side, Some(id), at, EventKind::Read(Box::new(read)));
    }

    /// TIME-WAIT (RFC 9293 §3.10.7.4), or straight through it when the capture shows the host kept
    /// none (Linux with `tcp_max_tw_buckets` at 0: it answers what follows with RST).
    pub(crate) fn enter_time_wait(
        &mut self,
        i: usize,
        side: Side,
        at: Instant,
        cause: Cause,
        p: &Packet,
        later: &[&Packet],
    ) {
        self.set(i, side, at, State::TimeWait, cause);
        if skips_time_wait(later, p.dst, p.src) {
            self.set(i, side, at, State::Closed, Cause::TimeWaitSkipped);
        } else {
            self.arm_time_wait(i, side, at, false);
        }
    }

    pub(crate) fn arm_time_wait(&mut self, i: usize, side: Side, at: Instant, restart: bool) {
        let expires = at + TIME_WAIT;
        self.conns[i].tcbs[side as usize].time_wait_until = Some(expires);
        let id = self.conns[i].id;
        let arm = TimerArm {
            timer: Timer::TimeWait,
            expires,
            restart,
        };
        self.record(side, Some(id), at, EventKind::TimerArmed(arm));
    }

    /// Sides still in TIME-WAIT when the capture ends: their 60 s run out.
    pub(crate) fn expire_time_waits(&mut self) {
        for i in 0..self.conns.len() {
            for side in [Side::Client, Side::Server] {
                if let Some(at) = self.conns[i].tcbs[side as usize].time_wait_until.take() {
                    let id = self.conns[i].id;
                    self.timer_ends(side, id, at, Timer::TimeWait, true);
                    self.set(i, side, at, State::Closed, Cause::TimeWaitExpired);
                }
            }
        }
    }

    pub(crate) fn timer_ends(
        &mut self,
        side: Side,
        id: u32,
        at: Instant,
        timer: Timer,
        fired: bool,
    ) {
        let kind = if fired {
            EventKind::TimerFired { timer }
        } else {
            EventKind::TimerCancelled { timer }
        };
        self.record(side, Some(id), at, kind);
    }

    pub(crate) fn set(&mut self, i: usize, side: Side, at: Instant, to: State, cause: Cause) {
        let tcb = &mut self.conns[i].tcbs[side as usize];
        let from = tcb.state.unwrap_or(if side == Side::Server {
            State::Listen
        } else {
            State::Closed
        });
        tcb.state = Some(to);
        if to == State::Closed {
            tcb.time_wait_until = None;
        }
        let id = self.conns[i].id;
        self.state(side, Some(id), at, from, to, cause);
    }

    pub(crate) fn state(
        &mut self,
        side: Side,
        conn: Option<u32>,
        at: Instant,
        from: State,
        to: State,
        cause: Cause,
    ) {
        let change = StateChange { from, to, cause };
        self.record(side, conn, at, EventKind::State(change));
    }

    pub(crate) fn record(&mut self, side: Side, conn: Option<u32>, at: Instant, kind: EventKind) {
        self.events.push(Event {
            at,
            side,
            conn,
            kind,
        });
    }
}
