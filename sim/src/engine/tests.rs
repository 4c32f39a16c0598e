//! The model rules on tiny scenarios whose timelines can be worked out by hand.

use crate::{run, RequestPhase, Scenario, Simulation, WorkerState};

fn scenario(body: &str) -> Scenario {
    Scenario::parse(body).unwrap_or_else(|e| panic!("{body}\n{e}"))
}

/// Two closed clients sending one 20 ms CPU-only request each at time 0; the first
/// two replies' mean and max latency, ms.
fn two_requests(server: &str) -> (f64, f64) {
    let s = scenario(&format!(
        "{server}\nclients = 2\ncpu_ms = 20\nio_ms = 0\nio_calls = 0\nservice = \"constant\"\n\
         switch_us = 0\noverhead_us = 0\nrequests = 2\nwarmup = 0"
    ));
    let r = run(&s);
    assert_eq!(r.completed, 2);
    (r.latency_ms.mean, r.latency_ms.max)
}

#[test]
fn the_gil_switches_every_interval() {
    // A runs 0-5, B 5-10, A 10-15, ... A is done at 35, B at 40.
    let (mean, max) = two_requests("server = \"threads\"\nthreads = 2\ncores = 2");
    assert!((mean - 37.5).abs() < 1e-9, "{mean}");
    assert!((max - 40.0).abs() < 1e-9, "{max}");
}

#[test]
fn an_event_loop_runs_a_burst_to_completion() {
    let (mean, max) = two_requests("server = \"asyncio\"");
    assert!((mean - 30.0).abs() < 1e-9 && (max - 40.0).abs() < 1e-9);
}

#[test]
fn processes_share_one_core() {
    let (mean, max) = two_requests("workers = 2\ncores = 1");
    assert!((mean - 40.0).abs() < 1e-9 && (max - 40.0).abs() < 1e-9);
}

#[test]
fn processes_on_enough_cores_run_in_parallel() {
    let (mean, _) = two_requests("workers = 2\ncores = 2");
    assert!((mean - 20.0).abs() < 1e-9);
}

#[test]
fn switch_cost_is_charged_per_burst() {
    // An open workload so slow that no second request arrives meanwhile.
    let s = scenario(
        "workers = 1\narrival_rate = 0.001\ncpu_ms = 10\nio_ms = 10\nio_calls = 1\n\
         service = \"constant\"\nswitch_us = 100\noverhead_us = 0\nrequests = 1\nwarmup = 0",
    );
    let r = run(&s);
    // Two bursts of 5 ms + 0.1 ms, and 10 ms of I/O.
    assert!(
        (r.latency_ms.mean - 20.2).abs() < 1e-9,
        "{}",
        r.latency_ms.mean
    );
    assert_eq!(r.context_switches, 2);
}

#[test]
fn a_client_that_times_out_leaves_its_request_to_the_server() {
    // One worker, 100 ms requests, two clients, 150 ms timeout: the second request
    // starts at 100, its client gives up at 150, the worker finishes it at 200 anyway:
    // wasted work. The client sends it again a second later.
    let s = scenario(
        "workers = 1\nclients = 2\ncpu_ms = 100\nio_ms = 0\nio_calls = 0\nservice = \"constant\"\n\
         switch_us = 0\noverhead_us = 0\ntimeout_ms = 150\nwarmup = 0",
    );
    let mut sim = Simulation::new(&s);
    sim.advance_to(0.175, u64::MAX);
    let r = sim.report();
    assert_eq!((r.completed, r.timed_out, r.wasted), (1, 1, 0));
    let abandoned: Vec<_> = sim.requests().filter(|r| r.abandoned).collect();
    assert_eq!(abandoned.len(), 1);
    assert_eq!(abandoned[0].phase, RequestPhase::OnCpu { worker: 0 });
    // Its first client waits for the request it sent at 100; the other backs off.
    assert_eq!(sim.in_flight(), 1);
    sim.advance_to(0.25, u64::MAX);
    let r = sim.report();
    assert_eq!(
        (r.completed, r.wasted),
        (2, 1),
        "served after its client left"
    );
    assert_eq!(r.goodput_rps * 0.25, 1.0);
    // The retry arrives at 1.15 s.
    let before = sim.arrived();
    sim.advance_to(1.151, u64::MAX);
    assert_eq!(sim.arrived(), before + 1);
}

#[test]
fn a_timed_out_request_leaves_the_backlog_when_abandoned_requests_are_dropped() {
    let s = scenario(
        "workers = 1\nclients = 3\ncpu_ms = 100\nio_ms = 0\nio_calls = 0\nservice = \"constant\"\n\
         switch_us = 0\noverhead_us = 0\ntimeout_ms = 150\nabandon = \"dropped\"\nwarmup = 0",
    );
    let mut sim = Simulation::new(&s);
    sim.advance_to(0.175, u64::MAX);
    // The third request (number 2) waited in the backlog from 0 and left it at 150.
    assert!(sim.requests().all(|r| r.id != 2));
    // Requests 1 and 3 were in service when their clients left (at 150 and 250): the
    // server finished them, wasted. Request 2 never used the worker.
    sim.advance_to(0.35, u64::MAX);
    assert_eq!(sim.report().wasted, 2);
}

#[test]
fn a_full_backlog_refuses_and_refused_clients_come_back_later() {
    let s = scenario(
        "workers = 1\nclients = 3\ncpu_ms = 100\nio_ms = 0\nio_calls = 0\nqueue_limit = 0\n\
         switch_us = 0\nwarmup = 0",
    );
    let mut sim = Simulation::new(&s);
    sim.advance_to(0.5, u64::MAX);
    assert_eq!(sim.report().dropped, 2);
    assert_eq!(sim.held(), 1);
    // The TCP retry brings them back after a second.
    sim.advance_to(1.0 + 1e-9, u64::MAX);
    assert!(sim.arrived() > 3);
}

#[test]
fn views_agree_with_the_counters() {
    let s = scenario(
        "server = \"threads\"\nthreads = 3\nclients = 12\ncpu_ms = 8\nio_ms = 20\nio_calls = 2",
    );
    let mut sim = Simulation::new(&s);
    for step in 1..=400 {
        sim.advance_to(step as f64 * 0.005, 10_000);
        let requests: Vec<_> = sim.requests().collect();
        let waiting = requests
            .iter()
            .filter(|r| {
                matches!(
                    r.phase,
                    RequestPhase::Queued
                        | RequestPhase::WaitingGil { .. }
                        | RequestPhase::Ready { .. }
                )
            })
            .count();
        assert_eq!(waiting as u32, sim.queue_len());
        let on_cpu = requests
            .iter()
            .filter(|r| matches!(r.phase, RequestPhase::OnCpu { .. }))
            .count();
        assert!(on_cpu <= 1, "the GIL lets one thread run");
        let workers: Vec<_> = sim.workers().collect();
        assert_eq!(workers.len(), 3);
        assert_eq!(
            workers
                .iter()
                .filter(|w| w.state == WorkerState::Cpu)
                .count(),
            on_cpu
        );
        let waiting_clients = sim
            .clients()
            .filter(|c| matches!(c.state, crate::ClientState::Waiting { .. }))
            .count();
        assert_eq!(waiting_clients as u64, sim.in_flight());
        assert!(sim.window().busy_workers <= 3);
        let processes: Vec<_> = sim.processes().collect();
        assert_eq!(processes.len(), 1);
        assert_eq!(processes[0].on_cpu.is_some(), on_cpu == 1);
    }
}

#[test]
fn stepping_and_running_agree() {
    let s = scenario("server = \"gevent\"\narrival_rate = 300\nblocking_share = 0.05\nrequests = 5000\nwarmup = 100");
    let whole = run(&s);
    let mut sim = Simulation::new(&s);
    while !sim.is_done() {
        let t = sim.now_s() + 0.016;
        sim.advance_to(t, 50);
        if sim.is_done() {
            break;
        }
    }
    // advance_to may run past the end within its last call; step to the same point.
    let mut exact = Simulation::new(&s);
    exact.run_to_end();
    assert_eq!(exact.report(), whole);
    assert!(sim.report().completed >= whole.completed);
}

#[test]
fn the_same_seed_gives_the_same_report_and_another_seed_does_not() {
    let s = scenario("server = \"threads\"\nclients = 30\nthink_ms = 10\nrequests = 3000\nservice = \"lognormal\"\ncv = 2");
    let a = run(&s).to_json();
    let b = run(&s).to_json();
    assert_eq!(a, b);
    let c = run(&Scenario { seed: 2, ..s }).to_json();
    assert_ne!(a, c);
}

#[test]
fn the_window_sees_recent_throughput() {
    let s = scenario("arrival_rate = 100\ncpu_ms = 1\nio_ms = 10\nworkers = 8");
    let mut sim = Simulation::new(&s);
    sim.advance_to(20.0, u64::MAX);
    let w = sim.window();
    assert!((w.window_s - 2.0).abs() < 0.11, "{}", w.window_s);
    assert!(
        (w.throughput_rps - 100.0).abs() < 25.0,
        "{}",
        w.throughput_rps
    );
    assert!(w.p50_ms > 5.0 && w.p50_ms < 20.0, "{}", w.p50_ms);
    assert!(w.p99_ms >= w.p95_ms && w.p95_ms >= w.p50_ms);
    assert!(
        (w.cpu_utilization - 0.05).abs() < 0.02,
        "{}",
        w.cpu_utilization
    );
    // Totals count warmup too.
    assert!(w.completed >= sim.report().completed + 1000);
}

#[test]
fn advance_to_respects_its_event_cap_and_odd_times() {
    let s = scenario("clients = 100000\ncpu_ms = 1");
    let mut sim = Simulation::new(&s);
    assert_eq!(sim.advance_to(1.0, 1000), 1000);
    assert_eq!(sim.now_s(), 0.0);
    assert_eq!(sim.advance_to(f64::NAN, 10), 0);
    assert_eq!(sim.advance_to(-1.0, 10), 0);
    assert_eq!(sim.advance_to(f64::INFINITY, 10), 10);
    assert!(sim.now_s().is_finite());
}

#[test]
fn blocking_calls_hold_the_loop_but_queries_never_do() {
    let base = "server = \"asyncio\"\nworkers = 1\nclients = 32\ncpu_ms = 0.5\ndb_ms = 20\ndb_pool = 32\nrequests = 4000\nwarmup = 200";
    let none = "io_ms = 0\nio_calls = 0";
    let awaited = run(&scenario(&format!("{base}\n{none}"))).throughput_rps;
    // Every I/O call blocks, but there are none: the queries still overlap.
    let queries_only = run(&scenario(&format!(
        "{base}\nio_ms = 0\nio_calls = 0\nblocking_share = 1"
    )))
    .throughput_rps;
    assert!(
        (queries_only / awaited - 1.0).abs() < 0.05,
        "{queries_only} vs {awaited}"
    );
    // A 5 ms blocking call in every request caps the loop near 1 / 5.5 ms.
    let blocked = run(&scenario(&format!(
        "{base}\nio_ms = 5\nio_calls = 1\nblocking_share = 1"
    )))
    .throughput_rps;
    assert!(blocked < 200.0 && blocked > 150.0, "{blocked}");
}

#[test]
fn a_barging_pool_sends_some_requests_round_again() {
    // 32 clients, 8 connections of 20 ms: each request waits about three turns of the
    // pool. With barging, a woken request that loses its connection to a task the loop
    // ran first waits a whole line more; with fifo nobody does. The times vary a little:
    // exactly equal ones keep the clients in lockstep, where nobody ever overtakes.
    let base = "server = \"asyncio\"\nworkers = 1\nclients = 32\ncpu_ms = 0.5\noverhead_us = 150\n\
                io_ms = 0\nio_calls = 0\ndb_ms = 20\ndb_pool = 8\nservice = \"lognormal\"\ncv = 0.02\n\
                requests = 20000\nwarmup = 500";
    let fifo = run(&scenario(base));
    let barging = run(&scenario(&format!("{base}\ndb_pool_queue = \"barging\"")));
    let round_ms = 32.0 / fifo.throughput_rps * 1e3 - 21.0;
    assert!(
        fifo.latency_ms.p99 - fifo.latency_ms.p50 < 0.2 * round_ms,
        "fifo: {:?}, a line is {round_ms} ms",
        fifo.latency_ms
    );
    assert!(
        barging.latency_ms.p99 - barging.latency_ms.p50 > 0.6 * round_ms,
        "barging: {:?}, a line is {round_ms} ms",
        barging.latency_ms
    );
    // Most requests still get their turn, and the pool stays as busy.
    assert!(barging.latency_ms.p50 < fifo.latency_ms.p50 * 1.05);
    assert!((barging.throughput_rps / fifo.throughput_rps - 1.0).abs() < 0.02);
    // The report counts the losers among the woken; a fifo pool wakes nobody.
    assert!(
        barging.db_pool_lost_share > 0.01 && barging.db_pool_lost_share < 0.5,
        "{}",
        barging.db_pool_lost_share
    );
    assert_eq!(fifo.db_pool_lost_share, 0.0);
}

#[test]
fn a_release_round_trip_queues_behind_the_databases_queries() {
    // 16 clients, 8 database connections (a pgbouncer pool) of 20 ms queries: every
    // request waits about one query's time for a connection. When the driver gives its
    // connection back with a round trip (asyncpg's reset), that trip is a transaction of
    // its own and waits at the end of the same line: a few microseconds of database
    // time, yet up to a whole query's wait more for some requests, which spreads the
    // tail while the throughput stays where the 20 ms queries put it.
    let base = "server = \"asyncio\"\nworkers = 1\nclients = 16\ncpu_ms = 0.3\noverhead_us = 100\n\
                io_ms = 0\nio_calls = 0\ndb_ms = 20\ndb_connections = 8\nservice = \"lognormal\"\n\
                cv = 0.02\nrequests = 20000\nwarmup = 500";
    let direct = run(&scenario(base));
    let reset = run(&scenario(&format!("{base}\ndb_release_ms = 0.2")));
    assert!(
        direct.latency_ms.p99 - direct.latency_ms.p50 < 3.0,
        "{:?}",
        direct.latency_ms
    );
    assert!(
        reset.latency_ms.p99 - reset.latency_ms.p50 > 6.0,
        "{:?}",
        reset.latency_ms
    );
    assert!((reset.throughput_rps / direct.throughput_rps - 1.0).abs() < 0.03);
    // The database is as busy: the trips take almost none of its time.
    assert!(reset.db_utilization > 0.95, "{}", reset.db_utilization);
}

#[test]
fn a_request_keeps_its_pool_connection_until_its_next_burst_is_done() {
    // One connection, two clients, 10 ms queries, then 5 ms of CPU on one core: the
    // connection comes back only after the CPU burst that follows the query, so the
    // pool serves a request every 15 ms, not every 10.
    let s = scenario(
        "server = \"asyncio\"\nworkers = 1\ncores = 1\nclients = 2\ncpu_ms = 10\noverhead_us = 0\n\
         switch_us = 0\nio_ms = 0\nio_calls = 0\ndb_ms = 10\ndb_pool = 1\nservice = \"constant\"\n\
         requests = 200\nwarmup = 10",
    );
    let r = run(&s);
    assert!(
        (r.throughput_rps - 1000.0 / 15.0).abs() < 1.0,
        "{}",
        r.throughput_rps
    );
}

#[test]
fn kept_alive_connections_on_one_process_leave_the_other_idle() {
    // Two processes of 4 threads, 16 clients on 20 ms queries: spread evenly, all 8
    // threads are busy (400 requests/s); with every connection on one process, only
    // its 4 threads are (200/s), however idle the other process is.
    let base = "server = \"threads\"\nworkers = 2\nthreads = 4\nclients = 16\ncpu_ms = 0.1\n\
                io_ms = 20\nservice = \"constant\"\nrequests = 5000\nwarmup = 200";
    let spread = run(&scenario(&format!("{base}\nbusiest_share = 0.5")));
    let one = run(&scenario(&format!("{base}\nbusiest_share = 1")));
    let pooled = run(&scenario(base));
    assert!(
        (spread.throughput_rps / 400.0 - 1.0).abs() < 0.03,
        "{}",
        spread.throughput_rps
    );
    assert!(
        (one.throughput_rps / 200.0 - 1.0).abs() < 0.03,
        "{}",
        one.throughput_rps
    );
    assert!((pooled.throughput_rps / spread.throughput_rps - 1.0).abs() < 0.01);
    // A 3-to-1 split: 12 clients take turns on 4 threads (three rounds, 60 ms), while
    // 4 have 4 to themselves (20 ms); spread, 8 share 4 (40 ms). The same throughput,
    // the same mean (Little's law), a tail half as long again.
    let skewed = run(&scenario(&format!("{base}\nbusiest_share = 0.75")));
    assert!(
        (skewed.throughput_rps / 400.0 - 1.0).abs() < 0.03,
        "{}",
        skewed.throughput_rps
    );
    assert!(
        (spread.latency_ms.p99 / 40.0 - 1.0).abs() < 0.05,
        "{:?}",
        spread.latency_ms
    );
    assert!(
        (skewed.latency_ms.p99 / 60.0 - 1.0).abs() < 0.05,
        "{:?}",
        skewed.latency_ms
    );
}

#[test]
fn an_event_loop_with_every_connection_uses_one_core() {
    // Two uvloop processes, 8 clients of 10 ms CPU on 2 cores: 200/s spread, 100/s
    // when one process holds every connection.
    let base = "server = \"uvloop\"\nworkers = 2\nclients = 8\ncpu_ms = 10\nio_ms = 0\n\
                io_calls = 0\nservice = \"constant\"\nrequests = 3000\nwarmup = 100";
    let spread = run(&scenario(&format!("{base}\nbusiest_share = 0.5")));
    let one = run(&scenario(&format!("{base}\nbusiest_share = 1")));
    assert!(spread.throughput_rps > 190.0, "{}", spread.throughput_rps);
    assert!(
        one.throughput_rps < 101.0 && one.throughput_rps > 95.0,
        "{}",
        one.throughput_rps
    );
}
