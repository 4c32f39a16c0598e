//! Random numbers: seeded, portable streams, and the service-time distributions.
//!
//! Every request draws its CPU bursts and I/O waits from its own generator, seeded from
//! the scenario seed and the request's arrival number. So request number 7 needs the
//! same work under every server kind, and comparing two servers on the same seed
//! compares them on the same requests (common random numbers), which makes the
//! article's side-by-side charts differ only by the server.

use rand::Rng;
use rand_distr::{Distribution, Exp1, StandardNormal};
use rand_pcg::Pcg64Mcg;

use crate::{Scenario, Service};

/// SplitMix64's finaliser: a bijective mix so that nearby seeds give unrelated streams.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A generator for stream `stream` of `seed` (the arrival process, or one request).
pub(crate) fn stream(seed: u64, stream: u64) -> Pcg64Mcg {
    let a = mix(seed ^ mix(stream.wrapping_add(0x9e37_79b9_7f4a_7c15)));
    let b = mix(a ^ 0x2545_f491_4f6c_dd1d);
    Pcg64Mcg::new(u128::from(a) << 64 | u128::from(b))
}

/// The stream number of the arrival and think-time generator; requests use their
/// arrival number, which never reaches it.
pub(crate) const ARRIVALS: u64 = u64::MAX;

/// An exponential draw with this mean.
#[inline]
pub(crate) fn exponential(rng: &mut Pcg64Mcg, mean: f64) -> f64 {
    let x: f64 = Exp1.sample(rng);
    x * mean
}

/// The distribution of one CPU burst or one I/O wait.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Times {
    Zero,
    Exponential(f64),
    Constant(f64),
    /// exp(mu + sigma * z) for a standard normal z.
    Lognormal {
        mu: f64,
        sigma: f64,
    },
}

impl Times {
    fn new(service: Service, mean: f64, cv: f64) -> Times {
        if mean <= 0.0 {
            return Times::Zero;
        }
        match service {
            Service::Exponential => Times::Exponential(mean),
            Service::Constant => Times::Constant(mean),
            // Validation keeps mean > 0 and 0 < cv <= 10, where this cannot fail.
            // The pure-Rust `libm` rather than the platform's: glibc's `exp` and `log`
            // and wasm's differ in the last bit now and then, which would break the
            // same-seed-same-result promise between the CLI and the browser.
            Service::Lognormal => {
                let sigma2 = libm::log(1.0 + cv * cv);
                Times::Lognormal {
                    mu: libm::log(mean) - sigma2 / 2.0,
                    sigma: sigma2.sqrt(),
                }
            }
        }
    }

    #[inline]
    pub(crate) fn sample(&self, rng: &mut Pcg64Mcg) -> f64 {
        match self {
            Times::Zero => 0.0,
            Times::Exponential(mean) => exponential(rng, *mean),
            Times::Constant(mean) => *mean,
            Times::Lognormal { mu, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                libm::exp(mu + sigma * z)
            }
        }
    }
}

/// Per-request work, in seconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Work {
    /// One of the `io_calls + 1` CPU bursts.
    pub(crate) burst: Times,
    /// One of the `io_calls` I/O waits.
    pub(crate) io: Times,
    /// Share of I/O calls that block an event loop.
    pub(crate) blocking_share: f64,
}

impl Work {
    pub(crate) fn new(s: &Scenario) -> Work {
        let bursts = f64::from(s.io_calls + 1);
        let io_mean = if s.io_calls == 0 {
            0.0
        } else {
            s.io_ms / 1e3 / f64::from(s.io_calls)
        };
        Work {
            burst: Times::new(s.service, s.cpu_ms / 1e3 / bursts, s.cv),
            io: Times::new(s.service, io_mean, s.cv),
            blocking_share: if s.server.is_event_loop() {
                s.blocking_share
            } else {
                0.0
            },
        }
    }

    /// Whether this I/O call blocks the loop. Draws only when blocking is possible, so
    /// that `blocking_share = 0` leaves every other draw as it was.
    #[inline]
    pub(crate) fn blocks(&self, rng: &mut Pcg64Mcg) -> bool {
        self.blocking_share > 0.0 && rng.random::<f64>() < self.blocking_share
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_of(times: Times, n: usize) -> f64 {
        let mut rng = stream(42, 0);
        (0..n).map(|_| times.sample(&mut rng)).sum::<f64>() / n as f64
    }

    #[test]
    fn means_match() {
        let n = 200_000;
        assert!((mean_of(Times::new(Service::Exponential, 2.0, 1.0), n) - 2.0).abs() < 0.03);
        assert_eq!(mean_of(Times::new(Service::Constant, 2.0, 1.0), 10), 2.0);
        assert!((mean_of(Times::new(Service::Lognormal, 2.0, 0.5), n) - 2.0).abs() < 0.02);
        assert_eq!(mean_of(Times::new(Service::Lognormal, 0.0, 0.5), 10), 0.0);
    }

    #[test]
    fn streams_are_fixed_by_seed_and_number() {
        let draw = |seed, n| stream(seed, n).random::<u64>();
        assert_eq!(draw(1, 5), draw(1, 5));
        assert_ne!(draw(1, 5), draw(1, 6));
        assert_ne!(draw(1, 5), draw(2, 5));
        // A fixed value: if this changes, every published result changes with it.
        assert_eq!(draw(1, 0), 7_121_433_197_654_179_956);
    }
}
