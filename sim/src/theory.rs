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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn finite_source_with_one_client_never_queues() {
        assert!(close(finite_source_response(1, 0.2, 0.025), 0.025));
        // Many clients saturate the server: R = N S − Z.
        let r = finite_source_response(200, 0.2, 0.025);
        assert!((r - (200.0 * 0.025 - 0.2)).abs() < 1e-6, "{r}");
    }
}
