//! The simulation stepping any valid scenario, as a widget does frame by frame, with
//! bounded work: no panic, no NaN in the report, and time never runs backwards.
#![no_main]

use contract::Scenario;
use libfuzzer_sys::fuzz_target;

/// Keeps a run small enough for the fuzzer: its events and memory grow with these.
const MAX_REQUESTS: u64 = 3_000;
const MAX_CLIENTS: u32 = 2_000;
const MAX_FRAMES: u32 = 400;

fuzz_target!(|text: &str| {
    let Ok(mut scenario) = Scenario::from_query(text) else {
        return;
    };
    scenario.requests = scenario.requests.min(MAX_REQUESTS);
    scenario.warmup = scenario.warmup.min(scenario.requests / 2);
    if let Some(clients) = scenario.clients.as_mut() {
        *clients = (*clients).min(MAX_CLIENTS);
    }
    if scenario.validate().is_err() {
        return;
    }
    let mut sim = sim::Simulation::new(&scenario);
    let mut now = sim.now_s();
    for _ in 0..MAX_FRAMES {
        if sim.is_done() {
            break;
        }
        sim.advance_to(now + 0.05, 5_000);
        assert!(sim.now_s() >= now, "time ran backwards");
        now = sim.now_s();
    }
    let report = sim.report();
    let json = report.to_json();
    assert!(!json.contains("NaN"), "{json}");
});
