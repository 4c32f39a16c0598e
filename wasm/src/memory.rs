//! The `memory` widget: what one more concurrent connection costs in memory for each
//! kind of server (a whole worker process, a thread, an asyncio task, a greenlet), and
//! how many connections fit in a RAM budget the reader sets.

use sim::{defaults, Scenario, ServerKind};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::WidgetProps;

use crate::controls::Slider;
use crate::{canvas, url_state};

pub enum Msg {
    Budget(f64),
    Reset,
}

const BUDGET_MB: (f64, f64) = (64.0, 65_536.0);
const DEFAULT_BUDGET_MB: f64 = 4096.0;

/// One server kind's memory: what it needs before any connection, and per connection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Footprint {
    pub label: &'static str,
    pub base_mb: f64,
    pub per_connection_mb: f64,
}

/// Footprints with the scenario's memory settings (the measured defaults unless the
/// block overrides them).
pub fn footprints(scenario: &Scenario) -> [Footprint; 4] {
    let with = |kind: ServerKind| Scenario {
        server: kind,
        ..scenario.clone()
    };
    let process = with(ServerKind::Processes).effective_process_mb();
    let one_process = defaults::SHARED_MB + process;
    [
        Footprint {
            label: "processes",
            base_mb: defaults::SHARED_MB,
            per_connection_mb: process,
        },
        Footprint {
            label: "threads",
            base_mb: one_process,
            per_connection_mb: with(ServerKind::Threads).effective_thread_kib() / 1024.0,
        },
        Footprint {
            label: "asyncio tasks",
            base_mb: one_process,
            per_connection_mb: with(ServerKind::Asyncio).effective_task_kib() / 1024.0,
        },
        Footprint {
            label: "greenlets",
            base_mb: one_process,
            per_connection_mb: with(ServerKind::Gevent).effective_task_kib() / 1024.0,
        },
    ]
}

/// Concurrent connections that fit in `budget_mb`.
pub fn connections(footprint: &Footprint, budget_mb: f64) -> f64 {
    ((budget_mb - footprint.base_mb) / footprint.per_connection_mb)
        .floor()
        .max(0.0)
}

fn count(value: f64) -> String {
    if value >= 1e6 {
        format!("{:.1} million", value / 1e6)
    } else {
        format!("{value:.0}")
    }
}

fn kib(value: f64) -> String {
    if value >= 1024.0 {
        format!("{:.0} MB", value / 1024.0)
    } else {
        format!("{value:.1} KiB")
    }
}

pub struct Memory {
    budget_mb: f64,
    note: Option<String>,
    per_connection: NodeRef,
    fits: NodeRef,
}

impl Component for Memory {
    type Message = Msg;
    type Properties = WidgetProps;

    fn create(ctx: &Context<Self>) -> Self {
        let mut budget_mb = DEFAULT_BUDGET_MB;
        let mut note = None;
        for (key, value) in url_state::read(&ctx.props().url_prefix) {
            if key == "budget_mb" {
                let parsed = value.parse::<f64>().unwrap_or(DEFAULT_BUDGET_MB);
                budget_mb = if parsed.is_finite() {
                    parsed.clamp(BUDGET_MB.0, BUDGET_MB.1)
                } else {
                    DEFAULT_BUDGET_MB
                };
                if budget_mb != parsed {
                    note = Some(format!(
                        "RAM budget set to {budget_mb:.0} MB: the widget allows 64 MB to 64 GB"
                    ));
                }
            }
        }
        Memory {
            budget_mb,
            note,
            per_connection: NodeRef::default(),
            fits: NodeRef::default(),
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Budget(mb) => self.budget_mb = mb.clamp(BUDGET_MB.0, BUDGET_MB.1),
            Msg::Reset => self.budget_mb = DEFAULT_BUDGET_MB,
        }
        self.note = None;
        url_state::write(
            &ctx.props().url_prefix,
            &[("budget_mb", self.budget_mb.to_string())],
        );
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let f = footprints(&ctx.props().scenario);
        let summary = format!(
            "In {:.0} MB: {} worker processes, {} threads, {} asyncio tasks or {} greenlets.",
            self.budget_mb,
            count(connections(&f[0], self.budget_mb)),
            count(connections(&f[1], self.budget_mb)),
            count(connections(&f[2], self.budget_mb)),
            count(connections(&f[3], self.budget_mb)),
        );
        html! {
            <div class="live-widget">
                <div class="widget-controls">
                    <Slider name="budget_mb" label="RAM budget" unit="MB" min={BUDGET_MB.0} max={BUDGET_MB.1}
                        value={self.budget_mb} log={true} integer={true} on_change={ctx.link().callback(Msg::Budget)} />
                    <button type="button" name="reset" onclick={ctx.link().callback(|_| Msg::Reset)}>{ "Reset" }</button>
                </div>
                if let Some(note) = &self.note { <p class="widget-note" role="status">{ note }</p> }
                <div class="widget-charts">
                    <canvas ref={self.per_connection.clone()} role="img" aria-label="Memory per concurrent connection"></canvas>
                    <canvas ref={self.fits.clone()} role="img" aria-label="Concurrent connections that fit in the budget"></canvas>
                </div>
                <p class="widget-summary" aria-live="polite">{ summary }</p>
            </div>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            let _ = ctx.props().host.set_attribute("data-live", "");
        }
        let f = footprints(&ctx.props().scenario);
        let per: Vec<(&str, f64)> = f
            .iter()
            .map(|f| (f.label, f.per_connection_mb * 1024.0))
            .collect();
        let fits: Vec<(&str, f64)> = f
            .iter()
            .map(|f| (f.label, connections(f, self.budget_mb).max(1.0)))
            .collect();
        let charts = [
            (
                &self.per_connection,
                chart::BarChart {
                    title: "memory per connection (log scale)",
                    bars: per,
                    format: kib,
                    log: true,
                },
            ),
            (
                &self.fits,
                chart::BarChart {
                    title: "connections that fit (log scale)",
                    bars: fits,
                    format: count,
                    log: true,
                },
            ),
        ];
        for (node, bars) in charts {
            if let Some(canvas) = node.cast::<HtmlCanvasElement>() {
                canvas::draw_with(&canvas, |area, palette, scale| {
                    chart::draw_bar_chart(area, &bars, palette, scale)
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gigabyte_holds_tens_of_processes_and_hundreds_of_thousands_of_tasks() {
        let f = footprints(&Scenario::default());
        assert_eq!(
            connections(&f[0], 1024.0),
            ((1024.0 - 14.0) / 15.0_f64).floor()
        );
        assert!(connections(&f[1], 1024.0) > 70_000.0);
        assert!(connections(&f[2], 1024.0) > 800_000.0);
        assert!(connections(&f[2], 1024.0) > connections(&f[3], 1024.0));
        assert_eq!(connections(&f[0], 1.0), 0.0, "no room, no connection");
    }
}
