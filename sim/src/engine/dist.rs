//! Random numbers: seeded, portable streams, and what each request needs.
//!
//! Every request draws its work from its own generator, seeded from the scenario seed
//! and the request's arrival number. So request number 7 needs the same work under every
//! server kind, and comparing two servers on the same seed compares them on the same
//! requests (common random numbers), which makes the article's side-by-side charts
//! differ only by the server.
//!
//! Every draw is plain arithmetic on uniform numbers with `libm`'s pure-Rust `log`,
//! `exp`, `sqrt` and `cos`, never the platform's: glibc's and wasm's libm differ in the
//! last bit now and then, which would break the same-seed-same-result promise between
//! the command line and the browser. Exponential draws, the most frequent, use the
//! ziggurat method (`ziggurat.rs`), which needs a logarithm only in its rare tail.

use rand::Rng;
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

/// A uniform number in [0, 1) from 53 random bits.
#[inline]
pub(crate) fn uniform(rng: &mut Pcg64Mcg) -> f64 {
    rng.random::<f64>()
}

/// An exponential draw with this mean.
#[inline]
pub(crate) fn exponential(rng: &mut Pcg64Mcg, mean: f64) -> f64 {
    super::ziggurat::exponential(rng) * mean
}

/// An exponential draw of mean 1 by inversion, `-ln(1 - u)`: the ziggurat's tail.
#[inline]
pub(crate) fn inverted_exponential(rng: &mut Pcg64Mcg) -> f64 {
    -libm::log(1.0 - uniform(rng))
}

/// A standard normal draw, by Box-Muller (one of the pair).
#[inline]
fn standard_normal(rng: &mut Pcg64Mcg) -> f64 {
    let u1 = 1.0 - uniform(rng); // in (0, 1]: its log is finite
    let u2 = uniform(rng);
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
}

/// The distribution of one total (a request's CPU, I/O or database time).
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
    pub(crate) fn new(service: Service, mean: f64, cv: f64) -> Times {
        if mean <= 0.0 {
            return Times::Zero;
        }
        match service {
            Service::Exponential => Times::Exponential(mean),
            Service::Constant => Times::Constant(mean),
            // Validation keeps mean > 0 and 0 < cv <= 10, where this cannot fail.
            Service::Lognormal => {
                let sigma2 = libm::log(1.0 + cv * cv);
                Times::Lognormal {
                    mu: libm::log(mean) - sigma2 / 2.0,
                    sigma: libm::sqrt(sigma2),
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
            Times::Lognormal { mu, sigma } => libm::exp(mu + sigma * standard_normal(rng)),
        }
    }
}

/// What requests need, in seconds: the distributions of their totals, how the totals
/// split into bursts and waits, and the chances that shape a request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Work {
    cpu: Times,
    heavy_cpu: Times,
    heavy_share: f64,
    io: Times,
    db: Times,
    /// I/O waits and database queries per request (0 when the total is 0).
    pub(crate) io_waits: u32,
    pub(crate) db_waits: u32,
    /// CPU of the server itself, added to a request's first burst.
    overhead_s: f64,
    /// Share of waits that block an event loop.
    blocking_share: f64,
}

/// One request's needs, drawn when it arrives.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    /// CPU of each burst (equal shares of the drawn total), s.
    pub(crate) burst_s: f64,
    /// The server's own CPU, run with the first burst, s.
    pub(crate) overhead_s: f64,
    /// Each I/O wait and each query, s.
    pub(crate) io_s: f64,
    pub(crate) db_s: f64,
    pub(crate) heavy: bool,
}

impl Work {
    pub(crate) fn new(s: &Scenario) -> Work {
        let io_waits = if s.io_ms > 0.0 { s.io_calls } else { 0 };
        let db_waits = if s.db_ms > 0.0 { s.db_calls } else { 0 };
        Work {
            cpu: Times::new(s.service, s.cpu_ms / 1e3, s.cv),
            heavy_cpu: Times::new(s.service, s.effective_heavy_cpu_ms() / 1e3, s.cv),
            heavy_share: s.heavy_share,
            io: Times::new(s.service, s.io_ms / 1e3, s.cv),
            db: Times::new(s.service, s.db_ms / 1e3, s.cv),
            io_waits,
            db_waits,
            overhead_s: s.effective_overhead_us() / 1e6,
            blocking_share: if s.server.is_event_loop() {
                s.blocking_share
            } else {
                0.0
            },
        }
    }

    /// Waits per request: its queries, then its I/O calls.
    pub(crate) fn waits(&self) -> u32 {
        self.db_waits + self.io_waits
    }

    /// Draws one request's needs. The draws come in a fixed order, and a draw whose
    /// outcome cannot matter is not made (no heavy draw when no request is heavy), so
    /// that adding an unused feature leaves every other draw as it was.
    pub(crate) fn plan(&self, rng: &mut Pcg64Mcg) -> Plan {
        let heavy = self.heavy_share > 0.0 && uniform(rng) < self.heavy_share;
        let cpu = if heavy { self.heavy_cpu } else { self.cpu }.sample(rng);
        let io = self.io.sample(rng);
        let db = self.db.sample(rng);
        let share = |total: f64, parts: u32| {
            if parts == 0 {
                0.0
            } else {
                total / f64::from(parts)
            }
        };
        Plan {
            burst_s: share(cpu, self.waits() + 1),
            overhead_s: self.overhead_s,
            io_s: share(io, self.io_waits),
            db_s: share(db, self.db_waits),
            heavy,
        }
    }

    /// Whether this wait blocks the loop. Draws only when blocking is possible, so that
    /// `blocking_share = 0` leaves every other draw as it was.
    #[inline]
    pub(crate) fn blocks(&self, rng: &mut Pcg64Mcg) -> bool {
        self.blocking_share > 0.0 && uniform(rng) < self.blocking_share
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
    fn the_exponential_tail_and_the_normal_spread_are_right() {
        let n = 400_000;
        let mut rng = stream(9, 1);
        let tail = (0..n).filter(|_| exponential(&mut rng, 1.0) > 3.0).count() as f64 / n as f64;
        assert!((tail - (-3.0f64).exp()).abs() < 0.002, "{tail}");
        let z: Vec<f64> = (0..n).map(|_| standard_normal(&mut rng)).collect();
        let mean = z.iter().sum::<f64>() / n as f64;
        let var = z.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(
            mean.abs() < 0.01 && (var - 1.0).abs() < 0.01,
            "{mean} {var}"
        );
    }

    #[test]
    fn a_request_splits_its_totals_evenly() {
        let s = Scenario {
            cpu_ms: 9.0,
            io_ms: 20.0,
            io_calls: 2,
            db_ms: 10.0,
            service: Service::Constant,
            overhead_us: Some(50.0),
            ..Scenario::default()
        };
        let work = Work::new(&s);
        assert_eq!(work.waits(), 3);
        let plan = work.plan(&mut stream(1, 1));
        assert!((plan.burst_s - 0.009 / 4.0).abs() < 1e-15);
        assert!((plan.io_s - 0.010).abs() < 1e-15);
        assert!((plan.db_s - 0.010).abs() < 1e-15);
        assert_eq!(plan.overhead_s, 50e-6);
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
