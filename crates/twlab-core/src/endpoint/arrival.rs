//! Segment arrival (RFC 9293 §3.10.7): SYN-SENT, then SYN-RECEIVED and the synchronized states one
//! numbered step at a time.

use super::{AppEvent, Cause, Endpoint, Event, Held};
use crate::discard::Discard;
use crate::segment::{Flags, Segment, Timestamps};
use crate::seq::SeqNum;
use crate::state::State;
use crate::time::Instant;
use crate::timer::Timer;
use std::ops::ControlFlow::{self, Break, Continue};

impl Endpoint {
    pub fn handle_segment(&mut self, now: Instant, seg: &Segment, tag: u32) {
        match self.state {
            State::Closed | State::Listen => self.discard(Discard::NoConnection),
            State::SynSent => self.on_segment_syn_sent(now, seg),
            _ => {
                let _ = self.on_segment_synchronized(now, seg, tag);
            }
        }
        self.push(now);
        if self.ack_due {
            self.flush_ack(now);
        }
    }

    fn discard(&mut self, why: Discard) {
        self.events.push_back(Event::Discarded(why));
    }

    /// Record why the segment is dropped, and stop processing it.
    fn drop_segment(&mut self, why: Discard) -> ControlFlow<()> {
        self.discard(why);
        Break(())
    }

    /// RFC 9293 §3.10.7.3, SYN-SENT state.
    fn on_segment_syn_sent(&mut self, now: Instant, seg: &Segment) {
        // First, check the ACK bit: it must acknowledge our SYN and nothing beyond.
        let ack_ok = seg.flags.ack && self.iss.lt(seg.ack) && seg.ack.le(self.snd_nxt);
        if seg.flags.ack && !ack_ok {
            if !seg.flags.rst {
                self.transmit(now, seg.ack, Flags::RST, Vec::new());
            }
            // Linux (tcp_rcv_synsent_state_process, "Previous FIN/ACK or RST/ACK might be ignored"): the
            // ACK may come from the peer's old incarnation of the pair (its TIME-WAIT, or a connection that
            // missed our last FIN or RST), which our RST ends; so, unless it has been retransmitted already,
            // the SYN goes again almost at once instead of after a whole RTO.
            if let Some(retry) = self.cfg.syn_sent_rst_retry.filter(|_| self.retries == 0) {
                self.arm(Timer::Retransmit, now + retry);
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
        self.negotiate(seg);
        self.set_snd_wnd(seg);
        self.ts_recent = seg.ts.filter(|_| self.cfg.timestamps).map(|ts| ts.val);
        if ack_ok {
            self.take_rtt_sample(now, seg.ack);
            self.snd_una = seg.ack;
            self.retries = 0;
            self.cancel(Timer::Retransmit);
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

    /// RFC 9293 §3.10.7.4, SYN-RECEIVED and the synchronized states: the numbered steps in order, each of
    /// which either passes the segment on (`Continue`) or is done with it (`Break`).
    fn on_segment_synchronized(
        &mut self,
        now: Instant,
        seg: &Segment,
        tag: u32,
    ) -> ControlFlow<()> {
        self.check_paws(seg)?;
        self.time_wait_fin(now, seg)?;
        self.check_sequence(seg)?;
        self.update_ts_recent(seg);
        self.check_rst(seg)?;
        self.check_syn(seg)?;
        self.check_ack(now, seg)?;
        self.ack_of_our_fin(now, seg)?;
        self.data_after_close(now, seg)?;
        // Seventh, the segment text, and eighth, the FIN bit: only states that still receive take them.
        if matches!(
            self.state,
            State::Established | State::FinWait1 | State::FinWait2
        ) {
            self.receive(now, seg, tag);
        }
        Continue(())
    }

    /// PAWS (RFC 7323 §5.3, R1): a segment whose TSval is older than TS.Recent is an old duplicate,
    /// whatever its sequence number says: ACK it and drop it. A RST is not checked (R1 exempts it).
    fn check_paws(&mut self, seg: &Segment) -> ControlFlow<()> {
        if let (Some(recent), Some(ts)) = (self.ts_recent, seg.ts) {
            if !seg.flags.rst && Timestamps::older(ts.val, recent) {
                self.owe_ack_now(seg.seq_len() == 0 || seg.flags.syn);
                return self.drop_segment(Discard::Paws);
            }
        }
        Continue(())
    }

    /// TIME-WAIT: "The only thing that can arrive in this state is a retransmission of the remote FIN.
    /// Acknowledge it, and restart the 2 MSL timeout" (eighth step). Its sequence number lies just below
    /// RCV.NXT, so the first step's acceptability test alone would only ACK it; like real stacks (Linux's
    /// tcp_timewait_state_process) we recognise it here so that the timer restarts as the RFC intends.
    fn time_wait_fin(&mut self, now: Instant, seg: &Segment) -> ControlFlow<()> {
        if self.state == State::TimeWait
            && seg.flags.fin
            && !seg.flags.rst
            && seg.seq + seg.seq_len() == self.rcv_nxt
        {
            self.owe_ack_now(false);
            if let Some(length) = self.cfg.time_wait {
                self.arm(Timer::TimeWait, now + length);
            }
            return Break(());
        }
        Continue(())
    }

    /// First, check the sequence number. An unacceptable segment gets an ACK (unless it is a RST).
    fn check_sequence(&mut self, seg: &Segment) -> ControlFlow<()> {
        if self.acceptable(seg) {
            return Continue(());
        }
        if !seg.flags.rst {
            // Like Linux (tcp_oow_rate_limited), only replies to segments that occupy no sequence space,
            // or carry SYN, are throttled: a duplicate of data or of a FIN is no ACK war.
            self.owe_ack_now(seg.seq_len() == 0 || seg.flags.syn);
        }
        self.drop_segment(Discard::OutsideWindow)
    }

    /// RFC 7323 §4.3 (simplified to segments that pass the first check): remember the newest TSval.
    fn update_ts_recent(&mut self, seg: &Segment) {
        if let (Some(recent), Some(ts)) = (self.ts_recent, seg.ts) {
            if !Timestamps::older(ts.val, recent) && !seg.flags.rst {
                self.ts_recent = Some(ts.val);
            }
        }
    }

    /// Second, the RST bit. RFC 9293 adopts RFC 5961 §3.2: only a RST at exactly RCV.NXT resets; one
    /// elsewhere in the window gets a challenge ACK.
    fn check_rst(&mut self, seg: &Segment) -> ControlFlow<()> {
        if !seg.flags.rst {
            return Continue(());
        }
        if seg.seq != self.rcv_nxt {
            self.owe_ack_now(true);
            return self.drop_segment(Discard::RstChallenge);
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
        Break(())
    }

    /// Fourth, the SYN bit: in a synchronized state answer with a challenge ACK (RFC 5961 §4, as
    /// RFC 9293 recommends). In SYN-RECEIVED of a passive OPEN, return to LISTEN.
    fn check_syn(&mut self, seg: &Segment) -> ControlFlow<()> {
        if !seg.flags.syn {
            return Continue(());
        }
        if self.state == State::SynReceived && self.passive {
            self.set_state(State::Listen, Cause::RcvSyn);
        } else {
            self.owe_ack_now(true);
            self.discard(Discard::SynChallenge);
        }
        Break(())
    }

    /// Fifth, the ACK field: without ACK the segment is dropped; in SYN-RECEIVED it must acknowledge our
    /// SYN; it may be neither ahead of SND.NXT nor too old; then SND.UNA and the send window move.
    fn check_ack(&mut self, now: Instant, seg: &Segment) -> ControlFlow<()> {
        if !seg.flags.ack {
            return self.drop_segment(Discard::NoAck);
        }
        if self.state == State::SynReceived {
            if !(self.snd_una.lt(seg.ack) && seg.ack.le(self.snd_nxt)) {
                self.transmit(now, seg.ack, Flags::RST, Vec::new());
                return self.drop_segment(Discard::BadAckInSynReceived);
            }
            self.set_state(State::Established, Cause::RcvAck);
            self.events.push_back(Event::App(AppEvent::Connected));
        }
        if self.snd_nxt.lt(seg.ack) {
            // It acknowledges something not yet sent: send an ACK, drop the segment.
            self.owe_ack_now(true);
            return self.drop_segment(Discard::AckOfUnsent);
        }
        // RFC 5961 §5.2: an ACK field below SND.UNA - MAX.SND.WND cannot be the peer's (blind data
        // injection, or an old duplicate of another incarnation): drop the segment, data and all, and send
        // a challenge ACK (Linux's tcp_ack, "RFC 5961 5.2 [Blind Data Injection Attack]").
        if seg.ack.lt(self.snd_una - self.max_snd_wnd) {
            self.owe_ack_now(true);
            return self.drop_segment(Discard::AckTooOld);
        }
        if self.snd_una.lt(seg.ack) {
            self.on_new_ack(now, seg.ack);
        }
        // The window is updated only if SND.UNA =< SEG.ACK; an older ACK is ignored.
        if self.snd_una.le(seg.ack) {
            self.set_snd_wnd(seg);
        }
        Continue(())
    }

    /// Fifth step, the closing states: what the acknowledgment of our FIN does in each.
    fn ack_of_our_fin(&mut self, now: Instant, seg: &Segment) -> ControlFlow<()> {
        let our_fin_acked = self.fin_seq.is_some_and(|f| f.lt(self.snd_una));
        match self.state {
            // FIN-WAIT-1: if our FIN is now acknowledged, enter FIN-WAIT-2.
            State::FinWait1 if our_fin_acked => {
                self.set_state(State::FinWait2, Cause::RcvAckOfFin);
                // A FIN riding on this ACK takes the orphan to TIME-WAIT instead (below).
                if self.orphaned && !seg.flags.fin {
                    self.orphan_in_fin_wait_2(now);
                    if self.state == State::Closed {
                        return Break(());
                    }
                }
            }
            // CLOSING: if the ACK acknowledges our FIN, enter TIME-WAIT; otherwise ignore the segment.
            State::Closing => {
                if our_fin_acked {
                    self.enter_time_wait(now, Cause::RcvAckOfFin);
                }
                return Break(());
            }
            // LAST-ACK: if our FIN is now acknowledged, delete the TCB, enter CLOSED, and return.
            State::LastAck if our_fin_acked => {
                self.events.push_back(Event::App(AppEvent::Closed));
                self.set_state(State::Closed, Cause::RcvAckOfFin);
                return Break(());
            }
            _ => {}
        }
        Continue(())
    }

    /// Linux (and RFC 9293 §3.6.1 SHLD-2, for hosts whose CLOSE is half-duplex): new data after the
    /// application closed cannot be read by anyone; answer it with RST to show that it was lost.
    fn data_after_close(&mut self, now: Instant, seg: &Segment) -> ControlFlow<()> {
        if self.orphaned
            && self.cfg.orphan_fin_wait_2.is_some()
            && matches!(self.state, State::FinWait1 | State::FinWait2)
            && self.rcv_nxt.lt(seg.seq + seg.payload.len() as u32)
        {
            self.transmit(now, seg.ack, Flags::RST, Vec::new());
            self.events.push_back(Event::App(AppEvent::Reset));
            self.set_state(State::Closed, Cause::DataAfterClose);
            return Break(());
        }
        Continue(())
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
            self.cancel(Timer::Retransmit);
        } else {
            self.arm_retransmit(now, false);
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
        while let Some((start, mut chunk)) = self.held.pop_first_if(|&start| start <= self.rcv_pos)
        {
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
