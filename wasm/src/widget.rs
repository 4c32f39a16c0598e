//! The one widget scaffold: every widget is this component around its figure. It owns the
//! settings (the block's, the link's, the reader's), the clock and the frame loop, pauses
//! off screen, draws each panel of the figure when it changed, keeps the caption's live
//! values and the challenges up to date, asks for a prediction first when the block says
//! so, and offers the controls, presets and downloads. The figure (`chart::Figure`)
//! supplies the simulation and the drawing; this file knows no widget by name.

use chart::{Figure, Look};
use contract::values::{self, set_clamped};
use contract::{Key, LiveValue, Placeholder, Scenario, Value, WidgetKind, WidgetValues};
use gloo::render::{request_animation_frame, AnimationFrame};
use web_sys::{Element, HtmlCanvasElement, HtmlInputElement};
use yew::prelude::*;

use crate::clock::Clock;
use crate::controls::{Control, Transport};
use crate::frame_times::FrameTimes;
use crate::visibility::Visibility;
use crate::{canvas, environment, page, url_state};

/// What every widget is given: its placeholder element (which gets `data-live` once
/// running), the validated block, and its keys' prefix in the URL (`w2.`, or empty on
/// an embed page).
#[derive(Properties, PartialEq, Clone)]
pub struct WidgetProps {
    pub host: Element,
    pub placeholder: Placeholder,
    pub url_prefix: AttrValue,
}

pub enum Msg {
    Frame(f64),
    Number(Key, f64),
    Name(Key, String),
    Toggle,
    Step,
    Reset,
    Speed(f64),
    Preset(usize),
    /// The scenario the real servers were measured with.
    Measured,
    Visible(bool),
    Guess,
    Download(Export),
}

#[derive(Clone, Copy)]
pub enum Export {
    Scenario,
    Samples,
}

/// A prediction the block asks for.
enum Prediction {
    None,
    /// Waiting for the reader's guess; the figure does not run yet.
    Asking,
    /// The guess, and the simulated time the figure had run when it was made.
    Guessed {
        guess: f64,
    },
}

/// Summaries for screen readers change at most this often, and the caption's numbers.
const SUMMARY_EVERY_MS: f64 = 2000.0;
const VALUES_EVERY_MS: f64 = 500.0;
/// Wall time a frame may spend on background work (a load sweep), ms.
const WORK_MS_PER_FRAME: f64 = 8.0;
/// Simulated seconds before a prediction's answer is shown: the numbers settle first.
const ANSWER_AFTER_S: f64 = 12.0;

pub struct Widget {
    kind: WidgetKind,
    /// What Reset returns to.
    base: (Scenario, WidgetValues),
    scenario: Scenario,
    values: WidgetValues,
    figure: Figure,
    clock: Clock,
    frame: Option<AnimationFrame>,
    visible: bool,
    _visibility: Option<Visibility>,
    canvases: Vec<NodeRef>,
    guess: NodeRef,
    /// The version of each panel last drawn; `None` draws it next time.
    drawn: Vec<Option<u64>>,
    theme: environment::ThemeWatch,
    notes: Vec<String>,
    summary: String,
    summary_at_ms: f64,
    values_at_ms: f64,
    frame_times: FrameTimes,
    frames: u64,
    /// Simulated seconds run since the last change of settings.
    run_s: f64,
    prediction: Prediction,
    met: Vec<bool>,
}

impl Component for Widget {
    type Message = Msg;
    type Properties = WidgetProps;

    fn create(ctx: &Context<Self>) -> Self {
        let props = ctx.props();
        let placeholder = &props.placeholder;
        let kind = placeholder.kind;
        let embed = placeholder.options.embed;
        let block = (
            placeholder.scenario.clone(),
            placeholder.options.values.clone(),
        );
        // An embed page's link holds the figure; an article's link holds the reader's
        // changes to the block.
        let from_link = url_state::apply(kind, &block.0, &block.1, &props.url_prefix);
        let base = if embed {
            (from_link.scenario.clone(), from_link.values.clone())
        } else {
            block
        };
        let speed = from_link
            .other
            .iter()
            .find(|(key, _)| key == "speed")
            .and_then(|(_, value)| value.parse::<f64>().ok())
            .unwrap_or(1.0);
        let figure = Figure::new(
            kind,
            &from_link.scenario,
            &from_link.values,
            placeholder.options.measured.as_ref(),
        );
        let panels = figure.panels().len();
        let prediction = if placeholder.options.predict.is_some() {
            Prediction::Asking
        } else {
            Prediction::None
        };
        let mut clock = Clock::at(speed);
        if matches!(prediction, Prediction::Asking) {
            clock.toggle();
        }
        let link = ctx.link().clone();
        let visibility = Visibility::watch(&props.host, move |visible| {
            link.send_message(Msg::Visible(visible))
        });
        let met = placeholder
            .options
            .challenges
            .iter()
            .map(|c| page::challenge_met(&c.id))
            .collect();
        let mut widget = Widget {
            kind,
            base,
            scenario: from_link.scenario,
            values: from_link.values,
            figure,
            clock,
            frame: None,
            visible: true,
            _visibility: visibility,
            canvases: (0..panels).map(|_| NodeRef::default()).collect(),
            guess: NodeRef::default(),
            drawn: vec![None; panels],
            theme: environment::ThemeWatch::default(),
            notes: from_link.notes,
            summary: String::new(),
            summary_at_ms: f64::NEG_INFINITY,
            values_at_ms: f64::NEG_INFINITY,
            frame_times: FrameTimes::default(),
            frames: 0,
            run_s: 0.0,
            prediction,
            met,
        };
        widget.summary = widget.figure.summary();
        widget.schedule(ctx);
        widget
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(now_ms) => return self.frame(ctx, now_ms),
            Msg::Number(key, value) => {
                self.notes.clear();
                self.notes.extend(set_clamped(
                    &mut self.scenario,
                    &mut self.values,
                    key,
                    value,
                ));
                self.changed(ctx);
            }
            Msg::Name(key, name) => {
                self.notes.clear();
                match Value::parse(key, &name).and_then(|v| self.scenario.set(key, v)) {
                    Ok(()) => self.changed(ctx),
                    Err(err) => self.notes.push(format!("not applied: {err}")),
                }
            }
            Msg::Toggle => {
                if self.clock.toggle() {
                    self.schedule(ctx);
                } else {
                    self.frame = None;
                    self.draw(false);
                }
            }
            Msg::Step => {
                self.figure.step();
                self.draw(false);
                self.refresh(ctx, None);
            }
            Msg::Reset => {
                (self.scenario, self.values) = self.base.clone();
                self.notes.clear();
                self.changed(ctx);
                url_state::write(&ctx.props().url_prefix, &self.url_pairs(ctx));
            }
            Msg::Speed(speed) => {
                self.clock.set_speed(speed);
                self.write_url(ctx);
            }
            Msg::Preset(index) => {
                if let Some(preset) = self.kind.spec().presets.get(index) {
                    let (mut scenario, mut values) = (self.scenario.clone(), self.values.clone());
                    match preset.apply(&mut scenario, &mut values) {
                        Ok(()) => {
                            (self.scenario, self.values) = (scenario, values);
                            self.notes.clear();
                            self.changed(ctx);
                        }
                        Err(err) => self.notes.push(format!("preset not applied: {err}")),
                    }
                }
            }
            Msg::Measured => {
                if let Some(overlay) = &ctx.props().placeholder.options.measured {
                    self.scenario = overlay.scenario.clone();
                    self.notes.clear();
                    self.changed(ctx);
                }
            }
            Msg::Visible(visible) => {
                self.visible = visible;
                let _ = ctx
                    .props()
                    .host
                    .set_attribute("data-frames", &self.frames.to_string());
                if visible {
                    self.schedule(ctx);
                } else {
                    self.frame = None;
                }
            }
            Msg::Guess => {
                let guess = self
                    .guess
                    .cast::<HtmlInputElement>()
                    .and_then(|input| input.value().trim().parse::<f64>().ok())
                    .filter(|g| g.is_finite());
                match guess {
                    Some(guess) => {
                        self.prediction = Prediction::Guessed { guess };
                        self.run_s = 0.0;
                        if !self.clock.playing {
                            self.clock.toggle();
                        }
                        self.schedule(ctx);
                    }
                    None => self.notes = vec!["Type a number to guess, then run it.".into()],
                }
            }
            Msg::Download(export) => {
                let (name, mime, text) = match export {
                    Export::Scenario => (
                        format!("{}.toml", self.kind.name()),
                        "application/toml",
                        self.scenario.to_toml(),
                    ),
                    Export::Samples => (
                        format!("{}-samples.csv", self.kind.name()),
                        "text/csv",
                        self.figure.samples_csv(),
                    ),
                };
                page::download(&name, mime, &text);
                return false;
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let options = &ctx.props().placeholder.options;
        let offered = self.kind.spec().controls;
        let (shown, more): (Vec<Key>, Vec<Key>) = if options.controls.is_empty() {
            (offered.to_vec(), Vec::new())
        } else {
            offered.iter().partition(|k| options.controls.contains(k))
        };
        let class = classes!("live-widget", (!self.visible).then_some("widget-offscreen"));
        html! {
            <div class={class}>
                <Transport playing={self.clock.playing} speed={self.clock.speed}
                    on_toggle={link.callback(|()| Msg::Toggle)}
                    on_step={link.callback(|()| Msg::Step)}
                    on_reset={link.callback(|()| Msg::Reset)}
                    on_speed={link.callback(Msg::Speed)} />
                { self.view_prediction(ctx) }
                <div class="widget-controls">
                    { for shown.iter().map(|key| self.view_control(ctx, *key)) }
                </div>
                { for self.notes.iter().map(|note| html! { <p class="widget-note" role="status">{ note }</p> }) }
                if self.figure.capped() {
                    <p class="widget-note">{ "Simulating as fast as a frame allows: slower than the chosen speed." }</p>
                }
                if let Some(status) = self.figure.status() {
                    <p class="widget-status">{ status }</p>
                }
                { self.view_panels() }
                if let Some(extra) = self.figure.html() {
                    { Html::from_html_unchecked(extra.into()) }
                }
                <p class="widget-summary" aria-live="polite">{ &self.summary }</p>
                <details class="widget-more">
                    <summary>{ "More settings" }</summary>
                    <div class="widget-controls">
                        { for more.iter().map(|key| self.view_control(ctx, *key)) }
                    </div>
                    { self.view_presets(ctx) }
                    <p class="widget-exports">
                        <button type="button" name="download-scenario"
                            onclick={link.callback(|_| Msg::Download(Export::Scenario))}>{ "Download scenario (TOML)" }</button>
                        <button type="button" name="download-samples"
                            onclick={link.callback(|_| Msg::Download(Export::Samples))}>{ "Download samples (CSV)" }</button>
                    </p>
                </details>
            </div>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            let _ = ctx.props().host.set_attribute("data-live", "");
            self.show_challenges(ctx);
            self.refresh(ctx, None);
        }
        self.drawn.iter_mut().for_each(|d| *d = None);
        self.draw(false);
    }
}

impl Widget {
    fn schedule(&mut self, ctx: &Context<Self>) {
        let busy = self.clock.playing || self.figure.status().is_some();
        if busy && self.visible && self.frame.is_none() {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |ms| {
                link.send_message(Msg::Frame(ms))
            }));
        }
    }

    fn frame(&mut self, ctx: &Context<Self>, now_ms: f64) -> bool {
        self.frame = None;
        if !self.visible {
            return false;
        }
        let started = environment::now_ms();
        let dt_s = self.clock.tick(now_ms);
        self.figure.advance(dt_s);
        self.run_s += dt_s;
        let had_work = self.figure.status().is_some();
        while environment::now_ms() - started < WORK_MS_PER_FRAME {
            if self.figure.work(5_000) == 0 {
                break;
            }
        }
        self.draw(true);
        self.frames += 1;
        self.frame_times.record(environment::now_ms() - started);
        if self.frames % 30 == 0 {
            let host = &ctx.props().host;
            let _ = host.set_attribute(
                "data-frame-p95-ms",
                &format!("{:.2}", self.frame_times.p95()),
            );
            let _ = host.set_attribute("data-frames", &self.frames.to_string());
        }
        self.schedule(ctx);
        let rerender = self.refresh(ctx, Some(now_ms));
        rerender || had_work || self.figure.capped()
    }

    /// The settings changed: the figure restarts from now on, and the URL follows.
    fn changed(&mut self, ctx: &Context<Self>) {
        if let Err(err) = self.scenario.validate() {
            self.notes.push(format!("not applied: {err}"));
            return;
        }
        self.figure.restart(&self.scenario, &self.values);
        self.run_s = 0.0;
        self.drawn.iter_mut().for_each(|d| *d = None);
        self.write_url(ctx);
        self.draw(false);
        self.schedule(ctx);
    }

    fn url_pairs(&self, ctx: &Context<Self>) -> Vec<(&'static str, String)> {
        let embed = ctx.props().placeholder.options.embed;
        let mut pairs = url_state::pairs(
            (&self.scenario, &self.values),
            (&self.base.0, &self.base.1),
            embed,
        );
        if self.clock.speed != 1.0 {
            pairs.push(("speed", self.clock.speed.to_string()));
        }
        pairs
    }

    fn write_url(&self, ctx: &Context<Self>) {
        url_state::write(&ctx.props().url_prefix, &self.url_pairs(ctx));
    }

    /// Draws the panels that changed (every one when the theme did).
    fn draw(&mut self, animate: bool) {
        if self.theme.changed() {
            self.drawn.iter_mut().for_each(|d| *d = None);
        }
        let look = Look {
            palette: environment::palette(),
            scale: 1.0,
            now_ms: environment::now_ms(),
            animate: animate && !environment::reduced_motion(),
        };
        for index in 0..self.canvases.len() {
            let version = self.figure.version(index);
            if self.drawn[index] == Some(version) {
                continue;
            }
            let Some(element) = self.canvases[index].cast::<HtmlCanvasElement>() else {
                continue;
            };
            let figure = &mut self.figure;
            canvas::draw_with(&element, |area, palette, scale| {
                figure.draw(
                    index,
                    area,
                    &Look {
                        palette,
                        scale,
                        ..look
                    },
                )
            });
            self.drawn[index] = Some(version);
        }
    }

    /// A live value: the figure's measures, or a setting.
    fn value(&self, value: LiveValue) -> Option<f64> {
        match value {
            LiveValue::Setting(key) => values::number(&self.scenario, &self.values, key),
            other => self.figure.value(other),
        }
    }

    /// Updates the summary, the caption's numbers and the challenges, each at its pace
    /// (`None`: all of them now, as after a step). Returns whether the component must
    /// render again.
    fn refresh(&mut self, ctx: &Context<Self>, now_ms: Option<f64>) -> bool {
        let mut rerender = false;
        let due = |last: &mut f64, every: f64| match now_ms {
            None => true,
            Some(now) if now - *last >= every => {
                *last = now;
                true
            }
            Some(_) => false,
        };
        if due(&mut self.values_at_ms, VALUES_EVERY_MS) {
            let figure = page::figure_of(&ctx.props().host);
            if let Some(figure) = &figure {
                page::update_live_values(figure, |v| self.value(v));
            }
            let challenges = &ctx.props().placeholder.options.challenges;
            for (index, challenge) in challenges.iter().enumerate() {
                if !self.met[index] && challenge.met(&|v| self.value(v)) {
                    self.met[index] = true;
                    page::mark_challenge(figure.as_ref(), &challenge.id, true);
                }
            }
            rerender |= matches!(self.prediction, Prediction::Guessed { .. });
        }
        if due(&mut self.summary_at_ms, SUMMARY_EVERY_MS) {
            self.summary = self.figure.summary();
            rerender = true;
        }
        rerender
    }

    fn show_challenges(&self, ctx: &Context<Self>) {
        let figure = page::figure_of(&ctx.props().host);
        let challenges = &ctx.props().placeholder.options.challenges;
        for (challenge, met) in challenges.iter().zip(&self.met) {
            page::mark_challenge(figure.as_ref(), &challenge.id, *met);
        }
    }

    fn view_control(&self, ctx: &Context<Self>, key: Key) -> Html {
        if key.is_scenario() && !self.scenario.applies(key) {
            return Html::default();
        }
        let Some(value) = values::number(&self.scenario, &self.values, key)
            .or_else(|| matches!(key, Key::Server | Key::Service).then_some(0.0))
        else {
            return Html::default();
        };
        let label: Option<AttrValue> = match (key, self.kind) {
            (Key::Workers, WidgetKind::Compare) => Some("Sync workers".into()),
            (Key::Workers, _) if self.scenario.server.is_event_loop() => Some("Processes".into()),
            _ => None,
        };
        let choices: Vec<&'static str> = match key {
            Key::Server => self.kind.spec().servers.iter().map(|k| k.name()).collect(),
            _ => Vec::new(),
        };
        let name_value: AttrValue = match self.scenario.get(key) {
            Some(Value::Name(name)) => name.into(),
            _ => AttrValue::default(),
        };
        let link = ctx.link();
        html! {
            <Control key_={key} {label} {value} {name_value} {choices}
                on_number={link.callback(|(k, v)| Msg::Number(k, v))}
                on_name={link.callback(|(k, n)| Msg::Name(k, n))} />
        }
    }

    fn view_presets(&self, ctx: &Context<Self>) -> Html {
        let presets = self.kind.spec().presets;
        let measured = ctx.props().placeholder.options.measured.is_some();
        if presets.is_empty() && !measured {
            return Html::default();
        }
        html! {
            <div class="widget-presets" role="group" aria-label="Presets">
                { for presets.iter().enumerate().map(|(index, preset)| html! {
                    <button type="button" onclick={ctx.link().callback(move |_| Msg::Preset(index))}>{ preset.name }</button>
                }) }
                if measured {
                    <button type="button" name="measured" onclick={ctx.link().callback(|_| Msg::Measured)}>
                        { "Real servers, measured" }</button>
                }
            </div>
        }
    }

    fn view_panels(&self) -> Html {
        let panels = self.figure.panels();
        let mut rows: Vec<(chart::Row, Vec<Html>)> = Vec::new();
        for (index, panel) in panels.iter().enumerate() {
            let canvas = html! {
                <canvas ref={self.canvases[index].clone()} role="img" aria-label={panel.label}
                    class={classes!((panel.row == chart::Row::Diagram || panel.row == chart::Row::Pair).then_some("widget-diagram"))}></canvas>
            };
            let item = match self.figure.caption(index) {
                Some(caption) => html! {
                    <figure class="widget-panel"><figcaption>{ caption }</figcaption>{ canvas }</figure>
                },
                None => canvas,
            };
            match rows.last_mut() {
                Some((row, items)) if *row == panel.row => items.push(item),
                _ => rows.push((panel.row, vec![item])),
            }
        }
        html! {
            { for rows.into_iter().map(|(row, items)| html! {
                <div class={row.class()}>{ for items }</div>
            }) }
        }
    }

    fn view_prediction(&self, ctx: &Context<Self>) -> Html {
        let Some(target) = ctx.props().placeholder.options.predict else {
            return Html::default();
        };
        match self.prediction {
            Prediction::None => Html::default(),
            Prediction::Asking => {
                let onsubmit = ctx.link().callback(|e: SubmitEvent| {
                    e.prevent_default();
                    Msg::Guess
                });
                html! {
                    <form class="widget-predict" {onsubmit}>
                        <label>{ format!("Before it runs: guess {}.", target.describe()) }
                            <input ref={self.guess.clone()} type="number" name="guess" step="any" min="0" inputmode="decimal" required=true />
                        </label>
                        <button type="submit">{ "Run it" }</button>
                    </form>
                }
            }
            Prediction::Guessed { guess } => {
                let actual = self.value(target).filter(|_| self.run_s >= ANSWER_AFTER_S);
                let Some(actual) = actual else {
                    return html! {
                        <p class="widget-predict-result" role="status">{ format!("Your guess: {}. Running…", target.format(guess)) }</p>
                    };
                };
                let verdict = if actual == 0.0 {
                    "".to_string()
                } else {
                    let off = (guess - actual) / actual * 100.0;
                    if off.abs() < 10.0 {
                        format!(" You were within {:.0}%.", off.abs().max(1.0))
                    } else {
                        format!(
                            " You were {:.0}% too {}.",
                            off.abs(),
                            if off > 0.0 { "high" } else { "low" }
                        )
                    }
                };
                // Meters, not styled spans: the page's policy allows no inline styles.
                let top = (guess.max(actual) * 1.1).max(1e-9).to_string();
                let bar = |value: f64, class: &'static str| {
                    html! { <meter class={class} min="0" max={top.clone()} value={value.to_string()}></meter> }
                };
                html! {
                    <div class="widget-predict-result" role="status">
                        <p>{ format!("You guessed {}; the simulation gives {}.{verdict}", target.format(guess), target.format(actual)) }</p>
                        <div class="predict-bars" aria-hidden="true">
                            <span>{ "guess" }</span>{ bar(guess, "predict-guess") }
                            <span>{ "simulated" }</span>{ bar(actual, "predict-actual") }
                        </div>
                    </div>
                }
            }
        }
    }
}
