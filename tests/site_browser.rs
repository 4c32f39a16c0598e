//! The page chrome in Debian's Chromium: the theme follows the system until the reader
//! picks one, the choice survives a reload and sets `data-theme` (which the widgets
//! read), and the article's screenshots at desktop and phone width in both themes.
//! `UPDATE_SCREENSHOTS=1` copies them into docs/screenshots/ for the README.

mod common;

use std::path::Path;
use std::time::Duration;

use common::browser::{exclusive, Browser};
use serde_json::json;

const THEME: &str = "return document.documentElement.dataset.theme";
const BACKGROUND: &str = "return getComputedStyle(document.body).backgroundColor";

fn build(content: &Path) -> std::path::PathBuf {
    let out = common::scratch("site-browser-out");
    let output = common::build(content, &out, "/");
    assert!(output.status.success(), "{}", common::text(&output));
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn theme_follows_the_system_until_toggled_and_is_remembered() {
    let _one = exclusive().await;
    let url = common::serve_static(&build(&common::fixture("site")), "/").await;
    let browser = Browser::start(&[]).await;
    browser.client.goto(&url).await.unwrap();
    assert_eq!(browser.eval(THEME).await, json!("light"));
    assert_eq!(browser.eval(BACKGROUND).await, json!("rgb(255, 255, 255)"));
    let visible = "return getComputedStyle(document.querySelector('.copy-embed')).visibility";
    assert_eq!(browser.eval(visible).await, json!("visible"));
    browser.find(".theme-toggle").await.click().await.unwrap();
    assert_eq!(browser.eval(THEME).await, json!("dark"));
    assert_eq!(browser.eval(BACKGROUND).await, json!("rgb(24, 26, 27)"));
    let pressed = "return document.querySelector('.theme-toggle').getAttribute('aria-pressed')";
    assert_eq!(browser.eval(pressed).await, json!("true"));
    browser.client.refresh().await.unwrap();
    assert_eq!(
        browser.eval(THEME).await,
        json!("dark"),
        "choice not remembered"
    );

    // The copy-embed button copies an iframe of the embed page, or shows its code
    // where the clipboard is not allowed.
    browser.find(".copy-embed").await.click().await.unwrap();
    let status = browser
        .wait_for(
            "the copy status",
            "return document.querySelector('.copy-status').textContent",
            Duration::from_secs(5),
        )
        .await;
    let status = status.as_str().unwrap();
    assert!(
        status == "Copied." || status.contains("/embed/compare.html?clients=20&io_ms=50\""),
        "{status}"
    );

    // The contents mark the section being read, also when its heading came to rest
    // just under the top of the window by small scrolls (a heading inside the top band
    // of the window crosses nothing there: the contents once kept the section before).
    // A long section before it (as on the model page), and room to scroll past it.
    browser
        .eval(
            "const gap = document.createElement('div'); gap.style.height = '150vh'; \
             document.getElementById('validation').before(gap); \
             document.body.style.paddingBottom = '200vh'",
        )
        .await;
    for top in ["innerHeight * 0.6", "innerHeight * 0.25", "40"] {
        browser
            .eval(&format!(
                "const h = document.getElementById('validation'); \
                 scrollBy(0, h.getBoundingClientRect().top - {top})"
            ))
            .await;
        // Two frames: the contents follow at most once a frame.
        browser.frames(2).await;
    }
    browser
        .wait_for(
            "the contents to follow",
            "return document.querySelector('.toc a[aria-current]')?.hash === '#validation' \
             && document.querySelectorAll('.toc a').length > 1",
            Duration::from_secs(5),
        )
        .await;
    browser.close().await;

    // A dark system setting with no choice made gives the dark theme.
    let browser = Browser::start(&["--blink-settings=preferredColorScheme=0"]).await;
    browser.client.goto(&url).await.unwrap();
    assert_eq!(browser.eval(THEME).await, json!("dark"));
    browser.close().await;
}

/// Records each distinct Content-Security-Policy violation with its source.
const RECORD_VIOLATIONS: &str = "window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      const what = `${e.violatedDirective} [${e.sample}] from ${e.sourceFile}:${e.lineNumber}`;
      if (!window.violations.includes(what)) window.violations.push(what);
    });
    window.shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.shift += e.value;
    }).observe({ type: 'layout-shift' });";

#[tokio::test(flavor = "multi_thread")]
async fn page_script_and_theme_toggle_break_no_content_security_policy_rule() {
    let _one = exclusive().await;
    let url = common::serve_static(&build(&common::fixture("site")), "/").await;
    let browser = Browser::start(&[]).await;
    browser.client.goto(&url).await.unwrap();
    // A violation while loading would have stopped the page script, which sets the theme.
    assert_eq!(browser.eval(THEME).await, json!("light"));
    browser.eval(RECORD_VIOLATIONS).await;
    browser.find(".theme-toggle").await.click().await.unwrap();
    browser
        .eval("document.querySelector('.widget-figure').scrollIntoView()")
        .await;
    browser
        .wait_for(
            "the widget to go live",
            "return document.querySelector('.widget[data-live]') !== null",
            Duration::from_secs(30),
        )
        .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let violations = browser.eval("return window.violations").await;
    assert_eq!(
        violations,
        json!([]),
        "the page or its live widgets break the policy"
    );
    browser.close().await;
}

/// A phone-width viewport: Chromium will not make a window narrower than 500 px, so
/// the phone views load the article in a 360 px iframe of this page and screenshot it.
const PHONE_FRAME: &str = "<!doctype html><meta charset=utf-8><title>phone</title>\
    <body style=\"margin:0\"><iframe id=phone src=\"index.html\" width=360 height=780 \
    style=\"border:0;display:block\"></iframe>";

#[tokio::test(flavor = "multi_thread")]
async fn article_screenshots_at_desktop_and_phone_width_in_both_themes() {
    let _one = exclusive().await;
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let out = build(&content);
    std::fs::write(out.join("phone.html"), PHONE_FRAME).unwrap();
    let url = common::serve_static(&out, "/").await;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let browser = Browser::start(&["--window-size=1280,900"]).await;
    let mut saved = Vec::new();
    for device in ["desktop", "phone"] {
        // Scripts run in the article's document: the page itself, or the phone frame's.
        let doc = if device == "phone" {
            "document.getElementById('phone').contentDocument"
        } else {
            "document"
        };
        let page = if device == "phone" { "phone.html" } else { "" };
        for theme in ["light", "dark"] {
            browser.client.goto(&url).await.unwrap();
            browser
                .eval(&format!("localStorage.setItem('theme', '{theme}')"))
                .await;
            browser.client.goto(&format!("{url}{page}")).await.unwrap();
            browser
                .wait_for(
                    "the article",
                    &format!("const d = {doc}; return d && d.readyState === 'complete' && d.documentElement.dataset.theme"),
                    Duration::from_secs(10),
                )
                .await;
            let theme_now = browser
                .eval(&format!("return {doc}.documentElement.dataset.theme"))
                .await;
            assert_eq!(theme_now, json!(theme));
            let widths = browser
                .eval(&format!(
                    "const e = {doc}.documentElement; return [e.clientWidth, e.scrollWidth]"
                ))
                .await;
            assert_eq!(widths[0], widths[1], "{device}: the page scrolls sideways");
            saved.push(save(&browser, device, &format!("article-{device}-{theme}"), &dir).await);

            browser
                .eval(&format!(
                    "{doc}.querySelector('.widget-figure').scrollIntoView()"
                ))
                .await;
            browser
                .wait_for(
                    "the first widget to go live",
                    &format!("return {doc}.querySelector('.widget[data-live]') !== null"),
                    Duration::from_secs(30),
                )
                .await;
            // Let the simulation run a little so the charts have something in them.
            browser
                .wait_for(
                    "the first widget to draw 120 frames",
                    &format!("return Number({doc}.querySelector('.widget[data-live]').dataset.frames || 0) >= 120"),
                    Duration::from_secs(30),
                )
                .await;
            saved.push(save(&browser, device, &format!("widget-{device}-{theme}"), &dir).await);
        }
    }
    browser.close().await;
    if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
        std::fs::create_dir_all(&docs).unwrap();
        for file in saved {
            std::fs::copy(dir.join(&file), docs.join(&file)).unwrap();
        }
    }
}

/// Saves the window (desktop) or the phone frame; returns the file's name.
async fn save(browser: &Browser, device: &str, name: &str, dir: &Path) -> String {
    let png = if device == "phone" {
        browser.find("#phone").await.screenshot().await
    } else {
        browser.client.screenshot().await
    }
    .expect("taking a screenshot");
    let file = format!("{name}.png");
    std::fs::write(dir.join(&file), png).unwrap();
    file
}
