//! Textbook results (Kleinrock, "Queueing Systems" vol. 1; Lazowska et al.,
//! "Quantitative System Performance" for mean value analysis). Times in seconds.

#![allow(dead_code)]

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

/// Mean response time of M/G/1 processor sharing: depends only on the mean.
pub fn ps_response(lambda: f64, service: f64) -> f64 {
    service / (1.0 - lambda * service)
}

/// Quantile `q` of the M/M/1 FCFS response time, which is exponential with rate μ - λ.
pub fn mm1_response_quantile(lambda: f64, mu: f64, q: f64) -> f64 {
    -(1.0 - q).ln() / (mu - lambda)
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
