//! Percentiles of many values in little memory: counts in logarithmic bins, 128 per
//! octave above 128 ns (exact below), so a percentile is known to within 0.4% of its
//! value at any scale, from sub-millisecond bursts to timeouts. Small and plain, so the
//! same code runs natively and in the browser; a test holds it to HdrHistogram.

/// Mantissa bits per octave: 2^7 = 128 bins per doubling.
const SUB_BITS: u32 = 7;
const SUB: u64 = 1 << SUB_BITS;
/// Values up to 2^50 ns (13 days); larger ones count in the last bin.
const MAX_BITS: u32 = 50;
const BINS: usize = (SUB + (MAX_BITS - SUB_BITS) as u64 * SUB) as usize;

#[derive(Debug, Clone)]
pub(crate) struct LogHistogram {
    counts: Vec<u32>,
    total: u64,
}

fn bin(ns: u64) -> usize {
    if ns < SUB {
        return ns as usize;
    }
    let octave = 63 - u64::from(ns.leading_zeros()); // >= SUB_BITS
    let sub = (ns >> (octave - u64::from(SUB_BITS))) & (SUB - 1);
    ((SUB + (octave - u64::from(SUB_BITS)) * SUB + sub) as usize).min(BINS - 1)
}

/// The middle of a bin, ns.
fn middle(bin: usize) -> f64 {
    let bin = bin as u64;
    if bin < SUB {
        return bin as f64;
    }
    let octave = (bin - SUB) / SUB + u64::from(SUB_BITS);
    let sub = (bin - SUB) % SUB;
    let width = 1u64 << (octave - u64::from(SUB_BITS));
    let low = (SUB + sub) * width;
    low as f64 + (width as f64 - 1.0) / 2.0
}

impl LogHistogram {
    pub(crate) fn new() -> LogHistogram {
        LogHistogram {
            counts: vec![0; BINS],
            total: 0,
        }
    }

    /// Records a duration in seconds.
    #[inline]
    pub(crate) fn record(&mut self, seconds: f64) {
        // `+ 0.5` then truncation rounds a non-negative value without calling libm's
        // `round` (no SSE4.1 on the baseline target).
        let ns = (seconds * 1e9 + 0.5) as u64;
        let count = &mut self.counts[bin(ns)];
        *count = count.saturating_add(1);
        self.total += 1;
    }

    /// The value at quantile `q` (0 to 1), ms; 0 when empty.
    pub(crate) fn quantile_ms(&self, q: f64) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0u64;
        for (bin, &count) in self.counts.iter().enumerate() {
            seen += u64::from(count);
            if seen >= rank {
                return middle(bin) / 1e6;
            }
        }
        middle(BINS - 1) / 1e6
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_falls_in_a_bin_that_holds_it() {
        let mut x = 1u64;
        while x < 1 << MAX_BITS {
            for v in [x, x + 1, x * 3 / 2] {
                let m = middle(bin(v));
                assert!((m - v as f64).abs() <= v as f64 / SUB as f64, "{v} -> {m}");
            }
            x *= 2;
        }
    }

    #[test]
    fn percentiles_agree_with_hdrhistogram() {
        let mut ours = LogHistogram::new();
        let mut hdr = hdrhistogram::Histogram::<u64>::new_with_bounds(1, 1 << 50, 3).unwrap();
        // A long-tailed mix: values from 10 µs to 10 s.
        let mut state = 7u64;
        for _ in 0..200_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            let seconds = 1e-5 * (1e6f64).powf(u * u);
            ours.record(seconds);
            hdr.record((seconds * 1e9 + 0.5) as u64).unwrap();
        }
        for q in [0.5, 0.9, 0.95, 0.99, 0.999] {
            let (a, b) = (ours.quantile_ms(q), hdr.value_at_quantile(q) as f64 / 1e6);
            assert!(
                (a - b).abs() / b < 0.01,
                "q {q}: ours {a} ms, hdrhistogram {b} ms"
            );
        }
        assert_eq!(LogHistogram::new().quantile_ms(0.99), 0.0);
    }
}
