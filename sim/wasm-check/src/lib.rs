//! The reports of a fixed set of scenarios as one JSON text, computed the same way
//! natively (`src/main.rs`) and in wasm (`run.mjs` calls the exports below).

/// One scenario per server kind and distribution, with timeouts, refusals and
/// blocking calls, so that every code path that draws random numbers is exercised.
const SCENARIOS: &[&str] = &[
    "requests = 20000",
    "server = \"threads\"\nclients = 40\nthink_ms = 20\nservice = \"lognormal\"\ncv = 2\nrequests = 20000",
    "server = \"asyncio\"\narrival_rate = 150\nio_calls = 3\ntimeout_ms = 300\nrequests = 20000",
    "server = \"uvloop\"\nworkers = 2\nclients = 500\nservice = \"constant\"\nrequests = 20000",
    "server = \"gevent\"\narrival_rate = 80\nblocking_share = 0.1\nqueue_limit = 10\nmax_tasks = 20\nrequests = 20000",
    "workers = 4\ncores = 4\narrival_rate = 320\ncpu_ms = 10\nio_ms = 0\nio_calls = 0\nswitch_us = 0\nrequests = 100000",
];

/// The M/M/4 benchmark scenario (1M requests); returns the events it ran, for timing.
pub fn mm4_events() -> u64 {
    let scenario = sim::Scenario::parse(include_str!("../../benches/mm4.toml")).expect("valid");
    sim::run(&scenario).events
}

/// The reports, one JSON array.
pub fn reports_json() -> String {
    let reports: Vec<sim::Report> = SCENARIOS
        .iter()
        .map(|body| sim::run(&sim::Scenario::parse(body).expect("valid scenario")))
        .collect();
    serde_json::to_string_pretty(&reports).expect("reports serialize")
}

#[cfg(target_arch = "wasm32")]
mod exports {
    use std::sync::Mutex;

    static OUTPUT: Mutex<String> = Mutex::new(String::new());

    /// Computes the JSON and returns its length; `output_ptr` then points at it.
    #[no_mangle]
    pub extern "C" fn compute() -> usize {
        let mut out = OUTPUT.lock().unwrap();
        *out = super::reports_json();
        out.len()
    }

    #[no_mangle]
    pub extern "C" fn output_ptr() -> *const u8 {
        OUTPUT.lock().unwrap().as_ptr()
    }

    /// Runs the M/M/4 benchmark; returns its events (as f64: JS numbers).
    #[no_mangle]
    pub extern "C" fn mm4_events() -> f64 {
        super::mm4_events() as f64
    }
}
