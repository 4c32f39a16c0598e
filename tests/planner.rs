//! The article's planner and its prediction blocks in Chromium: the planner finds a size
//! for each server with a command to paste, explains a target no server can meet, reads
//! its state from the URL and has a table for readers without scripts; a prediction
//! block keeps its answer hidden until the reader guesses.

mod common;

use std::time::Duration;

use common::browser::exclusive;
use fantoccini::{key::Key, Locator};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(60);

/// JS prefix: `W` is the article's planner.
const PLANNER: &str = "const W = document.querySelector('.widget[data-widget=planner]');";

/// The planner's table once every search is done: one row of cells per server.
fn finished_rows() -> String {
    format!(
        "{PLANNER} const rows = [...W.querySelectorAll('.live-widget table.planner tbody tr')];
         if (!rows.length || rows.some(r => r.textContent.includes('searching'))) return null;
         return rows.map(r => [...r.children].map(c => c.textContent))"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn planner_sizes_each_server_and_explains_what_cannot_fit() {
    let _one = exclusive().await;
    let (browser, url) =
        common::open_site(&common::project_content(), "/", &[], "index.html").await;

    // Readers without scripts get the table computed at build time.
    let fallback = browser
        .eval(&format!(
            "{PLANNER} return W.querySelectorAll('.widget-fallback table.planner tbody tr').length"
        ))
        .await;
    assert_eq!(fallback, json!(5), "static fallback rows");

    browser
        .eval(&format!("{PLANNER} W.scrollIntoView({{block: 'center'}})"))
        .await;
    let rows = browser
        .wait_for("the planner's searches", &finished_rows(), WAIT)
        .await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 5, "{rows:?}");
    // A search has no clock: no Play, Step or speed, only Reset.
    assert_eq!(
        browser
            .eval(&format!(
                "{PLANNER} return [...W.querySelectorAll('.widget-transport button')].map(b => b.name)"
            ))
            .await,
        json!(["reset"])
    );
    // Done, it asks for no more frames: nothing plays.
    browser
        .wait_for(
            "the planner's curves",
            &format!("{PLANNER} return W.querySelector('.widget-status') === null"),
            WAIT,
        )
        .await;
    browser.frames(2).await;
    let frames = format!("{PLANNER} return W.dataset.frames");
    let before = browser.eval(&frames).await;
    browser.frames(60).await;
    assert_eq!(
        browser.eval(&frames).await,
        before,
        "frames after the search"
    );
    let fits: Vec<&Vec<serde_json::Value>> = rows
        .iter()
        .map(|r| r.as_array().unwrap())
        .filter(|r| r.len() > 2)
        .collect();
    assert!(
        fits.len() >= 3,
        "at the article's defaults most servers fit: {rows:?}"
    );
    let commands = browser
        .eval(&format!(
            "{PLANNER} return W.querySelector('.live-widget .planner-commands').textContent"
        ))
        .await;
    let commands: Vec<&str> = commands
        .as_str()
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect();
    assert_eq!(
        commands.len(),
        fits.len(),
        "a command per size: {commands:?}"
    );
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("uvicorn app:app --workers ")),
        "{commands:?}"
    );
    assert!(
        commands
            .iter()
            .all(|c| c.starts_with("gunicorn ") || c.starts_with("uvicorn ")),
        "{commands:?}"
    );

    // Keyboard: one step of the I/O slider starts a new search and goes into the URL.
    browser
        .find(".widget[data-widget=planner] input[name=io_ms]")
        .await
        .send_keys(&char::from(Key::Right).to_string())
        .await
        .unwrap();
    browser
        .wait_for(
            "the URL to follow the planner",
            "return location.search.includes('.io_ms=')",
            WAIT,
        )
        .await;
    browser
        .wait_for("the new search", &finished_rows(), WAIT)
        .await;

    // A p99 target below what a lone request takes: every row says none fits, and a
    // note says why.
    let index = browser
        .eval(&format!(
            "{PLANNER} return [...document.querySelectorAll('.widget[data-widget]')].indexOf(W) + 1"
        ))
        .await;
    browser
        .client
        .goto(&format!(
            "{url}index.html?w{}.target_p99_ms=100",
            index.as_u64().unwrap()
        ))
        .await
        .unwrap();
    browser
        .eval(&format!("{PLANNER} W.scrollIntoView({{block: 'center'}})"))
        .await;
    let note = browser
        .wait_for(
            "the planner's explanation",
            &format!(
                "{PLANNER} const n = W.querySelector('.live-widget .planner-impossible'); return n && n.textContent"
            ),
            WAIT,
        )
        .await;
    let note = note.as_str().unwrap();
    assert!(
        note.contains("even alone on an idle server") && note.contains("100 ms target"),
        "{note}"
    );
    let none = browser
        .eval(&format!(
            "{PLANNER} return [...W.querySelectorAll('.live-widget table.planner tbody tr')].every(r => r.textContent.includes('none fits'))"
        ))
        .await;
    assert_eq!(none, json!(true));
    common::browser::save_screenshot(&browser, "planner").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_prediction_block_hides_its_answer_until_the_reader_guesses() {
    let _one = exclusive().await;
    let (browser, _) = common::open_site(&common::project_content(), "/", &[], "index.html").await;
    // The block is remembered: its question goes away once answered.
    let w = "const W = window.__predict ||= document.querySelector('.widget-predict').closest('.widget-figure');";
    browser
        .wait_for(
            "a prediction block",
            "const f = [...document.querySelectorAll('.widget[data-widget]')]
                 .find(w => w.querySelector('.widget-predict') || !w.hasAttribute('data-live'));
             if (f) f.scrollIntoView({block: 'center'});
             return !!document.querySelector('.widget-predict')",
            WAIT,
        )
        .await;
    let target = browser
        .eval(&format!(
            "{w} return [...W.querySelectorAll('.widget-predict label')][0].textContent"
        ))
        .await;
    assert!(
        target
            .as_str()
            .unwrap()
            .starts_with("Before it runs: guess"),
        "{target}"
    );
    let hidden =
        "[...W.querySelectorAll('figcaption [data-live-value]')].some(s => s.textContent === '?')";
    assert_eq!(
        browser.eval(&format!("{w} return {hidden}")).await,
        json!(true),
        "the caption hides the value to guess"
    );

    // Play does not run it: the question stays, with the focus on the answer box.
    browser
        .eval(&format!("{w} W.classList.add('under-test')"))
        .await;
    let figure = browser.find(".widget-figure.under-test").await;
    figure
        .find(Locator::Css("button[name=play]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Thirty animation frames: time enough for a running widget to have moved.
    browser.frames(30).await;
    let state = browser
        .eval(&format!(
            "{w} return [!!W.querySelector('.widget-predict'), document.activeElement && document.activeElement.name, {hidden}]"
        ))
        .await;
    assert_eq!(state, json!([true, "guess", true]));
    // No line of zeros that would read as a result.
    let summary = browser
        .eval(&format!(
            "{w} return W.querySelector('.widget-summary').textContent"
        ))
        .await;
    assert!(
        summary.as_str().unwrap().starts_with("Nothing has run yet"),
        "{summary}"
    );

    // The value to guess, as the page states it without scripts.
    let stated = browser
        .eval(&format!(
            "{w} const i = [...document.querySelectorAll('.widget-figure')].indexOf(W);
             const key = [...W.querySelectorAll('figcaption [data-live-value]')]
                 .find(s => s.textContent === '?').dataset.liveValue;
             return fetch(location.href).then(r => r.text()).then(t => {{
                 const page = new DOMParser().parseFromString(t, 'text/html');
                 const figure = page.querySelectorAll('.widget-figure')[i];
                 return figure.querySelector(`figcaption [data-live-value=\"${{key}}\"]`).textContent;
             }})"
        ))
        .await;
    let number = |text: &str| -> f64 {
        let digits: String = text
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
            .filter(|c| *c != ',')
            .collect();
        digits.trim_end_matches('.').parse().unwrap()
    };
    let stated = number(stated.as_str().unwrap());

    // A guess runs it, and the answer is shown beside the guess.
    browser
        .eval(&format!(
            "{w} const s = W.querySelector('select[name=speed]'); s.value = '100'; s.dispatchEvent(new Event('change', {{bubbles: true}}))"
        ))
        .await;
    figure
        .find(Locator::Css("input[name=guess]"))
        .await
        .unwrap()
        .send_keys("25\n")
        .await
        .unwrap();
    let result = browser
        .wait_for(
            "the answer",
            &format!(
                "{w} const r = W.querySelector('.widget-predict-result'); return r && r.textContent.includes('the simulation gives') && r.textContent"
            ),
            WAIT,
        )
        .await;
    let result = result.as_str().unwrap();
    assert!(result.starts_with("You guessed 25"), "{result}");
    // Measured over the same run as the caption's number, the answer is that number.
    let answer = number(result.split("the simulation gives").nth(1).unwrap());
    assert!(
        (answer - stated).abs() < 1.0,
        "the answer {answer} is not the caption's {stated}: {result}"
    );
    browser
        .wait_for(
            "the caption's value",
            &format!("{w} return !({hidden})"),
            WAIT,
        )
        .await;
    browser
        .wait_for(
            "the summary of the run",
            &format!(
                "{w} return !W.querySelector('.widget-summary').textContent.startsWith('Nothing')"
            ),
            WAIT,
        )
        .await;
    browser.close().await;
}
