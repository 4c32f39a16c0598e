//! What the page and the reader's settings say: the theme, reduced motion, the clock.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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

/// Calls a function whenever the page's script says the theme changed (the reader's
/// toggle, or the system's setting): a paused widget draws no frames, so it has to be
/// told. Dropping it stops listening.
pub struct ThemeChanges {
    _callback: Closure<dyn FnMut()>,
}

impl ThemeChanges {
    pub fn watch(changed: impl Fn() + 'static) -> Option<ThemeChanges> {
        let callback = Closure::<dyn FnMut()>::new(changed);
        web_sys::window()?
            .add_event_listener_with_callback("theme-changed", callback.as_ref().unchecked_ref())
            .ok()?;
        Some(ThemeChanges {
            _callback: callback,
        })
    }
}

impl Drop for ThemeChanges {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback(
                "theme-changed",
                self._callback.as_ref().unchecked_ref(),
            );
        }
    }
}
