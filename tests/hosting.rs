//! `dist/` behind a real static server: Debian's nginx with the shipped configuration
//! (`deploy/nginx.conf`), at the root and under a sub-path. Content types, precompressed
//! copies, caching, the security headers, the 404 page and paths outside the site; then
//! the widgets in Chromium through it, and three of them embedded in a page of another
//! origin, each taking its content's height.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::browser::{exclusive, Browser};
use serde_json::json;

const NGINX: &str = "/usr/sbin/nginx";
const BROTLI: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

/// Installs nginx and its brotli_static module from Debian's packages if missing.
fn ensure_nginx() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        if Path::new(NGINX).exists() && Path::new(BROTLI).exists() {
            return;
        }
        eprintln!("installing nginx and libnginx-mod-http-brotli-static from Debian's packages");
        for args in [
            &["update"][..],
            &["install", "-y", "nginx", "libnginx-mod-http-brotli-static"][..],
        ] {
            let status = Command::new("apt-get")
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive")
                .status()
                .expect("the hosting tests need apt-get to install nginx");
            assert!(
                status.success(),
                "apt-get {args:?} failed: the hosting tests need nginx"
            );
        }
        // The package starts a system nginx on port 80; these tests run their own.
        let _ = Command::new("nginx").args(["-s", "stop"]).status();
    });
}

/// An nginx serving `dist` at `base` on a loopback port; stopped when dropped.
struct Nginx {
    child: Child,
    url: String,
    port: u16,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The shipped configuration, listening on `port`, with its site at `base` of `root`.
fn site_config(root: &Path, port: u16, base: &str) -> String {
    let shipped =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/nginx.conf"))
            .expect("deploy/nginx.conf");
    let mut config = shipped
        .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
        .replace(
            "root /srv/explainer/dist;",
            &format!("root {};", root.display()),
        );
    if base != "/" {
        for location in ["location /assets/", "location /embed/", "location / {"] {
            config = config.replace(location, &location.replacen('/', base, 1));
        }
        config = config.replace(
            "error_page 404 /404.html;",
            &format!("error_page 404 {base}404.html;"),
        );
    }
    config
}

fn start_nginx(dist: &Path, base: &str) -> Nginx {
    ensure_nginx();
    let dir = common::scratch(&format!("nginx{}", base.replace('/', "-")));
    std::fs::create_dir_all(dir.join("tmp")).unwrap();
    // Under a sub-path the site's files sit in a folder of that name.
    let root = if base == "/" {
        dist.to_path_buf()
    } else {
        let root = dir.join("root");
        std::fs::create_dir_all(&root).unwrap();
        let link = root.join(base.trim_matches('/'));
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(dist, &link).unwrap();
        root
    };
    let port = common::free_port();
    std::fs::write(dir.join("site.conf"), site_config(&root, port, base)).unwrap();
    let tmp = dir.join("tmp");
    let main = format!(
        "load_module {BROTLI};\nworker_processes 1;\npid {pid};\nerror_log {log} warn;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {t}/body;\n  proxy_temp_path {t}/proxy;\n\
           fastcgi_temp_path {t}/fastcgi;\n  uwsgi_temp_path {t}/uwsgi;\n  scgi_temp_path {t}/scgi;\n\
           include {site};\n}}\n",
        pid = dir.join("nginx.pid").display(),
        log = dir.join("error.log").display(),
        t = tmp.display(),
        site = dir.join("site.conf").display(),
    );
    std::fs::write(dir.join("nginx.conf"), main).unwrap();
    let test = Command::new(NGINX)
        .args(["-t", "-c"])
        .arg(dir.join("nginx.conf"))
        .args(["-p"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        test.status.success(),
        "nginx -t: {}",
        String::from_utf8_lossy(&test.stderr)
    );
    let child = Command::new(NGINX)
        .args(["-g", "daemon off; master_process off;", "-c"])
        .arg(dir.join("nginx.conf"))
        .args(["-p"])
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting nginx");
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nginx did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Nginx {
        child,
        url: format!("http://127.0.0.1:{port}{base}"),
        port,
    }
}

/// A response: status, headers (lowercase names), body.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request over loopback, read to the end.
fn get(port: u16, path: &str, accept_encoding: Option<&str>) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let encoding = accept_encoding.map_or(String::new(), |e| format!("Accept-Encoding: {e}\r\n"));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{encoding}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16)
                .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 4 + size..];
    }
}

fn build(base: &str) -> PathBuf {
    let out = common::scratch(&format!("hosting-out{}", base.replace('/', "-")));
    let output = common::build(&common::project_content(), &out, base);
    assert!(output.status.success(), "{}", common::text(&output));
    out
}

fn asset(dist: &Path, prefix: &str, suffix: &str) -> String {
    std::fs::read_dir(dist.join("assets"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|n| n.starts_with(prefix) && n.ends_with(suffix))
        .unwrap_or_else(|| panic!("no asset {prefix}*{suffix}"))
}

#[test]
fn nginx_serves_types_compressed_copies_caching_headers_and_404s() {
    let dist = build("/");
    let nginx = start_nginx(&dist, "/");
    let port = nginx.port;
    let wasm = asset(&dist, "widgets_bg.", ".wasm");
    let r = get(port, &format!("/assets/{wasm}"), None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    let cache = r.header("cache-control").unwrap_or("");
    assert!(
        cache.contains("immutable") && cache.contains("max-age=31536000"),
        "{cache}"
    );
    for (encoding, suffix) in [("br", "br"), ("gzip", "gz")] {
        let r = get(
            port,
            &format!("/assets/{wasm}"),
            Some(&format!("{encoding}, deflate")),
        );
        assert_eq!(r.header("content-encoding"), Some(encoding), "{encoding}");
        let copy = std::fs::read(dist.join("assets").join(format!("{wasm}.{suffix}"))).unwrap();
        assert_eq!(r.body, copy, "the precompressed {suffix} copy");
    }
    let page = get(port, "/index.html", Some("gzip"));
    assert_eq!(page.status, 200);
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    let csp = page.header("content-security-policy").unwrap_or("");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'")
            && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(get(port, "/", None).status, 200);
    let embed = get(port, "/embed/compare.html", None);
    assert!(embed
        .header("content-security-policy")
        .unwrap_or("")
        .contains("frame-ancestors *"));
    assert!(embed.header("x-frame-options").is_none());
    let missing = get(port, "/no/such/page", None);
    assert_eq!(missing.status, 404);
    assert!(String::from_utf8_lossy(&missing.body).contains("Page not found"));
    for outside in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/%00",
        "/index.html%00.txt",
    ] {
        let r = get(port, outside, None);
        assert!(matches!(r.status, 400 | 404), "{outside}: {}", r.status);
        assert!(
            !String::from_utf8_lossy(&r.body).contains("[workspace]"),
            "{outside} leaked a file"
        );
    }
}

async fn every_widget_goes_live(browser: &Browser, url: &str) {
    browser
        .client
        .goto(&format!("{url}index.html"))
        .await
        .unwrap();
    let count = browser.widget_count().await;
    assert!(count >= 10, "{count} widgets");
    for i in 0..count {
        let w = format!("const W = document.querySelectorAll('.widget[data-widget]')[{i}];");
        browser
            .eval(&format!("{w} W.scrollIntoView({{block: 'center'}})"))
            .await;
        browser
            .wait_for(
                &format!("widget {i} through nginx"),
                &format!("{w} const c = W.querySelector('canvas'); return W.hasAttribute('data-live') && c && c.width > 0"),
                Duration::from_secs(40),
            )
            .await;
    }
    let errors = browser
        .eval("return [...document.querySelectorAll('[data-error]')].map(e => e.dataset.error)")
        .await;
    assert_eq!(errors, json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_widgets_run_through_nginx_at_the_root_and_under_a_sub_path() {
    let _one = exclusive().await;
    for base in ["/", "/sub/"] {
        let dist = build(base);
        let nginx = start_nginx(&dist, base);
        let browser = Browser::start(&["--window-size=1100,900"]).await;
        every_widget_goes_live(&browser, &nginx.url).await;
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn three_widgets_embedded_in_another_origin_go_live_and_fit_their_frames() {
    let _one = exclusive().await;
    let dist = build("/");
    let nginx = start_nginx(&dist, "/");
    // The embed code of the first three blocks, as the article's button makes it.
    let html = std::fs::read_to_string(dist.join("index.html")).unwrap();
    let sources: Vec<String> = html
        .match_indices("data-embed-src=\"")
        .take(3)
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            let src = &rest[..rest.find('"').unwrap()];
            format!(
                "{}{}",
                nginx.url.trim_end_matches('/'),
                src.replace("&amp;", "&")
            )
        })
        .collect();
    assert_eq!(sources.len(), 3);
    let host = common::scratch("embedding-host");
    std::fs::create_dir_all(&host).unwrap();
    let frames: String = sources
        .iter()
        .map(|src| format!("<iframe src=\"{src}\" title=\"widget\" width=\"100%\" height=\"560\" style=\"border:0\"></iframe>\n"))
        .collect();
    let origin = nginx.url.trim_end_matches('/');
    std::fs::write(
        host.join("index.html"),
        format!(
            "<!doctype html><html><body><h1>Another site</h1>{frames}<script>addEventListener(\"message\",e=>{{if(e.origin!==\"{origin}\"||!e.data||e.data.type!==\"explainer-height\")return;\
             for(const f of document.querySelectorAll(\"iframe\"))if(f.contentWindow===e.source)f.style.height=e.data.height+\"px\"}})</script></body></html>"
        ),
    )
    .unwrap();
    let host_url = common::serve_static(&host, "/").await;
    assert_ne!(host_url.trim_end_matches('/'), origin, "two origins");
    let browser = Browser::start(&["--window-size=1100,900"]).await;
    browser
        .client
        .goto(&format!("{host_url}index.html"))
        .await
        .unwrap();
    for i in 0..3u16 {
        browser
            .eval(&format!(
                "document.querySelectorAll('iframe')[{i}].scrollIntoView()"
            ))
            .await;
        // The parent resizes the frame to the height the embed posts.
        browser
            .wait_for(
                &format!("frame {i} to take its content's height"),
                &format!("const f = document.querySelectorAll('iframe')[{i}]; return f.style.height !== '' && f.style.height"),
                Duration::from_secs(40),
            )
            .await;
        browser.client.enter_frame(Some(i)).await.unwrap();
        browser
            .wait_for(
                &format!("the widget in frame {i}"),
                "return document.querySelector('.widget[data-live]') !== null",
                Duration::from_secs(40),
            )
            .await;
        // Its height settles once the widget has its final size: no scroll bar then.
        browser
            .wait_for(
                &format!("frame {i} without a scroll bar"),
                "return document.documentElement.scrollHeight <= innerHeight + 1",
                Duration::from_secs(20),
            )
            .await;
        browser.client.enter_parent_frame().await.unwrap();
    }
    browser.close().await;
}
