//! The model page's measurements of real Python servers (a ```` ```generated measured ````
//! block): `data/measured.json` of the content folder, written by `bench/real/run.py`,
//! drawn as measured against simulated throughput with the machine named, and a table
//! of every point's agreement.

use std::path::Path;

use html_escape::encode_text as text;
use plotters::prelude::*;
use serde_json::Value;

pub const FILE: &str = "data/measured.json";

/// The servers drawn on the charts; the table lists them all.
const CHARTED: [&str; 2] = ["gunicorn-sync", "uvicorn-asyncio"];

pub fn section(content: &Path) -> Result<String, String> {
    let path = content.join(FILE);
    let raw = std::fs::read_to_string(&path).map_err(|err| {
        format!(
            "{}: {err} (run `python3 bench/real/run.py` to measure)",
            path.display()
        )
    })?;
    let data: Value =
        serde_json::from_str(&raw).map_err(|err| format!("{}: {err}", path.display()))?;
    let bad = |what: &str| format!("{}: no {what}", path.display());
    let machine = data.get("machine").ok_or_else(|| bad("machine"))?;
    let series = data
        .get("series")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("series"))?;
    let label = |id: &str| {
        data["servers"]
            .as_array()
            .and_then(|servers| servers.iter().find(|s| s["id"] == id))
            .and_then(|s| s["label"].as_str())
            .unwrap_or(id)
            .to_string()
    };
    let mut html = format!(
        "<p class=\"measured-machine\">Measured on {} cores ({}, {} GB), kernel {}, Python {}, load from {}, {}.</p>",
        machine["cores"],
        text(machine["cpu_model"].as_str().unwrap_or("?")),
        machine["memory_gb"],
        text(machine["kernel"].as_str().unwrap_or("?")),
        text(machine["python"].as_str().unwrap_or("?")),
        text(machine["load_generator"].as_str().unwrap_or("?")),
        text(machine["date"].as_str().unwrap_or("?")),
    );
    for (workload, title) in [("io", "I/O-bound requests"), ("cpu", "CPU-bound requests")] {
        html.push_str(&chart(series, workload, title, &label));
    }
    html.push_str(&table(series, &label));
    if let Some(a) = data.get("agreement") {
        html.push_str(&format!(
            "<p>{} of {} points within 25% of the simulation; median error {:.0}%.</p>",
            a["within_25pct"],
            a["points"],
            a["median_abs_error"].as_f64().unwrap_or(0.0) * 100.0
        ));
    }
    Ok(html)
}

fn points(series: &Value, which: &str) -> Vec<(f64, f64)> {
    series["points"]
        .as_array()
        .map(|points| {
            points
                .iter()
                .filter_map(|p| {
                    Some((p["clients"].as_f64()?, p[which]["throughput_rps"].as_f64()?))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn chart(series: &[Value], workload: &str, title: &str, label: &dyn Fn(&str) -> String) -> String {
    let mut lines: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for id in CHARTED {
        if let Some(s) = series
            .iter()
            .find(|s| s["server"] == id && s["workload"] == workload)
        {
            lines.push((format!("{}, measured", label(id)), points(s, "measured")));
            lines.push((format!("{}, simulated", label(id)), points(s, "simulated")));
        }
    }
    let max_x = lines
        .iter()
        .flat_map(|(_, p)| p.iter().map(|p| p.0))
        .fold(1.0, f64::max);
    let mut chart = chart::LineChart::new(
        "concurrent clients",
        "throughput (requests/s)",
        (1.0, max_x),
        lines
            .iter()
            .map(|(label, points)| chart::Series { label, points })
            .collect(),
    );
    chart.x_log = true;
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (640, 280)).into_drawing_area();
        // Drawing into a String cannot fail.
        let _ = chart::draw_line_chart(&area, &chart, &chart::LIGHT, 1.0);
    }
    let open_end = svg.find('>').unwrap_or(0);
    format!(
        "<figure class=\"measured-chart\"><svg class=\"widget-chart\" viewBox=\"0 0 640 280\" role=\"img\" \
         aria-label=\"{title}: measured and simulated throughput\" xmlns=\"http://www.w3.org/2000/svg\"{}\
         <figcaption>{title}: real servers measured on this machine against the simulation of the same scenario.</figcaption></figure>",
        &svg[open_end..]
    )
}

fn table(series: &[Value], label: &dyn Fn(&str) -> String) -> String {
    let mut rows = String::new();
    for s in series {
        let id = s["server"].as_str().unwrap_or("?");
        let (measured, simulated) = (points(s, "measured"), points(s, "simulated"));
        let cells: Vec<String> = measured
            .iter()
            .zip(&simulated)
            .map(|((clients, m), (_, sim))| format!("{clients:.0}: {m:.0} / {sim:.0}"))
            .collect();
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            text(&label(id)),
            text(s["workload"].as_str().unwrap_or("?")),
            cells.join("; ")
        ));
    }
    format!(
        "<div class=\"table-wrap\"><table><thead><tr><th>server</th><th>work</th>\
         <th>clients: measured / simulated requests per second</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )
}
