//! Real servers measured on the site's machine (`content/data/measured.json`, written by
//! `bench/real/run.py`): the one typed reader of that file, and the overlay a widget
//! draws from it. The site reads the file at build time and hands each widget what it
//! draws inside its placeholder, so the bundle never parses JSON.

use serde::Deserialize;

use crate::{Key, Scenario, ScenarioError, Value};

/// The file, as far as the site uses it; other fields are ignored.
#[derive(Debug, Clone, Deserialize)]
pub struct Measurements {
    pub machine: Machine,
    #[serde(default)]
    pub servers: Vec<ServerInfo>,
    pub series: Vec<Series>,
    #[serde(default)]
    pub agreement: Option<Agreement>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Machine {
    pub cores: u32,
    #[serde(default)]
    pub cpu_model: String,
    #[serde(default)]
    pub memory_gb: f64,
    #[serde(default)]
    pub kernel: String,
    #[serde(default)]
    pub python: String,
    #[serde(default)]
    pub load_generator: String,
    /// ISO 8601, UTC.
    #[serde(default)]
    pub date: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerInfo {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Series {
    pub server: String,
    /// `io` or `cpu`.
    pub workload: String,
    /// The simulated scenario, without `clients`.
    pub scenario: ScenarioTable,
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Point {
    pub clients: u32,
    pub measured: Figures,
    pub simulated: Figures,
    /// The CPU per request this point was simulated with, ms: the series' calibrated
    /// `cpu_ms`, or the point's own measured cost when the host's speed had moved
    /// (files written before the harness recorded it have none).
    #[serde(default)]
    pub simulated_cpu_ms: Option<f64>,
}

impl Point {
    /// The point was simulated with its own measured CPU per request rather than the
    /// series' calibrated `cpu_ms` (the harness does so when the host's speed moved more
    /// than 15% from the calibration, see `bench/real/README.md`, and otherwise records
    /// the calibrated value itself): that cost, ms.
    pub fn own_cpu_ms(&self, series: &Series) -> Option<f64> {
        let own = self.simulated_cpu_ms?;
        (Some(own) != series.number("cpu_ms")).then_some(own)
    }
}

/// What was measured or simulated at one point.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct Figures {
    pub throughput_rps: f64,
    #[serde(default)]
    pub p50_ms: f64,
    #[serde(default)]
    pub p99_ms: f64,
    #[serde(default)]
    pub mean_ms: f64,
    #[serde(default)]
    pub other_cores: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Agreement {
    pub points: u32,
    pub within_25pct: u32,
    pub median_abs_error: f64,
}

/// A scenario as the file writes it: key to number or name.
pub type ScenarioTable = std::collections::BTreeMap<String, Scalar>;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Number(f64),
    Text(String),
}

impl Measurements {
    /// "2 cores (AMD EPYC), 2026-11-26".
    pub fn machine_name(&self) -> String {
        let date = self.machine.date.get(..10).unwrap_or("");
        format!(
            "{} cores ({}), {date}",
            self.machine.cores, self.machine.cpu_model
        )
    }

    pub fn label(&self, id: &str) -> String {
        self.servers
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| id.to_string(), |s| s.label.clone())
    }

    pub fn series(&self, server: &str, workload: &str) -> Option<&Series> {
        self.series
            .iter()
            .find(|s| s.server == server && s.workload == workload)
    }

    /// What `compare` draws over its load sweep: gunicorn's sync workers and uvicorn,
    /// measured with I/O-bound requests.
    pub fn compare_overlay(&self) -> Option<Overlay> {
        let line = |server: &str, label: &str| {
            let series = self.series(server, "io")?;
            Some(OverlaySeries {
                label: label.to_string(),
                points: series.throughput(|p| p.measured),
            })
        };
        let scenario = self.series("gunicorn-sync", "io")?.scenario_of(64).ok()?;
        Some(Overlay {
            machine: self.machine_name(),
            scenario,
            series: vec![
                line("gunicorn-sync", "gunicorn sync, measured")?,
                line("uvicorn-asyncio", "uvicorn asyncio, measured")?,
            ],
        })
    }
}

impl Series {
    /// `(clients, throughput)` of the measured or simulated figures.
    pub fn throughput(&self, which: impl Fn(&Point) -> Figures) -> Vec<(f64, f64)> {
        self.points
            .iter()
            .map(|p| (f64::from(p.clients), which(p).throughput_rps))
            .collect()
    }

    /// The series' scenario with `clients` closed clients.
    pub fn scenario_of(&self, clients: u32) -> Result<Scenario, ScenarioError> {
        let mut scenario = Scenario::default();
        for (name, value) in &self.scenario {
            let key = Key::from_name(name)
                .filter(|k| k.is_scenario())
                .ok_or_else(|| ScenarioError::key(name, "unknown key in a measured scenario"))?;
            let text = match value {
                Scalar::Number(x) => x.to_string(),
                Scalar::Text(t) => t.clone(),
            };
            scenario.set(key, Value::parse(key, &text)?)?;
        }
        scenario.set(Key::Clients, Value::Int(i64::from(clients)))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// A number of the scenario, by key.
    pub fn number(&self, key: &str) -> Option<f64> {
        match self.scenario.get(key)? {
            Scalar::Number(x) => Some(*x),
            Scalar::Text(_) => None,
        }
    }
}

/// Measured lines a widget draws over its simulated ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    /// Where they were measured.
    pub machine: String,
    /// The scenario they were measured with; the lines belong over a simulation of
    /// this scenario only.
    pub scenario: Scenario,
    pub series: Vec<OverlaySeries>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OverlaySeries {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

impl Overlay {
    /// Whether the lines belong over a simulation of `scenario`: the same scenario,
    /// whatever its number of clients (a sweep varies them).
    pub fn fits(&self, scenario: &Scenario) -> bool {
        let mut same = scenario.clone();
        same.clients = self.scenario.clients;
        same.arrival_rate = self.scenario.arrival_rate;
        same == self.scenario
    }

    /// `measured.machine=...`, `measured.scenario=...` and one `measured=LABEL\nX:Y X:Y`
    /// per series.
    pub(crate) fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![
            ("measured.machine", self.machine.clone()),
            ("measured.scenario", self.scenario.to_query()),
        ];
        for series in &self.series {
            let points: Vec<String> = series
                .points
                .iter()
                .map(|(x, y)| format!("{x}:{y}"))
                .collect();
            pairs.push((
                "measured",
                format!("{}\n{}", series.label, points.join(" ")),
            ));
        }
        pairs
    }

    pub(crate) fn from_pairs(pairs: &[(String, String)]) -> Result<Overlay, String> {
        let mut overlay = Overlay {
            machine: String::new(),
            scenario: Scenario::default(),
            series: Vec::new(),
        };
        for (name, value) in pairs {
            if name == "measured.machine" {
                overlay.machine = value.clone();
                continue;
            }
            if name == "measured.scenario" {
                overlay.scenario = Scenario::from_query(value).map_err(|e| e.to_string())?;
                continue;
            }
            let (label, points) = value.split_once('\n').unwrap_or((value, ""));
            let points = points
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(':')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect::<Option<Vec<(f64, f64)>>>()
                .ok_or_else(|| format!("bad measured points for `{label}`"))?;
            overlay.series.push(OverlaySeries {
                label: label.to_string(),
                points,
            });
        }
        Ok(overlay)
    }
}

/// The real-database benchmark (`content/data/measured-db.json`, written by
/// `bench/real/run_db.py`), as far as the site draws it.
#[derive(Debug, Clone, Deserialize)]
pub struct DbMeasurements {
    pub machine: DbMachine,
    pub series: Vec<DbSeries>,
    pub agreement: DbAgreement,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DbMachine {
    pub cores: u32,
    #[serde(default)]
    pub cpu_model: String,
    #[serde(default)]
    pub python: String,
    #[serde(default)]
    pub postgresql: String,
    #[serde(default)]
    pub pgbouncer: String,
    #[serde(default)]
    pub load_generator: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub load_average_at_start: Vec<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DbSeries {
    pub id: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub regime: String,
    #[serde(default)]
    pub published_setup: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub processes: u32,
    #[serde(default)]
    pub threads: u32,
    /// The application's pool per process.
    #[serde(default)]
    pub db_pool: u32,
    /// pgbouncer's connections to PostgreSQL.
    #[serde(default)]
    pub bouncer_pool: u32,
    #[serde(default)]
    pub scenario: Option<ScenarioTable>,
    #[serde(default)]
    pub points: Vec<DbPoint>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DbPoint {
    pub clients: u32,
    /// `judged`, `excluded` or `failed`.
    pub status: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub measured: Option<Figures>,
    #[serde(default)]
    pub simulated: Option<DbSimulated>,
    #[serde(default)]
    pub agreement: Option<PointAgreement>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DbSimulated {
    pub status: String,
    #[serde(default)]
    pub throughput_rps: Option<f64>,
    #[serde(default)]
    pub p50_ms: Option<f64>,
    #[serde(default)]
    pub p99_ms: Option<f64>,
    #[serde(default)]
    pub mean_ms: Option<f64>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct PointAgreement {
    pub throughput_error: f64,
    pub p99_error: f64,
    pub throughput_ok: bool,
    pub p99_ok: bool,
    pub ok: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DbAgreement {
    #[serde(default)]
    pub criterion: String,
    pub judged: u32,
    #[serde(default)]
    pub simulated: u32,
    pub agree: u32,
    pub share: f64,
    pub met: bool,
    #[serde(default)]
    pub median_abs_throughput_error: Option<f64>,
    #[serde(default)]
    pub median_abs_p99_error: Option<f64>,
    #[serde(default)]
    pub misses: Vec<listed::Miss>,
    #[serde(default)]
    pub not_judged: Vec<listed::NotJudged>,
}

/// Misses and points not judged, as the file lists them.
pub mod listed {
    use serde::Deserialize;

    #[derive(Debug, Clone, Deserialize)]
    pub struct Miss {
        pub series: String,
        pub clients: u32,
        #[serde(default)]
        pub throughput_error: Option<f64>,
        #[serde(default)]
        pub p99_error: Option<f64>,
        /// What the harness found at the point (it writes `facts`; older files `why`).
        #[serde(default, alias = "facts")]
        pub why: Option<String>,
    }

    #[derive(Debug, Clone, Deserialize)]
    pub struct NotJudged {
        pub series: String,
        pub clients: u32,
        #[serde(default)]
        pub reason: Option<String>,
    }
}

impl DbSeries {
    /// The judged point nearest `clients` (on a log scale).
    pub fn nearest(&self, clients: u32) -> Option<&DbPoint> {
        let distance = |p: &&DbPoint| {
            (f64::from(p.clients.max(1)) / f64::from(clients.max(1)))
                .ln()
                .abs()
        };
        self.points
            .iter()
            .filter(|p| p.status == "judged" && p.measured.is_some())
            .min_by(|a, b| distance(a).total_cmp(&distance(b)))
    }

    /// `(clients, value)` of the judged points, measured or simulated.
    pub fn line(&self, simulated: bool, value: impl Fn(&Figures) -> f64) -> Vec<(f64, f64)> {
        self.points
            .iter()
            .filter(|p| p.status == "judged")
            .filter_map(|p| {
                let figures = if simulated {
                    let s = p.simulated.as_ref()?;
                    Figures {
                        throughput_rps: s.throughput_rps?,
                        p50_ms: s.p50_ms?,
                        p99_ms: s.p99_ms?,
                        mean_ms: s.mean_ms.unwrap_or(0.0),
                        other_cores: None,
                    }
                } else {
                    p.measured?
                };
                Some((f64::from(p.clients), value(&figures)))
            })
            .collect()
    }
}
