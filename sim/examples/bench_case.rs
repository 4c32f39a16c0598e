//! One case of the engine benchmark (`benches/engine.rs`), run once, for profilers that
//! need a plain program: `valgrind --tool=callgrind` counts its instructions per event,
//! a figure that, unlike time, does not move with the load of a shared machine.
//!
//! `cargo build --release -p sim --example bench_case &&
//! target/release/examples/bench_case gevent db 100000` (kind, `db` or `no`, requests);
//! `bench_case minimal 1000000` runs the minimal M/M/4 loop the engine is read against.

use sim::{ServerKind, Simulation};

#[path = "../benches/cases/mod.rs"]
mod cases;
use cases::engine_case;

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "gevent".into());
    if kind == "minimal" {
        // The machine's reference: a minimal M/M/4 loop (`benches/cases/minimal.rs`).
        let requests = args
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1_000_000);
        let started = std::time::Instant::now();
        let events = cases::minimal::mmc_events(4, 0.8, requests, 1);
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{events} events, {:.2} M events/s",
            events as f64 / seconds / 1e6
        );
        return;
    }
    let Some(kind) = ServerKind::from_name(&kind) else {
        eprintln!("unknown server kind {kind}");
        std::process::exit(2);
    };
    let database = match args.next().as_deref() {
        None | Some("db") => true,
        Some("no") => false,
        Some(other) => {
            eprintln!("second argument: `db` or `no`, got {other}");
            std::process::exit(2);
        }
    };
    let requests = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let s = engine_case(kind, database, requests);
    let started = std::time::Instant::now();
    let mut sim = Simulation::new(&s);
    sim.run_to_end();
    let seconds = started.elapsed().as_secs_f64();
    let events = sim.events();
    println!(
        "{events} events, {:.1} per request, {:.2} M events/s",
        events as f64 / requests as f64,
        events as f64 / seconds / 1e6
    );
}
