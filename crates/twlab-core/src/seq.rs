//! Sequence numbers live in a 32-bit space that wraps (RFC 9293 §3.4): comparisons are modulo 2^32.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, Sub};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SeqNum(pub u32);

impl SeqNum {
    /// `self < other` in sequence space: the signed distance is positive (RFC 9293 §3.4, "=<" means
    /// "less than or equal (modulo 2**32)").
    pub fn lt(self, other: SeqNum) -> bool {
        (other.0.wrapping_sub(self.0) as i32) > 0
    }
    pub fn le(self, other: SeqNum) -> bool {
        self == other || self.lt(other)
    }
    /// Distance from `earlier` up to `self`, assuming `earlier <= self`.
    pub fn since(self, earlier: SeqNum) -> u32 {
        self.0.wrapping_sub(earlier.0)
    }
}

impl Add<u32> for SeqNum {
    type Output = SeqNum;
    fn add(self, n: u32) -> SeqNum {
        SeqNum(self.0.wrapping_add(n))
    }
}

impl Sub<u32> for SeqNum {
    type Output = SeqNum;
    fn sub(self, n: u32) -> SeqNum {
        SeqNum(self.0.wrapping_sub(n))
    }
}

impl fmt::Display for SeqNum {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_wraps_around_2_pow_32() {
        let near_top = SeqNum(u32::MAX - 5);
        let wrapped = near_top + 10;
        assert_eq!(wrapped, SeqNum(4));
        assert!(near_top.lt(wrapped));
        assert!(!wrapped.lt(near_top));
        assert!(wrapped.le(wrapped));
        assert_eq!(wrapped.since(near_top), 10);
    }
}
