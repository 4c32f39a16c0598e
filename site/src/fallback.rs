//! Each widget's static figure, for readers without WebAssembly or JavaScript: the
//! widget's own figure (`chart::Figure`) run at build time for a few simulated seconds
//! (deterministic for its seed) and drawn into SVG by the same code that draws the live
//! canvases, with a text description and the live values its caption shows.
//! Each panel's SVG is a file of its own ([`crate::figure_image`]).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use chart::{Figure, Look};
use contract::{LiveValue, Placeholder};

use crate::assets::OutputFile;
use crate::figure_image::{self, ImageFiles};

const WIDTH: u32 = 640;

#[derive(Clone)]
pub struct Fallback {
    /// The rows of `<img>` elements, one per panel and theme.
    pub html: String,
    /// The SVG files they show.
    pub files: Vec<OutputFile>,
    pub description: String,
    values: Vec<(LiveValue, Option<f64>)>,
}

impl Fallback {
    /// A live value as the static figure has it.
    pub fn value(&self, value: LiveValue) -> Option<f64> {
        self.values
            .iter()
            .find(|(v, _)| *v == value)
            .and_then(|(_, x)| *x)
    }
}

/// Figures drawn in this process, by block: the same block gives the same figure (the
/// simulation is deterministic), and `serve` rebuilds on every save, so redrawing
/// unchanged figures would only slow the reload. Entries not used by the latest build
/// are dropped when it ends ([`end_build`]), so the cache holds one site's figures.
#[derive(Default)]
struct Cache {
    build: u64,
    figures: HashMap<String, (u64, Fallback)>,
}

static DRAWN: LazyLock<Mutex<Cache>> = LazyLock::new(Mutex::default);

impl Cache {
    fn get(&mut self, key: &str) -> Option<Fallback> {
        let build = self.build;
        let (used, figure) = self.figures.get_mut(key)?;
        *used = build;
        Some(figure.clone())
    }

    fn insert(&mut self, key: String, figure: Fallback) {
        self.figures.insert(key, (self.build, figure));
    }

    fn end_build(&mut self) {
        let build = self.build;
        self.figures.retain(|_, (used, _)| *used == build);
        self.build += 1;
    }
}

/// The static figure of a block, its images' addresses under `base`.
pub fn figure(placeholder: &Placeholder, base: &str) -> Fallback {
    let [(_, kind), (_, scenario), (_, options)] = placeholder.attributes();
    let key = format!("{base}{kind}?{scenario}#{options}");
    if let Some(figure) = DRAWN.lock().ok().and_then(|mut cache| cache.get(&key)) {
        return figure;
    }
    let figure = draw(placeholder, base);
    if let Ok(mut cache) = DRAWN.lock() {
        cache.insert(key, figure.clone());
    }
    figure
}

/// Forgets the figures the build that just ended did not use.
pub fn end_build() {
    if let Ok(mut cache) = DRAWN.lock() {
        cache.end_build();
    }
}

fn draw(placeholder: &Placeholder, base: &str) -> Fallback {
    let mut figure = Figure::still(
        placeholder.kind,
        &placeholder.scenario,
        &placeholder.options.values,
        placeholder.options.measured.as_ref(),
    );
    let mut rows: Vec<(chart::Row, String)> = Vec::new();
    let mut files = Vec::new();
    for (index, panel) in figure.panels().iter().enumerate() {
        if !panel.fallback {
            continue;
        }
        let mut images = figure_image::in_both_themes(
            panel.label,
            (WIDTH, panel.height),
            &mut ImageFiles {
                base,
                files: &mut files,
            },
            |area, palette| {
                let look = Look {
                    palette,
                    ..Look::still()
                };
                figure.draw(index, area, &look)
            },
        );
        if let Some(caption) = figure.caption(index) {
            images = format!(
                "<figure class=\"widget-panel\"><figcaption>{}</figcaption>{images}</figure>",
                html_escape::encode_text(&caption)
            );
        }
        match rows.last_mut() {
            Some((row, html)) if *row == panel.row => html.push_str(&images),
            _ => rows.push((panel.row, images)),
        }
    }
    let mut html: String = rows
        .iter()
        .map(|(row, images)| format!("<div class=\"{}\">{images}</div>", row.class()))
        .collect();
    if let Some(extra) = figure.html() {
        html.push_str(&extra);
    }
    // Every measure of the widget, for the caption and the block's claims; settings are
    // read from the block itself (`widget::value_in`), since the cache is keyed on them.
    let values: Vec<(LiveValue, Option<f64>)> = placeholder
        .kind
        .live_values()
        .into_iter()
        .map(|v| (v, figure.value(v)))
        .collect();
    Fallback {
        html,
        files,
        description: figure.summary(),
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_keeps_only_what_the_last_build_used() {
        let figure = Fallback {
            html: String::new(),
            files: Vec::new(),
            description: String::new(),
            values: Vec::new(),
        };
        let mut cache = Cache::default();
        cache.insert("a".into(), figure.clone());
        cache.insert("b".into(), figure);
        cache.end_build();
        assert!(cache.get("a").is_some());
        cache.end_build();
        assert_eq!(cache.figures.len(), 1, "b went unused for a build");
        cache.end_build();
        assert!(cache.figures.is_empty());
    }
}
