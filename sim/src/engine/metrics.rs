//! Cumulative metrics: counters, time integrals and the latency histograms.
//!
//! Each arrival has one outcome for its client: a reply, a refusal (backlog full), a
//! rejection (503 past the concurrency limit) or a timeout. Apart from outcomes, the
//! server completes requests: the replies, and the requests it served after their client
//! gave up (wasted work). Counters exist twice: totals since time 0 (for conservation
//! checks and live widgets) and the measured part after warmup (for the report). Time
//! averages are integrals of a level over time, kept since time 0, with a snapshot at the
//! end of warmup to subtract.

use crate::histogram::LogHistogram;
use crate::report::{DbSummary, LatencySummary, QueueWait, Report};

/// Outcome counters, and the server's completions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) replied: u64,
    pub(crate) dropped: u64,
    pub(crate) rejected: u64,
    pub(crate) timed_out: u64,
    /// Served after the client gave up (not an outcome: the timeout was).
    pub(crate) wasted: u64,
    /// Barging pools: turns of woken requests, and those that found their connection
    /// taken by a task that ran first (not outcomes either).
    pub(crate) pool_wakeups: u64,
    pub(crate) pool_lost: u64,
}

impl Counts {
    /// Outcomes: arrivals whose client knows how they ended.
    pub(crate) fn finished(&self) -> u64 {
        self.replied + self.dropped + self.rejected + self.timed_out
    }

    /// Requests the server completed.
    pub(crate) fn served(&self) -> u64 {
        self.replied + self.wasted
    }
}

/// Integrals of levels over time, s x level.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Integrals {
    /// Requests waiting (backlog, GIL, ready queues).
    pub(crate) queue: f64,
    /// Busy cores.
    pub(crate) busy: f64,
    /// Queries running in the database.
    pub(crate) db: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct Metrics {
    /// Requests that arrived since time 0.
    pub(crate) arrived: u64,
    /// Outcomes since time 0.
    pub(crate) total: Counts,
    /// Context switches since time 0.
    pub(crate) switches: u64,
    pub(crate) integrals: Integrals,
    pub(crate) memory_peak_mb: f64,
    /// Smallest latency minus own CPU and I/O time of any reply: never negative
    /// (a property test watches it).
    pub(crate) min_slack: f64,

    /// Whether warmup is over.
    pub(crate) measuring: bool,
    start_t: f64,
    start: Integrals,
    start_switches: u64,
    /// Outcomes after warmup.
    pub(crate) measured: Counts,
    latency: LogHistogram,
    /// Replies to requests that were not heavy, when some are.
    light: Option<LogHistogram>,
    /// Time replies spent waiting for the database, when there is one.
    db_wait: Option<LogHistogram>,
    latency_sum: f64,
    latency_max: f64,
    wait_sum: f64,
    db_wait_sum: f64,
}

impl Metrics {
    pub(crate) fn new(heavy: bool, database: bool) -> Self {
        Metrics {
            arrived: 0,
            total: Counts::default(),
            switches: 0,
            integrals: Integrals::default(),
            memory_peak_mb: 0.0,
            min_slack: f64::INFINITY,
            measuring: false,
            start_t: 0.0,
            start: Integrals::default(),
            start_switches: 0,
            measured: Counts::default(),
            latency: LogHistogram::new(),
            light: heavy.then(LogHistogram::new),
            db_wait: database.then(LogHistogram::new),
            latency_sum: 0.0,
            latency_max: 0.0,
            wait_sum: 0.0,
            db_wait_sum: 0.0,
        }
    }

    /// Ends warmup at time `now`: from here on, outcomes are measured.
    pub(crate) fn start_measuring(&mut self, now: f64) {
        self.measuring = true;
        self.start_t = now;
        self.start = self.integrals;
        self.start_switches = self.switches;
    }

    /// A reply: latency, queue wait and database wait in seconds.
    #[inline]
    pub(crate) fn replied(&mut self, latency: f64, waits: (f64, f64), demand: f64, heavy: bool) {
        self.total.replied += 1;
        // Plain comparisons rather than `f64::min`/`max`, which handle NaN (none occurs
        // here) and in wasm become calls.
        if latency - demand < self.min_slack {
            self.min_slack = latency - demand;
        }
        if self.measuring {
            self.measured.replied += 1;
            self.latency.record(latency);
            if let (Some(light), false) = (&mut self.light, heavy) {
                light.record(latency);
            }
            if let Some(db) = &mut self.db_wait {
                db.record(waits.1);
            }
            self.latency_sum += latency;
            if latency > self.latency_max {
                self.latency_max = latency;
            }
            self.wait_sum += waits.0;
            self.db_wait_sum += waits.1;
        }
    }

    /// Counts one of the other outcomes, or a wasted completion.
    pub(crate) fn count(&mut self, which: fn(&mut Counts) -> &mut u64) {
        *which(&mut self.total) += 1;
        if self.measuring {
            *which(&mut self.measured) += 1;
        }
    }

    /// The report at time `now`, for a machine of `cores` and a database of
    /// `db_connections` (0: no limit).
    pub(crate) fn report(&self, now: f64, cores: u32, db_connections: u32, events: u64) -> Report {
        let span = if self.measuring {
            now - self.start_t
        } else {
            0.0
        };
        let per_time = |x: f64| if span > 0.0 { x / span } else { 0.0 };
        let n = self.measured.replied;
        let per_reply = |x: f64| if n > 0 { x / n as f64 } else { 0.0 };
        // A bin's middle can lie above the largest value in it.
        let max = self.latency_max * 1e3;
        let q = |h: &LogHistogram, q: f64| h.quantile_ms(q).min(max);
        let latency_ms = if n > 0 {
            LatencySummary {
                mean: per_reply(self.latency_sum) * 1e3,
                p50: q(&self.latency, 0.50),
                p95: q(&self.latency, 0.95),
                p99: q(&self.latency, 0.99),
                max,
            }
        } else {
            LatencySummary::default()
        };
        let integral = |f: fn(&Integrals) -> f64| {
            if self.measuring {
                f(&self.integrals) - f(&self.start)
            } else {
                0.0
            }
        };
        let db_queries_mean = per_time(integral(|i| i.db));
        Report {
            completed: self.measured.served(),
            throughput_rps: per_time(self.measured.served() as f64),
            goodput_rps: per_time(n as f64),
            latency_ms,
            light_p99_ms: match &self.light {
                Some(light) => q(light, 0.99),
                None => latency_ms.p99,
            },
            queue_wait_ms: QueueWait {
                mean: per_reply(self.wait_sum) * 1e3,
            },
            queue_len_mean: per_time(integral(|i| i.queue)),
            cpu_utilization: per_time(integral(|i| i.busy)) / f64::from(cores),
            dropped: self.measured.dropped,
            rejected: self.measured.rejected,
            timed_out: self.measured.timed_out,
            wasted: self.measured.wasted,
            db_wait_ms: DbSummary {
                mean: per_reply(self.db_wait_sum) * 1e3,
                p99: self.db_wait.as_ref().map_or(0.0, |h| h.quantile_ms(0.99)),
            },
            db_utilization: if db_connections > 0 {
                db_queries_mean / f64::from(db_connections)
            } else {
                0.0
            },
            db_queries_mean,
            db_pool_lost_share: if self.measured.pool_wakeups > 0 {
                self.measured.pool_lost as f64 / self.measured.pool_wakeups as f64
            } else {
                0.0
            },
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
