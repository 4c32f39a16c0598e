//! The reports of 45 scenarios (every server kind, each with nine workloads: plain,
//! database pools and connections, timeouts and overload, heavy requests with a trace,
//! a release round trip, open arrivals, barging pools with release trips, blocking calls
//! with timeouts, and three queries with release trips and heavy requests), one line
//! each.
//! For changes to the engine that must not change any result: run it before and after
//! and compare the output byte for byte.
//!
//! `cargo run --release -p sim --example same_reports > after.txt`

use sim::{PoolQueue, Scenario, ServerKind, Simulation};

fn main() {
    for kind in ServerKind::ALL {
        for variant in 0..9 {
            let mut s = Scenario {
                server: kind,
                clients: Some(if kind.is_event_loop() { 100 } else { 8 }),
                requests: 20_000,
                seed: 7 + variant,
                ..Scenario::default()
            };
            match variant {
                1 => (s.db_ms, s.db_calls, s.db_pool, s.db_connections) = (20.0, 2, 4, 16),
                2 => (s.timeout_ms, s.clients) = (300.0, Some(400)),
                3 => (s.heavy_share, s.heavy_cpu_ms) = (0.05, Some(80.0)),
                4 => {
                    (s.db_ms, s.db_pool, s.db_connections) = (10.0, 2, 3);
                    (s.db_release_ms, s.clients) = (1.0, Some(40));
                }
                5 => (s.clients, s.arrival_rate, s.timeout_ms) = (None, Some(300.0), 500.0),
                6 => {
                    (s.db_ms, s.db_calls, s.db_pool, s.db_connections) = (15.0, 2, 3, 4);
                    s.db_pool_queue = PoolQueue::Barging;
                    (s.db_release_ms, s.clients) = (2.0, Some(64));
                }
                7 => {
                    (s.db_ms, s.db_pool, s.db_pool_queue) = (15.0, 2, PoolQueue::Barging);
                    (s.blocking_share, s.clients, s.timeout_ms) = (0.1, Some(32), 400.0);
                }
                8 => {
                    (s.db_ms, s.db_calls, s.db_pool, s.db_connections) = (8.0, 3, 4, 2);
                    s.db_release_ms = 0.5;
                    (s.heavy_share, s.heavy_cpu_ms) = (0.1, Some(30.0));
                }
                _ => {}
            }
            if let Err(err) = s.validate() {
                println!("{kind:?} {variant}: invalid: {err}");
                continue;
            }
            let mut sim = Simulation::new(&s);
            if variant == 3 {
                sim.keep_trace();
            }
            sim.run_to_end();
            let traced = sim.drain_trace().count();
            println!("{kind:?} {variant}: {:?} trace {traced}", sim.report());
        }
    }
}
