//! Widget blocks: a fenced block `widget NAME` with a TOML body becomes a figure: the
//! placeholder the bundle mounts into, carrying the validated block as data attributes;
//! a static figure inside it for readers without WebAssembly; the caption, with its live
//! values filled in from the static figure's run; and the block's challenges. What the
//! author claims of the block's own settings (`holds`) is checked against that run.

use std::path::Path;

use contract::block::{self, Block, BlockError};
use contract::challenge::Condition;
use contract::{LiveValue, Placeholder, Segment};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::diagnostic::Diagnostic;
use crate::fallback::{self, Fallback};
use crate::figure_image::ImageFiles;

/// Where a block's body starts, for messages.
pub struct Place<'a> {
    pub path: &'a Path,
    /// Line of the body's first line in the file.
    pub line: usize,
}

/// Validates a block: its placeholder, or the reasons it is wrong, each at its line.
pub fn parse_block(
    name: &str,
    body: &str,
    place: &Place,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Block> {
    match block::read(name, body) {
        Ok(block) => {
            check_presets(&block.placeholder, place, diagnostics);
            Some(block)
        }
        Err(errors) => {
            diagnostics.extend(errors.iter().map(|e| diagnostic(e, body, place)));
            None
        }
    }
}

/// Each of the widget's presets must apply over the block's settings, as the widget
/// applies it when a reader picks it: one that cannot (it sets `io_ms` where the block
/// has no I/O call) would be a button that only shows an error.
fn check_presets(placeholder: &Placeholder, place: &Place, diagnostics: &mut Vec<Diagnostic>) {
    let base = (
        placeholder.scenario.clone(),
        placeholder.options.values.clone(),
    );
    for preset in placeholder.kind.spec().presets {
        if let Err(err) = preset.over(&base) {
            diagnostics.push(Diagnostic::new(
                place.path,
                place.line - 1,
                format!(
                    "the preset \"{}\" of `{}` does not apply over this block's settings ({err}); set in the block what the preset needs",
                    preset.name,
                    placeholder.kind.name()
                ),
            ));
        }
    }
}

fn diagnostic(error: &BlockError, body: &str, place: &Place) -> Diagnostic {
    let body_line = match (error.line, &error.key) {
        // Line 0 is the fence, above the body.
        (Some(line), _) => line,
        (None, Some(key)) => key_line(body, key),
        (None, None) => 1,
    };
    Diagnostic::new(place.path, place.line + body_line - 1, &error.message)
}

/// The line (1-based, within the body) where `key` is assigned or its table starts.
fn key_line(body: &str, key: &str) -> usize {
    body.lines()
        .position(|line| {
            let line = line.trim_start();
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
                || line.starts_with(&format!("[[{key}]]"))
        })
        .map_or(1, |index| index + 1)
}

/// Each of the block's claims that its static figure's run does not bear out, at the
/// line of `holds`: prose that says what the figure shows must not drift from it.
pub fn check_claims(
    holds: &[Condition],
    placeholder: &Placeholder,
    figure: &Fallback,
    body: &str,
    place: &Place,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let value_of = |value: LiveValue| value_in(placeholder, figure, value);
    for claim in holds.iter().filter(|claim| !claim.holds(&value_of)) {
        let shown: Vec<String> = claim
            .values()
            .map(|v| match value_of(v) {
                Some(x) => format!("{v} = {}", contract::live::format_number(x)),
                None => format!("{v} unknown"),
            })
            .collect();
        diagnostics.push(Diagnostic::new(
            place.path,
            place.line + key_line(body, "holds") - 1,
            format!(
                "`holds`: `{claim}` does not hold at this block's settings ({}), so what the page says of this figure is out of date",
                shown.join(", ")
            ),
        ));
    }
}

/// The figure of a block: placeholder with its static figure, caption and challenges,
/// and the static figure's run (its live values). Its SVG files go into `figures`.
pub fn figure_html(placeholder: &Placeholder, figures: &mut ImageFiles) -> (String, Fallback) {
    let mut figure = fallback::figure(placeholder, figures.base);
    figures.files.append(&mut figure.files);
    let attributes: String = placeholder
        .attributes()
        .iter()
        .map(|(name, value)| format!(" {name}=\"{}\"", attr(value)))
        .collect();
    let value_of = |value: LiveValue| value_in(placeholder, &figure, value);
    let caption = &placeholder.caption;
    let mut figcaption = String::new();
    if !caption.what.is_empty() {
        let label = if caption.try_this.is_empty() {
            ""
        } else {
            "<strong>What you see:</strong> "
        };
        figcaption.push_str(&format!(
            "<p class=\"caption-what\">{label}{}</p>",
            segments(&caption.what, &value_of)
        ));
    }
    if !caption.try_this.is_empty() {
        figcaption.push_str(&format!(
            "<p class=\"caption-try\"><strong>Try:</strong> {}</p>",
            segments(&caption.try_this, &value_of)
        ));
    }
    let figcaption = if figcaption.is_empty() {
        String::new()
    } else {
        format!("<figcaption>{figcaption}</figcaption>")
    };
    let challenges = challenges_html(placeholder);
    let html = format!(
        "<figure class=\"widget-figure\">\
         <div class=\"widget\"{attributes}>\
         <div class=\"widget-fallback\">{images}<p class=\"widget-description\">{description}</p></div>\
         </div>{figcaption}{challenges}</figure>\n",
        images = figure.html,
        description = text(&figure.description),
    );
    (html, figure)
}

/// A live value of a block: its settings from the block itself, its measures from the
/// static figure's run. (Runs are cached by settings alone, so a run's own list cannot
/// answer for the settings a second block's caption or claims name.)
fn value_in(placeholder: &Placeholder, figure: &Fallback, value: LiveValue) -> Option<f64> {
    match value {
        LiveValue::Setting(key) => {
            contract::values::number(&placeholder.scenario, &placeholder.options.values, key)
        }
        other => figure.value(other),
    }
}

/// Caption text with each live value in a span the widget keeps up to date.
fn segments(
    segments: &[Segment],
    value_of: &impl Fn(contract::LiveValue) -> Option<f64>,
) -> String {
    segments
        .iter()
        .map(|segment| match segment {
            Segment::Text(t) => text(t).into_owned(),
            Segment::Value(v) => format!(
                "<span class=\"live-value\" data-live-value=\"{}\">{}</span>",
                attr(&v.to_string()),
                text(&value_of(*v).map_or_else(|| "–".to_string(), |x| v.format(x)))
            ),
        })
        .collect()
}

fn challenges_html(placeholder: &Placeholder) -> String {
    let items: String = placeholder
        .options
        .challenges
        .iter()
        .map(|c| {
            format!(
                "<li data-challenge=\"{}\"><span class=\"challenge-mark\" role=\"img\" aria-label=\"{}\"></span>{}</li>",
                attr(&c.id),
                contract::challenge::MARK_OPEN,
                text(&c.text)
            )
        })
        .collect();
    if items.is_empty() {
        return String::new();
    }
    // A live simulation's values count once a change has settled (`Figure::settled`).
    let when = if !chart::Figure::settles(placeholder.kind) {
        String::new()
    } else {
        format!(
            " <span class=\"challenges-note\">(each ticks once new settings have run {:.0} simulated seconds)</span>",
            chart::figure::SETTLE_S
        )
    };
    format!("<div class=\"challenges\"><p class=\"challenges-title\">Challenges{when}</p><ul>{items}</ul></div>")
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
        let checked = parse_block(name, body, &place, &mut diagnostics).map(|block| {
            let mut files = Vec::new();
            let (html, run) = figure_html(
                &block.placeholder,
                &mut ImageFiles {
                    base: "/",
                    files: &mut files,
                },
            );
            check_claims(
                &block.holds,
                &block.placeholder,
                &run,
                body,
                &place,
                &mut diagnostics,
            );
            html
        });
        match checked {
            Some(html) if diagnostics.is_empty() => Ok(html),
            _ => Err(diagnostics.iter().map(ToString::to_string).collect()),
        }
    }

    #[test]
    fn a_claim_the_run_bears_out_passes_and_one_it_does_not_is_an_error_at_its_line() {
        // Twenty clients of 5 ms CPU and 100 ms I/O: four sync workers top out near 38
        // requests a second, the loops serve several times that.
        let body = "clients = 20\nholds = [\"async.throughput > 2 * sync.throughput\"]\n";
        assert!(check("compare", body).is_ok());
        // A setting is the block's own, whatever the caption names.
        assert!(check("compare", "clients = 20\nholds = \"clients >= 20\"\n").is_ok());
        let wrong = "clients = 20\nholds = [\"sync.throughput > async.throughput\"]\n";
        let errors = check("compare", wrong).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("a.md:11: `holds`: `sync.throughput > async.throughput` does not hold at this block's settings (sync.throughput = "),
            "{errors:?}"
        );
    }

    #[test]
    fn a_valid_block_carries_its_scenario_and_fills_its_caption() {
        let html = check(
            "sync-server",
            "workers = 3\nclients = 5\ncaption = \"Hi <b> at {throughput} req/s\"\n",
        )
        .unwrap();
        assert!(
            html.contains("data-scenario=\"workers=3&amp;clients=5\""),
            "{html}"
        );
        assert!(
            html.contains(
                "Hi &lt;b&gt; at <span class=\"live-value\" data-live-value=\"throughput\">"
            ),
            "{html}"
        );
        assert!(!html.contains("<b>"));
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
    fn wrong_type_and_range_name_the_key_at_its_line() {
        let errors = check("sync-server", "cores = 2\nworkers = \"four\"\n").unwrap_err();
        assert!(
            errors[0].starts_with("a.md:11: widget `sync-server`:"),
            "{errors:?}"
        );
        assert!(errors[0].contains("workers"), "{errors:?}");
        let errors = check("sync-server", "workers = 0\n").unwrap_err();
        assert!(errors[0].starts_with("a.md:10:"), "{errors:?}");
        let errors = check(
            "compare",
            "clients = 3\n[[challenge]]\ntext = \"x\"\nwhen = \"p99 < 3\"\n",
        )
        .unwrap_err();
        assert!(errors[0].starts_with("a.md:11: `challenge`"), "{errors:?}");
    }

    #[test]
    fn every_problem_of_a_block_is_reported() {
        let errors = check("nope", "foo = 1\nbar = 2\n").unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
    }
}
