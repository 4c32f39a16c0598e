//! A long session in Chromium: every kind of widget (the fixture page holds one block of
//! each, and the planner) runs for two minutes at 100x speed, all in view at once. The
//! JS heap and the wasm memory must level off, and nothing may reach the console as an
//! error.

mod common;

use std::time::Duration;

use common::browser::{exclusive, Browser};
use serde_json::Value;

/// How long the widgets run; the issue asks for two minutes.
const SESSION: Duration = Duration::from_secs(120);
/// Memory is sampled this often, after a garbage collection.
const SAMPLE_EVERY: Duration = Duration::from_secs(15);

/// Wraps `console.error` and listens for uncaught errors, so the test can read them.
const CATCH_ERRORS: &str = "window.__errors = [];
    const original = console.error.bind(console);
    console.error = (...args) => { window.__errors.push(args.map(String).join(' ')); original(...args); };
    window.addEventListener('error', e => window.__errors.push('error: ' + e.message));
    window.addEventListener('unhandledrejection', e => window.__errors.push('rejection: ' + e.reason));
    return true;";

/// JS heap after a collection, and the wasm module's linear memory, in bytes.
const MEMORY: &str = "const done = arguments[arguments.length - 1];
    window.gc();
    const glue = performance.getEntriesByType('resource').map(e => e.name)
        .find(n => /\\/assets\\/widgets\\.[0-9a-f]+\\.js$/.test(n));
    import(glue).then(m => done([performance.memory.usedJSHeapSize, m.memory_bytes()]))
        .catch(e => done(String(e)));";

#[tokio::test(flavor = "multi_thread")]
async fn every_widget_runs_two_minutes_at_100x_with_bounded_memory_and_no_errors() {
    let _one = exclusive().await;
    let out = common::scratch("long-session-out");
    let output = common::build(&common::fixture("widgets"), &out, "/");
    assert!(output.status.success(), "{}", common::text(&output));
    let url = common::serve_static(&out, "/").await;
    let browser = Browser::start(&[
        "--js-flags=--expose-gc",
        "--enable-precise-memory-info",
        "--window-size=1100,900",
    ])
    .await;
    browser
        .client
        .goto(&format!("{url}index.html"))
        .await
        .unwrap();
    browser.eval(CATCH_ERRORS).await;
    // A window as tall as the page: every widget is in view, so none pauses.
    let height = browser
        .eval("return document.documentElement.scrollHeight")
        .await
        .as_u64()
        .unwrap();
    browser
        .client
        .set_window_size(1100, (height + 200) as u32)
        .await
        .unwrap();
    let count = browser.widget_count().await;
    assert!(count >= 7, "{count} widgets");
    let inner = browser
        .eval("return window.innerHeight")
        .await
        .as_u64()
        .unwrap();
    assert!(
        inner >= height,
        "the window is {inner} px tall, the page {height} px: some widgets would pause"
    );
    // Each widget in turn, so a slow first load on a busy machine is waited for one
    // widget at a time, and a failure names the widget.
    for i in 0..count {
        let w = format!("const W = document.querySelectorAll('.widget[data-widget]')[{i}];");
        browser
            .eval(&format!("{w} W.scrollIntoView({{block: 'center'}})"))
            .await;
        let kind = browser.eval(&format!("{w} return W.dataset.widget")).await;
        browser
            .wait_for(
                &format!("widget {i} ({kind}) to go live"),
                &format!("{w} return W.hasAttribute('data-live')"),
                Duration::from_secs(60),
            )
            .await;
    }
    // Live widgets are taller than their fallbacks: grow the window to the page again,
    // until it holds all of it, and wait until no widget is paused off screen.
    for _ in 0..5 {
        let height = browser
            .eval("return document.documentElement.scrollHeight")
            .await
            .as_u64()
            .unwrap();
        let inner = browser
            .eval("return window.innerHeight")
            .await
            .as_u64()
            .unwrap();
        if inner >= height {
            break;
        }
        browser
            .client
            .set_window_size(1100, (height + 200) as u32)
            .await
            .unwrap();
    }
    browser.eval("window.scrollTo(0, 0)").await;
    browser
        .wait_for(
            "every widget in view",
            "return document.querySelector('.widget-offscreen') === null",
            Duration::from_secs(30),
        )
        .await;
    // 100x wherever there is a clock (the planner has none).
    let fast = browser
        .eval(
            "let n = 0;
             for (const s of document.querySelectorAll('.widget select[name=speed]')) {
                 s.value = '100'; s.dispatchEvent(new Event('change', {bubbles: true})); n += 1;
             }
             return n",
        )
        .await;
    assert!(fast.as_u64().unwrap() >= 6, "{fast} widgets at 100x");
    let frames_at_start = frames(&browser).await;

    let mut samples: Vec<(f64, f64)> = Vec::new();
    let started = std::time::Instant::now();
    while started.elapsed() < SESSION {
        tokio::time::sleep(SAMPLE_EVERY).await;
        let m = browser.client.execute_async(MEMORY, vec![]).await.unwrap();
        let (heap, wasm) = (m[0].as_f64(), m[1].as_f64());
        let (Some(heap), Some(wasm)) = (heap, wasm) else {
            panic!("memory could not be read: {m}");
        };
        eprintln!(
            "{:>4} s: JS heap {:.1} MB, wasm memory {:.1} MB",
            started.elapsed().as_secs(),
            heap / 1e6,
            wasm / 1e6
        );
        samples.push((heap, wasm));
    }

    // Every widget with a clock kept drawing through the session.
    let frames_at_end = frames(&browser).await;
    for (i, (a, b)) in frames_at_start.iter().zip(&frames_at_end).enumerate() {
        assert!(b >= a, "widget {i}: frames went from {a} to {b}");
    }
    let drew = frames_at_start
        .iter()
        .zip(&frames_at_end)
        .filter(|(a, b)| b > a)
        .count();
    assert!(
        drew >= 6,
        "only {drew} widgets drew during the session: frames {frames_at_start:?} then {frames_at_end:?}"
    );
    // Bounded: after the first samples (histories filling up), the last sample is within
    // 25% of the largest before it, for the heap and for the wasm memory.
    let settled = &samples[2..];
    let last = *samples.last().unwrap();
    let max_heap = settled[..settled.len() - 1]
        .iter()
        .map(|s| s.0)
        .fold(0.0, f64::max);
    let max_wasm = settled[..settled.len() - 1]
        .iter()
        .map(|s| s.1)
        .fold(0.0, f64::max);
    assert!(
        last.0 <= 1.25 * max_heap,
        "JS heap grew to {:.1} MB from at most {:.1} MB",
        last.0 / 1e6,
        max_heap / 1e6
    );
    assert!(
        last.1 <= 1.25 * max_wasm,
        "wasm memory grew to {:.1} MB from at most {:.1} MB",
        last.1 / 1e6,
        max_wasm / 1e6
    );
    let errors = browser.eval("return window.__errors.concat([...document.querySelectorAll('[data-error]')].map(e => e.dataset.error))").await;
    assert_eq!(errors, Value::Array(vec![]), "console errors");
    browser.close().await;
}

async fn frames(browser: &Browser) -> Vec<u64> {
    browser
        .eval("return [...document.querySelectorAll('.widget[data-widget]')].map(w => Number(w.dataset.frames || 0))")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap_or(0))
        .collect()
}
