//! Stage 3, check links: every internal link must reach a page or file of the site, and
//! every anchor a heading of its page.

use std::collections::{HashMap, HashSet};

use crate::assets::OutputFile;
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

/// Checks the finished output: every internal `href` and `src` of every HTML file (the
/// content's pages and the generated ones: 404, embed pages) must reach a file of the
/// output, and every `#anchor` an `id` of its page. `base` is the base URL.
pub fn check_output(base: &str, files: &[OutputFile], diagnostics: &mut Vec<Diagnostic>) {
    let html: HashMap<&str, &str> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| Some((f.path.as_str(), std::str::from_utf8(&f.bytes).ok()?)))
        .collect();
    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let ids: HashMap<&str, HashSet<&str>> = html
        .iter()
        .map(|(path, text)| {
            (
                *path,
                attribute_values(text, "id").map(|(_, v)| v).collect(),
            )
        })
        .collect();
    let mut sorted: Vec<_> = html.iter().collect();
    sorted.sort();
    for (from, text) in sorted {
        for attribute in ["href", "src"] {
            for (offset, value) in attribute_values(text, attribute) {
                let Some((target, anchor)) = resolve(base, from, value) else {
                    continue;
                };
                let problem = if !paths.contains(target.as_str()) {
                    Some(format!("`{value}` leads to no file of the site"))
                } else {
                    anchor
                        .filter(|a| ids.get(target.as_str()).is_none_or(|ids| !ids.contains(a)))
                        .map(|a| format!("`{value}`: {target} has no element with id `{a}`"))
                };
                if let Some(problem) = problem {
                    diagnostics.push(Diagnostic::new(
                        *from,
                        crate::diagnostic::line_of(text, offset),
                        format!("broken link in the generated page: {problem}"),
                    ));
                }
            }
        }
    }
}

/// ` NAME="value"` occurrences: (offset, value).
fn attribute_values<'a>(text: &'a str, name: &str) -> impl Iterator<Item = (usize, &'a str)> {
    let pattern = format!(" {name}=\"");
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from + text[from..].find(&pattern)? + pattern.len();
        let len = text[start..].find('"')?;
        from = start + len;
        Some((start, &text[start..start + len]))
    })
}

/// The output file and anchor an internal link points at; `None` for other sites.
fn resolve<'a>(base: &str, from: &str, value: &'a str) -> Option<(String, Option<&'a str>)> {
    if value.contains("://") || value.starts_with("mailto:") || value.starts_with("data:") {
        return None;
    }
    let value_path = value.split(['?', '#']).next().unwrap_or("");
    let anchor = value
        .split_once('#')
        .map(|(_, a)| a)
        .filter(|a| !a.is_empty());
    let mut target = if value_path.is_empty() {
        from.to_string()
    } else if let Some(rest) = value_path.strip_prefix(base) {
        rest.to_string()
    } else if value_path.starts_with('/') {
        // Outside the base URL: no file of this site can be there.
        format!("../{value_path}")
    } else {
        let dir = from.rsplit_once('/').map(|(dir, _)| dir).unwrap_or("");
        let joined = crate::markdown::normalize(dir, value_path);
        if value_path.ends_with('/') {
            format!("{joined}/")
        } else {
            joined
        }
    };
    if target.is_empty() || target.ends_with('/') {
        target.push_str("index.html");
    }
    Some((target, anchor))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(files: &[(&str, &str)]) -> Vec<String> {
        let files: Vec<_> = files
            .iter()
            .map(|(path, text)| OutputFile::text(path.to_string(), text.as_bytes().to_vec()))
            .collect();
        let mut diagnostics = Vec::new();
        check_output("/sub/", &files, &mut diagnostics);
        diagnostics.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn generated_pages_links_must_resolve() {
        let errors = check(&[
            (
                "index.html",
                "<h2 id=\"a\">A</h2> <a href=\"/sub/embed/x.html?w=1\">x</a>",
            ),
            (
                "embed/x.html",
                "<a href=\"/sub/\">home</a>\n<a href=\"../index.html#a\">a</a>\n\
                 <a href=\"/sub/index.html#b\">b</a>\n<img src=\"/other/p.png\">\n\
                 <a href=\"https://example.org/\">out</a>",
            ),
        ]);
        assert_eq!(
            errors,
            vec![
                "embed/x.html:3: broken link in the generated page: `/sub/index.html#b`: index.html has no element with id `b`",
                "embed/x.html:4: broken link in the generated page: `/other/p.png` leads to no file of the site",
            ]
        );
    }
}
