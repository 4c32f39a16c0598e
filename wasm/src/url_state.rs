//! A widget's settings in the page's URL, so a reader can share exactly what they see.
//! On an article page each widget's keys carry its number (`w2.workers=8`) and say what
//! differs from the block; an embed page, which holds one widget, uses the keys as they
//! are (`workers=8`) and holds every setting, since the link is the embed's only source.

use contract::values::apply_text;
use contract::{query, Key, Scenario, WidgetKind, WidgetValues};
use wasm_bindgen::JsValue;

/// The page's query string, decoded.
fn page_pairs() -> Vec<(String, String)> {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|search| query::decode(&search))
        .unwrap_or_default()
}

/// `(key, value)` pairs for the widget with this prefix (`"w2."`, or `""`).
pub fn read(prefix: &str) -> Vec<(String, String)> {
    page_pairs()
        .into_iter()
        .filter_map(|(key, value)| {
            let name = key.strip_prefix(prefix)?;
            (!name.contains('.')).then(|| (name.to_string(), value))
        })
        .collect()
}

/// Replaces this widget's keys in the URL without adding a history entry.
pub fn write(prefix: &str, pairs: &[(&str, String)]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let mut all: Vec<(String, String)> = page_pairs()
        .into_iter()
        .filter(|(key, _)| {
            key.strip_prefix(prefix)
                .is_none_or(|rest| rest.contains('.'))
        })
        .collect();
    all.extend(
        pairs
            .iter()
            .map(|(k, v)| (format!("{prefix}{k}"), v.clone())),
    );
    let text = query::encode(all.iter().map(|(k, v)| (k.as_str(), v.clone())));
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let url = if text.is_empty() {
        format!("{path}{hash}")
    } else {
        format!("{path}?{text}{hash}")
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// Settings read from a link.
pub struct FromUrl {
    pub scenario: Scenario,
    pub values: WidgetValues,
    /// What the reader should be told: clamped or unusable values.
    pub notes: Vec<String>,
    /// The widget's own keys that are not settings (`speed`).
    pub other: Vec<(String, String)>,
}

/// Applies the link's keys for this widget to `scenario` and `values`, clamping what is
/// out of range. When together they do not make a valid scenario, the given ones stand,
/// with a note.
pub fn apply(
    kind: WidgetKind,
    scenario: &Scenario,
    values: &WidgetValues,
    prefix: &str,
) -> FromUrl {
    let (mut s, mut v) = (scenario.clone(), values.clone());
    let (mut notes, mut other) = (Vec::new(), Vec::new());
    for (name, text) in read(prefix) {
        match Key::from_name(&name).filter(|k| kind.takes(*k)) {
            Some(key) => notes.extend(apply_text(&mut s, &mut v, key, &text)),
            None => other.push((name, text)),
        }
    }
    if let Err(err) = s.validate() {
        // None of the link's values is used after all: notes on how they were clamped
        // would tell of settings the widget does not show. The error names keys in
        // backticks, which a reader does not need.
        notes.clear();
        notes.push(format!(
            "the link's settings do not fit together ({}), so the figure shows its own",
            err.to_string().replace('`', "")
        ));
        (s, v) = (scenario.clone(), values.clone());
    }
    FromUrl {
        scenario: s,
        values: v,
        notes,
        other,
    }
}

/// What to write for settings `now`, against the figure's own `base`: on an article,
/// the keys that differ (a key the reader set back to its default included, when the
/// block had set it); on an embed (`full`), every key that differs from the defaults.
pub fn pairs(
    now: (&Scenario, &WidgetValues),
    base: (&Scenario, &WidgetValues),
    full: bool,
) -> Vec<(&'static str, String)> {
    let default = Scenario::default();
    let against = if full { &default } else { base.0 };
    let mut pairs: Vec<(&'static str, String)> = Key::scenario_keys()
        .filter_map(|key| {
            let value = now.0.get(key)?;
            (against.get(key) != Some(value)).then(|| (key.name(), value.to_string()))
        })
        .collect();
    pairs.extend(
        now.1
            .iter()
            .filter(|(key, value)| full || base.1.get(*key) != Some(*value))
            .map(|(key, value)| (key.name(), value.to_string())),
    );
    pairs
}
