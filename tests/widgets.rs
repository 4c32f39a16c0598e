//! Every widget in Chromium: it mounts, draws, answers one control by keyboard and one
//! by mouse with a changed chart and summary; its state goes into the URL and comes
//! back from it; reduced motion is honoured; one broken widget leaves the others
//! running; and the frame-time figure with 10,000 clients in flight.

mod common;

use std::time::Duration;

use common::browser::{exclusive, Browser};
use fantoccini::{key::Key, Locator};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(30);

/// JS: the widget at `i`, a hash of its last chart's pixels, and its summary.
fn widget_js(i: usize, body: &str) -> String {
    format!(
        "const W = document.querySelectorAll('.widget[data-widget]')[{i}];
         const lastChart = () => [...W.querySelectorAll('.widget-charts canvas')].pop();
         const chartHash = () => {{
             const c = lastChart();
             if (!c || !c.width) return 0;
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             let h = 2166136261;
             for (let k = 0; k < d.length; k += 4) h = Math.imul(h ^ (d[k] + 3 * d[k + 1] + 7 * d[k + 2]), 16777619);
             return h;
         }};
         const inked = () => {{
             const c = lastChart();
             if (!c || !c.width) return 0;
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             let n = 0;
             for (let k = 0; k < d.length; k += 4) if (d[k] !== d[0] || d[k + 1] !== d[1]) n++;
             return n;
         }};
         const summary = () => (W.querySelector('.widget-summary') || {{}}).textContent || '';
         {body}"
    )
}

/// One widget's test: a key pressed on a control, then a click on another.
struct Case {
    index: usize,
    name: &'static str,
    /// Ready to be operated (JS, truthy).
    ready: &'static str,
    key_on: &'static str,
    key: Key,
    /// After the key (JS, truthy).
    after_key: &'static str,
    click_on: &'static str,
    /// After the click (JS, truthy).
    after_click: &'static str,
    /// The transport's buttons: Step only where one event shows, Play only where there
    /// is a clock.
    transport: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        index: 0,
        name: "sync-server",
        ready: "summary().includes('of 4 processes busy')",
        key_on: "input[name=workers]",
        key: Key::End,
        after_key: "summary().includes('of 128 processes busy')",
        click_on: ".widget-presets button:nth-child(3)",
        after_click: "summary().includes('threads busy')",
        transport: &["play", "step", "reset"],
    },
    Case {
        index: 1,
        name: "async-server",
        ready: "summary().includes('asyncio event loop')",
        key_on: "input[name=cpu_ms]",
        key: Key::End,
        after_key: "W.querySelector('input[name=cpu_ms] + output').textContent === '500 ms'",
        click_on: ".widget-presets button:nth-child(3)",
        after_click: "summary().includes('uvloop event loop')",
        transport: &["play", "step", "reset"],
    },
    Case {
        index: 2,
        name: "greenlet",
        ready: "W.querySelector('.code-panes') && summary().includes('gevent event loop')",
        key_on: "input[name=clients]",
        key: Key::Home,
        after_key: "W.querySelector('input[name=clients] + output').textContent === '1'",
        click_on: ".widget-presets button:nth-child(2)",
        after_click: "[...W.querySelectorAll('.code-note')].some(n => n.textContent.includes('blocking the whole loop') && !n.textContent.startsWith('0'))",
        transport: &["play", "step", "reset"],
    },
    Case {
        index: 3,
        name: "compare",
        ready: "summary().includes('Load sweep: from about')",
        key_on: "input[name=cpu_ms]",
        key: Key::End,
        after_key: "summary().includes('the event loops never serve')",
        click_on: ".widget-presets button:nth-child(2)",
        after_click: "summary().includes('Load sweep: from about')",
        transport: &["play", "step", "reset"],
    },
    Case {
        index: 4,
        name: "context-switch",
        ready: "summary().startsWith('At 1024 concurrent clients')",
        key_on: "input[name=cpu_ms]",
        key: Key::End,
        after_key: "summary().startsWith('At 1024') && W.querySelector('input[name=cpu_ms] + output').textContent === '500 ms'",
        click_on: "button[name=reset]",
        after_click: "summary().startsWith('At 1024') && W.querySelector('input[name=cpu_ms] + output').textContent === '0.20 ms'",
        transport: &["reset"],
    },
    Case {
        index: 5,
        name: "memory",
        ready: "summary().startsWith('In 4,096 MB')",
        key_on: "input[name=budget_mb]",
        key: Key::End,
        after_key: "summary().startsWith('In 65,536 MB')",
        click_on: ".widget-presets button:nth-child(1)",
        after_click: "summary().startsWith('In 512 MB')",
        transport: &["play", "reset"],
    },
];

async fn open_fixture(browser: &Browser, query: &str) -> String {
    let out = common::scratch("widgets-out");
    let output = common::build(&common::fixture("widgets"), &out, "/");
    assert!(output.status.success(), "{}", common::text(&output));
    let url = common::serve_static(&out, "/").await;
    browser
        .client
        .goto(&format!("{url}index.html{query}"))
        .await
        .unwrap();
    url
}

async fn check_case(browser: &Browser, case: &Case) {
    let i = case.index;
    let name = case.name;
    browser
        .eval(&widget_js(i, "W.scrollIntoView({block: 'center'});"))
        .await;
    browser
        .wait_for(
            &format!("{name} to go live"),
            &widget_js(i, "return W.hasAttribute('data-live')"),
            WAIT,
        )
        .await;
    browser
        .wait_for(
            &format!("{name} to be ready"),
            &widget_js(i, &format!("return inked() > 500 && ({})", case.ready)),
            WAIT,
        )
        .await;
    assert_eq!(
        browser
            .eval(&widget_js(
                i,
                "return [...W.querySelectorAll('.widget-transport button')].map(b => b.name)"
            ))
            .await,
        json!(case.transport),
        "{name}'s transport"
    );
    let chart_before = browser.eval(&widget_js(i, "return chartHash()")).await;
    let summary_before = browser.eval(&widget_js(i, "return summary()")).await;

    let widgets = browser
        .client
        .find_all(Locator::Css(".widget[data-widget]"))
        .await
        .unwrap();
    let control = widgets[i].find(Locator::Css(case.key_on)).await.unwrap();
    control
        .send_keys(&char::from(case.key).to_string())
        .await
        .unwrap();
    browser
        .wait_for(
            &format!("{name} to answer the key on {}", case.key_on),
            &widget_js(i, &format!("return ({}) && summary() !== {summary_before} && chartHash() !== {chart_before}", case.after_key)),
            WAIT,
        )
        .await;

    let summary_before = browser.eval(&widget_js(i, "return summary()")).await;
    // Presets sit under "More settings".
    browser
        .eval(&widget_js(
            i,
            "W.querySelector('.widget-more').open = true;",
        ))
        .await;
    let widgets = browser
        .client
        .find_all(Locator::Css(".widget[data-widget]"))
        .await
        .unwrap();
    widgets[i]
        .find(Locator::Css(case.click_on))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait_for(
            &format!("{name} to answer the click on {}", case.click_on),
            &widget_js(
                i,
                &format!(
                    "return ({}) && summary() !== {summary_before}",
                    case.after_click
                ),
            ),
            WAIT,
        )
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_widget_answers_keyboard_and_mouse() {
    let _one = exclusive().await;
    let browser = Browser::start(&["--window-size=1000,900"]).await;
    open_fixture(&browser, "").await;
    for case in CASES {
        check_case(&browser, case).await;
    }
    common::browser::save_screenshot(&browser, "widgets").await;
    let errors = browser
        .eval("return [...document.querySelectorAll('[data-error]')].map(e => e.dataset.error)")
        .await;
    assert_eq!(errors, json!([]));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn state_goes_into_the_url_and_comes_back() {
    let _one = exclusive().await;
    let browser = Browser::start(&[]).await;
    let url = open_fixture(&browser, "?w1.workers=7&w1.clients=30&w6.budget_mb=999999").await;
    let w = |i: usize, body: &str| widget_js(i, body);
    browser
        .wait_for(
            "the first widget",
            &w(0, "return W.hasAttribute('data-live')"),
            WAIT,
        )
        .await;
    let shown = browser
        .eval(&w(0, "return [W.querySelector('input[name=workers] + output').textContent, W.querySelector('input[name=clients] + output').textContent]"))
        .await;
    assert_eq!(shown, json!(["7", "30"]), "state read from the URL");

    // A change goes into the URL; opening that URL shows the same state.
    let widgets = browser
        .client
        .find_all(Locator::Css(".widget[data-widget]"))
        .await
        .unwrap();
    widgets[0]
        .find(Locator::Css("input[name=workers]"))
        .await
        .unwrap()
        .send_keys(&char::from(Key::End).to_string())
        .await
        .unwrap();
    let search = browser
        .wait_for(
            "the URL to follow",
            "return location.search.includes('w1.workers=128') && location.search",
            WAIT,
        )
        .await;
    browser
        .client
        .goto(&format!("{url}index.html{}", search.as_str().unwrap()))
        .await
        .unwrap();
    browser
        .wait_for(
            "the widget again",
            &w(0, "return W.hasAttribute('data-live')"),
            WAIT,
        )
        .await;
    let shown = browser
        .eval(&w(
            0,
            "return W.querySelector('input[name=workers] + output').textContent",
        ))
        .await;
    assert_eq!(shown, json!("128"));

    // An extreme value from a link is clamped, and the reader is told.
    browser.eval(&w(5, "W.scrollIntoView()")).await;
    let note = browser
        .wait_for(
            "the clamp note",
            &w(
                5,
                "const n = W.querySelector('.widget-note'); return n && n.textContent",
            ),
            WAIT,
        )
        .await;
    assert!(
        note.as_str().unwrap().contains("64 MB to 65,536 MB"),
        "{note}"
    );
    browser.close().await;
}

/// The diagram is a Tab stop whose arrow keys step through the requests on it, each
/// picked request's story told, and the page does not scroll under the keys.
#[tokio::test(flavor = "multi_thread")]
async fn the_diagram_picks_requests_by_keyboard() {
    let _one = exclusive().await;
    let browser = Browser::start(&["--window-size=1000,900"]).await;
    open_fixture(&browser, "").await;
    let w = |body: &str| widget_js(0, body);
    browser
        .eval(&w("W.scrollIntoView({block: 'center'});"))
        .await;
    browser
        .wait_for(
            "requests in the server",
            &w("return W.hasAttribute('data-live') && summary().includes('4 of 4 processes busy')"),
            WAIT,
        )
        .await;
    // Paused, the same requests stay on the diagram while the keys step through them.
    browser
        .find(".widget[data-widget] button[name=play]")
        .await
        .click()
        .await
        .unwrap();
    browser
        .wait_for(
            "the pause",
            &w("return W.querySelector('button[name=play]').textContent.includes('Play')"),
            WAIT,
        )
        .await;
    let diagram = browser
        .find(".widget[data-widget] canvas.widget-diagram")
        .await;
    assert_eq!(
        diagram.attr("tabindex").await.unwrap().as_deref(),
        Some("0")
    );
    let label = diagram.attr("aria-label").await.unwrap().unwrap();
    assert!(label.contains("Arrow keys pick a request"), "{label}");
    let story_now = w("const s = W.querySelector('.widget-story'); return s ? s.textContent : ''");
    let story_of = |key: Key| {
        let (browser, diagram, story_now) = (&browser, &diagram, &story_now);
        async move {
            let before = browser.eval(&w("return scrollY")).await;
            let told = browser.eval(story_now).await;
            diagram
                .send_keys(&char::from(key).to_string())
                .await
                .unwrap();
            let story = browser
                .wait_for(
                    "a new story",
                    &format!("return (() => {{ {story_now} }})() !== {told} && (() => {{ {story_now} }})()"),
                    WAIT,
                )
                .await;
            assert_eq!(
                browser.eval(&w("return scrollY")).await,
                before,
                "the page scrolled"
            );
            let story = story.as_str().unwrap().to_string();
            let number: u64 = story
                .strip_prefix("Request ")
                .and_then(|s| s.split(',').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("a request's story: {story}"));
            number
        }
    };
    let first = story_of(Key::Right).await;
    let second = story_of(Key::Right).await;
    let third = story_of(Key::Down).await;
    assert!(
        first < second && second < third,
        "{first}, {second}, {third}"
    );
    assert_eq!(story_of(Key::Left).await, second);
    assert_eq!(story_of(Key::Up).await, first);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reduced_motion_keeps_the_charts_going() {
    let _one = exclusive().await;
    let browser = Browser::start(&["--force-prefers-reduced-motion"]).await;
    open_fixture(&browser, "").await;
    let w = |body: &str| widget_js(0, body);
    browser
        .wait_for("the widget", &w("return W.hasAttribute('data-live')"), WAIT)
        .await;
    assert_eq!(
        browser.eval(&w("return W.dataset.motion")).await,
        json!("reduced")
    );
    browser
        .wait_for("a drawn chart", &w("return inked() > 500"), WAIT)
        .await;
    let before = browser.eval(&w("return chartHash()")).await;
    browser
        .wait_for(
            "the chart to keep updating",
            &w(&format!("return chartHash() !== {before}")),
            WAIT,
        )
        .await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_widget_leaves_the_others_working() {
    let _one = exclusive().await;
    let out = common::scratch("broken-out");
    let output = common::build(&common::fixture("widgets"), &out, "/");
    assert!(output.status.success(), "{}", common::text(&output));
    let page = out.join("index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let start = html.find("data-scenario=\"").unwrap() + "data-scenario=\"".len();
    let end = start + html[start..].find('"').unwrap();
    let broken = format!("{}workers=-1&amp;broken{}", &html[..start], &html[end..]);
    std::fs::write(&page, broken).unwrap();
    let url = common::serve_static(&out, "/").await;
    let browser = Browser::start_at(&format!("{url}index.html")).await;
    let w = |i: usize, body: &str| widget_js(i, body);
    let error = browser
        .wait_for(
            "the broken widget's error",
            &w(0, "return W.dataset.error"),
            WAIT,
        )
        .await;
    assert!(error.as_str().unwrap().contains("key `workers`"), "{error}");
    assert_eq!(
        browser
            .eval(&w(0, "return W.hasAttribute('data-live')"))
            .await,
        json!(false)
    );
    browser.eval(&w(1, "W.scrollIntoView()")).await;
    browser
        .wait_for(
            "the next widget to run",
            &w(1, "return W.hasAttribute('data-live') && inked() > 500"),
            WAIT,
        )
        .await;
    browser.close().await;
}

/// Not a pass/fail timing: it prints the 95th percentile of a frame's simulation and
/// drawing with 10,000 clients in flight, and holds the page to never freezing.
#[tokio::test(flavor = "multi_thread")]
async fn frame_time_with_ten_thousand_clients() {
    let _one = exclusive().await;
    let browser = Browser::start(&[]).await;
    open_fixture(&browser, "").await;
    let w = |body: &str| widget_js(6, body);
    browser
        .eval(&w("W.scrollIntoView({block: 'center'})"))
        .await;
    browser
        .wait_for("the widget", &w("return W.hasAttribute('data-live')"), WAIT)
        .await;
    // Enough frames for a p95 (it is published every 30 frames).
    browser
        .wait_for(
            "300 frames",
            &w("return Number(W.dataset.frames || 0) >= 300"),
            WAIT,
        )
        .await;
    let p95 = browser
        .wait_for(
            "a frame-time figure",
            &w("return W.dataset.frameP95Ms && parseFloat(W.dataset.frameP95Ms)"),
            WAIT,
        )
        .await;
    let p95 = p95.as_f64().unwrap();
    let in_flight = browser.eval(&w("return summary()")).await;
    eprintln!("frame time p95 with 10,000 clients: {p95:.2} ms ({in_flight})");
    assert!(
        p95 < 50.0,
        "a frame took {p95} ms at the 95th percentile: the page freezes"
    );
    browser.close().await;
}

/// At 360 px wide every widget fits its column: nothing sticks out sideways.
#[tokio::test(flavor = "multi_thread")]
async fn widgets_fit_a_360_px_phone() {
    let _one = exclusive().await;
    let browser = Browser::start_phone().await;
    open_fixture(&browser, "").await;
    for case in CASES {
        let i = case.index;
        browser
            .eval(&widget_js(i, "W.scrollIntoView({block: 'center'});"))
            .await;
        browser
            .wait_for(
                &format!("{} to go live", case.name),
                &widget_js(i, "return W.hasAttribute('data-live') && inked() > 100"),
                WAIT,
            )
            .await;
        let overflow = browser
            .eval(&widget_js(
                i,
                "return [W.scrollWidth, W.clientWidth, document.documentElement.clientWidth]",
            ))
            .await;
        let [scroll, client, page] = [0, 1, 2].map(|k| overflow[k].as_f64().unwrap());
        assert_eq!(page, 360.0, "not a 360 px viewport");
        assert!(
            scroll <= client + 1.0 && client <= page,
            "{}: {overflow}",
            case.name
        );
        if case.index == 0 {
            common::browser::save_screenshot(&browser, "widget-360").await;
        }
    }
    browser.close().await;
}

/// Charts follow the reader's theme toggle at once, also in widgets that do not redraw
/// every frame (the memory widget's bars) and stay in view.
#[tokio::test(flavor = "multi_thread")]
async fn charts_follow_the_theme_toggle() {
    let _one = exclusive().await;
    let browser = Browser::start(&[]).await;
    open_fixture(&browser, "").await;
    let bars = |body: &str| {
        widget_js(
            5,
            &format!(
                "const c = W.querySelector('.widget-charts canvas');
                 const firstPixel = () => c && c.width ? [...c.getContext('2d').getImageData(0, 0, 1, 1).data].slice(0, 3).join(',') : '';
                 {body}"
            ),
        )
    };
    browser
        .eval(&bars("W.scrollIntoView({block: 'center'})"))
        .await;
    browser
        .wait_for(
            "the memory widget",
            &bars("return W.hasAttribute('data-live') && firstPixel() !== ''"),
            WAIT,
        )
        .await;
    let before = browser.eval(&bars("return firstPixel()")).await;
    // Clicked from script, so the widget stays in view: nothing but the theme's change
    // tells the (still) bar chart to draw again.
    browser
        .eval("document.querySelector('.theme-toggle').click()")
        .await;
    let after = browser
        .wait_for(
            "the bars to take the new theme's background",
            &bars(&format!(
                "const p = firstPixel(); return p !== {before} && p"
            )),
            Duration::from_secs(10),
        )
        .await;
    eprintln!("bar chart background {before} -> {after}");
    browser.close().await;
}

/// A paused widget whose width changes (a window resized, a phone turned) draws its
/// canvases again at the new size, rather than showing the old picture stretched.
#[tokio::test(flavor = "multi_thread")]
async fn a_paused_widget_redraws_at_a_new_width() {
    let _one = exclusive().await;
    let browser = Browser::start(&[]).await;
    open_fixture(&browser, "").await;
    let sized = |body: &str| {
        widget_js(
            0,
            &format!(
                "const cs = [...W.querySelectorAll('canvas')];
                 const fit = () => cs.length > 0 && cs.every(c => c.clientWidth > 0
                     && c.width === Math.floor(c.clientWidth * Math.min(Math.max(devicePixelRatio, 1), 4)));
                 {body}"
            ),
        )
    };
    browser
        .eval(&sized("W.scrollIntoView({block: 'start'})"))
        .await;
    browser
        .wait_for(
            "the sync widget drawn",
            &sized("return W.hasAttribute('data-live') && fit()"),
            WAIT,
        )
        .await;
    browser
        .eval(&sized("W.querySelector('button[name=play]').click()"))
        .await;
    browser
        .wait_for(
            "the widget paused",
            &sized("return W.querySelector('button[name=step]').disabled === false"),
            WAIT,
        )
        .await;
    let before = browser.eval(&sized("return cs[0].width")).await;
    browser.eval(&sized("W.style.maxWidth = '420px'")).await;
    let after = browser
        .wait_for(
            "every canvas drawn again at the narrower width",
            &sized(&format!(
                "return cs[0].width !== {before} && fit() && cs.map(c => c.width).join(' ')"
            )),
            Duration::from_secs(10),
        )
        .await;
    eprintln!("canvas widths {before} -> {after}");
    browser.close().await;
}
