//! `check`: everything `build` validates, without writing.

use crate::inputs::SiteArgs;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub site: SiteArgs,
}

pub fn execute(args: Args) -> anyhow::Result<()> {
    let summary = site::check(&args.site.config()?)?;
    println!("ok: {} pages, {} widgets", summary.pages, summary.widgets);
    Ok(())
}
