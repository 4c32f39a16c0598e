//! The `compare` widget: one workload fed to a sync pool and to one event loop side by
//! side, live, and a load sweep of both against concurrency with the crossover marked.
//! Presets set up the article's three conditions.

use gloo::render::{request_animation_frame, AnimationFrame};
use sim::{Scenario, ServerKind};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::WidgetProps;

use crate::controls::{Slider, Transport};
use crate::live::{Clock, LiveSim};
use crate::{canvas, environment, params, url_state};
use sim::sweep::Sweep;

pub enum Msg {
    Frame(f64),
    Set(&'static str, f64),
    Toggle,
    Step,
    Reset,
    Speed(f64),
    Preset(usize),
    Sweep,
    Measured(crate::measured::Measured),
    MeasuredPreset,
}

/// Requests per sweep point; 20 points, two servers.
const SWEEP_REQUESTS: u64 = 20_000;
/// Milliseconds of each frame the sweep may use, so input is never held up for long.
const SWEEP_MS_PER_FRAME: f64 = 8.0;
const SUMMARY_EVERY_MS: f64 = 2000.0;

struct Preset {
    name: &'static str,
    apply: fn(&mut Scenario),
}

const PRESETS: &[Preset] = &[
    Preset {
        name: "Low load",
        apply: |s| set_work(s, 4, 5.0, 100.0),
    },
    Preset {
        name: "High load, I/O-bound",
        apply: |s| set_work(s, 200, 2.0, 200.0),
    },
    Preset {
        name: "CPU-bound",
        apply: |s| set_work(s, 20, 50.0, 5.0),
    },
    Preset {
        name: "One request alone: latency",
        apply: |s| set_work(s, 1, 5.0, 100.0),
    },
];

fn set_work(s: &mut Scenario, clients: u32, cpu_ms: f64, io_ms: f64) {
    s.clients = Some(clients);
    s.arrival_rate = None;
    s.cpu_ms = cpu_ms;
    s.io_ms = io_ms;
}

/// The two servers the workload is fed to.
fn servers(base: &Scenario) -> (Scenario, Scenario) {
    let mut sync = base.clone();
    if sync.server.is_event_loop() {
        sync.server = ServerKind::Processes;
    }
    let mut asynchronous = base.clone();
    asynchronous.server = if base.server == ServerKind::Uvloop {
        ServerKind::Uvloop
    } else {
        ServerKind::Asyncio
    };
    asynchronous.workers = Some(1);
    (sync, asynchronous)
}

pub struct Compare {
    scenario: Scenario,
    /// Real servers measured on the site's machine, when the page points at them.
    measured: Option<crate::measured::Measured>,
    /// Draw the measurements over the sweep: only while the scenario is theirs.
    overlay: bool,
    sync: LiveSim,
    asynchronous: LiveSim,
    sweep: Option<Sweep>,
    clock: Clock,
    frame: Option<AnimationFrame>,
    notes: Vec<String>,
    summary: String,
    summary_at_ms: f64,
    canvases: [NodeRef; 6],
}

impl Component for Compare {
    type Message = Msg;
    type Properties = WidgetProps;

    fn create(ctx: &Context<Self>) -> Self {
        let props = ctx.props();
        let url_state::FromUrl {
            scenario, notes, ..
        } = url_state::scenario(&props.scenario, &props.url_prefix);
        let (sync, asynchronous) = servers(&scenario);
        let mut widget = Compare {
            sync: LiveSim::new(&sync),
            asynchronous: LiveSim::new(&asynchronous),
            sweep: Some(Sweep::new(&sync, SWEEP_REQUESTS)),
            scenario,
            measured: None,
            overlay: false,
            clock: Clock::default(),
            frame: None,
            notes,
            summary: String::new(),
            summary_at_ms: f64::NEG_INFINITY,
            canvases: Default::default(),
        };
        if let Some(url) = props.host.get_attribute("data-measured") {
            let link = ctx.link().clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(measured) = crate::measured::fetch(url).await {
                    link.send_message(Msg::Measured(measured));
                }
            });
        }
        widget.schedule(ctx);
        widget
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(now_ms) => {
                let started = environment::now_ms();
                let dt_s = self.clock.tick(now_ms);
                self.sync.advance(dt_s);
                self.asynchronous.advance(dt_s);
                let sweeping = self.sweep.as_ref().is_some_and(|s| !s.is_done());
                if let Some(sweep) = self.sweep.as_mut() {
                    while !sweep.is_done() && environment::now_ms() - started < SWEEP_MS_PER_FRAME {
                        sweep.run(5_000);
                    }
                }
                self.draw();
                self.schedule(ctx);
                self.refresh_summary(now_ms) || sweeping
            }
            Msg::Set(key, value) => {
                self.notes.clear();
                self.notes
                    .extend(params::set(&mut self.scenario, key, value));
                self.changed(ctx)
            }
            Msg::Toggle => {
                self.clock.toggle();
                true
            }
            Msg::Step => {
                self.sync.step();
                self.asynchronous.step();
                self.draw();
                true
            }
            Msg::Reset => {
                self.scenario = ctx.props().scenario.clone();
                self.notes.clear();
                url_state::write(&ctx.props().url_prefix, &[]);
                self.changed(ctx)
            }
            Msg::Speed(speed) => {
                self.clock.set_speed(speed);
                true
            }
            Msg::Preset(index) => {
                if let Some(preset) = PRESETS.get(index) {
                    (preset.apply)(&mut self.scenario);
                }
                self.changed(ctx)
            }
            Msg::Measured(measured) => {
                self.measured = Some(measured);
                true
            }
            Msg::MeasuredPreset => {
                if let Some(m) = &self.measured {
                    let (cpu_ms, io_ms) = (m.cpu_ms.max(0.1), m.io_ms);
                    self.scenario.workers = Some(4);
                    set_work(&mut self.scenario, 64, cpu_ms, io_ms);
                    self.scenario.service = sim::Service::Constant;
                    self.scenario.switch_us = Some(0.0);
                }
                let changed = self.changed(ctx);
                self.overlay = self.measured.is_some();
                changed
            }
            Msg::Sweep => {
                let (sync, _) = servers(&self.scenario);
                self.sweep = Some(Sweep::new(&sync, SWEEP_REQUESTS));
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let load = if self.scenario.arrival_rate.is_some() {
            "arrival_rate"
        } else {
            "clients"
        };
        let sweep_note = match &self.sweep {
            Some(s) if !s.is_done() => format!("Load sweep: {:.0}% done…", s.progress() * 100.0),
            Some(s) => match s.crossover() {
                Some(c) => format!("Load sweep done: from about {c} concurrent clients the event loop serves more requests per second."),
                None => "Load sweep done: with this work the event loop never serves clearly more than the pool.".into(),
            },
            None => String::new(),
        };
        let sweep_note = match self.measured.as_ref().filter(|_| self.overlay) {
            Some(m) => format!("{sweep_note} The two other lines are gunicorn and uvicorn measured on this site's machine: {}.", m.machine),
            None => sweep_note,
        };
        html! {
            <div class="live-widget">
                <Transport playing={self.clock.playing} speed={self.clock.speed}
                    on_toggle={link.callback(|()| Msg::Toggle)} on_step={link.callback(|()| Msg::Step)}
                    on_reset={link.callback(|()| Msg::Reset)} on_speed={link.callback(Msg::Speed)} />
                <div class="widget-presets" role="group" aria-label="Presets">
                    { for PRESETS.iter().enumerate().map(|(i, p)| html! {
                        <button type="button" onclick={link.callback(move |_| Msg::Preset(i))}>{ p.name }</button>
                    }) }
                    if self.measured.is_some() {
                        <button type="button" name="measured" onclick={link.callback(|_| Msg::MeasuredPreset)}>
                            { "Real servers, measured" }</button>
                    }
                </div>
                <div class="widget-controls">
                    { for ["workers", load, "cpu_ms", "io_ms"].into_iter().map(|key| self.slider(ctx, key)) }
                </div>
                { for self.notes.iter().map(|note| html! { <p class="widget-note" role="status">{ note }</p> }) }
                <div class="widget-pair">
                    <figure><figcaption>{ format!("{} {}", self.scenario.effective_workers(), "sync workers") }</figcaption>
                        <canvas class="widget-diagram" ref={self.canvases[0].clone()} role="img" aria-label="The sync pool"></canvas></figure>
                    <figure><figcaption>{ "one event loop" }</figcaption>
                        <canvas class="widget-diagram" ref={self.canvases[1].clone()} role="img" aria-label="The event loop"></canvas></figure>
                </div>
                <div class="widget-charts">
                    <canvas ref={self.canvases[2].clone()} role="img" aria-label="Throughput of both servers over time"></canvas>
                    <canvas ref={self.canvases[3].clone()} role="img" aria-label="99th percentile latency of both over time"></canvas>
                </div>
                <p class="widget-summary" aria-live="polite">{ &self.summary }</p>
                <div class="widget-sweep">
                    <p class="widget-note">{ sweep_note }
                        <button type="button" name="sweep" onclick={link.callback(|_| Msg::Sweep)}>{ "Run the sweep again" }</button></p>
                    <div class="widget-charts">
                        <canvas ref={self.canvases[4].clone()} role="img" aria-label="Throughput against concurrency, sync and async"></canvas>
                        <canvas ref={self.canvases[5].clone()} role="img" aria-label="99th percentile latency against concurrency"></canvas>
                    </div>
                </div>
            </div>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            let _ = ctx.props().host.set_attribute("data-live", "");
        }
        self.draw();
    }
}

impl Compare {
    fn schedule(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |ms| {
            link.send_message(Msg::Frame(ms))
        }));
    }

    fn changed(&mut self, ctx: &Context<Self>) -> bool {
        self.overlay = false;
        if let Err(err) = self.scenario.validate() {
            self.notes.push(format!("not applied: {err}"));
            return true;
        }
        let (sync, asynchronous) = servers(&self.scenario);
        self.sync.restart(&sync);
        self.asynchronous.restart(&asynchronous);
        self.sweep = Some(Sweep::new(&sync, SWEEP_REQUESTS));
        let load = if self.scenario.arrival_rate.is_some() {
            "arrival_rate"
        } else {
            "clients"
        };
        let pairs: Vec<(&str, String)> = ["workers", load, "cpu_ms", "io_ms"]
            .into_iter()
            .map(|k| (k, params::get(&self.scenario, k).to_string()))
            .collect();
        url_state::write(&ctx.props().url_prefix, &pairs);
        true
    }

    fn slider(&self, ctx: &Context<Self>, key: &'static str) -> Html {
        let Some(p) = params::find(key) else {
            return Html::default();
        };
        let label = if key == "workers" {
            "Sync workers"
        } else {
            p.label
        };
        html! {
            <Slider name={key} label={label} unit={p.unit} min={p.min} max={p.max} value={params::get(&self.scenario, key)}
                log={p.log} integer={p.integer} on_change={ctx.link().callback(move |v| Msg::Set(key, v))} />
        }
    }

    fn draw(&self) {
        for (index, live) in [&self.sync, &self.asynchronous].into_iter().enumerate() {
            if let Some(canvas) = self.canvases[index].cast::<HtmlCanvasElement>() {
                if let Some((w, h)) = canvas::css_size(&canvas) {
                    let layout = chart::Diagram::of(live.sim()).layout(w, h);
                    canvas::draw_with(&canvas, |area, palette, scale| {
                        chart::draw_diagram(area, &layout, &|dot| (dot.x, dot.y), palette, scale)
                    });
                }
            }
        }
        let x_range = self.sync.x_range();
        let (st, at) = (
            self.sync.series(|s| s.throughput),
            self.asynchronous.series(|s| s.throughput),
        );
        let (sp, ap) = (
            self.sync.series(|s| s.p99),
            self.asynchronous.series(|s| s.p99),
        );
        let live_charts = [
            ("throughput (requests/s)", &st, &at, 2),
            ("p99 latency (ms)", &sp, &ap, 3),
        ];
        for (label, sync, asynchronous, index) in live_charts {
            self.draw_chart(
                index,
                chart::LineChart::new(
                    "simulated time (s)",
                    label,
                    x_range,
                    vec![
                        chart::Series {
                            label: "sync pool",
                            points: sync,
                        },
                        chart::Series {
                            label: "event loop",
                            points: asynchronous,
                        },
                    ],
                ),
            );
        }
        let Some(sweep) = &self.sweep else { return };
        let crossover = sweep.crossover();
        for (label, latency, index) in [
            ("throughput (requests/s)", false, 4),
            ("p99 latency (ms)", true, 5),
        ] {
            let (sync, asynchronous) = sweep.series(latency);
            let mut chart = chart::LineChart::sweep(label, &sync, &asynchronous, crossover);
            let measured = self.measured.as_ref().filter(|_| self.overlay && !latency);
            if let Some(m) = measured {
                chart.series.push(chart::Series {
                    label: "gunicorn sync, measured",
                    points: &m.sync,
                });
                chart.series.push(chart::Series {
                    label: "uvicorn asyncio, measured",
                    points: &m.asynchronous,
                });
            }
            self.draw_chart(index, chart);
        }
    }

    fn draw_chart(&self, index: usize, chart: chart::LineChart<'_>) {
        if let Some(canvas) = self.canvases[index].cast::<HtmlCanvasElement>() {
            canvas::draw_line_chart(&canvas, &chart);
        }
    }

    fn refresh_summary(&mut self, now_ms: f64) -> bool {
        if now_ms - self.summary_at_ms < SUMMARY_EVERY_MS {
            return false;
        }
        self.summary_at_ms = now_ms;
        let (s, a) = (self.sync.sim().window(), self.asynchronous.sim().window());
        self.summary = format!(
            "Sync pool: throughput {:.1} requests/s, p99 {:.0} ms. Event loop: throughput {:.1} requests/s, p99 {:.0} ms.",
            s.throughput_rps, s.p99_ms, a.throughput_rps, a.p99_ms
        );
        true
    }
}
