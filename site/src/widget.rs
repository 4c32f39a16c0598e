//! Widget blocks: a fenced block `widget NAME` with a TOML body becomes a placeholder
//! `<div class="widget" data-widget="NAME" data-params="...">` that carries the validated
//! scenario, with a static figure inside for readers without WebAssembly.

use std::path::Path;

use crate::diagnostic::{line_of, Diagnostic};
use crate::fallback;

/// Every widget the bundle can mount.
pub const NAMES: &[&str] = &[
    "sync-server",
    "async-server",
    "greenlet",
    "compare",
    "context-switch",
    "memory",
];

/// Keys a block may carry besides the scenario's: they shape the page, not the model.
const PRESENTATION_KEYS: &[&str] = &["caption"];

/// Where a block's body starts, for messages.
pub struct Place<'a> {
    pub path: &'a Path,
    /// Line of the body's first line in the file.
    pub line: usize,
}

impl Place<'_> {
    fn at(&self, body_line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.path, self.line + body_line - 1, message)
    }
}

/// Validates a block; returns its HTML, or records why it is wrong.
pub fn render_block(
    name: &str,
    body: &str,
    place: &Place,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let before = diagnostics.len();
    if !NAMES.contains(&name) {
        let shown = if name.is_empty() {
            "no name".to_string()
        } else {
            format!("`{name}`")
        };
        diagnostics.push(place.at(
            0,
            format!(
                "unknown widget {shown}; valid widgets: {}",
                NAMES.join(", ")
            ),
        ));
    }
    let mut table: toml::Table = match toml::from_str(body) {
        Ok(table) => table,
        Err(err) => {
            let line = err.span().map(|s| line_of(body, s.start)).unwrap_or(1);
            diagnostics.push(place.at(
                line,
                format!("widget parameters are not valid TOML: {}", err.message()),
            ));
            return None;
        }
    };
    let caption = match table.remove("caption") {
        None => None,
        Some(toml::Value::String(caption)) => Some(caption),
        Some(other) => {
            diagnostics.push(place.at(
                key_line(body, "caption"),
                format!("`caption` must be a string, got {}", other.type_str()),
            ));
            None
        }
    };
    for key in table.keys() {
        if !sim::Scenario::KEYS.contains(&key.as_str()) {
            let mut valid: Vec<&str> = sim::Scenario::KEYS.to_vec();
            valid.extend(PRESENTATION_KEYS);
            diagnostics.push(place.at(
                key_line(body, key),
                format!(
                    "unknown key `{key}` in widget `{name}`; valid keys: {}",
                    valid.join(", ")
                ),
            ));
        }
    }
    if diagnostics.len() > before {
        return None;
    }
    let scenario = match sim::Scenario::from_table(table) {
        Ok(scenario) => scenario,
        Err(err) => {
            let line = err.key.as_deref().map(|k| key_line(body, k)).unwrap_or(1);
            diagnostics.push(place.at(line, format!("widget `{name}`: {err}")));
            return None;
        }
    };
    Some(placeholder(name, &scenario, caption.as_deref()))
}

/// The line (1-based, within the body) where `key` is assigned, or 1.
fn key_line(body: &str, key: &str) -> usize {
    body.lines()
        .position(|line| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |index| index + 1)
}

fn placeholder(name: &str, scenario: &sim::Scenario, caption: Option<&str>) -> String {
    let params = serde_json::to_string(scenario).expect("a scenario always serializes");
    let figure = fallback::figure(name, scenario);
    let caption = caption
        .map(|c| format!("<figcaption>{}</figcaption>", html_escape::encode_text(c)))
        .unwrap_or_default();
    format!(
        "<figure class=\"widget-figure\">\
         <div class=\"widget\" data-widget=\"{name}\" data-params=\"{params}\">\
         <div class=\"widget-fallback\">{svg}<p class=\"widget-description\">{description}</p></div>\
         </div>{caption}</figure>\n",
        params = html_escape::encode_double_quoted_attribute(&params),
        svg = figure.svg,
        description = html_escape::encode_text(&figure.description),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, body: &str) -> Result<String, Vec<String>> {
        let mut diagnostics = Vec::new();
        let place = Place {
            path: Path::new("a.md"),
            line: 10,
        };
        render_block(name, body, &place, &mut diagnostics)
            .ok_or_else(|| diagnostics.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn valid_block_carries_the_full_scenario() {
        let html = check(
            "sync-server",
            "workers = 3\nclients = 5\ncaption = \"Hi\"\n",
        )
        .unwrap();
        assert!(html.contains(r#"&quot;workers&quot;:3"#), "{html}");
        assert!(html.contains("<figcaption>Hi</figcaption>"));
    }

    #[test]
    fn unknown_widget_lists_the_valid_ones() {
        let errors = check("sink-server", "workers = 3\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .starts_with("a.md:9: unknown widget `sink-server`; valid widgets: sync-server,"),
            "{errors:?}"
        );
    }

    #[test]
    fn bad_toml_points_at_its_line() {
        let errors = check("sync-server", "workers = 3\nclients = = 5\n").unwrap_err();
        assert!(
            errors[0].starts_with("a.md:11: widget parameters are not valid TOML"),
            "{errors:?}"
        );
    }

    #[test]
    fn wrong_type_and_range_name_the_key() {
        let errors = check("sync-server", "cores = 2\nworkers = \"four\"\n").unwrap_err();
        assert!(
            errors[0].starts_with("a.md:11: widget `sync-server`:"),
            "{errors:?}"
        );
        assert!(errors[0].contains("workers"), "{errors:?}");
        let errors = check("sync-server", "workers = 0\n").unwrap_err();
        assert!(errors[0].starts_with("a.md:10:"), "{errors:?}");
        assert!(errors[0].contains("workers"), "{errors:?}");
    }

    #[test]
    fn every_problem_of_a_block_is_reported() {
        let errors = check("nope", "foo = 1\nbar = 2\n").unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
    }
}
