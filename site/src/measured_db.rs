//! The model page's section on the real-database benchmark (a ```` ```generated
//! measured-db ```` block): `data/measured-db.json` of the content folder, written by
//! `bench/real/run_db.py`, read through `contract::measured`: for each series, measured
//! against simulated throughput and latency (p50 and p99) by concurrency, both themes;
//! then the agreement, every miss with its explanation, and what was not judged.

use std::path::Path;

use contract::measured::{DbMeasurements, DbSeries, Figures};
use html_escape::encode_text as text;

use crate::figure_image::{self, ImageFiles};

pub const FILE: &str = "data/measured-db.json";

/// The measurements of the content folder: `Ok(None)` when it has none.
pub fn load(content: &Path) -> Result<Option<DbMeasurements>, String> {
    crate::measured::load_json(content, FILE, "a database measurements file")
}

pub fn section(data: Option<&DbMeasurements>, figures: &mut ImageFiles) -> Result<String, String> {
    let data = data.ok_or_else(|| {
        format!("no {FILE} in the content (run `python3 bench/real/run_db.py` to measure)")
    })?;
    let m = &data.machine;
    let load = m.load_average_at_start.first().map_or(String::new(), |l| {
        format!(", load average {l:.2} at the start")
    });
    let a = &data.agreement;
    let mut html = format!(
        "<p class=\"measured-machine\">Measured on {} cores ({}), PostgreSQL {}, pgbouncer {}, Python {}, load from {}, {}{load}.</p>\
         <p><strong>{} of {} judged points agree</strong> ({:.0}%; the criterion: {}). Median error: throughput {}, p99 {}.</p>",
        m.cores,
        text(&m.cpu_model),
        text(&m.postgresql),
        text(&m.pgbouncer),
        text(&m.python),
        text(&m.load_generator),
        text(&m.date),
        a.agree,
        a.judged,
        a.share * 100.0,
        text(&a.criterion),
        percent(a.median_abs_throughput_error),
        percent(a.median_abs_p99_error),
    );
    // The criterion's bar (its text above says so too): 80% of the judged points.
    html.push_str(if a.share >= 0.8 {
        "<p class=\"measured-verdict\">The model passes this check.</p>"
    } else {
        "<p class=\"measured-verdict\"><strong>The model does not pass this check.</strong> \
         Fewer than 80% of the points agree; the tables and charts below show where it misses, and why.</p>"
    });
    html.push_str(&agreement_table(data));
    for series in data.series.iter().filter(|s| s.status == "ok") {
        html.push_str(&series_figure(series, figures));
    }
    html.push_str(&misses(data));
    Ok(html)
}

/// Per series (a server in a regime): how many judged points agree on throughput, on
/// p99, and on both.
fn agreement_table(data: &DbMeasurements) -> String {
    let rows: String = data
        .series
        .iter()
        .filter(|s| s.status == "ok")
        .map(|s| {
            let judged: Vec<_> = s
                .points
                .iter()
                .filter_map(|p| p.agreement.filter(|_| p.status == "judged"))
                .collect();
            let count = |f: fn(&contract::measured::PointAgreement) -> bool| {
                judged.iter().filter(|a| f(a)).count()
            };
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                text(series_name(s)),
                text(&s.regime),
                judged.len(),
                count(|a| a.throughput_ok),
                count(|a| a.p99_ok),
                count(|a| a.ok),
            )
        })
        .collect();
    format!(
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Agreement per series\"><table><caption>Agreement per series: judged points, and those within the criterion</caption>\
         <thead><tr><th>series</th><th>regime</th><th>judged</th><th>throughput</th><th>p99</th><th>both</th></tr></thead>\
         <tbody>{rows}</tbody></table></div>"
    )
}

/// The article's miniature of the published benchmarks: each database series at the
/// level nearest their 100 clients, measured and simulated side by side.
pub fn reproduction(data: Option<&DbMeasurements>) -> Result<String, String> {
    let data = data.ok_or_else(|| {
        format!("no {FILE} in the content (run `python3 bench/real/run_db.py` to measure)")
    })?;
    let ms = |x: f64| format!("{x:.0}");
    let rows: String = data
        .series
        .iter()
        .filter(|s| s.status == "ok")
        .filter_map(|s| {
            // Only the published shapes; the other series are ours.
            let shape = ["Grinberg", "Paterson"]
                .into_iter()
                .find(|who| s.published_setup.starts_with(who))?;
            Some((s, shape, s.nearest(100)?))
        })
        .map(|(s, shape, p)| {
            let m = p.measured.as_ref().map_or(Default::default(), |m| *m);
            let sim = p.simulated.as_ref();
            let simulated = |f: fn(&contract::measured::DbSimulated) -> Option<f64>| {
                sim.and_then(f).map_or("–".into(), ms)
            };
            let noun = if s.processes == 1 { "process" } else { "processes" };
            let processes = if s.threads > 1 {
                format!("{} {noun} × {} threads", s.processes, s.threads)
            } else {
                format!("{} {noun}", s.processes)
            };
            let request = if shape == "Grinberg" {
                "pg_sleep(0.02)"
            } else {
                "primary-key read"
            };
            format!(
                "<tr><th scope=\"row\">{}<br><small>{request} ({shape}); {processes}, {} each, {} at pgbouncer; {} clients</small></th>\
                 <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                text(series_name(s)),
                if s.db_pool == 1 { "1 connection".to_string() } else { format!("{} connections", s.db_pool) },
                s.bouncer_pool,
                p.clients,
                ms(m.throughput_rps),
                ms(m.p50_ms),
                ms(m.p99_ms),
                simulated(|s| s.throughput_rps),
                simulated(|s| s.p50_ms),
                simulated(|s| s.p99_ms),
            )
        })
        .collect();
    let m = &data.machine;
    // Two header rows, so that the six numbers fit a phone-width column.
    Ok(format!(
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"The reproduction, measured and simulated\"><table class=\"reproduction\"><caption>Measured on {} cores ({}), PostgreSQL {}, pgbouncer {}, {}: \
         requests a second, and latency in ms</caption>\
         <thead><tr><th rowspan=\"2\" scope=\"col\">setup</th><th colspan=\"3\" scope=\"colgroup\">measured</th><th colspan=\"3\" scope=\"colgroup\">simulated</th></tr>\
         <tr><th scope=\"col\">req/s</th><th scope=\"col\">p50</th><th scope=\"col\">p99</th><th scope=\"col\">req/s</th><th scope=\"col\">p50</th><th scope=\"col\">p99</th></tr></thead>\
         <tbody>{rows}</tbody></table></div>",
        m.cores,
        text(&m.cpu_model),
        text(&m.postgresql),
        text(&m.pgbouncer),
        text(&m.date),
    ))
}

fn percent(x: Option<f64>) -> String {
    x.map_or("–".into(), |x| format!("{:.0}%", x * 100.0))
}

/// A series as the page names it: its label, or its id when it has none.
fn series_name(s: &DbSeries) -> &str {
    if s.label.is_empty() {
        &s.id
    } else {
        &s.label
    }
}

fn series_figure(s: &DbSeries, figures: &mut ImageFiles) -> String {
    let name = series_name(s);
    let throughput = chart_svg(
        s,
        "throughput (requests/s)",
        &|f| f.throughput_rps,
        &[("measured", false), ("simulated", true)],
        figures,
    );
    let latency = chart_svg(
        s,
        "latency (ms)",
        &|f| f.p99_ms,
        &[("p99 measured", false), ("p99 simulated", true)],
        figures,
    );
    let median = chart_svg(
        s,
        "latency (ms)",
        &|f| f.p50_ms,
        &[("p50 measured", false), ("p50 simulated", true)],
        figures,
    );
    format!(
        "<figure class=\"measured-chart\"><div class=\"widget-row widget-charts\">{throughput}{latency}{median}</div>\
         <figcaption><strong>{}</strong> ({}){}: measured on the host named above against the simulation of the same setup.</figcaption></figure>",
        text(name),
        text(&s.regime),
        if s.published_setup.is_empty() {
            String::new()
        } else {
            format!(", {}", text(s.published_setup.trim_end_matches('.')))
        },
    )
}

/// One chart of a series in both themes: `lines` are (label, simulated?).
fn chart_svg(
    s: &DbSeries,
    y_label: &str,
    value: &dyn Fn(&Figures) -> f64,
    lines: &[(&str, bool)],
    figures: &mut ImageFiles,
) -> String {
    let data: Vec<(&str, Vec<(f64, f64)>)> = lines
        .iter()
        .map(|(label, simulated)| (*label, s.line(*simulated, value)))
        .collect();
    let max_x = data
        .iter()
        .flat_map(|(_, p)| p.iter().map(|p| p.0))
        .fold(1.0, f64::max);
    let mut chart = chart::LineChart::new(
        "concurrent clients",
        y_label,
        (1.0, max_x),
        data.iter()
            .map(|(label, points)| chart::Series { label, points })
            .collect(),
    );
    chart.x_log = true;
    // The image's only name for a screen reader: which series, and which lines.
    let name = series_name(s);
    let labels: Vec<&str> = lines.iter().map(|(label, _)| *label).collect();
    // Drawn at about the size it is shown at, two to a row in the text's column, so that
    // its labels are the size of a widget's (a larger drawing scaled down left them about
    // 7 px tall).
    figure_image::in_both_themes(
        &format!("{name}: {y_label}, {}", labels.join(" and ")),
        (320, 220),
        figures,
        |area, palette| chart::draw_line_chart(area, &chart, palette, 1.0),
    )
}

fn misses(data: &DbMeasurements) -> String {
    let a = &data.agreement;
    let rows: String = a
        .misses
        .iter()
        .map(|m| {
            // Named as the agreement table names it: a server, in its regime.
            let series = data.series.iter().find(|s| s.id == m.series);
            let name = series.map_or(m.series.clone(), |s| {
                format!("{} ({})", series_name(s), s.regime)
            });
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                text(&name),
                m.clients,
                percent(m.throughput_error),
                percent(m.p99_error),
                text(m.why.as_deref().unwrap_or("")),
            )
        })
        .collect();
    let excluded: String = a
        .not_judged
        .iter()
        .map(|n| {
            format!(
                "<li>{} at {} clients: {}</li>",
                text(&n.series),
                n.clients,
                text(n.reason.as_deref().unwrap_or("not judged"))
            )
        })
        .collect();
    let mut html = String::new();
    if !rows.is_empty() {
        html.push_str(&format!(
            "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Every point the simulation missed\"><table><caption>Every point where the simulation misses: its error (simulated over measured, less one) and why</caption>\
             <thead><tr><th>series</th><th>clients</th><th>throughput</th><th>p99</th><th>why</th></tr></thead><tbody>{rows}</tbody></table></div>"
        ));
    }
    if !excluded.is_empty() {
        html.push_str(&format!(
            "<details><summary>{} points not judged, and why</summary><ul>{excluded}</ul></details>",
            a.not_judged.len()
        ));
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_miss_names_its_series_and_says_why() {
        let data = load(&crate::measured::tests::project_content())
            .unwrap()
            .expect("the content has measurements");
        assert!(!data.agreement.misses.is_empty());
        let html = misses(&data);
        let rows: Vec<&str> = html.split("<tr><td>").skip(1).collect();
        assert_eq!(rows.len(), data.agreement.misses.len());
        for row in rows {
            assert!(!row.contains("<td></td>"), "a cell is empty: {row}");
            assert!(row.contains(" ("), "no readable name: {row}");
        }
    }
}
