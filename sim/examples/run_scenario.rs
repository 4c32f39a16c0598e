//! Runs one scenario file and prints its report as JSON, then the run time and the
//! events per second on stderr: `cargo run -p sim --release --example run_scenario --
//! sim/benches/mm4.toml`. (The `simulate` command of the root package is the real
//! interface; this one exists to measure the library alone.)

use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: run_scenario FILE.toml");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let scenario = sim::Scenario::parse(&text).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let start = Instant::now();
    let report = sim::run(&scenario);
    let seconds = start.elapsed().as_secs_f64();
    println!("{}", report.to_json());
    eprintln!(
        "{seconds:.3} s, {} events, {:.1} M events/s",
        report.events,
        report.events as f64 / seconds / 1e6
    );
}
