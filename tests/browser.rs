//! End to end in Debian's Chromium, headless: the built site served on 127.0.0.1 the way
//! a static host would, and the dev server with live reload.

mod common;

use std::time::{Duration, Instant};

use common::browser::{exclusive, Browser};
use serde_json::json;

const MOUNT_TIMEOUT: Duration = Duration::from_secs(30);

/// Pixels of the first live canvas that differ from its top-left (background) pixel.
const INKED_PIXELS: &str = r#"
    const c = document.querySelector('.widget[data-live] .widget-charts canvas');
    if (!c || c.width === 0) return 0;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4)
        if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) n++;
    return n;
"#;

/// The throughput chart as a PNG data URL.
const CHART_PNG_EXPR: &str =
    "document.querySelector('.widget[data-live] .widget-charts canvas').toDataURL()";
const CHART_PNG: &str =
    "return document.querySelector('.widget[data-live] .widget-charts canvas').toDataURL()";

const SUMMARY_THROUGHPUT: &str = r#"
    const s = document.querySelector('.widget[data-live] .widget-summary');
    const m = s && s.textContent.match(/throughput ([0-9.]+)/i);
    return m ? parseFloat(m[1]) : null;
"#;

#[tokio::test(flavor = "multi_thread")]
async fn article_reads_without_scripts() {
    let _one = exclusive().await;
    let (browser, _) = common::open_site(
        &common::fixture("basic"),
        "/sub/",
        &["--blink-settings=scriptEnabled=false"],
        "index.html",
    )
    .await;
    let text = browser.eval("return document.body.innerText").await;
    assert!(
        text.as_str().unwrap().contains("The fifth waits."),
        "{text}"
    );
    // The static figure is an image (its SVG a file), drawn once it has loaded.
    let figure = browser
        .wait_for(
            "the static figure",
            "const s = document.querySelector('.widget .widget-fallback img.widget-chart.theme-light'); return s && s.complete && s.naturalWidth > 0 ? s.getBoundingClientRect().height : null",
            Duration::from_secs(10),
        )
        .await;
    assert!(
        figure.as_f64().unwrap_or(0.0) > 100.0,
        "static figure not shown: {figure}"
    );
    let live = browser
        .eval("return document.querySelectorAll('[data-live]').length")
        .await;
    assert_eq!(live, json!(0));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn widget_mounts_draws_and_answers_its_controls_under_a_sub_path() {
    let _one = exclusive().await;
    let (browser, _) =
        common::open_site(&common::fixture("basic"), "/sub/", &[], "index.html").await;

    // Styles load from the sub-path.
    let radius = browser
        .eval("return getComputedStyle(document.querySelector('.widget')).borderTopLeftRadius")
        .await;
    assert_eq!(radius, json!("8px"));

    // Every placeholder goes live, and the chart has ink on it.
    browser
        .wait_for(
            "every widget to go live",
            "const w = document.querySelectorAll('.widget'); return w.length > 0 && [...w].every(e => e.hasAttribute('data-live'))",
            MOUNT_TIMEOUT,
        )
        .await;
    let inked = browser
        .wait_for(
            "the chart to be drawn",
            &format!("return (() => {{ {INKED_PIXELS} }})() > 2000"),
            MOUNT_TIMEOUT,
        )
        .await;
    assert_eq!(inked, json!(true));

    // The bundle was fetched once (the loader asks for it at first paint, a widget's
    // mount waits on the same request), and of the static figures, only the theme shown
    // (light, the browser's default) was fetched. The live widgets replaced their static
    // figures, so the page's HTML says which images the dark theme has.
    let fetched = browser
        .eval(
            "const names = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname); \
             const page = new XMLHttpRequest(); page.open('GET', location.href, false); page.send(); \
             const html = new DOMParser().parseFromString(page.responseText, 'text/html'); \
             const dark = [...html.querySelectorAll('img.theme-dark')].map((i) => new URL(i.getAttribute('src'), location.href).pathname); \
             return [names.filter((n) => n.includes('/assets/widgets_bg.')).length, \
                     names.filter((n) => dark.includes(n)).length, dark.length]",
        )
        .await;
    assert_eq!(fetched[0], json!(1), "wasm requests: {fetched}");
    assert_eq!(
        fetched[1],
        json!(0),
        "dark-theme figures fetched: {fetched}"
    );
    assert!(fetched[2].as_u64().unwrap() > 0, "{fetched}");

    // One worker and forty clients with 200 ms of I/O each: about 5 requests a second.
    // The pool is the bottleneck: throughput settles near 1 / 0.205 s.
    let before = browser
        .wait_for(
            "throughput to settle near 5 requests/s",
            &format!(
                "const t = (() => {{ {SUMMARY_THROUGHPUT} }})(); return t >= 3.5 && t <= 6.5 && t"
            ),
            Duration::from_secs(20),
        )
        .await
        .as_f64()
        .unwrap();
    let chart_before = browser.eval(CHART_PNG).await;

    // Keyboard: End takes the workers slider to its maximum; the pool stops being the
    // bottleneck and the forty clients are served at once.
    let slider = browser.find(".widget[data-live] input[name=workers]").await;
    browser
        .eval("document.querySelector('.widget[data-live] input[name=workers]').focus()")
        .await;
    slider.send_keys("\u{E010}").await.unwrap(); // End
    let workers = browser
        .eval("return document.querySelector('.widget[data-live] input[name=workers] + output').textContent")
        .await;
    assert_eq!(workers, json!("128"), "the slider did not move");
    browser
        .wait_for(
            "throughput to rise with more workers",
            &format!(
                "const t = (() => {{ {SUMMARY_THROUGHPUT} }})(); return t !== null && t > {}",
                before * 4.0
            ),
            Duration::from_secs(20),
        )
        .await;
    browser
        .wait_for(
            "the chart to show it",
            &format!("return ({CHART_PNG_EXPR}) !== {chart_before}"),
            Duration::from_secs(10),
        )
        .await;

    // For people to look at: target/tmp/screenshots/widget.png.
    common::browser::save_screenshot(&browser, "widget").await;

    // Links between pages work under the sub-path.
    browser
        .find("a[href='second.html#details']")
        .await
        .click()
        .await
        .unwrap();
    browser
        .wait_for(
            "the second page",
            "return location.pathname === '/sub/second.html'",
            Duration::from_secs(10),
        )
        .await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_reloads_on_edit_and_shows_build_errors() {
    let _one = exclusive().await;
    let content = common::scratch("reload-content");
    for file in ["index.md", "second.md"] {
        std::fs::copy(common::fixture("basic").join(file), content.join(file)).unwrap();
    }
    let out = common::scratch("reload-out");
    let port = common::free_port();
    let cwd = common::scratch("reload-cwd");
    let mut server = common::Running(
        std::process::Command::new(common::BIN)
            .args(["serve", "--port", &port.to_string(), "--content"])
            .arg(&content)
            .arg("--out")
            .arg(&out)
            .current_dir(&cwd)
            .stdout(std::fs::File::create(cwd.join("serve.log")).unwrap())
            .stderr(std::fs::File::create(cwd.join("serve.err")).unwrap())
            .spawn()
            .unwrap(),
    );
    let url = format!("http://127.0.0.1:{port}/");
    let browser = Browser::start(&[]).await;
    let started = Instant::now();
    while browser.client.goto(&url).await.is_err()
        || browser.eval("return document.title").await == json!("")
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "serve did not come up"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.wait_for("the live-reload connection", "return performance.getEntriesByName(location.origin + '/__live_reload').length > 0 || document.readyState === 'complete'", Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    // A good edit: the open page reloads and shows it.
    browser.eval("window.__before_reload = true").await;
    let page = content.join("index.md");
    let original = std::fs::read_to_string(&page).unwrap();
    let saved = Instant::now();
    std::fs::write(
        &page,
        original.replace("The fifth waits.", "The fifth waits, edited."),
    )
    .unwrap();
    browser
        .wait_for(
            "the page to reload with the edit",
            "return !window.__before_reload && document.body.innerText.includes('edited')",
            Duration::from_secs(10),
        )
        .await;
    eprintln!(
        "live reload: save to reloaded page in {} ms",
        saved.elapsed().as_millis()
    );

    // A broken edit: the error shows in the page and the server keeps going.
    std::fs::write(&page, original.replace("workers = 1", "workers = 0")).unwrap();
    let error = browser
        .wait_for(
            "the build error in the page",
            "const e = document.querySelector('[data-build-error]'); return e && e.textContent",
            Duration::from_secs(10),
        )
        .await;
    let error = error.as_str().unwrap();
    assert!(
        error.contains("index.md:") && error.contains("workers"),
        "{error}"
    );
    assert!(server.is_running(), "serve exited on a broken build");

    // Fixing it reloads the page without the error.
    browser.eval("window.__before_reload = true").await;
    std::fs::write(&page, &original).unwrap();
    browser
        .wait_for(
            "the fixed page",
            "return !window.__before_reload && !document.querySelector('[data-build-error]') && document.body.innerText.includes('The fifth waits.')",
            Duration::from_secs(10),
        )
        .await;
    browser.close().await;
    drop(server);
}

/// The model page shows the real servers' measurements against the simulation, with
/// the machine named, drawn at build time (so with scripts off too).
#[tokio::test(flavor = "multi_thread")]
async fn model_page_shows_real_measurements() {
    let _one = exclusive().await;
    let (browser, _) = common::open_site(
        &common::project_content(),
        "/",
        &["--blink-settings=scriptEnabled=false"],
        "model.html#real-servers-on-this-machine",
    )
    .await;
    let section = browser
        .eval("const M = document.querySelectorAll('.measured-machine'); return [document.querySelector('.measured-chart').querySelectorAll('img.theme-light').length, M[0].textContent, document.querySelectorAll('.measured-chart + .table-wrap tbody tr').length, document.querySelectorAll('.measured-chart img.theme-light').length, document.querySelectorAll('.measured-chart img.theme-dark').length, M.length > 1 ? M[1].textContent : '']")
        .await;
    // The servers without a database: I/O-bound and CPU-bound throughput, side by side.
    assert_eq!(section[0], json!(2), "{section}");
    assert!(
        section[1]
            .as_str()
            .unwrap()
            .starts_with("Measured on 2 cores"),
        "{section}"
    );
    assert!(section[2].as_u64().unwrap() >= 10, "{section}");
    // The database series: throughput, p99 and p50 per series, in both themes, each an
    // image of an SVG file; the reader's theme's all arrive.
    let light = section[3].as_u64().unwrap();
    browser
        .wait_for(
            "the database charts",
            "const I = [...document.querySelectorAll('.measured-chart img.theme-light')]; return I.every((i) => i.complete && i.naturalWidth > 0)",
            Duration::from_secs(10),
        )
        .await;
    assert!(light >= 3 * 6, "{section}");
    assert_eq!(section[3], section[4], "{section}");
    assert!(
        section[5].as_str().unwrap().contains("PostgreSQL"),
        "{section}"
    );
    browser
        .eval("document.querySelector('.measured-chart').scrollIntoView()")
        .await;
    common::browser::save_screenshot(&browser, "model-measured").await;
    browser.close().await;
}

/// The `compare` widget draws the real servers' measurements over its simulated sweep,
/// with the machine named, once the reader picks the measured scenario.
#[tokio::test(flavor = "multi_thread")]
async fn compare_widget_overlays_real_measurements() {
    let _one = exclusive().await;
    let (browser, _) =
        common::open_site(&common::project_content(), "/sub/", &[], "index.html").await;
    let w = "const W = document.querySelector('.widget[data-widget=compare]');";
    browser
        .eval(&format!("{w} W.scrollIntoView({{block: 'center'}})"))
        .await;
    browser
        .wait_for(
            "the measured preset",
            &format!("{w} return W.querySelector('button[name=measured]') !== null"),
            Duration::from_secs(30),
        )
        .await;
    browser
        .eval(&format!("{w} W.querySelector('.widget-more').open = true"))
        .await;
    browser
        .find(".widget[data-widget=compare] button[name=measured]")
        .await
        .click()
        .await
        .unwrap();
    let note = browser
        .wait_for(
            "the sweep with the measurements",
            &format!("{w} const t = W.querySelector('.widget-summary').textContent; return t.includes('Load sweep: ') && t.includes('measured on this site') && t"),
            Duration::from_secs(60),
        )
        .await;
    assert!(note.as_str().unwrap().contains("2 cores"), "{note}");
    browser
        .eval(&format!(
            "{w} W.querySelector('.widget-sweep').scrollIntoView()"
        ))
        .await;
    common::browser::save_screenshot(&browser, "compare-measured").await;
    browser.close().await;
}
