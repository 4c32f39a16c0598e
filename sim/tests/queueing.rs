//! With `switch_us = 0` and exponential times the model reduces to textbook queues, and
//! must agree with them (DESIGN.md, "Model rules"): mean latency within 3 standard
//! errors over 10 seeds.

mod common;

use common::{assert_agrees, mean_latency_s, replicate, scenario};
use sim::theory::*;

const SEEDS: u64 = 10;
/// Appended to every scenario: the ideal model, long enough runs, a warmup that
/// removes most of the empty-start bias.
const RUN: &str = "switch_us = 0\noverhead_us = 0\nrequests = 100000\nwarmup = 10000\n";

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
fn mmc_holds_with_the_default_io_calls() {
    // `service` describes the request: with `io_ms = 0` and the default one I/O call,
    // a request is one exponential burst, and the pool is M/M/c.
    check_latency(
        "M/M/2, default io_calls",
        "workers = 2\ncores = 2\narrival_rate = 170\ncpu_ms = 10\nio_ms = 0",
        mmc_response(2, 170.0, 100.0),
    );
}

#[test]
fn mmc_waiting_time_percentiles() {
    // The database pool of one event loop, 3 connections, 20 ms queries at 130 per
    // second: the waits for a connection are M/M/3's, p50 and p99 from Erlang C.
    let s = scenario(
        "server = \"asyncio\"\narrival_rate = 130\ncpu_ms = 0\nio_ms = 0\ndb_ms = 20\ndb_pool = 3\n\
         switch_us = 0\noverhead_us = 0\nrequests = 400000\nwarmup = 10000",
    );
    let est = replicate(&s, SEEDS, |r| r.db_wait_ms.mean / 1e3);
    let expected = mmc_response(3, 130.0, 50.0) - 0.020;
    assert_agrees("M/M/3 pool, mean wait", est, expected, 0.03);
    let est = replicate(&s, SEEDS, |r| r.db_wait_ms.p99 / 1e3);
    assert_agrees(
        "M/M/3 pool, p99 wait",
        est,
        mmc_wait_quantile(3, 130.0, 50.0, 0.99),
        0.03,
    );
}

#[test]
fn mmc_response_time_percentile() {
    // Four workers with a core each and exponential 100 ms requests of pure waiting at
    // 30 a second: M/M/4, whose p99 the widgets' theory line draws.
    let s = scenario(
        "workers = 4\ncores = 4\narrival_rate = 30\ncpu_ms = 0\nio_ms = 100\n\
         switch_us = 0\noverhead_us = 0\nrequests = 200000\nwarmup = 5000",
    );
    let est = replicate(&s, SEEDS, |r| r.latency_ms.p99 / 1e3);
    assert_agrees(
        "M/M/4, p99 response",
        est,
        mmc_response_quantile(4, 30.0, 10.0, 0.99),
        0.03,
    );
}

#[test]
fn the_pool_is_an_mmp_queue_and_the_database_an_mmc_one() {
    // One process with a pool of 2: M/M/2. Four processes with no pool limit and a
    // database of 8 connections, which sees the whole Poisson stream: M/M/8. (Four
    // processes with pools of their own would not be four M/M/2 queues: the loops take
    // arrivals in turn, which makes each one's arrivals more regular than Poisson.)
    let base = "server = \"asyncio\"\ncpu_ms = 0\nio_ms = 0\ndb_ms = 20";
    check_latency(
        "M/M/2, a pool",
        &format!("{base}\narrival_rate = 80\ndb_pool = 2"),
        mmc_response(2, 80.0, 50.0),
    );
    check_latency(
        "M/M/8, database connections",
        &format!("{base}\nworkers = 4\narrival_rate = 320\ndb_connections = 8"),
        mmc_response(8, 320.0, 50.0),
    );
}

#[test]
fn overhead_and_switches_are_part_of_the_service_time() {
    // One process, exponential CPU of 8 ms plus 1 ms of server overhead and one 1 ms
    // switch per request: M/G/1 with service Exp(8 ms) + 2 ms.
    let s = scenario(
        "workers = 1\narrival_rate = 70\ncpu_ms = 8\nio_ms = 0\noverhead_us = 1000\nswitch_us = 1000\n\
         requests = 100000\nwarmup = 10000",
    );
    let (mean, second) = (
        0.010,
        0.008f64.powi(2) * 2.0 + 2.0 * 0.008 * 0.002 + 0.002f64.powi(2),
    );
    assert_agrees(
        "M/G/1 with overhead and switch",
        mean_latency_s(&s, SEEDS),
        mg1_response(70.0, mean, second),
        0.02,
    );
}

#[test]
fn deterministic_patience_mm1_abandonment() {
    // M/M/1+D: clients give up after 40 ms; requests still waiting then leave the
    // backlog (`abandon = "dropped"`). Those in service when it happens are served,
    // wasted, and not abandonments of the queue.
    let s = scenario(&format!(
        "workers = 1\narrival_rate = 95\ncpu_ms = 10\nio_ms = 0\ntimeout_ms = 40\nabandon = \"dropped\"\n{RUN}"
    ));
    let est = replicate(&s, SEEDS, |r| {
        (r.timed_out - r.wasted) as f64
            / (r.goodput_rps / r.throughput_rps * r.completed as f64 + r.timed_out as f64)
    });
    assert_agrees(
        "M/M/1+D abandonment",
        est,
        mm1_abandonment(95.0, 100.0, 0.040),
        0.03,
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
    // 10 clients thinking 200 ms, one exponential server of 25 ms: one worker process,
    // one event loop, one thread.
    for server in [
        "workers = 1",
        "server = \"asyncio\"",
        "server = \"threads\"\nthreads = 1",
    ] {
        check_latency(
            &format!("M/M/1//10, {server}"),
            &format!("{server}\nclients = 10\nthink_ms = 200\ncpu_ms = 25\nio_ms = 0"),
            finite_source_response(10, 0.200, 0.025),
        );
    }
}

#[test]
fn closed_mva_cpu_plus_io() {
    // 20 clients; CPU 6 ms in 3 bursts around 2 I/O waits of 40 ms in total; think 50 ms.
    // The CPU is a processor-sharing station for processes on one core, whose mean is
    // insensitive to how the work is split. (An event loop is FCFS, and its three
    // bursts are equal shares of one draw, not three independent ones, so MVA's
    // product form does not hold for it exactly; `closed_finite_source` holds it to the
    // exact finite-source model instead.)
    let expected = mva_response(20, 0.050, 0.006, 0.040);
    let workload = "clients = 20\nthink_ms = 50\ncpu_ms = 6\nio_ms = 40\nio_calls = 2\ncores = 1";
    check_latency(
        "MVA, processes on one core",
        &format!("workers = 32\n{workload}"),
        expected,
    );
}
