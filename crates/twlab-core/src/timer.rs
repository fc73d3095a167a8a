//! An endpoint's timers: one expiry per [`Timer`] in one table (after quinn-proto's `TimerTable`), whose
//! `arm`, `cancel` and `expire` return the event that records what they did.

use crate::endpoint::Event;
use crate::time::Instant;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Timer {
    Retransmit,
    TimeWait,
    DelayedAck,
    /// Linux's time-out for an orphaned FIN-WAIT-2 (`tcp_fin_timeout`).
    FinWait2,
}

impl Timer {
    /// The order in which timers due at the same instant fire: those that end the connection first, so
    /// that a TCB they delete sends nothing more.
    pub const FIRING_ORDER: [Timer; 4] = [
        Timer::FinWait2,
        Timer::TimeWait,
        Timer::DelayedAck,
        Timer::Retransmit,
    ];
}

/// A timer started (or restarted: it was already running), as reported and recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TimerArm {
    pub timer: Timer,
    pub expires: Instant,
    pub restart: bool,
}

#[derive(Clone, Debug, Default)]
pub struct TimerTable {
    expires: [Option<Instant>; 4],
}

impl TimerTable {
    pub fn get(&self, timer: Timer) -> Option<Instant> {
        self.expires[timer as usize]
    }

    pub fn is_armed(&self, timer: Timer) -> bool {
        self.get(timer).is_some()
    }

    /// Start `timer`, or restart it if it runs.
    pub fn arm(&mut self, timer: Timer, expires: Instant) -> Event {
        let restart = self.expires[timer as usize].replace(expires).is_some();
        Event::TimerArmed(TimerArm {
            timer,
            expires,
            restart,
        })
    }

    /// Stop `timer`; `None` if it was not running (nothing to record).
    pub fn cancel(&mut self, timer: Timer) -> Option<Event> {
        self.expires[timer as usize]
            .take()
            .map(|_| Event::TimerCancelled { timer })
    }

    /// Take `timer` off the table if it is due at `now`.
    pub fn expire(&mut self, timer: Timer, now: Instant) -> Option<Event> {
        let slot = &mut self.expires[timer as usize];
        slot.take_if(|at| *at <= now)
            .map(|_| Event::TimerFired { timer })
    }

    /// The earliest expiry.
    pub fn next(&self) -> Option<Instant> {
        self.expires.iter().flatten().min().copied()
    }
}
