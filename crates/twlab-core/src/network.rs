//! The network between the two hosts: a deterministic queue in virtual time, and a fate for every
//! segment. No segment outlives MSL: one whose flight would take longer is discarded when its lifetime
//! runs out (RFC 9293 §3.4.2; the whole 2×MSL argument rests on it).

use crate::scenario::Fate;
use crate::time::{Duration, Instant};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlightEnd {
    Delivered,
    Dropped,
    /// Discarded by the network when it had lived MSL.
    Expired,
}

/// One copy of a segment crossing the network: an arrow in the diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Flight {
    /// The second copy of a duplicated segment.
    pub copy: bool,
    /// When it leaves, and when its flight ends (arrival, or the point where it was lost or expired).
    pub departs: Instant,
    pub ends: Instant,
    pub end: FlightEnd,
    /// When it would arrive (its delay plus any extra its fate adds): `ends` for a delivered flight,
    /// later for one lost on the way or expired after MSL. The diagram draws a lost arrow as far across
    /// as `(ends - departs) / (arrives - departs)`.
    pub arrives: Instant,
}

/// A segment's one or two flights, kept inline: a bulk transfer has tens of thousands of segments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flights {
    list: [Flight; 2],
    len: u8,
}

impl Flights {
    /// A segment that made one flight, as a capture records it.
    pub fn single(flight: Flight) -> Flights {
        Flights {
            list: [flight; 2],
            len: 1,
        }
    }
}

impl std::ops::Deref for Flights {
    type Target = [Flight];
    fn deref(&self) -> &[Flight] {
        &self.list[..usize::from(self.len)]
    }
}

impl<'a> IntoIterator for &'a Flights {
    type Item = &'a Flight;
    type IntoIter = std::slice::Iter<'a, Flight>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl Serialize for Flights {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

/// A flight's end waiting in the queue; `order` keeps emission order among equal times (turmoil's rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Due {
    pub at: Instant,
    order: u64,
    pub segment: u32,
    pub copy: bool,
    pub end: FlightEnd,
}

#[derive(Debug, Default)]
pub struct Network {
    msl: Duration,
    delay: Duration,
    queue: BinaryHeap<Reverse<Due>>,
    sent: u64,
}

impl Network {
    pub fn new(msl: Duration, delay: Duration) -> Self {
        Network {
            msl,
            delay,
            queue: BinaryHeap::new(),
            sent: 0,
        }
    }

    /// Put segment number `segment` on the wire at `now` with its fate; returns its flights.
    pub fn send(&mut self, now: Instant, segment: u32, fate: Option<Fate>) -> Flights {
        let flight_times: &[Duration] = match fate {
            None | Some(Fate::Drop) => &[self.delay],
            Some(Fate::Delay(extra)) => &[self.delay + extra],
            Some(Fate::Duplicate(gap)) => &[self.delay, self.delay + gap],
        };
        let none = Flight {
            copy: false,
            departs: now,
            ends: now,
            end: FlightEnd::Delivered,
            arrives: now,
        };
        let mut flights = Flights {
            list: [none; 2],
            len: 0,
        };
        for (i, &time) in flight_times.iter().enumerate() {
            let (ends, end) = if fate == Some(Fate::Drop) {
                // Lost part-way: the diagram ends the arrow half-way across.
                (
                    now + Duration(time.0 / 2).max(Duration(1)),
                    FlightEnd::Dropped,
                )
            } else if time > self.msl {
                (now + self.msl, FlightEnd::Expired)
            } else {
                (now + time, FlightEnd::Delivered)
            };
            let copy = i > 0;
            self.sent += 1;
            self.queue.push(Reverse(Due {
                at: ends,
                order: self.sent,
                segment,
                copy,
                end,
            }));
            flights.list[i] = Flight {
                copy,
                departs: now,
                ends,
                end,
                arrives: now + time,
            };
            flights.len += 1;
        }
        flights
    }

    pub fn next_at(&self) -> Option<Instant> {
        self.queue.peek().map(|Reverse(due)| due.at)
    }

    /// The next flight that ends at or before `now`, in (time, emission) order.
    pub fn pop_due(&mut self, now: Instant) -> Option<Due> {
        if self.next_at()? > now {
            return None;
        }
        self.queue.pop().map(|Reverse(due)| due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net() -> Network {
        Network::new(Duration::from_secs(1), Duration::from_millis(50))
    }

    #[test]
    fn fates_shape_the_flights() {
        let mut n = net();
        let t = Instant(1_000);
        assert_eq!(n.send(t, 0, None)[0].ends, t + Duration::from_millis(50));
        let lost = n.send(t, 1, Some(Fate::Drop))[0];
        assert_eq!(lost.end, FlightEnd::Dropped);
        // Lost half-way, but it knows when it would have arrived.
        assert_eq!(lost.arrives, t + Duration::from_millis(50));
        assert!(lost.ends < lost.arrives);
        let late = n.send(t, 2, Some(Fate::Delay(Duration::from_millis(500))))[0];
        assert_eq!(
            (late.ends, late.end),
            (t + Duration::from_millis(550), FlightEnd::Delivered)
        );
        let dup = n.send(t, 3, Some(Fate::Duplicate(Duration::from_millis(100))));
        assert_eq!(dup.len(), 2);
        assert!(dup[1].copy && dup[1].ends == t + Duration::from_millis(150));
    }

    #[test]
    fn nothing_outlives_msl() {
        // RFC 9293 §3.4.2: segments older than MSL are gone from the network.
        let mut n = net();
        let f = n.send(Instant(0), 0, Some(Fate::Delay(Duration::from_secs(5))))[0];
        assert_eq!((f.ends, f.end), (Instant(1_000_000), FlightEnd::Expired));
        assert_eq!(f.arrives, Instant(5_050_000), "the arrival MSL prevented");
        let dup = n.send(Instant(0), 1, Some(Fate::Duplicate(Duration::from_secs(2))));
        assert_eq!(dup[0].end, FlightEnd::Delivered);
        assert_eq!(
            (dup[1].ends, dup[1].end),
            (Instant(1_000_000), FlightEnd::Expired)
        );
    }

    #[test]
    fn equal_times_pop_in_emission_order() {
        let mut n = net();
        n.send(Instant(0), 7, None);
        n.send(Instant(0), 3, None);
        let first = n.pop_due(Instant(50_000)).unwrap();
        let second = n.pop_due(Instant(50_000)).unwrap();
        assert_eq!((first.segment, second.segment), (7, 3));
        assert!(n.pop_due(Instant(50_000)).is_none());
    }
}
