//! Code highlighting at build time: fenced code becomes `<span class="hl-...">` runs
//! that `style.css` colours per theme, so no highlighter ships to the browser and no
//! inline style breaks the Content-Security-Policy.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Classes are prefixed so a scope such as `string` cannot clash with the page's own.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Loading syntect's default syntaxes takes tens of milliseconds: done once per process
/// (so `serve` pays it once), and only when a page has code in it.
fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The HTML of `code` in `language` (inside `<code>`), or `None` when the language is
/// unknown, in which case the caller shows the code plain.
pub fn highlight(code: &str, language: &str) -> Option<String> {
    if language.is_empty() {
        return None;
    }
    let syntaxes = syntaxes();
    let syntax = syntaxes.find_syntax_by_token(language)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_gets_classes_and_no_inline_style() {
        let html = highlight(
            "import asyncio\nasync def f():\n    await g()  # wait\n",
            "python",
        )
        .unwrap();
        assert!(html.contains("hl-keyword"), "{html}");
        assert!(html.contains("hl-comment"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn unknown_language_is_left_to_the_caller() {
        assert!(highlight("x", "no-such-language").is_none());
        assert!(highlight("x", "").is_none());
    }
}
