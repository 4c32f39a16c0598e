//! The real servers measured on the site's machine (`data/measured.json` of the content
//! folder, written by `bench/real/run.py`), read once per build through the typed reader
//! in `contract::measured`: the model page's section (measured against simulated
//! throughput, with the machine named, and every point's agreement), and what `compare`
//! widgets draw over their sweep.

use std::path::Path;

use contract::measured::{Measurements, Series};
use html_escape::encode_text as text;

use crate::figure_image::{self, ImageFiles};

pub const FILE: &str = "data/measured.json";

/// The servers drawn on the charts; the table lists them all.
const CHARTED: [&str; 2] = ["gunicorn-sync", "uvicorn-asyncio"];

/// The measurements of the content folder: `Ok(None)` when it has none.
pub fn load(content: &Path) -> Result<Option<Measurements>, String> {
    load_json(content, FILE, "a measurements file")
}

/// A JSON data file of the content folder, `Ok(None)` when it is absent; `what` names
/// the kind of file in the error.
pub fn load_json<T: serde::de::DeserializeOwned>(
    content: &Path,
    file: &str,
    what: &str,
) -> Result<Option<T>, String> {
    let path = content.join(file);
    if !path.exists() {
        return Ok(None);
    }
    let raw = std::fs::read_to_string(&path).map_err(|err| format!("{err}"))?;
    serde_json::from_str(&raw)
        .map(Some)
        .map_err(|err| format!("not {what}: {err}"))
}

/// The model page's section, or why it cannot be drawn.
pub fn section(data: Option<&Measurements>, figures: &mut ImageFiles) -> Result<String, String> {
    let data = data.ok_or_else(|| {
        format!("no {FILE} in the content (run `python3 bench/real/run.py` to measure)")
    })?;
    let m = &data.machine;
    let mut html = format!(
        "<p class=\"measured-machine\">Measured on {} cores ({}, {} GB), kernel {}, Python {}, load from {}, {}.</p>",
        m.cores,
        text(&m.cpu_model),
        m.memory_gb,
        text(&m.kernel),
        text(&m.python),
        text(&m.load_generator),
        text(&m.date),
    );
    // Side by side, each drawn at about the size it is shown at, as the database figures
    // are: one wide drawing scaled down to a phone's width left its labels 5 px tall.
    let io = chart(data, "io", "I/O-bound requests", figures);
    let cpu = chart(data, "cpu", "CPU-bound requests", figures);
    html.push_str(&format!(
        "<figure class=\"measured-chart\"><div class=\"widget-row widget-charts\">{io}{cpu}</div>\
         <figcaption>Real servers measured on the host named above against the simulation of the same scenarios: requests a second by concurrent clients.</figcaption></figure>"
    ));
    html.push_str(&table(data));
    if let Some(a) = &data.agreement {
        html.push_str(&format!(
            "<p>{} of {} points within 25% of the simulation; median error {:.0}%.</p>",
            a.within_25pct,
            a.points,
            a.median_abs_error * 100.0
        ));
    }
    Ok(html)
}

fn chart(data: &Measurements, workload: &str, title: &str, figures: &mut ImageFiles) -> String {
    let mut lines: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for id in CHARTED {
        if let Some(s) = data.series(id, workload) {
            let label = data.label(id);
            lines.push((format!("{label}, measured"), s.throughput(|p| p.measured)));
            lines.push((format!("{label}, simulated"), s.throughput(|p| p.simulated)));
        }
    }
    let max_x = lines
        .iter()
        .flat_map(|(_, p)| p.iter().map(|p| p.0))
        .fold(1.0, f64::max);
    let mut chart = chart::LineChart::new(
        "concurrent clients (log scale)",
        "requests/s",
        (1.0, max_x),
        lines
            .iter()
            .map(|(label, points)| chart::Series { label, points })
            .collect(),
    );
    chart.x_log = true;
    // A log scale for throughputs that span decades (the sync workers' tens of requests a
    // second beside the loops' thousands), else a linear one that shows their gap.
    if chart
        .positive_y_range()
        .is_some_and(|(low, high)| high > 10.0 * low)
    {
        chart.y_log = true;
        chart.y_label = "requests/s (log scale)";
    }
    let images = figure_image::in_both_themes(
        &format!("{title}: measured and simulated throughput"),
        (320, 260),
        figures,
        |area, palette| chart::draw_line_chart(area, &chart, palette, 1.0),
    );
    format!("<div><p class=\"measured-chart-title\">{title}</p>{images}</div>")
}

fn table(data: &Measurements) -> String {
    let row = |s: &Series| {
        let cells: Vec<String> = s
            .points
            .iter()
            .map(|p| {
                let own = match p.own_cpu_ms(s) {
                    Some(ms) => format!(" (simulated at its own {ms:.1} ms of CPU)"),
                    None => String::new(),
                };
                format!(
                    "{}: {:.0} / {:.0}{own}",
                    p.clients, p.measured.throughput_rps, p.simulated.throughput_rps
                )
            })
            .collect();
        format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            text(&data.label(&s.server)),
            text(&s.workload),
            cells.join("; ")
        )
    };
    let rows: String = data.series.iter().map(row).collect();
    // The host's speed moves on its own: a CPU-bound point far from its series'
    // calibration was simulated with the cost it measured, and the reader is told so.
    let any_own_cost = data
        .series
        .iter()
        .any(|s| s.points.iter().any(|p| p.own_cpu_ms(s).is_some()));
    let own_cost = if any_own_cost {
        "<p>A point marked with its own CPU cost used more than 15% more or less CPU per request than its series' calibration (the cpu_ms of the scenario), because the host's speed moved while it ran; it was simulated with the cost it measured, not the calibrated one.</p>"
    } else {
        ""
    };
    format!(
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Real servers, measured and simulated\"><table><thead><tr><th>server</th><th>work</th>\
         <th>clients: measured / simulated requests per second</th></tr></thead><tbody>{rows}</tbody></table></div>{own_cost}"
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The project's own content folder, whose measurements the model page shows.
    pub(crate) fn project_content() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
    }

    #[test]
    fn reads_the_committed_measurements() {
        let data = load(&project_content())
            .unwrap()
            .expect("the content has measurements");
        assert!(data.machine_name().starts_with("2 cores"));
        let overlay = data.compare_overlay().expect("both series");
        assert!(overlay.series.iter().all(|s| s.points.len() >= 5));
        let mut files = Vec::new();
        let mut figures = ImageFiles {
            base: "/",
            files: &mut files,
        };
        let html = section(Some(&data), &mut figures).unwrap();
        assert!(
            html.contains("<img class=\"widget-chart theme-dark\"") && html.contains("<table>")
        );
        assert_eq!(files.len(), 4, "two charts in two themes");
    }

    #[test]
    fn a_point_simulated_with_its_own_cost_says_so() {
        let json = r#"{"machine": {"cores": 2}, "series": [{"server": "uvicorn-asyncio",
            "workload": "cpu", "scenario": {"server": "asyncio", "cpu_ms": 10.0},
            "points": [
              {"clients": 1, "measured": {"throughput_rps": 90}, "simulated": {"throughput_rps": 95},
               "simulated_cpu_ms": 10.0},
              {"clients": 4, "measured": {"throughput_rps": 150}, "simulated": {"throughput_rps": 155},
               "simulated_cpu_ms": 6.4},
              {"clients": 8, "measured": {"throughput_rps": 100}, "simulated": {"throughput_rps": 98}}
            ]}]}"#;
        let data: Measurements = serde_json::from_str(json).unwrap();
        let s = &data.series[0];
        let own: Vec<Option<f64>> = s.points.iter().map(|p| p.own_cpu_ms(s)).collect();
        assert_eq!(own, [None, Some(6.4), None]);
        let html = table(&data);
        assert!(
            html.contains("4: 150 / 155 (simulated at its own 6.4 ms of CPU)"),
            "{html}"
        );
        assert!(html.contains("1: 90 / 95;") && html.contains("because the host's speed moved"));
    }
}
