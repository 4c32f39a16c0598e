//! Charts of the explainer, drawn once and generic over the plotters backend: the site
//! draws them into SVG for each widget's static figure, the widgets draw them on a
//! `<canvas>` every frame. Nothing here knows which one it is drawing on.

mod bars;
mod diagram;
pub mod figure;

pub use bars::{draw_bar_chart, BarChart};

pub use diagram::{draw_diagram, Diagram, Dot, DotState, Layout};
pub use figure::{Figure, Look, Panel, Row, Runs};

/// The charts' font. Named by its variant rather than by the string "sans-serif", whose
/// lookup lowercases it with Unicode's tables: 4 KB of the bundle for one word.
pub(crate) fn sans(size: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::SansSerif, size, FontStyle::Normal)
}

/// The two themes, for drawing a static figure in both.
pub const THEMES: [(&str, &Palette); 2] = [("light", &LIGHT), ("dark", &DARK)];

use plotters::coord::ranged1d::BoldPoints;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Colours of one theme. The site's CSS uses the same background and text. Lines and
/// states come from the Okabe-Ito palette (Okabe and Ito, "Color Universal Design",
/// 2008), which readers with the common colour-vision deficiencies can tell apart; the
/// states also differ in shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Palette {
    pub background: RGBColor,
    pub text: RGBColor,
    pub grid: RGBColor,
    pub series: [RGBColor; 6],
    pub states: States,
}

/// The colour of each state a request or a worker can be in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct States {
    pub waiting: RGBColor,
    pub cpu: RGBColor,
    pub io: RGBColor,
    pub db: RGBColor,
    pub blocked: RGBColor,
}

const BLUE: RGBColor = RGBColor(0, 114, 178);
const VERMILLION: RGBColor = RGBColor(213, 94, 0);
const GREEN: RGBColor = RGBColor(0, 158, 115);
const PURPLE: RGBColor = RGBColor(204, 121, 167);
const ORANGE: RGBColor = RGBColor(230, 159, 0);
const SKY: RGBColor = RGBColor(86, 180, 233);
const YELLOW: RGBColor = RGBColor(240, 228, 66);

pub const LIGHT: Palette = Palette {
    background: RGBColor(255, 255, 255),
    text: RGBColor(33, 37, 41),
    grid: RGBColor(222, 226, 230),
    series: [BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY],
    states: States {
        waiting: PURPLE,
        cpu: VERMILLION,
        io: BLUE,
        db: GREEN,
        blocked: RGBColor(0, 0, 0),
    },
};

pub const DARK: Palette = Palette {
    background: RGBColor(24, 26, 27),
    text: RGBColor(222, 226, 230),
    grid: RGBColor(60, 64, 67),
    // Fifth a light grey, as the light theme's fifth is orange: yellow there sat too near
    // the second's orange on a dark ground (the planner's gthread and uvloop lines).
    series: [SKY, ORANGE, GREEN, PURPLE, RGBColor(225, 225, 225), YELLOW],
    states: States {
        waiting: PURPLE,
        cpu: ORANGE,
        io: SKY,
        db: GREEN,
        // Light grey, as black is in the light theme: "nothing runs", and far from the
        // CPU's orange (yellow was too close to it to tell apart).
        blocked: RGBColor(225, 225, 225),
    },
};

/// One line of a chart.
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    pub label: &'a str,
    pub points: &'a [(f64, f64)],
}

/// A line chart of values against simulated time (or any x).
#[derive(Debug, Clone)]
pub struct LineChart<'a> {
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub x_range: (f64, f64),
    pub series: Vec<Series<'a>>,
    /// Plot x on a log scale (x values must be positive).
    pub x_log: bool,
    /// Plot y on a log scale, over whole decades: for lines whose values are orders of
    /// magnitude apart, which a linear axis would flatten onto its zero.
    pub y_log: bool,
    /// A vertical line at this x with a label, such as a crossover.
    pub marker: Option<(f64, &'a str)>,
    /// Dashed horizontal lines with labels: what theory predicts.
    pub guides: Vec<(f64, String)>,
}

impl<'a> LineChart<'a> {
    /// A load sweep: a sync pool and event loops against concurrency (log scale,
    /// 1 to 512), with the crossover marked when there is one.
    pub fn sweep(
        y_label: &'a str,
        sync: &'a [(f64, f64)],
        asynchronous: &'a [(f64, f64)],
        crossover: Option<u32>,
    ) -> Self {
        let series = vec![
            Series {
                label: "sync pool",
                points: sync,
            },
            Series {
                label: "event loops",
                points: asynchronous,
            },
        ];
        let mut chart = LineChart::new("concurrent clients", y_label, (1.0, 512.0), series);
        chart.x_log = true;
        chart.marker = crossover.map(|c| (f64::from(c), "crossover"));
        chart
    }

    /// A linear chart of these series.
    pub fn new(
        x_label: &'a str,
        y_label: &'a str,
        x_range: (f64, f64),
        series: Vec<Series<'a>>,
    ) -> Self {
        LineChart {
            x_label,
            y_label,
            x_range,
            series,
            x_log: false,
            y_log: false,
            marker: None,
            guides: Vec::new(),
        }
    }
}

impl LineChart<'_> {
    /// The top of the y axis: a little above the highest point, never zero.
    pub fn y_max(&self) -> f64 {
        let top = self.y_values().fold(0.0_f64, f64::max);
        if top > 0.0 {
            nice_ceiling(top * 1.1)
        } else {
            1.0
        }
    }

    /// The y axis as drawn: from 0 to `y_max`, or on a log scale the exponents of the
    /// decades around the positive values.
    fn y_axis(&self) -> (f64, f64) {
        if !self.y_log {
            return (0.0, self.y_max());
        }
        let Some((low, high)) = self.positive_y_range() else {
            return (0.0, 1.0);
        };
        let low = low.log10().floor();
        // Room above the highest value, as on a linear axis: a line or a guide just
        // under a decade would otherwise meet the top edge and its label the key.
        let top = high.log10();
        let mut high = top.ceil().max(low + 1.0);
        if top > high - 0.15 {
            high += 1.0;
        }
        (low, high)
    }

    /// The least and the greatest positive value drawn (lines and guides), if any: what
    /// a log axis has room for.
    pub fn positive_y_range(&self) -> Option<(f64, f64)> {
        let (low, high) = self
            .y_values()
            .filter(|y| *y > 0.0)
            .fold((f64::INFINITY, 0.0_f64), |(lo, hi), y| {
                (lo.min(y), hi.max(y))
            });
        (high > 0.0).then_some((low, high))
    }

    fn y_values(&self) -> impl Iterator<Item = f64> + '_ {
        self.series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .chain(self.guides.iter().map(|g| g.0))
            .filter(|y| y.is_finite())
    }
}

/// Rounds up to 1, 2 or 5 times a power of ten, so axis ticks fall on round numbers.
fn nice_ceiling(value: f64) -> f64 {
    let magnitude = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|step| step * magnitude)
        .find(|candidate| *candidate >= value)
        .unwrap_or(10.0 * magnitude)
}

/// How an axis places values: as they are, or by their logarithm (a value at or below
/// `floor`, which has no place on a log axis, sits on the floor). The mesh works in
/// placed values; its labels turn them back into round numbers.
#[derive(Debug, Clone, Copy)]
struct Scale {
    log: bool,
    floor: f64,
    /// Labels of a linear axis in whole numbers (request counts, not latencies).
    whole: bool,
}

impl Scale {
    fn place(self, v: f64) -> f64 {
        if self.log {
            v.max(self.floor).log10()
        } else {
            v
        }
    }

    fn label(self, placed: &f64) -> String {
        let v = if self.log {
            10f64.powf(*placed).round()
        } else if self.whole {
            placed.round()
        } else {
            *placed
        };
        contract::live::format_number(v)
    }
}

/// Draws `chart` filling `area`. `scale` multiplies text sizes and line widths so that a
/// canvas sized in device pixels stays sharp on HiDPI screens.
pub fn draw_line_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart<'_>,
    palette: &Palette,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * scale).round() as u32;
    area.fill(&palette.background)?;
    let x_scale = Scale {
        log: chart.x_log,
        floor: 1e-9,
        whole: true,
    };
    let (x0, mut x1) = (
        x_scale.place(chart.x_range.0),
        x_scale.place(chart.x_range.1),
    );
    if x1 <= x0 {
        x1 = x0 + 1.0;
    }
    let (y0, y1) = chart.y_axis();
    let y_scale = Scale {
        log: chart.y_log,
        floor: 10f64.powf(y0),
        whole: false,
    };
    let (to_x, to_y) = (|x| x_scale.place(x), |y| y_scale.place(y));
    let (x_format, y_format) = (|v: &f64| x_scale.label(v), |v: &f64| y_scale.label(v));
    let label_font = crate::sans(f64::from(px(12.0))).color(&palette.text);
    // Room for the widest tick label ("20,000", "0.50") beside the axis title, so they
    // never overlap: the labels are those the mesh will draw, not only the top one.
    // A log axis labels whole decades only: asked for more labels than decades, the
    // mesh would add half-decades (32, 316).
    let y_labels = if chart.y_log {
        Y_LABELS.min((y1 - y0).round() as usize + 1)
    } else {
        Y_LABELS
    };
    let widest = RangedCoordf64::from(y0..y1)
        .key_points(BoldPoints(y_labels))
        .iter()
        .map(|v| y_format(v).chars().count())
        .max()
        .unwrap_or(1) as f64;
    let y_label_area = px((7.0 * widest + 28.0_f64).max(42.0));
    // The key sits above the plot, where it can never hide a line: in one row from the
    // plot's left edge when it fits, else in as few rows as it needs from the chart's
    // left edge (a phone's 360 px).
    let keyed = chart.series.len() > 1;
    let key = if keyed {
        let width = area.dim_in_pixel().0.saturating_sub(px(8.0));
        let one_row = key_layout(chart, (px(8.0) + y_label_area) as i32, width, scale);
        if one_row.iter().all(|e| e.row == 0) {
            one_row
        } else {
            key_layout(chart, px(8.0) as i32, width, scale)
        }
    } else {
        Vec::new()
    };
    let rows = key.iter().map(|k| k.row + 1).max().unwrap_or(0);
    // Rows over the axis' tick labels leave room for the top one.
    let key_height = match rows {
        0 => 8.0,
        1 => 24.0,
        _ => 32.0 + KEY_ROW_PX * (rows - 1) as f64,
    };
    let mut ctx = ChartBuilder::on(area)
        .margin(px(8.0))
        .margin_top(px(key_height))
        .margin_right(px(18.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    ctx.configure_mesh()
        .x_desc(chart.x_label)
        .y_desc(chart.y_label)
        .x_labels(6)
        .y_labels(y_labels)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .label_style(label_font.clone())
        .axis_desc_style(label_font.clone())
        .axis_style(palette.text.stroke_width(px(1.0).max(1)))
        .light_line_style(palette.background)
        .bold_line_style(palette.grid.stroke_width(px(1.0).max(1)))
        .draw()?;
    // How far apart two values are on screen, in px.
    let plot_height = f64::from(ctx.plotting_area().dim_in_pixel().1.max(1));
    let apart_px = |a: f64, b: f64| (to_y(a) - to_y(b)).abs() / (y1 - y0) * plot_height;
    for (index, series) in chart.series.iter().enumerate() {
        let color = palette.series[index % palette.series.len()];
        let style = color.stroke_width(px(2.0).max(1));
        let points = series.points.iter().map(|&(x, y)| (to_x(x), to_y(y)));
        // A line that runs over earlier ones would hide them: it is drawn in dashes, with
        // a dash's length of gap for each line under it, so each colour shows in turn.
        let under = chart.series[..index]
            .iter()
            .filter(|earlier| runs_over(series.points, earlier.points, &apart_px, px(3.0)))
            .count() as i32;
        if under > 0 {
            let dash = px(6.0) as i32;
            ctx.draw_series(DashedLineSeries::new(points, dash, dash * under, style))?;
        } else {
            ctx.draw_series(LineSeries::new(points, style))?;
        }
    }
    // A label over the data keeps a rim of the background around its letters, so that a
    // line passing under it does not cross them out.
    let halo_px = px(1.5).max(1) as i32;
    for (y, label) in &chart.guides {
        let y = &to_y(*y);
        let style = palette.text.stroke_width(px(1.0).max(1));
        let (a, b) = (x0, x1);
        ctx.draw_series(DashedLineSeries::new(
            [(a, *y), (b, *y)],
            px(6.0) as i32,
            px(4.0) as i32,
            style,
        ))?;
        // Above its line, clear of the dashes and of the axis when the line is low.
        let above = label_font.pos(Pos::new(HPos::Left, VPos::Bottom));
        let at = (a + (b - a) * 0.02, *y);
        draw_label(
            &mut ctx,
            at,
            (0, -(px(3.0) as i32)),
            label,
            &above,
            palette,
            halo_px,
        )?;
    }
    if let Some((x, label)) = chart.marker {
        let style = palette.text.stroke_width(px(1.0).max(1));
        ctx.draw_series(LineSeries::new([(to_x(x), y0), (to_x(x), y1)], style))?;
        // Beside its line rather than on it; on its left near the plot's right edge.
        let gap = px(4.0) as i32;
        let (side, dx) = if (to_x(x) - x0) / (x1 - x0) > 0.75 {
            (HPos::Right, -gap)
        } else {
            (HPos::Left, gap)
        };
        let beside = label_font.pos(Pos::new(side, VPos::Top));
        let at = (to_x(x), y1 - (y1 - y0) * 0.03);
        draw_label(&mut ctx, at, (dx, 0), label, &beside, palette, halo_px)?;
    }
    draw_key(area, &key, chart, palette, scale)?;
    area.present()
}

/// Whether line `a` runs within `near_px` of line `b` for most of its length: both
/// sampled at the same times, as a widget's history is.
fn runs_over(
    a: &[(f64, f64)],
    b: &[(f64, f64)],
    apart_px: &impl Fn(f64, f64) -> f64,
    near_px: u32,
) -> bool {
    let same_times = a.iter().zip(b).filter(|(p, q)| p.0 == q.0);
    let (mut shared, mut near) = (0usize, 0usize);
    for (p, q) in same_times {
        shared += 1;
        near += usize::from(apart_px(p.1, q.1) <= f64::from(near_px));
    }
    shared > 0 && near * 2 > a.len().max(b.len())
}

/// Draws `text` at the point `at`, moved by `offset` px, in `style`, with a rim of the
/// background `halo_px` wide around its letters.
fn draw_label<DB: DrawingBackend>(
    ctx: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    at: (f64, f64),
    (x, y): (i32, i32),
    text: &str,
    style: &TextStyle<'_>,
    palette: &Palette,
    halo_px: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let rim = style.color(&palette.background);
    let rims = HALO.iter().map(|(dx, dy)| {
        EmptyElement::at(at)
            + Text::new(
                text.to_string(),
                (x + dx * halo_px, y + dy * halo_px),
                rim.clone(),
            )
    });
    ctx.draw_series(rims)?;
    ctx.draw_series(std::iter::once(
        EmptyElement::at(at) + Text::new(text.to_string(), (x, y), style.clone()),
    ))?;
    Ok(())
}

/// Where a label's rim is drawn, in steps of its width.
const HALO: [(i32, i32); 8] = [
    (-1, -1),
    (0, -1),
    (1, -1),
    (-1, 0),
    (1, 0),
    (-1, 1),
    (0, 1),
    (1, 1),
];

/// Tick labels on a line chart's value axis, at most.
const Y_LABELS: usize = 5;

/// Height of a row of the key, px before scaling.
const KEY_ROW_PX: f64 = 18.0;

/// Where one series' entry in the key goes: its row, and its left edge in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct KeyEntry {
    row: usize,
    x: i32,
}

/// Lays the key's entries out left to right from `left`, starting a new row (again
/// from `left`) when an entry would cross `width`.
fn key_layout(chart: &LineChart<'_>, left: i32, width: u32, scale: f64) -> Vec<KeyEntry> {
    let px = |v: f64| (v * scale).round() as i32;
    let (mut row, mut x) = (0, left);
    chart
        .series
        .iter()
        .map(|series| {
            // An estimate of the label's width: the canvas cannot be asked on every
            // backend.
            let entry = px(20.0 + 6.0 * series.label.chars().count() as f64);
            if x > left && x + entry > width as i32 {
                (row, x) = (row + 1, left);
            }
            let placed = KeyEntry { row, x };
            x += entry + px(14.0);
            placed
        })
        .collect()
}

/// The key of a chart with several lines, at the places `key_layout` gave. Drawn here
/// rather than by plotters, whose legend measures its text through the page on wasm
/// (a styled element per label, which the site's Content-Security-Policy refuses).
fn draw_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    key: &[KeyEntry],
    chart: &LineChart<'_>,
    palette: &Palette,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * scale).round() as i32;
    let font = crate::sans(f64::from(px(12.0) as u32)).color(&palette.text);
    for (index, (series, entry)) in chart.series.iter().zip(key).enumerate() {
        let color = palette.series[index % palette.series.len()];
        let style = color.stroke_width(px(2.0).max(1) as u32);
        let (x, y) = (entry.x, px(14.0 + KEY_ROW_PX * entry.row as f64));
        area.draw(&PathElement::new(vec![(x, y), (x + px(16.0), y)], style))?;
        area.draw(&Text::new(
            series.label,
            (x + px(20.0), y - px(6.0)),
            font.clone(),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_over_another_is_told_apart() {
        let apart = |a: f64, b: f64| (a - b).abs();
        let flat = [(0.0, 10.0), (1.0, 10.0), (2.0, 10.0), (3.0, 10.0)];
        let close = [(0.0, 11.0), (1.0, 12.0), (2.0, 9.0), (3.0, 30.0)];
        let far = [(0.0, 20.0), (1.0, 20.0), (2.0, 20.0), (3.0, 20.0)];
        assert!(runs_over(&close, &flat, &apart, 3));
        assert!(!runs_over(&far, &flat, &apart, 3));
        // Sampled at other times, nothing says they meet.
        let later = [(0.5, 10.0), (1.5, 10.0)];
        assert!(!runs_over(&later, &flat, &apart, 3));
        assert!(!runs_over(&[], &flat, &apart, 3));
    }

    #[test]
    fn the_key_wraps_to_the_width() {
        let labels = [
            "gunicorn, sync workers",
            "gunicorn, gthread",
            "gunicorn, gevent",
        ];
        let chart = LineChart {
            x_label: "x",
            y_label: "y",
            x_range: (0.0, 1.0),
            series: labels
                .iter()
                .map(|label| Series { label, points: &[] })
                .collect(),
            x_log: false,
            y_log: false,
            marker: None,
            guides: Vec::new(),
        };
        let wide = key_layout(&chart, 50, 1000, 1.0);
        assert!(wide.iter().all(|e| e.row == 0), "{wide:?}");
        let narrow = key_layout(&chart, 50, 300, 1.0);
        assert_eq!(narrow.iter().map(|e| e.row).collect::<Vec<_>>(), [0, 1, 2]);
        assert!(narrow.iter().all(|e| e.x == 50));
        // Two short labels share a row.
        let pair = key_layout(&chart, 50, 330, 1.0);
        assert_eq!(pair.iter().map(|e| e.row).collect::<Vec<_>>(), [0, 1, 1]);
    }

    #[test]
    fn nice_ceiling_rounds_up_to_round_numbers() {
        assert_eq!(nice_ceiling(7.3), 10.0);
        assert_eq!(nice_ceiling(13.0), 20.0);
        assert_eq!(nice_ceiling(0.042), 0.05);
        assert_eq!(nice_ceiling(200.0), 200.0);
    }

    #[test]
    fn svg_has_axes_labels_and_a_line() {
        let points = [(0.0, 1.0), (1.0, 3.0), (2.0, 2.0)];
        let chart = LineChart {
            x_label: "time (s)",
            y_label: "requests/s",
            x_range: (0.0, 2.0),
            series: vec![Series {
                label: "throughput",
                points: &points,
            }],
            x_log: false,
            y_log: false,
            marker: None,
            guides: vec![(2.5, "theory".into())],
        };
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (320, 200)).into_drawing_area();
            draw_line_chart(&area, &chart, &LIGHT, 1.0).unwrap();
        }
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("requests/s"));
        assert!(svg.contains("<polyline"));
        assert!(
            svg.contains("\ntheory\n</text>"),
            "the guide is labelled: {svg}"
        );
    }

    /// Lines 25 MB and 30,000 MB apart both show: the axis spans the decades from 10 to
    /// 100,000 with round ticks, and the low line is drawn well above the axis' floor.
    #[test]
    fn a_log_value_axis_spans_whole_decades_with_round_ticks() {
        let (low, high) = (
            [(0.0, 25.0), (4.0, 28.0)],
            [(0.0, 30_000.0), (4.0, 30_000.0)],
        );
        let chart = LineChart {
            x_label: "simulated time (s)",
            y_label: "MB in use (log scale)",
            x_range: (0.0, 4.0),
            series: vec![
                Series {
                    label: "asyncio",
                    points: &low,
                },
                Series {
                    label: "processes",
                    points: &high,
                },
            ],
            x_log: false,
            y_log: true,
            marker: None,
            guides: vec![(4096.0, "RAM budget".into())],
        };
        assert_eq!(chart.y_axis(), (1.0, 5.0));
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (460, 220)).into_drawing_area();
            draw_line_chart(&area, &chart, &LIGHT, 1.0).unwrap();
        }
        for tick in ["10", "100", "1,000", "10,000", "100,000"] {
            assert!(svg.contains(&format!("\n{tick}\n</text>")), "{tick}: {svg}");
        }
        // The two lines (wide strokes across the plot, not the key's short ones): the
        // low one lies between the ticks of 10 and 100, not on the plot's floor.
        let lines: Vec<Vec<(f64, f64)>> = svg
            .split("<polyline")
            .skip(1)
            .filter(|p| p.contains("stroke-width=\"2\""))
            .map(|p| {
                let points = p.split("points=\"").nth(1).unwrap();
                let points = &points[..points.find('"').unwrap()];
                points
                    .split_whitespace()
                    .map(|xy| {
                        let (x, y) = xy.split_once(',').unwrap();
                        (x.parse().unwrap(), y.parse().unwrap())
                    })
                    .collect()
            })
            .filter(|line: &Vec<(f64, f64)>| line[line.len() - 1].0 - line[0].0 > 100.0)
            .collect();
        assert_eq!(lines.len(), 2, "{svg}");
        let first_y: Vec<f64> = lines.iter().map(|line| line[0].1).collect();
        assert!(first_y[0] > first_y[1] + 50.0, "{first_y:?}");
    }

    /// Over two decades the ticks stay on whole decades (no 32 or 316), and a guide just
    /// under a decade gets one more above it.
    #[test]
    fn a_short_log_axis_labels_decades_only_and_keeps_room_above() {
        let points = [(0.0, 29.0), (4.0, 40.0)];
        let chart = |guide: f64| LineChart {
            x_label: "simulated time (s)",
            y_label: "MB in use (log scale)",
            x_range: (0.0, 4.0),
            series: vec![Series {
                label: "asyncio",
                points: &points,
            }],
            x_log: false,
            y_log: true,
            marker: None,
            guides: vec![(guide, "RAM budget".into())],
        };
        assert_eq!(chart(512.0).y_axis(), (1.0, 3.0));
        assert_eq!(chart(900.0).y_axis(), (1.0, 4.0));
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (460, 220)).into_drawing_area();
            draw_line_chart(&area, &chart(512.0), &LIGHT, 1.0).unwrap();
        }
        for tick in ["10", "100", "1,000"] {
            assert!(svg.contains(&format!("\n{tick}\n</text>")), "{tick}: {svg}");
        }
        for half in ["32", "316"] {
            assert!(
                !svg.contains(&format!("\n{half}\n</text>")),
                "{half}: {svg}"
            );
        }
    }

    /// At 0 s nothing has finished, and the value axis runs 0 to 1 with a "0.50" tick:
    /// wider than the top label the room used to be measured on.
    #[test]
    fn value_axis_labels_clear_the_axis_title() {
        let chart = LineChart {
            x_label: "time (s)",
            y_label: "throughput (requests/s)",
            x_range: (0.0, 10.0),
            series: vec![],
            x_log: false,
            y_log: false,
            marker: None,
            guides: vec![],
        };
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (460, 220)).into_drawing_area();
            draw_line_chart(&area, &chart, &LIGHT, 1.0).unwrap();
        }
        let attribute = |element: &str, name: &str| -> f64 {
            let start = element.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            let rest = &element[start..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        };
        let texts: Vec<(&str, &str)> = svg
            .split("<text")
            .skip(1)
            .map(|t| {
                let (element, rest) = t.split_once('>').unwrap();
                (element, rest.split("</text>").next().unwrap().trim())
            })
            .collect();
        let (title, _) = texts
            .iter()
            .find(|(_, text)| text.starts_with("throughput"))
            .unwrap();
        let title_right = attribute(title, "x") + attribute(title, "font-size");
        let ticks: Vec<_> = texts
            .iter()
            .filter(|(element, _)| element.contains("text-anchor=\"end\""))
            .collect();
        assert!(ticks.iter().any(|(_, text)| *text == "0.50"), "{svg}");
        for (element, text) in ticks {
            // A digit is at most 0.6 em wide in a sans-serif face.
            let width = 0.6 * attribute(element, "font-size") * text.chars().count() as f64;
            let left = attribute(element, "x") - width;
            assert!(
                left > title_right + 2.0,
                "{text} at {left} meets the title at {title_right}"
            );
        }
    }
}
