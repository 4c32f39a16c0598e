//! Controls shared by the widgets: a labelled slider showing its value and unit (on a
//! log scale where the range spans decades), and the transport: play or pause, one
//! event at a time, reset, and the speed of simulated time.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct SliderProps {
    pub name: AttrValue,
    pub label: AttrValue,
    pub unit: AttrValue,
    pub min: f64,
    pub max: f64,
    pub value: f64,
    /// Log scale: for ranges over several decades (clients, times).
    #[prop_or_default]
    pub log: bool,
    /// Whole numbers only.
    #[prop_or_default]
    pub integer: bool,
    pub on_change: Callback<f64>,
}

/// Slider positions on a log scale run from 0 to this.
const LOG_STEPS: f64 = 1000.0;

impl SliderProps {
    fn position_of(&self, value: f64) -> f64 {
        if self.log {
            let (lo, hi) = (self.min.max(1e-9).ln(), self.max.ln());
            ((value.max(self.min).ln() - lo) / (hi - lo) * LOG_STEPS).round()
        } else {
            value
        }
    }

    fn value_at(&self, position: f64) -> f64 {
        let value = if self.log {
            let (lo, hi) = (self.min.max(1e-9).ln(), self.max.ln());
            (lo + position / LOG_STEPS * (hi - lo)).exp()
        } else {
            position
        };
        let value = value.clamp(self.min, self.max);
        if self.integer {
            value.round()
        } else {
            round_to_2_significant(value)
        }
    }
}

fn round_to_2_significant(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let magnitude = 10f64.powf(value.abs().log10().floor() - 1.0);
    (value / magnitude).round() * magnitude
}

/// A value with its unit, briefly: `5 ms`, `0.2 ms`, `1,200 clients`.
pub fn format_value(value: f64, unit: &str) -> String {
    let number = if value >= 100.0 || value.fract() == 0.0 {
        format!("{value:.0}")
    } else if value >= 1.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    };
    if unit.is_empty() {
        number
    } else {
        format!("{number} {unit}")
    }
}

#[function_component]
pub fn Slider(props: &SliderProps) -> Html {
    let on_input = {
        let props = props.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(position) = input.value().parse::<f64>() {
                props.on_change.emit(props.value_at(position));
            }
        })
    };
    let (min, max, step) = if props.log {
        (0.0, LOG_STEPS, 1.0)
    } else {
        (
            props.min,
            props.max,
            if props.integer {
                1.0
            } else {
                (props.max - props.min) / 200.0
            },
        )
    };
    let shown = format_value(props.value, &props.unit);
    html! {
        <label class="widget-slider">
            <span>{ &props.label }</span>
            <input type="range" name={props.name.clone()} min={min.to_string()} max={max.to_string()}
                step={step.to_string()} value={props.position_of(props.value).to_string()}
                aria-valuetext={shown.clone()} oninput={on_input} />
            <output>{ shown }</output>
        </label>
    }
}

/// Speeds of simulated time the reader can pick, as multiples of real time.
pub const SPEEDS: [f64; 9] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 100.0];

#[derive(Properties, PartialEq, Clone)]
pub struct TransportProps {
    pub playing: bool,
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
    html! {
        <div class="widget-transport" role="group" aria-label="Simulation">
            <button type="button" name="play" onclick={toggle} aria-pressed={(!props.playing).to_string()}>
                { if props.playing { "Pause" } else { "Play" } }
            </button>
            <button type="button" name="step" onclick={step} disabled={props.playing}
                title="Pause first, then run one event at a time">{ "Step" }</button>
            <button type="button" name="reset" onclick={reset}>{ "Reset" }</button>
            <label class="widget-speed">{ "Speed" }
                <select name="speed" onchange={on_speed}>
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={(*s - props.speed).abs() < 1e-9}>{ format!("{s}×") }</option>
                    }) }
                </select>
            </label>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slider(min: f64, max: f64, log: bool, integer: bool) -> SliderProps {
        SliderProps {
            name: "x".into(),
            label: "x".into(),
            unit: "".into(),
            min,
            max,
            value: min,
            log,
            integer,
            on_change: Callback::noop(),
        }
    }

    #[test]
    fn log_positions_round_trip_within_a_step() {
        let s = slider(1.0, 10_000.0, true, true);
        for value in [1.0, 5.0, 40.0, 1234.0, 10_000.0] {
            let back = s.value_at(s.position_of(value));
            assert!((back - value).abs() / value < 0.02, "{value} -> {back}");
        }
        assert_eq!(s.value_at(-50.0), 1.0, "clamped below");
        assert_eq!(s.value_at(5000.0), 10_000.0, "clamped above");
    }

    #[test]
    fn values_read_well() {
        assert_eq!(format_value(5.0, "ms"), "5 ms");
        assert_eq!(format_value(0.2, "ms"), "0.20 ms");
        assert_eq!(format_value(1234.4, ""), "1234");
        assert_eq!(round_to_2_significant(1234.0), 1200.0);
    }
}
