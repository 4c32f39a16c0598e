//! Embed pages: each widget the content uses gets `embed/NAME.html`, the widget alone,
//! for other sites to put in an `<iframe>`. The placeholder carries the parameters of the
//! widget's first use in the content and `data-query-params`, which tells the widget to
//! take scenario keys from the page's query string (`?workers=8&io_ms=50`). In the
//! article, a "copy embed code" button beside each widget copies an iframe whose query
//! string reproduces that widget's block.

use std::collections::BTreeMap;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::assets::OutputFile;
use crate::diagnostic::Diagnostic;
use crate::page::AssetNames;
use crate::{widget, Config};

/// A widget block as the author wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetUse {
    pub name: String,
    /// The block's TOML body.
    pub body: String,
}

/// Where a widget's embed page is, relative to the site root.
pub fn embed_path(name: &str) -> String {
    format!("embed/{name}.html")
}

/// The scenario keys of a block as a query string, sorted by key; presentation
/// keys (the caption) stay out. An unparsable body gives an empty query (the block's
/// own diagnostic says why).
pub fn query(body: &str) -> String {
    let Ok(table) = toml::from_str::<toml::Table>(body) else {
        return String::new();
    };
    table
        .iter()
        .filter(|(key, _)| key.as_str() != "caption")
        .map(|(key, value)| {
            let value = match value {
                toml::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{}={}", percent_encode(key), percent_encode(&value))
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The button placed under a widget in the article. `root` is the site's root, absolute
/// (with `--site-url`) or a path; the page's script resolves a path against the page.
/// Without JavaScript the button keeps its place but is hidden (see `style.css`).
pub fn copy_button(root: &str, block: &WidgetUse) -> String {
    let query = query(&block.body);
    let src = format!(
        "{root}{}{}{query}",
        embed_path(&block.name),
        if query.is_empty() { "" } else { "?" }
    );
    format!(
        "<p class=\"widget-embed\"><button type=\"button\" class=\"copy-embed\" data-embed-src=\"{}\" data-embed-title=\"{}\">Copy embed code</button><span class=\"copy-status\" role=\"status\"></span></p>\n",
        attr(&src),
        attr(&format!("{} widget", block.name)),
    )
}

/// The embed pages of every widget used, from its first use.
pub fn pages(
    config: &Config,
    names: &AssetNames,
    uses: &[&WidgetUse],
    article: &Link,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<OutputFile> {
    let mut first: BTreeMap<&str, &WidgetUse> = BTreeMap::new();
    for block in uses {
        first.entry(block.name.as_str()).or_insert(block);
    }
    first
        .into_values()
        .filter_map(|block| {
            let place = widget::Place {
                path: std::path::Path::new("embed"),
                line: 1,
            };
            let placeholder = widget::render_block(&block.name, &block.body, &place, diagnostics)?;
            Some(OutputFile::text(
                embed_path(&block.name),
                page(
                    config,
                    names,
                    &block.name,
                    &with_query_params(&placeholder),
                    article,
                )
                .into_bytes(),
            ))
        })
        .collect()
}

/// Marks the placeholder so the widget reads its scenario from the query string.
fn with_query_params(placeholder: &str) -> String {
    placeholder.replacen(
        "<div class=\"widget\" ",
        "<div class=\"widget\" data-query-params ",
        1,
    )
}

/// A link back to the article, shown under an embedded widget.
pub struct Link {
    pub href: String,
    pub title: String,
}

fn page(
    config: &Config,
    names: &AssetNames,
    name: &str,
    placeholder: &str,
    article: &Link,
) -> String {
    let base = &config.base_url;
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n\
         <meta name=\"description\" content=\"{description}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <link rel=\"stylesheet\" href=\"{base}{style}\">\n\
         <script src=\"{base}{script}\"></script>\n\
         <script type=\"module\" src=\"{base}{loader}\"></script>\n\
         </head>\n<body class=\"embed\">\n<main>\n{placeholder}\
         <p class=\"embed-source\"><a href=\"{href}\" target=\"_blank\" rel=\"noopener\">{site}</a></p>\n\
         </main>\n</body>\n</html>\n",
        title = text(&format!("{name} · live simulation")),
        description = attr(&format!(
            "The {name} widget: a live simulation of a Python web server."
        )),
        csp = crate::page::CONTENT_SECURITY_POLICY,
        style = names.style,
        script = names.script,
        loader = names.loader,
        href = attr(&article.href),
        site = text(&article.title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(body: &str) -> WidgetUse {
        WidgetUse {
            name: "compare".into(),
            body: body.into(),
        }
    }

    #[test]
    fn query_keeps_scenario_keys_in_order_and_drops_the_caption() {
        assert_eq!(
            query("workers = 4\nserver = \"asyncio\"\ncaption = \"A b\"\ncpu_ms = 2.5\n"),
            "cpu_ms=2.5&server=asyncio&workers=4"
        );
        assert_eq!(query("not toml ="), "");
    }

    #[test]
    fn copy_button_points_at_the_embed_page() {
        insta::assert_snapshot!(copy_button("/sub/", &block("clients = 5\n")), @r#"<p class="widget-embed"><button type="button" class="copy-embed" data-embed-src="/sub/embed/compare.html?clients=5" data-embed-title="compare widget">Copy embed code</button><span class="copy-status" role="status"></span></p>"#);
    }

    #[test]
    fn embed_placeholder_reads_the_query_string() {
        assert_eq!(
            with_query_params("<div class=\"widget\" data-widget=\"x\">"),
            "<div class=\"widget\" data-query-params data-widget=\"x\">"
        );
    }
}
