//! The simulation compiled to wasm, in Chromium, gives bit-identical reports to the
//! native build, and how fast it runs there (events per second, printed).

mod common;

use std::time::Duration;

use common::browser::exclusive;

/// Scenarios covering every server kind and distribution.
/// Each as a placeholder writes it (`data-scenario`), the form the bundle reads.
const SCENARIOS: &[&str] = &[
    "workers=4&cores=4&arrival_rate=320&cpu_ms=10&io_ms=0&io_calls=0&switch_us=0&requests=20000&warmup=0",
    "server=threads&workers=8&clients=40&cpu_ms=20&io_ms=20&requests=5000",
    "server=asyncio&clients=300&cpu_ms=1&io_ms=200&service=lognormal&cv=2.0&requests=20000",
    "server=uvloop&arrival_rate=500&cpu_ms=1&io_ms=50&service=constant&timeout_ms=300&requests=20000",
    "server=gevent&clients=50&cpu_ms=2&io_ms=100&io_calls=3&blocking_share=0.2&queue_limit=20&requests=10000&seed=7",
    // Many draws far in the tails, where a platform's own exp and log would differ in
    // the last bit now and then: every draw goes through libm.
    "server=asyncio&workers=2&arrival_rate=150&cpu_ms=3&io_ms=40&service=lognormal&cv=6&heavy_share=0.05&heavy_cpu_ms=40&requests=300000&seed=11",
    "server=threads&workers=2&threads=8&clients=64&cpu_ms=4&io_ms=30&db_ms=20&db_calls=2&db_pool=4&db_connections=6&timeout_ms=400&retries=2&requests=200000&seed=3",
    "workers=8&arrival_rate=400&cpu_ms=2&io_ms=20&db_ms=5&db_pool=1&timeout_ms=60&abandon=dropped&requests=200000&seed=5",
];

/// Imports the page's own wasm bundle (already initialised by its loader).
const IMPORT_BUNDLE: &str = "
    const glue = performance.getEntriesByType('resource').map(e => e.name)
        .find(n => /\\/assets\\/widgets\\.[0-9a-f]+\\.js$/.test(n));
    const m = await import(glue);
";

#[tokio::test(flavor = "multi_thread")]
async fn wasm_reports_are_identical_to_native_ones() {
    let _one = exclusive().await;
    let (browser, _) = common::open_site(&common::fixture("basic"), "/", &[], "index.html").await;
    browser
        .wait_for(
            "the bundle",
            "return document.querySelector('[data-live]') !== null",
            Duration::from_secs(30),
        )
        .await;
    for params in SCENARIOS {
        let script = format!(
            "const done = arguments[arguments.length - 1];
             (async () => {{ {IMPORT_BUNDLE} return m.simulate({params:?}); }})().then(done, e => done('error: ' + e));"
        );
        let wasm = browser.client.execute_async(&script, vec![]).await.unwrap();
        let wasm = wasm.as_str().unwrap().to_string();
        let file = common::scratch("wasm-sim-scenario").join("s.toml");
        let toml = query_to_toml(params);
        std::fs::write(&file, toml).unwrap();
        let native = common::explainer(&["simulate", file.to_str().unwrap(), "--json"]);
        let native = String::from_utf8(native.stdout).unwrap();
        assert_eq!(wasm, native.trim(), "{params}");
    }

    // Speed: the M/M/4 scenario with a million requests, timed inside the page.
    let script = format!(
        "const done = arguments[arguments.length - 1];
         (async () => {{ {IMPORT_BUNDLE}
            const params = {:?}.replace('20000', '1000000');
            const t0 = performance.now();
            const report = JSON.parse(m.simulate(params));
            return [report.events, performance.now() - t0];
         }})().then(done, e => done('error: ' + e));",
        SCENARIOS[0]
    );
    let timing = browser.client.execute_async(&script, vec![]).await.unwrap();
    let (events, ms) = (timing[0].as_f64().unwrap(), timing[1].as_f64().unwrap());
    eprintln!(
        "wasm in Chromium: {events} events in {ms:.0} ms = {:.1} million events/s",
        events / ms / 1000.0
    );
    browser.close().await;
}

/// The same scenario as a TOML file for `simulate`: a line per key, names quoted.
fn query_to_toml(query: &str) -> String {
    query
        .split('&')
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap();
            if value.parse::<f64>().is_ok() {
                format!("{key} = {value}\n")
            } else {
                format!("{key} = \"{value}\"\n")
            }
        })
        .collect()
}
