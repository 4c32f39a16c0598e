//! Shared helpers: run a scenario over several seeds and compare a metric with theory.

#![allow(dead_code)] // each test binary uses its own subset

use sim::{Report, Scenario};

/// Parses a scenario body; panics with the validation error if it is invalid.
pub fn scenario(toml: &str) -> Scenario {
    Scenario::parse(toml).unwrap_or_else(|e| panic!("{toml}\n{e}"))
}

/// Mean and standard error of a metric over independent replications.
#[derive(Debug, Clone, Copy)]
pub struct Estimate {
    pub mean: f64,
    pub se: f64,
}

/// Runs `s` with seeds 1..=`seeds` and estimates `metric` from the replications.
pub fn replicate(s: &Scenario, seeds: u64, metric: impl Fn(&Report) -> f64) -> Estimate {
    let values: Vec<f64> = (1..=seeds)
        .map(|seed| {
            let report = sim::run(&Scenario { seed, ..s.clone() });
            metric(&report)
        })
        .collect();
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    Estimate {
        mean,
        se: (var / n).sqrt(),
    }
}

/// Asserts that the estimate is within 3 standard errors of `expected`, and that the
/// standard error is small enough (under `max_rel_se` of `expected`) for that to mean
/// something.
pub fn assert_agrees(what: &str, est: Estimate, expected: f64, max_rel_se: f64) {
    assert!(
        est.se <= max_rel_se * expected.abs(),
        "{what}: standard error {} is too large for a test against {expected}",
        est.se
    );
    eprintln!(
        "{what}: simulated {:.5} ± {:.5}, theory {expected:.5}",
        est.mean, est.se
    );
    let tolerance = 3.0 * est.se + 1e-9 * expected.abs();
    assert!(
        (est.mean - expected).abs() <= tolerance,
        "{what}: simulated {:.5} ± {:.5} (1 se), theory {expected:.5}",
        est.mean,
        est.se
    );
}

/// Mean latency in seconds, over `seeds` replications.
pub fn mean_latency_s(s: &Scenario, seeds: u64) -> Estimate {
    replicate(s, seeds, |r| r.latency_ms.mean / 1e3)
}
