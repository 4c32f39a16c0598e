//! Drawing on a `<canvas>` sharply: the canvas is sized in device pixels and the drawing
//! scaled by `devicePixelRatio`, since plotters draws in canvas pixels.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// The canvas's size in CSS pixels, or `None` while it has no size yet.
pub fn css_size(canvas: &HtmlCanvasElement) -> Option<(f64, f64)> {
    let (w, h) = (canvas.client_width(), canvas.client_height());
    (w > 0 && h > 0).then(|| (f64::from(w), f64::from(h)))
}

/// Sizes `canvas` for the screen and runs `draw` on it with the theme's palette and the
/// device pixel ratio as scale.
pub fn draw_with<F>(canvas: &HtmlCanvasElement, draw: F)
where
    F: FnOnce(
        &DrawingArea<CanvasBackend, Shift>,
        &chart::Palette,
        f64,
    )
        -> Result<(), DrawingAreaErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>,
{
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some((css_w, css_h)) = css_size(canvas) else {
        return;
    };
    let ratio = window.device_pixel_ratio().clamp(1.0, 4.0);
    let (w, h) = ((css_w * ratio) as u32, (css_h * ratio) as u32);
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    let area = backend.into_drawing_area();
    // A failed draw leaves the last frame's picture; nothing a reader does causes one.
    let _ = draw(&area, crate::environment::palette(), ratio);
}
