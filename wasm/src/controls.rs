//! Controls shared by the widgets, all read from the table of keys: a labelled slider
//! that moves through distinct stops (so every arrow key press changes the value, on a
//! log scale where the range spans decades), a choice for keys with names, and the
//! transport: play or pause, one event at a time, reset, and the speed of simulated time
//! (each where the figure's way of running gives it a meaning).

use chart::Runs;
use contract::key::{Accepts, Key, Scale};
use contract::values::{nearest_stop, stops, with_stop, with_unit};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ControlProps {
    pub key_: Key,
    /// The label shown, when it differs from the table's ("Processes" for `workers` of
    /// an event loop).
    #[prop_or_default]
    pub label: Option<AttrValue>,
    /// The value shown: a number, or a name for choice keys.
    pub value: f64,
    /// The value the widget starts from (its block's), which the slider must be able to
    /// come back to.
    #[prop_or_default]
    pub home: Option<f64>,
    #[prop_or_default]
    pub name_value: AttrValue,
    /// The names offered for a choice key (default: every name the key accepts).
    #[prop_or_default]
    pub choices: Vec<&'static str>,
    pub on_number: Callback<(Key, f64)>,
    pub on_name: Callback<(Key, String)>,
}

/// One control for one key.
#[function_component]
pub fn Control(props: &ControlProps) -> Html {
    let key = props.key_;
    // A choice the widget changes (a preset, a reset) must show in its list: once the
    // reader has picked an option, the list no longer follows the options' `selected`
    // attributes, so its value is set.
    let select = use_node_ref();
    {
        let select = select.clone();
        use_effect_with(props.name_value.clone(), move |name| {
            if let Some(select) = select.cast::<HtmlSelectElement>() {
                select.set_value(name);
            }
        });
    }
    let Some(control) = key.control() else {
        return Html::default();
    };
    let label = props.label.clone().unwrap_or_else(|| control.label.into());
    if let Accepts::Choice(all) = key.accepts() {
        let choices = if props.choices.is_empty() {
            all.to_vec()
        } else {
            props.choices.clone()
        };
        let on_name = props.on_name.clone();
        let onchange = Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            on_name.emit((key, select.value()));
        });
        return html! {
            <label class="widget-choice"><span>{ label }</span>
                <select name={key.name()} ref={select} {onchange}>
                    { for choices.iter().map(|name| html! {
                        <option value={*name} selected={*name == props.name_value.as_str()}>{ *name }</option>
                    }) }
                </select>
            </label>
        };
    }
    let mut stops = stops(key, &control);
    if let Some(home) = props.home {
        with_stop(&mut stops, home);
    }
    let position = nearest_stop(&stops, props.value, control.scale);
    let shown = with_unit(props.value, control.unit);
    let on_number = props.on_number.clone();
    let oninput = {
        let stops = stops.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(value) = input
                .value()
                .parse::<usize>()
                .ok()
                .and_then(|i| stops.get(i))
            {
                on_number.emit((key, *value));
            }
        })
    };
    let scale = match control.scale {
        Scale::Log => "log",
        Scale::Linear => "linear",
    };
    html! {
        <label class="widget-slider">
            <span>{ label }</span>
            <input type="range" name={key.name()} min="0" max={(stops.len() - 1).to_string()}
                step="1" value={position.to_string()} data-scale={scale}
                aria-valuetext={shown.clone()} {oninput} />
            <output>{ shown }</output>
        </label>
    }
}

/// Speeds of simulated time the reader can pick, as multiples of real time.
pub const SPEEDS: [f64; 9] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 100.0];

#[derive(Properties, PartialEq, Clone)]
pub struct TransportProps {
    /// Which buttons mean something for the figure.
    pub runs: Runs,
    pub playing: bool,
    /// A prediction waits for the reader's guess: nothing runs until then.
    pub asking: bool,
    pub speed: f64,
    pub on_toggle: Callback<()>,
    pub on_step: Callback<()>,
    pub on_reset: Callback<()>,
    pub on_speed: Callback<f64>,
}

#[function_component]
pub fn Transport(props: &TransportProps) -> Html {
    let toggle = props.on_toggle.reform(|_: MouseEvent| ());
    let step = props.on_step.reform(|_: MouseEvent| ());
    let reset = props.on_reset.reform(|_: MouseEvent| ());
    let on_speed = props.on_speed.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        select.value().parse::<f64>().unwrap_or(1.0)
    });
    // A figure without a clock has nothing to play, and one whose single events change
    // no pixel has nothing to step: buttons that do nothing are left out.
    let clocked = props.runs != Runs::InBackground;
    html! {
        <div class="widget-transport" role="group" aria-label="Simulation">
            if clocked {
                <button type="button" name="play" onclick={toggle}
                    title={props.asking.then_some("Make your guess (or skip it) first")}>
                    { if props.playing { "Pause" } else { "Play" } }
                </button>
            }
            if props.runs == Runs::EventByEvent {
                <button type="button" name="step" onclick={step} disabled={props.playing || props.asking}
                    title="Pause first, then run one event at a time">{ "Step" }</button>
            }
            <button type="button" name="reset" onclick={reset}
                title="Back to this block's settings, from the start">{ "Reset" }</button>
            if clocked {
                <label class="widget-speed">{ "Speed" }
                    <select name="speed" onchange={on_speed}>
                        { for SPEEDS.iter().map(|s| html! {
                            <option value={s.to_string()} selected={(*s - props.speed).abs() < 1e-9}>{ format!("{s}×") }</option>
                        }) }
                    </select>
                </label>
            }
        </div>
    }
}
