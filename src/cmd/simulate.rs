//! `simulate FILE.toml [--json]`: one scenario, its metrics.

use std::path::PathBuf;

use anyhow::Context;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file (TOML, the same keys as a widget block)
    pub file: PathBuf,
    /// Print one JSON object instead of a table
    #[arg(long)]
    pub json: bool,
}

/// A scenario that does not validate; the command exits with code 2 for it.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct BadScenario {
    path: String,
    source: sim::ScenarioError,
}

pub fn execute(args: Args) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let scenario = sim::Scenario::parse(&text).map_err(|source| BadScenario {
        path: args.file.display().to_string(),
        source,
    })?;
    let report = sim::run(&scenario);
    let value = serde_json::to_value(&report)?;
    if args.json {
        println!("{value}");
    } else {
        print_table("", &value);
    }
    Ok(())
}

fn print_table(prefix: &str, value: &serde_json::Value) {
    if let serde_json::Value::Object(map) = value {
        for (key, value) in map {
            let name = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match value {
                serde_json::Value::Object(_) => print_table(&name, value),
                other => println!("{name:<24} {other}"),
            }
        }
    }
}
