//! `serve`: build, serve the output on 127.0.0.1, rebuild when the content, the shell or
//! the site's assets change, and tell open pages to reload (server-sent events). A
//! broken build keeps the last good site online and shows its error in the page.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::inputs::{SiteArgs, ASSETS, SHELL};

const RELOAD_SCRIPT: &str = include_str!("live_reload.js");
const RELOAD_PATH: &str = "/__live_reload";

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port on 127.0.0.1
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
}

/// What the pages are told after each build.
#[derive(Debug, Clone)]
enum Outcome {
    Built,
    Failed(String),
}

struct Shared {
    out: PathBuf,
    last: Mutex<Outcome>,
    events: broadcast::Sender<Outcome>,
}

pub fn execute(args: Args) -> anyhow::Result<()> {
    let (events, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        out: args.site.out.clone(),
        last: Mutex::new(rebuild(&args.site)),
        events,
    });
    let _watcher = watch(&args.site, shared.clone())?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(serve(shared, args.port))
}

fn rebuild(site: &SiteArgs) -> Outcome {
    let started = Instant::now();
    // Compressed copies are for hosts; skipping them keeps the edit-to-reload loop short.
    let config = site.config().map(|config| site::Config {
        compress: false,
        ..config
    });
    match config.and_then(|config| Ok(site::build(&config)?)) {
        Ok(summary) => {
            println!(
                "built {} pages in {} ms",
                summary.pages,
                started.elapsed().as_millis()
            );
            Outcome::Built
        }
        Err(err) => {
            let message = format!("{err:#}");
            eprintln!("build failed; still serving the last good site:\n{message}");
            Outcome::Failed(message)
        }
    }
}

fn watch(
    site: &SiteArgs,
    shared: Arc<Shared>,
) -> anyhow::Result<
    notify_debouncer_full::Debouncer<
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
> {
    let site_args = site.clone();
    let mut debouncer = notify_debouncer_full::new_debouncer(
        Duration::from_millis(30),
        None,
        move |result: notify_debouncer_full::DebounceEventResult| {
            // Reading the content for a build reports access events; only changes count.
            let changed = result.is_ok_and(|events| {
                events
                    .iter()
                    .any(|e| !matches!(e.kind, EventKind::Access(_) | EventKind::Other))
            });
            if changed {
                let outcome = rebuild(&site_args);
                *shared.last.lock().unwrap() = outcome.clone();
                let _ = shared.events.send(outcome);
            }
        },
    )?;
    let mut watched = vec![(site.content.clone(), RecursiveMode::Recursive)];
    for (path, mode) in [
        (SHELL, RecursiveMode::NonRecursive),
        (ASSETS, RecursiveMode::Recursive),
    ] {
        if Path::new(path).exists() {
            watched.push((PathBuf::from(path), mode));
        }
    }
    for (path, mode) in watched {
        debouncer
            .watch(&path, mode)
            .with_context(|| format!("watching {}", path.display()))?;
    }
    Ok(debouncer)
}

async fn serve(shared: Arc<Shared>, port: u16) -> anyhow::Result<()> {
    let app = Router::new()
        .route(RELOAD_PATH, get(reload_events))
        .route("/__live_reload.js", get(reload_script))
        .fallback(site_file)
        .with_state(shared);
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("binding {address}"))?;
    println!("serving on http://{address}/ (Ctrl-C to stop)");
    axum::serve(listener, app).await?;
    Ok(())
}

async fn reload_script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript")], RELOAD_SCRIPT)
}

/// Browsers drop server-sent events with empty data, so every event carries some.
/// The current outcome first (so a page opened on a broken build shows the error), then
/// one event per build.
async fn reload_events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>> {
    let current = shared.last.lock().unwrap().clone();
    let first = tokio_stream::once(match current {
        Outcome::Built => Event::default().event("ok").data("ok"),
        Outcome::Failed(message) => Event::default().event("failed").data(message),
    });
    let updates = BroadcastStream::new(shared.events.subscribe()).filter_map(|outcome| {
        Some(match outcome.ok()? {
            Outcome::Built => Event::default().event("reload").data("reload"),
            Outcome::Failed(message) => Event::default().event("failed").data(message),
        })
    });
    Sse::new(first.chain(updates).map(Ok)).keep_alive(KeepAlive::default())
}

/// Files of the output folder (ServeDir refuses paths that leave it); HTML pages get the
/// live-reload script. With no page to show (say, the first build failed), a page that
/// only carries the script, which then shows the error.
async fn site_file(State(shared): State<Arc<Shared>>, mut request: Request) -> Response {
    let path = request.uri().path().to_string();
    // Two builds within one second share a Last-Modified second: never answer
    // "not modified", and ask the browser not to cache, or a reload shows the old page.
    request.headers_mut().remove(header::IF_MODIFIED_SINCE);
    request.headers_mut().remove(header::IF_NONE_MATCH);
    let mut response = ServeDir::new(&shared.out)
        .append_index_html_on_directories(true)
        .oneshot(request)
        .await
        .expect("ServeDir is infallible");
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if response.status() == StatusCode::NOT_FOUND {
        let page = format!(
            "<!doctype html><title>Not found</title><p>No page at {}</p>{}",
            html_escape::encode_text(&path),
            script_tag()
        );
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html")],
            page,
        )
            .into_response();
    }
    if !is_html {
        return response.into_response();
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(axum::body::Body::new(body), usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let html = String::from_utf8_lossy(&bytes);
    let injected = match html.rfind("</body>") {
        Some(at) => format!("{}{}{}", &html[..at], script_tag(), &html[at..]),
        None => format!("{html}{}", script_tag()),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(injected))
}

fn script_tag() -> String {
    "<script type=\"module\" src=\"/__live_reload.js\"></script>".to_string()
}
