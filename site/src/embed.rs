//! Embed pages: each widget the content uses gets `embed/NAME.html`, the widget alone,
//! for other sites to put in an `<iframe>`. Its placeholder says it is an embed, so the
//! widget starts from the page's query string (`?workers=8&io_ms=50`) and Reset returns
//! there. In the article, a "copy embed code" button beside each widget copies an iframe
//! whose query string holds every setting of that block.

use std::collections::BTreeMap;

use contract::{Caption, Options, Placeholder, Scenario, WidgetKind};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::assets::OutputFile;
use crate::figure_image::ImageFiles;
use crate::page::AssetNames;
use crate::{widget, Config};

/// A widget block, validated, as the page uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetUse {
    pub placeholder: Placeholder,
}

/// Where a widget's embed page is, relative to the site root.
pub fn embed_path(kind: WidgetKind) -> String {
    format!("embed/{}.html", kind.name())
}

/// The button placed under a widget in the article. `root` is the site's root, absolute
/// (with `--site-url`) or a path; the page's script resolves a path against the page.
/// The link carries every setting of the block, so the embed shows exactly this figure.
/// Without JavaScript the button keeps its place but is hidden (see `style.css`).
pub fn copy_button(root: &str, block: &WidgetUse) -> String {
    let query = block.placeholder.embed_query();
    let kind = block.placeholder.kind;
    let src = format!(
        "{root}{}{}{query}",
        embed_path(kind),
        if query.is_empty() { "" } else { "?" }
    );
    format!(
        "<p class=\"widget-embed\"><button type=\"button\" class=\"copy-embed\" data-embed-src=\"{}\" data-embed-title=\"{}\">Copy embed code</button><span class=\"copy-status\" role=\"status\"></span></p>\n",
        attr(&src),
        attr(&format!("{} widget", kind.name())),
    )
}

/// An embed page for every widget used: the widget alone, taking its settings from the
/// page's query string, which the copied embed code fills with a block's settings.
pub fn pages(
    config: &Config,
    names: &AssetNames,
    uses: &[&WidgetUse],
    article: &Link,
    measured: Option<&contract::measured::Overlay>,
) -> Vec<OutputFile> {
    let kinds: BTreeMap<WidgetKind, ()> = uses.iter().map(|u| (u.placeholder.kind, ())).collect();
    let mut figures = Vec::new();
    let mut files: Vec<OutputFile> = kinds
        .into_keys()
        .map(|kind| {
            let placeholder = Placeholder {
                kind,
                scenario: Scenario::default(),
                caption: Caption::default(),
                options: Options {
                    embed: true,
                    measured: measured.filter(|_| kind == WidgetKind::Compare).cloned(),
                    ..Options::default()
                },
            };
            OutputFile::text(
                embed_path(kind),
                page(
                    config,
                    names,
                    kind,
                    &widget::figure_html(
                        &placeholder,
                        &mut ImageFiles {
                            base: &config.base_url,
                            files: &mut figures,
                        },
                    )
                    .0,
                    article,
                )
                .into_bytes(),
            )
        })
        .collect();
    files.append(&mut figures);
    files
}

/// A link back to the article, shown under an embedded widget.
pub struct Link {
    pub href: String,
    pub title: String,
}

fn page(
    config: &Config,
    names: &AssetNames,
    kind: WidgetKind,
    placeholder: &str,
    article: &Link,
) -> String {
    let base = &config.base_url;
    let name = kind.name();
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n\
         <meta name=\"description\" content=\"{description}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <link rel=\"stylesheet\" href=\"{base}{style}\">\n\
         <script src=\"{base}{script}\"></script>\n\
         {hint}\
         <script type=\"module\" async src=\"{base}{loader}\"></script>\n\
         </head>\n<body class=\"embed\">\n<main>\n{placeholder}\
         <p class=\"embed-source\"><a href=\"{href}\" target=\"_blank\" rel=\"noopener\">{site}</a></p>\n\
         </main>\n</body>\n</html>\n",
        title = text(&format!("{name} · live simulation")),
        description = attr(&format!(
            "The {name} widget, a live simulation: {}.",
            kind.spec().about.text()
        )),
        csp = crate::page::CONTENT_SECURITY_POLICY,
        style = names.style,
        script = names.script,
        loader = names.loader,
        hint = crate::page::BUNDLE_HINT,
        href = attr(&article.href),
        site = text(&article.title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_button_points_at_the_embed_page_with_every_setting() {
        let placeholder =
            contract::block::parse("compare", "clients = 5\nseed = 7\ncaption = \"x\"\n").unwrap();
        insta::assert_snapshot!(copy_button("/sub/", &WidgetUse { placeholder }), @r#"<p class="widget-embed"><button type="button" class="copy-embed" data-embed-src="/sub/embed/compare.html?clients=5&amp;seed=7" data-embed-title="compare widget">Copy embed code</button><span class="copy-status" role="status"></span></p>"#);
    }
}
