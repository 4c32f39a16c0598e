//! `_headers`: the response headers Netlify and Cloudflare Pages read from the site's
//! root, with the same rules as `deploy/nginx.conf`: hashed assets cached as immutable,
//! pages revalidated, the Content-Security-Policy as a header, and embed pages framable
//! by other sites while the article's pages are not. Every page is listed by its path:
//! both hosts apply every rule that matches a path, so a catch-all policy would also
//! land on the embed pages and forbid their framing.

use crate::page::CONTENT_SECURITY_POLICY;

pub const PATH: &str = "_headers";

/// The file, for pages at these output paths (`index.html`, `embed/compare.html`) under
/// the base URL (`/` or `/repo/`).
pub fn file(base: &str, pages: &[String]) -> String {
    let mut out = format!(
        "# Netlify and Cloudflare Pages: response headers (deploy/nginx.conf has the same rules).\n\
         {base}assets/*\n  Cache-Control: public, max-age=31536000, immutable\n  X-Content-Type-Options: nosniff\n"
    );
    for page in pages {
        let embed = page.starts_with("embed/");
        let framing = if embed {
            "frame-ancestors *"
        } else {
            "frame-ancestors 'none'"
        };
        let mut paths = vec![format!("{base}{page}")];
        if let Some(pretty) = page.strip_suffix(".html") {
            paths.push(format!("{base}{pretty}"));
        }
        if page == "index.html" {
            paths.push(base.to_string());
        }
        for path in paths {
            out.push_str(&format!(
                "{path}\n  Cache-Control: no-cache\n  Content-Security-Policy: {CONTENT_SECURITY_POLICY}; {framing}\n  X-Content-Type-Options: nosniff\n"
            ));
            if !embed {
                out.push_str(
                    "  X-Frame-Options: DENY\n  Referrer-Policy: strict-origin-when-cross-origin\n",
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_may_be_framed_and_pages_may_not() {
        let text = file("/sub/", &["index.html".into(), "embed/compare.html".into()]);
        assert!(
            text.contains("/sub/assets/*\n  Cache-Control: public, max-age=31536000, immutable")
        );
        let block = |path: &str| {
            let start = text.find(&format!("\n{path}\n")).unwrap();
            text[start + 1..].split("\n/").next().unwrap().to_string()
        };
        assert!(block("/sub/embed/compare.html").contains("frame-ancestors *"));
        assert!(!block("/sub/embed/compare.html").contains("X-Frame-Options"));
        assert!(block("/sub/").contains("frame-ancestors 'none'"));
        assert!(block("/sub/index.html").contains("X-Frame-Options: DENY"));
    }
}
