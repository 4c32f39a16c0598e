//! Where a build's inputs come from: the content folder given on the command line, and
//! the page shell, style sheet and widget loader of the project. Run from the project
//! root, those are read from disk (so `serve` picks up edits); elsewhere the copies
//! built into the binary are used.

use std::path::{Path, PathBuf};

use anyhow::Context;

pub const SHELL: &str = "index.html";
pub const ASSETS: &str = "site/assets";

const EMBEDDED_SHELL: &str = include_str!("../index.html");
const EMBEDDED_STYLE: &str = include_str!("../site/assets/style.css");
const EMBEDDED_WIDGET_STYLE: &str = include_str!("../site/assets/widgets.css");
const EMBEDDED_LOADER: &str = include_str!("../site/assets/loader.js");
const EMBEDDED_SCRIPT: &str = include_str!("../site/assets/site.js");

/// The shared options of `build`, `serve` and `check`.
#[derive(clap::Args, Debug, Clone)]
pub struct SiteArgs {
    /// Folder of Markdown content
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// Output folder; replaced only when the build succeeds
    #[arg(long, default_value = "dist")]
    pub out: PathBuf,
    /// Path the site is served under, such as /repo/ on GitHub Pages
    #[arg(long, default_value = "/")]
    pub base_url: String,
    /// The site's public address, such as https://example.org/repo/ (its path must be
    /// the base URL); gives canonical URLs, Open Graph URLs and sitemap.xml
    #[arg(long)]
    pub site_url: Option<String>,
}

impl SiteArgs {
    pub fn config(&self) -> anyhow::Result<site::Config> {
        Ok(site::Config {
            content: self.content.clone(),
            out: self.out.clone(),
            base_url: site::normalize_base_url(&self.base_url),
            site_url: self
                .site_url
                .as_deref()
                .map(site::normalize_site_url)
                .transpose()
                .map_err(|message| anyhow::anyhow!("--site-url: {message}"))?,
            shell: site::Shell {
                path: PathBuf::from(SHELL),
                text: read_or(Path::new(SHELL), EMBEDDED_SHELL)?,
            },
            // One style sheet for the page: the site's, then the widgets'.
            style: read_or(&Path::new(ASSETS).join("style.css"), EMBEDDED_STYLE)?
                + &read_or(
                    &Path::new(ASSETS).join("widgets.css"),
                    EMBEDDED_WIDGET_STYLE,
                )?,
            loader: read_or(&Path::new(ASSETS).join("loader.js"), EMBEDDED_LOADER)?,
            script: read_or(&Path::new(ASSETS).join("site.js"), EMBEDDED_SCRIPT)?,
            bundle: crate::bundle::BUNDLE,
            compress: true,
        })
    }
}

fn read_or(path: &Path, embedded: &str) -> anyhow::Result<String> {
    if path.exists() {
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
    } else {
        Ok(embedded.to_string())
    }
}
