//! `context-switch`: what one switch costs for OS threads, asyncio, uvloop and greenlets,
//! and the share of the CPU that switching eats as concurrency grows, from simulations of
//! the block's workload at rising concurrency (a batch run in slices).

use contract::live::SHARES;
use contract::{LiveValue, Scenario, ServerKind, WidgetValues};
use plotters::coord::Shift;
use plotters::prelude::*;
use sim::Batch;

use super::{csv_line, DrawResult, Look, Panel, Row};
use crate::{BarChart, LineChart, Series};

const PANELS: &[Panel] = &[
    Panel {
        label: "Cost of one context switch per kind",
        row: Row::Charts,
        height: 160,
        fallback: true,
    },
    Panel {
        label: "Share of the CPU spent switching against concurrency",
        row: Row::Charts,
        height: 220,
        fallback: true,
    },
];

/// The kinds compared, in [`SHARES`]'s order, with their names on the charts.
const KINDS: [(ServerKind, &str); 4] = [
    (ServerKind::Threads, "OS threads"),
    (ServerKind::Asyncio, "asyncio"),
    (ServerKind::Uvloop, "uvloop"),
    (ServerKind::Gevent, "greenlets"),
];
const LEVELS: [u32; 11] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
/// Requests per run, live and in a static figure alike: the figure has no clock, so
/// the page's numbers and the live widget's must be the same runs (at 400 a static run
/// said 9.3% where the live one, of 3,000, then said 9.5%). 44 runs of 1,000 add about
/// 0.05 s to the build.
pub(super) const LIVE_REQUESTS: u64 = 1_000;
pub(super) const STILL_REQUESTS: u64 = LIVE_REQUESTS;

/// The scenarios of the chart: each kind at each level, in one process. Threads get one
/// thread per client, as a thread-per-connection server does.
fn scenarios(base: &Scenario, requests: u64) -> Vec<Scenario> {
    let mut all = Vec::new();
    for (kind, _) in KINDS {
        for clients in LEVELS {
            let mut s = base.clone();
            s.server = kind;
            // One process: of as many threads as clients, or of one event loop.
            s.workers = Some(1);
            s.threads = (kind == ServerKind::Threads).then_some(clients);
            s.clients = Some(clients);
            s.arrival_rate = None;
            s.switch_us = None;
            // At least one request per client after a warmup of half a request per
            // client: with fewer, a run at 1024 clients ends inside its first wave of
            // requests and measures that transient, not the steady share.
            s.requests = requests.max(u64::from(clients));
            s.warmup = (requests / 10).max(u64::from(clients) / 2);
            all.push(s);
        }
    }
    all
}

/// Share of the CPU time spent switching, from a finished run: switch time against all
/// the CPU time used (not against wall time, which would count idle cores). Both over
/// the measured part of the run: the report's switches and utilisation leave the warmup
/// out, so its span is the completions over their rate, not the simulated time since 0.
fn switching_share(scenario: &Scenario, report: &sim::Report) -> f64 {
    if report.throughput_rps <= 0.0 {
        return 0.0;
    }
    let span_s = report.completed as f64 / report.throughput_rps;
    let busy_s = report.cpu_utilization * f64::from(scenario.cores) * span_s;
    if busy_s <= 0.0 {
        return 0.0;
    }
    (report.context_switches as f64 * scenario.effective_switch_us() * 1e-6 / busy_s).min(1.0)
}

pub struct ContextSwitchFigure {
    requests: u64,
    inputs: Vec<Scenario>,
    batch: Batch,
    version: u64,
}

impl ContextSwitchFigure {
    pub fn new(scenario: &Scenario, requests: u64) -> ContextSwitchFigure {
        let inputs = scenarios(scenario, requests);
        ContextSwitchFigure {
            requests,
            batch: Batch::new(inputs.clone()),
            inputs,
            version: 0,
        }
    }

    pub fn restart(&mut self, scenario: &Scenario, _values: &WidgetValues) {
        *self = ContextSwitchFigure {
            version: self.version + 1,
            ..ContextSwitchFigure::new(scenario, self.requests)
        };
    }

    /// The figure has no clock: its batch of runs is its work, in the frames' slices
    /// (`work`), as the planner's searches are.
    pub fn advance(&mut self, _dt_s: f64) {}

    pub fn work(&mut self, budget: u64) -> u64 {
        if self.batch.is_done() {
            return 0;
        }
        self.version += 1;
        self.batch.run(budget).max(1)
    }

    pub fn step(&mut self) {
        self.work(1);
    }

    pub fn capped(&self) -> bool {
        false
    }

    pub fn panels(&self) -> &'static [Panel] {
        PANELS
    }

    pub fn version(&self, index: usize) -> u64 {
        if index == 0 {
            0
        } else {
            self.version
        }
    }

    fn share(&self, kind: usize, level: usize) -> Option<f64> {
        let index = kind * LEVELS.len() + level;
        let report = self.batch.reports.get(index)?.as_ref()?;
        Some(switching_share(&self.inputs[index], report))
    }

    pub fn draw<DB: DrawingBackend>(
        &mut self,
        index: usize,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
    ) -> DrawResult<DB> {
        if index == 0 {
            let bars = BarChart {
                title: "one context switch (µs)",
                bars: KINDS
                    .iter()
                    .map(|(kind, name)| (*name, sim::defaults::switch_us(*kind)))
                    .collect(),
                format: |v| format!("{v:.2} µs"),
                log: false,
            };
            return crate::draw_bar_chart(area, &bars, look.palette, look.scale);
        }
        let lines: Vec<Vec<(f64, f64)>> = (0..KINDS.len())
            .map(|k| {
                (0..LEVELS.len())
                    .filter_map(|i| Some((f64::from(LEVELS[i]), self.share(k, i)? * 100.0)))
                    .collect()
            })
            .collect();
        let series = KINDS
            .iter()
            .zip(&lines)
            .map(|((_, label), points)| Series { label, points })
            .collect();
        let mut chart = LineChart::new(
            "concurrent clients",
            "switching (% of CPU)",
            (1.0, 1024.0),
            series,
        );
        chart.x_log = true;
        crate::draw_line_chart(area, &chart, look.palette, look.scale)
    }

    pub fn value(&self, value: LiveValue) -> Option<f64> {
        match value {
            LiveValue::Share(kind) if kind < SHARES.len() => {
                self.share(kind, LEVELS.len() - 1).map(|s| s * 100.0)
            }
            _ => None,
        }
    }

    pub fn summary(&self) -> String {
        if !self.batch.is_done() {
            return "Simulating the switches at rising concurrency…".into();
        }
        // Two significant figures: the kinds differ by factors of ten, and one decimal
        // place read 0.1, 0.1, 0.0 and 0.0 for 0.13, 0.05, 0.02 and 0.005.
        let at = |k: usize| {
            contract::live::format_number(self.share(k, LEVELS.len() - 1).unwrap_or(0.0) * 100.0)
        };
        format!(
            "At {} concurrent clients switching takes {}% of the CPU time used with OS threads, {}% with asyncio, {}% with uvloop and {}% with greenlets.",
            LEVELS[LEVELS.len() - 1],
            at(0),
            at(1),
            at(2),
            at(3)
        )
    }

    pub fn status(&self) -> Option<String> {
        (!self.batch.is_done())
            .then(|| format!("Simulating: {:.0}% done…", self.batch.progress() * 100.0))
    }

    pub fn samples_csv(&self) -> String {
        let mut csv = String::from("clients,threads_pct,asyncio_pct,uvloop_pct,gevent_pct\n");
        for (i, level) in LEVELS.iter().enumerate() {
            let mut row = vec![f64::from(*level)];
            row.extend((0..KINDS.len()).map(|k| self.share(k, i).map_or(f64::NAN, |s| s * 100.0)));
            csv.push_str(&csv_line(&row));
        }
        csv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_spend_more_of_the_cpu_switching_than_greenlets() {
        let base = Scenario::parse("cpu_ms = 0.2\nio_ms = 50\nio_calls = 4\n").unwrap();
        let all = scenarios(&base, LIVE_REQUESTS);
        let share = |kind: usize, level: usize| {
            let s = &all[kind * LEVELS.len() + level];
            switching_share(s, &sim::run(s))
        };
        let top = LEVELS.len() - 3;
        assert!(
            share(0, top) > 2.0 * share(3, top),
            "threads {} vs greenlets {}",
            share(0, top),
            share(3, top)
        );
        assert!(share(1, top) > 0.0);
    }

    /// An event loop switches once per burst whatever the concurrency, so its share is
    /// the request's arithmetic at every level, in the live runs and the static ones.
    #[test]
    fn the_event_loop_share_is_the_same_at_every_concurrency() {
        let base = Scenario::parse("cpu_ms = 0.2\nio_ms = 50\nio_calls = 16\n").unwrap();
        for requests in [LIVE_REQUESTS, 400] {
            let all = scenarios(&base, requests);
            for level in [0, LEVELS.len() - 1] {
                let s = &all[LEVELS.len() + level]; // asyncio
                let switch = s.effective_switch_us();
                let switching = 17.0 * switch;
                let expected = switching / (200.0 + s.effective_overhead_us() + switching);
                let share = switching_share(s, &sim::run(s));
                assert!(
                    (share / expected - 1.0).abs() < 0.1,
                    "{requests} requests, {} clients: {share} against {expected}",
                    LEVELS[level]
                );
            }
        }
    }
}
