//! A live server: `sync-server`, `async-server` and `greenlet` are this component with
//! different controls and presets. The simulation runs as the reader watches; the
//! diagram draws every request where the simulation has it, and the charts show
//! throughput and latency percentiles over simulated time.

use std::collections::HashMap;

use gloo::render::{request_animation_frame, AnimationFrame};
use sim::{Scenario, ServerKind};
use web_sys::{HtmlCanvasElement, HtmlSelectElement};
use yew::prelude::*;

use crate::WidgetProps;

use crate::controls::{Slider, Transport};
use crate::frame_times::FrameTimes;
use crate::live::{Clock, LiveSim};
use crate::{canvas, code_panes, params, presets, url_state};

pub enum Msg {
    Frame(f64),
    Set(&'static str, f64),
    Server(String),
    Toggle,
    Step,
    Reset,
    Speed(f64),
    Preset(usize),
}

pub struct ServerWidget {
    scenario: Scenario,
    live: LiveSim,
    clock: Clock,
    frame: Option<AnimationFrame>,
    /// Where each request's dot is drawn now, for smooth movement.
    positions: HashMap<u64, (f64, f64)>,
    samples_drawn: usize,
    notes: Vec<String>,
    summary: String,
    summary_at_ms: f64,
    frame_times: FrameTimes,
    diagram: NodeRef,
    throughput: NodeRef,
    latency: NodeRef,
}

/// Summaries for screen readers change at most this often.
const SUMMARY_EVERY_MS: f64 = 2000.0;

impl Component for ServerWidget {
    type Message = Msg;
    type Properties = WidgetProps;

    fn create(ctx: &Context<Self>) -> Self {
        let props = ctx.props();
        let url_state::FromUrl {
            scenario,
            notes,
            other,
        } = url_state::scenario(&props.scenario, &props.url_prefix);
        let speed = other
            .iter()
            .find(|(key, _)| key == "speed")
            .and_then(|(_, value)| value.parse::<f64>().ok())
            .unwrap_or(1.0);
        let mut widget = ServerWidget {
            live: LiveSim::new(&scenario),
            scenario,
            clock: Clock::at(speed),
            frame: None,
            positions: HashMap::new(),
            samples_drawn: 0,
            notes,
            summary: String::new(),
            summary_at_ms: f64::NEG_INFINITY,
            frame_times: FrameTimes::default(),
            diagram: NodeRef::default(),
            throughput: NodeRef::default(),
            latency: NodeRef::default(),
        };
        widget.refresh_summary(0.0);
        widget.schedule(ctx);
        widget
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(now_ms) => {
                let started = crate::environment::now_ms();
                let dt_s = self.clock.tick(now_ms);
                self.live.advance(dt_s);
                self.draw(true);
                self.frame_times
                    .record(crate::environment::now_ms() - started);
                if self.frame_times.len() % 30 == 0 {
                    let p95 = format!("{:.2}", self.frame_times.p95());
                    let _ = ctx.props().host.set_attribute("data-frame-p95-ms", &p95);
                }
                self.schedule(ctx);
                self.refresh_summary(now_ms)
            }
            Msg::Set(key, value) => {
                self.notes.clear();
                self.notes
                    .extend(params::set(&mut self.scenario, key, value));
                self.changed(ctx)
            }
            Msg::Server(name) => {
                params::apply(&mut self.scenario, "server", &name);
                self.changed(ctx)
            }
            Msg::Toggle => {
                if self.clock.toggle() {
                    self.schedule(ctx);
                } else {
                    self.frame = None;
                }
                true
            }
            Msg::Step => {
                self.live.step();
                self.draw(false);
                self.refresh_summary(f64::INFINITY);
                true
            }
            Msg::Reset => {
                self.scenario = ctx.props().scenario.clone();
                self.notes.clear();
                self.live = LiveSim::new(&self.scenario);
                self.positions.clear();
                self.samples_drawn = 0;
                url_state::write(&ctx.props().url_prefix, &[]);
                self.draw(false);
                true
            }
            Msg::Speed(speed) => {
                self.clock.set_speed(speed);
                self.write_url(ctx);
                true
            }
            Msg::Preset(index) => {
                if let Some(preset) = presets::for_widget(&ctx.props().widget).get(index) {
                    (preset.apply)(&mut self.scenario);
                    self.notes.clear();
                }
                self.changed(ctx)
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let widget = ctx.props().widget.as_str();
        let transport = html! {
            <Transport playing={self.clock.playing} speed={self.clock.speed}
                on_toggle={link.callback(|()| Msg::Toggle)}
                on_step={link.callback(|()| Msg::Step)}
                on_reset={link.callback(|()| Msg::Reset)}
                on_speed={link.callback(Msg::Speed)} />
        };
        html! {
            <div class="live-widget">
                { transport }
                { self.view_presets(ctx) }
                <div class="widget-controls">
                    { self.view_server_choice(ctx) }
                    { for self.slider_keys(widget).iter().map(|key| self.view_slider(ctx, key)) }
                </div>
                { for self.notes.iter().map(|note| html! { <p class="widget-note" role="status">{ note }</p> }) }
                if self.live.capped {
                    <p class="widget-note">{ "Simulating as fast as a frame allows: slower than the chosen speed." }</p>
                }
                if widget == "greenlet" {
                    <code_panes::CodePanes sim_state={code_panes::PaneState::of(self.live.sim())}
                        blocking={self.scenario.blocking_share > 0.0} />
                }
                <canvas class="widget-diagram" ref={self.diagram.clone()} role="img"
                    aria-label="Diagram: clients, the backlog and the server, with each request drawn where it is"></canvas>
                <div class="widget-charts">
                    <canvas ref={self.throughput.clone()} role="img" aria-label="Throughput over simulated time"></canvas>
                    <canvas ref={self.latency.clone()} role="img" aria-label="Latency percentiles over simulated time"></canvas>
                </div>
                <p class="widget-summary" aria-live="polite">{ &self.summary }</p>
            </div>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            let _ = ctx.props().host.set_attribute("data-live", "");
        }
        self.samples_drawn = 0;
        self.draw(false);
    }
}

impl ServerWidget {
    fn schedule(&mut self, ctx: &Context<Self>) {
        if self.clock.playing {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |ms| {
                link.send_message(Msg::Frame(ms))
            }));
        }
    }

    /// The scenario changed: a new simulation from now on, and the URL follows.
    fn changed(&mut self, ctx: &Context<Self>) -> bool {
        if let Err(err) = self.scenario.validate() {
            self.notes.push(format!("not applied: {err}"));
            return true;
        }
        self.live.restart(&self.scenario);
        self.positions.clear();
        self.write_url(ctx);
        self.draw(false);
        true
    }

    fn write_url(&self, ctx: &Context<Self>) {
        let mut pairs: Vec<(&str, String)> =
            vec![("server", self.scenario.server.name().to_string())];
        for key in self.slider_keys(&ctx.props().widget) {
            pairs.push((key, params::get(&self.scenario, key).to_string()));
        }
        if self.clock.speed != 1.0 {
            pairs.push(("speed", self.clock.speed.to_string()));
        }
        url_state::write(&ctx.props().url_prefix, &pairs);
    }

    fn slider_keys(&self, widget: &str) -> Vec<&'static str> {
        let load = if self.scenario.arrival_rate.is_some() {
            "arrival_rate"
        } else {
            "clients"
        };
        let mut keys = vec![load, "cpu_ms", "io_ms"];
        if widget == "sync-server" || self.scenario.effective_workers() > 1 {
            keys.insert(0, "workers");
        }
        if widget == "sync-server" {
            keys.push("cores");
        }
        keys
    }

    fn view_slider(&self, ctx: &Context<Self>, key: &'static str) -> Html {
        let Some(param) = params::find(key) else {
            return Html::default();
        };
        let label = if key == "workers" && self.scenario.server.is_event_loop() {
            "Processes"
        } else {
            param.label
        };
        html! {
            <Slider name={key} label={label} unit={param.unit} min={param.min} max={param.max}
                value={params::get(&self.scenario, key)} log={param.log} integer={param.integer}
                on_change={ctx.link().callback(move |v| Msg::Set(key, v))} />
        }
    }

    fn view_server_choice(&self, ctx: &Context<Self>) -> Html {
        let choices: &[ServerKind] = match ctx.props().widget.as_str() {
            "sync-server" => &[ServerKind::Processes, ServerKind::Threads],
            "async-server" => &[ServerKind::Asyncio, ServerKind::Uvloop],
            _ => return Html::default(),
        };
        let on_change = ctx.link().callback(|e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            Msg::Server(select.value())
        });
        html! {
            <label class="widget-choice">{ "Server" }
                <select name="server" onchange={on_change}>
                    { for choices.iter().map(|kind| html! {
                        <option value={kind.name()} selected={*kind == self.scenario.server}>{ kind.name() }</option>
                    }) }
                </select>
            </label>
        }
    }

    fn view_presets(&self, ctx: &Context<Self>) -> Html {
        let presets = presets::for_widget(&ctx.props().widget);
        if presets.is_empty() {
            return Html::default();
        }
        html! {
            <div class="widget-presets" role="group" aria-label="Presets">
                { for presets.iter().enumerate().map(|(index, preset)| html! {
                    <button type="button" onclick={ctx.link().callback(move |_| Msg::Preset(index))}>{ preset.name }</button>
                }) }
            </div>
        }
    }

    /// Draws the diagram (every frame while playing, for movement) and the charts (when
    /// a new sample came in, or when `force`d by a change).
    fn draw(&mut self, animate: bool) {
        let reduced_motion = crate::environment::reduced_motion();
        if let Some(canvas) = self.diagram.cast::<HtmlCanvasElement>() {
            let layout = canvas::css_size(&canvas)
                .map(|(w, h)| chart::Diagram::of(self.live.sim()).layout(w, h));
            if let Some(layout) = layout {
                let mut next = HashMap::with_capacity(layout.dots.len());
                for dot in &layout.dots {
                    let target = (dot.x, dot.y);
                    let shown = match self.positions.get(&dot.id) {
                        Some(&(x, y)) if animate && !reduced_motion => {
                            (x + (target.0 - x) * 0.35, y + (target.1 - y) * 0.35)
                        }
                        _ => target,
                    };
                    next.insert(dot.id, shown);
                }
                self.positions = next;
                let positions = &self.positions;
                canvas::draw_with(&canvas, |area, palette, scale| {
                    chart::draw_diagram(
                        area,
                        &layout,
                        &|dot| positions.get(&dot.id).copied().unwrap_or((dot.x, dot.y)),
                        palette,
                        scale,
                    )
                });
            }
        }
        let samples = self.live.history().len();
        if samples == self.samples_drawn && self.samples_drawn != 0 && animate {
            return;
        }
        self.samples_drawn = samples;
        let x_range = self.live.x_range();
        let throughput = self.live.series(|s| s.throughput);
        if let Some(canvas) = self.throughput.cast::<HtmlCanvasElement>() {
            let chart = chart::LineChart {
                x_label: "simulated time (s)",
                y_label: "throughput (requests/s)",
                x_range,
                series: vec![chart::Series {
                    label: "throughput",
                    points: &throughput,
                }],
                x_log: false,
                marker: None,
            };
            canvas::draw_line_chart(&canvas, &chart);
        }
        let (p50, p95, p99) = (
            self.live.series(|s| s.p50),
            self.live.series(|s| s.p95),
            self.live.series(|s| s.p99),
        );
        if let Some(canvas) = self.latency.cast::<HtmlCanvasElement>() {
            let chart = chart::LineChart {
                x_label: "simulated time (s)",
                y_label: "latency (ms)",
                x_range,
                series: vec![
                    chart::Series {
                        label: "p50",
                        points: &p50,
                    },
                    chart::Series {
                        label: "p95",
                        points: &p95,
                    },
                    chart::Series {
                        label: "p99",
                        points: &p99,
                    },
                ],
                x_log: false,
                marker: None,
            };
            canvas::draw_line_chart(&canvas, &chart);
        }
    }

    /// The figures in words; rate-limited, as screen readers announce every change.
    fn refresh_summary(&mut self, now_ms: f64) -> bool {
        if now_ms - self.summary_at_ms < SUMMARY_EVERY_MS {
            return false;
        }
        self.summary_at_ms = now_ms;
        let sim = self.live.sim();
        let w = sim.window();
        let server = if self.scenario.server.is_event_loop() {
            format!(
                "{} event loop{}",
                self.scenario.server.name(),
                if self.scenario.processes() == 1 {
                    ""
                } else {
                    "s"
                }
            )
        } else {
            format!(
                "{} of {} {} busy",
                w.busy_workers,
                self.scenario.effective_workers(),
                self.scenario.server.name()
            )
        };
        self.summary = format!(
            "At {:.1} s: throughput {:.1} requests/s; latency p50 {:.0} ms, p99 {:.0} ms; {} waiting in the backlog; {}; {} refused so far.",
            sim.now_s(),
            w.throughput_rps,
            w.p50_ms,
            w.p99_ms,
            w.queue_len,
            server,
            w.dropped,
        );
        true
    }
}
