//! The discrete-event engine (stub: the API is fixed, the model follows).

use crate::{ClientView, Report, RequestView, Scenario, WindowMetrics, WorkerView};

/// A simulation that can be advanced step by step and inspected between steps.
pub struct Simulation {
    now: f64,
    scenario: Scenario,
}

impl Simulation {
    /// A simulation at time 0 of a validated scenario.
    pub fn new(scenario: &Scenario) -> Simulation {
        Simulation {
            now: 0.0,
            scenario: scenario.clone(),
        }
    }

    /// The scenario being simulated.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Simulated time now, s.
    pub fn now_s(&self) -> f64 {
        self.now
    }

    /// Runs events up to time `t_s`, at most `max_events`; returns the events run.
    pub fn advance_to(&mut self, t_s: f64, max_events: u64) -> u64 {
        let _ = max_events;
        if t_s > self.now {
            self.now = t_s;
        }
        0
    }

    /// Runs exactly one event; false if nothing is left to run.
    pub fn step(&mut self) -> bool {
        false
    }

    /// True once `warmup + requests` requests have finished.
    pub fn is_done(&self) -> bool {
        true
    }

    /// Metrics over the last simulated seconds.
    pub fn window(&self) -> WindowMetrics {
        WindowMetrics::default()
    }

    /// Cumulative metrics so far.
    pub fn report(&self) -> Report {
        Report::default()
    }

    /// Live requests.
    pub fn requests(&self) -> impl Iterator<Item = RequestView> + '_ {
        std::iter::empty()
    }

    /// Workers: processes, threads or event loops.
    pub fn workers(&self) -> impl Iterator<Item = WorkerView> + '_ {
        std::iter::empty()
    }

    /// Closed clients (none in an open workload).
    pub fn clients(&self) -> impl Iterator<Item = ClientView> + '_ {
        std::iter::empty()
    }

    /// Cores busy now (fractional under processor sharing is impossible: at most
    /// `cores`, at most the number of processes on the CPU).
    pub fn cores_busy(&self) -> f64 {
        0.0
    }
}
