//! One live server (`sync-server`, `async-server`, `greenlet`): the diagram with every
//! request where the simulation has it, the timeline of what each worker did, and
//! throughput and latency percentiles over time, with theory's prediction where the
//! scenario has a closed form. A reader can pick a request (or the p99) and follow it.

use contract::live::Metric;
use contract::{LiveValue, Scenario, WidgetKind, WidgetValues};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::live::{LiveSim, Sample};
use super::motion::Motion;
use super::timeline::{self, Timeline};
use super::{code, csv_line, DrawResult, Look, Panel, Row};
use crate::{Diagram, Layout, LineChart, Series};

/// The index in [`PANELS`] of the latency chart, where a pick follows a p99 request.
pub const LATENCY_PANEL: usize = 3;

const PANELS: &[Panel] = &[
    Panel {
        label: "Diagram: clients, the load balancer with its backlog, and the server, with each request drawn where it is",
        row: Row::Diagram,
        height: 200,
        fallback: true,
    },
    Panel {
        label: "Timeline: what each worker did over the last seconds",
        row: Row::Timeline,
        height: 120,
        fallback: false,
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
    pub(super) kind: WidgetKind,
    live: LiveSim,
    motion: Motion,
    timeline: Timeline,
    /// The diagram as last drawn, to find what the reader points at.
    layout: Option<Layout>,
    selected: Option<u64>,
    theory: bool,
    frames: u64,
}

fn timeline_for(scenario: &Scenario) -> Timeline {
    let loops = scenario.server.is_event_loop();
    let rows = if loops {
        scenario.processes()
    } else {
        scenario.pool_size()
    };
    Timeline::new(rows as usize, loops)
}

impl ServerFigure {
    /// The height panel `index` needs, in CSS pixels, where it depends on the scenario.
    pub fn height_px(&self, index: usize) -> Option<u32> {
        (PANELS.get(index)?.row == Row::Timeline).then(|| self.timeline.height_px())
    }

    pub fn new(kind: WidgetKind, scenario: &Scenario) -> ServerFigure {
        ServerFigure {
            kind,
            live: LiveSim::traced(scenario),
            motion: Motion::default(),
            timeline: timeline_for(scenario),
            layout: None,
            selected: None,
            theory: false,
            frames: 0,
        }
    }

    pub fn restart(&mut self, scenario: &Scenario, _values: &WidgetValues) {
        self.live.restart(scenario);
        self.motion.clear();
        self.timeline = timeline_for(scenario);
        self.selected = None;
        self.frames += 1;
    }

    fn follow(&mut self) {
        let now = self.live.sim().now_s();
        let events: Vec<sim::TraceEvent> = self.live.sim_mut().drain_trace().collect();
        self.timeline.feed(events.into_iter(), now);
        self.frames += 1;
    }

    pub fn advance(&mut self, dt_s: f64) {
        self.live.advance(dt_s);
        self.follow();
    }

    pub fn work(&mut self, _budget: u64) -> u64 {
        0
    }

    /// A still figure: values over the whole run (see [`LiveSim::still`]).
    pub(super) fn hold_still(&mut self) {
        self.live.hold_still();
    }

    pub fn step(&mut self) {
        self.live.step();
        self.follow();
    }

    pub fn capped(&self) -> bool {
        self.live.capped
    }

    pub fn panels(&self) -> &'static [Panel] {
        PANELS
    }

    pub fn version(&self, index: usize) -> u64 {
        match index {
            0 | 1 => self.frames,
            _ => {
                self.live.history().back().map_or(0, |s| (s.t * 4.0) as u64) * 2
                    + u64::from(self.theory)
            }
        }
    }

    pub fn draw<DB: DrawingBackend>(
        &mut self,
        index: usize,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
    ) -> DrawResult<DB> {
        match index {
            0 => {
                let layout = draw_server(&self.live, &mut self.motion, self.selected, area, look)?;
                self.layout = Some(layout);
                Ok(())
            }
            1 => self
                .timeline
                .draw(area, look.palette, look.scale, self.selected),
            2 => {
                let throughput = self.live.series(|s| s.throughput);
                let mut chart = LineChart::new(
                    "simulated time (s)",
                    "throughput (requests/s)",
                    self.live.x_range(),
                    vec![Series {
                        label: "throughput",
                        points: &throughput,
                    }],
                );
                if let Some(p) = self.prediction() {
                    chart
                        .guides
                        .push((p.throughput_rps, format!("theory ({})", p.model)));
                }
                crate::draw_line_chart(area, &chart, look.palette, look.scale)
            }
            _ => {
                let (p50, p95, p99) = (
                    self.live.series(|s| s.p50),
                    self.live.series(|s| s.p95),
                    self.live.series(|s| s.p99),
                );
                let mut chart = LineChart::new(
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
                if let Some(p) = self.prediction() {
                    chart
                        .guides
                        .push((p.mean_latency_ms, format!("theory: mean ({})", p.model)));
                    if let Some(p99) = p.p99_latency_ms {
                        chart.guides.push((p99, "theory: p99".into()));
                    }
                }
                crate::draw_line_chart(area, &chart, look.palette, look.scale)
            }
        }
    }

    /// Theory's prediction, when it is shown and the scenario has one.
    fn prediction(&self) -> Option<sim::theory::Prediction> {
        self.theory
            .then(|| sim::theory::predict(self.live.sim().scenario()))
            .flatten()
    }

    pub fn theory_available(&self) -> bool {
        sim::theory::predict(self.live.sim().scenario()).is_some()
    }

    pub fn show_theory(&mut self, on: bool) {
        self.theory = on;
    }

    /// The reader points at (`x`, `y`) in CSS pixels of panel `index`: the request
    /// there, or for the latency chart a recent request as slow as the p99.
    pub fn pick(&mut self, index: usize, x: f64, y: f64) -> bool {
        let picked = match index {
            0 => self.layout.as_ref().and_then(|l| l.request_at(x, y)),
            LATENCY_PANEL => {
                let p99 = self.live.sim().window().p99_ms / 1e3;
                self.timeline.reply_at_least(p99)
            }
            _ => None,
        };
        self.selected = picked;
        self.frames += 1;
        picked.is_some()
    }

    /// The keyboard's pick: the request on the diagram after (or before) the one
    /// picked, in arrival order.
    pub fn pick_next(&mut self, forward: bool) -> bool {
        let picked = self
            .layout
            .as_ref()
            .and_then(|l| l.request_next(self.selected, forward));
        if picked.is_some() {
            self.selected = picked;
            self.frames += 1;
        }
        picked.is_some()
    }

    /// The picked request's story, in words.
    pub fn story(&self) -> Option<String> {
        let id = self.selected?;
        Some(match self.timeline.story(id) {
            Some(story) => timeline::describe(id, story),
            None => format!(
                "Request {id} left the last {:.0} seconds.",
                timeline::SPAN_S
            ),
        })
    }

    pub fn value(&self, value: LiveValue) -> Option<f64> {
        match value {
            LiveValue::Server(metric) => metric_of(&self.live, metric),
            _ => None,
        }
    }

    /// What is going on now that a listener should hear about.
    pub fn notices(&self) -> Vec<&'static str> {
        notices_of(&self.live)
    }

    pub fn summary(&self) -> String {
        let sim = self.live.sim();
        let scenario = sim.scenario();
        let w = sim.window();
        let server = if scenario.server.is_event_loop() {
            let loops = scenario.processes();
            format!(
                "{loops} {} event loop{} holding {} task{}",
                scenario.server.name(),
                if loops == 1 { "" } else { "s" },
                w.busy_workers,
                if w.busy_workers == 1 { "" } else { "s" },
            )
        } else {
            let pool = scenario.pool_size();
            let noun = match (scenario.server.name(), pool) {
                ("processes", 1) => "process",
                ("threads", 1) => "thread",
                (name, _) => name,
            };
            format!("{} of {pool} {noun} busy", w.busy_workers)
        };
        // A still figure's numbers are its caption's: over the run, not its last seconds.
        let (when, now, measures) = if self.live.still {
            let of = |m| metric_of(&self.live, m).unwrap_or(0.0);
            (
                format!("From 2 s to {:.0} s", sim.now_s()),
                format!("at {:.0} s, ", sim.now_s()),
                [of(Metric::Throughput), of(Metric::P50), of(Metric::P99)],
            )
        } else {
            // The charts' clock, which runs on across a change of settings.
            (
                format!("At {:.1} s", self.live.now()),
                String::new(),
                [w.throughput_rps, w.p50_ms, w.p99_ms],
            )
        };
        format!(
            "{when}: throughput {:.1} requests/s; latency p50 {:.0} ms, p99 {:.0} ms; {now}{} queued for a worker or the CPU; {}; {} refused so far.",
            measures[0],
            measures[1],
            measures[2],
            w.queue_len,
            server,
            w.dropped,
        )
    }

    pub fn sim_time_s(&self) -> f64 {
        self.live.sim().now_s()
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

/// A server's diagram, its markers moving with `motion`; returns the layout drawn.
pub(super) fn draw_server<DB: DrawingBackend>(
    live: &LiveSim,
    motion: &mut Motion,
    selected: Option<u64>,
    area: &DrawingArea<DB, Shift>,
    look: &Look,
) -> Result<Layout, DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (f64::from(w) / look.scale, f64::from(h) / look.scale);
    let layout = Diagram::of(live.sim()).layout(w, h);
    motion.update(&layout, look.now_ms, look.animate);
    let position = |dot: &crate::Dot| motion.position(dot, look.now_ms);
    crate::draw_diagram(area, &layout, &position, selected, look.palette, look.scale)?;
    Ok(layout)
}

/// Conditions worth announcing, from a live server's state.
pub(super) fn notices_of(live: &LiveSim) -> Vec<&'static str> {
    let sim = live.sim();
    let s = sim.scenario();
    let w = sim.window();
    let mut notices = Vec::new();
    if s.server.is_event_loop() {
        if sim.processes().any(|p| p.blocked) {
            notices.push("A blocking call holds an event loop: every task on it waits.");
        }
        if sim.processes().all(|p| p.waiting > 5) {
            notices.push("The event loop is busy all the time: ready tasks line up.");
        }
    } else if w.busy_workers >= s.pool_size() && w.queue_len > 0 {
        notices.push("Every worker is busy: new requests wait in the backlog.");
    }
    if w.queue_len >= s.queue_limit && s.queue_limit > 0 {
        notices.push("The backlog is full: new requests are refused.");
    }
    if let Some(db) = sim.database() {
        if db.waiting > 0 || w.db_waiting > 0 {
            notices.push("Requests wait for a database connection.");
        }
    }
    if w.timed_out > 0 && w.wasted > 0 {
        notices.push("Clients give up, and the server still works on what they left.");
    }
    notices
}

/// A measure of a live server: the last seconds' average, or the latest sample for
/// counts that only grow.
pub(super) fn metric_of(live: &LiveSim, metric: Metric) -> Option<f64> {
    // A still figure gives its report over the run after its first seconds (see
    // `LiveSim::hold_still`): rates over all of it, percentiles of all its replies (an
    // average of two-second windows' p99s would miss the rare slow request most windows
    // lack). Levels stay those of the last seconds: a queue that grows without end
    // holds what it holds now.
    let recent = |f: fn(&Sample) -> f64| live.recent(RECENT_S, f);
    let run = live
        .still
        .then(|| live.sim().report())
        .filter(|r| r.completed > 0);
    let of_run = |f: fn(&sim::Report) -> f64| run.as_ref().map(f);
    match metric {
        Metric::Throughput => of_run(|r| r.throughput_rps).or_else(|| recent(|s| s.throughput)),
        Metric::P50 => of_run(|r| r.latency_ms.p50).or_else(|| recent(|s| s.p50)),
        Metric::P99 => of_run(|r| r.latency_ms.p99).or_else(|| recent(|s| s.p99)),
        Metric::LightP99 => of_run(|r| r.light_p99_ms).or_else(|| recent(|s| s.light_p99)),
        Metric::Queue => recent(|s| s.queue),
        Metric::Busy => recent(|s| s.busy),
        Metric::Cpu => of_run(|r| r.cpu_utilization * 100.0).or_else(|| recent(|s| s.cpu * 100.0)),
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
    const MEASURES: [Measure; 9] = [
        ("throughput_rps", |s| s.throughput),
        ("p50_ms", |s| s.p50),
        ("p95_ms", |s| s.p95),
        ("p99_ms", |s| s.p99),
        ("light_p99_ms", |s| s.light_p99),
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
