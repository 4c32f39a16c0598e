//! The site build: content in, a static site out. It reads as a pipeline of named
//! stages (see [`build`]): load the content, render its Markdown and widget blocks,
//! check every internal link, pour each page into the shell, add the assets, and swap
//! the finished tree in. Content problems are collected and reported together.

mod assets;
mod content;
mod diagnostic;
mod fallback;
mod links;
mod markdown;
mod output;
mod page;
mod shell;
mod widget;

use std::path::PathBuf;

pub use assets::{OutputFile, Precompressed};
pub use diagnostic::Diagnostic;
pub use shell::Shell;
pub use widget::NAMES as WIDGET_NAMES;

/// Everything a build needs to know.
#[derive(Debug, Clone)]
pub struct Config {
    pub content: PathBuf,
    pub out: PathBuf,
    /// Where the site is served from, with leading and trailing `/`: `/` or `/sub/`.
    pub base_url: String,
    pub shell: Shell,
    pub style: String,
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
    let pages = content::load(&config.content, &mut diagnostics)?;
    let rendered: Vec<_> = pages
        .iter()
        .map(|p| markdown::render(p, &mut diagnostics))
        .collect();
    let static_files = content::static_files(&config.content)?;
    links::check(&pages, &rendered, &static_files, &mut diagnostics);
    if pages.iter().all(|p| p.source != "index.md") && !pages.is_empty() {
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
    for (index, (source, rendered)) in pages.iter().zip(&rendered).enumerate() {
        let html = page::render_page(config, &asset_names, &pages, index, source, rendered);
        files.push(OutputFile::text(source.output(), html.into_bytes()));
    }
    for path in &static_files {
        let bytes = std::fs::read(config.content.join(path)).map_err(|source| BuildError::Io {
            path: config.content.join(path),
            source,
        })?;
        files.push(OutputFile::plain(path.clone(), bytes));
    }
    Ok(Summary {
        pages: pages.len(),
        widgets: rendered.iter().map(|r| r.widgets.len()).sum(),
        files,
    })
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
