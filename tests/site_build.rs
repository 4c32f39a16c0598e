//! The site's pages beyond the article text, checked on the built output of a small
//! fixture: head tags with and without a site URL, sitemap, robots, 404, embed pages,
//! build-time highlighting, the generated validation table, and a Content-Security-
//! Policy that the pages satisfy (no inline script or style anywhere).

mod common;

use std::path::Path;

fn build_site(site_url: Option<&str>, base: &str) -> std::path::PathBuf {
    let out = common::scratch("site-out");
    let extra: Vec<&str> = site_url.map_or(Vec::new(), |url| vec!["--site-url", url]);
    let output = common::build_with(&common::fixture("site"), &out, base, &extra);
    assert!(output.status.success(), "{}", common::text(&output));
    out
}

fn read(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `<tag ...>` opening in `html` with its attributes, for the policy checks.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    html.match_indices(&open)
        .map(|(at, _)| &html[at..at + html[at..].find('>').unwrap()])
        .collect()
}

/// An attribute such as ` onclick="`: letters after ` on`, then `="`.
fn has_event_handler(html: &str) -> bool {
    html.match_indices(" on").any(|(at, _)| {
        let rest = &html[at + 3..];
        let letters = rest.bytes().take_while(u8::is_ascii_lowercase).count();
        letters > 0 && rest[letters..].starts_with("=\"")
    })
}

#[test]
fn head_carries_canonical_social_tags_and_the_policy() {
    let out = build_site(Some("https://example.org/sub"), "/sub/");
    let page = read(&out, "second.html");
    for expected in [
        r#"<title>Second · Site fixture</title>"#,
        r#"<link rel="canonical" href="https://example.org/sub/second.html">"#,
        r#"<meta property="og:image" content="https://example.org/sub/preview.png">"#,
        r#"<meta name="twitter:card" content="summary_large_image">"#,
        r#"<meta property="og:description" content="The page the first one links to.">"#,
        "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'",
    ] {
        assert!(page.contains(expected), "missing {expected} in\n{page}");
    }
    let home = read(&out, "index.html");
    assert!(home.contains("<title>Site fixture</title>"), "{home}");
    assert!(home.contains(r#"<link rel="canonical" href="https://example.org/sub/">"#));
    assert!(home.contains(r#"<h1 class="page-title">Site fixture</h1>"#));
    assert_eq!(
        read(&out, "sitemap.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
         \x20 <url><loc>https://example.org/sub/</loc></url>\n\
         \x20 <url><loc>https://example.org/sub/second.html</loc></url>\n\
         </urlset>\n"
    );
    assert_eq!(
        read(&out, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sub/sitemap.xml\n"
    );
    assert!(std::fs::read(out.join("preview.png"))
        .unwrap()
        .starts_with(b"\x89PNG"));
}

#[test]
fn without_a_site_url_absolute_tags_and_the_sitemap_are_left_out() {
    let out = build_site(None, "/");
    let page = read(&out, "index.html");
    assert!(!page.contains("rel=\"canonical\""), "{page}");
    assert!(page.contains(r#"<meta property="og:image" content="/preview.png">"#));
    assert!(!out.join("sitemap.xml").exists());
    assert!(out.join("robots.txt").exists());
}

#[test]
fn a_site_url_whose_path_is_not_the_base_is_an_error() {
    let content = common::fixture("site");
    let output = common::explainer(&[
        "check",
        "--content",
        content.to_str().unwrap(),
        "--site-url",
        "https://example.org/docs/",
    ]);
    assert!(!output.status.success());
    assert!(
        common::text(&output).contains("give the same path to --base-url"),
        "{}",
        common::text(&output)
    );
}

#[test]
fn no_page_has_inline_script_or_style() {
    let out = build_site(None, "/sub/");
    for path in [
        "index.html",
        "second.html",
        "404.html",
        "embed/compare.html",
    ] {
        let html = read(&out, path);
        for script in tags(&html, "script") {
            assert!(script.contains(" src=\"/sub/assets/"), "{path}: {script}");
        }
        assert!(!html.contains("<style"), "{path} has a <style> element");
        assert!(!html.contains(" style=\""), "{path} has a style attribute");
        assert!(
            !has_event_handler(&html),
            "{path} has an inline event handler"
        );
    }
}

#[test]
fn not_found_page_links_absolutely() {
    let out = build_site(None, "/sub/");
    let page = read(&out, "404.html");
    assert!(page.contains("<h1 id=\"page-not-found\">Page not found</h1>"));
    assert!(
        page.contains(r#"<a href="/sub/second.html">Second</a>"#),
        "{page}"
    );
    assert!(page.contains(r#"<link rel="stylesheet" href="/sub/assets/style."#));
}

#[test]
fn each_widget_used_gets_an_embed_page_and_a_copy_button() {
    let out = build_site(None, "/sub/");
    let embed = read(&out, "embed/compare.html");
    assert!(
        embed.contains(
            r#"<div class="widget" data-widget="compare" data-scenario="" data-options="#
        ),
        "{embed}"
    );
    assert!(
        embed.contains("embed=1"),
        "the widget takes its settings from the link"
    );
    assert!(embed.contains(r#"<meta name="robots" content="noindex">"#));
    let home = read(&out, "index.html");
    assert!(
        home.contains(r#"data-embed-src="/sub/embed/compare.html?clients=20&amp;io_ms=50""#)
            || home.contains(r#"data-embed-src="/sub/embed/compare.html?"#),
        "{home}"
    );
}

#[test]
fn code_is_highlighted_and_the_validation_table_generated() {
    let out = build_site(None, "/");
    let home = read(&out, "index.html");
    assert!(
        home.contains(r#"<span class="hl-keyword"#),
        "no highlighting"
    );
    assert!(
        home.contains(r#"<span class="hl-comment"#),
        "no highlighting"
    );
    let table = &home[home
        .find("<table class=\"validation\">")
        .expect("validation table")..];
    let table = &table[..table.find("</table>").unwrap()];
    for model in [
        "M/M/1",
        "Erlang C",
        "M/D/1",
        "M/M/∞",
        "Processor sharing",
        "finite source",
    ] {
        assert!(table.contains(model), "{model} missing from\n{table}");
    }
}

#[test]
fn a_broken_anchor_in_the_content_fails_the_build() {
    let content = common::scratch("site-broken");
    for file in ["index.md", "second.md"] {
        std::fs::copy(common::fixture("site").join(file), content.join(file)).unwrap();
    }
    let index = read(&content, "index.md").replace("second.md#details", "second.md#detail");
    std::fs::write(content.join("index.md"), index).unwrap();
    let output = common::explainer(&["check", "--content", content.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        common::text(&output).contains("missing anchor `#detail`"),
        "{}",
        common::text(&output)
    );
}
