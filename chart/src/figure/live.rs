//! A simulation as a live figure runs it: advanced by simulated time in frames, with a
//! bounded history of what the charts show. Settings that change start a new simulation
//! while the charts run on, so the reader sees the effect of the change as a step in
//! the lines.

use std::collections::VecDeque;

use sim::{Scenario, Simulation};

/// One sample of the charts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Chart time, s: simulated time since the widget started.
    pub t: f64,
    pub throughput: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    /// The p99 of the requests that are not heavy.
    pub light_p99: f64,
    pub queue: f64,
    /// Share of the cores busy, 0 to 1.
    pub cpu: f64,
    pub memory_mb: f64,
    /// Requests the server holds (busy workers, or tasks).
    pub busy: f64,
    /// Requests refused since the widget started.
    pub refused: f64,
}

/// Caps the events one frame may simulate, so a frame stays short whatever the load.
pub const MAX_EVENTS_PER_FRAME: u64 = 40_000;
/// Seconds of chart history kept (and shown).
pub const HISTORY_S: f64 = 30.0;
const SAMPLES_PER_S: f64 = 4.0;
/// The first seconds after a restart are left out of [`LiveSim::recent`]: the queues
/// are still filling.
const RECENT_SKIP_S: f64 = 2.0;

pub struct LiveSim {
    sim: Simulation,
    history: VecDeque<Sample>,
    /// Chart time at which the current simulation started.
    offset_s: f64,
    next_sample_s: f64,
    /// Refusals of the simulations before the last restart.
    refused_before: u64,
    /// True when the last advance hit the event cap: the reader asked for more speed
    /// than a frame can simulate.
    pub capped: bool,
    /// Keep the simulation's trace (for a timeline).
    traced: bool,
    /// A still figure (the page without scripts, and the claims the build checks): its
    /// rates and percentiles are its report's, over the whole run after its first
    /// seconds rather than the last ten, so that a caption states the steady state, not
    /// ten seconds' luck (see [`LiveSim::hold_still`]).
    pub still: bool,
    /// When a still figure's measuring starts, until it has.
    measure_from_s: Option<f64>,
}

impl LiveSim {
    pub fn new(scenario: &Scenario) -> LiveSim {
        LiveSim {
            sim: Simulation::new(scenario),
            history: VecDeque::new(),
            offset_s: 0.0,
            next_sample_s: 1.0 / SAMPLES_PER_S,
            refused_before: 0,
            still: false,
            measure_from_s: None,
            capped: false,
            traced: false,
        }
    }

    /// A live simulation that keeps its trace, across restarts too.
    pub fn traced(scenario: &Scenario) -> LiveSim {
        let mut live = LiveSim::new(scenario);
        live.traced = true;
        live.sim.keep_trace();
        live
    }

    pub fn sim_mut(&mut self) -> &mut Simulation {
        &mut self.sim
    }

    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    pub fn history(&self) -> &VecDeque<Sample> {
        &self.history
    }

    /// Chart time now.
    pub fn now(&self) -> f64 {
        self.offset_s + self.sim.now_s()
    }

    /// Runs `dt_s` simulated seconds, or as many events as a frame allows.
    pub fn advance(&mut self, dt_s: f64) -> u64 {
        let target = self.sim.now_s() + dt_s.max(0.0);
        let mut events = 0;
        if let Some(from) = self.measure_from_s.filter(|from| target >= *from) {
            events = self.sim.advance_to(from, MAX_EVENTS_PER_FRAME);
            if self.sim.now_s() >= from {
                self.sim.measure_from_now();
                self.measure_from_s = None;
            }
        }
        events += self
            .sim
            .advance_to(target, MAX_EVENTS_PER_FRAME.saturating_sub(events));
        self.capped = events >= MAX_EVENTS_PER_FRAME;
        self.sample();
        events
    }

    /// Runs exactly one event.
    pub fn step(&mut self) -> bool {
        let ran = self.sim.step();
        self.sample();
        ran
    }

    /// Makes this a still figure's simulation, before it runs: its report covers the
    /// whole run from [`RECENT_SKIP_S`] on (the start's transient left out), not the
    /// requests after a warmup count that a 30 s run may never reach.
    pub fn hold_still(&mut self) {
        let scenario = Scenario {
            warmup: u64::MAX,
            ..self.sim.scenario().clone()
        };
        self.sim = Simulation::new(&scenario);
        if self.traced {
            self.sim.keep_trace();
        }
        self.still = true;
        self.measure_from_s = Some(RECENT_SKIP_S);
    }

    /// A new scenario from now on; the chart history goes on.
    pub fn restart(&mut self, scenario: &Scenario) {
        // New settings are live ones: measured over the last seconds again.
        self.still = false;
        self.measure_from_s = None;
        self.offset_s = self.now();
        self.refused_before += self.sim.window().dropped;
        self.sim = Simulation::new(scenario);
        if self.traced {
            self.sim.keep_trace();
        }
        self.next_sample_s = 1.0 / SAMPLES_PER_S;
    }

    fn sample(&mut self) {
        while self.next_sample_s <= self.sim.now_s() {
            let w = self.sim.window();
            self.history.push_back(Sample {
                t: self.offset_s + self.next_sample_s,
                throughput: w.throughput_rps,
                p50: w.p50_ms,
                p95: w.p95_ms,
                p99: w.p99_ms,
                light_p99: w.light_p99_ms,
                queue: f64::from(w.queue_len),
                cpu: w.cpu_utilization,
                memory_mb: w.memory_mb,
                busy: f64::from(w.busy_workers),
                refused: self.refused_before as f64 + w.dropped as f64,
            });
            self.next_sample_s += 1.0 / SAMPLES_PER_S;
        }
        let oldest = self.now() - HISTORY_S;
        while self.history.front().is_some_and(|s| s.t < oldest) {
            self.history.pop_front();
        }
    }

    /// The visible time range of the charts.
    pub fn x_range(&self) -> (f64, f64) {
        let end = self.now().max(HISTORY_S);
        (end - HISTORY_S, end)
    }

    /// `(t, value)` points of one measure, for a chart series.
    pub fn series(&self, value: impl Fn(&Sample) -> f64) -> Vec<(f64, f64)> {
        self.history.iter().map(|s| (s.t, value(s))).collect()
    }

    /// A measure averaged over the samples of the last `seconds` since the last
    /// restart: steadier than one sample, for the numbers shown in prose. `None` before
    /// the first sample.
    pub fn recent(&self, seconds: f64, value: impl Fn(&Sample) -> f64) -> Option<f64> {
        let from =
            (self.now() - seconds).max(self.offset_s + RECENT_SKIP_S.min(self.sim.now_s() / 2.0));
        let (sum, n) = self
            .history
            .iter()
            .filter(|s| s.t >= from)
            .fold((0.0, 0u32), |(sum, n), s| (sum + value(s), n + 1));
        (n > 0).then(|| sum / f64::from(n))
    }

    /// Samples since the widget started, for export: one line per sample.
    pub fn samples(&self) -> impl Iterator<Item = &Sample> {
        self.history.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(toml: &str) -> Scenario {
        Scenario::parse(toml).unwrap()
    }

    #[test]
    fn samples_four_times_a_simulated_second_and_keeps_thirty_seconds() {
        let mut live = LiveSim::new(&scenario("workers = 1\nclients = 5\n"));
        for _ in 0..400 {
            live.advance(0.1);
        }
        assert!((live.now() - 40.0).abs() < 1e-6);
        let h = live.history();
        assert!(
            (h.len() as f64 - 4.0 * HISTORY_S).abs() <= 1.0,
            "{}",
            h.len()
        );
        assert!(h.front().unwrap().t >= 10.0 - 1e-9);
    }

    #[test]
    fn a_restart_keeps_the_chart_going() {
        let mut live = LiveSim::new(&scenario("workers = 1\nclients = 40\nio_ms = 200\n"));
        for _ in 0..50 {
            live.advance(0.1);
        }
        let before = live.history().back().unwrap().throughput;
        live.restart(&scenario("workers = 40\nclients = 40\nio_ms = 200\n"));
        for _ in 0..50 {
            live.advance(0.1);
        }
        let after = live.history().back().unwrap();
        assert!(after.t > 9.0, "chart time runs on: {}", after.t);
        assert!(
            after.throughput > 5.0 * before,
            "{before} -> {}",
            after.throughput
        );
    }

    #[test]
    fn a_frame_never_runs_more_than_the_cap() {
        let mut live = LiveSim::new(&scenario(
            "server = \"asyncio\"\nclients = 10000\ncpu_ms = 0.01\nio_ms = 10\n",
        ));
        let events = live.advance(100.0);
        assert_eq!(events, MAX_EVENTS_PER_FRAME);
        assert!(live.capped);
    }
}
