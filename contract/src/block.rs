//! A widget block's TOML body to a [`Placeholder`], with every problem of the block
//! reported together, each naming its key (so the site can point at its line) and what
//! would be valid.

use crate::challenge::{self, Challenge, Condition};
use crate::key::{self, Key};
use crate::live::LiveValue;
use crate::placeholder::{Caption, Options, Placeholder};
use crate::scenario::value_of;
use crate::{widget, Scenario, WidgetKind};

/// Keys of a block that shape the page, not the model.
pub const PRESENTATION_KEYS: &[&str] = &[
    "caption",
    "try",
    "controls",
    "predict",
    "challenge",
    "holds",
];

/// One problem in a block.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockError {
    /// The key it is about, to find its line; `None` for the block as a whole.
    pub key: Option<String>,
    /// A line of the body (1-based), when the TOML parser knows it.
    pub line: Option<usize>,
    pub message: String,
}

impl BlockError {
    fn at(key: &str, message: impl Into<String>) -> BlockError {
        BlockError {
            key: Some(key.to_string()),
            line: None,
            message: message.into(),
        }
    }
}

/// A block as the site reads it: the placeholder the widget gets, and what the author
/// claims holds at the block's own settings (`holds`), which only the build checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub placeholder: Placeholder,
    pub holds: Vec<Condition>,
}

/// Parses and validates a block `widget NAME` with this body.
pub fn parse(name: &str, body: &str) -> Result<Placeholder, Vec<BlockError>> {
    read(name, body).map(|block| block.placeholder)
}

/// Parses and validates a block `widget NAME` with this body, its claims included.
pub fn read(name: &str, body: &str) -> Result<Block, Vec<BlockError>> {
    let mut errors = Vec::new();
    let kind = WidgetKind::from_name(name);
    if kind.is_none() {
        let shown = if name.is_empty() {
            "no name".to_string()
        } else {
            format!("`{name}`")
        };
        errors.push(BlockError {
            key: None,
            line: Some(0),
            message: format!("unknown widget {shown}; valid widgets: {}", widget::names()),
        });
    }
    let table: toml::Table = match toml::from_str(body) {
        Ok(table) => table,
        Err(err) => {
            let line = err
                .span()
                .map(|s| body[..s.start.min(body.len())].lines().count().max(1));
            errors.push(BlockError {
                key: None,
                line: Some(line.unwrap_or(1)),
                message: format!("widget parameters are not valid TOML: {}", err.message()),
            });
            return Err(errors);
        }
    };
    if let Err(err) = crate::scenario::check_workload_keys(table.keys().map(String::as_str)) {
        errors.push(BlockError::at("clients", format!("widget `{name}`: {err}")));
    }
    let mut scenario = Scenario::default();
    let mut caption = Caption::default();
    let mut options = Options::default();
    let mut holds = Vec::new();
    for (key, value) in &table {
        let result = match key.as_str() {
            "holds" => match kind {
                Some(kind) => conditions(kind, "holds", Some(value)).map(|c| holds = c),
                None => Ok(()),
            },
            "caption" | "try" | "controls" | "predict" | "challenge" => match kind {
                Some(kind) => presentation(kind, key, value, &mut caption, &mut options),
                None => Ok(()),
            },
            _ => setting(kind, key, value, &mut scenario, &mut options),
        };
        if let Err(message) = result {
            errors.push(BlockError::at(key, message));
        }
    }
    if errors.is_empty() {
        if let Err(err) = scenario.validate() {
            errors.push(BlockError {
                key: err.key.clone(),
                line: None,
                message: format!("widget `{name}`: {err}"),
            });
        }
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok(Block {
            placeholder: Placeholder {
                kind,
                scenario,
                caption,
                options,
            },
            holds,
        }),
        _ => Err(errors),
    }
}

fn setting(
    kind: Option<WidgetKind>,
    name: &str,
    value: &toml::Value,
    scenario: &mut Scenario,
    options: &mut Options,
) -> Result<(), String> {
    let widget = kind.map_or("?", WidgetKind::name);
    let key = Key::from_name(name).filter(|k| kind.map_or(k.is_scenario(), |kind| kind.takes(*k)));
    let Some(key) = key else {
        let mut valid: Vec<&str> = Key::all()
            .filter(|k| kind.map_or(k.is_scenario(), |kind| kind.takes(*k)))
            .map(Key::name)
            .collect();
        valid.extend(PRESENTATION_KEYS);
        return Err(format!(
            "unknown key `{name}` in widget `{widget}`; valid keys: {}",
            valid.join(", ")
        ));
    };
    let value = value_of(key, value).map_err(|e| format!("widget `{widget}`: {e}"))?;
    let result = if key.is_scenario() {
        scenario.set(key, value)
    } else {
        options.values.set(key, value.as_f64())
    };
    result.map_err(|e| format!("widget `{widget}`: {e}"))
}

fn presentation(
    kind: WidgetKind,
    name: &str,
    value: &toml::Value,
    caption: &mut Caption,
    options: &mut Options,
) -> Result<(), String> {
    let offered = |v: LiveValue| kind.accepts(v);
    let live_names = || {
        let mut names: Vec<String> = kind.live_values().iter().map(ToString::to_string).collect();
        names.push("any key of the widget, such as {workers}".into());
        names.join(", ")
    };
    match name {
        "caption" | "try" => {
            let text = string(name, value)?;
            let segments = Caption::parse(text, offered)
                .map_err(|e| format!("`{name}`: {e}; live values: {}", live_names()))?;
            if name == "caption" {
                caption.what = segments;
            } else {
                caption.try_this = segments;
            }
        }
        "controls" => {
            let offered = kind.spec().controls;
            let list = value
                .as_array()
                .ok_or("`controls` must be an array of control names")?;
            for item in list {
                let control = item
                    .as_str()
                    .and_then(Key::from_name)
                    .filter(|k| offered.contains(k))
                    .ok_or_else(|| {
                        format!(
                            "`controls`: `{}` is not a control of `{}`; valid controls: {}",
                            item.as_str().unwrap_or("?"),
                            kind.name(),
                            key::names(offered.iter().copied())
                        )
                    })?;
                options.controls.push(control);
            }
        }
        "predict" => {
            let text = string(name, value)?;
            let target = LiveValue::parse(text)
                .filter(|v| kind.predictable(*v))
                .ok_or_else(|| {
                    let targets: Vec<String> =
                        kind.live_values().iter().map(ToString::to_string).collect();
                    format!(
                        "`predict`: `{text}` is not something `{}` can ask the reader to predict; valid targets: {}",
                        kind.name(),
                        targets.join(", ")
                    )
                })?;
            options.predict = Some(target);
        }
        _ => {
            let list = value
                .as_array()
                .ok_or("`challenge` must be written as [[challenge]] tables")?;
            for item in list {
                options.challenges.push(challenge_of(kind, item)?);
            }
        }
    }
    Ok(())
}

fn challenge_of(kind: WidgetKind, item: &toml::Value) -> Result<Challenge, String> {
    let table = item
        .as_table()
        .ok_or("`challenge` must be written as [[challenge]] tables")?;
    for key in table.keys() {
        if key != "text" && key != "when" {
            return Err(format!(
                "`challenge`: unknown key `{key}`; valid keys: text, when"
            ));
        }
    }
    let text = table
        .get("text")
        .and_then(toml::Value::as_str)
        .ok_or("`challenge` needs `text`, a string saying what to do")?;
    let when = conditions(kind, "challenge", table.get("when"))?;
    Ok(Challenge {
        id: challenge::id_of(text),
        text: text.to_string(),
        when,
    })
}

/// A condition or an array of them (a challenge's `when`, a block's `holds`).
fn conditions(
    kind: WidgetKind,
    name: &str,
    value: Option<&toml::Value>,
) -> Result<Vec<Condition>, String> {
    let texts: Vec<&str> = match value {
        Some(toml::Value::String(one)) => vec![one.as_str()],
        Some(toml::Value::Array(all)) => all.iter().filter_map(toml::Value::as_str).collect(),
        _ => Vec::new(),
    };
    if texts.is_empty() {
        return Err(if name == "challenge" {
            "`challenge` needs `when`, a condition or an array of them".into()
        } else {
            format!("`{name}` must be a condition or an array of them")
        });
    }
    texts
        .iter()
        .map(|c| Condition::parse(c, |v| kind.accepts(*v)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("`{name}`: {e}"))
}

fn string<'a>(name: &str, value: &'a toml::Value) -> Result<&'a str, String> {
    value
        .as_str()
        .ok_or_else(|| format!("`{name}` must be a string, got {}", value.type_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(name: &str, body: &str) -> Vec<String> {
        parse(name, body)
            .expect_err(body)
            .into_iter()
            .map(|e| format!("{:?}: {}", e.key, e.message))
            .collect()
    }

    #[test]
    fn claims_are_read_with_the_block_and_checked_like_conditions() {
        let block = read(
            "compare",
            "clients = 20\nholds = [\"async.throughput > 2 * sync.throughput\"]\n",
        )
        .unwrap();
        assert_eq!(block.holds.len(), 1);
        assert_eq!(
            block.holds[0].to_string(),
            "async.throughput > 2 * sync.throughput"
        );
        assert_eq!(
            errors("compare", "holds = [\"fit.tasks > 3\"]\n"),
            ["Some(\"holds\"): `holds`: condition `fit.tasks > 3`: this widget has no live value `fit.tasks`"]
        );
        assert_eq!(
            errors("compare", "holds = []\n"),
            ["Some(\"holds\"): `holds` must be a condition or an array of them"]
        );
    }

    #[test]
    fn a_full_block_parses() {
        let p = parse(
            "compare",
            "workers = 4\nclients = 20\ncontrols = [\"clients\"]\npredict = \"async.throughput\"\n\
             caption = \"Pool {sync.throughput}\"\ntry = \"Raise {clients}\"\n\
             [[challenge]]\ntext = \"Beat it\"\nwhen = [\"sync.p99 < async.p99\"]\n",
        )
        .unwrap();
        assert_eq!(p.kind, WidgetKind::Compare);
        assert_eq!(p.scenario.workers, Some(4));
        assert_eq!(p.options.controls, [Key::Clients]);
        assert_eq!(p.options.challenges[0].id, "beat-it");
        assert_eq!(p.caption.values().count(), 2);
    }

    #[test]
    fn every_problem_is_reported_with_its_key() {
        let all = errors("nope", "foo = 1\nbar = 2\n");
        assert_eq!(all.len(), 3, "{all:?}");
        assert!(all[0].contains("unknown widget `nope`; valid widgets: sync-server,"));
        let all = errors(
            "compare",
            "workers = 0\ncontrols = [\"budget_mb\"]\npredict = \"workers\"\ncaption = \"{p99}\"\nbudget_mb = 100\n",
        );
        assert_eq!(all.len(), 5, "{all:?}");
        assert!(all
            .iter()
            .any(|e| e.contains("Some(\"workers\")") && e.contains("from 1 to 4096")));
        assert!(all.iter().any(|e| e.contains("not a control of `compare`")));
        assert!(all
            .iter()
            .any(|e| e.contains("valid targets: sync.throughput")));
        assert!(all
            .iter()
            .any(|e| e.contains("`{p99}` is not a live value")));
        assert!(all.iter().any(|e| e.contains("unknown key `budget_mb`")));
    }

    #[test]
    fn combinations_are_checked_once_the_keys_are_fine() {
        let all = errors("sync-server", "clients = 3\narrival_rate = 5\n");
        assert_eq!(all.len(), 1);
        assert!(all[0].contains("not both"), "{all:?}");
    }

    #[test]
    fn bad_toml_gives_its_line() {
        let err = parse("sync-server", "workers = 3\nclients = = 5\n").unwrap_err();
        assert_eq!(err[0].line, Some(2));
    }
}
