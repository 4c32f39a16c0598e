//! Closed forms of queueing theory that the simulation must reproduce with switching
//! off and exponential times (Kleinrock, "Queueing Systems" vol. 1; Lazowska et al.,
//! "Quantitative System Performance" for mean value analysis). Times in seconds. The
//! queueing tests and the model page's validation table both hold `run` to them.

/// Erlang C: probability that an arrival waits in M/M/c with offered load `a = λ/μ`.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let mut term = 1.0; // a^k / k!
    let mut sum = 0.0;
    for k in 0..c {
        sum += term;
        term *= a / f64::from(k + 1);
    }
    let last = term * f64::from(c) / (f64::from(c) - a);
    last / (sum + last)
}

/// Mean response time of M/M/c.
pub fn mmc_response(c: u32, lambda: f64, mu: f64) -> f64 {
    erlang_c(c, lambda / mu) / (f64::from(c) * mu - lambda) + 1.0 / mu
}

/// Blocking probability of M/M/c/K (K in the system at most).
pub fn mmck_blocking(c: u32, k: u32, lambda: f64, mu: f64) -> f64 {
    let a = lambda / mu;
    let mut p = vec![1.0];
    for n in 1..=k {
        let servers = f64::from(n.min(c));
        p.push(p[n as usize - 1] * a / servers);
    }
    let total: f64 = p.iter().sum();
    p[k as usize] / total
}

use crate::{Scenario, ServerKind, Service, Workload};

/// Mean response time of M/D/1 (Pollaczek-Khinchine with zero service variance).
pub fn md1_response(lambda: f64, service: f64) -> f64 {
    let rho = lambda * service;
    service + rho * service / (2.0 * (1.0 - rho))
}

/// M/M/∞: nobody waits, so the response time is the service time.
pub fn mm_infinity_response(service: f64) -> f64 {
    service
}

/// Mean response time of M/G/1 processor sharing: depends only on the mean.
pub fn ps_response(lambda: f64, service: f64) -> f64 {
    service / (1.0 - lambda * service)
}

/// Quantile `q` of the M/M/1 FCFS response time, which is exponential with rate μ - λ.
pub fn mm1_response_quantile(lambda: f64, mu: f64, q: f64) -> f64 {
    -(1.0 - q).ln() / (mu - lambda)
}

/// Quantile `q` of the waiting time (before service) in M/M/c: an arrival waits with
/// probability C (Erlang C), and then exponentially with rate cμ − λ, so
/// P(W > t) = C e^-(cμ-λ)t.
pub fn mmc_wait_quantile(c: u32, lambda: f64, mu: f64, q: f64) -> f64 {
    let waits = erlang_c(c, lambda / mu);
    if 1.0 - q >= waits {
        return 0.0;
    }
    (waits / (1.0 - q)).ln() / (f64::from(c) * mu - lambda)
}

/// Quantile `q` of the response time (wait plus service) in M/M/c FCFS. The wait is 0
/// with probability 1 − C and otherwise exponential with rate a = cμ − λ, the service
/// exponential with rate μ, so P(T > t) = (1 − C) e^-μt + C (a e^-μt − μ e^-at)/(a − μ)
/// (and C (1 + μt) e^-μt when a = μ); the quantile is found by bisection.
pub fn mmc_response_quantile(c: u32, lambda: f64, mu: f64, q: f64) -> f64 {
    let a = f64::from(c) * mu - lambda;
    if a <= 0.0 || !(0.0..1.0).contains(&q) {
        // An unstable queue grows without end: no quantile exists.
        return f64::INFINITY;
    }
    let waits = erlang_c(c, lambda / mu);
    let beyond = |t: f64| {
        let queued = if (a - mu).abs() < 1e-9 * mu {
            (1.0 + mu * t) * (-mu * t).exp()
        } else {
            (a * (-mu * t).exp() - mu * (-a * t).exp()) / (a - mu)
        };
        (1.0 - waits) * (-mu * t).exp() + waits * queued
    };
    let (mut low, mut high) = (0.0, 1.0 / mu);
    while beyond(high) > 1.0 - q && high.is_finite() {
        high *= 2.0;
    }
    for _ in 0..100 {
        let mid = 0.5 * (low + high);
        if beyond(mid) > 1.0 - q {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

/// Mean response time of M/G/1 FCFS (Pollaczek-Khinchine), from the first two moments
/// of the service time.
pub fn mg1_response(lambda: f64, mean: f64, second_moment: f64) -> f64 {
    mean + lambda * second_moment / (2.0 * (1.0 - lambda * mean))
}

/// M/M/1 with deterministic patience `tau` (M/M/1+D): the share of arrivals that give
/// up waiting. A request that would wait longer than `tau` leaves at `tau` without
/// using the server, so the workload V an arrival finds has density λP0 e^(λ-μ)x below
/// `tau` and λP0 e^λτ e^-μx above it, and by PASTA the share is P(V > τ) = ρ P0 e^(λ-μ)τ.
pub fn mm1_abandonment(lambda: f64, mu: f64, tau: f64) -> f64 {
    let d = lambda - mu;
    let growth = if d.abs() < 1e-12 {
        lambda * tau
    } else {
        lambda * ((d * tau).exp() - 1.0) / d
    };
    let tail = lambda / mu * (d * tau).exp();
    let p0 = 1.0 / (1.0 + growth + tail);
    tail * p0
}

/// Mean response time of the finite-source (machine repairman) model M/M/1//N:
/// `n` clients thinking `think` on average, one exponential server of mean `service`.
pub fn finite_source_response(n: u32, think: f64, service: f64) -> f64 {
    // p0 = 1 / sum_k N!/(N-k)! (S/Z)^k
    let ratio = service / think;
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..=n {
        term *= f64::from(n - k + 1) * ratio;
        sum += term;
    }
    let p0 = 1.0 / sum;
    let throughput = (1.0 - p0) / service;
    f64::from(n) / throughput - think
}

/// Exact MVA for `n` closed clients: one queueing station (FCFS exponential or PS) of
/// total demand `cpu`, a delay station of `io` and think time `think`. Returns the mean
/// response time (CPU plus I/O, without think time).
pub fn mva_response(n: u32, think: f64, cpu: f64, io: f64) -> f64 {
    let mut queue = 0.0;
    let mut response = 0.0;
    for clients in 1..=n {
        let r_cpu = cpu * (1.0 + queue);
        response = r_cpu + io;
        let throughput = f64::from(clients) / (think + response);
        queue = throughput * r_cpu;
    }
    response
}

/// What theory says of a scenario that reduces to a textbook queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Which model: "M/M/4", "M/M/1//20", ...
    pub model: String,
    pub throughput_rps: f64,
    pub mean_latency_ms: f64,
    /// The 99th percentile, where the model gives it (FCFS servers: M/M/1 and M/M/c).
    pub p99_latency_ms: Option<f64>,
}

/// The closed form for `s`, when it has one: exponential work with no database, no
/// heavy requests, no timeouts, and one of these shapes (the server's overhead and
/// switches counted into the service time, so the match is close, not exact):
///
/// - an open workload on a pool of processes with a core each, all CPU or all I/O:
///   M/M/c with c = workers;
/// - an open workload on one event loop, all CPU: M/M/1; all I/O: M/M/∞;
/// - closed clients that think, on one worker or one loop, all CPU: the finite-source
///   model; on processes enough for every client and one core, CPU and I/O: MVA.
pub fn predict(s: &Scenario) -> Option<Prediction> {
    if s.service != Service::Exponential
        || s.db_ms > 0.0
        || s.heavy_share > 0.0
        || s.timeout_ms > 0.0
        || s.blocking_share > 0.0
    {
        return None;
    }
    let kind = s.server;
    let extra_s = (s.effective_overhead_us() + s.effective_switch_us()) / 1e6;
    let (cpu, io) = (s.cpu_ms / 1e3, s.io_ms / 1e3);
    let loop_ = kind.is_event_loop();
    let one_server = if loop_ {
        s.processes() == 1
    } else {
        s.pool_size() == 1
    };
    let fcfs_quantile = |lambda: f64, mu: f64| mm1_response_quantile(lambda, mu, 0.99) * 1e3;
    match s.workload() {
        Workload::Open { rate } => {
            let (model, mean, p99) = if loop_ && one_server && io == 0.0 {
                let mu = 1.0 / (cpu + extra_s);
                (rate < mu).then(|| {
                    (
                        "M/M/1".to_string(),
                        mmc_response(1, rate, mu),
                        Some(fcfs_quantile(rate, mu)),
                    )
                })?
            } else if loop_ && cpu == 0.0 {
                ("M/M/∞".to_string(), io, None)
            } else if kind == ServerKind::Processes
                && s.cores >= s.effective_workers()
                && (cpu == 0.0 || io == 0.0)
            {
                let c = s.effective_workers();
                let mu = 1.0 / (cpu + io + extra_s);
                let p99 = Some(mmc_response_quantile(c, rate, mu, 0.99) * 1e3);
                (f64::from(c) * mu > rate)
                    .then(|| (format!("M/M/{c}"), mmc_response(c, rate, mu), p99))?
            } else {
                return None;
            };
            Some(Prediction {
                model,
                throughput_rps: rate,
                mean_latency_ms: mean * 1e3,
                p99_latency_ms: p99,
            })
        }
        Workload::Closed { clients } => {
            let think = s.think_ms / 1e3;
            let (model, response) = if one_server && io == 0.0 && think > 0.0 {
                let service = cpu + extra_s;
                (
                    format!("M/M/1//{clients}"),
                    finite_source_response(clients, think, service),
                )
            } else if kind == ServerKind::Processes
                && s.cores == 1
                && s.effective_workers() >= clients
            {
                let cpu = cpu + extra_s;
                (
                    format!("MVA, {clients} clients"),
                    mva_response(clients, think, cpu, io),
                )
            } else {
                return None;
            };
            Some(Prediction {
                model,
                throughput_rps: f64::from(clients) / (think + response),
                mean_latency_ms: response * 1e3,
                p99_latency_ms: None,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mmc_response_quantile_reduces_to_mm1_and_grows_with_load() {
        let one = mmc_response_quantile(1, 50.0, 100.0, 0.99);
        assert!(
            (one - mm1_response_quantile(50.0, 100.0, 0.99)).abs() < 1e-9,
            "{one}"
        );
        // Light load on many servers: hardly any wait, the service's own quantile.
        let light = mmc_response_quantile(8, 1.0, 10.0, 0.99);
        assert!((light - 100f64.ln() / 10.0).abs() < 1e-3, "{light}");
        assert!(
            mmc_response_quantile(4, 35.0, 10.0, 0.99) > mmc_response_quantile(4, 20.0, 10.0, 0.99)
        );
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn one_server_erlang_c_is_the_utilisation() {
        assert!(close(erlang_c(1, 0.8), 0.8));
        // M/M/1: 1 / (μ − λ).
        assert!(close(mmc_response(1, 80.0, 100.0), 1.0 / 20.0));
    }

    #[test]
    fn erlang_c_matches_a_tabulated_value() {
        // Two servers at offered load 1: C = 1/3 (a^2/2 * 2/(2-1) over 1 + 1 + that).
        assert!(close(erlang_c(2, 1.0), 1.0 / 3.0));
    }

    #[test]
    fn md1_waits_half_as_long_as_mm1() {
        let (lambda, s) = (80.0, 0.010);
        let wait_md1 = md1_response(lambda, s) - s;
        let wait_mm1 = mmc_response(1, lambda, 1.0 / s) - s;
        assert!(close(wait_md1, wait_mm1 / 2.0));
    }

    #[test]
    fn processor_sharing_mean_equals_mm1() {
        assert!(close(
            ps_response(70.0, 0.010),
            mmc_response(1, 70.0, 100.0)
        ));
        assert!(close(mm_infinity_response(0.1), 0.1));
    }

    #[test]
    fn the_wait_quantile_and_abandonment_have_their_limits() {
        // M/M/1: C = ρ, so P(W > t) = ρ e^-(μ-λ)t.
        let t = mmc_wait_quantile(1, 80.0, 100.0, 0.99);
        assert!(close(0.8 * (-(20.0) * t).exp(), 0.01));
        assert_eq!(
            mmc_wait_quantile(4, 1.0, 100.0, 0.5),
            0.0,
            "hardly anyone waits"
        );
        // With endless patience nobody gives up; with none, everyone who would wait does.
        assert!(mm1_abandonment(80.0, 100.0, 100.0) < 1e-12);
        assert!(close(mm1_abandonment(80.0, 100.0, 0.0), 0.8 / 1.8));
        // M/G/1 with exponential service is M/M/1.
        assert!(close(
            mg1_response(80.0, 0.01, 2e-4),
            mmc_response(1, 80.0, 100.0)
        ));
    }

    #[test]
    fn predictions_cover_the_textbook_shapes_and_nothing_else() {
        let parse = |t: &str| Scenario::parse(t).unwrap();
        let mm4 = predict(&parse("workers = 4\ncores = 4\narrival_rate = 300\ncpu_ms = 10\nio_ms = 0\nswitch_us = 0\noverhead_us = 0")).unwrap();
        assert_eq!(mm4.model, "M/M/4");
        assert!(close(
            mm4.mean_latency_ms,
            mmc_response(4, 300.0, 100.0) * 1e3
        ));
        let mm1 = predict(&parse(
            "server = \"asyncio\"\narrival_rate = 50\ncpu_ms = 10\nio_ms = 0",
        ))
        .unwrap();
        assert!(mm1.p99_latency_ms.is_some());
        assert!(predict(&parse("arrival_rate = 50\nservice = \"constant\"")).is_none());
        assert!(
            predict(&parse(
                "workers = 4\narrival_rate = 1000\ncpu_ms = 10\nio_ms = 0\ncores = 4"
            ))
            .is_none(),
            "unstable"
        );
        let closed = predict(&parse(
            "workers = 1\nclients = 10\nthink_ms = 200\ncpu_ms = 25\nio_ms = 0",
        ))
        .unwrap();
        assert!(closed.throughput_rps > 0.0 && closed.model.starts_with("M/M/1//"));
    }

    #[test]
    fn finite_source_with_one_client_never_queues() {
        assert!(close(finite_source_response(1, 0.2, 0.025), 0.025));
        // Many clients saturate the server: R = N S − Z.
        let r = finite_source_response(200, 0.2, 0.025);
        assert!((r - (200.0 * 0.025 - 0.2)).abs() < 1e-6, "{r}");
    }
}
