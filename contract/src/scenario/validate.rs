//! Range checks on a `Scenario` value, and the rules that involve several keys.

use super::{PoolQueue, Scenario, ScenarioError, ServerKind};
use crate::key::Key;

/// In-flight requests an event-loop server may hold at once (tasks over all processes);
/// bounds the memory of the simulation itself.
pub(crate) const MAX_TOTAL_TASKS: u64 = 1_000_000;
/// Threads a `threads` server may have over all its processes.
pub(crate) const MAX_TOTAL_THREADS: u64 = 100_000;

pub(crate) fn validate(s: &Scenario) -> Result<(), ScenarioError> {
    for key in Key::scenario_keys() {
        if let Some(value) = s.get(key) {
            value.checked(key)?;
        }
    }
    combinations(s)
}

fn combinations(s: &Scenario) -> Result<(), ScenarioError> {
    if s.arrival_rate.is_some() && s.clients.is_some() {
        return Err(ScenarioError::key(
            "clients",
            "give `arrival_rate` (an open workload) or `clients` (a closed one), not both",
        ));
    }
    if s.cpu_ms == 0.0 && s.io_ms == 0.0 && s.db_ms == 0.0 {
        return Err(ScenarioError::key(
            "cpu_ms",
            "`cpu_ms`, `io_ms` and `db_ms` cannot all be 0: a request must take some time",
        ));
    }
    if s.io_calls == 0 && s.io_ms > 0.0 {
        return Err(ScenarioError::key(
            "io_ms",
            format!(
                "must be 0 when `io_calls` is 0 (there is no I/O wait to spend it in), got {}",
                s.io_ms
            ),
        ));
    }
    if s.threads.is_some() && s.server != ServerKind::Threads {
        return Err(ScenarioError::key(
            "threads",
            format!(
                "`threads` is for `server = \"threads\"` (threads per process), not `{}`",
                s.server.name()
            ),
        ));
    }
    let threads = u64::from(s.effective_workers()) * u64::from(s.effective_threads());
    if threads > MAX_TOTAL_THREADS {
        return Err(ScenarioError::key(
            "threads",
            format!(
                "`workers` x `threads` must be at most {MAX_TOTAL_THREADS}, got {} x {} = {threads}",
                s.effective_workers(),
                s.effective_threads()
            ),
        ));
    }
    if s.db_ms == 0.0 {
        for (key, value) in [("db_pool", s.db_pool), ("db_connections", s.db_connections)] {
            if value > 0 {
                return Err(ScenarioError::key(
                    key,
                    format!("`{key}` limits database connections, but `db_ms` is 0: set `db_ms` (the database time per request) too"),
                ));
            }
        }
    }
    if s.db_ms == 0.0 && s.db_release_ms > 0.0 {
        return Err(ScenarioError::key(
            "db_release_ms",
            "`db_release_ms` is a round trip made when a query's connection goes back, but `db_ms` is 0 (no queries): set `db_ms` too",
        ));
    }
    // Sync servers ignore `barging`, as they ignore `blocking_share`: their drivers hand
    // a connection over directly, and a comparison switches the server under a scenario.
    if s.db_pool_queue == PoolQueue::Barging && s.db_pool == 0 {
        return Err(ScenarioError::key(
            "db_pool_queue",
            "`barging` is about who gets a freed pool connection, but `db_pool` is 0 (no pool limit, so nobody waits): set `db_pool` too",
        ));
    }
    if s.busiest_share > 0.0 {
        if s.clients.is_none() {
            return Err(ScenarioError::key(
                "busiest_share",
                "`busiest_share` spreads closed clients' connections over the processes, but the workload is open (`arrival_rate`): set `clients` instead",
            ));
        }
        let least = 1.0 / f64::from(s.processes());
        if s.keeps_connections() && s.busiest_share < least - 1e-9 {
            return Err(ScenarioError::key(
                "busiest_share",
                format!(
                    "with {} processes the busiest holds at least 1/{} of the connections: `busiest_share` must be 0 or in {least:.3}..=1, got {}",
                    s.processes(),
                    s.processes(),
                    s.busiest_share
                ),
            ));
        }
    }
    if s.heavy_cpu_ms.is_some() && s.heavy_share == 0.0 {
        return Err(ScenarioError::key(
            "heavy_cpu_ms",
            "`heavy_cpu_ms` is the CPU of heavy requests, but `heavy_share` is 0: set `heavy_share` (the share of heavy requests) too",
        ));
    }
    if s.server.is_event_loop() {
        let total = u64::from(s.effective_workers()) * u64::from(s.effective_max_tasks());
        if total > MAX_TOTAL_TASKS {
            return Err(ScenarioError::key(
                "max_tasks",
                format!(
                    "`workers` x `max_tasks` must be at most {MAX_TOTAL_TASKS}, got {} x {} = {total}",
                    s.effective_workers(),
                    s.effective_max_tasks()
                ),
            ));
        }
    }
    Ok(())
}

impl Scenario {
    /// Lowers a `max_tasks` the block set so that an event-loop server's tasks over all
    /// its processes stay within the model's limit, after a change of processes or of
    /// server kind; returns the new value when it had to change. (The default gives way
    /// by itself.) A reader who adds processes meant more processes, not a refusal over
    /// a key no control shows.
    pub fn fit_tasks(&mut self) -> Option<u32> {
        if !self.server.is_event_loop() {
            return None;
        }
        let room = MAX_TOTAL_TASKS / u64::from(self.effective_workers().max(1));
        let fitted = u32::try_from(room).unwrap_or(u32::MAX);
        (self.effective_max_tasks() > fitted).then(|| {
            self.max_tasks = Some(fitted);
            fitted
        })
    }
}

/// A file or block that names both workload keys: one of them would silently win.
pub fn check_workload_keys<'a>(
    mut names: impl Iterator<Item = &'a str>,
) -> Result<(), ScenarioError> {
    let (mut open, mut closed) = (false, false);
    for name in names.by_ref() {
        open |= name == "arrival_rate";
        closed |= name == "clients";
    }
    if open && closed {
        return Err(ScenarioError::key(
            "clients",
            "give `arrival_rate` (an open workload) or `clients` (a closed one), not both",
        ));
    }
    Ok(())
}
