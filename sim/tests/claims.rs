//! The article's qualitative claims, as tests: async wins under high load for I/O-bound
//! work when throughput is measured, and loses or ties otherwise.

mod common;

use common::scenario;
use sim::Report;

const RUN: &str = "requests = 20000\nwarmup = 2000\n";

fn run(body: &str) -> Report {
    sim::run(&scenario(&format!("{body}\n{RUN}")))
}

#[test]
fn io_bound_sync_saturates_while_asyncio_keeps_growing() {
    // 1 ms of CPU around 100 ms of I/O. 4 sync workers can finish at most
    // 4 / (cpu + io) = 39.6 requests a second however many clients come.
    let io_bound = "cpu_ms = 1\nio_ms = 100\ncores = 2";
    let ceiling = 4.0 / 0.101;
    let mut last_async = 0.0;
    for clients in [10, 50, 200] {
        let sync = run(&format!("{io_bound}\nworkers = 4\nclients = {clients}"));
        let asyncio = run(&format!(
            "{io_bound}\nserver = \"asyncio\"\nclients = {clients}"
        ));
        assert!(
            sync.throughput_rps <= ceiling * 1.02,
            "{clients} clients: sync {} above {ceiling}",
            sync.throughput_rps
        );
        if clients >= 50 {
            assert!(
                sync.throughput_rps >= ceiling * 0.95,
                "sync should be saturated"
            );
        }
        assert!(
            asyncio.throughput_rps > last_async * 1.5,
            "{clients} clients: asyncio {} did not grow from {last_async}",
            asyncio.throughput_rps
        );
        last_async = asyncio.throughput_rps;
    }
    assert!(
        last_async > 10.0 * ceiling,
        "asyncio at 200 clients: {last_async}"
    );
}

#[test]
fn one_event_loop_uses_one_core() {
    // About cores, not about sync and async: one loop process against four processes
    // on four cores. (The article gives both sides the same cores everywhere else.)
    let cpu_bound = "cpu_ms = 10\nio_ms = 0\nio_calls = 0\ncores = 4\nclients = 50";
    let processes = run(&format!("{cpu_bound}\nworkers = 4"));
    let asyncio = run(&format!("{cpu_bound}\nserver = \"asyncio\""));
    assert!(
        asyncio.throughput_rps < processes.throughput_rps / 3.0,
        "asyncio {} vs processes {}",
        asyncio.throughput_rps,
        processes.throughput_rps
    );
    // One loop uses one core at most.
    assert!(asyncio.cpu_utilization <= 0.25 + 1e-9);
}

#[test]
fn cpu_bound_throughput_ties_at_equal_cores() {
    // Two processes against two event loops on two cores, 10 ms of CPU per request:
    // each side keeps both cores busy, so neither serves more (the server overheads
    // differ by well under 1% of a request).
    let cpu_bound = "cpu_ms = 10\nio_ms = 0\ncores = 2\nclients = 20";
    let processes = run(&format!("{cpu_bound}\nworkers = 2"));
    let asyncio = run(&format!("{cpu_bound}\nserver = \"asyncio\"\nworkers = 2"));
    let ratio = asyncio.throughput_rps / processes.throughput_rps;
    assert!(
        (0.97..1.03).contains(&ratio),
        "asyncio {} vs processes {}",
        asyncio.throughput_rps,
        processes.throughput_rps
    );
    assert!(
        processes.throughput_rps > 190.0,
        "{}",
        processes.throughput_rps
    );
}

#[test]
fn a_few_heavy_requests_hurt_the_light_ones_on_loops_that_cannot_preempt() {
    // Equal cores: two event loops against a pool of processes large enough that no
    // request waits for a worker, which the OS time-slices on the same two cores. One
    // request in a hundred needs 200 ms of CPU. On a loop every request behind a heavy
    // burst waits for all of it; in the pool the heavy one only takes its share of a
    // core. A loop that could preempt would be a pool on one core each, and the light
    // requests' p99 would be within a few percent of the pool's: this test would fail.
    let mix = "cores = 2\narrival_rate = 100\ncpu_ms = 5\nio_ms = 50\nservice = \"constant\"\n\
               heavy_share = 0.01\nheavy_cpu_ms = 200";
    let pool = run(&format!("{mix}\nworkers = 64"));
    let loops = run(&format!("{mix}\nserver = \"asyncio\"\nworkers = 2"));
    assert!(
        loops.light_p99_ms > 2.0 * pool.light_p99_ms,
        "light p99: loops {} ms vs pool {} ms",
        loops.light_p99_ms,
        pool.light_p99_ms
    );
    // Both keep up with the load: this is about who waits, not about throughput.
    let ratio = loops.throughput_rps / pool.throughput_rps;
    assert!((0.97..1.03).contains(&ratio), "{ratio}");
    // Without heavy requests, constant work and a light load, the two tie.
    let light = "cores = 2\narrival_rate = 100\ncpu_ms = 5\nio_ms = 50\nservice = \"constant\"";
    let pool = run(&format!("{light}\nworkers = 64"));
    let loops = run(&format!("{light}\nserver = \"asyncio\"\nworkers = 2"));
    assert!(
        loops.latency_ms.p99 < 1.3 * pool.latency_ms.p99,
        "p99: loops {} ms vs pool {} ms",
        loops.latency_ms.p99,
        pool.latency_ms.p99
    );
}

#[test]
fn the_gil_keeps_threads_on_one_core() {
    let cpu_bound = "server = \"threads\"\nthreads = 8\ncores = 4\ncpu_ms = 10\nio_ms = 0\nio_calls = 0\nclients = 16";
    let threads = run(cpu_bound);
    assert!(threads.cpu_utilization <= 0.25 + 1e-9);
    assert!(threads.cpu_utilization > 0.24);
    // The switch interval forces switches beyond one per request.
    assert!(threads.context_switches > threads.completed);
}

#[test]
fn under_light_load_async_and_sync_tie() {
    // Nobody waits, so the server kind hardly matters for latency.
    let light = "arrival_rate = 5\ncpu_ms = 2\nio_ms = 50\ncores = 2";
    let sync = run(&format!("{light}\nworkers = 4"));
    let asyncio = run(&format!("{light}\nserver = \"asyncio\""));
    let ratio = asyncio.latency_ms.mean / sync.latency_ms.mean;
    assert!((0.95..1.05).contains(&ratio), "ratio {ratio}");
}

#[test]
fn a_blocking_call_in_an_event_loop_serialises_everything() {
    let io_bound = "server = \"gevent\"\ncpu_ms = 1\nio_ms = 100\nclients = 100";
    let patched = run(io_bound);
    let unpatched = run(&format!("{io_bound}\nblocking_share = 1"));
    // Fully blocking: one request at a time, about 1 / 0.101 s.
    assert!(
        unpatched.throughput_rps < 10.0,
        "{}",
        unpatched.throughput_rps
    );
    assert!(patched.throughput_rps > 50.0 * unpatched.throughput_rps / 10.0);
}

#[test]
fn memory_per_connection_is_what_separates_the_kinds() {
    let many = "cpu_ms = 0.1\nio_ms = 1000\nclients = 5000";
    let processes = run(&format!("{many}\nworkers = 16"));
    let asyncio = run(&format!("{many}\nserver = \"asyncio\""));
    let gevent = run(&format!("{many}\nserver = \"gevent\"\nmax_tasks = 5000"));
    // 14 MB shared + 15 MB per process.
    assert_eq!(processes.memory_mb_peak, 14.0 + 16.0 * 15.0);
    // One process plus 5000 connections of 11.7 KiB (asyncio) or 14.9 KiB (greenlets).
    assert!((asyncio.memory_mb_peak - (29.0 + 5000.0 * 11.7 / 1024.0)).abs() < 0.1);
    assert!((gevent.memory_mb_peak - (29.0 + 5000.0 * 14.9 / 1024.0)).abs() < 0.1);
}
