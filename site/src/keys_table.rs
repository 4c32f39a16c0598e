//! The model page's table of scenario keys (a ```` ```generated keys ```` block), written
//! from the table of keys in `contract`: the same rows that validate blocks and give the
//! widgets their controls, so the page cannot drift from the code.

use contract::key::{Scope, KEYS};
use html_escape::encode_text as text;

/// The table, one row per key a `simulate` file or a widget block accepts.
pub fn table() -> String {
    let rows: String = KEYS
        .iter()
        .map(|spec| {
            let scope = match spec.scope {
                Scope::Scenario => "",
                Scope::Widget => " <small>(widget)</small>",
            };
            // Three columns, each with its fine print under it, so that the table fits
            // the text's column instead of scrolling sideways past its sources.
            format!(
                "<tr><td><code>{}</code>{scope}<br><small>{}</small></td><td>{}</td><td>{}<br><small>{}</small></td></tr>",
                text(spec.name),
                text(&spec.accepts.expected()),
                inline(spec.meaning.text()),
                inline(spec.default),
                inline(spec.source.text()),
            )
        })
        .collect();
    format!(
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Scenario keys\"><table class=\"keys\"><thead><tr><th>key, and what it accepts</th>\
         <th>what it sets</th><th>default, and where it comes from</th></tr></thead>\
         <tbody>{rows}</tbody></table></div>\n"
    )
}

/// Markdown of one table cell as inline HTML.
fn inline(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(markdown));
    html.trim()
        .trim_start_matches("<p>")
        .trim_end_matches("</p>")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_row_with_its_links() {
        let html = table();
        for spec in KEYS {
            assert!(
                html.contains(&format!("<code>{}</code>", spec.name)),
                "{}",
                spec.name
            );
        }
        assert!(
            html.contains("<a href=\"https://docs.gunicorn.org/en/stable/settings.html#backlog\">")
        );
        assert!(html.contains("an integer from 1 to 4096"));
    }
}
