//! Drawing on a `<canvas>` sharply: the canvas is sized in device pixels and the drawing
//! scaled by `devicePixelRatio`, since plotters draws in canvas pixels.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

type CanvasResult<T = ()> =
    Result<T, DrawingErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>;

/// The canvas backend, measuring text with the canvas's own `measureText`. Left to
/// itself plotters measures text on wasm by adding a `<span>` with a `style` attribute
/// to the page for every label: the site's Content-Security-Policy refuses such
/// attributes, and each one forces a layout of the page in the middle of a frame.
pub struct MeasuredCanvas {
    canvas: CanvasBackend,
    context: CanvasRenderingContext2d,
}

impl MeasuredCanvas {
    fn new(element: &HtmlCanvasElement) -> Option<MeasuredCanvas> {
        let context = element.get_context("2d").ok()??.dyn_into().ok()?;
        Some(MeasuredCanvas {
            canvas: CanvasBackend::with_canvas_object(element.clone())?,
            context,
        })
    }
}

impl DrawingBackend for MeasuredCanvas {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.canvas.get_size()
    }
    fn ensure_prepared(&mut self) -> CanvasResult {
        self.canvas.ensure_prepared()
    }
    fn present(&mut self) -> CanvasResult {
        self.canvas.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> CanvasResult {
        self.canvas.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> CanvasResult {
        self.canvas.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> CanvasResult {
        self.canvas.draw_rect(a, b, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> CanvasResult {
        self.canvas.draw_path(path, style)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> CanvasResult {
        self.canvas.fill_polygon(vert, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> CanvasResult {
        self.canvas.draw_circle(center, radius, style, fill)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> CanvasResult {
        self.canvas.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> CanvasResult<(u32, u32)> {
        self.context.set_font(&format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str()
        ));
        let width = self.context.measure_text(text).map_or(0.0, |m| m.width());
        Ok((width.ceil() as u32, style.size().ceil() as u32))
    }
}

/// The canvas's size in CSS pixels, or `None` while it has no size yet.
pub fn css_size(canvas: &HtmlCanvasElement) -> Option<(f64, f64)> {
    let (w, h) = (canvas.client_width(), canvas.client_height());
    (w > 0 && h > 0).then(|| (f64::from(w), f64::from(h)))
}

/// The size in device pixels `canvas` should have, for its size on the page.
fn device_size(canvas: &HtmlCanvasElement) -> Option<(u32, u32, f64)> {
    let ratio = web_sys::window()?.device_pixel_ratio().clamp(1.0, 4.0);
    let (css_w, css_h) = css_size(canvas)?;
    Some(((css_w * ratio) as u32, (css_h * ratio) as u32, ratio))
}

/// Whether `canvas` no longer has the size its place on the page asks for (the layout
/// or the zoom changed since it was drawn): its picture is stretched.
pub fn resized(canvas: &HtmlCanvasElement) -> bool {
    device_size(canvas).is_some_and(|(w, h, _)| canvas.width() != w || canvas.height() != h)
}

/// Sizes `canvas` for the screen and runs `draw` on it with the theme's palette and the
/// device pixel ratio as scale. False when there was nothing to draw on (the canvas has
/// no size on the page yet).
pub fn draw_with<F>(canvas: &HtmlCanvasElement, draw: F) -> bool
where
    F: FnOnce(
        &DrawingArea<MeasuredCanvas, Shift>,
        &chart::Palette,
        f64,
    )
        -> Result<(), DrawingAreaErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>,
{
    let Some((w, h, ratio)) = device_size(canvas) else {
        return false;
    };
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let Some(backend) = MeasuredCanvas::new(canvas) else {
        return false;
    };
    let area = backend.into_drawing_area();
    // A failed draw leaves the last frame's picture; nothing a reader does causes one.
    let _ = draw(&area, crate::environment::palette(), ratio);
    true
}
