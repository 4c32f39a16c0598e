//! What search engines and link previews read: the head's canonical URL, Open Graph
//! and Twitter card tags, `sitemap.xml` and `robots.txt`. Absolute URLs need the site's
//! public address (`Config::site_url`); without it the tags that require one are left
//! out rather than written wrong, and there is no sitemap.

use html_escape::encode_double_quoted_attribute as attr;

use crate::preview;

/// What one page tells the outside world about itself.
pub struct PageMeta<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub site_title: &'a str,
    /// Output path relative to the site root (`index.html`, `model.html`).
    pub path: &'a str,
}

/// The public address of a page: the site root for `index.html`, so a page has one URL.
pub fn page_url(root: &str, path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) => format!("{root}{dir}"),
        None => format!("{root}{path}"),
    }
}

/// The head tags of a page. `root` is where the site's root is: the absolute site URL
/// when known, else the base path (fine for the browser, not for crawlers).
pub fn head_tags(site_url: Option<&str>, base: &str, page: &PageMeta) -> String {
    let root = site_url.unwrap_or(base);
    let image = format!("{root}{}", preview::PATH);
    let mut tags = Vec::new();
    if let Some(site_url) = site_url {
        let url = page_url(site_url, page.path);
        tags.push(format!("<link rel=\"canonical\" href=\"{}\">", attr(&url)));
        tags.push(format!(
            "<meta property=\"og:url\" content=\"{}\">",
            attr(&url)
        ));
    }
    let kind = if page.path == "index.html" {
        "website"
    } else {
        "article"
    };
    for (property, content) in [
        ("og:type", kind),
        ("og:site_name", page.site_title),
        ("og:title", page.title),
        ("og:description", page.description),
        ("og:image", &image),
        ("og:image:width", &preview::WIDTH.to_string()),
        ("og:image:height", &preview::HEIGHT.to_string()),
        ("og:image:alt", preview::ALT),
    ] {
        tags.push(format!(
            "<meta property=\"{property}\" content=\"{}\">",
            attr(content)
        ));
    }
    for (name, content) in [
        ("twitter:card", "summary_large_image"),
        ("twitter:title", page.title),
        ("twitter:description", page.description),
        ("twitter:image", &image),
        ("twitter:image:alt", preview::ALT),
    ] {
        tags.push(format!(
            "<meta name=\"{name}\" content=\"{}\">",
            attr(content)
        ));
    }
    tags.join("\n")
}

/// `sitemap.xml` listing `paths` (output paths of the pages) under `site_url`.
pub fn sitemap(site_url: &str, paths: &[String]) -> String {
    let urls: String = paths
        .iter()
        .map(|path| {
            format!(
                "  <url><loc>{}</loc></url>\n",
                html_escape::encode_text(&page_url(site_url, path))
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n{urls}</urlset>\n"
    )
}

/// `robots.txt`: everything may be crawled (embed pages say `noindex` themselves).
pub fn robots(site_url: Option<&str>) -> String {
    let mut text = "User-agent: *\nAllow: /\n".to_string();
    if let Some(site_url) = site_url {
        text.push_str(&format!("\nSitemap: {site_url}sitemap.xml\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: PageMeta = PageMeta {
        title: "Model",
        description: "How \"it\" works",
        site_title: "Site",
        path: "model.html",
    };

    #[test]
    fn absolute_tags_need_the_site_url() {
        let tags = head_tags(None, "/sub/", &PAGE);
        assert!(!tags.contains("canonical"), "{tags}");
        assert!(tags.contains(r#"<meta property="og:image" content="/sub/preview.png">"#));
        let tags = head_tags(Some("https://example.org/sub/"), "/sub/", &PAGE);
        assert!(
            tags.contains(r#"<link rel="canonical" href="https://example.org/sub/model.html">"#)
        );
        assert!(
            tags.contains(r#"content="How &quot;it&quot; works""#),
            "{tags}"
        );
    }

    #[test]
    fn the_home_page_is_the_site_root() {
        assert_eq!(page_url("https://e.org/", "index.html"), "https://e.org/");
        insta::assert_snapshot!(
            sitemap("https://e.org/", &["index.html".into(), "model.html".into()]),
            @r#"
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
          <url><loc>https://e.org/</loc></url>
          <url><loc>https://e.org/model.html</loc></url>
        </urlset>
        "#
        );
    }
}
