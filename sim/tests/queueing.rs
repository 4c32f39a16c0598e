//! With `switch_us = 0` and exponential times the model reduces to textbook queues, and
//! must agree with them (DESIGN.md, "Model rules"): mean latency within 3 standard
//! errors over 10 seeds.

mod common;

use common::{assert_agrees, mean_latency_s, replicate, scenario};
use sim::theory::*;

const SEEDS: u64 = 10;
/// Appended to every scenario: the ideal model, long enough runs, a warmup that
/// removes most of the empty-start bias.
const RUN: &str = "switch_us = 0\nrequests = 100000\nwarmup = 10000\n";

/// Mean latency of `body` agrees with `expected` seconds.
fn check_latency(what: &str, body: &str, expected: f64) {
    let s = scenario(&format!("{body}\n{RUN}"));
    assert_agrees(what, mean_latency_s(&s, SEEDS), expected, 0.02);
}

#[test]
fn mm1() {
    // λ = 80/s, service 10 ms: ρ = 0.8.
    check_latency(
        "M/M/1",
        "workers = 1\narrival_rate = 80\ncpu_ms = 10\nio_ms = 0\nio_calls = 0",
        mmc_response(1, 80.0, 100.0),
    );
}

#[test]
fn mm1_percentiles() {
    let s = scenario(&format!(
        "workers = 1\narrival_rate = 70\ncpu_ms = 10\nio_ms = 0\nio_calls = 0\n{RUN}"
    ));
    for (q, pick) in [
        (
            0.50,
            (|r: &sim::Report| r.latency_ms.p50) as fn(&sim::Report) -> f64,
        ),
        (0.99, |r: &sim::Report| r.latency_ms.p99),
    ] {
        let est = replicate(&s, SEEDS, |r| pick(r) / 1e3);
        assert_agrees(
            &format!("M/M/1 quantile {q}"),
            est,
            mm1_response_quantile(70.0, 100.0, q),
            0.03,
        );
    }
}

#[test]
fn mmc_cpu_only_processes() {
    // 4 worker processes on 4 cores, CPU-only: M/M/4 at ρ = 0.85.
    check_latency(
        "M/M/4, CPU only",
        "workers = 4\ncores = 4\narrival_rate = 340\ncpu_ms = 10\nio_ms = 0\nio_calls = 0",
        mmc_response(4, 340.0, 100.0),
    );
}

#[test]
fn mmc_io_only_processes() {
    // 4 sync workers blocked on I/O: the cores do not matter, the workers are the servers.
    check_latency(
        "M/M/4, I/O only",
        "workers = 4\ncores = 1\narrival_rate = 32\ncpu_ms = 0\nio_ms = 100",
        mmc_response(4, 32.0, 10.0),
    );
}

#[test]
fn processes_sharing_fewer_cores_are_mmc_in_the_number_of_cores() {
    // 64 processes on 2 cores: processor sharing at rate min(n, 2), which for
    // exponential work is the same birth-death chain as M/M/2.
    check_latency(
        "64 processes on 2 cores",
        "workers = 64\ncores = 2\narrival_rate = 150\ncpu_ms = 10\nio_ms = 0\nio_calls = 0",
        mmc_response(2, 150.0, 100.0),
    );
}

#[test]
fn mmck_refusals() {
    // 2 workers and a backlog of 3: M/M/2/5 at offered load 2.4 (overloaded).
    let s = scenario(&format!(
        "workers = 2\ncores = 2\narrival_rate = 240\ncpu_ms = 10\nio_ms = 0\nio_calls = 0\nqueue_limit = 3\n{RUN}"
    ));
    let est = replicate(&s, SEEDS, |r| {
        r.dropped as f64 / (r.dropped + r.completed) as f64
    });
    assert_agrees(
        "M/M/2/5 blocking",
        est,
        mmck_blocking(2, 5, 240.0, 100.0),
        0.02,
    );
}

#[test]
fn md1() {
    check_latency(
        "M/D/1",
        "workers = 1\narrival_rate = 80\ncpu_ms = 10\nio_ms = 0\nio_calls = 0\nservice = \"constant\"",
        md1_response(80.0, 0.010),
    );
}

#[test]
fn mg1_processor_sharing_is_insensitive() {
    // Many processes on one core: M/G/1-PS, whose mean depends only on the mean work.
    let workload =
        "workers = 400\ncores = 1\narrival_rate = 70\ncpu_ms = 10\nio_ms = 0\nio_calls = 0";
    for service in [
        "service = \"exponential\"",
        "service = \"constant\"",
        "service = \"lognormal\"\ncv = 3",
    ] {
        check_latency(
            &format!("M/G/1-PS, {service}"),
            &format!("{workload}\n{service}"),
            ps_response(70.0, 0.010),
        );
    }
}

#[test]
fn mm_infinity_asyncio_io_only() {
    // An event loop with only I/O never makes a task wait: M/M/∞.
    check_latency(
        "M/M/inf",
        "server = \"asyncio\"\narrival_rate = 300\ncpu_ms = 0\nio_ms = 100",
        0.100,
    );
}

#[test]
fn closed_finite_source() {
    // 10 clients thinking 200 ms, one exponential server of 25 ms.
    check_latency(
        "M/M/1//10",
        "workers = 1\nclients = 10\nthink_ms = 200\ncpu_ms = 25\nio_ms = 0\nio_calls = 0",
        finite_source_response(10, 0.200, 0.025),
    );
}

#[test]
fn closed_mva_cpu_plus_io() {
    // 20 clients; CPU 6 ms in 3 bursts around 2 I/O waits of 40 ms in total; think 50 ms.
    // The CPU is a PS station for processes on one core, FCFS for an event loop and
    // (nearly) for the GIL; for exponential bursts all give the same mean.
    let expected = mva_response(20, 0.050, 0.006, 0.040);
    let workload = "clients = 20\nthink_ms = 50\ncpu_ms = 6\nio_ms = 40\nio_calls = 2\ncores = 1";
    for server in [
        "workers = 32",
        "server = \"asyncio\"",
        "server = \"threads\"\nworkers = 32",
    ] {
        check_latency(
            &format!("MVA, {server}"),
            &format!("{server}\n{workload}"),
            expected,
        );
    }
}
