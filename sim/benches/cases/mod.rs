//! The engine benchmark's scenarios, shared with `examples/bench_case.rs` so that the
//! instructions counted there are those of the cases timed here.

pub mod minimal;

use sim::{Scenario, ServerKind};

/// DESIGN's default request (5 ms CPU, 100 ms I/O) under load: 100 clients on an event
/// loop, 8 on a sync pool. With `database`, also 20 ms of queries over two calls, a pool
/// of 4 per process and 16 database connections.
pub fn engine_case(kind: ServerKind, database: bool, requests: u64) -> Scenario {
    let mut s = Scenario {
        server: kind,
        clients: Some(if kind.is_event_loop() { 100 } else { 8 }),
        requests,
        ..Scenario::default()
    };
    if database {
        (s.db_ms, s.db_calls, s.db_pool, s.db_connections) = (20.0, 2, 4, 16);
    }
    s
}
