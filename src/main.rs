//! The command line: a thin layer over the `site` and `sim` libraries, one file per
//! command in `cmd/`.

mod bundle;
mod cmd;
mod inputs;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    version,
    about = "Sync vs async Python, run it yourself: build, serve and check the site; run a scenario"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from the content folder
    Build(cmd::build::Args),
    /// Build, serve on 127.0.0.1, rebuild and reload the page on every change
    Serve(cmd::serve::Args),
    /// Validate everything `build` validates, without writing
    Check(cmd::check::Args),
    /// Simulate one scenario file and print its metrics
    Simulate(cmd::simulate::Args),
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => cmd::build::execute(args),
        Command::Serve(args) => cmd::serve::execute(args),
        Command::Check(args) => cmd::check::execute(args),
        Command::Simulate(args) => cmd::simulate::execute(args),
    };
    if let Err(err) = result {
        eprintln!("error: {err:#}");
        let code = if err.downcast_ref::<cmd::simulate::BadScenario>().is_some() {
            2
        } else {
            1
        };
        std::process::exit(code);
    }
}
