//! The load sweep of the `compare` widget: the same workload at rising concurrency, on
//! a sync pool and on one event loop, each point run to completion in slices (a
//! [`Batch`]), so the page stays responsive while it computes.

use crate::batch::Batch;
use crate::Scenario;

/// One concurrency level's results: (throughput, p99 latency) for sync and async.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepPoint {
    pub clients: u32,
    pub sync: Option<(f64, f64)>,
    pub asynchronous: Option<(f64, f64)>,
}

/// `(x, y)` points of one line of a chart.
pub type Line = Vec<(f64, f64)>;

pub struct Sweep {
    batch: Batch,
    levels: Vec<u32>,
}

/// Concurrency levels: 20 points from 1 to 512, evenly spaced on a log scale.
pub fn levels() -> Vec<u32> {
    let mut levels: Vec<u32> = (0..20)
        .map(|i| (512f64.powf(f64::from(i) / 19.0)).round() as u32)
        .collect();
    levels.dedup();
    levels
}

impl Sweep {
    /// `base` gives the work per request and the sync pool, against `loops` event-loop
    /// processes; `requests` per point.
    pub fn new(base: &Scenario, loops: u32, requests: u64) -> Sweep {
        let levels = levels();
        let mut scenarios = Vec::new();
        for &clients in &levels {
            let mut s = base.clone();
            s.clients = Some(clients);
            s.arrival_rate = None;
            s.think_ms = 0.0;
            s.requests = requests;
            s.warmup = requests / 10;
            s.timeout_ms = 0.0;
            let (sync, asynchronous) = crate::pairing::pair(&s, loops);
            scenarios.push(sync);
            scenarios.push(asynchronous);
        }
        Sweep {
            batch: Batch::new(scenarios),
            levels,
        }
    }

    pub fn is_done(&self) -> bool {
        self.batch.is_done()
    }

    pub fn progress(&self) -> f64 {
        self.batch.progress()
    }

    /// Runs at most `budget` events; returns the events run.
    pub fn run(&mut self, budget: u64) -> u64 {
        self.batch.run(budget)
    }

    /// Results so far, one point per level.
    pub fn points(&self) -> Vec<SweepPoint> {
        let result = |i: usize| {
            self.batch.reports[i]
                .as_ref()
                .map(|r| (r.throughput_rps, r.latency_ms.p99))
        };
        self.levels
            .iter()
            .enumerate()
            .map(|(i, &clients)| SweepPoint {
                clients,
                sync: result(2 * i),
                asynchronous: result(2 * i + 1),
            })
            .collect()
    }

    /// `(clients, value)` points of the pool and of the loop: throughput, or with
    /// `latency` the 99th percentile latency.
    pub fn series(&self, latency: bool) -> (Line, Line) {
        let points = self.points();
        let pick = |result: fn(&SweepPoint) -> Option<(f64, f64)>| -> Line {
            points
                .iter()
                .filter_map(|p| {
                    result(p).map(|r| (f64::from(p.clients), if latency { r.1 } else { r.0 }))
                })
                .collect()
        };
        (pick(|p| p.sync), pick(|p| p.asynchronous))
    }

    /// The lowest concurrency from which the event loop's throughput beats the pool's
    /// by more than 5% at every level measured.
    pub fn crossover(&self) -> Option<u32> {
        let measured: Vec<(u32, f64, f64)> = self
            .points()
            .iter()
            .filter_map(|p| Some((p.clients, p.sync?.0, p.asynchronous?.0)))
            .collect();
        let wins = |&(_, sync, asynchronous): &(u32, f64, f64)| asynchronous > sync * 1.05;
        let first = measured.iter().position(wins)?;
        measured[first..]
            .iter()
            .all(wins)
            .then(|| measured[first].0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_span_one_to_512() {
        let l = levels();
        assert_eq!((l[0], *l.last().unwrap()), (1, 512));
        assert!(l.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn io_bound_work_crosses_over_and_cpu_bound_does_not() {
        let io = Scenario::parse("workers = 4\ncpu_ms = 1\nio_ms = 100\n").unwrap();
        let mut sweep = Sweep::new(&io, 1, 2_000);
        while !sweep.is_done() {
            sweep.run(50_000);
        }
        let crossover = sweep.crossover().expect("async wins at high concurrency");
        assert!(crossover > 4 && crossover <= 16, "crossover at {crossover}");

        let cpu = Scenario::parse("workers = 4\ncpu_ms = 20\nio_ms = 1\n").unwrap();
        let mut sweep = Sweep::new(&cpu, 1, 1_000);
        while !sweep.is_done() {
            sweep.run(50_000);
        }
        assert_eq!(sweep.crossover(), None);
    }

    #[test]
    fn runs_in_slices_within_budget() {
        let s = Scenario::parse("workers = 4\ncpu_ms = 1\nio_ms = 100\n").unwrap();
        let mut sweep = Sweep::new(&s, 1, 1_000);
        assert!(sweep.run(1_000) <= 1_000);
        assert!(sweep.progress() < 1.0);
    }
}
