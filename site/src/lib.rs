//! The site build: content in, a static site out. It reads as a pipeline of named
//! stages (see [`build`]): load the content, render its Markdown and widget blocks,
//! check every internal link, pour each page into the shell, add the assets, and swap
//! the finished tree in. Content problems are collected and reported together.

mod assets;
mod content;
mod diagnostic;
mod embed;
mod fallback;
mod figure_image;
mod headers;
mod highlight;
mod keys_table;
mod links;
mod markdown;
mod measured;
mod measured_db;
mod meta;
mod output;
mod page;
mod preview;
mod shell;
mod validation;
mod widget;

use std::path::PathBuf;

pub use assets::{OutputFile, Precompressed};
pub use diagnostic::Diagnostic;
pub use shell::Shell;

/// Everything a build needs to know.
#[derive(Debug, Clone)]
pub struct Config {
    pub content: PathBuf,
    pub out: PathBuf,
    /// Where the site is served from, with leading and trailing `/`: `/` or `/sub/`.
    pub base_url: String,
    /// The site's public address, absolute, ending in `/` (normalised by
    /// [`normalize_site_url`]): needed for canonical URLs, Open Graph tags and the
    /// sitemap, which the build leaves out without it.
    pub site_url: Option<String>,
    pub shell: Shell,
    pub style: String,
    /// The page script (`site.js`): theme, theme toggle, copy-embed buttons.
    pub script: String,
    /// JS that loads the widgets; `__WIDGETS_JS__` and `__WIDGETS_WASM__` in it are
    /// replaced by the hashed names of the bundle's files.
    pub loader: String,
    pub bundle: Bundle,
    /// Write `.gz` and `.br` copies beside the assets (the dev server skips them).
    pub compress: bool,
}

/// The compiled widgets: wasm-bindgen's JS glue and the wasm.
#[derive(Debug, Clone, Copy)]
pub struct Bundle {
    pub glue: Precompressed,
    pub wasm: Precompressed,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{}", format_diagnostics(.0))]
    Content(Vec<Diagnostic>),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn format_diagnostics(diagnostics: &[Diagnostic]) -> String {
    let mut text = diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    text.push_str(&format!(
        "\n{} problem{} in the content",
        diagnostics.len(),
        if diagnostics.len() == 1 { "" } else { "s" }
    ));
    text
}

/// What a build made.
#[derive(Debug, Clone)]
pub struct Summary {
    pub pages: usize,
    pub widgets: usize,
    pub files: Vec<OutputFile>,
}

/// Builds the site into `config.out`; on any error the previous output is untouched.
pub fn build(config: &Config) -> Result<Summary, BuildError> {
    let summary = check(config)?;
    output::write_and_swap(&config.out, &summary.files, config.compress)?;
    Ok(summary)
}

/// Everything `build` does except writing: the files it would write.
pub fn check(config: &Config) -> Result<Summary, BuildError> {
    let mut diagnostics = Vec::new();
    config.shell.validate(&mut diagnostics);
    check_site_url(config, &mut diagnostics);
    let content::Loaded { pages, unloaded } = content::load(&config.content, &mut diagnostics)?;
    let root = config.site_url.as_deref().unwrap_or(&config.base_url);
    let measured = measured::load(&config.content).unwrap_or_else(|message| {
        diagnostics.push(Diagnostic::new(
            config.content.join(measured::FILE),
            1,
            message,
        ));
        None
    });
    let measured_db = measured_db::load(&config.content).unwrap_or_else(|message| {
        diagnostics.push(Diagnostic::new(
            config.content.join(measured_db::FILE),
            1,
            message,
        ));
        None
    });
    let context = markdown::Context {
        base: &config.base_url,
        root,
        measured: measured.as_ref(),
        measured_db: measured_db.as_ref(),
    };
    // The validation runs and the preview image are simulations independent of the
    // pages: computed on another core while the pages render (both are cached).
    let needs_validation = pages
        .iter()
        .any(|p| p.body.contains("```generated validation"));
    let mut rendered: Vec<_> = std::thread::scope(|scope| {
        scope.spawn(|| {
            if needs_validation {
                validation::table();
            }
            preview::png();
        });
        pages
            .iter()
            .map(|p| markdown::render(p, &context, &mut diagnostics))
            .collect()
    });
    let static_files = content::static_files(&config.content)?;
    // A page that failed to load has its own error; links to it are not another one.
    let linkable: Vec<String> = static_files.iter().chain(&unloaded).cloned().collect();
    links::check(&pages, &rendered, &linkable, &mut diagnostics);
    if pages.iter().all(|p| p.source != "index.md")
        && !pages.is_empty()
        && !unloaded.iter().any(|s| s == "index.md")
    {
        diagnostics.push(Diagnostic::new(
            config.content.join("index.md"),
            1,
            "the content has no index.md: add one, it becomes the home page",
        ));
    }
    if !diagnostics.is_empty() {
        return Err(BuildError::Content(diagnostics));
    }
    let mut files = page::assets(config);
    let asset_names = page::AssetNames::of(&files);
    for (index, (source, rendered)) in pages.iter().zip(&mut rendered).enumerate() {
        let html = page::render_page(config, &asset_names, &pages, index, source, &*rendered);
        files.push(OutputFile::text(source.output(), html.into_bytes()));
        files.append(&mut rendered.figures);
    }
    let overlay = measured.as_ref().and_then(|m| m.compare_overlay());
    files.extend(extra_pages(
        config,
        &asset_names,
        &pages,
        &rendered,
        overlay.as_ref(),
    ));
    fallback::end_build();
    // A figure shown twice (the same block on two pages, or in an embed page) is one file:
    // its name is its content's hash.
    let mut seen = std::collections::HashSet::new();
    files.retain(|file| {
        !file.path.starts_with(figure_image::FOLDER) || seen.insert(file.path.clone())
    });
    for path in &static_files {
        let bytes = std::fs::read(config.content.join(path)).map_err(|source| BuildError::Io {
            path: config.content.join(path),
            source,
        })?;
        files.push(OutputFile::plain(path.clone(), bytes));
    }
    // Generated pages are checked like the content: every internal href and src of
    // every page must reach a file of the output, and every anchor an id.
    links::check_output(&config.base_url, &files, &mut diagnostics);
    if !diagnostics.is_empty() {
        return Err(BuildError::Content(diagnostics));
    }
    Ok(Summary {
        pages: pages.len(),
        widgets: rendered.iter().map(|r| r.widgets.len()).sum(),
        files,
    })
}

/// The pages beside the content's: widget embed pages, the 404 page, the preview
/// image, `robots.txt` and (with a site URL) `sitemap.xml`.
fn extra_pages(
    config: &Config,
    names: &page::AssetNames,
    pages: &[content::Page],
    rendered: &[markdown::Rendered],
    measured: Option<&contract::measured::Overlay>,
) -> Vec<OutputFile> {
    let uses: Vec<_> = rendered.iter().flat_map(|r| &r.widgets).collect();
    let article = embed::Link {
        href: meta::page_url(
            config.site_url.as_deref().unwrap_or(&config.base_url),
            "index.html",
        ),
        title: page::site_title(pages).to_string(),
    };
    let mut files = embed::pages(config, names, &uses, &article, measured);
    files.push(OutputFile::text(
        "404.html".into(),
        page::not_found(config, names, pages).into_bytes(),
    ));
    let mut html: Vec<String> = pages.iter().map(content::Page::output).collect();
    html.extend(
        files
            .iter()
            .filter(|f| f.path.starts_with("embed/"))
            .map(|f| f.path.clone()),
    );
    html.push("404.html".into());
    files.push(OutputFile::plain(
        headers::PATH.into(),
        headers::file(&config.base_url, &html).into_bytes(),
    ));
    files.push(OutputFile::plain(preview::PATH.into(), preview::png()));
    files.push(OutputFile::text(
        "robots.txt".into(),
        meta::robots(config.site_url.as_deref()).into_bytes(),
    ));
    if let Some(site_url) = &config.site_url {
        let paths: Vec<String> = pages.iter().map(content::Page::output).collect();
        files.push(OutputFile::text(
            "sitemap.xml".into(),
            meta::sitemap(site_url, &paths).into_bytes(),
        ));
    }
    files
}

/// The site URL's path must be the base URL, or links and canonical URLs disagree.
fn check_site_url(config: &Config, diagnostics: &mut Vec<Diagnostic>) {
    let Some(site_url) = &config.site_url else {
        return;
    };
    let path = site_url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|at| &rest[at..]))
        .unwrap_or("/");
    if path != config.base_url {
        diagnostics.push(Diagnostic::new(
            "--site-url",
            1,
            format!(
                "the site URL {site_url} ends in the path {path} but the base URL is {}: \
                 give the same path to --base-url",
                config.base_url
            ),
        ));
    }
}

/// Normalises a site URL to end with `/`; it must be absolute (`https://host/path/`).
pub fn normalize_site_url(url: &str) -> Result<String, String> {
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    let host = url.split_once("://").map_or("", |(_, rest)| rest);
    if !scheme_ok || host.is_empty() || host.starts_with('/') {
        return Err(format!(
            "`{url}` is not an absolute http(s) URL such as https://example.org/docs/"
        ));
    }
    Ok(format!("{}/", url.trim_end_matches('/')))
}

/// Normalises a base URL to start and end with `/`.
pub fn normalize_base_url(base: &str) -> String {
    let trimmed = base.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

/// The content pipeline for one page in memory, without the site around it: load,
/// render, and the diagnostics it would report. For fuzzing; the build runs the same
/// stages over every page.
pub fn check_page(bytes: &[u8]) -> (String, Vec<Diagnostic>) {
    let path = PathBuf::from("page.md");
    let page = match content::page_of("page.md".into(), path, bytes.to_vec()) {
        Ok(page) => page,
        Err(diagnostic) => return (String::new(), vec![diagnostic]),
    };
    let context = markdown::Context {
        base: "/",
        root: "/",
        measured: None,
        measured_db: None,
    };
    let mut diagnostics = Vec::new();
    let rendered = markdown::render(&page, &context, &mut diagnostics);
    (rendered.html, diagnostics)
}
