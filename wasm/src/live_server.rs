//! A live server widget: the block's scenario runs in the simulation as the reader
//! watches, with a chart of throughput over simulated time and sliders for the pool
//! size and the load. The model is owned here and advanced each animation frame.

use std::collections::VecDeque;

use gloo::render::{request_animation_frame, AnimationFrame};
use sim::{Scenario, Simulation};
use web_sys::{Element, HtmlCanvasElement, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LiveServerProps {
    /// The placeholder the widget lives in; it gets `data-live` once running.
    pub host: Element,
    pub scenario: Scenario,
    pub widget: String,
}

pub enum Msg {
    Frame(f64),
    SetWorkers(String),
    SetClients(String),
    TogglePlay,
    Reset,
}

/// Caps the events one frame may simulate, so a frame never stalls the page.
const MAX_EVENTS_PER_FRAME: u64 = 20_000;
/// Simulated seconds per second of wall time.
const SPEED: f64 = 1.0;
const SAMPLE_S: f64 = 0.25;
const HISTORY_S: f64 = 30.0;
const WORKERS: (u32, u32) = (1, 64);
const CLIENTS: (u32, u32) = (1, 500);

pub struct LiveServer {
    scenario: Scenario,
    sim: Simulation,
    /// (chart time, throughput) samples, oldest first.
    history: VecDeque<(f64, f64)>,
    /// Chart time at which the current simulation started (controls restart it).
    offset_s: f64,
    next_sample_s: f64,
    last_frame_ms: Option<f64>,
    frame: Option<AnimationFrame>,
    playing: bool,
    canvas: NodeRef,
    summary: String,
    note: Option<String>,
}

impl Component for LiveServer {
    type Message = Msg;
    type Properties = LiveServerProps;

    fn create(ctx: &Context<Self>) -> Self {
        let scenario = ctx.props().scenario.clone();
        let mut widget = LiveServer {
            sim: Simulation::new(&scenario),
            scenario,
            history: VecDeque::new(),
            offset_s: 0.0,
            next_sample_s: SAMPLE_S,
            last_frame_ms: None,
            frame: None,
            playing: true,
            canvas: NodeRef::default(),
            summary: String::new(),
            note: None,
        };
        widget.schedule(ctx);
        widget
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(now_ms) => {
                let dt_s = self
                    .last_frame_ms
                    .map_or(0.0, |last| (now_ms - last).clamp(0.0, 100.0) / 1000.0);
                self.last_frame_ms = Some(now_ms);
                self.advance(dt_s * SPEED);
                self.draw();
                self.schedule(ctx);
                self.refresh_summary()
            }
            Msg::SetWorkers(value) => {
                let workers = self.clamp("workers", &value, WORKERS);
                self.scenario.workers = Some(workers);
                self.restart();
                true
            }
            Msg::SetClients(value) => {
                let clients = self.clamp("clients", &value, CLIENTS);
                self.scenario.clients = Some(clients);
                self.scenario.arrival_rate = None;
                self.restart();
                true
            }
            Msg::TogglePlay => {
                self.playing = !self.playing;
                self.last_frame_ms = None;
                if self.playing {
                    self.schedule(ctx);
                } else {
                    self.frame = None;
                }
                true
            }
            Msg::Reset => {
                self.scenario = ctx.props().scenario.clone();
                self.history.clear();
                self.offset_s = 0.0;
                self.note = None;
                self.restart();
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let workers = self.scenario.workers.unwrap_or(1);
        let clients = self.scenario.clients.unwrap_or(0);
        let on_workers = link.callback(|e: InputEvent| Msg::SetWorkers(input_value(&e)));
        let on_clients = link.callback(|e: InputEvent| Msg::SetClients(input_value(&e)));
        html! {
            <div class="live-widget">
                <div class="widget-controls">
                    <button type="button" onclick={link.callback(|_| Msg::TogglePlay)}>
                        { if self.playing { "Pause" } else { "Play" } }
                    </button>
                    <button type="button" onclick={link.callback(|_| Msg::Reset)}>{ "Reset" }</button>
                    <label>{ "Workers" }
                        <input type="range" name="workers" min={WORKERS.0.to_string()} max={WORKERS.1.to_string()}
                            value={workers.to_string()} oninput={on_workers} />
                        <output>{ workers }</output>
                    </label>
                    if self.scenario.clients.is_some() {
                        <label>{ "Clients" }
                            <input type="range" name="clients" min={CLIENTS.0.to_string()} max={CLIENTS.1.to_string()}
                                value={clients.to_string()} oninput={on_clients} />
                            <output>{ clients }</output>
                        </label>
                    }
                </div>
                <canvas ref={self.canvas.clone()} role="img" aria-label="Throughput over simulated time"></canvas>
                <p class="widget-summary" aria-live="polite">{ &self.summary }</p>
                if let Some(note) = &self.note {
                    <p class="widget-note" role="status">{ note }</p>
                }
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

impl LiveServer {
    fn schedule(&mut self, ctx: &Context<Self>) {
        if self.playing {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |ms| {
                link.send_message(Msg::Frame(ms))
            }));
        }
    }

    fn advance(&mut self, dt_s: f64) {
        let target = self.sim.now_s() + dt_s;
        self.sim.advance_to(target, MAX_EVENTS_PER_FRAME);
        while self.next_sample_s <= self.sim.now_s() {
            let t = self.offset_s + self.next_sample_s;
            self.history
                .push_back((t, self.sim.window().throughput_rps));
            self.next_sample_s += SAMPLE_S;
        }
        while self
            .history
            .front()
            .is_some_and(|(t, _)| *t < self.chart_now() - HISTORY_S)
        {
            self.history.pop_front();
        }
    }

    fn chart_now(&self) -> f64 {
        self.offset_s + self.sim.now_s()
    }

    /// A control changed the scenario: the simulation starts over, the chart goes on.
    fn restart(&mut self) {
        self.offset_s = self.history.back().map_or(0.0, |(t, _)| *t);
        self.sim = Simulation::new(&self.scenario);
        self.next_sample_s = SAMPLE_S;
    }

    /// Parses a slider's value, clamping it to the range and saying so when it had to.
    fn clamp(&mut self, key: &str, value: &str, (min, max): (u32, u32)) -> u32 {
        let parsed = value.parse::<f64>().unwrap_or(f64::from(min));
        let clamped = parsed.clamp(f64::from(min), f64::from(max)).round() as u32;
        self.note = (parsed != f64::from(clamped))
            .then(|| format!("{key} was set to {clamped}: it ranges from {min} to {max}"));
        clamped
    }

    fn draw(&self) {
        let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        let points: Vec<(f64, f64)> = self.history.iter().copied().collect();
        let end = self.chart_now().max(HISTORY_S);
        let chart = chart::LineChart {
            x_label: "simulated time (s)",
            y_label: "throughput (requests/s)",
            x_range: (end - HISTORY_S, end),
            series: vec![chart::Series {
                label: "throughput",
                points: &points,
            }],
        };
        crate::canvas::draw(&canvas, &chart);
    }

    /// Rewrites the text summary at most twice a simulated second; true if it changed.
    fn refresh_summary(&mut self) -> bool {
        let window = self.sim.window();
        let summary = format!(
            "Throughput {:.1} requests/s; latency p50 {:.0} ms, p99 {:.0} ms; {} waiting in the backlog; {} of {} workers busy.",
            window.throughput_rps,
            window.p50_ms,
            window.p99_ms,
            window.queue_len,
            window.busy_workers,
            self.scenario.workers.unwrap_or(1),
        );
        if summary == self.summary {
            return false;
        }
        self.summary = summary;
        true
    }
}

fn input_value(event: &InputEvent) -> String {
    event.target_unchecked_into::<HtmlInputElement>().value()
}
