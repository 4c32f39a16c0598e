//! The one widget scaffold: every widget is this component around its figure. It owns the
//! settings (the block's, the link's, the reader's), the clock and the frame loop, pauses
//! off screen, draws each panel of the figure when it changed, keeps the caption's live
//! values and the challenges up to date, asks for a prediction first when the block says
//! so, narrates, replays, and offers the controls, presets and downloads. The figure
//! (`chart::Figure`) supplies the simulation and the drawing; this module knows no
//! widget by name.

mod narration;
mod replay;
mod view;

use chart::{Figure, Look, Runs};
use contract::values::{self, set_clamped};
use contract::{Key, LiveValue, Placeholder, Scenario, WidgetKind, WidgetValues};
use gloo::render::{request_animation_frame, AnimationFrame};
use web_sys::{Element, HtmlCanvasElement, HtmlInputElement};
use yew::prelude::*;

use crate::clock::Clock;
use crate::frame_times::FrameTimes;
use crate::resize::Resize;
use crate::visibility::Visibility;
use crate::{canvas, environment, page, url_state};
use narration::Narrator;
use replay::Replay;

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
    /// The reader points at (x, y) CSS pixels of a panel.
    Pick(usize, f64, f64),
    /// The reader asks to follow a recent request as slow as the p99.
    FollowP99,
    /// An arrow key on the diagram: follow the next request (or, false, the previous).
    PickNext(bool),
    Theory(bool),
    /// Run a prediction block without guessing.
    SkipGuess,
    Narrate(bool),
    /// Replay: show the moment this many simulated seconds into the run; `None` back to
    /// live.
    Scrub(Option<f64>),
    /// The widget changed size on the page.
    Resized,
    /// The reader's theme changed.
    Theme,
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
    Guessed {
        guess: f64,
        /// The simulation's value once its run is done, kept from then on: the run goes
        /// on, and its later numbers are no longer the caption's.
        answer: Option<f64>,
    },
}

/// Summaries change at most this often, and the caption's numbers.
const SUMMARY_EVERY_MS: f64 = 2000.0;
const VALUES_EVERY_MS: f64 = 500.0;
/// Wall time a frame may spend drawing panels, ms; at least one is drawn. On a slow
/// phone a widget's four to ten panels take several frames, each a short task, rather
/// than one long one that holds up the page.
const DRAW_MS_PER_FRAME: f64 = 6.0;
/// Simulated seconds before a prediction's answer is shown: a still figure's run, so that
/// the answer is the number its caption states (a shorter run's p99 saw a handful of
/// the rare heavy requests, and read 128 ms against the caption's 190).
const ANSWER_AFTER_S: f64 = chart::figure::STILL_S;

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
    _resize: Option<Resize>,
    canvases: Vec<NodeRef>,
    /// The canvas each panel was last drawn on: a render that replaces one (and only
    /// that) loses its picture.
    drawn_on: Vec<Option<HtmlCanvasElement>>,
    /// The height last set on each panel's canvas, where it follows the scenario.
    heights: Vec<Option<u32>>,
    guess: NodeRef,
    /// The version of each panel last drawn; `None` draws it next time.
    drawn: Vec<Option<u64>>,
    /// The panel a frame starts drawing at: a frame draws what its time allows, and the
    /// next one goes on from there, so no panel waits behind the others for long.
    draw_from: usize,
    /// Whether every panel was drawn once (then the placeholder gets `data-live`).
    shown: bool,
    _theme: Option<environment::ThemeChanges>,
    notes: Vec<String>,
    summary: String,
    summary_at_ms: f64,
    values_at_ms: f64,
    frame_times: FrameTimes,
    frames: u64,
    /// Steps taken since the last change of settings, in `data-steps` for tests.
    steps: u64,
    prediction: Prediction,
    met: Vec<bool>,
    theory: bool,
    narrator: Narrator,
    replay: Option<Replay>,
    story: Option<String>,
}

impl Component for Widget {
    type Message = Msg;
    type Properties = WidgetProps;

    fn create(ctx: &Context<Self>) -> Self {
        let props = ctx.props();
        let placeholder = &props.placeholder;
        let kind = placeholder.kind;
        let block = (
            placeholder.scenario.clone(),
            placeholder.options.values.clone(),
        );
        // An embed page's link holds the figure; an article's link holds the reader's
        // changes to the block.
        let from_link = url_state::apply(kind, &block.0, &block.1, &props.url_prefix);
        let base = if placeholder.options.embed {
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
        let mut figure = Figure::new(
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
            // The answer is measured as the caption's number is, over the same run.
            figure.hold_still();
        }
        let link = ctx.link().clone();
        let visibility = Visibility::watch(&props.host, move |visible| {
            link.send_message(Msg::Visible(visible))
        });
        let link = ctx.link().clone();
        let resize = Resize::watch(&props.host, move || link.send_message(Msg::Resized));
        let link = ctx.link().clone();
        let theme = environment::ThemeChanges::watch(move || link.send_message(Msg::Theme));
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
            _resize: resize,
            canvases: (0..panels).map(|_| NodeRef::default()).collect(),
            drawn_on: vec![None; panels],
            heights: vec![None; panels],
            guess: NodeRef::default(),
            drawn: vec![None; panels],
            draw_from: 0,
            shown: false,
            _theme: theme,
            notes: from_link.notes,
            summary: String::new(),
            summary_at_ms: f64::NEG_INFINITY,
            values_at_ms: f64::NEG_INFINITY,
            frame_times: FrameTimes::default(),
            frames: 0,
            steps: 0,
            prediction,
            met,
            theory: false,
            narrator: Narrator::default(),
            replay: None,
            story: None,
        };
        widget.summary = widget.summary_now();
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
                self.notes.extend(values::apply_text(
                    &mut self.scenario,
                    &mut self.values,
                    key,
                    &name,
                ));
                self.changed(ctx);
            }
            // Until the reader guesses (or skips), nothing runs: the answer would show.
            Msg::Toggle | Msg::Step if self.asking() => {
                if let Some(input) = self.guess.cast::<HtmlInputElement>() {
                    let _ = input.focus();
                }
                return false;
            }
            Msg::SkipGuess => {
                // Play, or Reset where the figure has no clock.
                self.focus_on(ctx, ".widget-transport button");
                self.prediction = Prediction::None;
                self.summary_at_ms = f64::NEG_INFINITY;
                if !self.clock.playing {
                    self.clock.toggle();
                }
                self.schedule(ctx);
            }
            Msg::Toggle => {
                self.replay = None;
                if self.clock.toggle() {
                    self.schedule(ctx);
                } else {
                    self.frame = None;
                    // Drawn again at rest: markers at their stations, not mid-move; and
                    // the summary told now, not at its next turn, which a pause never
                    // reaches.
                    self.redraw_all();
                    self.refresh(ctx, None);
                }
            }
            Msg::Step => {
                self.replay = None;
                self.figure.step();
                self.redraw_all();
                self.refresh(ctx, None);
                self.steps += 1;
                let _ = ctx
                    .props()
                    .host
                    .set_attribute("data-steps", &self.steps.to_string());
            }
            Msg::Reset => {
                (self.scenario, self.values) = self.base.clone();
                self.notes.clear();
                // From the start: the charts' history goes too, which a change of
                // settings keeps for comparison.
                self.figure = Figure::new(
                    self.kind,
                    &self.scenario,
                    &self.values,
                    ctx.props().placeholder.options.measured.as_ref(),
                );
                self.changed(ctx);
                url_state::write(&ctx.props().url_prefix, &self.url_pairs(ctx));
            }
            Msg::Speed(speed) => {
                self.clock.set_speed(speed);
                self.write_url(ctx);
            }
            Msg::Preset(index) => {
                if let Some(preset) = self.kind.spec().presets.get(index) {
                    // Over the block's own settings, not the reader's: a preset then shows
                    // the same thing whichever was picked before it (one that set a backlog
                    // limit left it under the next).
                    match preset.over(&self.base) {
                        Ok((scenario, values)) => {
                            (self.scenario, self.values) = (scenario, values);
                            self.notes.clear();
                            self.changed(ctx);
                        }
                        Err(err) => {
                            self.notes.clear();
                            self.notes.push(format!("preset not applied: {err}"));
                        }
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
                        self.focus_on(ctx, ".widget-transport button");
                        self.prediction = Prediction::Guessed {
                            guess,
                            answer: None,
                        };
                        self.summary_at_ms = f64::NEG_INFINITY;
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
            Msg::Pick(index, x, y) => {
                self.pick(|f| f.pick(index, x, y));
            }
            Msg::FollowP99 => {
                if !self.pick(|f| f.pick(chart::figure::LATENCY_PANEL, 0.0, 0.0)) {
                    self.story = Some(
                        "No request has replied yet: play the simulation for a moment.".into(),
                    );
                }
            }
            Msg::PickNext(forward) => {
                if !self.pick(|f| f.pick_next(forward)) {
                    self.story = Some("No request is on the diagram now.".into());
                }
            }
            Msg::Theory(on) => {
                self.theory = on;
                self.figure.show_theory(on);
                self.redraw_all();
            }
            Msg::Narrate(on) => self.narrator.on = on,
            Msg::Scrub(at) => {
                if at.is_none() {
                    self.focus_on(ctx, "input[name=replay]");
                }
                self.scrub(ctx, at);
            }
            Msg::Resized => {
                self.forget_stretched();
                self.schedule(ctx);
                return false;
            }
            Msg::Theme => {
                self.redraw_all();
                self.schedule(ctx);
                return false;
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        self.view_widget(ctx)
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            self.show_challenges(ctx);
            self.refresh(ctx, None);
        }
        // A render that replaced a canvas lost that panel's picture: it is drawn again in
        // the next frames, not in this task (mounting a widget would be one long task).
        // A canvas the render kept keeps its picture, and is not drawn again for nothing.
        // So does one the render moved to a new size.
        self.forget_stretched();
        self.schedule(ctx);
    }
}

impl Widget {
    /// Panels whose canvas a render replaced, or whose canvas no longer has the size its
    /// place on the page asks for, are drawn again in the next frames.
    fn forget_stretched(&mut self) {
        for (index, node) in self.canvases.iter().enumerate() {
            let canvas = node.cast::<HtmlCanvasElement>();
            // A height that follows the scenario is set through the CSSOM (the pages'
            // CSP refuses inline style attributes), on a new canvas or a new height only.
            let height = self.figure.height_px(index);
            if let (Some(canvas), Some(px)) = (&canvas, height) {
                if self.drawn_on[index].as_ref() != Some(canvas) || self.heights[index] != height {
                    let _ = canvas.style().set_property("height", &format!("{px}px"));
                    self.heights[index] = height;
                }
            }
            let resized = canvas.as_ref().is_some_and(canvas::resized);
            if canvas != self.drawn_on[index] || resized {
                self.drawn[index] = None;
                self.drawn_on[index] = canvas;
            }
        }
    }

    /// Every panel is drawn again, in the next frames (after a step, a pick, a pause:
    /// what they show changed without a new version).
    fn redraw_all(&mut self) {
        self.drawn.iter_mut().for_each(|d| *d = None);
    }

    /// Whether panel `index` shows the replay: during one, the replayed figure draws the
    /// diagram and the timeline (panels 0 and 1).
    fn replayed(&self, index: usize) -> bool {
        self.replay.is_some() && index < 2
    }

    /// What panel `index` shows now.
    fn panel_version(&self, index: usize) -> u64 {
        match &self.replay {
            Some(replay) if self.replayed(index) => replay.figure.version(index) * 2 + 1,
            _ => self.figure.version(index) * 2,
        }
    }

    /// Whether a panel shows less than it should: it was never drawn, or its figure
    /// moved on and a frame's drawing time ran out before it.
    fn stale(&self) -> bool {
        (0..self.drawn.len()).any(|index| self.drawn[index] != Some(self.panel_version(index)))
    }

    /// A replay on its way to the moment asked for (one that is there is a still).
    fn seeking(&self) -> bool {
        self.replay.as_ref().is_some_and(|r| !r.arrived())
    }

    fn asking(&self) -> bool {
        matches!(self.prediction, Prediction::Asking)
    }

    fn schedule(&mut self, ctx: &Context<Self>) {
        // A figure without a clock plays nothing: its frames are for its work alone.
        let playing = self.clock.playing && self.figure.runs() != Runs::InBackground;
        let busy = !self.asking() && (playing || self.figure.status().is_some() || self.seeking());
        let busy = busy || self.stale();
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
        // While a prediction waits for the guess, a frame only draws: nothing may run,
        // or the answer would show.
        let runs = !self.asking();
        // Asked before the clock's advance, which runs a background figure's work too: a
        // batch that ends inside it must still tell its summary now, as no frame may
        // follow this one.
        let had_work = runs && (self.figure.status().is_some() || self.seeking());
        // Paused, no time passes: advancing by nothing would still give the figure a new
        // version, and a frame to draw it, every frame.
        // A prediction's run stops at its end exactly, where its answer is read.
        let dt_s = if self.answer_pending() {
            dt_s.min((ANSWER_AFTER_S - self.figure.sim_time_s()).max(0.0))
        } else {
            dt_s
        };
        if runs && self.replay.is_none() && dt_s > 0.0 {
            self.figure.advance(dt_s);
        }
        let slice = self
            .replay
            .as_ref()
            .map_or(&self.figure, |r| &r.figure)
            .work_ms_per_frame();
        while runs && environment::now_ms() - started < slice {
            if let Some(replay) = &mut self.replay {
                if replay.seek() {
                    break;
                }
            } else if self.figure.work(5_000) == 0 {
                break;
            }
        }
        let answered = self.record_answer(ctx);
        self.draw(self.clock.playing);
        if !self.shown && self.drawn.iter().all(Option::is_some) {
            self.shown = true;
            let _ = ctx.props().host.set_attribute("data-live", "");
        }
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
        if had_work && self.figure.status().is_none() {
            // The work is done, and a paused widget may get no frame after this one: the
            // summary, the caption's numbers and the challenges tell its outcome now
            // rather than at their next turn (the context-switch caption kept the
            // numbers of the settings before).
            self.summary_at_ms = f64::NEG_INFINITY;
            self.values_at_ms = f64::NEG_INFINITY;
        }
        let rerender = self.refresh(ctx, Some(now_ms));
        rerender || answered || had_work || self.figure.capped()
    }

    /// Picks a request (as `how` says) in the figure shown (the replay's, when there is
    /// one) and tells its story; false when there was none to pick.
    fn pick(&mut self, how: impl FnOnce(&mut chart::Figure) -> bool) -> bool {
        let shown = self
            .replay
            .as_mut()
            .map_or(&mut self.figure, |r| &mut r.figure);
        let picked = how(shown);
        self.story = picked.then(|| shown.story()).flatten();
        self.redraw_all();
        picked
    }

    /// A guess waits for its answer.
    fn answer_pending(&self) -> bool {
        matches!(self.prediction, Prediction::Guessed { answer: None, .. })
    }

    /// Reads a pending prediction's answer once its run is done: after a still figure's
    /// simulated seconds, or when a figure without a clock has finished its work. True
    /// when it was read now.
    fn record_answer(&mut self, ctx: &Context<Self>) -> bool {
        let done = if self.figure.runs() == Runs::InBackground {
            self.figure.status().is_none()
        } else {
            self.figure.sim_time_s() >= ANSWER_AFTER_S
        };
        if !self.answer_pending() || !done {
            return false;
        }
        let value = ctx
            .props()
            .placeholder
            .options
            .predict
            .and_then(|target| self.value(target));
        if let Prediction::Guessed { answer, .. } = &mut self.prediction {
            *answer = value;
        }
        value.is_some()
    }

    /// Moves the keyboard focus to a control of this widget. The guess form and the
    /// "Back to live" button go away once pressed, and focus on a removed element falls
    /// back to the page, where the next key would scroll it.
    fn focus_on(&self, ctx: &Context<Self>, selector: &str) {
        if let Ok(Some(element)) = ctx.props().host.query_selector(selector) {
            // The selectors name a button and an input: HTML elements.
            let element: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(element);
            let _ = element.focus();
        }
    }

    /// The settings changed: the figure restarts from now on, and the URL follows.
    fn changed(&mut self, ctx: &Context<Self>) {
        if let Err(err) = self.scenario.validate() {
            self.notes.push(format!("not applied: {err}"));
            return;
        }
        self.figure.restart(&self.scenario, &self.values);
        self.figure.show_theory(self.theory);
        self.steps = 0;
        self.replay = None;
        self.story = None;
        self.redraw_all();
        self.write_url(ctx);
        self.schedule(ctx);
    }

    /// Replay a moment `at` simulated seconds into the run, or go back to live.
    fn scrub(&mut self, ctx: &Context<Self>, at: Option<f64>) {
        let Some(at) = at else {
            self.replay = None;
            self.redraw_all();
            return;
        };
        if self.clock.playing {
            self.clock.toggle();
        }
        let at = at.clamp(0.0, self.figure.sim_time_s());
        let fresh = match &self.replay {
            // Forward from where the replay is: no need to start over.
            Some(replay) if replay.at_s <= at => None,
            _ => Some(Figure::new(
                self.kind,
                &self.scenario,
                &self.values,
                ctx.props().placeholder.options.measured.as_ref(),
            )),
        };
        match (fresh, &mut self.replay) {
            (Some(figure), _) => self.replay = Some(Replay::new(figure, at)),
            (None, Some(replay)) => replay.target_s = at,
            (None, None) => {}
        }
        self.redraw_all();
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

    /// Draws the panels that changed. During a replay, the replayed figure draws the
    /// diagram and the timeline.
    fn draw(&mut self, animate: bool) {
        let look = Look {
            palette: environment::palette(),
            scale: 1.0,
            now_ms: environment::now_ms(),
            animate: animate && !environment::reduced_motion(),
        };
        let started = environment::now_ms();
        let count = self.canvases.len();
        for offset in 0..count {
            let index = (self.draw_from + offset) % count;
            if offset > 0 && environment::now_ms() - started >= DRAW_MS_PER_FRAME {
                self.draw_from = index;
                break;
            }
            let version = self.panel_version(index);
            if self.drawn[index] == Some(version) {
                continue;
            }
            let replayed = self.replayed(index);
            let figure = match &mut self.replay {
                Some(replay) if replayed => &mut replay.figure,
                _ => &mut self.figure,
            };
            let Some(element) = self.canvases[index].cast::<HtmlCanvasElement>() else {
                continue;
            };
            let drew = canvas::draw_with(&element, |area, palette, scale| {
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
            if drew {
                self.drawn[index] = Some(version);
            }
        }
    }

    /// A live value: the figure's measures, or a setting.
    fn value(&self, value: LiveValue) -> Option<f64> {
        match value {
            LiveValue::Setting(key) => values::number(&self.scenario, &self.values, key),
            other => self.figure.value(other),
        }
    }

    /// Updates the summary, the narration, the caption's numbers and the challenges,
    /// each at its pace (`None`: all of them now, as after a step). Returns whether the
    /// component must render again.
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
                match (&self.prediction, ctx.props().placeholder.options.predict) {
                    (Prediction::Asking, Some(target)) => page::hide_live_value(figure, target),
                    _ => page::update_live_values(figure, |v| self.value(v)),
                }
            }
            let challenges = &ctx.props().placeholder.options.challenges;
            let settled = self.figure.settled();
            for (index, challenge) in challenges.iter().enumerate() {
                if settled && !self.met[index] && challenge.met(&|v| self.value(v)) {
                    self.met[index] = true;
                    page::mark_challenge(figure.as_ref(), &challenge.id, true);
                }
            }
            rerender |= matches!(self.prediction, Prediction::Guessed { .. });
            let now = now_ms.unwrap_or_else(environment::now_ms);
            rerender |= self.narrator.hear(self.figure.notices(), now);
        }
        if due(&mut self.summary_at_ms, SUMMARY_EVERY_MS) {
            self.summary = self.summary_now();
            rerender = true;
        }
        rerender
    }

    /// The figure's summary, except while a prediction waits for the guess: nothing has
    /// run, and a line of zeros would read as a result.
    fn summary_now(&self) -> String {
        if self.asking() {
            "Nothing has run yet: make your guess, then run it.".into()
        } else {
            self.figure.summary()
        }
    }

    fn show_challenges(&self, ctx: &Context<Self>) {
        let figure = page::figure_of(&ctx.props().host);
        let challenges = &ctx.props().placeholder.options.challenges;
        for (challenge, met) in challenges.iter().zip(&self.met) {
            page::mark_challenge(figure.as_ref(), &challenge.id, *met);
        }
    }
}
