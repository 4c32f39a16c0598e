//! Stage 4, render into the shell: `index.html` at the project root is the page every
//! Markdown page is poured into. Its `{{ name }}` slots are filled here; a slot the
//! build does not know is a content error, not a silent blank.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostic::{line_of, Diagnostic};

/// The shell's text and where it came from, for messages.
#[derive(Debug, Clone)]
pub struct Shell {
    pub path: PathBuf,
    pub text: String,
}

/// Slots a shell may use.
pub const SLOTS: &[&str] = &[
    "lang",
    "title",
    "page_title",
    "site_title",
    "description",
    "base",
    "style",
    "loader",
    "bundle_hint",
    "heading",
    "toc",
    "nav",
    "pages",
    "content",
    "canonical",
    "meta",
    "csp",
    "script",
];

/// Slots a shell must use, and what a page without each would lack.
const REQUIRED: &[(&str, &str)] = &[
    ("content", "its text"),
    ("style", "its stylesheet"),
    ("script", "its theme toggle, contents and embed buttons"),
    ("loader", "its widgets (the loader mounts them)"),
    (
        "bundle_hint",
        "its widgets (it tells the loader to fetch the bundle)",
    ),
];

impl Shell {
    /// Checks that every slot in the shell is one the build fills, and that the slots a
    /// page cannot work without are there.
    pub fn validate(&self, diagnostics: &mut Vec<Diagnostic>) {
        let used: Vec<&str> = slots(&self.text).map(|(_, key)| key).collect();
        for (slot, lacks) in REQUIRED {
            if !used.contains(slot) {
                diagnostics.push(Diagnostic::new(
                    &self.path,
                    1,
                    format!("the shell has no `{{{{ {slot} }}}}`, so every page would lack {lacks}; add it (the default index.html shows where)"),
                ));
            }
        }
        for (offset, key) in slots(&self.text) {
            if !SLOTS.contains(&key) {
                diagnostics.push(Diagnostic::new(
                    &self.path,
                    line_of(&self.text, offset),
                    format!(
                        "unknown slot `{{{{ {key} }}}}`; valid slots: {}",
                        SLOTS.join(", ")
                    ),
                ));
            }
        }
    }

    /// Fills the slots. Values are inserted as they are: callers escape what is text.
    pub fn fill(&self, values: &BTreeMap<&str, String>) -> String {
        let mut out = String::with_capacity(self.text.len() + 4096);
        let mut rest = self.text.as_str();
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start..].find("}}") else {
                break;
            };
            out.push_str(&rest[..start]);
            let key = rest[start + 2..start + len].trim();
            out.push_str(values.get(key).map(String::as_str).unwrap_or(""));
            rest = &rest[start + len + 2..];
        }
        out.push_str(rest);
        out
    }
}

fn slots(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    std::iter::from_fn(move || {
        let start = offset + text[offset..].find("{{")?;
        let len = text[start..].find("}}")?;
        offset = start + len + 2;
        Some((start, text[start + 2..start + len].trim()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_slots_and_rejects_unknown_ones() {
        let required = "{{ content }}{{ style }}{{ script }}{{ loader }}{{ bundle_hint }}";
        let shell = Shell {
            path: "index.html".into(),
            text: format!("<t>{{{{ title }}}}</t>\n{{{{nope}}}}{required}"),
        };
        let mut values = BTreeMap::new();
        values.insert("title", "Hi".to_string());
        assert_eq!(shell.fill(&values), "<t>Hi</t>\n");
        let mut diagnostics = Vec::new();
        shell.validate(&mut diagnostics);
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0]
            .to_string()
            .starts_with("index.html:2: unknown slot `{{ nope }}`"));
    }

    #[test]
    fn a_shell_without_the_bundle_hint_is_an_error() {
        let shell = Shell {
            path: "index.html".into(),
            text: "{{ content }}{{ style }}{{ script }}{{ loader }}".into(),
        };
        let mut diagnostics = Vec::new();
        shell.validate(&mut diagnostics);
        let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].starts_with("index.html:1: the shell has no `{{ bundle_hint }}`"),
            "{messages:?}"
        );
    }
}
