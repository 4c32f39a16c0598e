//! Debian's Chromium, headless, through chromedriver and the WebDriver protocol. A test
//! that needs it installs it when missing, or fails: it never skips.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Installs Chromium and its driver from Debian's packages if they are missing.
fn ensure_installed() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        if std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists() {
            return;
        }
        eprintln!("installing chromium and chromium-driver from Debian's packages");
        for args in [
            &["update"][..],
            &["install", "-y", "chromium", "chromium-driver"][..],
        ] {
            let status = Command::new("apt-get")
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive")
                .status()
                .expect("the browser tests need apt-get to install chromium");
            assert!(
                status.success(),
                "apt-get {args:?} failed: the browser tests need chromium"
            );
        }
        assert!(
            std::path::Path::new(CHROMEDRIVER).exists(),
            "chromedriver still missing"
        );
    });
}

/// One browser session; chromedriver stops when this is dropped.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempdir::Profile,
}

mod tempdir {
    /// A fresh user-data directory, so no state leaks between sessions.
    pub struct Profile(pub std::path::PathBuf);
    impl Drop for Profile {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Browser tests run one at a time: two Chromiums on two cores make timing flaky.
pub async fn exclusive() -> tokio::sync::MutexGuard<'static, ()> {
    static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    LOCK.lock().await
}

/// What a failed wait prints: each live widget's state, to tell a slow widget from a
/// stuck one.
const WIDGETS_NOW: &str = "return [...document.querySelectorAll('.widget[data-live]')].map(w => {
    const text = css => (w.querySelector(css) || {}).textContent;
    const rect = w.getBoundingClientRect();
    return { widget: w.dataset.widget, frames: w.dataset.frames, top: Math.round(rect.top),
        bottom: Math.round(rect.bottom), summary: text('.widget-summary'),
        status: text('.widget-status'), note: text('.widget-note'),
        outputs: [...w.querySelectorAll('output')].map(o => o.textContent).join(' | ') };
})";

impl Browser {
    /// A phone: Chromium's mobile emulation at 360 x 800 CSS pixels, pixel ratio 2 (a
    /// headless window cannot be made that narrow).
    pub async fn start_phone() -> Browser {
        Browser::start_with(
            &[],
            Some(json!({ "deviceMetrics": { "width": 360, "height": 800, "pixelRatio": 2.0 } })),
        )
        .await
    }

    /// A phone of this many CSS pixels, pixel ratio 2.
    pub async fn start_phone_sized(width: u32, height: u32) -> Browser {
        Browser::start_with(
            &[],
            Some(
                json!({ "deviceMetrics": { "width": width, "height": height, "pixelRatio": 2.0 } }),
            ),
        )
        .await
    }

    pub async fn start(extra_args: &[&str]) -> Browser {
        Browser::start_with(extra_args, None).await
    }

    /// A desktop browser at `url`.
    pub async fn start_at(url: &str) -> Browser {
        let browser = Browser::start(&[]).await;
        browser.client.goto(url).await.unwrap();
        browser
    }

    async fn start_with(extra_args: &[&str], mobile: Option<Value>) -> Browser {
        ensure_installed();
        let port = super::free_port();
        // Its own process group, so the browser it starts can be stopped with it.
        let driver = Command::new(CHROMEDRIVER)
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting chromedriver");
        let profile = tempdir::Profile(super::scratch(&format!("chromium-profile-{port}")));
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1200,900".into(),
            format!("--user-data-dir={}", profile.0.display()),
        ];
        args.extend(extra_args.iter().map(|a| a.to_string()));
        let mut caps = serde_json::Map::new();
        let mut options = json!({ "binary": CHROMIUM, "args": args });
        if let Some(mobile) = mobile {
            options["mobileEmulation"] = mobile;
        }
        caps.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(err) if started.elapsed() < Duration::from_secs(20) => {
                    let _ = err;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(err) => panic!("chromedriver did not start a session: {err}"),
            }
        };
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    pub async fn eval(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    /// Widgets on the page (placeholders, live or not).
    pub async fn widget_count(&self) -> usize {
        self.eval("return document.querySelectorAll('.widget[data-widget]').length")
            .await
            .as_u64()
            .unwrap() as usize
    }

    /// Polls `script` until it returns something truthy, or fails after `timeout`.
    pub async fn wait_for(&self, what: &str, script: &str, timeout: Duration) -> Value {
        let started = Instant::now();
        loop {
            let value = self.eval(script).await;
            let truthy = !matches!(value, Value::Null | Value::Bool(false))
                && value != json!(0)
                && value != json!("");
            if truthy {
                return value;
            }
            if started.elapsed() > timeout {
                let widgets = self.eval(WIDGETS_NOW).await;
                panic!("timed out after {timeout:?} waiting for {what}; widgets now: {widgets:#}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits for `n` animation frames of the page: time for a widget that would run,
    /// or redraw, to have done so.
    pub async fn frames(&self, n: u32) {
        self.client
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1]; let n = 0;
                     const tick = () => (++n >= {n} ? done(n) : requestAnimationFrame(tick));
                     requestAnimationFrame(tick);"
                ),
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("{n} animation frames: {e}"));
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// Stops chromedriver and every browser process it started, even when a test fails.
impl Drop for Browser {
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.wait();
    }
}

/// Saves what the browser shows to `target/tmp/screenshots/NAME.png`, for review.
pub async fn save_screenshot(browser: &Browser, name: &str) {
    let png = browser
        .client
        .screenshot()
        .await
        .expect("taking a screenshot");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}
