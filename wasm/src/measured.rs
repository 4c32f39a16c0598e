//! The real servers measured on the site's machine (`data/measured.json`, written by
//! `bench/real/run.py`), which the `compare` widget draws over its simulated sweep.

use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Measured throughput against concurrency for I/O-bound requests.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// "2 cores (AMD EPYC), 2026-11-26".
    pub machine: String,
    pub sync: Vec<(f64, f64)>,
    pub asynchronous: Vec<(f64, f64)>,
    /// The measured scenario's CPU and I/O per request, ms (the sync server's).
    pub cpu_ms: f64,
    pub io_ms: f64,
}

impl Measured {
    /// Reads the file's I/O-bound series of gunicorn's sync workers and uvicorn.
    pub fn from_json(text: &str) -> Option<Measured> {
        let data: Value = serde_json::from_str(text).ok()?;
        let series = data["series"].as_array()?;
        let find = |server: &str| {
            series
                .iter()
                .find(|s| s["server"] == server && s["workload"] == "io")
        };
        let points = |s: &Value| -> Vec<(f64, f64)> {
            s["points"]
                .as_array()
                .map(|p| {
                    p.iter()
                        .filter_map(|p| {
                            Some((
                                p["clients"].as_f64()?,
                                p["measured"]["throughput_rps"].as_f64()?,
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let (sync, asynchronous) = (find("gunicorn-sync")?, find("uvicorn-asyncio")?);
        let m = &data["machine"];
        let date = m["date"].as_str().unwrap_or("").get(..10).unwrap_or("");
        Some(Measured {
            machine: format!(
                "{} cores ({}), {date}",
                m["cores"],
                m["cpu_model"].as_str().unwrap_or("?")
            ),
            cpu_ms: sync["scenario"]["cpu_ms"].as_f64()?,
            io_ms: sync["scenario"]["io_ms"].as_f64()?,
            sync: points(sync),
            asynchronous: points(asynchronous),
        })
    }
}

/// Fetches and reads the measurements at `url`; `None` when anything fails (the
/// widget then simply has no measured preset).
pub async fn fetch(url: String) -> Option<Measured> {
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let text = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    Measured::from_json(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_committed_measurements() {
        let text = include_str!("../../content/data/measured.json");
        let m = Measured::from_json(text).expect("the file has both series");
        assert!(m.machine.starts_with("2 cores"), "{}", m.machine);
        assert!(m.sync.len() >= 5 && m.asynchronous.len() >= 5);
        assert!(m.io_ms > 40.0 && m.cpu_ms > 0.0);
        assert_eq!(Measured::from_json("{}"), None);
    }
}
