//! The `context-switch` widget: what one switch costs for OS threads, asyncio, uvloop and
//! greenlets, and the share of the CPU that switching eats as concurrency grows, from
//! simulations of the block's workload at rising concurrency (run in slices).

use sim::{Scenario, ServerKind};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::WidgetProps;

use gloo::render::{request_animation_frame, AnimationFrame};

use crate::controls::{Slider, Transport};
use crate::{canvas, environment, params, presets, url_state};
use sim::Batch;

pub enum Msg {
    Frame,
    Toggle,
    Step,
    Speed(f64),
    Set(&'static str, f64),
    Reset,
    Preset(usize),
}

const KINDS: [ServerKind; 4] = [
    ServerKind::Threads,
    ServerKind::Asyncio,
    ServerKind::Uvloop,
    ServerKind::Gevent,
];
const LEVELS: [u32; 11] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
const REQUESTS: u64 = 3_000;

/// The scenarios of the chart: each kind at each level. Threads get one thread per
/// client, as a thread-per-connection server does.
fn scenarios(base: &Scenario) -> Vec<Scenario> {
    let mut all = Vec::new();
    for kind in KINDS {
        for clients in LEVELS {
            let mut s = base.clone();
            s.server = kind;
            s.workers = Some(if kind == ServerKind::Threads {
                clients
            } else {
                1
            });
            s.clients = Some(clients);
            s.arrival_rate = None;
            s.switch_us = None;
            s.requests = REQUESTS;
            s.warmup = REQUESTS / 10;
            all.push(s);
        }
    }
    all
}

/// Share of one core spent switching, from a finished run.
fn switching_share(scenario: &Scenario, report: &sim::Report) -> f64 {
    if report.sim_time_s <= 0.0 {
        return 0.0;
    }
    report.context_switches as f64 * scenario.effective_switch_us() * 1e-6 / report.sim_time_s
}

pub struct ContextSwitch {
    scenario: Scenario,
    batch: Batch,
    inputs: Vec<Scenario>,
    frame: Option<AnimationFrame>,
    /// The simulations run while playing, `speed` x 20,000 events a frame at most.
    playing: bool,
    speed: f64,
    note: Option<String>,
    theme: environment::ThemeWatch,
    costs: NodeRef,
    shares: NodeRef,
}

impl Component for ContextSwitch {
    type Message = Msg;
    type Properties = WidgetProps;

    fn create(ctx: &Context<Self>) -> Self {
        let from_url = url_state::scenario(&ctx.props().scenario, &ctx.props().url_prefix);
        let (scenario, note) = (from_url.scenario, from_url.notes.into_iter().next());
        let inputs = scenarios(&scenario);
        let mut widget = ContextSwitch {
            batch: Batch::new(inputs.clone()),
            inputs,
            scenario,
            frame: None,
            playing: true,
            speed: 1.0,
            note,
            theme: environment::ThemeWatch::default(),
            costs: NodeRef::default(),
            shares: NodeRef::default(),
        };
        widget.schedule(ctx);
        widget
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame => {
                let started = environment::now_ms();
                let mut progressed = false;
                if self.playing {
                    let mut budget = (self.speed * 20_000.0) as u64;
                    while budget > 0
                        && !self.batch.is_done()
                        && environment::now_ms() - started < 8.0
                    {
                        budget -= self.batch.run(budget.min(5_000)).min(budget).max(1);
                        progressed = true;
                    }
                    // Frames go on after the runs finish, cheaply, to follow a theme change.
                    self.schedule(ctx);
                }
                progressed || self.theme.changed()
            }
            Msg::Toggle => {
                self.playing = !self.playing;
                if self.playing {
                    self.schedule(ctx);
                } else {
                    self.frame = None;
                }
                true
            }
            Msg::Step => {
                self.batch.run(1);
                true
            }
            Msg::Speed(speed) => {
                self.speed = speed.clamp(0.1, 100.0);
                true
            }
            Msg::Preset(index) => {
                if let Some(preset) = presets::for_widget("context-switch").get(index) {
                    (preset.apply)(&mut self.scenario);
                    self.note = None;
                    self.restart(ctx);
                }
                true
            }
            Msg::Set(key, value) => {
                self.note = params::set(&mut self.scenario, key, value);
                self.restart(ctx);
                true
            }
            Msg::Reset => {
                self.scenario = ctx.props().scenario.clone();
                self.note = None;
                self.restart(ctx);
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let slider = |key: &'static str| {
            let Some(p) = params::find(key) else {
                return Html::default();
            };
            html! { <Slider name={key} label={p.label} unit={p.unit} min={p.min} max={p.max}
            value={params::get(&self.scenario, key)} log={p.log} integer={p.integer}
            on_change={link.callback(move |v| Msg::Set(key, v))} /> }
        };
        let summary = if self.batch.is_done() {
            let at = |kind: usize| {
                self.share(kind * LEVELS.len() + LEVELS.len() - 1)
                    .unwrap_or(0.0)
                    * 100.0
            };
            format!(
                "At {} concurrent clients switching takes {:.1}% of a core with OS threads, {:.1}% with asyncio, {:.1}% with uvloop and {:.1}% with greenlets.",
                LEVELS[LEVELS.len() - 1], at(0), at(1), at(2), at(3)
            )
        } else {
            format!("Simulating: {:.0}% done…", self.batch.progress() * 100.0)
        };
        html! {
            <div class="live-widget">
                <Transport playing={self.playing} speed={self.speed}
                    on_toggle={link.callback(|()| Msg::Toggle)} on_step={link.callback(|()| Msg::Step)}
                    on_reset={link.callback(|()| Msg::Reset)} on_speed={link.callback(Msg::Speed)} />
                <div class="widget-presets" role="group" aria-label="Presets">
                    { for presets::for_widget("context-switch").iter().enumerate().map(|(i, p)| html! {
                        <button type="button" onclick={link.callback(move |_| Msg::Preset(i))}>{ p.name }</button>
                    }) }
                </div>
                <div class="widget-controls">
                    { slider("cpu_ms") }
                    { slider("io_ms") }
                </div>
                if let Some(note) = &self.note { <p class="widget-note" role="status">{ note }</p> }
                <div class="widget-charts">
                    <canvas ref={self.costs.clone()} role="img" aria-label="Cost of one context switch per kind"></canvas>
                    <canvas ref={self.shares.clone()} role="img" aria-label="Share of the CPU spent switching against concurrency"></canvas>
                </div>
                <p class="widget-summary" aria-live="polite">{ summary }</p>
            </div>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            let _ = ctx.props().host.set_attribute("data-live", "");
        }
        let names = ["OS threads", "asyncio", "uvloop", "greenlets"];
        let costs: Vec<(&str, f64)> = KINDS
            .iter()
            .zip(names)
            .map(|(k, n)| (n, sim::defaults::switch_us(*k)))
            .collect();
        let bars = chart::BarChart {
            title: "one context switch (µs)",
            bars: costs,
            format: |v| format!("{v:.2} µs"),
            log: false,
        };
        if let Some(canvas) = self.costs.cast::<HtmlCanvasElement>() {
            canvas::draw_with(&canvas, |area, palette, scale| {
                chart::draw_bar_chart(area, &bars, palette, scale)
            });
        }
        let lines: Vec<Vec<(f64, f64)>> = (0..KINDS.len())
            .map(|k| {
                LEVELS
                    .iter()
                    .enumerate()
                    .filter_map(|(i, &c)| {
                        Some((f64::from(c), self.share(k * LEVELS.len() + i)? * 100.0))
                    })
                    .collect()
            })
            .collect();
        let series = names
            .iter()
            .zip(&lines)
            .map(|(label, points)| chart::Series { label, points })
            .collect();
        let mut line_chart = chart::LineChart::new(
            "concurrent clients",
            "CPU spent switching (%)",
            (1.0, 1024.0),
            series,
        );
        line_chart.x_log = true;
        if let Some(canvas) = self.shares.cast::<HtmlCanvasElement>() {
            canvas::draw_line_chart(&canvas, &line_chart);
        }
    }
}

impl ContextSwitch {
    fn schedule(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |_| {
            link.send_message(Msg::Frame)
        }));
    }

    fn restart(&mut self, ctx: &Context<Self>) {
        self.inputs = scenarios(&self.scenario);
        self.batch = Batch::new(self.inputs.clone());
        let pairs: Vec<(&str, String)> = ["cpu_ms", "io_ms"]
            .into_iter()
            .map(|k| (k, params::get(&self.scenario, k).to_string()))
            .collect();
        url_state::write(&ctx.props().url_prefix, &pairs);
        self.schedule(ctx);
    }

    fn share(&self, index: usize) -> Option<f64> {
        let report = self.batch.reports.get(index)?.as_ref()?;
        Some(switching_share(&self.inputs[index], report))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_spend_more_of_the_cpu_switching_than_greenlets() {
        let base = Scenario::parse("cpu_ms = 0.2\nio_ms = 50\nio_calls = 4\n").unwrap();
        let all = scenarios(&base);
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
        assert!(
            share(1, top) > share(1, 0),
            "switching grows with concurrency"
        );
    }
}
