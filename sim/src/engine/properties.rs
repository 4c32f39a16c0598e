//! Property tests over random valid scenarios, checked after every event: requests are
//! conserved, time never runs backwards, the CPU never does more than the cores (or one
//! core per process) allow, and no reply comes faster than its own work.

use proptest::prelude::*;

use super::state::Phase;
use super::Simulation;
use crate::{Abandon, PoolQueue, Scenario, ServerKind, Service};
use contract::key::{Accepts, Key};

type Extras = (
    f64,
    u32,
    u32,
    u32,
    f64,
    bool,
    u32,
    u32,
    u32,
    f64,
    (bool, f64),
    f64,
);

/// The second wave's keys: a database, heavy requests, overload, threads per process,
/// kept-alive connections, and how a pool takes a connection back.
fn extras() -> impl Strategy<Value = Extras> {
    (
        prop_oneof![Just(0.0), 0.5..80.0f64],
        1u32..4,
        0u32..6,
        0u32..8,
        prop_oneof![Just(0.0), 0.0..0.3f64],
        any::<bool>(),
        0u32..12,
        0u32..5,
        1u32..6,
        0.0..500.0f64,
        (any::<bool>(), prop_oneof![Just(0.0), 0.01..2.0f64]),
        prop_oneof![Just(0.0), 0.0..1.0f64],
    )
}

fn scenarios() -> impl Strategy<Value = Scenario> {
    (base_scenarios(), extras()).prop_map(
        |(
            s,
            (
                db_ms,
                db_calls,
                db_pool,
                db_connections,
                heavy_share,
                drop,
                limit,
                retries,
                threads,
                overhead_us,
                (barging, release_ms),
                busiest_share,
            ),
        )| {
            let threads = (s.server == ServerKind::Threads).then_some(threads);
            // Kept-alive connections need closed clients, and the busiest process
            // holds at least its even share.
            let busiest_share = if s.clients.is_some() && busiest_share > 0.0 {
                busiest_share.max(1.0 / f64::from(s.processes()))
            } else {
                0.0
            };
            Scenario {
                db_ms,
                db_calls,
                db_pool: if db_ms > 0.0 { db_pool } else { 0 },
                db_connections: if db_ms > 0.0 { db_connections } else { 0 },
                db_pool_queue: if barging && db_ms > 0.0 && db_pool > 0 {
                    PoolQueue::Barging
                } else {
                    PoolQueue::Fifo
                },
                db_release_ms: if db_ms > 0.0 { release_ms } else { 0.0 },
                heavy_share,
                heavy_cpu_ms: (heavy_share > 0.0).then_some(40.0),
                busiest_share,
                abandon: if drop {
                    Abandon::Dropped
                } else {
                    Abandon::Served
                },
                limit_concurrency: limit,
                retries,
                threads,
                overhead_us: Some(overhead_us),
                ..s
            }
        },
    )
}

fn base_scenarios() -> impl Strategy<Value = Scenario> {
    let kind = prop::sample::select(ServerKind::ALL.to_vec());
    let service = prop::sample::select(Service::ALL.to_vec());
    let workload = prop_oneof![
        (1.0..400.0f64).prop_map(|rate| (Some(rate), None)),
        (1u32..60).prop_map(|clients| (None, Some(clients))),
    ];
    (
        (kind, 1u32..6, 1u32..4, workload, 0.0..50.0f64),
        (0.0..20.0f64, 0.0..200.0f64, service, 0.2..3.0f64, 0u32..4),
        (
            0.0..50.0f64,
            0u32..20,
            prop_oneof![Just(0.0), 5.0..300.0f64],
        ),
        (
            0.0..1.0f64,
            1u32..30,
            0.5..10.0f64,
            200u64..800,
            0u64..100,
            any::<u64>(),
        ),
    )
        .prop_map(
            |(
                (server, workers, cores, (arrival_rate, clients), think_ms),
                (cpu_ms, io_ms, service, cv, io_calls),
                (switch_us, queue_limit, timeout_ms),
                (blocking_share, max_tasks, switch_interval_ms, requests, warmup, seed),
            )| Scenario {
                server,
                workers: Some(workers),
                cores,
                arrival_rate,
                clients,
                think_ms,
                cpu_ms: cpu_ms + 0.01,
                io_ms: if io_calls == 0 { 0.0 } else { io_ms },
                service,
                cv,
                io_calls,
                switch_us: Some(switch_us),
                queue_limit,
                timeout_ms,
                requests,
                warmup,
                seed: seed >> 1,
                blocking_share,
                max_tasks: Some(max_tasks),
                switch_interval_ms,
                ..Scenario::default()
            },
        )
}

/// Checks the invariants of `sim` at the current instant.
fn check_now(sim: &Simulation, s: &Scenario) -> Result<(), TestCaseError> {
    let live = sim.requests.slots.iter().filter(|r| r.phase != Phase::Free);
    let client_waiting = live.clone().filter(|r| !r.abandoned).count() as u64;
    let waiting = live.clone().filter(|r| r.phase.is_waiting()).count() as u32;
    let total = sim.metrics.total;
    prop_assert_eq!(
        sim.metrics.arrived,
        total.finished() + client_waiting,
        "requests are conserved"
    );
    prop_assert_eq!(waiting, sim.waiting);
    let processes = f64::from(s.processes());
    let cores = f64::from(s.cores);
    let colocated = (sim.colocated_s > 0.0) as u32 as f64 * 256.0;
    prop_assert!(sim.cpu.busy() <= cores.min(processes + colocated));
    // The database's and the pools' connections are never over-committed.
    let querying = live.clone().filter(|r| r.phase == Phase::Db).count() as u32;
    prop_assert_eq!(querying, sim.db_running);
    if sim.db_limit > 0 {
        prop_assert!(sim.db_running <= sim.db_limit);
        prop_assert_eq!(sim.db_free + sim.db_running, sim.db_limit);
    }
    if sim.pool_limit > 0 {
        for (p, process) in sim.processes.iter().enumerate() {
            let held = live
                .clone()
                .filter(|r| r.holds_pool && sim.process_of_request(r) == p as u32)
                .count() as u32;
            prop_assert_eq!(held + process.pool_free, sim.pool_limit);
        }
    }
    let db_waiting = live.clone().filter(|r| r.phase.is_db_waiting()).count() as u32;
    prop_assert_eq!(db_waiting, sim.db_waiting);
    prop_assert!(sim.backlog_len <= s.queue_limit);
    if s.server.is_event_loop() {
        for p in &sim.processes {
            prop_assert!(p.tasks <= s.effective_max_tasks());
        }
    }
    prop_assert!(
        sim.metrics.min_slack >= -1e-9,
        "slack {}",
        sim.metrics.min_slack
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_after_every_event(s in scenarios()) {
        prop_assume!(s.validate().is_ok());
        let mut sim = Simulation::new(&s);
        let mut last = 0.0;
        for _ in 0..20_000 {
            if sim.is_done() || !sim.step() {
                break;
            }
            prop_assert!(sim.now_s() >= last, "time ran backwards");
            last = sim.now_s();
            check_now(&sim, &s)?;
        }
        let report = sim.report();
        let cap = f64::from(s.processes()).min(f64::from(s.cores)) / f64::from(s.cores);
        prop_assert!(report.cpu_utilization <= cap + 1e-9, "{} > {}", report.cpu_utilization, cap);
        prop_assert!(sim.window().cpu_utilization <= cap + 1e-9);
        prop_assert!(report.latency_ms.p50 <= report.latency_ms.p99 + 1e-9);
        prop_assert!(report.latency_ms.max * 1.001 >= report.latency_ms.p99);
        prop_assert!(report.throughput_rps.is_finite() && report.queue_len_mean.is_finite());
    }

    #[test]
    fn widgets_can_drive_any_scenario_frame_by_frame(s in scenarios()) {
        prop_assume!(s.validate().is_ok());
        let mut sim = Simulation::new(&s);
        for frame in 1..=120 {
            let ran = sim.advance_to(f64::from(frame) / 60.0, 2_000);
            prop_assert!(ran <= 2_000);
            let w = sim.window();
            prop_assert!(w.cpu_utilization.is_finite() && w.throughput_rps.is_finite());
            prop_assert!(sim.requests().count() <= sim.held() as usize);
            let workers = if s.server.is_event_loop() { s.processes() } else { s.pool_size() };
            prop_assert_eq!(sim.workers().count() as u32, workers);
        }
    }
}

/// A value for a key anywhere in its valid range, often at an end of it.
fn value_for(accepts: Accepts) -> BoxedStrategy<toml::Value> {
    match accepts {
        Accepts::Int { min, max } => prop_oneof![
            Just(min),
            Just(max),
            (min..=max.min(min + 1000)),
            (min..=max),
        ]
        .prop_map(toml::Value::Integer)
        .boxed(),
        Accepts::Num { min, max, open_min } => {
            let low = if open_min { min + 1e-6 } else { min };
            prop_oneof![Just(low), Just(max), low..=max, low..=(low + 10.0).min(max)]
                .prop_map(toml::Value::Float)
                .boxed()
        }
        Accepts::Choice(names) => prop::sample::select(names.to_vec())
            .prop_map(|n| toml::Value::String(n.to_string()))
            .boxed(),
    }
}

/// Tables with a random subset of keys, each at a random valid (often extreme) value.
fn extreme_tables() -> impl Strategy<Value = toml::Table> {
    let keys: Vec<_> = Key::scenario_keys()
        .map(|key| {
            prop::option::weighted(0.4, value_for(key.accepts())).prop_map(move |v| (key.name(), v))
        })
        .collect();
    keys.prop_map(|pairs| {
        pairs
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Whatever passes validation runs without panicking and stays bounded: the
    /// promise widgets rely on (one panic kills every widget on the page).
    #[test]
    fn every_valid_scenario_runs_without_panicking(table in extreme_tables()) {
        // About 70% of these tables are valid; the rest exercise the validation.
        let Ok(s) = Scenario::from_table(&table) else {
            return Ok(());
        };
        let mut sim = Simulation::new(&s);
        for frame in 1..=30 {
            sim.advance_to(f64::from(frame) * 0.5, 500);
            let w = sim.window();
            prop_assert!(w.cpu_utilization.is_finite() && w.cpu_utilization <= 1.0 + 1e-9);
            prop_assert!(sim.requests().count() <= sim.held() as usize);
            prop_assert!(sim.workers().count() > 0);
            check_now(&sim, &s)?;
        }
        let r = sim.report();
        prop_assert!(r.sim_time_s.is_finite() && r.cpu_utilization <= 1.0 + 1e-9);
        serde_json::from_str::<serde_json::Value>(&r.to_json()).expect("the report is JSON");
    }
}
