//! A widget's scenario in the page's URL, so a reader can share exactly what they see.
//! On an article page each widget's keys carry its number (`w2.workers=8`); an embed
//! page, which holds one widget, uses the keys as they are (`workers=8`).

use wasm_bindgen::JsValue;
use web_sys::UrlSearchParams;

fn search_params() -> Option<UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    UrlSearchParams::new_with_str(&search).ok()
}

/// `(key, value)` pairs for the widget with this prefix (`"w2."`, or `""`).
pub fn read(prefix: &str) -> Vec<(String, String)> {
    let Some(params) = search_params() else {
        return Vec::new();
    };
    let mut pairs = Vec::new();
    let keys = js_sys::try_iter(&params.keys()).ok().flatten();
    for key in keys.into_iter().flatten().flatten() {
        let Some(key) = key.as_string() else { continue };
        if let Some(name) = key.strip_prefix(prefix) {
            if !name.contains('.') {
                if let Some(value) = params.get(&key) {
                    pairs.push((name.to_string(), value));
                }
            }
        }
    }
    pairs
}

/// Replaces this widget's keys in the URL without adding a history entry.
pub fn write(prefix: &str, pairs: &[(&str, String)]) {
    let Some(params) = search_params() else {
        return;
    };
    let stale: Vec<String> = js_sys::try_iter(&params.keys())
        .ok()
        .flatten()
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|k| k.as_string())
        .filter(|k| {
            k.strip_prefix(prefix)
                .is_some_and(|rest| !rest.contains('.'))
        })
        .collect();
    for key in stale {
        params.delete(&key);
    }
    for (key, value) in pairs {
        params.set(&format!("{prefix}{key}"), value);
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let query = String::from(params.to_string());
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let url = if query.is_empty() {
        format!("{path}{hash}")
    } else {
        format!("{path}?{query}{hash}")
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// What a link says about a widget.
pub struct FromUrl {
    /// The block's scenario with the link's values applied (clamped), or the block's
    /// own when together they do not make a valid scenario.
    pub scenario: sim::Scenario,
    /// What the reader should be told: clamped or unusable values.
    pub notes: Vec<String>,
    /// Keys that are not scenario keys (the widget's own, such as `speed`).
    pub other: Vec<(String, String)>,
}

/// Reads the widget's keys from the URL and applies them to `base`.
pub fn scenario(base: &sim::Scenario, prefix: &str) -> FromUrl {
    let mut scenario = base.clone();
    let (mut notes, mut other) = (Vec::new(), Vec::new());
    for (key, value) in read(prefix) {
        if key != "server" && crate::params::find(&key).is_none() {
            other.push((key, value));
        } else {
            notes.extend(crate::params::apply(&mut scenario, &key, &value));
        }
    }
    if let Err(err) = scenario.validate() {
        notes.push(format!(
            "the link's settings do not fit together ({err}); showing the figure's own"
        ));
        scenario = base.clone();
    }
    FromUrl {
        scenario,
        notes,
        other,
    }
}
