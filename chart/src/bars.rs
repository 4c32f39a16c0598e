//! Horizontal bars, one per label, on a linear or log scale: the memory and
//! context-switch widgets compare a handful of server kinds this way.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::Palette;

#[derive(Debug, Clone)]
pub struct BarChart<'a> {
    pub title: &'a str,
    /// (label, value); values must be positive on a log scale.
    pub bars: Vec<(&'a str, f64)>,
    /// How a value is written next to its bar.
    pub format: fn(f64) -> String,
    pub log: bool,
}

pub fn draw_bar_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &BarChart<'_>,
    palette: &Palette,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * scale).round() as i32;
    area.fill(&palette.background)?;
    let (w, h) = area.dim_in_pixel();
    let font = crate::sans(f64::from(px(12.0).max(1) as u32)).color(&palette.text);
    area.draw(&Text::new(
        chart.title.to_string(),
        (px(4.0), px(2.0)),
        font.clone(),
    ))?;
    let label_w = px(92.0);
    let top = px(22.0);
    let rows = chart.bars.len().max(1) as i32;
    let row_h = ((h as i32 - top) / rows).max(1);
    let max = chart
        .bars
        .iter()
        .map(|b| b.1)
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let min = if chart.log { 1.0_f64.min(max) } else { 0.0 };
    let span = |v: f64| {
        if chart.log {
            let (lo, hi) = (min.max(1e-9).ln(), (max * 1.5).ln());
            ((v.max(min * 1.0001).ln() - lo) / (hi - lo)).clamp(0.0, 1.0)
        } else {
            (v / (max * 1.25)).clamp(0.0, 1.0)
        }
    };
    let bar_room = (w as i32 - label_w - px(8.0)).max(1);
    for (index, (label, value)) in chart.bars.iter().enumerate() {
        let y = top + index as i32 * row_h;
        let color = palette.series[index % palette.series.len()];
        area.draw(&Text::new(
            label.to_string(),
            (px(4.0), y + row_h / 3),
            font.clone(),
        ))?;
        let end = label_w + (span(*value) * f64::from(bar_room) * 0.62) as i32;
        area.draw(&Rectangle::new(
            [
                (label_w, y + row_h / 5),
                (end.max(label_w + 1), y + row_h * 4 / 5),
            ],
            color.filled(),
        ))?;
        area.draw(&Text::new(
            (chart.format)(*value),
            (end + px(4.0), y + row_h / 3),
            font.clone(),
        ))?;
    }
    area.present()
}
