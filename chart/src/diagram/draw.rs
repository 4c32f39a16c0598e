//! Drawing a placed [`Layout`] on any plotters backend: boxes, counts, every request's
//! marker where the widget's animation has it, and the legend.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Dot, DotState, Layout, DOT};
use crate::Palette;

/// Draws `layout`, with each dot at `position(dot)` (where the widget's animation has
/// it now), scaled by `scale` device pixels per CSS pixel; the `selected` request, if
/// any, is ringed.
pub fn draw_diagram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    position: &dyn Fn(&Dot) -> (f64, f64),
    selected: Option<u64>,
    palette: &Palette,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * scale).round() as i32;
    area.fill(&palette.background)?;
    let font = crate::sans(f64::from(px(11.0).max(1) as u32)).color(&palette.text);
    for (rect, label, state) in &layout.boxes {
        let corners = [
            (px(rect.x), px(rect.y)),
            (px(rect.x + rect.w), px(rect.y + rect.h)),
        ];
        if let Some(state) = state {
            area.draw(&Rectangle::new(
                corners,
                state.color(palette).mix(0.18).filled(),
            ))?;
        }
        area.draw(&Rectangle::new(
            corners,
            palette.grid.stroke_width(px(1.0).max(1) as u32),
        ))?;
        if !label.is_empty() {
            area.draw(&Text::new(
                label.clone(),
                (px(rect.x + 4.0), px(rect.y + 3.0)),
                font.clone(),
            ))?;
        }
    }
    for (x, y, text) in &layout.counts {
        area.draw(&Text::new(text.clone(), (px(*x), px(*y)), font.clone()))?;
    }
    // Arrows from station to station: the way a request goes.
    let arrow = palette.text.mix(0.6).stroke_width(px(1.2).max(1) as u32);
    for &(from, to, y) in &layout.arrows {
        let (from, to, y) = (px(from + 1.0), px(to - 1.0), px(y));
        let head = px(4.0);
        area.draw(&PathElement::new(vec![(from, y), (to, y)], arrow))?;
        area.draw(&PathElement::new(
            vec![(to - head, y - head), (to, y), (to - head, y + head)],
            arrow,
        ))?;
    }
    let radius = px(DOT / 2.0).max(1);
    for dot in &layout.dots {
        let (x, y) = position(dot);
        draw_marker(area, (px(x), px(y)), radius, dot.state, palette, scale)?;
        if selected == Some(dot.id) {
            let ring = palette.text.stroke_width(px(2.0).max(1) as u32);
            area.draw(&Circle::new((px(x), px(y)), radius + px(4.0), ring))?;
        }
    }
    // The key, along the top, at the places the layout gave.
    for &(x, y, state) in &layout.legend {
        draw_marker(
            area,
            (px(x + 5.0), px(y + 8.0)),
            radius,
            state,
            palette,
            scale,
        )?;
        area.draw(&Text::new(
            state.label(),
            (px(x + 13.0), px(y + 2.0)),
            font.clone(),
        ))?;
    }
    area.present()
}

/// A request's marker: shape as well as colour tell its state, for readers who do not
/// see the colours apart. Waiting: a square; on the CPU: a disc; waiting on I/O: a ring;
/// at the database: a triangle; blocking the loop: a diamond.
fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    radius: i32,
    state: DotState,
    palette: &Palette,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let color = state.color(palette);
    let r = radius;
    match state {
        DotState::Waiting => area.draw(&Rectangle::new(
            [(x - r, y - r), (x + r, y + r)],
            color.filled(),
        )),
        DotState::Cpu => area.draw(&Circle::new((x, y), r, color.filled())),
        DotState::Io => {
            let width = ((1.6 * scale).round() as u32).max(1);
            area.draw(&Circle::new((x, y), r, color.stroke_width(width)))
        }
        DotState::Db => area.draw(&Polygon::new(
            vec![(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)],
            color.filled(),
        )),
        DotState::Blocked => area.draw(&Polygon::new(
            vec![
                (x, y - r - 1),
                (x + r + 1, y),
                (x, y + r + 1),
                (x - r - 1, y),
            ],
            color.filled(),
        )),
    }
}
