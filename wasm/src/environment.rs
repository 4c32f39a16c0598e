//! What the page and the reader's settings say: the theme, reduced motion, the clock.

/// The reader's theme: `<html data-theme>` when they chose one, else the system's.
pub fn palette() -> &'static chart::Palette {
    let Some(window) = web_sys::window() else {
        return &chart::LIGHT;
    };
    let chosen = window
        .document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("data-theme"));
    let dark = match chosen.as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => matches_media("(prefers-color-scheme: dark)"),
    };
    if dark {
        &chart::DARK
    } else {
        &chart::LIGHT
    }
}

/// True when the reader asked the system for less motion: dots jump instead of moving.
pub fn reduced_motion() -> bool {
    matches_media("(prefers-reduced-motion: reduce)")
}

fn matches_media(query: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// A monotonic clock, ms.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Tells when the theme changed since the last look, so widgets that do not redraw every
/// frame can follow the reader's toggle at once.
#[derive(Debug, Default)]
pub struct ThemeWatch {
    seen: Option<*const chart::Palette>,
}

impl ThemeWatch {
    /// True when the palette differs from the one seen last time (and the first time).
    pub fn changed(&mut self) -> bool {
        let now: *const chart::Palette = palette();
        let changed = self.seen != Some(now);
        self.seen = Some(now);
        changed
    }
}
