//! Each widget's static figure, for readers without WebAssembly or JavaScript: the
//! widget's scenario is simulated at build time (deterministic for its seed) and drawn
//! as SVG by the same drawing code the live widget uses on its canvas, with a text
//! description that says what the figure shows.

use plotters::prelude::*;
use sim::{Scenario, ServerKind, Simulation};

#[derive(Clone)]
pub struct Figure {
    /// One or more `<svg>` elements.
    pub svg: String,
    pub description: String,
}

/// Simulated seconds shown in a static figure, and how often it is sampled.
const HORIZON_S: f64 = 30.0;
const SAMPLE_S: f64 = 0.5;
/// Bounds the build-time cost of one figure, whatever the scenario.
const MAX_EVENTS_PER_SAMPLE: u64 = 50_000;
/// Requests per point of a build-time load sweep.
const SWEEP_REQUESTS: u64 = 1_000;
const WIDTH: u32 = 640;
const HEIGHT: u32 = 240;

/// Figures already drawn in this process, by widget and scenario: the same block gives
/// the same figure (the simulation is deterministic), and `serve` rebuilds on every
/// save, so redrawing unchanged figures would only slow the reload.
static DRAWN: std::sync::Mutex<Vec<(String, Figure)>> = std::sync::Mutex::new(Vec::new());

pub fn figure(widget: &str, scenario: &Scenario) -> Figure {
    let key = format!(
        "{widget} {}",
        serde_json::to_string(scenario).unwrap_or_default()
    );
    let drawn = DRAWN
        .lock()
        .map(|d| d.iter().find(|(k, _)| *k == key).map(|(_, f)| f.clone()));
    if let Ok(Some(figure)) = drawn {
        return figure;
    }
    let figure = draw(widget, scenario);
    if let Ok(mut drawn) = DRAWN.lock() {
        drawn.push((key, figure.clone()));
    }
    figure
}

fn draw(widget: &str, scenario: &Scenario) -> Figure {
    match widget {
        "compare" => compare(scenario),
        "context-switch" => context_switch(),
        "memory" => memory(scenario),
        _ => server(scenario),
    }
}

/// The diagram at the end of the run, and throughput over time.
fn server(scenario: &Scenario) -> Figure {
    let mut simulation = Simulation::new(scenario);
    let mut throughput = Vec::new();
    let samples = (HORIZON_S / SAMPLE_S) as u32;
    for i in 1..=samples {
        let t = f64::from(i) * SAMPLE_S;
        simulation.advance_to(t, MAX_EVENTS_PER_SAMPLE);
        throughput.push((t, simulation.window().throughput_rps));
    }
    let chart = chart::LineChart::new(
        "simulated time (s)",
        "throughput (requests/s)",
        (0.0, HORIZON_S),
        vec![chart::Series {
            label: "throughput",
            points: &throughput,
        }],
    );
    let layout = chart::Diagram::of(&simulation).layout(f64::from(WIDTH), 180.0);
    let diagram = svg(
        WIDTH,
        180,
        "Diagram of the server at the end of the run",
        |area| chart::draw_diagram(area, &layout, &|dot| (dot.x, dot.y), &chart::LIGHT, 1.0),
    );
    let line = svg(WIDTH, HEIGHT, "Throughput over simulated time", |area| {
        chart::draw_line_chart(area, &chart, &chart::LIGHT, 1.0)
    });
    let report = simulation.report();
    let description = format!(
        "Simulated {} server, {}, {} ms CPU and {} ms I/O per request: about {:.0} requests per \
         second, mean latency {:.0} ms, 99th percentile {:.0} ms.",
        scenario.server.name(),
        load(scenario),
        scenario.cpu_ms,
        scenario.io_ms,
        report.throughput_rps,
        report.latency_ms.mean,
        report.latency_ms.p99,
    );
    Figure {
        svg: diagram + &line,
        description,
    }
}

fn load(scenario: &Scenario) -> String {
    let pool = if scenario.server.is_event_loop() {
        format!("{} event-loop process(es)", scenario.processes())
    } else {
        format!("{} workers", scenario.effective_workers())
    };
    match scenario.workload() {
        sim::Workload::Closed { clients } => format!("{pool}, {clients} clients"),
        sim::Workload::Open { rate } => format!("{pool}, {rate} requests per second arriving"),
    }
}

/// The load sweep: throughput of a sync pool and of one event loop against concurrency.
fn compare(scenario: &Scenario) -> Figure {
    let mut sweep = sim::sweep::Sweep::new(scenario, SWEEP_REQUESTS);
    while !sweep.is_done() {
        sweep.run(u64::MAX);
    }
    let (sync, asynchronous) = sweep.series(false);
    let crossover = sweep.crossover();
    let chart = chart::LineChart::sweep("throughput (requests/s)", &sync, &asynchronous, crossover);
    let line = svg(WIDTH, HEIGHT, "Throughput against concurrency", |area| {
        chart::draw_line_chart(area, &chart, &chart::LIGHT, 1.0)
    });
    let at_top = |s: &[(f64, f64)]| s.last().map_or(0.0, |p| p.1);
    let verdict = match crossover {
        Some(c) => format!("from about {c} concurrent clients the event loop serves more"),
        None => "the event loop never serves clearly more".to_string(),
    };
    let description = format!(
        "Load sweep, {} ms CPU and {} ms I/O per request: {} sync workers against one event loop. \
         At 512 clients the pool serves {:.0} requests per second and the loop {:.0}; {verdict}.",
        scenario.cpu_ms,
        scenario.io_ms,
        scenario.effective_workers(),
        at_top(&sync),
        at_top(&asynchronous),
    );
    Figure {
        svg: line,
        description,
    }
}

const SWITCHING: [(&str, ServerKind); 4] = [
    ("OS threads", ServerKind::Threads),
    ("asyncio", ServerKind::Asyncio),
    ("uvloop", ServerKind::Uvloop),
    ("greenlets", ServerKind::Gevent),
];

fn context_switch() -> Figure {
    let bars = chart::BarChart {
        title: "one context switch (µs)",
        bars: SWITCHING
            .iter()
            .map(|(n, k)| (*n, sim::defaults::switch_us(*k)))
            .collect(),
        format: |v| format!("{v:.2} µs"),
        log: false,
    };
    let svg = svg(WIDTH, 160, "Cost of one context switch", |area| {
        chart::draw_bar_chart(area, &bars, &chart::LIGHT, 1.0)
    });
    let description = SWITCHING
        .iter()
        .map(|(n, k)| format!("{n} {} µs", sim::defaults::switch_us(*k)))
        .collect::<Vec<_>>()
        .join(", ");
    Figure {
        svg,
        description: format!("Cost of one context switch: {description}."),
    }
}

fn memory(scenario: &Scenario) -> Figure {
    let with = |kind| Scenario {
        server: kind,
        ..scenario.clone()
    };
    let kib = [
        (
            "processes",
            with(ServerKind::Processes).effective_process_mb() * 1024.0,
        ),
        ("threads", with(ServerKind::Threads).effective_thread_kib()),
        (
            "asyncio tasks",
            with(ServerKind::Asyncio).effective_task_kib(),
        ),
        ("greenlets", with(ServerKind::Gevent).effective_task_kib()),
    ];
    let bars = chart::BarChart {
        title: "memory per concurrent connection (KiB, log scale)",
        bars: kib.to_vec(),
        format: |v| format!("{v:.1} KiB"),
        log: true,
    };
    let svg = svg(WIDTH, 160, "Memory per concurrent connection", |area| {
        chart::draw_bar_chart(area, &bars, &chart::LIGHT, 1.0)
    });
    let description = kib
        .iter()
        .map(|(n, v)| format!("{n} {v:.1} KiB"))
        .collect::<Vec<_>>()
        .join(", ");
    Figure {
        svg,
        description: format!("Memory per concurrent connection: {description}."),
    }
}

/// Draws into an SVG that scales with its container and is named for screen readers.
fn svg<F>(width: u32, height: u32, label: &str, draw: F) -> String
where
    F: FnOnce(
        &DrawingArea<SVGBackend, plotters::coord::Shift>,
    ) -> Result<(), DrawingAreaErrorKind<std::io::Error>>,
{
    let mut text = String::new();
    {
        let area = SVGBackend::with_string(&mut text, (width, height)).into_drawing_area();
        // Drawing into a String cannot fail.
        let _ = draw(&area);
    }
    let open_end = text.find('>').unwrap_or(0);
    format!(
        "<svg class=\"widget-chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\"{}",
        html_escape::encode_double_quoted_attribute(label),
        &text[open_end..]
    )
}
