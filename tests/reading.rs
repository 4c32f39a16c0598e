//! The reading experience in Chromium, on the project's own pages: every slider of every
//! block moves with the keyboard and every control has a name; a widget scrolled away
//! draws no frames and looks paused; on a 360 x 640 phone a block's named controls and
//! its diagram fit on one screen; every block's embed code shows exactly that block; the
//! skip link skips the contents.

mod common;

use std::time::Duration;

use common::browser::{exclusive, Browser};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(40);

/// The pages of the project's content that hold widgets, built and served once.
async fn pages_with_widgets() -> (String, Vec<String>) {
    let out = common::scratch("reading-out");
    let output = common::build(&common::project_content(), &out, "/");
    assert!(output.status.success(), "{}", common::text(&output));
    let mut pages: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            let html = std::fs::read_to_string(out.join(&name)).ok()?;
            (name.ends_with(".html") && html.contains("class=\"widget\"")).then_some(name)
        })
        .collect();
    pages.sort();
    assert!(pages.contains(&"index.html".to_string()), "{pages:?}");
    (common::serve_static(&out, "/").await, pages)
}

/// JS: `W` is the widget at index `i`.
fn at(i: usize, body: &str) -> String {
    format!("const W = document.querySelectorAll('.widget[data-widget]')[{i}]; {body}")
}

async fn go_live(browser: &Browser, i: usize) {
    browser
        .eval(&at(i, "W.scrollIntoView({block: 'center'});"))
        .await;
    browser
        .wait_for(
            &format!("widget {i} to go live"),
            &at(i, "return W.hasAttribute('data-live')"),
            WAIT,
        )
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_slider_of_every_block_moves_by_keyboard_and_every_control_has_a_name() {
    let _one = exclusive().await;
    let (url, pages) = pages_with_widgets().await;
    let browser = Browser::start(&["--window-size=1100,900"]).await;
    let mut sliders = 0;
    for page in &pages {
        browser.client.goto(&format!("{url}{page}")).await.unwrap();
        for i in 0..browser.widget_count().await {
            go_live(&browser, i).await;
            browser
                .eval(&at(i, "W.querySelector('.widget-more').open = true;"))
                .await;
            // Every control of the widget has a name a screen reader can say.
            let unnamed = browser
                .eval(&at(
                    i,
                    "return [...W.querySelectorAll('input, select, button')].filter(e => {
                         const label = e.labels && e.labels.length && e.labels[0].textContent.trim();
                         return !(label || e.getAttribute('aria-label') || e.textContent.trim());
                     }).map(e => e.outerHTML.slice(0, 80))",
                ))
                .await;
            assert_eq!(unnamed, json!([]), "{page}, widget {i}");
            let names = browser
                .eval(&at(
                    i,
                    "return [...W.querySelectorAll('input[type=range]')].map(e => e.name)",
                ))
                .await;
            for name in names.as_array().unwrap() {
                let name = name.as_str().unwrap();
                eprintln!("slider: {page}, widget {i}, {name}");
                check_slider(&browser, i, name, &format!("{page}, widget {i}, {name}")).await;
                sliders += 1;
            }
        }
    }
    eprintln!(
        "{sliders} sliders moved by keyboard on {} pages",
        pages.len()
    );
    assert!(sliders >= 40, "only {sliders} sliders");
    browser.close().await;
}

/// Arrow keys move a slider to the next distinct value, PageUp and PageDown by more,
/// Home and End to its ends.
async fn check_slider(browser: &Browser, i: usize, name: &str, what: &str) {
    let slider = |body: &str| {
        at(
            i,
            &format!("const S = W.querySelector('input[name={name}]'); {body}"),
        )
    };
    let state = || {
        let script = slider("return S ? [S.value, S.min, S.max, S.getAttribute('aria-valuetext') || S.value] : null");
        async move { browser.eval(&script).await }
    };
    let press = |key: &'static str| {
        let script = slider("S.focus(); return true");
        async move {
            browser.eval(&script).await;
            let active = browser.client.active_element().await.unwrap();
            active.send_keys(key).await.unwrap();
        }
    };
    let before = state().await;
    if before == Value::Null {
        return; // hidden by a change an earlier slider made
    }
    let (value, max) = (num(&before[0]), num(&before[2]));
    let (key, delta) = if value < max {
        ("\u{E014}", 1.0) // ArrowRight
    } else {
        ("\u{E012}", -1.0) // ArrowLeft
    };
    press(key).await;
    // The replay scrubber's range grows while the run goes on, so between reading it and
    // the key press its end may have moved on: there, an arrow key must step it off the
    // live end (left) or forward (right), not to one exact value.
    let moved_to = if name == "replay" {
        if delta < 0.0 {
            "Number(S.value) < Number(S.max)".to_string()
        } else {
            format!("Number(S.value) > {value}")
        }
    } else {
        format!("Number(S.value) === {}", value + delta)
    };
    let moved = browser
        .wait_for(
            &format!("{what}: an arrow key to move the slider"),
            &slider(&format!(
                "return S && {moved_to} && S.getAttribute('aria-valuetext') !== {} && S.value",
                before[3]
            )),
            Duration::from_secs(5),
        )
        .await;
    assert!(moved.is_string(), "{what}");
    if name == "replay" {
        return;
    }
    press("\u{E011}").await; // Home
    browser
        .wait_for(
            &format!("{what}: Home"),
            &slider("return S && S.value === S.min"),
            Duration::from_secs(5),
        )
        .await;
    press("\u{E00E}").await; // PageUp
    let paged = num(&state().await[0]);
    assert!(
        paged > 1.0 || num(&before[2]) <= 10.0,
        "{what}: PageUp moved to {paged}"
    );
    press("\u{E010}").await; // End
    browser
        .wait_for(
            &format!("{what}: End"),
            &slider("return S && S.value === S.max"),
            Duration::from_secs(5),
        )
        .await;
}

fn num(value: &Value) -> f64 {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::NAN)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_widget_out_of_view_draws_nothing_and_looks_paused() {
    let _one = exclusive().await;
    let (url, _) = pages_with_widgets().await;
    let browser = Browser::start(&["--window-size=1100,900"]).await;
    browser
        .client
        .goto(&format!("{url}index.html"))
        .await
        .unwrap();
    go_live(&browser, 0).await;
    let b = &browser;
    let frames = || {
        let script = at(0, "return Number(W.dataset.frames || 0)");
        async move { b.eval(&script).await.as_f64().unwrap() }
    };
    browser
        .wait_for(
            "frames to run",
            &at(0, "return Number(W.dataset.frames || 0) > 60"),
            WAIT,
        )
        .await;
    // Away: to the end of the page.
    browser
        .eval("window.scrollTo(0, document.body.scrollHeight)")
        .await;
    browser
        .wait_for(
            "the widget to rest, dimmed",
            &at(0, "return W.querySelector('.widget-offscreen') !== null"),
            WAIT,
        )
        .await;
    let away = frames().await;
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!(frames().await, away, "frames were drawn while away");
    // Back: it picks up where it was.
    go_live(&browser, 0).await;
    browser
        .wait_for(
            "frames to run again",
            &at(0, &format!("return Number(W.dataset.frames || 0) > {away} && W.querySelector('.widget-offscreen') === null")),
            WAIT,
        )
        .await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_the_named_controls_and_the_diagram_fit_one_screen() {
    let _one = exclusive().await;
    let (url, _) = pages_with_widgets().await;
    let browser = Browser::start_phone_sized(360, 640).await;
    browser
        .client
        .goto(&format!("{url}index.html"))
        .await
        .unwrap();
    let mut checked = 0;
    for i in 0..browser.widget_count().await {
        let named = browser
            .eval(&at(i, "return W.dataset.options.includes('controls=')"))
            .await;
        if named != json!(true) {
            continue;
        }
        go_live(&browser, i).await;
        let span = browser
            .wait_for(
                &format!("widget {i}'s controls and diagram"),
                &at(
                    i,
                    "const c = W.querySelector('.live-widget > .widget-controls');
                     const d = W.querySelector('canvas.widget-diagram, .widget-row canvas');
                     if (!c || !d || !d.getBoundingClientRect().height) return false;
                     return [d.getBoundingClientRect().bottom - c.getBoundingClientRect().top, innerHeight];",
                ),
                WAIT,
            )
            .await;
        let (height, screen) = (span[0].as_f64().unwrap(), span[1].as_f64().unwrap());
        assert_eq!(screen, 640.0);
        assert!(
            height <= screen,
            "widget {i}: controls to diagram take {height} px of a {screen} px screen"
        );
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} blocks name their controls");
    browser.close().await;
}

/// A challenge counts a change's values only once it has run 20 simulated seconds: at
/// first the queue is empty whatever the pool, and "keep the queue under one" would tick
/// for any size. Then, settled, the right size ticks it.
#[tokio::test(flavor = "multi_thread")]
async fn a_challenge_waits_for_the_change_to_settle() {
    let _one = exclusive().await;
    let (url, _) = pages_with_widgets().await;
    let browser = Browser::start_at(&format!("{url}index.html")).await;
    let found = browser
        .eval(
            "return [...document.querySelectorAll('.widget[data-widget]')]
               .findIndex((w) => (w.closest('figure').querySelector('.challenges') || {}).textContent?.includes('smallest pool'))",
        )
        .await;
    let i = found.as_u64().expect("the Little's law block") as usize;
    go_live(&browser, i).await;
    let mark =
        "return W.closest('figure').querySelector('.challenge-mark').getAttribute('aria-label')";
    // Fifteen workers keep the queue near zero (a mean of 0.23 over a long run).
    let output =
        "return W.querySelector('input[name=workers]').nextElementSibling.textContent.trim()";
    for _ in 0..64 {
        if browser.eval(&at(i, output)).await == json!("15") {
            break;
        }
        browser
            .eval(&at(i, "W.querySelector('input[name=workers]').focus()"))
            .await;
        let slider = browser.client.active_element().await.unwrap();
        slider.send_keys("\u{E014}").await.unwrap(); // ArrowRight
        browser.frames(1).await;
    }
    assert_eq!(browser.eval(&at(i, output)).await, json!("15"));
    for _ in 0..6 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(browser.eval(&at(i, mark)).await, json!("not done yet"));
    }
    browser
        .eval(&at(
            i,
            "const s = W.querySelector('select[name=speed]'); s.value = '10';
             s.dispatchEvent(new Event('change', {bubbles: true}));",
        ))
        .await;
    browser
        .wait_for(
            "the challenge to tick once settled",
            &at(i, &format!("{mark} === 'done'")),
            WAIT,
        )
        .await;
    browser.close().await;
}

/// On a phone a code block or table wider than the column is a named Tab stop, so a
/// keyboard can scroll it; one that fits is no stop.
#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_what_scrolls_sideways_is_a_named_tab_stop() {
    let _one = exclusive().await;
    let (url, _) = pages_with_widgets().await;
    let browser = Browser::start_phone_sized(360, 640).await;
    for page in ["index.html", "model.html"] {
        browser.client.goto(&format!("{url}{page}")).await.unwrap();
        let boxes = browser
            .wait_for(
                &format!("{page}'s wide blocks marked"),
                "const boxes = [...document.querySelectorAll('.content pre, .content > table, .content .table-wrap')]
                   .filter((b) => !b.closest('.widget'));
                 const wide = boxes.filter((b) => b.scrollWidth > b.clientWidth + 1);
                 if (!wide.length || !wide.every((b) => b.tabIndex === 0)) return false;
                 return boxes.map((b) => [b.scrollWidth > b.clientWidth + 1, b.getAttribute('tabindex'), b.getAttribute('aria-label')]);",
                WAIT,
            )
            .await;
        for b in boxes.as_array().unwrap() {
            let (wide, stop, name) = (b[0] == json!(true), b[1] == json!("0"), &b[2]);
            assert_eq!(wide, stop, "{page}: {b}");
            if wide {
                assert!(name.as_str().is_some_and(|n| !n.is_empty()), "{page}: {b}");
            }
        }
    }
    // A stop taller than the window shows its top (its header) when the keyboard
    // reaches it; the browser on its own centres it, thousands of pixels down.
    let top = browser
        .eval(
            "const stops = [...document.querySelectorAll('.content .table-wrap, .content > table')]
               .filter((b) => b.tabIndex === 0).sort((a, b) => b.offsetHeight - a.offsetHeight);
             const tall = stops[0];
             if (tall.offsetHeight < 2 * innerHeight) return ['not tall', tall.offsetHeight];
             window.scrollTo(0, 0);
             tall.focus();
             return [tall.matches(':focus-visible'), tall.getBoundingClientRect().top];",
        )
        .await;
    assert_eq!(top[0], json!(true), "model.html's tallest stop: {top}");
    let y = top[1].as_f64().unwrap();
    assert!((0.0..40.0).contains(&y), "its top at {y} px: {top}");
    browser.close().await;
}

/// "Skip to the article" skips the contents too: the next Tab reaches the article's
/// first link or control, not the first of the contents' dozens of links.
#[tokio::test(flavor = "multi_thread")]
async fn the_skip_link_skips_the_header_and_the_contents() {
    let _one = exclusive().await;
    let (url, _) = pages_with_widgets().await;
    let browser = Browser::start_at(&format!("{url}index.html")).await;
    let skip = browser.find(".skip-link").await;
    skip.send_keys(&char::from(fantoccini::key::Key::Enter).to_string())
        .await
        .unwrap();
    let after = browser
        .wait_for(
            "the skip",
            "return location.hash === '#article-start' && document.querySelector('.content').getBoundingClientRect().top",
            WAIT,
        )
        .await;
    browser
        .client
        .active_element()
        .await
        .unwrap()
        .send_keys(&char::from(fantoccini::key::Key::Tab).to_string())
        .await
        .unwrap();
    let landed = browser
        .eval(
            "const a = document.activeElement;
             return [!!a.closest('.content'), !!a.closest('.toc'), a.tagName, a.textContent.slice(0, 40)]",
        )
        .await;
    assert_eq!(
        landed[0],
        json!(true),
        "after the skip, Tab reached {landed} (article at {after})"
    );
    assert_eq!(landed[1], json!(false), "{landed}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_blocks_embed_shows_exactly_that_block() {
    let _one = exclusive().await;
    let (url, pages) = pages_with_widgets().await;
    let browser = Browser::start(&["--window-size=1100,900"]).await;
    let mut compared = 0;
    for page in &pages {
        browser.client.goto(&format!("{url}{page}")).await.unwrap();
        let embeds = browser
            .eval(
                "return [...document.querySelectorAll('.copy-embed')].map(b => b.dataset.embedSrc)",
            )
            .await;
        for (i, src) in embeds.as_array().unwrap().iter().enumerate() {
            let src = src.as_str().unwrap().to_string();
            browser.client.goto(&format!("{url}{page}")).await.unwrap();
            let block = stepped_text(&browser, i).await;
            let target = format!("{url}{}", src.trim_start_matches('/'));
            browser.client.goto(&target).await.unwrap();
            let embed = stepped_text(&browser, 0).await;
            assert_eq!(
                block, embed,
                "{page}, widget {i}: the embed at {src} differs"
            );
            compared += 1;
        }
    }
    eprintln!("{compared} blocks compared with their embeds");
    browser.close().await;
}

/// The widget's summary after: pause, reset, 25 steps (where it has Step), and its
/// background work done.
async fn stepped_text(browser: &Browser, i: usize) -> String {
    go_live(browser, i).await;
    // A block that asks for a guess first runs only once the reader answers or skips.
    browser
        .eval(&at(
            i,
            "const skip = W.querySelector('button[name=skip-guess]'); if (skip) skip.click();",
        ))
        .await;
    browser
        .wait_for(
            &format!("widget {i} to stop asking"),
            &at(i, "return W.querySelector('.widget-predict') === null"),
            WAIT,
        )
        .await;
    // Pause (where there is a clock to pause) and start over from the block's settings.
    browser
        .eval(&at(
            i,
            "const play = W.querySelector('button[name=play]');
             if (play && play.textContent.trim() === 'Pause') play.click();
             W.querySelector('button[name=reset]').click();",
        ))
        .await;
    // A figure whose single events show offers Step, enabled once the pause was drawn;
    // the others (charts over time, background runs) have none to press.
    browser
        .wait_for(
            &format!("widget {i} to pause"),
            &at(
                i,
                "const step = W.querySelector('button[name=step]'); return !step || !step.disabled",
            ),
            WAIT,
        )
        .await;
    browser
        .eval(&at(
            i,
            "const step = W.querySelector('button[name=step]');
             if (step) for (let k = 0; k < 25; k++) step.click();",
        ))
        .await;
    // The summary tells the background work's outcome in the frame it ends.
    browser
        .wait_for(
            &format!("widget {i}'s background work"),
            &at(i, "return W.querySelector('.widget-status') === null"),
            Duration::from_secs(120),
        )
        .await;
    browser.frames(2).await;
    browser
        .eval(&at(
            i,
            "return W.querySelector('.widget-summary').textContent",
        ))
        .await
        .as_str()
        .unwrap()
        .to_string()
}
