//! Figures: what each widget shows, as plain Rust over the simulation, drawn on any
//! plotters backend. The site runs a figure for a few simulated seconds and draws its
//! panels into SVG (the static figure); the widgets run the same figure frame by frame
//! and draw the same panels on canvases. A figure knows nothing of the DOM, of time of
//! day or of the controls around it: it is given settings, simulated time to run, and
//! the wall time its markers move by.

mod code;
mod compare;
mod context_switch;
pub mod live;
mod memory;
mod motion;
mod planner;
mod server;
pub use server::LATENCY_PANEL;
mod timeline;

use contract::measured::Overlay;
use contract::{LiveValue, Scenario, WidgetKind, WidgetValues};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::Palette;

/// Where a panel sits: panels of the same row share it side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// The diagram of a server, full width.
    Diagram,
    /// Two diagrams side by side.
    Pair,
    /// Charts, side by side on a wide screen.
    Charts,
    /// The load sweep's charts.
    Sweep,
    /// One chart, full width.
    Wide,
    /// A timeline strip under a diagram, full width.
    Timeline,
}

impl Row {
    /// The CSS class of the row's container.
    pub fn class(self) -> &'static str {
        match self {
            Row::Diagram => "widget-row widget-row-diagram",
            Row::Pair => "widget-row widget-pair",
            Row::Charts => "widget-row widget-charts",
            Row::Sweep => "widget-row widget-charts widget-sweep",
            Row::Wide => "widget-row widget-wide",
            Row::Timeline => "widget-row widget-timeline",
        }
    }
}

/// One drawing of a figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Panel {
    /// What it shows, for screen readers.
    pub label: &'static str,
    pub row: Row,
    /// Its height in CSS pixels in a static figure (640 wide).
    pub height: u32,
    /// Whether the static figure includes it.
    pub fallback: bool,
}

/// How to draw: the theme, device pixels per CSS pixel, and the wall time that moving
/// markers follow (`animate` false: everything where it is).
#[derive(Debug, Clone, Copy)]
pub struct Look<'a> {
    pub palette: &'a Palette,
    pub scale: f64,
    pub now_ms: f64,
    pub animate: bool,
}

impl Look<'_> {
    /// A still picture in the light theme at 1:1 (static figures, tests).
    pub fn still() -> Look<'static> {
        Look {
            palette: &crate::LIGHT,
            scale: 1.0,
            now_ms: 0.0,
            animate: false,
        }
    }
}

/// How a figure runs, which decides the transport the widget offers around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runs {
    /// A simulation whose single events show in a diagram: play, step and speed.
    EventByEvent,
    /// A simulation in time shown only as charts over time, where one event changes
    /// no pixel: play and speed, no step.
    InTime,
    /// Runs in the background with no clock (a batch, a search): nothing to play; the
    /// work goes on by itself until it is done.
    InBackground,
}

pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A widget's figure. One lives per widget, so the size of the largest kind costs
/// nothing worth a box.
#[allow(clippy::large_enum_variant)]
pub enum Figure {
    Server(server::ServerFigure),
    Compare(compare::CompareFigure),
    Memory(memory::MemoryFigure),
    ContextSwitch(context_switch::ContextSwitchFigure),
    Planner(planner::PlannerFigure),
}

/// Calls `$body` with the figure inside, whatever its kind.
macro_rules! each {
    ($figure:expr, $f:ident => $body:expr) => {
        match $figure {
            Figure::Server($f) => $body,
            Figure::Compare($f) => $body,
            Figure::Memory($f) => $body,
            Figure::ContextSwitch($f) => $body,
            Figure::Planner($f) => $body,
        }
    };
}

impl Figure {
    /// The figure of `kind` for these settings; `measured` is drawn over the
    /// simulation where the figure has a place for it.
    pub fn new(
        kind: WidgetKind,
        scenario: &Scenario,
        values: &WidgetValues,
        measured: Option<&Overlay>,
    ) -> Figure {
        match kind {
            WidgetKind::SyncServer | WidgetKind::AsyncServer | WidgetKind::Greenlet => {
                Figure::Server(server::ServerFigure::new(kind, scenario))
            }
            WidgetKind::Compare => Figure::Compare(compare::CompareFigure::new(
                scenario,
                values,
                measured,
                compare::LIVE_SWEEP_REQUESTS,
            )),
            WidgetKind::Memory => Figure::Memory(memory::MemoryFigure::new(scenario, values)),
            WidgetKind::ContextSwitch => Figure::ContextSwitch(
                context_switch::ContextSwitchFigure::new(scenario, context_switch::LIVE_REQUESTS),
            ),
            WidgetKind::Planner => Figure::Planner(planner::PlannerFigure::new(
                scenario,
                values,
                planner::LIVE_REQUESTS,
            )),
        }
    }

    /// The figure as a static page shows it: [`Figure::new`] with lighter background
    /// work (a load sweep of fewer requests per point), run by [`Figure::settle`].
    pub fn still(
        kind: WidgetKind,
        scenario: &Scenario,
        values: &WidgetValues,
        measured: Option<&Overlay>,
    ) -> Figure {
        let mut figure = match kind {
            WidgetKind::Compare => Figure::Compare(compare::CompareFigure::new(
                scenario,
                values,
                measured,
                compare::STILL_SWEEP_REQUESTS,
            )),
            WidgetKind::ContextSwitch => Figure::ContextSwitch(
                context_switch::ContextSwitchFigure::new(scenario, context_switch::STILL_REQUESTS),
            ),
            WidgetKind::Planner => Figure::Planner(planner::PlannerFigure::new(
                scenario,
                values,
                planner::STILL_REQUESTS,
            )),
            _ => Figure::new(kind, scenario, values, measured),
        };
        figure.hold_still();
        figure.settle(STILL_S);
        figure
    }

    /// Before it runs: measure its rates and percentiles as a still figure does, over
    /// the run after its first seconds, until the next restart. A prediction's answer
    /// read after [`STILL_S`] is then the very number the caption states.
    pub fn hold_still(&mut self) {
        match self {
            Figure::Server(f) => f.hold_still(),
            Figure::Compare(f) => f.hold_still(),
            _ => {}
        }
    }

    /// New settings from now on; the charts' history runs on.
    pub fn restart(&mut self, scenario: &Scenario, values: &WidgetValues) {
        each!(self, f => f.restart(scenario, values))
    }

    /// Runs `dt_s` simulated seconds (or as many events as a frame allows).
    pub fn advance(&mut self, dt_s: f64) {
        each!(self, f => f.advance(dt_s))
    }

    /// Runs at most `budget` events of background work (a load sweep, a batch of
    /// runs); returns the events run, 0 when there is none left.
    pub fn work(&mut self, budget: u64) -> u64 {
        each!(self, f => f.work(budget))
    }

    /// Wall time a frame may spend on this figure's background work (a load sweep, a
    /// search), ms. A figure with nothing to animate (the planner) takes longer slices:
    /// the reader is waiting for its answer, and fewer frames between slices leave more
    /// of a slow phone's time to the work, at about 30 frames a second.
    pub fn work_ms_per_frame(&self) -> f64 {
        match self {
            Figure::Planner(_) => 30.0,
            _ => 8.0,
        }
    }

    /// How the figure runs: what a play button, a step button and a speed mean for it.
    pub fn runs(&self) -> Runs {
        match self {
            Figure::Server(_) | Figure::Compare(_) => Runs::EventByEvent,
            Figure::Memory(_) => Runs::InTime,
            Figure::ContextSwitch(_) | Figure::Planner(_) => Runs::InBackground,
        }
    }

    /// Runs one event.
    pub fn step(&mut self) {
        each!(self, f => f.step())
    }

    /// True when the last frame hit the cap on events: slower than the chosen speed.
    pub fn capped(&self) -> bool {
        each!(self, f => f.capped())
    }

    pub fn panels(&self) -> &'static [Panel] {
        each!(self, f => f.panels())
    }

    /// Changes when panel `index` has something new to draw.
    pub fn version(&self, index: usize) -> u64 {
        each!(self, f => f.version(index))
    }

    /// Draws panel `index` filling `area`.
    pub fn draw<DB: DrawingBackend>(
        &mut self,
        index: usize,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
    ) -> DrawResult<DB> {
        each!(self, f => f.draw(index, area, look))
    }

    /// The height panel `index` needs on the page, in CSS pixels, when it follows the
    /// scenario (the timeline's rows) rather than the stylesheet.
    pub fn height_px(&self, index: usize) -> Option<u32> {
        match self {
            Figure::Server(f) => f.height_px(index),
            _ => None,
        }
    }

    /// A line of text over panel `index`, when it has one (which server a diagram is).
    pub fn caption(&self, index: usize) -> Option<String> {
        match self {
            Figure::Compare(f) => f.caption(index),
            _ => None,
        }
    }

    /// A live value it computes (`None`: not one of its values, or not known yet).
    pub fn value(&self, value: LiveValue) -> Option<f64> {
        each!(self, f => f.value(value))
    }

    /// What it shows now, in a sentence or two, for screen readers and static pages.
    pub fn summary(&self) -> String {
        each!(self, f => f.summary())
    }

    /// Progress of background work, when there is some ("Load sweep: 40% done").
    pub fn status(&self) -> Option<String> {
        each!(self, f => f.status())
    }

    /// The reader points at (`x`, `y`) in CSS pixels of panel `index`; returns whether
    /// that picked a request to follow.
    pub fn pick(&mut self, index: usize, x: f64, y: f64) -> bool {
        match self {
            Figure::Server(f) => f.pick(index, x, y),
            _ => false,
        }
    }

    /// The keyboard's pick on the diagram: the next (or previous) request in arrival
    /// order; whether there was one.
    pub fn pick_next(&mut self, forward: bool) -> bool {
        match self {
            Figure::Server(f) => f.pick_next(forward),
            _ => false,
        }
    }

    /// The picked request's story, in words.
    pub fn story(&self) -> Option<String> {
        match self {
            Figure::Server(f) => f.story(),
            _ => None,
        }
    }

    /// Simulated time of the figure's simulation since its settings last changed, s.
    pub fn sim_time_s(&self) -> f64 {
        match self {
            Figure::Server(f) => f.sim_time_s(),
            Figure::Compare(f) => f.sim_time_s(),
            Figure::Memory(f) => f.sim_time_s(),
            Figure::ContextSwitch(_) | Figure::Planner(_) => 0.0,
        }
    }

    /// Whether its live values speak for its settings: a live simulation's once it has
    /// run [`SETTLE_S`] since they last changed, so that its ten-second window holds no
    /// start-up (an empty queue, a throughput still climbing); a batch figure's always.
    pub fn settled(&self) -> bool {
        !Figure::settles(self.kind()) || self.sim_time_s() >= SETTLE_S
    }

    pub fn kind(&self) -> WidgetKind {
        match self {
            Figure::Server(f) => f.kind,
            Figure::Compare(_) => WidgetKind::Compare,
            Figure::Memory(_) => WidgetKind::Memory,
            Figure::ContextSwitch(_) => WidgetKind::ContextSwitch,
            Figure::Planner(_) => WidgetKind::Planner,
        }
    }

    /// Whether a figure of `kind` runs a live simulation, whose values settle (see
    /// [`Figure::settled`]); the others are batches of runs.
    pub fn settles(kind: WidgetKind) -> bool {
        !matches!(kind, WidgetKind::ContextSwitch | WidgetKind::Planner)
    }

    /// Whether a reader can replay it: a fresh run of the same settings shows any
    /// moment since they last changed.
    pub fn replayable(&self) -> bool {
        matches!(self, Figure::Server(_))
    }

    /// Whether theory has a closed form for what the figure shows now.
    pub fn theory_available(&self) -> bool {
        match self {
            Figure::Server(f) => f.theory_available(),
            _ => false,
        }
    }

    /// Shows or hides theory's prediction over the charts.
    pub fn show_theory(&mut self, on: bool) {
        if let Figure::Server(f) = self {
            f.show_theory(on);
        }
    }

    /// Conditions worth announcing to a listener now ("The backlog is full...").
    pub fn notices(&self) -> Vec<&'static str> {
        match self {
            Figure::Server(f) => f.notices(),
            Figure::Compare(f) => f.notices(),
            _ => Vec::new(),
        }
    }

    /// HTML shown beside the panels (the greenlet widget's code panes).
    pub fn html(&self) -> Option<String> {
        match self {
            Figure::Server(f) => f.html(),
            Figure::Planner(f) => Some(f.html()),
            _ => None,
        }
    }

    /// Its time series as CSV, with a header line.
    pub fn samples_csv(&self) -> String {
        each!(self, f => f.samples_csv())
    }

    /// Runs `seconds` of simulated time and the background work to the end, each within
    /// a bound on events.
    pub fn settle(&mut self, seconds: f64) {
        const STEP_S: f64 = 0.5;
        let mut t = 0.0;
        while t < seconds {
            self.advance(STEP_S);
            t += STEP_S;
        }
        let mut budget: u64 = 20_000_000;
        while budget > 0 {
            let ran = self.work(budget.min(1_000_000));
            if ran == 0 {
                break;
            }
            budget = budget.saturating_sub(ran);
        }
    }
}

/// Simulated seconds a static figure runs.
pub const STILL_S: f64 = 30.0;

/// Simulated seconds after a change of settings before a live figure's values count
/// for a challenge (see [`Figure::settled`]).
pub const SETTLE_S: f64 = 20.0;

/// One line of a CSV file. Values keep six decimals at most: a reader's spreadsheet needs
/// no more, and `0.30000000000000004` helps nobody.
/// Megabytes as the text writes them: "4,096 MB".
fn megabytes(mb: f64) -> String {
    format!("{} MB", contract::live::format_number(mb.round()))
}

fn csv_line(values: &[f64]) -> String {
    let cells: Vec<String> = values
        .iter()
        // Rounded, then written shortest; `+ 0.0` turns a rounded -0 into 0.
        .map(|v| format!("{}", (v * 1e6).round() / 1e6 + 0.0))
        .collect();
    cells.join(",") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_values_are_short() {
        assert_eq!(
            csv_line(&[0.1 + 0.2, 200.0, -1.5, 1e-9, -1e-9]),
            "0.3,200,-1.5,0,0\n"
        );
        assert_eq!(csv_line(&[f64::NAN]), "NaN\n");
    }

    #[test]
    fn the_summary_keeps_the_charts_clock_across_a_change() {
        let s = Scenario::default();
        let values = WidgetValues::default();
        let mut f = Figure::new(WidgetKind::SyncServer, &s, &values, None);
        f.advance(5.0);
        let changed = Scenario {
            workers: Some(2),
            ..s.clone()
        };
        f.restart(&changed, &values);
        f.advance(1.0);
        let summary = f.summary();
        assert!(summary.starts_with("At 6.0 s"), "{summary}");
    }

    #[test]
    fn a_still_figure_states_its_run_not_its_last_seconds() {
        // Twelve clients on four workers, 5 ms of CPU and 100 ms of I/O a request: the
        // pool is full and finishes 4 / 0.105 s = 38.1 a second. Its last ten seconds
        // said 35 (about 380 replies, 5% spread); the run from 2 s to 30 s, over a
        // thousand, must be within 6%.
        let s = Scenario {
            workers: Some(4),
            clients: Some(12),
            cpu_ms: 5.0,
            io_ms: 100.0,
            ..Scenario::default()
        };
        let f = Figure::still(WidgetKind::SyncServer, &s, &WidgetValues::default(), None);
        let throughput = f
            .value(LiveValue::Server(contract::live::Metric::Throughput))
            .unwrap();
        assert!((throughput / 38.1 - 1.0).abs() < 0.06, "{throughput}");
        assert!(
            f.summary().starts_with("From 2 s to 30 s"),
            "{}",
            f.summary()
        );
    }

    #[test]
    fn a_prediction_run_to_its_end_gives_the_captions_number() {
        // The article's "worse latency tails" block: a p99 that a few rare heavy requests
        // decide, so that a shorter run, or one measured over its last seconds, reads
        // far from the caption (128 against 190 ms). Run as a widget runs a prediction,
        // held still from the start, in frames of any length, the last one ending at
        // `STILL_S`, it gives the still figure's number to the bit.
        let s = Scenario {
            workers: Some(12),
            arrival_rate: Some(60.0),
            service: contract::Service::Constant,
            heavy_share: 0.005,
            heavy_cpu_ms: Some(200.0),
            ..Scenario::default()
        };
        let values = WidgetValues::default();
        let target = LiveValue::Of(
            contract::live::Side::Async,
            contract::live::Metric::LightP99,
        );
        let still = Figure::still(WidgetKind::Compare, &s, &values, None)
            .value(target)
            .unwrap();
        let mut live = Figure::new(WidgetKind::Compare, &s, &values, None);
        live.hold_still();
        while live.sim_time_s() < STILL_S {
            live.advance((STILL_S - live.sim_time_s()).min(1.7));
        }
        assert_eq!(live.value(target).unwrap().to_bits(), still.to_bits());
    }

    #[test]
    fn every_widget_settles_draws_and_tells() {
        for kind in WidgetKind::all() {
            let scenario = Scenario::default();
            let mut figure = Figure::new(kind, &scenario, &WidgetValues::default(), None);
            figure.settle(5.0);
            assert!(!figure.summary().is_empty(), "{}", kind.name());
            for (index, panel) in figure.panels().iter().enumerate() {
                let mut svg = String::new();
                {
                    let area =
                        SVGBackend::with_string(&mut svg, (640, panel.height)).into_drawing_area();
                    figure.draw(index, &area, &Look::still()).unwrap();
                }
                assert!(svg.len() > 500, "{} panel {index}", kind.name());
            }
            for value in kind.live_values() {
                assert!(figure.value(value).is_some(), "{}: {value}", kind.name());
            }
            assert!(
                figure.samples_csv().lines().count() >= 2,
                "{}: {}",
                kind.name(),
                figure.summary()
            );
        }
    }
}
