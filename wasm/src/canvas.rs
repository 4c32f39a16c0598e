//! Drawing a chart on a `<canvas>` sharply: the canvas is sized in device pixels and the
//! chart scaled by `devicePixelRatio`, since plotters draws in canvas pixels.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// The theme the page shows: the reader's choice on `<html data-theme>`, else the OS's.
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
        _ => window
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches()),
    };
    if dark {
        &chart::DARK
    } else {
        &chart::LIGHT
    }
}

/// Draws `chart` filling `canvas`; does nothing while the canvas has no size yet.
pub fn draw(canvas: &HtmlCanvasElement, chart: &chart::LineChart<'_>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let ratio = window.device_pixel_ratio().clamp(1.0, 4.0);
    let (css_w, css_h) = (canvas.client_width(), canvas.client_height());
    if css_w <= 0 || css_h <= 0 {
        return;
    }
    let (w, h) = (
        (f64::from(css_w) * ratio) as u32,
        (f64::from(css_h) * ratio) as u32,
    );
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    let area = backend.into_drawing_area();
    // A failed draw leaves last frame's chart; nothing a reader did can cause it.
    let _ = chart::draw_line_chart(&area, chart, palette(), ratio);
}
