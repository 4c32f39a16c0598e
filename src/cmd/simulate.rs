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
#[error("{path}")]
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
    if args.json {
        println!("{}", report.to_json());
    } else {
        println!("{report}");
    }
    Ok(())
}
