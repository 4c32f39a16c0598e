//! Throughput of the engine, for the README's numbers (DESIGN.md, "Quality budgets"):
//! events per second with all metrics on, for each server kind, and the M/M/4 scenario
//! with 1 million requests that SimPy takes about 7 s for, and the start of a crowd of
//! closed clients.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sim::{Scenario, ServerKind, Simulation};

mod cases;
use cases::engine_case;

/// The M/M/4 comparison scenario: 4 servers at ρ = 0.8, 1M requests, no warmup.
const MM4: &str = include_str!("mm4.toml");

fn events_per_second(c: &mut Criterion) {
    let mut group = c.benchmark_group("events");
    for database in [false, true] {
        for kind in ServerKind::ALL {
            let s = engine_case(kind, database, 100_000);
            let events = sim::run(&s).events;
            group.throughput(Throughput::Elements(events));
            let id = if database {
                BenchmarkId::new("with database", kind.name())
            } else {
                BenchmarkId::from_parameter(kind.name())
            };
            group.bench_with_input(id, &s, |b, s| {
                b.iter(|| {
                    let mut sim = Simulation::new(black_box(s));
                    sim.run_to_end();
                    sim.events()
                })
            });
        }
    }
    group.finish();
}

/// The machine's speed for the same count: a minimal M/M/4 loop with no metrics (see
/// `cases/minimal.rs`), to read the engine's figures against.
fn minimal_loop(c: &mut Criterion) {
    let requests = 1_000_000;
    let events = cases::minimal::mmc_events(4, 0.8, requests, 1);
    assert_eq!(events, 2 * requests, "each request arrives and departs");
    let mut group = c.benchmark_group("events");
    group.throughput(Throughput::Elements(events));
    group.bench_function("minimal M/M/4 loop, no metrics", |b| {
        b.iter(|| cases::minimal::mmc_events(4, 0.8, black_box(requests), 1))
    });
    group.finish();
}

fn mm4_one_million(c: &mut Criterion) {
    let s = Scenario::parse(MM4).expect("valid");
    let mut group = c.benchmark_group("mm4");
    group.sample_size(10);
    group.throughput(Throughput::Elements(s.requests));
    group.bench_function("1M requests", |b| b.iter(|| sim::run(black_box(&s))));
    group.finish();
}

/// 100,000 closed clients that all send their first request at time 0: the event queue
/// holds them all at one time. (A queue that scanned them at each step took 10.6 s
/// here; the benchmark keeps that from coming back.)
fn crowd_start(c: &mut Criterion) {
    let s = Scenario {
        server: ServerKind::Asyncio,
        clients: Some(100_000),
        requests: 100_000,
        ..Scenario::default()
    };
    let mut group = c.benchmark_group("start");
    group.sample_size(10);
    group.bench_function("100k clients at once", |b| {
        b.iter(|| sim::run(black_box(&s)))
    });
    group.finish();
}

criterion_group!(
    benches,
    minimal_loop,
    events_per_second,
    mm4_one_million,
    crowd_start
);
criterion_main!(benches);
