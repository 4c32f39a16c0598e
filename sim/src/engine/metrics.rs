//! Cumulative metrics: counters, time integrals and the latency histogram.
//!
//! Counters exist twice: totals since time 0 (for conservation checks and live
//! widgets) and the measured part after warmup (for the report). Time averages are
//! integrals of a level over time, kept since time 0, with a snapshot at the end of
//! warmup to subtract.

use hdrhistogram::Histogram;

use crate::{LatencySummary, QueueWait, Report};

/// Latencies are recorded in nanoseconds up to 2^50 ns (13 days) with 3 significant
/// digits: 0.1% resolution at any scale, from sub-millisecond bursts to timeouts.
const HIST_MAX_NS: u64 = 1 << 50;

/// Outcome counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) completed: u64,
    pub(crate) dropped: u64,
    pub(crate) timed_out: u64,
}

impl Counts {
    pub(crate) fn finished(&self) -> u64 {
        self.completed + self.dropped + self.timed_out
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Metrics {
    /// Requests that arrived since time 0.
    pub(crate) arrived: u64,
    /// Outcomes since time 0.
    pub(crate) total: Counts,
    /// Context switches since time 0.
    pub(crate) switches: u64,
    /// Integral of the number of waiting requests over time, since 0.
    pub(crate) queue_int: f64,
    /// Integral of busy cores over time, since 0.
    pub(crate) busy_int: f64,
    pub(crate) memory_peak_mb: f64,
    /// Smallest latency minus own CPU and I/O time of any reply: never negative
    /// (a property test watches it).
    pub(crate) min_slack: f64,

    /// Whether warmup is over.
    pub(crate) measuring: bool,
    start_t: f64,
    start_queue_int: f64,
    start_busy_int: f64,
    start_switches: u64,
    /// Outcomes after warmup.
    pub(crate) measured: Counts,
    latency_ns: Histogram<u32>,
    latency_sum: f64,
    latency_max: f64,
    wait_sum: f64,
}

impl Metrics {
    pub(crate) fn new() -> Self {
        Metrics {
            arrived: 0,
            total: Counts::default(),
            switches: 0,
            queue_int: 0.0,
            busy_int: 0.0,
            memory_peak_mb: 0.0,
            min_slack: f64::INFINITY,
            measuring: false,
            start_t: 0.0,
            start_queue_int: 0.0,
            start_busy_int: 0.0,
            start_switches: 0,
            measured: Counts::default(),
            latency_ns: Histogram::new_with_bounds(1, HIST_MAX_NS, 3)
                .expect("constant bounds are valid"),
            latency_sum: 0.0,
            latency_max: 0.0,
            wait_sum: 0.0,
        }
    }

    /// Ends warmup at time `now`: from here on, outcomes are measured.
    pub(crate) fn start_measuring(&mut self, now: f64) {
        self.measuring = true;
        self.start_t = now;
        self.start_queue_int = self.queue_int;
        self.start_busy_int = self.busy_int;
        self.start_switches = self.switches;
    }

    /// A reply: latency and queue wait in seconds.
    #[inline]
    pub(crate) fn completed(&mut self, latency: f64, waited: f64, demand: f64) {
        self.total.completed += 1;
        self.min_slack = self.min_slack.min(latency - demand);
        if self.measuring {
            self.measured.completed += 1;
            // `+ 0.5` then truncation rounds a non-negative value without calling libm's
            // `round` (no SSE4.1 on the baseline target).
            let ns = (latency * 1e9 + 0.5) as u64;
            self.latency_ns.saturating_record(ns.min(HIST_MAX_NS));
            self.latency_sum += latency;
            self.latency_max = self.latency_max.max(latency);
            self.wait_sum += waited;
        }
    }

    pub(crate) fn dropped(&mut self) {
        self.total.dropped += 1;
        if self.measuring {
            self.measured.dropped += 1;
        }
    }

    pub(crate) fn timed_out(&mut self) {
        self.total.timed_out += 1;
        if self.measuring {
            self.measured.timed_out += 1;
        }
    }

    /// The report at time `now`, for a machine of `cores`.
    pub(crate) fn report(&self, now: f64, cores: u32, events: u64) -> Report {
        let span = if self.measuring {
            now - self.start_t
        } else {
            0.0
        };
        let per_time = |x: f64| if span > 0.0 { x / span } else { 0.0 };
        let n = self.measured.completed;
        let per_request = |x: f64| if n > 0 { x / n as f64 } else { 0.0 };
        let ms = |q: f64| self.latency_ns.value_at_quantile(q) as f64 / 1e6;
        let latency_ms = if n > 0 {
            LatencySummary {
                mean: per_request(self.latency_sum) * 1e3,
                p50: ms(0.50),
                p95: ms(0.95),
                p99: ms(0.99),
                max: self.latency_max * 1e3,
            }
        } else {
            LatencySummary::default()
        };
        let (queue_int, busy_int) = if self.measuring {
            (
                self.queue_int - self.start_queue_int,
                self.busy_int - self.start_busy_int,
            )
        } else {
            (0.0, 0.0)
        };
        Report {
            completed: n,
            throughput_rps: per_time(n as f64),
            latency_ms,
            queue_wait_ms: QueueWait {
                mean: per_request(self.wait_sum) * 1e3,
            },
            queue_len_mean: per_time(queue_int),
            cpu_utilization: per_time(busy_int) / f64::from(cores),
            dropped: self.measured.dropped,
            timed_out: self.measured.timed_out,
            memory_mb_peak: self.memory_peak_mb,
            context_switches: if self.measuring {
                self.switches - self.start_switches
            } else {
                0
            },
            events,
            sim_time_s: now,
        }
    }
}
