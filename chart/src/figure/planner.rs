//! The planner: for a request's shape and the reader's targets (requests per second, a
//! p99, the machine's cores and RAM), the smallest configuration of each server that
//! meets both targets, found by short simulations: gunicorn's sync workers, gthread,
//! gevent, and uvicorn on asyncio and on uvloop. Then a chart of each one's p99 against
//! the offered load, and the command line to paste.

use contract::live::format_number as number;
use contract::{Key, LiveValue, Scenario, ServerKind, WidgetValues};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{csv_line, megabytes, DrawResult, Look, Panel, Row};
use crate::{LineChart, Series};

const PANELS: &[Panel] = &[Panel {
    label: "99th percentile latency against offered load, for each server at its planned size",
    row: Row::Wide,
    // Room for a key in three rows on a phone.
    height: 270,
    fallback: true,
}];

/// Requests per trial run, live and in a static figure.
pub(super) const LIVE_REQUESTS: u64 = 2_500;
pub(super) const STILL_REQUESTS: u64 = 2_000;
/// Offered loads of the chart, as shares of the target.
const LOADS: [f64; 5] = [0.5, 0.75, 0.9, 1.0, 1.2];

/// A server to size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Candidate {
    Sync,
    Gthread,
    Gevent,
    Uvicorn,
    Uvloop,
}

impl Candidate {
    pub const ALL: [Candidate; 5] = [
        Candidate::Sync,
        Candidate::Gthread,
        Candidate::Gevent,
        Candidate::Uvicorn,
        Candidate::Uvloop,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Candidate::Sync => "gunicorn, sync workers",
            Candidate::Gthread => "gunicorn, gthread",
            Candidate::Gevent => "gunicorn, gevent",
            Candidate::Uvicorn => "uvicorn (asyncio)",
            Candidate::Uvloop => "uvicorn with uvloop",
        }
    }

    fn server(self) -> ServerKind {
        match self {
            Candidate::Sync => ServerKind::Processes,
            Candidate::Gthread => ServerKind::Threads,
            Candidate::Gevent => ServerKind::Gevent,
            Candidate::Uvicorn => ServerKind::Asyncio,
            Candidate::Uvloop => ServerKind::Uvloop,
        }
    }

    /// The sizes to try, smallest first: (processes, threads). A pool can hold no
    /// more requests than it has workers, so by Little's law a sync pool needs at least
    /// `in_flight` (the target rate times a request's own time): the ladder starts there
    /// and climbs about 15% a rung, and the search bisects back down between the last
    /// rung that failed and the first that fits, which keeps it to a few trials.
    ///
    /// A gthread process (the GIL) and an event loop run on one core at most, so they
    /// need more processes than the cores their CPU keeps busy (`cpu_cores`). Fewer are
    /// not tried: their queue grows without end, and though a short trial might pass by
    /// luck, no real server of that size would keep up.
    fn sizes(self, cores: u32, in_flight: f64, cpu_cores: f64) -> Vec<(u32, u32)> {
        let from = in_flight.ceil().max(1.0) as u32;
        let fewest = (cpu_cores.floor() as u32)
            .saturating_add(1)
            .min(cores.max(1));
        match self {
            Candidate::Sync => {
                let mut ladder = vec![from];
                while ladder.len() < 40 {
                    let last = *ladder.last().unwrap_or(&from);
                    ladder.push((last + 1).max((f64::from(last) * 1.15).ceil() as u32));
                }
                ladder.into_iter().map(|p| (p, 1)).collect()
            }
            Candidate::Gthread => {
                let mut sizes = Vec::new();
                for p in fewest..=cores.max(1) {
                    for t in [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] {
                        if p * t >= from {
                            sizes.push((p, t));
                        }
                    }
                }
                // Each (threads in all, processes) is one size: no ties to keep in order.
                sizes.sort_unstable_by_key(|(p, t)| (p * t, *p));
                sizes
            }
            // One event-loop process per core at most: more only share the cores.
            _ => (fewest..=cores.max(1)).map(|p| (p, 1)).collect(),
        }
    }

    /// The command line for this size.
    pub fn command(self, processes: u32, threads: u32) -> String {
        match self {
            Candidate::Sync => format!("gunicorn -w {processes} app:app"),
            Candidate::Gthread => {
                format!("gunicorn -k gthread -w {processes} --threads {threads} app:app")
            }
            Candidate::Gevent => {
                format!("gunicorn -k gevent -w {processes} --worker-connections 1000 app:app")
            }
            Candidate::Uvicorn => format!("uvicorn app:app --workers {processes}"),
            Candidate::Uvloop => format!("uvicorn app:app --workers {processes} --loop uvloop"),
        }
    }
}

/// A size that was tried, and what the simulation said.
#[derive(Debug, Clone, Copy)]
pub struct Trial {
    pub processes: u32,
    pub threads: u32,
    pub pool: u32,
    pub throughput: f64,
    pub p50: f64,
    pub p99: f64,
    pub memory_mb: f64,
}

/// What the search found for one server.
#[derive(Debug, Clone)]
pub enum Outcome {
    Searching,
    Fits(Trial),
    /// None fits the machine: why, in words.
    None(String),
}

#[derive(Debug, Clone)]
struct Search {
    candidate: Candidate,
    sizes: Vec<(u32, u32)>,
    next: usize,
    outcome: Outcome,
    /// p99 against offered load at the chosen size.
    curve: Vec<(f64, f64)>,
    /// A sync pool between rungs: the largest size that failed and the smallest fit.
    between: Option<(u32, Trial)>,
}

pub struct PlannerFigure {
    base: Scenario,
    target_rps: f64,
    target_p99: f64,
    ram_mb: f64,
    requests: u64,
    searches: Vec<Search>,
    /// A plain explanation when no server can meet the targets on this machine.
    impossible: Option<String>,
    /// Whether a lone request was checked against the p99 target yet.
    lone_checked: bool,
    version: u64,
}

impl PlannerFigure {
    pub fn new(scenario: &Scenario, values: &WidgetValues, requests: u64) -> PlannerFigure {
        let mut figure = PlannerFigure {
            base: scenario.clone(),
            target_rps: values.number(Key::TargetRps),
            target_p99: values.number(Key::TargetP99Ms),
            ram_mb: values.number(Key::RamMb),
            requests,
            searches: Vec::new(),
            impossible: None,
            lone_checked: false,
            version: 0,
        };
        figure.start();
        figure
    }

    fn start(&mut self) {
        let cores = self.base.cores;
        let cpu_needed = self.target_rps * self.base.cpu_ms / 1e3;
        self.impossible = if cpu_needed > f64::from(cores) * 0.95 {
            Some(format!(
                "No server can do it on this machine: {} requests a second of {} ms of CPU need {} cores of CPU, and it has {cores}. Add cores, or make each request cheaper.",
                number(self.target_rps.round()), number(self.base.cpu_ms), number((cpu_needed * 10.0).round() / 10.0)
            ))
        } else if self.base.db_ms > 0.0
            && self.base.db_connections > 0
            && self.target_rps * self.base.db_ms / 1e3 > f64::from(self.base.db_connections) * 0.95
        {
            Some(format!(
                "No server can do it with this database: {} queries' worth of {} ms a second keep {} connections busy, and it allows {}.",
                number(self.target_rps.round()), number(self.base.db_ms), number((self.target_rps * self.base.db_ms / 1e3).round()), number(f64::from(self.base.db_connections))
            ))
        } else {
            None
        };
        // The lone-request check is a simulation run: it is the search's first piece of
        // work, not done here in the reader's input handler.
        self.lone_checked = self.impossible.is_some();
        let own_ms = self.base.cpu_ms + self.base.io_ms + self.base.db_ms;
        let in_flight = self.target_rps * own_ms / 1e3;
        self.searches = Candidate::ALL
            .iter()
            .map(|&candidate| Search {
                candidate,
                sizes: candidate.sizes(cores, in_flight, self.cpu_cores(candidate)),
                next: 0,
                outcome: if self.impossible.is_some() {
                    Outcome::None("see the note above".into())
                } else {
                    Outcome::Searching
                },
                curve: Vec::new(),
                between: None,
            })
            .collect();
        self.version += 1;
    }

    /// The cores a server's CPU keeps busy at the target rate: the request's mean CPU
    /// (heavy ones included) and the server's own per request.
    fn cpu_cores(&self, candidate: Candidate) -> f64 {
        let s = self.scenario(candidate, (1, 1), self.target_rps);
        let h = s.heavy_share;
        let cpu_ms = (1.0 - h) * s.cpu_ms + h * s.effective_heavy_cpu_ms();
        self.target_rps * (cpu_ms + s.effective_overhead_us() / 1e3) / 1e3
    }

    /// Queueing can only add to a request's own time, so when a request alone, on an idle
    /// server, already misses the p99 target (a wide spread of I/O times does that), no
    /// size will meet it, and the reader should hear why rather than "none fits".
    fn lone_request_too_slow(&self) -> Option<String> {
        let light = (self.target_rps * 0.02).max(0.5);
        let idle = self.trial_of(
            Candidate::Uvicorn,
            (self.base.cores, 1),
            light,
            self.requests / 2,
        )?;
        (idle.p99 > self.target_p99).then(|| {
            format!(
                "No server can do it: even alone on an idle server, 1 request in 100 takes {:.0} ms or more with this spread of times, more than the {:.0} ms target. Waiting in a queue only adds to that. Raise the p99 target, or shorten the slowest waits.",
                idle.p99, self.target_p99
            )
        })
    }

    pub fn restart(&mut self, scenario: &Scenario, values: &WidgetValues) {
        *self = PlannerFigure::new(scenario, values, self.requests);
    }

    /// The scenario of one trial: the request's shape, at this size and load.
    fn scenario(&self, candidate: Candidate, size: (u32, u32), rate: f64) -> Scenario {
        let mut s = self.base.clone();
        s.server = candidate.server();
        s.workers = Some(size.0);
        s.threads = (candidate == Candidate::Gthread).then_some(size.1);
        s.clients = None;
        s.arrival_rate = Some(rate.max(0.001));
        s.requests = self.requests;
        s.warmup = self.requests / 10;
        s.max_tasks = None;
        s
    }

    fn trial(&self, candidate: Candidate, size: (u32, u32), rate: f64) -> Option<Trial> {
        self.trial_of(candidate, size, rate, self.requests)
    }

    fn trial_of(
        &self,
        candidate: Candidate,
        size: (u32, u32),
        rate: f64,
        requests: u64,
    ) -> Option<Trial> {
        let mut s = self.scenario(candidate, size, rate);
        s.requests = requests;
        // Open arrivals start on an idle server, which fills within a few hundred.
        s.warmup = requests / 10;
        s.validate().ok()?;
        let r = sim::run(&s);
        Some(Trial {
            processes: size.0,
            threads: size.1,
            pool: s.db_pool,
            throughput: r.throughput_rps,
            p50: r.latency_ms.p50,
            p99: r.latency_ms.p99,
            memory_mb: r.memory_mb_peak,
        })
    }

    /// Runs the next trial of the first search still going; returns the events spent
    /// (roughly: one trial's), or 0 when every search is done.
    pub fn work(&mut self, _budget: u64) -> u64 {
        if !self.lone_checked {
            self.lone_checked = true;
            if let Some(why) = self.lone_request_too_slow() {
                self.impossible = Some(why);
                for search in &mut self.searches {
                    search.outcome = Outcome::None("see the note above".into());
                }
            }
            return self.requests * 5;
        }
        // Every server's size first, so the table is complete before the chart's
        // curves, which take as many runs again, fill in.
        let searching = |s: &Search| matches!(s.outcome, Outcome::Searching);
        let drawing =
            |s: &Search| matches!(s.outcome, Outcome::Fits(_)) && s.curve.len() < LOADS.len();
        let Some(i) = (self.searches.iter().position(searching))
            .or_else(|| self.searches.iter().position(drawing))
        else {
            return 0;
        };
        let search = &self.searches[i];
        let candidate = search.candidate;
        if let Outcome::Fits(fit) = search.outcome {
            let share = LOADS[search.curve.len()];
            // At the target the curve shows the trial the table shows: a second, shorter
            // run there read 590 ms beside the table's 521.
            let point = if share == 1.0 {
                (self.target_rps, fit.p99)
            } else {
                self.trial_of(
                    candidate,
                    (fit.processes, fit.threads),
                    self.target_rps * share,
                    self.requests / 2,
                )
                .map_or((self.target_rps * share, f64::NAN), |t| {
                    (self.target_rps * share, t.p99)
                })
            };
            self.searches[i].curve.push(point);
            // Only the curves are drawn: the canvas changes with them alone.
            self.version += 1;
            return self.requests * 5;
        }
        if let Some((failed, fit)) = search.between {
            if fit.processes - failed <= 1 {
                self.searches[i].outcome = Outcome::Fits(fit);
                return 1;
            }
            let mid = (failed + fit.processes) / 2;
            self.searches[i].between =
                Some(match self.trial(candidate, (mid, 1), self.target_rps) {
                    Some(t) if self.fits(&t) => (failed, t),
                    _ => (mid, fit),
                });
            return self.requests * 10;
        }
        let Some(&size) = search.sizes.get(search.next) else {
            let why = match search.sizes.last() {
                Some(&largest) => format!(
                    "no size up to {} meets both targets",
                    describe_size(candidate, largest)
                ),
                // Only gthread runs out of sizes before trying one: too many in flight.
                None => format!(
                    "it would need more than {} threads on {} cores",
                    self.base.cores.max(1) * 1024,
                    self.base.cores.max(1)
                ),
            };
            self.searches[i].outcome = Outcome::None(why);
            return 1;
        };
        self.searches[i].next += 1;
        let Some(trial) = self.trial(candidate, size, self.target_rps) else {
            return 1;
        };
        if trial.memory_mb > self.ram_mb {
            self.searches[i].outcome = Outcome::None(format!(
                "{} needs {}, more than the {} of RAM",
                describe_size(candidate, size),
                megabytes(trial.memory_mb),
                megabytes(self.ram_mb)
            ));
        } else if self.fits(&trial) {
            let failed = (self.searches[i].next >= 2)
                .then(|| self.searches[i].sizes[self.searches[i].next - 2].0);
            match failed {
                // Rungs apart: the smallest fit is somewhere between.
                Some(failed) if candidate == Candidate::Sync => {
                    self.searches[i].between = Some((failed, trial));
                }
                _ => self.searches[i].outcome = Outcome::Fits(trial),
            }
        }
        self.requests * 10
    }

    fn fits(&self, trial: &Trial) -> bool {
        trial.throughput >= 0.97 * self.target_rps && trial.p99 <= self.target_p99
    }

    /// The planner has no clock: its searches are its work.
    pub fn advance(&mut self, _dt_s: f64) {}

    pub fn step(&mut self) {
        self.work(1);
    }

    pub fn capped(&self) -> bool {
        false
    }

    pub fn panels(&self) -> &'static [Panel] {
        PANELS
    }

    pub fn version(&self, _index: usize) -> u64 {
        self.version
    }

    pub fn draw<DB: DrawingBackend>(
        &mut self,
        _index: usize,
        area: &DrawingArea<DB, Shift>,
        look: &Look,
    ) -> DrawResult<DB> {
        let lines: Vec<(&str, &[(f64, f64)])> = self
            .searches
            .iter()
            .filter(|s| !s.curve.is_empty())
            .map(|s| (s.candidate.label(), s.curve.as_slice()))
            .collect();
        let series = lines
            .iter()
            .map(|(label, points)| Series { label, points })
            .collect();
        let top = self.target_rps * LOADS[LOADS.len() - 1];
        let mut chart = LineChart::new(
            "offered load (requests/s)",
            "p99 latency (ms)",
            (0.0, top.max(1.0)),
            series,
        );
        chart.marker = Some((self.target_rps, "target"));
        chart.guides.push((self.target_p99, "p99 target".into()));
        crate::draw_line_chart(area, &chart, look.palette, look.scale)
    }

    pub fn value(&self, _value: LiveValue) -> Option<f64> {
        None
    }

    pub fn summary(&self) -> String {
        if let Some(why) = &self.impossible {
            return why.clone();
        }
        let mut parts = Vec::new();
        for s in &self.searches {
            parts.push(match &s.outcome {
                Outcome::Searching => format!("{}: searching", s.candidate.label()),
                Outcome::Fits(t) => format!(
                    "{}: {} ({}, p99 {:.0} ms)",
                    s.candidate.label(),
                    describe_size(s.candidate, (t.processes, t.threads)),
                    megabytes(t.memory_mb),
                    t.p99
                ),
                Outcome::None(why) => format!("{}: none fits ({why})", s.candidate.label()),
            });
        }
        format!(
            "For {:.0} requests a second with a p99 under {:.0} ms: {}.",
            self.target_rps,
            self.target_p99,
            parts.join("; ")
        )
    }

    pub fn status(&self) -> Option<String> {
        let total = self.searches.len() * (LOADS.len() + 1);
        let done: usize = self
            .searches
            .iter()
            .map(|s| match s.outcome {
                Outcome::Searching => 0,
                Outcome::Fits(_) => 1 + s.curve.len(),
                Outcome::None(_) => LOADS.len() + 1,
            })
            .sum();
        let searching = self
            .searches
            .iter()
            .any(|s| matches!(s.outcome, Outcome::Searching));
        let what = if searching {
            "Searching"
        } else {
            "Drawing p99 against load"
        };
        (done < total && self.impossible.is_none())
            .then(|| format!("{what}: {:.0}% done…", done as f64 / total as f64 * 100.0))
    }

    /// Database connections a size needs per process: the pool it was given, or with
    /// no limit, the queries in flight by Little's law (rate times query time).
    fn pool(&self, trial: &Trial) -> String {
        if trial.pool > 0 {
            return format!("{} per process", trial.pool);
        }
        let per_process = self.target_rps * self.base.db_ms / 1e3 / f64::from(trial.processes);
        format!("about {:.0} per process in use", per_process.ceil())
    }

    /// The results as a table: one row per server. The ARIA roles restate the table's
    /// own: in a narrow widget its rows are shown as blocks (cards), and WebKit drops a
    /// table's semantics along with its display.
    pub fn html(&self) -> String {
        // What the reader asked about first (p99, memory), so that a narrow column shows
        // it without scrolling. The pool column only means something when requests query
        // a database. Each cell names its column (`data-label`): a phone shows a row as a
        // card of named values. The commands follow the table, as lines to copy: as a
        // column they made the table wider than the article.
        let has_db = self.base.db_ms > 0.0;
        let mut columns = vec!["size", "p99 ms", "memory", "requests/s", "p50 ms"];
        if has_db {
            columns.push("database pool");
        }
        let span = columns.len();
        let rows: String = self
            .searches
            .iter()
            .map(|s| {
                let cells = match &s.outcome {
                    Outcome::Searching => format!("<td role=\"cell\" colspan=\"{span}\">searching…</td>"),
                    Outcome::Fits(t) => {
                        let mut values = vec![
                            html_escape::encode_text(&describe_size(s.candidate, (t.processes, t.threads))).into_owned(),
                            format!("{:.0}", t.p99),
                            megabytes(t.memory_mb),
                            format!("{:.0}", t.throughput),
                            format!("{:.0}", t.p50),
                        ];
                        if has_db {
                            values.push(html_escape::encode_text(&self.pool(t)).into_owned());
                        }
                        let mut cells = String::new();
                        for (column, value) in columns.iter().zip(&values) {
                            cells.push_str(&format!("<td role=\"cell\" data-label=\"{column}\">{value}</td>"));
                        }
                        cells
                    }
                    Outcome::None(why) => format!("<td role=\"cell\" colspan=\"{span}\" class=\"planner-none\">none fits: {}</td>", html_escape::encode_text(why)),
                };
                format!("<tr role=\"row\"><th role=\"rowheader\" scope=\"row\">{}</th>{cells}</tr>", s.candidate.label())
            })
            .collect();
        let mut commands = String::new();
        for s in &self.searches {
            if let Outcome::Fits(t) = &s.outcome {
                let size = describe_size(s.candidate, (t.processes, t.threads));
                let line = format!(
                    "# {}: {size}\n{}\n",
                    s.candidate.label(),
                    s.candidate.command(t.processes, t.threads)
                );
                commands.push_str(&html_escape::encode_text(&line));
            }
        }
        // A phone scrolls the longest line: the block takes the keyboard's focus for that.
        let commands = if commands.is_empty() {
            commands
        } else {
            format!(
                "<pre class=\"planner-commands\" tabindex=\"0\" aria-label=\"The commands that run these sizes\"><code>{}</code></pre>",
                commands.trim_end()
            )
        };
        let mut head = String::new();
        for column in std::iter::once(&"server").chain(&columns) {
            head.push_str(&format!(
                "<th role=\"columnheader\" scope=\"col\">{column}</th>"
            ));
        }
        let pool = if self.base.db_ms > 0.0 && self.base.db_pool > 0 {
            format!(
                " Each process has a pool of {} database connections.",
                self.base.db_pool
            )
        } else {
            String::new()
        };
        let note = self.impossible.as_deref().map_or(String::new(), |why| {
            format!(
                "<p class=\"planner-impossible\">{}</p>",
                html_escape::encode_text(why)
            )
        });
        format!(
            "{note}<p class=\"planner-caption\">The smallest size of each server that serves {:.0} requests a second with a p99 under {:.0} ms, in {} of RAM on {} cores.{pool}</p><div class=\"table-wrap\" role=\"region\" aria-label=\"The planner's sizes\"><table class=\"planner\" role=\"table\">\
             <thead role=\"rowgroup\"><tr role=\"row\">{head}</tr></thead>\
             <tbody role=\"rowgroup\">{rows}</tbody></table></div>{commands}",
            self.target_rps, self.target_p99, megabytes(self.ram_mb), self.base.cores,
        )
    }

    pub fn samples_csv(&self) -> String {
        let mut csv = String::from("server,offered_rps,p99_ms\n");
        for s in &self.searches {
            for (rate, p99) in &s.curve {
                csv.push_str(s.candidate.label());
                csv.push(',');
                csv.push_str(&csv_line(&[*rate, *p99]));
            }
        }
        csv
    }
}

fn describe_size(candidate: Candidate, (processes, threads): (u32, u32)) -> String {
    let count = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match candidate {
        Candidate::Gthread => format!(
            "{} x {}",
            count(processes, "process", "processes"),
            count(threads, "thread", "threads")
        ),
        Candidate::Sync => count(processes, "worker", "workers"),
        _ => count(processes, "process", "processes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(toml: &str, target_rps: f64, target_p99: f64) -> PlannerFigure {
        let scenario = Scenario::parse(toml).unwrap();
        let mut values = WidgetValues::default();
        values.set(Key::TargetRps, target_rps).unwrap();
        values.set(Key::TargetP99Ms, target_p99).unwrap();
        let mut figure = PlannerFigure::new(&scenario, &values, 2_000);
        while figure.work(u64::MAX) > 0 {}
        figure
    }

    #[test]
    fn an_io_bound_api_needs_many_sync_workers_and_one_loop() {
        let figure = plan(
            "cpu_ms = 2\nio_ms = 100\nservice = \"constant\"",
            100.0,
            500.0,
        );
        let fit = |c: Candidate| match &figure
            .searches
            .iter()
            .find(|s| s.candidate == c)
            .unwrap()
            .outcome
        {
            Outcome::Fits(t) => (t.processes, t.threads),
            other => panic!("{c:?}: {other:?}"),
        };
        let (workers, _) = fit(Candidate::Sync);
        assert!(
            (11..=16).contains(&workers),
            "Little's law: about 100 x 0.102 in flight, got {workers}"
        );
        // The smallest: one worker fewer misses a target (the bisection's other side).
        let fewer = figure
            .trial(Candidate::Sync, (workers - 1, 1), 100.0)
            .unwrap();
        assert!(!figure.fits(&fewer), "{} workers fit too", workers - 1);
        assert_eq!(fit(Candidate::Uvicorn), (1, 1));
        assert!(figure.html().contains("gunicorn -w "));
        assert!(figure.status().is_none());
        // The chart's point at the target is the table's p99, not another run's.
        for search in &figure.searches {
            let Outcome::Fits(t) = search.outcome else {
                continue;
            };
            assert!(
                search.curve.contains(&(100.0, t.p99)),
                "{:?}: {:?}",
                search.candidate,
                search.curve
            );
        }
    }

    #[test]
    fn an_impossible_target_is_explained() {
        let figure = plan("cpu_ms = 50\nio_ms = 0", 10_000.0, 1000.0);
        assert!(
            figure.summary().contains("need 500 cores"),
            "{}",
            figure.summary()
        );
    }
}
