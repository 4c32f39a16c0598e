//! Pouring a rendered page into the shell, and the assets every page links to.

use std::collections::BTreeMap;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::assets::{hashed_name, OutputFile};
use crate::content::Page;
use crate::markdown::Rendered;
use crate::Config;

/// The hashed names pages refer to.
pub struct AssetNames {
    pub style: String,
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
    let loader = config
        .loader
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
            format!("assets/{}", hashed_name("loader.js", loader.as_bytes())),
            loader.into_bytes(),
        ),
        config.bundle.glue.output(glue),
        config.bundle.wasm.output(wasm),
    ]
}

pub fn render_page(
    config: &Config,
    names: &AssetNames,
    pages: &[Page],
    index: usize,
    page: &Page,
    rendered: &Rendered,
) -> String {
    let base = &config.base_url;
    let site_title = pages
        .iter()
        .find(|p| p.source == "index.md")
        .map(|p| p.front.title.as_str())
        .unwrap_or("");
    let mut values = BTreeMap::new();
    values.insert("lang", "en".to_string());
    values.insert("title", text(&page.front.title).into_owned());
    values.insert("site_title", text(site_title).into_owned());
    values.insert("description", attr(&page.front.description).into_owned());
    values.insert("base", base.clone());
    values.insert("style", format!("{base}{}", names.style));
    values.insert("loader", format!("{base}{}", names.loader));
    values.insert("canonical", format!("{base}{}", page.output()));
    values.insert("toc", table_of_contents(rendered));
    values.insert("nav", navigation(base, pages, index));
    values.insert("content", rendered.html.clone());
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
    format!(
        "<nav class=\"toc\" aria-label=\"Contents\"><h2 class=\"toc-title\">Contents</h2><ul>{}</ul></nav>",
        entries.concat()
    )
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
