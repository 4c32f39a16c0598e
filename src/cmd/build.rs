//! `build`: content into the site.

use std::time::Instant;

use crate::inputs::SiteArgs;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub site: SiteArgs,
}

pub fn execute(args: Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let config = args.site.config()?;
    let summary = site::build(&config)?;
    println!(
        "built {} pages with {} widgets into {} in {} ms",
        summary.pages,
        summary.widgets,
        config.out.display(),
        started.elapsed().as_millis()
    );
    Ok(())
}
