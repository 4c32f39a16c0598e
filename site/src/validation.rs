//! The validation table of the model page (a ```` ```generated validation ```` block):
//! the simulator is run on scenarios that reduce to textbook queues, and its mean
//! latency is set beside the closed form. Computed at build time so the table always
//! describes the simulator that drew the site's figures.

use std::sync::OnceLock;

use html_escape::encode_text as text;

use sim::theory as queueing;

/// One row: a textbook model, a scenario that reduces to it, and the formula's answer.
struct Case {
    model: &'static str,
    scenario: &'static str,
    /// Mean response time in seconds.
    expected: fn() -> f64,
}

/// Switching off, long runs after a warmup that removes most of the empty-start bias.
/// One seed: the table shows how close a single run comes, as a reader's would.
const RUN: &str = "switch_us = 0\noverhead_us = 0\nrequests = 100000\nwarmup = 10000\nseed = 1\n";

const CASES: &[Case] = &[
    Case {
        model: "M/M/1",
        scenario: "workers = 1\narrival_rate = 80\ncpu_ms = 10\nio_ms = 0\nio_calls = 0",
        expected: || queueing::mmc_response(1, 80.0, 100.0),
    },
    Case {
        model: "M/M/4 (Erlang C)",
        scenario: "workers = 4\ncores = 4\narrival_rate = 340\ncpu_ms = 10\nio_ms = 0\nio_calls = 0",
        expected: || queueing::mmc_response(4, 340.0, 100.0),
    },
    Case {
        model: "M/M/4, workers blocked on I/O",
        scenario: "workers = 4\ncores = 1\narrival_rate = 32\ncpu_ms = 0\nio_ms = 100",
        expected: || queueing::mmc_response(4, 32.0, 10.0),
    },
    Case {
        model: "M/D/1",
        scenario: "workers = 1\narrival_rate = 80\ncpu_ms = 10\nio_ms = 0\nio_calls = 0\nservice = \"constant\"",
        expected: || queueing::md1_response(80.0, 0.010),
    },
    Case {
        model: "M/M/∞",
        scenario: "server = \"asyncio\"\narrival_rate = 300\ncpu_ms = 0\nio_ms = 100",
        expected: || queueing::mm_infinity_response(0.100),
    },
    Case {
        model: "Processor sharing (M/M/1-PS)",
        scenario: "workers = 400\ncores = 1\narrival_rate = 70\ncpu_ms = 10\nio_ms = 0\nio_calls = 0",
        expected: || queueing::ps_response(70.0, 0.010),
    },
    Case {
        model: "M/M/3, waiting for a database pool (Erlang C)",
        scenario: "server = \"asyncio\"\narrival_rate = 130\ncpu_ms = 0\nio_ms = 0\ndb_ms = 20\ndb_pool = 3",
        expected: || queueing::mmc_response(3, 130.0, 50.0),
    },
    Case {
        model: "Closed finite source (M/M/1//10)",
        scenario: "workers = 1\nclients = 10\nthink_ms = 200\ncpu_ms = 25\nio_ms = 0\nio_calls = 0",
        expected: || queueing::finite_source_response(10, 0.200, 0.025),
    },
];

/// The table's HTML. The runs are deterministic, so a process computes them once
/// (`serve` rebuilds often), on every core.
pub fn table() -> &'static str {
    static TABLE: OnceLock<String> = OnceLock::new();
    TABLE.get_or_init(render)
}

fn simulated_mean_s(case: &Case) -> f64 {
    let table: toml::Table = toml::from_str(&format!("{}\n{RUN}", case.scenario))
        .expect("validation scenarios are valid TOML");
    let scenario = sim::Scenario::from_table(&table).expect("validation scenarios are valid");
    sim::run(&scenario).latency_ms.mean / 1e3
}

fn render() -> String {
    let simulated: Vec<f64> = std::thread::scope(|scope| {
        let runs: Vec<_> = CASES
            .iter()
            .map(|case| scope.spawn(|| simulated_mean_s(case)))
            .collect();
        runs.into_iter()
            .map(|run| run.join().expect("a valid scenario runs"))
            .collect()
    });
    let rows: String = CASES
        .iter()
        .zip(simulated)
        .map(|(case, simulated)| {
            let expected = (case.expected)();
            let scenario = case.scenario.replace('\n', ", ");
            format!(
                "<tr><th scope=\"row\">{}</th><td><code>{}</code></td><td>{:.2}</td><td>{:.2}</td><td>{:+.1}%</td></tr>",
                text(case.model),
                text(&scenario),
                expected * 1e3,
                simulated * 1e3,
                (simulated / expected - 1.0) * 100.0,
            )
        })
        .collect();
    format!(
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"The simulation against queueing theory\"><table class=\"validation\">\
         <caption>Mean latency, closed form against one simulated run \
         (100,000 requests after 10,000 of warmup, seed 1, <code>switch_us = 0</code>, <code>overhead_us = 0</code>)</caption>\
         <thead><tr><th scope=\"col\">model</th><th scope=\"col\">scenario</th>\
         <th scope=\"col\">formula (ms)</th><th scope=\"col\">simulated (ms)</th>\
         <th scope=\"col\">difference</th></tr></thead><tbody>{rows}</tbody></table></div>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_agrees_within_five_percent() {
        for case in CASES {
            let expected = (case.expected)();
            let simulated = simulated_mean_s(case);
            let error = (simulated / expected - 1.0).abs();
            assert!(
                error < 0.05,
                "{}: formula {expected}, simulated {simulated}",
                case.model
            );
        }
    }
}
