//! Range checks on a `Scenario` value, and the rules that involve several keys.

use super::keys::{check_int, check_num};
use super::{Scenario, ScenarioError};

/// In-flight requests an event-loop server may hold at once (tasks over all processes);
/// bounds the memory of the simulation itself.
pub(crate) const MAX_TOTAL_TASKS: u64 = 1_000_000;

pub(crate) fn validate(s: &Scenario) -> Result<(), ScenarioError> {
    if let Some(w) = s.workers {
        check_int("workers", w.into())?;
    }
    check_int("cores", s.cores.into())?;
    if let Some(rate) = s.arrival_rate {
        check_num("arrival_rate", rate)?;
    }
    if let Some(c) = s.clients {
        check_int("clients", c.into())?;
    }
    check_num("think_ms", s.think_ms)?;
    check_num("cpu_ms", s.cpu_ms)?;
    check_num("io_ms", s.io_ms)?;
    check_num("cv", s.cv)?;
    check_int("io_calls", s.io_calls.into())?;
    if let Some(us) = s.switch_us {
        check_num("switch_us", us)?;
    }
    check_int("queue_limit", s.queue_limit.into())?;
    check_num("timeout_ms", s.timeout_ms)?;
    check_int("requests", i64::try_from(s.requests).unwrap_or(i64::MAX))?;
    check_int("warmup", i64::try_from(s.warmup).unwrap_or(i64::MAX))?;
    check_int("seed", i64::try_from(s.seed).unwrap_or(-1))?;
    check_num("blocking_share", s.blocking_share)?;
    if let Some(t) = s.max_tasks {
        check_int("max_tasks", t.into())?;
    }
    check_num("switch_interval_ms", s.switch_interval_ms)?;
    if let Some(mb) = s.process_mb {
        check_num("process_mb", mb)?;
    }
    if let Some(kib) = s.thread_kib {
        check_num("thread_kib", kib)?;
    }
    if let Some(kib) = s.task_kib {
        check_num("task_kib", kib)?;
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
    if s.cpu_ms == 0.0 && s.io_ms == 0.0 {
        return Err(ScenarioError::key(
            "cpu_ms",
            "`cpu_ms` and `io_ms` cannot both be 0: a request must take some time",
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
