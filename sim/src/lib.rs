//! A discrete-event simulation of sync and async Python web servers.
//!
//! Requests arrive (open Poisson arrivals, or closed clients with think time), wait in
//! a backlog, and are served as CPU bursts around I/O waits by one of five server
//! kinds: worker processes sharing the cores, threads sharing the GIL, or event loops
//! (asyncio, uvloop, gevent) running one task's burst at a time.
//!
//! Architecture invariant: this crate knows nothing of the browser, the file system or
//! the time of day. It does no I/O, so it cannot fail on I/O; it uses no threads, no OS
//! randomness and no clock, so it runs unchanged on wasm32 and gives the same result for
//! the same seed everywhere. Every scenario that passes [`Scenario::validate`] runs
//! without panicking, in bounded memory.
//!
//! Two ways to run: [`run`] for a whole scenario at once (the `simulate` command, build
//! time figures, tests), and [`Simulation`] to advance in steps and draw the live
//! entities (widgets).

mod batch;
mod engine;
mod histogram;
pub mod memory;
pub mod pairing;
mod report;
pub mod sweep;
pub mod theory;
mod view;

pub use batch::Batch;
pub use contract::{
    defaults, Abandon, PoolQueue, Scenario, ScenarioError, ServerKind, Service, Workload,
};
pub use engine::Simulation;
pub use report::{DbSummary, LatencySummary, QueueWait, Report, WindowMetrics};
pub use view::{
    ClientState, ClientView, DatabaseView, ProcessView, RequestPhase, RequestView, TraceEvent,
    TraceKind, WorkerState, WorkerView,
};

/// Runs a validated scenario to the end: `warmup` finished requests, then `requests`
/// more; returns the metrics of the measured part.
pub fn run(scenario: &Scenario) -> Report {
    let mut sim = Simulation::new(scenario);
    while !sim.is_done() && sim.step() {}
    sim.report()
}
