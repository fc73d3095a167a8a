//! Virtual time. The core never reads a clock: every instant is handed in by the caller, in
//! microseconds since the start of the run, so that runs are deterministic and work on wasm32
//! (where `std::time::Instant` panics).

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::{Add, Sub};

/// A point in virtual time, in microseconds since the simulation started.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Instant(pub u64);

/// A span of virtual time, in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub u64);

impl Duration {
    pub const ZERO: Duration = Duration(0);
    pub const fn from_micros(us: u64) -> Self {
        Duration(us)
    }
    pub const fn from_millis(ms: u64) -> Self {
        Duration(ms * 1_000)
    }
    pub const fn from_secs(s: u64) -> Self {
        Duration(s * 1_000_000)
    }
    pub const fn micros(self) -> u64 {
        self.0
    }
    pub fn saturating_mul(self, n: u64) -> Self {
        Duration(self.0.saturating_mul(n))
    }
}

impl Instant {
    pub const ZERO: Instant = Instant(0);
    pub fn since(self, earlier: Instant) -> Duration {
        Duration(self.0.saturating_sub(earlier.0))
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, d: Duration) -> Instant {
        Instant(self.0.saturating_add(d.0))
    }
}

impl Add for Duration {
    type Output = Duration;
    fn add(self, d: Duration) -> Duration {
        Duration(self.0.saturating_add(d.0))
    }
}

impl Sub for Duration {
    type Output = Duration;
    fn sub(self, d: Duration) -> Duration {
        Duration(self.0.saturating_sub(d.0))
    }
}

/// Units a duration can be written in, largest first so that formatting picks the biggest exact one.
const UNITS: [(&str, u64); 5] = [
    ("h", 3_600_000_000),
    ("min", 60_000_000),
    ("s", 1_000_000),
    ("ms", 1_000),
    ("us", 1),
];

impl fmt::Display for Duration {
    /// The largest unit that shows the value exactly: `120s` prints as `2min`, `1500ms` as `1500ms`.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        let (unit, per) = UNITS
            .iter()
            .find(|(_, per)| self.0 % per == 0)
            .copied()
            .unwrap_or(("us", 1));
        write!(f, "{}{}", self.0 / per, unit)
    }
}

impl fmt::Display for Instant {
    /// Seconds with microsecond precision, as tcpdump prints relative times.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}.{:06}", self.0 / 1_000_000, self.0 % 1_000_000)
    }
}

/// Why a duration string did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDurationError(pub String);

impl fmt::Display for ParseDurationError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:?} is not a duration; write a number and a unit, like \"200ms\", \"1.5s\" or \"2min\" (units: h, min, s, ms, us)", self.0)
    }
}

impl std::str::FromStr for Duration {
    type Err = ParseDurationError;
    /// Parses `"200ms"`, `"1.5s"`, `"2min"`; decimals are exact down to the microsecond.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || ParseDurationError(text.to_string());
        let s = text.trim();
        let split = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(err)?;
        let (number, unit) = s.split_at(split);
        let per = UNITS
            .iter()
            .find(|(u, _)| *u == unit.trim())
            .map(|(_, p)| *p)
            .ok_or_else(err)?;
        let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
        if whole.is_empty() && frac.is_empty() || whole.len() > 12 || frac.len() > 9 {
            return Err(err());
        }
        let whole: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| err())?
        };
        let mut micros = whole.checked_mul(per).ok_or_else(err)?;
        // Each fractional digit is worth a tenth of the one before; digits finer than 1 µs must be 0.
        let mut place = per;
        for digit in frac.bytes() {
            let d = u64::from(
                digit
                    .checked_sub(b'0')
                    .filter(|d| *d <= 9)
                    .ok_or_else(err)?,
            );
            if place % 10 != 0 && d != 0 {
                return Err(err());
            }
            place /= 10;
            micros = micros.checked_add(d * place).ok_or_else(err)?;
        }
        Ok(Duration(micros))
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_decimals_exactly() {
        assert_eq!("200ms".parse(), Ok(Duration::from_millis(200)));
        assert_eq!("1.5s".parse(), Ok(Duration::from_millis(1500)));
        assert_eq!("2min".parse(), Ok(Duration::from_secs(120)));
        assert_eq!(" 7us ".parse(), Ok(Duration(7)));
        assert_eq!("0.000001s".parse(), Ok(Duration(1)));
        assert_eq!(".5s".parse(), Ok(Duration::from_millis(500)));
    }

    #[test]
    fn rejects_what_is_not_a_duration() {
        for bad in [
            "",
            "5",
            "ms",
            "1.2.3s",
            "1e3ms",
            "0.5us",
            "-1s",
            "99999999999999h",
            "2 fortnights",
        ] {
            assert!(bad.parse::<Duration>().is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn displays_in_the_largest_exact_unit_and_round_trips() {
        for (d, text) in [
            (Duration::from_secs(120), "2min"),
            (Duration::from_millis(1500), "1500ms"),
            (Duration(0), "0s"),
        ] {
            assert_eq!(d.to_string(), text);
            assert_eq!(text.parse(), Ok(d));
        }
    }
}
