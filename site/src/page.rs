//! Pouring a rendered page into the shell, and the assets every page links to.

use std::collections::BTreeMap;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::assets::{hashed_name, OutputFile};
use crate::content::Page;
use crate::markdown::Rendered;
use crate::meta::{self, PageMeta};
use crate::Config;

/// Every page's policy: nothing inline (no `<script>` body, no `style` attribute),
/// nothing from another origin; WebAssembly may be compiled.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
     object-src 'none'; base-uri 'self'; form-action 'none'";

/// The hashed names pages refer to.
pub struct AssetNames {
    pub style: String,
    /// The page script: theme before first paint, theme toggle, copy-embed buttons.
    pub script: String,
    pub loader: String,
}

impl AssetNames {
    pub fn of(files: &[OutputFile]) -> Self {
        let find = |prefix: &str| {
            files
                .iter()
                .find(|f| f.path.starts_with(prefix))
                .map(|f| f.path.clone())
                .expect("assets() writes every asset")
        };
        AssetNames {
            style: find("assets/style."),
            script: find("assets/site."),
            loader: find("assets/loader."),
        }
    }
}

/// The style sheet, the widgets' loader and the bundle, under `assets/` with hashed names.
pub fn assets(config: &Config) -> Vec<OutputFile> {
    let glue = format!(
        "assets/{}",
        hashed_name("widgets.js", config.bundle.glue.bytes)
    );
    let wasm = format!(
        "assets/{}",
        hashed_name("widgets_bg.wasm", config.bundle.wasm.bytes)
    );
    let loader = without_line_comments(&config.loader)
        .replace("__WIDGETS_JS__", glue.trim_start_matches("assets/"))
        .replace("__WIDGETS_WASM__", wasm.trim_start_matches("assets/"));
    vec![
        OutputFile::text(
            format!(
                "assets/{}",
                hashed_name("style.css", config.style.as_bytes())
            ),
            config.style.clone().into_bytes(),
        ),
        OutputFile::text(
            format!(
                "assets/{}",
                hashed_name("site.js", config.script.as_bytes())
            ),
            config.script.clone().into_bytes(),
        ),
        OutputFile::text(
            format!("assets/{}", hashed_name("loader.js", loader.as_bytes())),
            loader.into_bytes(),
        ),
        config.bundle.glue.output(glue),
        config.bundle.wasm.output(wasm),
    ]
}

/// The loader as served: its whole-line comments, blank lines and indentation are for
/// readers of the source, and were over a third of its compressed size, which counts
/// against the widgets' 250 KB. A loader of one's own (`site/assets/loader.js` beside
/// the content) gets the same: inside a template literal that spans lines, a line's
/// indentation or a line that starts with `//` would go too, and ours has none.
fn without_line_comments(js: &str) -> String {
    js.lines()
        .map(str::trim_start)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .flat_map(|line| [line, "\n"])
        .collect()
}

/// The parts of a page that differ from page to page; the shell supplies the rest.
pub struct PageParts<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// Output path relative to the site root.
    pub path: &'a str,
    /// The page's `<h1>` when the content has none (the title from front matter).
    pub heading: String,
    pub toc: String,
    pub nav: String,
    /// Links to every page, the current one marked.
    pub pages: String,
    pub content: &'a str,
    /// Whether the page holds widgets (then the loader fetches their bundle early).
    pub widgets: bool,
}

/// What tells the loader that a page holds widgets before the page is parsed, so it
/// fetches their bundle once the text is painted rather than when the first widget
/// comes near: on a slow phone network the wasm is most of the wait for the first
/// widget. Not a `<link rel="preload">`: that competes with the text for the network,
/// and Lighthouse's simulation then counts the whole wasm before the page's first paint.
pub const BUNDLE_HINT: &str = "<meta name=\"widget-bundle\" content=\"after-first-paint\">\n";

/// The title of the home page, which names the site.
pub fn site_title(pages: &[Page]) -> &str {
    pages
        .iter()
        .find(|p| p.source == "index.md")
        .map(|p| p.front.title.as_str())
        .unwrap_or("")
}

pub fn render_page(
    config: &Config,
    names: &AssetNames,
    pages: &[Page],
    index: usize,
    page: &Page,
    rendered: &Rendered,
) -> String {
    let path = page.output();
    fill_shell(
        config,
        names,
        site_title(pages),
        &PageParts {
            title: &page.front.title,
            description: &page.front.description,
            path: &path,
            heading: if rendered.headings.iter().any(|h| h.level == 1) {
                String::new()
            } else {
                format!("<h1 class=\"page-title\">{}</h1>", text(&page.front.title))
            },
            toc: table_of_contents(rendered),
            nav: navigation(&config.base_url, pages, index),
            pages: page_list(&config.base_url, pages, Some(index)),
            content: &rendered.html,
            widgets: !rendered.widgets.is_empty(),
        },
    )
}

/// `404.html`: hosts (GitHub Pages, Netlify, nginx with `error_page`) show it for any
/// missing path, at any depth, so every link in it is absolute.
pub fn not_found(config: &Config, names: &AssetNames, pages: &[Page]) -> String {
    let base = &config.base_url;
    let content = format!(
        "<h1 id=\"page-not-found\">Page not found</h1>\n\
         <p>There is no page at this address. It may have moved when the article was \
         reorganised.</p>\n<ul>{}</ul>\n",
        pages
            .iter()
            .map(|p| format!(
                "<li><a href=\"{base}{}\">{}</a></li>",
                p.output(),
                text(&p.front.title)
            ))
            .collect::<String>()
    );
    fill_shell(
        config,
        names,
        site_title(pages),
        &PageParts {
            title: "Page not found",
            description: "There is no page at this address.",
            path: "404.html",
            heading: String::new(),
            toc: String::new(),
            nav: String::new(),
            pages: page_list(base, pages, None),
            content: &content,
            widgets: false,
        },
    )
}

fn fill_shell(config: &Config, names: &AssetNames, site_title: &str, parts: &PageParts) -> String {
    let base = &config.base_url;
    let mut values = BTreeMap::new();
    values.insert("lang", "en".to_string());
    values.insert("title", text(parts.title).into_owned());
    // The home page's title is the site's: "Site · Site" would read as a mistake.
    let page_title = if parts.title == site_title || site_title.is_empty() {
        parts.title.to_string()
    } else {
        format!("{} · {site_title}", parts.title)
    };
    values.insert("page_title", text(&page_title).into_owned());
    values.insert("site_title", text(site_title).into_owned());
    values.insert("description", attr(parts.description).into_owned());
    values.insert("base", base.clone());
    values.insert("csp", CONTENT_SECURITY_POLICY.to_string());
    values.insert("style", format!("{base}{}", names.style));
    values.insert("script", format!("{base}{}", names.script));
    values.insert("loader", format!("{base}{}", names.loader));
    let hint = if parts.widgets { BUNDLE_HINT } else { "" };
    values.insert("bundle_hint", hint.to_string());
    let root = config.site_url.as_deref().unwrap_or(base);
    values.insert("canonical", meta::page_url(root, parts.path));
    values.insert(
        "meta",
        meta::head_tags(
            config.site_url.as_deref(),
            base,
            &PageMeta {
                title: parts.title,
                description: parts.description,
                site_title,
                path: parts.path,
            },
        ),
    );
    values.insert("heading", parts.heading.clone());
    values.insert("toc", parts.toc.clone());
    values.insert("nav", parts.nav.clone());
    values.insert("pages", parts.pages.clone());
    values.insert("content", parts.content.to_string());
    config.shell.fill(&values)
}

fn table_of_contents(rendered: &Rendered) -> String {
    let entries: Vec<String> = rendered
        .headings
        .iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .map(|h| {
            format!(
                "<li class=\"toc-h{}\"><a href=\"#{}\">{}</a></li>",
                h.level,
                h.id,
                text(&h.text)
            )
        })
        .collect();
    if entries.is_empty() {
        return String::new();
    }
    // The page script fills this in from what the reader has done, when scripts run.
    // The line is there (blank) from the first paint, so filling it moves nothing.
    let challenges: usize = rendered
        .widgets
        .iter()
        .map(|w| w.placeholder.options.challenges.len())
        .sum();
    let progress = if challenges > 0 {
        format!("<p class=\"challenge-progress\" data-challenges=\"{challenges}\">&nbsp;</p>")
    } else {
        String::new()
    };
    format!(
        "<nav class=\"toc\" aria-label=\"Contents\"><h2 class=\"toc-title\">Contents</h2><ul>{}</ul>{progress}</nav>",
        entries.concat()
    )
}

/// Every page, for the footer: the way to the model, glossary and references from
/// anywhere without scrolling back through the pager.
fn page_list(base: &str, pages: &[Page], current: Option<usize>) -> String {
    let items: String = pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let marker = if Some(i) == current {
                " aria-current=\"page\""
            } else {
                ""
            };
            format!(
                "<li><a href=\"{base}{}\"{marker}>{}</a></li>",
                page.output(),
                text(&page.front.title)
            )
        })
        .collect();
    format!("<nav class=\"site-pages\" aria-label=\"All pages\"><ul>{items}</ul></nav>")
}

fn navigation(base: &str, pages: &[Page], index: usize) -> String {
    let link = |page: &Page, rel: &str, label: &str| {
        format!(
            "<a rel=\"{rel}\" href=\"{base}{}\"><span>{label}</span> {}</a>",
            page.output(),
            text(&page.front.title)
        )
    };
    let prev = index
        .checked_sub(1)
        .map(|i| link(&pages[i], "prev", "Previous:"));
    let next = pages.get(index + 1).map(|p| link(p, "next", "Next:"));
    if prev.is_none() && next.is_none() {
        return String::new();
    }
    format!(
        "<nav class=\"pager\" aria-label=\"Pages\">{}{}</nav>",
        prev.unwrap_or_default(),
        next.unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_served_loader_keeps_its_code_and_drops_its_comment_lines_and_indentation() {
        let source = include_str!("../assets/loader.js");
        let served = without_line_comments(source);
        assert!(!served.lines().any(|l| l.trim_start().starts_with("//")));
        let code = |text: &str| -> Vec<String> {
            text.lines()
                .map(str::trim_start)
                .filter(|l| !l.is_empty() && !l.starts_with("//"))
                .map(String::from)
                .collect()
        };
        assert_eq!(code(&served), code(source));
        // What the build fills in and what the page calls are still there.
        for needed in [
            "__WIDGETS_JS__",
            "__WIDGETS_WASM__",
            "widget-bundle",
            "mount(",
        ] {
            assert!(served.contains(needed), "{needed}");
        }
    }
}
