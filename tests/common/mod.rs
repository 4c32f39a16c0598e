//! Shared by the integration and browser tests: fixture sites, the real binary, a
//! static file server on 127.0.0.1, and Chromium driven through chromedriver.

#![allow(dead_code)]

pub mod browser;

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The project's own binary, built by cargo for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_explainer");

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fresh, empty directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary from a directory that has no project files, so the tests use the
/// shell and assets built into it, as a user's copy would.
pub fn explainer(args: &[&str]) -> Output {
    explainer_in(&scratch("cwd"), args)
}

pub fn explainer_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("running the binary")
}

pub fn build(content: &Path, out: &Path, base_url: &str) -> Output {
    build_with(content, out, base_url, &[])
}

/// `build` with more options, such as `["--site-url", "https://example.org/"]`.
pub fn build_with(content: &Path, out: &Path, base_url: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--content",
        content.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--base-url",
        base_url,
    ];
    args.extend_from_slice(extra);
    explainer(&args)
}

pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A child process that is stopped when the test ends, passed or failed.
pub struct Running(pub std::process::Child);

impl Running {
    pub fn is_running(&mut self) -> bool {
        self.0
            .try_wait()
            .map(|status| status.is_none())
            .unwrap_or(false)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Serves `dir` at `base` (like `/sub/`) on 127.0.0.1 until the runtime ends, as a
/// plain static host would. Returns the site's URL.
pub async fn serve_static(dir: &Path, base: &str) -> String {
    use tower_http::services::ServeDir;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address: SocketAddr = listener.local_addr().unwrap();
    let files = ServeDir::new(dir).append_index_html_on_directories(true);
    let app = if base == "/" {
        axum::Router::new().fallback_service(files)
    } else {
        axum::Router::new().nest_service(base.trim_end_matches('/'), files)
    };
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}{base}")
}

/// The project's own content folder.
pub fn project_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// Builds `content` for `base`, serves it on 127.0.0.1 as a static host would, starts
/// Chromium with `args` and opens `page`; returns the browser and the site's URL.
pub async fn open_site(
    content: &Path,
    base: &str,
    args: &[&str],
    page: &str,
) -> (browser::Browser, String) {
    let out = scratch("site-out");
    let output = build(content, &out, base);
    assert!(output.status.success(), "{}", text(&output));
    let url = serve_static(&out, base).await;
    let browser = browser::Browser::start(args).await;
    browser.client.goto(&format!("{url}{page}")).await.unwrap();
    (browser, url)
}
