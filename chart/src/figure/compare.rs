//! `compare`: one workload fed to a sync pool and to event loops side by side, live, on
//! the same machine, and a load sweep of both against concurrency with the crossover
//! marked; optionally the real servers' measurements over the sweep.

use contract::live::{Metric, Side};
use contract::measured::Overlay;
use contract::{LiveValue, Scenario, WidgetValues};
use plotters::coord::Shift;
use plotters::prelude::*;
use sim::sweep::Sweep;

use super::live::LiveSim;
use super::motion::Motion;
use super::server::{cores_used, draw_server, metric_of, samples_csv};
use super::{DrawResult, Look, Panel, Row};
use crate::{LineChart, Series};

/// Requests per sweep point (20 points, two servers) live, and in a static figure,
/// which the build draws for every block on every build.
pub(super) const LIVE_SWEEP_REQUESTS: u64 = 20_000;
pub(super) const STILL_SWEEP_REQUESTS: u64 = 1_000;

const PANELS: &[Panel] = &[
    Panel {
        label: "The sync pool",
        row: Row::Pair,
        height: 180,
        fallback: false,
    },
    Panel {
        label: "The event loops",
        row: Row::Pair,
        height: 180,
        fallback: false,
    },
    Panel {
        label: "Throughput of both servers over time",
        row: Row::Charts,
        height: 220,
        fallback: false,
    },
    Panel {
        label: "99th percentile latency of both over time",
        row: Row::Charts,
        height: 220,
        fallback: false,
    },
    Panel {
        label: "Throughput against concurrency, sync and async",
        row: Row::Sweep,
        height: 240,
        fallback: true,
    },
    Panel {
        label: "99th percentile latency against concurrency",
        row: Row::Sweep,
        height: 240,
        fallback: true,
    },
];

pub struct CompareFigure {
    sync: LiveSim,
    asynchronous: LiveSim,
    motion: [Motion; 2],
    sweep: Sweep,
    measured: Option<Overlay>,
    /// Whether the measurements belong over this scenario's sweep.
    overlay: bool,
    sweep_requests: u64,
    frames: u64,
    sweep_version: u64,
}

/// Event-loop processes on the async side: `loops`, or one per core.
fn loops(scenario: &Scenario, values: &WidgetValues) -> u32 {
    values
        .get(contract::Key::Loops)
        .map_or(scenario.cores, |loops| loops as u32)
}

impl CompareFigure {
    pub fn new(
        scenario: &Scenario,
        values: &WidgetValues,
        measured: Option<&Overlay>,
        sweep_requests: u64,
    ) -> Self {
        let (sync, asynchronous) = sim::pairing::pair(scenario, loops(scenario, values));
        CompareFigure {
            sweep: Sweep::new(&sync, loops(scenario, values), sweep_requests),
            sweep_requests,
            sync: LiveSim::new(&sync),
            asynchronous: LiveSim::new(&asynchronous),
            motion: Default::default(),
            overlay: measured.is_some_and(|m| m.fits(scenario)),
            measured: measured.cloned(),
            frames: 0,
            sweep_version: 0,
        }
    }

    pub fn restart(&mut self, scenario: &Scenario, values: &WidgetValues) {
        let loops = loops(scenario, values);
        let (sync, asynchronous) = sim::pairing::pair(scenario, loops);
        self.sync.restart(&sync);
        self.asynchronous.restart(&asynchronous);
        self.sweep = Sweep::new(&sync, loops, self.sweep_requests);
        self.overlay = self.measured.as_ref().is_some_and(|m| m.fits(scenario));
        self.motion = Default::default();
        self.frames += 1;
        self.sweep_version += 1;
    }

    pub fn advance(&mut self, dt_s: f64) {
        self.sync.advance(dt_s);
        self.asynchronous.advance(dt_s);
        self.frames += 1;
    }

    pub fn work(&mut self, budget: u64) -> u64 {
        if self.sweep.is_done() {
            return 0;
        }
        self.sweep_version += 1;
        self.sweep.run(budget).max(1)
    }

    /// A still figure: values over the whole run (see [`LiveSim::still`]).
    pub(super) fn hold_still(&mut self) {
        self.sync.hold_still();
        self.asynchronous.hold_still();
    }

    pub fn step(&mut self) {
        self.sync.step();
        self.asynchronous.step();
        self.frames += 1;
    }

    pub fn capped(&self) -> bool {
        self.sync.capped || self.asynchronous.capped
    }

    pub fn panels(&self) -> &'static [Panel] {
        PANELS
    }

    pub fn version(&self, index: usize) -> u64 {
        match index {
            0 | 1 => self.frames,
            2 | 3 => self.sync.history().back().map_or(0, |s| (s.t * 4.0) as u64),
            _ => self.sweep_version,
        }
    }

    pub fn draw<DB: DrawingBackend>(
        &mut self,
        index: usize,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
    ) -> DrawResult<DB> {
        match index {
            0 | 1 => {
                let live = if index == 0 {
                    &self.sync
                } else {
                    &self.asynchronous
                };
                draw_server(live, &mut self.motion[index], None, area, look).map(|_| ())
            }
            2 | 3 => {
                let pick =
                    |live: &LiveSim| live.series(|s| if index == 2 { s.throughput } else { s.p99 });
                let (sync, asynchronous) = (pick(&self.sync), pick(&self.asynchronous));
                let label = if index == 2 {
                    "throughput (requests/s)"
                } else {
                    "p99 latency (ms)"
                };
                let chart = LineChart::new(
                    "simulated time (s)",
                    label,
                    self.sync.x_range(),
                    vec![
                        Series {
                            label: "sync pool",
                            points: &sync,
                        },
                        Series {
                            label: "event loops",
                            points: &asynchronous,
                        },
                    ],
                );
                crate::draw_line_chart(area, &chart, look.palette, look.scale)
            }
            _ => {
                let latency = index == 5;
                let (sync, asynchronous) = self.sweep.series(latency);
                let label = if latency {
                    "p99 latency (ms)"
                } else {
                    "throughput (requests/s)"
                };
                let mut chart =
                    LineChart::sweep(label, &sync, &asynchronous, self.sweep.crossover());
                let overlay = self.measured.as_ref().filter(|_| self.overlay && !latency);
                if let Some(overlay) = overlay {
                    for series in &overlay.series {
                        chart.series.push(Series {
                            label: &series.label,
                            points: &series.points,
                        });
                    }
                }
                crate::draw_line_chart(area, &chart, look.palette, look.scale)
            }
        }
    }

    pub fn caption(&self, index: usize) -> Option<String> {
        let describe = |live: &LiveSim, what: &str| {
            let s = live.sim().scenario();
            let n = s.processes();
            format!(
                "{n} {what}{}, {} of {} cores",
                if n == 1 { "" } else { "s" },
                cores_used(s),
                s.cores
            )
        };
        match index {
            0 => Some(describe(&self.sync, "sync worker")),
            1 => Some(describe(&self.asynchronous, "event loop")),
            _ => None,
        }
    }

    pub fn value(&self, value: LiveValue) -> Option<f64> {
        match value {
            LiveValue::Of(Side::Sync, metric) => metric_of(&self.sync, metric),
            LiveValue::Of(Side::Async, metric) => metric_of(&self.asynchronous, metric),
            LiveValue::Crossover if self.sweep.is_done() => {
                Some(self.sweep.crossover().map_or(0.0, f64::from))
            }
            _ => None,
        }
    }

    pub fn summary(&self) -> String {
        // Measured as the caption is (over the run for a still figure, see `metric_of`).
        let of = |live: &LiveSim, m| metric_of(live, m).unwrap_or(0.0);
        let (s, a) = (&self.sync, &self.asynchronous);
        let mut text = format!(
            "{}: throughput {:.1} requests/s, p99 {:.0} ms. {}: throughput {:.1} requests/s, p99 {:.0} ms.",
            self.caption(0).unwrap_or_default(),
            of(s, Metric::Throughput),
            of(s, Metric::P99),
            self.caption(1).unwrap_or_default(),
            of(a, Metric::Throughput),
            of(a, Metric::P99)
        );
        if self.sweep.is_done() {
            text.push(' ');
            text.push_str(&match self.sweep.crossover() {
                Some(c) => format!("Load sweep: from about {c} concurrent clients the event loops serve more requests per second."),
                None => "Load sweep: with this work the event loops never serve clearly more than the pool.".into(),
            });
        }
        if let Some(overlay) = self.measured.as_ref().filter(|_| self.overlay) {
            text.push_str(&format!(
                " The sweep also shows real servers measured on this site's machine ({}).",
                overlay.machine
            ));
        }
        text
    }

    pub fn notices(&self) -> Vec<&'static str> {
        let mut notices = super::server::notices_of(&self.sync);
        if self.sweep.is_done() {
            notices.push("The load sweep is done.");
        }
        notices
    }

    pub fn sim_time_s(&self) -> f64 {
        self.sync.sim().now_s()
    }

    pub fn status(&self) -> Option<String> {
        (!self.sweep.is_done())
            .then(|| format!("Load sweep: {:.0}% done…", self.sweep.progress() * 100.0))
    }

    pub fn samples_csv(&self) -> String {
        samples_csv(&[("sync_", &self.sync), ("async_", &self.asynchronous)])
    }
}
