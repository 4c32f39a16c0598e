//! One live server (`sync-server`, `async-server`, `greenlet`): the diagram with every
//! request where the simulation has it, throughput and latency percentiles over time.

use contract::live::Metric;
use contract::{LiveValue, Scenario, WidgetKind, WidgetValues};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::live::{LiveSim, Sample};
use super::motion::Motion;
use super::{code, csv_line, DrawResult, Look, Panel, Row};
use crate::{Diagram, LineChart, Series};

const PANELS: &[Panel] = &[
    Panel {
        label: "Diagram: clients, the backlog and the server, with each request drawn where it is",
        row: Row::Diagram,
        height: 200,
        fallback: true,
    },
    Panel {
        label: "Throughput over simulated time",
        row: Row::Charts,
        height: 220,
        fallback: true,
    },
    Panel {
        label: "Latency percentiles over simulated time",
        row: Row::Charts,
        height: 220,
        fallback: false,
    },
];

/// Seconds of samples averaged for the numbers shown in prose.
pub(super) const RECENT_S: f64 = 10.0;

pub struct ServerFigure {
    kind: WidgetKind,
    live: LiveSim,
    motion: Motion,
    frames: u64,
}

impl ServerFigure {
    pub fn new(kind: WidgetKind, scenario: &Scenario) -> ServerFigure {
        ServerFigure {
            kind,
            live: LiveSim::new(scenario),
            motion: Motion::default(),
            frames: 0,
        }
    }

    pub fn restart(&mut self, scenario: &Scenario, _values: &WidgetValues) {
        self.live.restart(scenario);
        self.motion.clear();
        self.frames += 1;
    }

    pub fn advance(&mut self, dt_s: f64) {
        self.live.advance(dt_s);
        self.frames += 1;
    }

    pub fn work(&mut self, _budget: u64) -> u64 {
        0
    }

    pub fn step(&mut self) {
        self.live.step();
        self.frames += 1;
    }

    pub fn capped(&self) -> bool {
        self.live.capped
    }

    pub fn panels(&self) -> &'static [Panel] {
        PANELS
    }

    pub fn version(&self, index: usize) -> u64 {
        match index {
            0 => self.frames,
            _ => self.live.history().back().map_or(0, |s| (s.t * 4.0) as u64),
        }
    }

    pub fn draw<DB: DrawingBackend>(
        &mut self,
        index: usize,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
    ) -> DrawResult<DB> {
        match index {
            0 => draw_server(&self.live, &mut self.motion, area, look),
            1 => {
                let throughput = self.live.series(|s| s.throughput);
                let chart = LineChart::new(
                    "simulated time (s)",
                    "throughput (requests/s)",
                    self.live.x_range(),
                    vec![Series {
                        label: "throughput",
                        points: &throughput,
                    }],
                );
                crate::draw_line_chart(area, &chart, look.palette, look.scale)
            }
            _ => {
                let (p50, p95, p99) = (
                    self.live.series(|s| s.p50),
                    self.live.series(|s| s.p95),
                    self.live.series(|s| s.p99),
                );
                let chart = LineChart::new(
                    "simulated time (s)",
                    "latency (ms)",
                    self.live.x_range(),
                    vec![
                        Series {
                            label: "p50",
                            points: &p50,
                        },
                        Series {
                            label: "p95",
                            points: &p95,
                        },
                        Series {
                            label: "p99",
                            points: &p99,
                        },
                    ],
                );
                crate::draw_line_chart(area, &chart, look.palette, look.scale)
            }
        }
    }

    pub fn value(&self, value: LiveValue) -> Option<f64> {
        match value {
            LiveValue::Server(metric) => metric_of(&self.live, metric),
            _ => None,
        }
    }

    pub fn summary(&self) -> String {
        let sim = self.live.sim();
        let scenario = sim.scenario();
        let w = sim.window();
        let server = if scenario.server.is_event_loop() {
            let loops = scenario.processes();
            format!(
                "{loops} {} event loop{} holding {} tasks",
                scenario.server.name(),
                if loops == 1 { "" } else { "s" },
                w.busy_workers
            )
        } else {
            format!(
                "{} of {} {} busy",
                w.busy_workers,
                scenario.effective_workers(),
                scenario.server.name()
            )
        };
        format!(
            "At {:.1} s: throughput {:.1} requests/s; latency p50 {:.0} ms, p99 {:.0} ms; {} waiting; {}; {} refused so far.",
            sim.now_s(),
            w.throughput_rps,
            w.p50_ms,
            w.p99_ms,
            w.queue_len,
            server,
            w.dropped,
        )
    }

    pub fn status(&self) -> Option<String> {
        None
    }

    pub fn html(&self) -> Option<String> {
        (self.kind == WidgetKind::Greenlet).then(|| code::panes_html(self.live.sim()))
    }

    pub fn samples_csv(&self) -> String {
        samples_csv(&[("", &self.live)])
    }
}

/// A server's diagram, its markers moving with `motion`.
pub(super) fn draw_server<DB: DrawingBackend>(
    live: &LiveSim,
    motion: &mut Motion,
    area: &DrawingArea<DB, Shift>,
    look: &Look,
) -> DrawResult<DB> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (f64::from(w) / look.scale, f64::from(h) / look.scale);
    let layout = Diagram::of(live.sim()).layout(w, h);
    motion.update(&layout, look.now_ms, look.animate);
    let position = |dot: &crate::Dot| motion.position(dot, look.now_ms);
    crate::draw_diagram(area, &layout, &position, look.palette, look.scale)
}

/// A measure of a live server: the last seconds' average, or the latest sample for
/// counts that only grow.
pub(super) fn metric_of(live: &LiveSim, metric: Metric) -> Option<f64> {
    let recent = |f: fn(&Sample) -> f64| live.recent(RECENT_S, f);
    match metric {
        Metric::Throughput => recent(|s| s.throughput),
        Metric::P50 => recent(|s| s.p50),
        Metric::P99 => recent(|s| s.p99),
        Metric::Queue => recent(|s| s.queue),
        Metric::Busy => recent(|s| s.busy),
        Metric::Cpu => recent(|s| s.cpu * 100.0),
        Metric::Memory => recent(|s| s.memory_mb),
        Metric::Refused => live.history().back().map(|s| s.refused),
        Metric::Cores => Some(f64::from(cores_used(live.sim().scenario()))),
    }
}

/// Cores a server can use: all of them with several processes, one with one process.
pub(super) fn cores_used(scenario: &Scenario) -> u32 {
    scenario.processes().min(scenario.cores)
}

/// The samples of one or more servers as CSV: time, then each measure of each server.
pub(super) fn samples_csv(servers: &[(&str, &LiveSim)]) -> String {
    type Measure = (&'static str, fn(&Sample) -> f64);
    const MEASURES: [Measure; 8] = [
        ("throughput_rps", |s| s.throughput),
        ("p50_ms", |s| s.p50),
        ("p95_ms", |s| s.p95),
        ("p99_ms", |s| s.p99),
        ("queue", |s| s.queue),
        ("cpu_utilization", |s| s.cpu),
        ("memory_mb", |s| s.memory_mb),
        ("refused", |s| s.refused),
    ];
    let mut header = vec!["t_s".to_string()];
    for (prefix, _) in servers {
        header.extend(MEASURES.iter().map(|(name, _)| format!("{prefix}{name}")));
    }
    let mut csv = header.join(",") + "\n";
    let Some((_, first)) = servers.first() else {
        return csv;
    };
    for (i, sample) in first.samples().enumerate() {
        let mut row = vec![sample.t];
        for (_, live) in servers {
            if let Some(s) = live.history().get(i) {
                row.extend(MEASURES.iter().map(|(_, f)| f(s)));
            }
        }
        csv.push_str(&csv_line(&row));
    }
    csv
}
