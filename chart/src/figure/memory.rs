//! `memory`: what one more concurrent connection costs for each way of holding it (a
//! worker process, a thread, an asyncio task, a greenlet), how many connections fit in
//! the reader's RAM budget, and, live, the memory each kind holds while serving the
//! block's clients.

use contract::live::Metric;
use contract::{Key, LiveValue, Scenario, ServerKind, WidgetValues};
use plotters::coord::Shift;
use plotters::prelude::*;
use sim::memory::{footprints, Footprint};

use super::live::LiveSim;
use super::server::samples_csv;
use super::{DrawResult, Look, Panel, Row};
use crate::{BarChart, LineChart, Series};

const PANELS: &[Panel] = &[
    Panel {
        label: "Memory per concurrent connection",
        row: Row::Charts,
        height: 170,
        fallback: true,
    },
    Panel {
        label: "Concurrent connections that fit in the budget",
        row: Row::Charts,
        height: 170,
        fallback: true,
    },
    Panel {
        label: "Memory in use over simulated time while serving the clients",
        row: Row::Wide,
        height: 220,
        fallback: false,
    },
];

const LABELS: [&str; 4] = ["processes", "threads", "asyncio", "greenlets"];

pub struct MemoryFigure {
    scenario: Scenario,
    budget_mb: f64,
    live: Vec<LiveSim>,
    settings_version: u64,
}

/// The four servers of the live chart, each serving the same clients: the block's pool
/// of processes, a thread per connection, and one process of asyncio or gevent.
fn servers(base: &Scenario) -> [Scenario; 4] {
    let clients = base.number(Key::Clients).unwrap_or(10.0) as u32;
    let with = |server: ServerKind, workers: u32, threads: Option<u32>| Scenario {
        server,
        workers: Some(workers),
        threads,
        ..base.clone()
    };
    [
        with(ServerKind::Processes, base.effective_workers(), None),
        with(ServerKind::Threads, 1, Some(clients.min(4096))),
        with(ServerKind::Asyncio, 1, None),
        with(ServerKind::Gevent, 1, None),
    ]
}

fn count(value: f64) -> String {
    if !value.is_finite() {
        "no limit".to_string()
    } else if value >= 1e6 {
        format!("{:.1} million", value / 1e6)
    } else {
        contract::live::format_number(value.round())
    }
}

fn kib(value: f64) -> String {
    if value >= 1024.0 {
        super::megabytes(value / 1024.0)
    } else {
        format!("{value:.1} KiB")
    }
}

impl MemoryFigure {
    pub fn new(scenario: &Scenario, values: &WidgetValues) -> MemoryFigure {
        MemoryFigure {
            live: servers(scenario).iter().map(LiveSim::new).collect(),
            scenario: scenario.clone(),
            budget_mb: values.number(Key::BudgetMb),
            settings_version: 0,
        }
    }

    pub fn restart(&mut self, scenario: &Scenario, values: &WidgetValues) {
        for (live, s) in self.live.iter_mut().zip(servers(scenario)) {
            live.restart(&s);
        }
        self.scenario = scenario.clone();
        self.budget_mb = values.number(Key::BudgetMb);
        self.settings_version += 1;
    }

    pub fn advance(&mut self, dt_s: f64) {
        for live in &mut self.live {
            live.advance(dt_s);
        }
    }

    pub fn work(&mut self, _budget: u64) -> u64 {
        0
    }

    pub fn step(&mut self) {
        for live in &mut self.live {
            live.step();
        }
    }

    pub fn capped(&self) -> bool {
        self.live.iter().any(|l| l.capped)
    }

    pub fn panels(&self) -> &'static [Panel] {
        PANELS
    }

    pub fn version(&self, index: usize) -> u64 {
        match index {
            2 => self.live[0]
                .history()
                .back()
                .map_or(0, |s| (s.t * 4.0) as u64),
            _ => self.settings_version,
        }
    }

    fn footprints(&self) -> [Footprint; 4] {
        footprints(&self.scenario)
    }

    pub fn draw<DB: DrawingBackend>(
        &mut self,
        index: usize,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
    ) -> DrawResult<DB> {
        let f = self.footprints();
        match index {
            0 | 1 => {
                let bars = if index == 0 {
                    BarChart {
                        title: "memory per connection (log scale)",
                        bars: f
                            .iter()
                            .map(|f| (f.label, f.per_connection_mb * 1024.0))
                            .collect(),
                        format: kib,
                        log: true,
                    }
                } else {
                    BarChart {
                        title: "connections that fit (log scale)",
                        bars: f
                            .iter()
                            .map(|f| (f.label, f.connections(self.budget_mb).clamp(1.0, 1e12)))
                            .collect(),
                        format: count,
                        log: true,
                    }
                };
                crate::draw_bar_chart(area, &bars, look.palette, look.scale)
            }
            _ => {
                let lines: Vec<Vec<(f64, f64)>> = self
                    .live
                    .iter()
                    .map(|l| l.series(|s| s.memory_mb))
                    .collect();
                let series = LABELS
                    .iter()
                    .zip(&lines)
                    .map(|(label, points)| Series { label, points })
                    .collect();
                let mut chart = LineChart::new(
                    "simulated time (s)",
                    "MB in use (log scale)",
                    self.live[0].x_range(),
                    series,
                );
                // Processes take thousands of MB where the others take tens: on a linear
                // axis those three lie flat on zero.
                chart.y_log = true;
                // The budget the bars are about, so that memory over it reads as such.
                chart.guides.push((
                    self.budget_mb,
                    format!("RAM budget {}", kib(self.budget_mb * 1024.0)),
                ));
                crate::draw_line_chart(area, &chart, look.palette, look.scale)
            }
        }
    }

    pub fn value(&self, value: LiveValue) -> Option<f64> {
        match value {
            LiveValue::Fit(i) => self
                .footprints()
                .get(i)
                .map(|f| f.connections(self.budget_mb)),
            LiveValue::Server(Metric::Memory) => self.live[0].history().back().map(|s| s.memory_mb),
            _ => None,
        }
    }

    pub fn summary(&self) -> String {
        let f = self.footprints();
        format!(
            "In {} MB: {} worker processes, {} threads, {} asyncio tasks or {} greenlets.",
            contract::live::format_number(self.budget_mb.round()),
            count(f[0].connections(self.budget_mb)),
            count(f[1].connections(self.budget_mb)),
            count(f[2].connections(self.budget_mb)),
            count(f[3].connections(self.budget_mb)),
        )
    }

    pub fn sim_time_s(&self) -> f64 {
        self.live[0].sim().now_s()
    }

    pub fn status(&self) -> Option<String> {
        None
    }

    pub fn samples_csv(&self) -> String {
        let servers: Vec<(&str, &LiveSim)> = ["processes_", "threads_", "asyncio_", "gevent_"]
            .into_iter()
            .zip(&self.live)
            .collect();
        samples_csv(&servers)
    }
}
