//! What the scaffold shows: the transport, the prediction, the block's controls, the
//! figure's panels (click one to follow a request, or step through the diagram's with the
//! arrow keys), the replay scrubber, the summary and
//! the narration, the theory overlay's switch where queueing theory has an answer, and
//! under "More settings" the other controls, presets, narration and downloads.

use chart::Runs;
use contract::values;
use contract::{Key, Value, WidgetKind};
use web_sys::{HtmlInputElement, KeyboardEvent, MouseEvent};
use yew::prelude::*;

use super::{Export, Msg, Prediction, Widget, ANSWER_AFTER_S};
use crate::controls::{Control, Transport};

impl Widget {
    pub(super) fn view_widget(&self, ctx: &Context<Self>) -> Html {
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
                <Transport runs={self.figure.runs()} playing={self.clock.playing} asking={self.asking()} speed={self.clock.speed}
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
                // While a prediction waits for the guess nothing runs: no "0% done…".
                if let Some(status) = self.figure.status().filter(|_| !self.asking()) {
                    <p class="widget-status">{ status }</p>
                }
                { self.view_panels(ctx) }
                { self.view_replay(ctx) }
                if let Some(story) = &self.story {
                    <p class="widget-story" role="status">{ story }</p>
                }
                if let Some(extra) = self.figure.html() {
                    { Html::from_html_unchecked(extra.into()) }
                }
                <p class="widget-summary">{ &self.summary }</p>
                if self.figure.theory_available() {
                    <p class="widget-options widget-theory">
                        <label><input type="checkbox" name="theory" checked={self.theory}
                            onchange={link.callback(|e: Event| Msg::Theory(e.target_unchecked_into::<HtmlInputElement>().checked()))} />
                            { "Show what queueing theory predicts" }</label>
                    </p>
                }
                <p class="widget-narration" aria-live="polite">{ if self.narrator.on { self.narrator.said() } else { String::new() } }</p>
                <details class="widget-more">
                    <summary>{ "More settings" }</summary>
                    <div class="widget-controls">
                        { for more.iter().map(|key| self.view_control(ctx, *key)) }
                    </div>
                    { self.view_presets(ctx) }
                    <p class="widget-options">
                        <label><input type="checkbox" name="narrate" checked={self.narrator.on}
                            onchange={link.callback(|e: Event| Msg::Narrate(e.target_unchecked_into::<HtmlInputElement>().checked()))} />
                            { "Announce changes to screen readers" }</label>
                    </p>
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

    fn view_control(&self, ctx: &Context<Self>, key: Key) -> Html {
        if key.is_scenario() && !self.scenario.applies(key) {
            return Html::default();
        }
        let Some(value) = values::number(&self.scenario, &self.values, key)
            .or_else(|| matches!(key, Key::Server | Key::Service | Key::Abandon).then_some(0.0))
        else {
            return Html::default();
        };
        let label: Option<AttrValue> = match (key, self.kind) {
            (Key::Workers, WidgetKind::Compare) => Some("Sync workers".into()),
            (Key::Workers, _) if self.scenario.server.is_event_loop() => Some("Processes".into()),
            (Key::Workers, _) if self.scenario.server == contract::ServerKind::Threads => {
                Some("Processes".into())
            }
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
        let home = values::number(&self.base.0, &self.base.1, key);
        let link = ctx.link();
        html! {
            <Control key_={key} {label} {value} {home} {name_value} {choices}
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

    fn view_panels(&self, ctx: &Context<Self>) -> Html {
        let panels = self.figure.panels();
        let mut rows: Vec<(chart::Row, Vec<Html>)> = Vec::new();
        let pickable = self.figure.replayable();
        for (index, panel) in panels.iter().enumerate() {
            let diagram = matches!(panel.row, chart::Row::Diagram | chart::Row::Pair);
            let onclick = pickable.then(|| {
                ctx.link().callback(move |e: MouseEvent| {
                    Msg::Pick(index, f64::from(e.offset_x()), f64::from(e.offset_y()))
                })
            });
            // The keyboard picks on the diagram too: its arrow keys step through the
            // requests on it.
            let keyboard = pickable && panel.row == chart::Row::Diagram;
            let onkeydown = keyboard.then(|| {
                ctx.link().batch_callback(|e: KeyboardEvent| {
                    let forward = match e.key().as_str() {
                        "ArrowRight" | "ArrowDown" => true,
                        "ArrowLeft" | "ArrowUp" => false,
                        _ => return None,
                    };
                    e.prevent_default();
                    Some(Msg::PickNext(forward))
                })
            });
            let label = if keyboard {
                format!("{}. Arrow keys pick a request to follow.", panel.label)
            } else {
                panel.label.to_string()
            };
            let canvas = html! {
                <canvas ref={self.canvases[index].clone()} role="img" aria-label={label}
                    tabindex={keyboard.then_some("0")} {onclick} {onkeydown}
                    class={classes!(diagram.then_some("widget-diagram"), pickable.then_some("pickable"))}></canvas>
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

    /// The scrubber over the seconds since the settings last changed, and a way to
    /// follow a slow request without a mouse.
    fn view_replay(&self, ctx: &Context<Self>) -> Html {
        if !self.figure.replayable() {
            return Html::default();
        }
        let end = self.figure.sim_time_s();
        let tenths = (end * 10.0).floor().max(1.0);
        // Live is the scrubber's end, even before a tenth of a second has run (the
        // range is never shorter than one step).
        let value = match &self.replay {
            Some(r) => (r.target_s * 10.0).floor().min(tenths),
            None => tenths,
        };
        // The scrubber's end is live, so End and the last arrow step go back to it.
        let oninput = ctx.link().callback(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let at = input.value().parse::<f64>().ok().filter(|t| *t < tenths);
            Msg::Scrub(at.map(|t| t / 10.0))
        });
        let state = match &self.replay {
            Some(r) if !r.arrived() => {
                format!("Replaying: going to {:.1} s…", r.target_s)
            }
            Some(r) => format!("Replay at {:.1} s of {end:.1} s", r.at_s),
            None => format!("Live, {end:.1} s"),
        };
        html! {
            <div class="widget-replay">
                <label><span>{ "Replay" }</span>
                    <input type="range" name="replay" min="0" max={tenths.to_string()} step="1"
                        value={value.to_string()} aria-valuetext={state.clone()} {oninput} />
                </label>
                <output>{ state }</output>
                if self.replay.is_some() {
                    <button type="button" name="live" onclick={ctx.link().callback(|_| Msg::Scrub(None))}>{ "Back to live" }</button>
                }
                <button type="button" name="follow-p99" onclick={ctx.link().callback(|_| Msg::FollowP99)}>
                    { "Follow a p99 request" }</button>
            </div>
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
                        <button type="button" name="skip-guess" class="widget-skip"
                            onclick={ctx.link().callback(|_| Msg::SkipGuess)}>{ "Skip" }</button>
                    </form>
                }
            }
            Prediction::Guessed { guess, answer } => {
                let Some(actual) = answer else {
                    let running = format!(
                        "Your guess: {}. Running the simulation…",
                        target.format(guess)
                    );
                    let clocked = self.figure.runs() != Runs::InBackground;
                    let run_s = self.figure.sim_time_s().min(ANSWER_AFTER_S);
                    return html! {
                        <div class="widget-predict-result">
                            <p role="status">{ running }</p>
                            if clocked {
                                <p class="widget-predict-progress">
                                    <label>{ format!("{:.0} of {ANSWER_AFTER_S:.0} simulated seconds (a faster speed gets there sooner) ", run_s.floor()) }
                                        <progress max={ANSWER_AFTER_S.to_string()} value={run_s.to_string()}></progress>
                                    </label>
                                </p>
                            }
                        </div>
                    };
                };
                let verdict = if actual == 0.0 {
                    String::new()
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
