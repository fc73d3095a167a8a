//! The retransmission time-out estimator of RFC 6298 §2.

use crate::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RtoBounds {
    pub initial: Duration,
    pub min: Duration,
    pub max: Duration,
}

#[derive(Clone, Debug)]
pub struct RttEstimator {
    bounds: RtoBounds,
    /// SRTT and RTTVAR once the first measurement is in.
    smoothed: Option<(Duration, Duration)>,
    rto: Duration,
}

impl RttEstimator {
    /// RFC 6298 §2.1: until a measurement is made, RTO is the initial value.
    pub fn new(bounds: RtoBounds) -> Self {
        RttEstimator {
            bounds,
            smoothed: None,
            rto: bounds.initial,
        }
    }

    pub fn rto(&self) -> Duration {
        self.rto
    }

    /// RFC 6298 §2.2 (first measurement) and §2.3 (later ones), with K = 4, alpha = 1/8, beta = 1/4.
    pub fn sample(&mut self, r: Duration) {
        let (srtt, rttvar) = match self.smoothed {
            None => (r, Duration(r.0 / 2)),
            Some((srtt, rttvar)) => {
                let err = Duration(srtt.0.abs_diff(r.0));
                (
                    Duration((7 * srtt.0 + r.0) / 8),
                    Duration((3 * rttvar.0 + err.0) / 4),
                )
            }
        };
        self.smoothed = Some((srtt, rttvar));
        self.rto = self.clamp(srtt + rttvar.saturating_mul(4));
    }

    /// RFC 6298 §5.5: on a retransmission time-out, back off by doubling, up to the maximum.
    pub fn back_off(&mut self) {
        self.rto = self.clamp(self.rto.saturating_mul(2));
    }

    /// RFC 6298 §2.4 (at least the minimum) and §2.5 (a maximum may be placed on RTO).
    fn clamp(&self, rto: Duration) -> Duration {
        rto.max(self.bounds.min).min(self.bounds.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: RtoBounds = RtoBounds {
        initial: Duration::from_secs(1),
        min: Duration::from_millis(200),
        max: Duration::from_secs(60),
    };

    #[test]
    fn first_sample_sets_srtt_and_half_rttvar() {
        // RFC 6298 §2.2: SRTT <- R, RTTVAR <- R/2, RTO <- SRTT + max(G, K*RTTVAR) = R + 2R.
        let mut est = RttEstimator::new(BOUNDS);
        assert_eq!(est.rto(), Duration::from_secs(1));
        est.sample(Duration::from_millis(100));
        assert_eq!(est.rto(), Duration::from_millis(300));
    }

    #[test]
    fn later_samples_smooth_and_rto_respects_bounds() {
        let mut est = RttEstimator::new(BOUNDS);
        est.sample(Duration::from_millis(100));
        // RFC 6298 §2.3: RTTVAR = 3/4*50 + 1/4*|100-100| = 37.5ms, SRTT = 100ms; RTO = 250ms.
        est.sample(Duration::from_millis(100));
        assert_eq!(est.rto(), Duration::from_micros(250_000));
        for _ in 0..20 {
            est.sample(Duration::from_millis(1));
        }
        assert_eq!(
            est.rto(),
            BOUNDS.min,
            "RFC 6298 §2.4: never below the minimum"
        );
        for _ in 0..20 {
            est.back_off();
        }
        assert_eq!(
            est.rto(),
            BOUNDS.max,
            "RFC 6298 §5.5: doubling stops at the maximum"
        );
    }
}
