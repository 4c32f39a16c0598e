//! Stage 3, check links: every internal link must reach a page or file of the site, and
//! every anchor a heading of its page.

use std::collections::{HashMap, HashSet};

use crate::content::Page;
use crate::diagnostic::Diagnostic;
use crate::markdown::Rendered;

pub fn check(
    pages: &[Page],
    rendered: &[Rendered],
    static_files: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let anchors: HashMap<&str, HashSet<&str>> = pages
        .iter()
        .zip(rendered)
        .map(|(page, r)| {
            (
                page.source.as_str(),
                r.headings.iter().map(|h| h.id.as_str()).collect(),
            )
        })
        .collect();
    for (page, r) in pages.iter().zip(rendered) {
        for link in &r.links {
            let target = link.target.as_str();
            match anchors.get(target) {
                Some(ids) => {
                    if let Some(anchor) = &link.anchor {
                        if !ids.contains(anchor.as_str()) {
                            let mut known: Vec<_> = ids.iter().copied().collect();
                            known.sort();
                            diagnostics.push(Diagnostic::new(
                                &page.path,
                                link.line,
                                format!(
                                    "link to a missing anchor `#{anchor}` in {target}; its anchors: {}",
                                    known.join(", ")
                                ),
                            ));
                        }
                    }
                }
                None if static_files.iter().any(|f| f == target) => {}
                None => diagnostics.push(Diagnostic::new(
                    &page.path,
                    link.line,
                    format!("link to a missing page or file `{target}`"),
                )),
            }
        }
    }
}
