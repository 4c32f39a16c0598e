//! The placeholder: everything a widget block says, parsed and validated once by the
//! site, written once into the page as data attributes, and read once by the widget.
//!
//! `data-widget` holds the widget's name, `data-scenario` the scenario as a query
//! string, `data-options` the rest (controls shown, the prediction asked for, the
//! challenges' conditions, the widget's own keys, measured data to draw). The caption is
//! rendered by the site around the placeholder; a widget finds its live values in it.

use crate::challenge::Challenge;
use crate::key::Key;
use crate::live::LiveValue;
use crate::measured::Overlay;
use crate::values::WidgetValues;
use crate::{query, Scenario, WidgetKind};

/// One piece of a caption: text, or a live value shown in its place.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    Text(String),
    Value(LiveValue),
}

/// What the figure shows and what to try with it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Caption {
    pub what: Vec<Segment>,
    pub try_this: Vec<Segment>,
}

impl Caption {
    /// Reads caption text: `{name}` is a live value, `{{` and `}}` are braces.
    pub fn parse(text: &str, offered: impl Fn(LiveValue) -> bool) -> Result<Vec<Segment>, String> {
        let mut segments = Vec::new();
        let mut plain = String::new();
        let mut rest = text;
        while let Some(at) = rest.find(['{', '}']) {
            plain.push_str(&rest[..at]);
            let tail = &rest[at..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                plain.push_str(&tail[..1]);
                rest = &tail[2..];
                continue;
            }
            if tail.starts_with('}') {
                return Err("a `}` without its `{` (write `}}` for a brace)".into());
            }
            let end = tail
                .find('}')
                .ok_or("a `{` without its `}` (write `{{` for a brace)")?;
            let name = &tail[1..end];
            let value = LiveValue::parse(name)
                .filter(|v| offered(*v))
                .ok_or_else(|| format!("`{{{name}}}` is not a live value of this widget"))?;
            if !plain.is_empty() {
                segments.push(Segment::Text(std::mem::take(&mut plain)));
            }
            segments.push(Segment::Value(value));
            rest = &tail[end + 1..];
        }
        plain.push_str(rest);
        if !plain.is_empty() {
            segments.push(Segment::Text(plain));
        }
        Ok(segments)
    }

    pub fn is_empty(&self) -> bool {
        self.what.is_empty() && self.try_this.is_empty()
    }

    /// The live values it shows.
    pub fn values(&self) -> impl Iterator<Item = LiveValue> + '_ {
        self.what
            .iter()
            .chain(&self.try_this)
            .filter_map(|s| match s {
                Segment::Value(v) => Some(*v),
                Segment::Text(_) => None,
            })
    }
}

/// Everything about a block besides its scenario and caption.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// The widget's own keys.
    pub values: WidgetValues,
    /// The controls shown; empty: all the widget offers.
    pub controls: Vec<Key>,
    /// Ask the reader to guess this before the figure runs.
    pub predict: Option<LiveValue>,
    pub challenges: Vec<Challenge>,
    /// Real measurements to draw over the simulation.
    pub measured: Option<Overlay>,
    /// An embed page: the widget takes its settings from the page's own query string.
    pub embed: bool,
}

/// One widget block, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Placeholder {
    pub kind: WidgetKind,
    pub scenario: Scenario,
    pub caption: Caption,
    pub options: Options,
}

impl Placeholder {
    /// The data attributes of the placeholder element, in order.
    pub fn attributes(&self) -> [(&'static str, String); 3] {
        [
            ("data-widget", self.kind.name().to_string()),
            ("data-scenario", self.scenario.to_query()),
            ("data-options", self.options.to_query()),
        ]
    }

    /// Reads the attributes back; the caption stays in the page.
    pub fn from_attributes(
        widget: &str,
        scenario: &str,
        options: &str,
    ) -> Result<Placeholder, String> {
        let kind = WidgetKind::from_name(widget)
            .ok_or_else(|| format!("no widget is called `{widget}`"))?;
        let scenario =
            Scenario::from_query(scenario).map_err(|e| format!("widget `{widget}`: {e}"))?;
        let options = Options::from_query(kind, options)?;
        Ok(Placeholder {
            kind,
            scenario,
            caption: Caption::default(),
            options,
        })
    }

    /// The block as an embed link's query string: every setting, so the embed shows
    /// exactly this figure.
    pub fn embed_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = self
            .scenario
            .given()
            .into_iter()
            .map(|(key, value)| (key.name(), value.to_string()))
            .collect();
        pairs.extend(
            self.options
                .values
                .iter()
                .map(|(k, v)| (k.name(), v.to_string())),
        );
        query::encode(pairs)
    }
}

impl Options {
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        pairs.extend(self.values.iter().map(|(k, v)| (k.name(), v.to_string())));
        if !self.controls.is_empty() {
            let names: Vec<&str> = self.controls.iter().map(|k| k.name()).collect();
            pairs.push(("controls", names.join(",")));
        }
        if let Some(predict) = self.predict {
            pairs.push(("predict", predict.to_string()));
        }
        for challenge in &self.challenges {
            let mut text = challenge.id.clone();
            for condition in &challenge.when {
                text.push('\n');
                text.push_str(&condition.to_string());
            }
            pairs.push(("challenge", text));
        }
        if let Some(overlay) = &self.measured {
            pairs.extend(overlay.to_pairs());
        }
        if self.embed {
            pairs.push(("embed", "1".into()));
        }
        query::encode(pairs)
    }

    /// Reads options written by [`Options::to_query`]; anything malformed is an error
    /// (the site wrote it; a widget shows the error instead of guessing).
    pub fn from_query(kind: WidgetKind, text: &str) -> Result<Options, String> {
        let mut options = Options::default();
        let mut measured = Vec::new();
        for (name, value) in query::decode(text) {
            match name.as_str() {
                "controls" => {
                    for control in value.split(',').filter(|c| !c.is_empty()) {
                        let key = Key::from_name(control)
                            .filter(|k| kind.spec().controls.contains(k))
                            .ok_or_else(|| format!("no control `{control}`"))?;
                        options.controls.push(key);
                    }
                }
                "predict" => {
                    let value = LiveValue::parse(&value)
                        .filter(|v| kind.predictable(*v))
                        .ok_or_else(|| format!("cannot predict `{value}`"))?;
                    options.predict = Some(value);
                }
                "challenge" => {
                    let mut lines = value.lines();
                    let id = lines.next().unwrap_or_default().to_string();
                    let when = lines
                        .map(|c| crate::challenge::Condition::parse(c, |v| kind.accepts(*v)))
                        .collect::<Result<Vec<_>, _>>()?;
                    options.challenges.push(Challenge {
                        id,
                        text: String::new(),
                        when,
                    });
                }
                "embed" => options.embed = true,
                other if other.starts_with("measured") => measured.push((name, value)),
                other => {
                    let key = Key::from_name(other)
                        .filter(|k| !k.is_scenario() && kind.takes(*k))
                        .ok_or_else(|| format!("unknown option `{other}`"))?;
                    let number = value
                        .parse::<f64>()
                        .map_err(|_| format!("option `{other}`: not a number"))?;
                    options.values.set(key, number).map_err(|e| e.to_string())?;
                }
            }
        }
        if !measured.is_empty() {
            options.measured = Some(Overlay::from_pairs(&measured)?);
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::challenge::{id_of, Condition};
    use crate::measured::OverlaySeries;
    use crate::scenario::Value;

    #[test]
    fn captions_split_into_text_and_values() {
        let offered = |v: LiveValue| WidgetKind::Compare.accepts(v);
        let segments =
            Caption::parse("At {sync.throughput} req/s {{not}} {workers}.", offered).unwrap();
        assert_eq!(segments.len(), 5, "{segments:?}");
        assert_eq!(segments[2], Segment::Text(" req/s {not} ".into()));
        assert!(Caption::parse("{p99}", offered)
            .unwrap_err()
            .contains("`{p99}` is not a live value"));
        assert!(Caption::parse("a { b", offered).is_err());
        assert!(Caption::parse("a } b", offered).is_err());
    }

    #[test]
    fn a_placeholder_survives_its_attributes() {
        let kind = WidgetKind::Memory;
        let mut scenario = Scenario::default();
        scenario.set(Key::Clients, Value::Int(2000)).unwrap();
        let mut values = WidgetValues::default();
        values.set(Key::BudgetMb, 512.0).unwrap();
        let placeholder = Placeholder {
            kind,
            scenario,
            caption: Caption::default(),
            options: Options {
                values,
                controls: vec![Key::BudgetMb],
                predict: LiveValue::parse("fit.tasks"),
                challenges: vec![Challenge {
                    id: id_of("Fit a million"),
                    text: String::new(),
                    when: vec![Condition::parse("fit.tasks > 1000000", |_| true).unwrap()],
                }],
                measured: Some(Overlay {
                    machine: "2 cores & more".into(),
                    scenario: Scenario::from_query("cpu_ms=0.1&io_ms=50&clients=64").unwrap(),
                    series: vec![OverlaySeries {
                        label: "gunicorn, measured".into(),
                        points: vec![(1.0, 19.5), (2.0, 39.25)],
                    }],
                }),
                embed: true,
            },
        };
        let [(_, widget), (_, scenario), (_, options)] = placeholder.attributes();
        let back = Placeholder::from_attributes(&widget, &scenario, &options).unwrap();
        assert_eq!(back, placeholder);
        assert_eq!(placeholder.embed_query(), "clients=2000&budget_mb=512");
    }

    #[test]
    fn malformed_options_are_refused() {
        let kind = WidgetKind::Compare;
        assert!(Options::from_query(kind, "controls=budget_mb").is_err());
        assert!(Options::from_query(kind, "predict=workers").is_err());
        assert!(Options::from_query(kind, "predict=p99").is_err());
        assert!(Options::from_query(kind, "challenge=x%0Ap99+%3C+3").is_err());
        assert!(Options::from_query(kind, "speed=3").is_err());
        assert!(Options::from_query(kind, "predict=sync.p99").is_ok());
    }
}
