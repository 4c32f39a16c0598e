//! `simulate FILE.toml [--json]`: the JSON contract of DESIGN.md, and exit code 2 with
//! the key and its valid range for a bad scenario.

mod common;

fn simulate(toml: &str, json: bool) -> std::process::Output {
    let dir = common::scratch("simulate");
    let file = dir.join("scenario.toml");
    std::fs::write(&file, toml).unwrap();
    let mut args = vec!["simulate", file.to_str().unwrap()];
    if json {
        args.push("--json");
    }
    common::explainer_in(&dir, &args)
}

#[test]
fn json_has_the_design_fields() {
    let output = simulate(
        "workers = 4\narrival_rate = 20\nrequests = 2000\nwarmup = 100\n",
        true,
    );
    assert!(output.status.success(), "{}", common::text(&output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for key in [
        "completed",
        "throughput_rps",
        "latency_ms",
        "queue_wait_ms",
        "queue_len_mean",
        "cpu_utilization",
        "dropped",
        "timed_out",
        "memory_mb_peak",
        "context_switches",
        "events",
        "sim_time_s",
    ] {
        assert!(value.get(key).is_some(), "missing {key} in {value}");
    }
    for key in ["mean", "p50", "p95", "p99", "max"] {
        assert!(
            value["latency_ms"][key].is_number(),
            "missing latency_ms.{key}"
        );
    }
    assert_eq!(value["completed"], 2000);
}

#[test]
fn table_is_readable() {
    let output = simulate("workers = 2\nclients = 5\nrequests = 500\n", false);
    assert!(output.status.success(), "{}", common::text(&output));
    assert!(common::text(&output).contains("throughput"));
}

#[test]
fn bad_scenarios_exit_2_naming_the_key_and_range() {
    for (toml, words) in [
        (
            "workers = 0\n",
            "`workers`: must be an integer from 1 to 4096",
        ),
        ("workerz = 3\n", "workerz"),
        ("server = \"tornado\"\n", "server"),
        ("cpu_ms = -1\n", "cpu_ms"),
        ("workers = [\n", "not valid TOML"),
    ] {
        let output = simulate(toml, true);
        let text = common::text(&output);
        assert_eq!(output.status.code(), Some(2), "{toml}: {text}");
        assert!(text.contains(words), "{toml}: expected `{words}` in {text}");
        assert!(!text.contains("panicked"), "{text}");
    }
}
