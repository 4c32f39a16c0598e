//! Stage 2, parse: one page's Markdown to HTML. Widget blocks become placeholders (with
//! a copy-embed button), code blocks are highlighted, ```` ```generated NAME ```` blocks
//! are replaced by content the build computes, headings get stable anchors, and links to
//! other pages are rewritten and recorded so that the link check can verify every one.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::assets::OutputFile;
use crate::content::{output_name, Page};
use crate::diagnostic::{line_of, Diagnostic};
use crate::embed::{self, WidgetUse};
use crate::figure_image::ImageFiles;
use crate::{highlight, keys_table, measured, measured_db, validation, widget};

/// Blocks the build can generate: ```` ```generated NAME ````.
pub const GENERATED: &[&str] = &[
    "validation",
    "measured",
    "measured-db",
    "reproduction",
    "keys",
];

/// What rendering a page produced, besides its HTML.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub widgets: Vec<WidgetUse>,
    /// The static figures' SVG files (`assets/figures/`), which the page's images show.
    pub figures: Vec<OutputFile>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link to another page or an anchor, to be checked once every page is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// Target source path relative to the content folder (`model.md`), or another file.
    pub target: String,
    pub anchor: Option<String>,
    pub line: usize,
}

/// Turns heading text into an anchor: lowercase, runs of other characters become `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// What rendering a page needs besides the page.
pub struct Context<'a> {
    /// The path the site is served from (`/` or `/sub/`), for the figures' images.
    pub base: &'a str,
    /// The site's root (absolute URL or base path), for the embed links of widgets.
    pub root: &'a str,
    /// The real servers' measurements, for the model page and widgets that draw them.
    pub measured: Option<&'a contract::measured::Measurements>,
    /// The real-database benchmark's, for the model page.
    pub measured_db: Option<&'a contract::measured::DbMeasurements>,
}

/// Renders one page.
pub fn render(page: &Page, context: &Context, diagnostics: &mut Vec<Diagnostic>) -> Rendered {
    let mut out = Rendered::default();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    let line = |offset: usize| page.body_line + line_of(&page.body, offset);
    let mut events: Vec<Event> = Vec::new();
    // Lists and quotes the parser is inside: a figure needs the column's full width.
    let mut nesting: Vec<&'static str> = Vec::new();
    let mut parser = Parser::new_ext(&page.body, options).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        match event {
            Event::Start(Tag::List(_)) => nesting.push("a list"),
            Event::Start(Tag::BlockQuote(_)) => nesting.push("a quote"),
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => {
                nesting.pop();
            }
            _ => {}
        }
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().next() == Some("widget") =>
            {
                let name = info.split_whitespace().nth(1).unwrap_or("").to_string();
                let source = page.body[range.clone()].trim_end();
                let body = code_block_text(&mut parser);
                if let Some(inside) = nesting.last() {
                    diagnostics.push(Diagnostic::new(
                        &page.path,
                        line(range.start),
                        format!("a widget block cannot sit inside {inside}: a figure needs the full width of the text; move the block out of it"),
                    ));
                    continue;
                }
                if !(source.ends_with("```") || source.ends_with("~~~"))
                    || source.lines().count() < 2
                {
                    diagnostics.push(Diagnostic::new(
                        &page.path,
                        line(range.start),
                        "this widget block is not closed: add a ``` line after its last key",
                    ));
                    continue;
                }
                // The body starts on the line after the fence.
                let at = widget::Place {
                    path: &page.path,
                    line: line(range.start) + 1,
                };
                if let Some(block) = widget::parse_block(&name, &body, &at, diagnostics) {
                    let mut placeholder = block.placeholder;
                    if placeholder.kind == contract::WidgetKind::Compare {
                        placeholder.options.measured =
                            context.measured.and_then(|m| m.compare_overlay());
                    }
                    let (figure, run) = widget::figure_html(
                        &placeholder,
                        &mut ImageFiles {
                            base: context.base,
                            files: &mut out.figures,
                        },
                    );
                    widget::check_claims(&block.holds, &placeholder, &run, &body, &at, diagnostics);
                    let block = WidgetUse { placeholder };
                    events.push(Event::Html(
                        format!("{figure}{}", embed::copy_button(context.root, &block)).into(),
                    ));
                    out.widgets.push(block);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match &kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let code = code_block_text(&mut parser);
                let mut words = info.split_whitespace();
                let html = match words.next() {
                    Some("generated") => {
                        let mut figures = ImageFiles {
                            base: context.base,
                            files: &mut out.figures,
                        };
                        generated(words.next().unwrap_or(""), context, &mut figures).unwrap_or_else(
                            |message| {
                                diagnostics.push(Diagnostic::new(
                                    &page.path,
                                    line(range.start),
                                    message,
                                ));
                                String::new()
                            },
                        )
                    }
                    language => code_block(&code, language.unwrap_or("")),
                };
                events.push(Event::Html(html.into()));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                let mut inner = Vec::new();
                let mut text = String::new();
                for (event, _) in parser.by_ref() {
                    match &event {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        _ => {}
                    }
                    inner.push(event);
                }
                let slug = slugify(&text);
                if let Some(first) = out.headings.iter().find(|h| h.id == slug) {
                    diagnostics.push(Diagnostic::new(
                        &page.path,
                        line(range.start),
                        format!(
                            "this heading has the same anchor `#{slug}` as the heading `{}` above it: a link to #{slug} could only reach the first; give this one other words",
                            first.text
                        ),
                    ));
                }
                let id = unique_id(&out.headings, slug);
                let n = heading_number(level);
                events.push(Event::Html(
                    format!("<h{n} id=\"{id}\"><a href=\"#{id}\">").into(),
                ));
                events.extend(inner);
                events.push(Event::Html(format!("</a></h{n}>\n").into()));
                out.headings.push(Heading { level: n, id, text });
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match internal_link(&page.source, &dest_url) {
                    Some((target, anchor, href)) => {
                        out.links.push(LinkRef {
                            target,
                            anchor,
                            line: line(range.start),
                        });
                        CowStr::from(href)
                    }
                    None => dest_url,
                };
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            other => events.push(other),
        }
    }
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out
}

/// The text of a code block whose start was just read, up to and including its end.
fn code_block_text<'a>(
    events: &mut impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::End(TagEnd::CodeBlock) => break,
            _ => {}
        }
    }
    text
}

/// What a ```` ```generated NAME ```` block becomes.
fn generated(name: &str, context: &Context, figures: &mut ImageFiles) -> Result<String, String> {
    match name {
        "validation" => Ok(validation::table().to_string()),
        "measured" => measured::section(context.measured, figures),
        "measured-db" => measured_db::section(context.measured_db, figures),
        "reproduction" => measured_db::reproduction(context.measured_db),
        "keys" => Ok(keys_table::table()),
        other => Err(format!(
            "unknown generated block `{other}`; valid ones: {}",
            GENERATED.join(", ")
        )),
    }
}

/// A code block, highlighted when its language is known.
fn code_block(code: &str, language: &str) -> String {
    let class = if language.is_empty() {
        String::new()
    } else {
        format!(
            " class=\"language-{}\"",
            html_escape::encode_double_quoted_attribute(language)
        )
    };
    let body = highlight::highlight(code, language)
        .unwrap_or_else(|| html_escape::encode_text(code).into_owned());
    format!("<pre class=\"code\"><code{class}>{body}</code></pre>\n")
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

fn unique_id(headings: &[Heading], slug: String) -> String {
    let base = if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    };
    let taken = |id: &str| headings.iter().any(|h| h.id == id);
    if !taken(&base) {
        return base;
    }
    (1..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .expect("some suffix is free")
}

/// For a link inside the site: the target's source path, its anchor, and the href to
/// write. External links (with a scheme) and absolute paths are left alone.
fn internal_link(from: &str, dest: &str) -> Option<(String, Option<String>, String)> {
    if dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with('/') {
        return None;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor.to_string())),
        None => (dest, None),
    };
    if path.is_empty() {
        return Some((from.to_string(), anchor, dest.to_string()));
    }
    let dir = from.rsplit_once('/').map(|(dir, _)| dir).unwrap_or("");
    let target = normalize(dir, path);
    let href_path = if path.ends_with(".md") {
        output_name(path)
    } else {
        path.to_string()
    };
    let href = match &anchor {
        Some(anchor) => format!("{href_path}#{anchor}"),
        None => href_path,
    };
    Some((target, anchor, href))
}

/// Joins a relative path onto a directory, resolving `.` and `..`.
pub fn normalize(dir: &str, path: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn page(body: &str) -> Page {
        Page {
            source: "guide/page.md".into(),
            path: PathBuf::from("content/guide/page.md"),
            front: crate::content::FrontMatter {
                title: "T".into(),
                description: "D".into(),
                weight: 0,
            },
            body: body.into(),
            body_line: 4,
        }
    }

    fn check(body: &str) -> (Rendered, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let context = Context {
            base: "/",
            root: "/",
            measured: None,
            measured_db: None,
        };
        let rendered = render(&page(body), &context, &mut diagnostics);
        (rendered, diagnostics)
    }

    #[test]
    fn slugs_follow_the_documented_rule() {
        assert_eq!(slugify("When async wins"), "when-async-wins");
        assert_eq!(slugify("Is `async` faster?"), "is-async-faster");
        assert_eq!(slugify("M/M/c & Erlang C"), "m-m-c-erlang-c");
    }

    #[test]
    fn a_heading_that_repeats_an_anchor_is_an_error_and_still_gets_its_own() {
        let (r, d) = check("# Intro\n\n## Intro\n\n## Why *now*\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].to_string()
                .contains(":7: this heading has the same anchor `#intro`"),
            "{}",
            d[0]
        );
        insta::assert_snapshot!(r.html, @r##"
        <h1 id="intro"><a href="#intro">Intro</a></h1>
        <h2 id="intro-1"><a href="#intro-1">Intro</a></h2>
        <h2 id="why-now"><a href="#why-now">Why <em>now</em></a></h2>
        "##);
    }

    #[test]
    fn widget_blocks_in_lists_and_quotes_and_unclosed_ones_are_errors() {
        let (_, d) = check("- item\n\n  ```widget sync-server\n  workers = 2\n  ```\n");
        assert!(d[0].message.contains("cannot sit inside a list"), "{d:?}");
        let (_, d) = check("> ```widget sync-server\n> workers = 2\n> ```\n");
        assert!(d[0].message.contains("cannot sit inside a quote"), "{d:?}");
        let (_, d) = check("Text\n\n```widget sync-server\nworkers = 2\n");
        assert!(d[0].message.contains("is not closed"), "{d:?}");
        assert_eq!(d[0].line, 7);
    }

    #[test]
    fn links_to_pages_are_rewritten_and_recorded_with_lines() {
        let (r, _) =
            check("Text\n\nSee [model](../model.md#rules) and [x](https://example.org).\n");
        assert!(
            r.html.contains(r#"href="../model.html#rules""#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"href="https://example.org""#));
        assert_eq!(
            r.links,
            vec![LinkRef {
                target: "model.md".into(),
                anchor: Some("rules".into()),
                line: 7
            }]
        );
    }

    #[test]
    fn widget_block_becomes_a_placeholder() {
        let (r, d) = check("```widget sync-server\nworkers = 4\nclients = 5\n```\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.widgets.len(), 1);
        assert_eq!(
            r.widgets[0].placeholder.kind,
            contract::WidgetKind::SyncServer
        );
        assert!(
            r.html
                .contains(r#"data-embed-src="/embed/sync-server.html?workers=4&amp;clients=5""#),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(r#"data-widget="sync-server""#),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains(r#"<img class="widget-chart theme-light" src="/assets/figures/figure."#),
            "fallback figure missing"
        );
        let images = r.html.matches("<img class=\"widget-chart").count();
        assert!(
            images > 0 && images % 2 == 0,
            "one image per panel and theme"
        );
        assert_eq!(r.figures.len(), images, "one SVG file per image");
        assert!(r.figures.iter().all(|f| f.bytes.starts_with(b"<svg")));
    }

    #[test]
    fn widget_errors_point_at_the_offending_line() {
        let (_, d) = check("Intro\n\n```widget sync-server\nworkers = 4\nworkerz = 5\n```\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 9, "{}", d[0]);
        assert!(d[0].message.contains("unknown key `workerz`"), "{}", d[0]);
    }

    #[test]
    fn ordinary_code_blocks_are_highlighted_at_build_time() {
        let (r, _) = check("```python\nprint(1)\n```\n\n```\n<plain>\n```\n");
        assert!(
            r.html.contains(r#"<pre class="code"><code class="language-python"><span class="hl-source hl-python">"#),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<pre class=\"code\"><code>&lt;plain&gt;\n</code></pre>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn unknown_generated_block_names_the_valid_ones() {
        let (_, d) = check("Text\n\n```generated nope\n```\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 7);
        assert!(d[0].message.contains("valid ones: validation"), "{}", d[0]);
    }
}
