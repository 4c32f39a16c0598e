//! Parsing and validation: each case is a TOML body and the expected outcome.

use super::*;
use crate::Key;

/// Parses `toml` and expects the error on `key` to contain `fragment`.
fn check_err(toml: &str, key: Option<&str>, fragment: &str) {
    let err = Scenario::parse(toml).expect_err(toml);
    assert_eq!(err.key.as_deref(), key, "{toml}: {err}");
    assert!(
        err.message.contains(fragment),
        "{toml}: message {:?} lacks {fragment:?}",
        err.message
    );
}

#[test]
fn empty_body_gives_design_defaults() {
    let s = Scenario::parse("").unwrap();
    assert_eq!(s, Scenario::default());
    assert_eq!(s.effective_workers(), 4);
    assert_eq!(s.cores, 2);
    assert_eq!(s.cpu_ms, 5.0);
    assert_eq!(s.io_ms, 100.0);
    assert_eq!(s.queue_limit, 1024);
    assert_eq!(s.requests, 100_000);
    assert_eq!(s.warmup, 1_000);
    assert_eq!(s.seed, 1);
    assert!(Scenario::default().validate().is_ok());
}

#[test]
fn per_kind_defaults() {
    let s = Scenario::parse("server = \"asyncio\"").unwrap();
    assert_eq!(s.effective_workers(), 1);
    assert_eq!(s.effective_switch_us(), 1.4);
    let s = Scenario::parse("server = \"uvloop\"").unwrap();
    assert_eq!(s.effective_switch_us(), 0.6);
    let s = Scenario::parse("server = \"gevent\"").unwrap();
    assert_eq!(s.effective_switch_us(), 0.16);
}

#[test]
fn design_example_block_parses() {
    let s = Scenario::parse("workers = 4\nclients = 5\nio_ms = 200\n").unwrap();
    assert_eq!(s.workers, Some(4));
    assert_eq!(s.workload(), Workload::Closed { clients: 5 });
    assert_eq!(s.io_ms, 200.0);
}

#[test]
fn integers_are_accepted_for_numbers() {
    let s = Scenario::parse("arrival_rate = 50\ncpu_ms = 1").unwrap();
    assert_eq!(s.workload(), Workload::Open { rate: 50.0 });
    assert_eq!(s.cpu_ms, 1.0);
}

#[test]
fn errors_name_the_key_and_what_is_valid() {
    check_err(
        "workers = 0",
        Some("workers"),
        "must be an integer from 1 to 4096, got 0",
    );
    check_err("workers = 2.5", Some("workers"), "got the number 2.5");
    check_err(
        "workers = \"4\"",
        Some("workers"),
        "an integer from 1 to 4096",
    );
    check_err(
        "wrokers = 4",
        Some("wrokers"),
        "valid keys are server, workers",
    );
    check_err("budget_mb = 4", Some("budget_mb"), "unknown key");
    check_err("server = \"tornado\"", Some("server"), "\"asyncio\"");
    check_err("cpu_ms = -1", Some("cpu_ms"), "from 0 to 600000, got -1");
    check_err("cpu_ms = nan", Some("cpu_ms"), "got NaN");
    check_err(
        "arrival_rate = 0",
        Some("arrival_rate"),
        "from 0.001 to 1000000",
    );
    check_err("cv = 0", Some("cv"), "greater than 0 and at most 10");
    check_err("seed = -3", Some("seed"), "from 0 to");
    check_err("clients = 3\narrival_rate = 5", Some("clients"), "not both");
    check_err("cpu_ms = 0\nio_ms = 0", Some("cpu_ms"), "cannot all be 0");
    check_err(
        "io_calls = 0",
        Some("io_ms"),
        "must be 0 when `io_calls` is 0",
    );
    check_err(
        "server = \"asyncio\"\nworkers = 4096\nmax_tasks = 100000",
        Some("max_tasks"),
        "at most 1000000",
    );
    check_err("workers = ", None, "not valid TOML");
    check_err("db_pool = 5", Some("db_pool"), "`db_ms` is 0");
    check_err("db_connections = 5", Some("db_connections"), "set `db_ms`");
    check_err(
        "heavy_cpu_ms = 300",
        Some("heavy_cpu_ms"),
        "`heavy_share` is 0",
    );
    check_err(
        "threads = 4",
        Some("threads"),
        "is for `server = \"threads\"`",
    );
    check_err(
        "server = \"threads\"\nworkers = 100\nthreads = 4096",
        Some("threads"),
        "at most 100000",
    );
    check_err(
        "abandon = \"ignored\"",
        Some("abandon"),
        "\"served\", \"dropped\"",
    );
    check_err("retries = 21", Some("retries"), "from 0 to 20");
    check_err(
        "server = \"uvloop\"\ndb_ms = 20\ndb_pool_queue = \"barging\"",
        Some("db_pool_queue"),
        "set `db_pool` too",
    );
    check_err(
        "db_release_ms = 0.2",
        Some("db_release_ms"),
        "set `db_ms` too",
    );
    check_err(
        "db_pool_queue = \"lifo\"",
        Some("db_pool_queue"),
        "\"fifo\", \"barging\"",
    );
    check_err(
        "arrival_rate = 50\nbusiest_share = 0.7",
        Some("busiest_share"),
        "set `clients` instead",
    );
    check_err(
        "server = \"uvloop\"\nworkers = 4\nclients = 32\nbusiest_share = 0.2",
        Some("busiest_share"),
        "0 or in 0.250..=1",
    );
    check_err(
        "clients = 8\nbusiest_share = 1.5",
        Some("busiest_share"),
        "1",
    );
}

#[test]
fn display_names_the_key() {
    let err = Scenario::parse("cores = 0").unwrap_err();
    assert_eq!(
        err.to_string(),
        "key `cores`: must be an integer from 1 to 256, got 0"
    );
}

#[test]
fn every_key_survives_toml() {
    let s = Scenario {
        workers: Some(2),
        threads: Some(3),
        overhead_us: Some(12.5),
        colocated_cpu_ms: 0.5,
        heavy_share: 0.1,
        heavy_cpu_ms: Some(50.0),
        db_ms: 20.0,
        db_calls: 2,
        db_pool: 5,
        db_connections: 40,
        // `barging` needs an event loop, `threads` the threaded server: see below.
        db_pool_queue: PoolQueue::Fifo,
        db_release_ms: 0.25,
        // Kept-alive connections need closed clients: see below.
        busiest_share: 0.0,
        abandon: Abandon::Dropped,
        limit_concurrency: 100,
        retries: 1,
        arrival_rate: Some(10.5),
        clients: None,
        switch_us: Some(1.0),
        max_tasks: Some(5),
        process_mb: Some(1.0),
        thread_kib: Some(1.0),
        task_kib: Some(1.0),
        server: ServerKind::Threads,
        service: Service::Lognormal,
        think_ms: 3.0,
        cv: 0.5,
        io_calls: 2,
        queue_limit: 7,
        timeout_ms: 100.0,
        requests: 10,
        warmup: 0,
        seed: 99,
        blocking_share: 0.25,
        switch_interval_ms: 1.0,
        cores: 3,
        cpu_ms: 2.5,
        io_ms: 20.0,
    };
    let text = s.to_toml();
    // All but `clients` (an open workload), `db_pool_queue` and `busiest_share`.
    assert_eq!(
        text.lines().count(),
        Key::scenario_keys().count() - 3,
        "{text}"
    );
    assert_eq!(Scenario::parse(&text).unwrap(), s);
    assert_eq!(Scenario::from_query(&s.to_query()).unwrap(), s);
    let barging = Scenario {
        server: ServerKind::Uvloop,
        threads: None,
        db_pool_queue: PoolQueue::Barging,
        ..s
    };
    assert!(barging.to_toml().contains("db_pool_queue = \"barging\""));
    assert_eq!(Scenario::parse(&barging.to_toml()).unwrap(), barging);
    assert_eq!(Scenario::from_query(&barging.to_query()).unwrap(), barging);
    let kept = Scenario {
        arrival_rate: None,
        clients: Some(30),
        busiest_share: 0.8,
        ..barging
    };
    assert!(kept.to_toml().contains("busiest_share = 0.8"));
    assert_eq!(Scenario::parse(&kept.to_toml()).unwrap(), kept);
    assert_eq!(Scenario::from_query(&kept.to_query()).unwrap(), kept);
}
