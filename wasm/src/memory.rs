//! The `memory` widget: what one more concurrent connection costs in memory for each
//! kind of server (a whole worker process, a thread, an asyncio task, a greenlet), how
//! many connections fit in a RAM budget the reader sets, and, live, the memory each
//! kind holds while serving the block's clients.

use gloo::render::{request_animation_frame, AnimationFrame};
use sim::{defaults, Scenario, ServerKind};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::WidgetProps;

use crate::controls::{Slider, Transport};
use crate::live::{Clock, LiveSim};
use crate::{canvas, params, url_state};

pub enum Msg {
    Preset(usize),
    Frame(f64),
    Budget(f64),
    Clients(f64),
    Toggle,
    Step,
    Reset,
    Speed(f64),
}

const BUDGET_MB: (f64, f64) = (64.0, 65_536.0);

/// Machines the article's readers deploy on: (name, RAM budget MB, clients).
const PRESETS: [(&str, f64, f64); 3] = [
    ("A small VM: 512 MB, 100 clients", 512.0, 100.0),
    ("A laptop: 4 GB, 2,000 clients", 4096.0, 2000.0),
    ("A big server: 64 GB, 10,000 clients", 65_536.0, 10_000.0),
];
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

/// The four servers of the live chart, each serving the same clients: the block's pool
/// of processes, a thread per connection, and one process of asyncio or gevent.
fn servers(base: &Scenario) -> [Scenario; 4] {
    let clients = base.clients.unwrap_or(defaults::CLIENTS);
    let with = |server: ServerKind, workers: u32| Scenario {
        server,
        workers: Some(workers),
        ..base.clone()
    };
    [
        with(ServerKind::Processes, base.effective_workers()),
        with(ServerKind::Threads, clients.min(4096)),
        with(ServerKind::Asyncio, 1),
        with(ServerKind::Gevent, 1),
    ]
}

pub struct Memory {
    scenario: Scenario,
    budget_mb: f64,
    live: Vec<LiveSim>,
    clock: Clock,
    frame: Option<AnimationFrame>,
    note: Option<String>,
    theme: crate::environment::ThemeWatch,
    per_connection: NodeRef,
    fits: NodeRef,
    in_use: NodeRef,
}

impl Component for Memory {
    type Message = Msg;
    type Properties = WidgetProps;

    fn create(ctx: &Context<Self>) -> Self {
        let mut base = ctx.props().scenario.clone();
        if base.arrival_rate.is_none() && base.clients.is_none() {
            base.clients = Some(defaults::CLIENTS);
        }
        let url_state::FromUrl {
            scenario,
            mut notes,
            other,
        } = url_state::scenario(&base, &ctx.props().url_prefix);
        let mut budget_mb = DEFAULT_BUDGET_MB;
        if let Some((_, value)) = other.iter().find(|(key, _)| key == "budget_mb") {
            let parsed = value.parse::<f64>().unwrap_or(DEFAULT_BUDGET_MB);
            budget_mb = if parsed.is_finite() {
                parsed.clamp(BUDGET_MB.0, BUDGET_MB.1)
            } else {
                DEFAULT_BUDGET_MB
            };
            if budget_mb != parsed {
                notes.insert(
                    0,
                    format!(
                        "RAM budget set to {budget_mb:.0} MB: the widget allows 64 MB to 64 GB"
                    ),
                );
            }
        }
        let note = notes.into_iter().next();
        let mut widget = Memory {
            live: servers(&scenario).iter().map(LiveSim::new).collect(),
            scenario,
            budget_mb,
            clock: Clock::default(),
            frame: None,
            note,
            theme: crate::environment::ThemeWatch::default(),
            per_connection: NodeRef::default(),
            fits: NodeRef::default(),
            in_use: NodeRef::default(),
        };
        widget.schedule(ctx);
        widget
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(now_ms) => {
                let dt_s = self.clock.tick(now_ms);
                for live in &mut self.live {
                    live.advance(dt_s);
                }
                self.draw_in_use();
                self.schedule(ctx);
                // The bars are drawn on render: again when the reader changes the theme.
                return self.theme.changed();
            }
            Msg::Preset(index) => {
                if let Some((_, budget_mb, clients)) = PRESETS.get(index) {
                    self.budget_mb = *budget_mb;
                    self.note = params::set(&mut self.scenario, "clients", *clients);
                    self.restart();
                }
            }
            Msg::Budget(mb) => {
                self.budget_mb = mb.clamp(BUDGET_MB.0, BUDGET_MB.1);
                self.note = None;
            }
            Msg::Clients(clients) => {
                self.note = params::set(&mut self.scenario, "clients", clients);
                self.restart();
            }
            Msg::Toggle => {
                if self.clock.toggle() {
                    self.schedule(ctx);
                } else {
                    self.frame = None;
                }
            }
            Msg::Step => {
                for live in &mut self.live {
                    live.step();
                }
                self.draw_in_use();
            }
            Msg::Reset => {
                self.budget_mb = DEFAULT_BUDGET_MB;
                self.scenario = ctx.props().scenario.clone();
                self.note = None;
                self.restart();
            }
            Msg::Speed(speed) => self.clock.set_speed(speed),
        }
        let clients = params::get(&self.scenario, "clients").to_string();
        url_state::write(
            &ctx.props().url_prefix,
            &[
                ("budget_mb", self.budget_mb.to_string()),
                ("clients", clients),
            ],
        );
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let f = footprints(&self.scenario);
        let summary = format!(
            "In {:.0} MB: {} worker processes, {} threads, {} asyncio tasks or {} greenlets.",
            self.budget_mb,
            count(connections(&f[0], self.budget_mb)),
            count(connections(&f[1], self.budget_mb)),
            count(connections(&f[2], self.budget_mb)),
            count(connections(&f[3], self.budget_mb)),
        );
        let clients = params::find("clients").copied();
        html! {
            <div class="live-widget">
                <Transport playing={self.clock.playing} speed={self.clock.speed}
                    on_toggle={link.callback(|()| Msg::Toggle)} on_step={link.callback(|()| Msg::Step)}
                    on_reset={link.callback(|()| Msg::Reset)} on_speed={link.callback(Msg::Speed)} />
                <div class="widget-presets" role="group" aria-label="Presets">
                    { for PRESETS.iter().enumerate().map(|(i, (name, _, _))| html! {
                        <button type="button" onclick={link.callback(move |_| Msg::Preset(i))}>{ *name }</button>
                    }) }
                </div>
                <div class="widget-controls">
                    <Slider name="budget_mb" label="RAM budget" unit="MB" min={BUDGET_MB.0} max={BUDGET_MB.1}
                        value={self.budget_mb} log={true} integer={true} on_change={link.callback(Msg::Budget)} />
                    if let Some(p) = clients {
                        <Slider name="clients" label={p.label} unit={p.unit} min={p.min} max={p.max}
                            value={params::get(&self.scenario, "clients")} log={p.log} integer={p.integer}
                            on_change={link.callback(Msg::Clients)} />
                    }
                </div>
                if let Some(note) = &self.note { <p class="widget-note" role="status">{ note }</p> }
                <div class="widget-charts">
                    <canvas ref={self.per_connection.clone()} role="img" aria-label="Memory per concurrent connection"></canvas>
                    <canvas ref={self.fits.clone()} role="img" aria-label="Concurrent connections that fit in the budget"></canvas>
                </div>
                <canvas class="widget-memory-live" ref={self.in_use.clone()} role="img"
                    aria-label="Memory in use over simulated time while serving the clients"></canvas>
                <p class="widget-summary" aria-live="polite">{ summary }</p>
            </div>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            let _ = ctx.props().host.set_attribute("data-live", "");
        }
        let f = footprints(&self.scenario);
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
        self.draw_in_use();
    }
}

impl Memory {
    fn schedule(&mut self, ctx: &Context<Self>) {
        if self.clock.playing {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |ms| {
                link.send_message(Msg::Frame(ms))
            }));
        }
    }

    fn restart(&mut self) {
        if self.scenario.validate().is_ok() {
            for (live, scenario) in self.live.iter_mut().zip(servers(&self.scenario)) {
                live.restart(&scenario);
            }
        }
    }

    fn draw_in_use(&self) {
        let Some(canvas) = self.in_use.cast::<HtmlCanvasElement>() else {
            return;
        };
        let lines: Vec<Vec<(f64, f64)>> = self
            .live
            .iter()
            .map(|l| l.series(|s| s.memory_mb))
            .collect();
        let labels = ["processes", "threads", "asyncio", "gevent"];
        let series = labels
            .iter()
            .zip(&lines)
            .map(|(label, points)| chart::Series { label, points })
            .collect();
        let x_range = self.live.first().map_or((0.0, 30.0), LiveSim::x_range);
        let chart =
            chart::LineChart::new("simulated time (s)", "memory in use (MB)", x_range, series);
        canvas::draw_line_chart(&canvas, &chart);
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
