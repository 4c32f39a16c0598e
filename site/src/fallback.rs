//! Each widget's static figure, for readers without WebAssembly or JavaScript: the
//! widget's scenario is simulated at build time (deterministic for its seed) and drawn
//! as SVG by the same chart code the live widget draws on its canvas.

use sim::{Scenario, Simulation};

pub struct Figure {
    pub svg: String,
    pub description: String,
}

/// Simulated seconds shown in a static figure, and how often it is sampled.
const HORIZON_S: f64 = 30.0;
const SAMPLE_S: f64 = 0.5;
/// Bounds the build-time cost of one figure, whatever the scenario.
const MAX_EVENTS_PER_SAMPLE: u64 = 200_000;
const WIDTH: u32 = 640;
const HEIGHT: u32 = 260;

pub fn figure(_widget: &str, scenario: &Scenario) -> Figure {
    let mut simulation = Simulation::new(scenario);
    let mut throughput = Vec::new();
    let samples = (HORIZON_S / SAMPLE_S) as u32;
    for i in 1..=samples {
        let t = f64::from(i) * SAMPLE_S;
        simulation.advance_to(t, MAX_EVENTS_PER_SAMPLE);
        throughput.push((t, simulation.window().throughput_rps));
    }
    let chart = chart::LineChart {
        x_label: "simulated time (s)",
        y_label: "throughput (requests/s)",
        x_range: (0.0, HORIZON_S),
        series: vec![chart::Series {
            label: "throughput",
            points: &throughput,
        }],
    };
    let svg = chart::line_chart_svg(&chart, &chart::LIGHT, WIDTH, HEIGHT);
    let report = simulation.report();
    let description = describe(scenario, &report);
    Figure {
        svg: responsive(&svg, &description),
        description,
    }
}

fn describe(scenario: &Scenario, report: &sim::Report) -> String {
    let load = match (scenario.clients, scenario.arrival_rate) {
        (Some(clients), _) => format!("{clients} clients"),
        (None, Some(rate)) => format!("{rate} requests per second arriving"),
        _ => "the default load".to_string(),
    };
    format!(
        "Simulated {server} server, {workers} workers, {load}, {cpu} ms CPU and {io} ms I/O \
         per request: about {rps:.0} requests per second, mean latency {mean:.0} ms, \
         99th percentile {p99:.0} ms.",
        server = serde_json::to_value(scenario.server)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        workers = scenario
            .workers
            .map_or("default".to_string(), |w| w.to_string()),
        cpu = scenario.cpu_ms,
        io = scenario.io_ms,
        rps = report.throughput_rps,
        mean = report.latency_ms.mean,
        p99 = report.latency_ms.p99,
    )
}

/// Lets the SVG scale with its container and names it for screen readers.
fn responsive(svg: &str, label: &str) -> String {
    let open_end = svg.find('>').unwrap_or(0);
    format!(
        "<svg class=\"widget-chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\"{}",
        html_escape::encode_double_quoted_attribute(label),
        &svg[open_end..]
    )
}
