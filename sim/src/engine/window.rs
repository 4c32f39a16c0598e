//! Metrics over a sliding window of simulated time, for live charts.
//!
//! The window is a ring of buckets of equal length; moving into a new bucket clears the
//! oldest one, so the cost per event is constant and nothing grows. Latency
//! percentiles come from a small log-scale histogram per bucket (16 bins per octave,
//! about 4% resolution: plenty for a chart, and cheap to merge once per frame).

/// Buckets in the ring.
const BUCKETS: usize = 20;
/// Latency bins: values under 16 µs exactly, then 16 bins per octave up to 2^41 µs.
const SUB: u64 = 16;
const BINS: usize = 16 + 38 * 16;

fn bin(latency_s: f64) -> usize {
    let us = (latency_s * 1e6) as u64;
    if us < SUB {
        return us as usize;
    }
    let octave = 63 - u64::from(us.leading_zeros()); // >= 4
    let sub = (us >> (octave - 4)) & (SUB - 1);
    ((16 + (octave - 4) * SUB + sub) as usize).min(BINS - 1)
}

/// The middle of a bin, in ms.
fn bin_value_ms(bin: usize) -> f64 {
    let bin = bin as u64;
    if bin < SUB {
        return (bin as f64 + 0.5) / 1e3;
    }
    let octave = (bin - 16) / SUB + 4;
    let sub = (bin - 16) % SUB;
    let low = (SUB + sub) << (octave - 4);
    let width = 1u64 << (octave - 4);
    (low as f64 + width as f64 / 2.0) / 1e3
}

#[derive(Debug, Clone)]
pub(crate) struct Window {
    bucket_s: f64,
    /// Absolute index of the current bucket: `floor(now / bucket_s)`.
    current: u64,
    /// Start of the next bucket: a comparison per event instead of a division.
    next_start: f64,
    /// Completions by the server (replies and wasted work), and replies.
    completed: [u32; BUCKETS],
    replied: [u32; BUCKETS],
    /// Busy-core integral at each bucket's start.
    busy_at_start: [f64; BUCKETS],
    /// `BUCKETS` histograms of `BINS` counts: the replies' latencies.
    latency: Vec<u32>,
    /// The range of bins each bucket's histograms used, (first, end): a new bucket
    /// clears only that range. Latencies cluster, and clearing all the bins at every
    /// bucket was a memset of 2.5 KB, several times per simulated second.
    used: [(u16, u16); BUCKETS],
    /// The same for replies to requests that are not heavy, when some are.
    light: Option<Vec<u32>>,
}

/// What the window holds, for `Simulation::window`.
pub(crate) struct WindowStats {
    pub(crate) span_s: f64,
    pub(crate) completed: u64,
    pub(crate) replied: u64,
    pub(crate) busy_int: f64,
    pub(crate) p50_ms: f64,
    pub(crate) p95_ms: f64,
    pub(crate) p99_ms: f64,
    pub(crate) light_p99_ms: f64,
}

impl Window {
    pub(crate) fn new(length_s: f64, heavy: bool) -> Self {
        Window {
            bucket_s: length_s / BUCKETS as f64,
            current: 0,
            next_start: length_s / BUCKETS as f64,
            completed: [0; BUCKETS],
            replied: [0; BUCKETS],
            busy_at_start: [0.0; BUCKETS],
            latency: vec![0; BUCKETS * BINS],
            used: [(BINS as u16, 0); BUCKETS],
            light: heavy.then(|| vec![0; BUCKETS * BINS]),
        }
    }

    /// Moves to time `t`, given the busy integral `busy_int` at time `last` and the
    /// busy level since then, so that each new bucket knows its starting integral.
    #[inline]
    pub(crate) fn advance(&mut self, t: f64, last: f64, busy_int: f64, busy: f64) {
        if t >= self.next_start {
            self.start_buckets(t, last, busy_int, busy);
        }
    }

    /// Out of line: a new bucket starts once in many events, and inlined into the
    /// per-event path this costs every event a stack frame.
    #[cold]
    #[inline(never)]
    fn start_buckets(&mut self, t: f64, last: f64, busy_int: f64, busy: f64) {
        let target = ((t / self.bucket_s) as u64).max(self.current + 1);
        // Only the last BUCKETS buckets can still be in the window.
        let first = (self.current + 1).max(target.saturating_sub(BUCKETS as u64 - 1));
        for b in first..=target {
            let i = (b % BUCKETS as u64) as usize;
            let start = b as f64 * self.bucket_s;
            self.completed[i] = 0;
            self.replied[i] = 0;
            self.busy_at_start[i] = busy_int + (start - last).max(0.0) * busy;
            let (first, end) = std::mem::replace(&mut self.used[i], (BINS as u16, 0));
            if first < end {
                let range = i * BINS + usize::from(first)..i * BINS + usize::from(end);
                self.latency[range.clone()].fill(0);
                if let Some(light) = &mut self.light {
                    light[range].fill(0);
                }
            }
        }
        self.current = target;
        self.next_start = (target + 1) as f64 * self.bucket_s;
    }

    /// The server completed a request: a reply with its latency, or wasted work.
    #[inline]
    pub(crate) fn completed(&mut self, reply: Option<(f64, bool)>) {
        let i = (self.current % BUCKETS as u64) as usize;
        self.completed[i] += 1;
        if let Some((latency_s, heavy)) = reply {
            self.replied[i] += 1;
            let bin = bin(latency_s);
            let used = &mut self.used[i];
            // Bins fit in u16 (BINS is 624).
            if (bin as u16) < used.0 {
                used.0 = bin as u16;
            }
            if bin as u16 >= used.1 {
                used.1 = bin as u16 + 1;
            }
            let b = i * BINS + bin;
            self.latency[b] += 1;
            if let (Some(light), false) = (&mut self.light, heavy) {
                light[b] += 1;
            }
        }
    }

    /// The window ending at `now`, with busy integral `busy_int` at `now`.
    pub(crate) fn stats(&self, now: f64, busy_int: f64) -> WindowStats {
        let oldest = self.current.saturating_sub(BUCKETS as u64 - 1);
        let oldest_i = (oldest % BUCKETS as u64) as usize;
        let span_s = now - oldest as f64 * self.bucket_s;
        let buckets = || (oldest..=self.current).map(|b| (b % BUCKETS as u64) as usize);
        let completed: u64 = buckets().map(|i| u64::from(self.completed[i])).sum();
        let replied: u64 = buckets().map(|i| u64::from(self.replied[i])).sum();
        let merge = |hist: &[u32]| {
            let mut merged = [0u32; BINS];
            for i in buckets() {
                for (m, c) in merged.iter_mut().zip(&hist[i * BINS..(i + 1) * BINS]) {
                    *m += c;
                }
            }
            merged
        };
        let quantiles = |merged: &[u32; BINS], qs: &[f64]| -> Vec<f64> {
            let total: u64 = merged.iter().map(|c| u64::from(*c)).sum();
            qs.iter()
                .map(|q| {
                    if total == 0 {
                        return 0.0;
                    }
                    let rank = (q * total as f64).ceil().max(1.0) as u64;
                    let mut seen = 0u64;
                    for (b, c) in merged.iter().enumerate() {
                        seen += u64::from(*c);
                        if seen >= rank {
                            return bin_value_ms(b);
                        }
                    }
                    0.0
                })
                .collect()
        };
        let all = quantiles(&merge(&self.latency), &[0.5, 0.95, 0.99]);
        let light_p99_ms = match &self.light {
            Some(light) => quantiles(&merge(light), &[0.99])[0],
            None => all[2],
        };
        WindowStats {
            span_s,
            completed,
            replied,
            busy_int: busy_int - self.busy_at_start[oldest_i],
            p50_ms: all[0],
            p95_ms: all[1],
            p99_ms: all[2],
            light_p99_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_cover_values_within_four_percent() {
        for us in [
            0u64,
            3,
            15,
            16,
            17,
            100,
            1_000,
            123_456,
            10_000_000,
            1 << 40,
        ] {
            let s = us as f64 / 1e6;
            let back = bin_value_ms(bin(s)) * 1e3;
            assert!(
                (back - us as f64).abs() <= 0.5 + us as f64 * 0.04,
                "{us} µs came back as {back}"
            );
        }
    }

    #[test]
    fn old_buckets_leave_the_window() {
        let mut w = Window::new(2.0, false);
        w.completed(Some((0.010, false)));
        w.advance(1.0, 0.0, 0.0, 1.0);
        w.completed(Some((0.020, false)));
        w.completed(None);
        let s = w.stats(1.0, 1.0);
        assert_eq!((s.completed, s.replied), (3, 2));
        assert!((s.busy_int / s.span_s - 1.0).abs() < 1e-9);
        w.advance(2.5, 1.0, 1.0, 0.0);
        let s = w.stats(2.5, 1.0);
        assert_eq!(s.completed, 2);
        assert!((s.p50_ms - 20.0).abs() < 1.0);
        w.advance(100.0, 2.5, 1.0, 0.0);
        assert_eq!(w.stats(100.0, 1.0).completed, 0);
    }
}
