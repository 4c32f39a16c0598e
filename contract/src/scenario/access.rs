//! A scenario read and written key by key, through the table of keys: what URL state,
//! embed links, placeholders, presets, controls and the TOML writer all go through, so
//! that each of them knows every key without naming any.

use std::fmt;

use super::{Scenario, ScenarioError, ServerKind, Service};
use crate::key::{Accepts, Key};
use crate::query;

/// One key's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Int(i64),
    Num(f64),
    /// One of a choice key's names.
    Name(&'static str),
}

impl Value {
    /// The value as a number (a name gives NaN).
    pub fn as_f64(self) -> f64 {
        match self {
            Value::Int(i) => i as f64,
            Value::Num(x) => x,
            Value::Name(_) => f64::NAN,
        }
    }

    /// Reads `text` as a value of `key`, checking type and range.
    pub fn parse(key: Key, text: &str) -> Result<Value, ScenarioError> {
        match key.accepts() {
            Accepts::Choice(names) => names
                .iter()
                .find(|n| **n == text)
                .map(|n| Value::Name(n))
                .ok_or_else(|| {
                    key.error(format!(
                        "must be {}, got \"{text}\"",
                        key.accepts().expected()
                    ))
                }),
            Accepts::Int { .. } => match text.trim().parse::<i64>() {
                Ok(i) => Value::Int(i).checked(key),
                Err(_) => Err(key.error(format!(
                    "must be {}, got \"{text}\"",
                    key.accepts().expected()
                ))),
            },
            Accepts::Num { .. } => match text.trim().parse::<f64>() {
                Ok(x) => Value::Num(x).checked(key),
                Err(_) => Err(key.error(format!(
                    "must be {}, got \"{text}\"",
                    key.accepts().expected()
                ))),
            },
        }
    }

    /// This value if `key` accepts it, converted to the key's type.
    pub fn checked(self, key: Key) -> Result<Value, ScenarioError> {
        let wrong = || {
            key.error(format!(
                "must be {}, got {}",
                key.accepts().expected(),
                self.describe()
            ))
        };
        match (key.accepts(), self) {
            (Accepts::Choice(names), Value::Name(n)) if names.contains(&n) => Ok(self),
            (Accepts::Choice(_), _) => Err(wrong()),
            (Accepts::Int { min, max }, Value::Int(i)) => {
                if (min..=max).contains(&i) {
                    Ok(self)
                } else {
                    Err(key.error(format!("must be {}, got {i}", key.accepts().expected())))
                }
            }
            (Accepts::Int { .. }, _) => Err(wrong()),
            (Accepts::Num { .. }, Value::Int(i)) => {
                key.check_number(i as f64)?;
                Ok(Value::Num(i as f64))
            }
            (Accepts::Num { .. }, Value::Num(x)) => {
                key.check_number(x)?;
                Ok(self)
            }
            (Accepts::Num { .. }, Value::Name(_)) => Err(wrong()),
        }
    }

    fn describe(self) -> String {
        match self {
            Value::Int(i) => format!("the integer {i}"),
            Value::Num(x) => format!("the number {x}"),
            Value::Name(n) => format!("the string \"{n}\""),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(i) => write!(f, "{i}"),
            // Rust prints the shortest text that reads back as the same f64.
            Value::Num(x) => write!(f, "{x}"),
            Value::Name(n) => f.write_str(n),
        }
    }
}

impl Scenario {
    /// The value the scenario gives `key`; `None` when it is left to a default that
    /// depends on other keys, or when `key` is not a scenario key.
    pub fn get(&self, key: Key) -> Option<Value> {
        let int = |i: u32| Some(Value::Int(i64::from(i)));
        // Beyond i64 (only a scenario built in code): a number, which the check refuses.
        let big = |i: u64| Some(i64::try_from(i).map_or(Value::Num(i as f64), Value::Int));
        let num = |x: f64| Some(Value::Num(x));
        match key {
            Key::Server => Some(Value::Name(self.server.name())),
            Key::Workers => self.workers.and_then(int),
            Key::Threads => self.threads.and_then(int),
            Key::Cores => int(self.cores),
            Key::ArrivalRate => self.arrival_rate.and_then(num),
            Key::Clients => self.clients.and_then(int),
            Key::ThinkMs => num(self.think_ms),
            Key::CpuMs => num(self.cpu_ms),
            Key::IoMs => num(self.io_ms),
            Key::Service => Some(Value::Name(self.service.name())),
            Key::Cv => num(self.cv),
            Key::IoCalls => int(self.io_calls),
            Key::SwitchUs => self.switch_us.and_then(num),
            Key::OverheadUs => self.overhead_us.and_then(num),
            Key::ColocatedCpuMs => num(self.colocated_cpu_ms),
            Key::HeavyShare => num(self.heavy_share),
            Key::HeavyCpuMs => self.heavy_cpu_ms.and_then(num),
            Key::DbMs => num(self.db_ms),
            Key::DbCalls => int(self.db_calls),
            Key::DbPool => int(self.db_pool),
            Key::DbConnections => int(self.db_connections),
            Key::DbPoolQueue => Some(Value::Name(self.db_pool_queue.name())),
            Key::DbReleaseMs => num(self.db_release_ms),
            Key::QueueLimit => int(self.queue_limit),
            Key::BusiestShare => num(self.busiest_share),
            Key::TimeoutMs => num(self.timeout_ms),
            Key::Abandon => Some(Value::Name(self.abandon.name())),
            Key::LimitConcurrency => int(self.limit_concurrency),
            Key::Retries => int(self.retries),
            Key::Requests => big(self.requests),
            Key::Warmup => big(self.warmup),
            Key::Seed => big(self.seed),
            Key::BlockingShare => num(self.blocking_share),
            Key::MaxTasks => self.max_tasks.and_then(int),
            Key::SwitchIntervalMs => num(self.switch_interval_ms),
            Key::ProcessMb => self.process_mb.and_then(num),
            Key::ThreadKib => self.thread_kib.and_then(num),
            Key::TaskKib => self.task_kib.and_then(num),
            Key::Loops | Key::BudgetMb | Key::TargetRps | Key::TargetP99Ms | Key::RamMb => None,
        }
    }

    /// The number in effect for a numeric scenario key, after the defaults that
    /// depend on other keys (what a control shows); `None` for choices, widget keys and
    /// the load key of the other kind of workload.
    pub fn number(&self, key: Key) -> Option<f64> {
        let effective = match key {
            Key::Workers => Some(f64::from(self.effective_workers())),
            Key::Threads => Some(f64::from(self.effective_threads())),
            Key::OverheadUs => Some(self.effective_overhead_us()),
            Key::HeavyCpuMs => Some(self.effective_heavy_cpu_ms()),
            Key::Clients => match self.workload() {
                super::Workload::Closed { clients } => Some(f64::from(clients)),
                super::Workload::Open { .. } => None,
            },
            Key::SwitchUs => Some(self.effective_switch_us()),
            Key::MaxTasks => Some(f64::from(self.effective_max_tasks())),
            Key::ProcessMb => Some(self.effective_process_mb()),
            Key::ThreadKib => Some(self.effective_thread_kib()),
            Key::TaskKib => Some(self.effective_task_kib()),
            _ => None,
        };
        effective.or_else(|| match self.get(key)? {
            Value::Name(_) => None,
            value => Some(value.as_f64()),
        })
    }

    /// Whether `key` matters to this scenario: a control for it would change something.
    /// `threads` is for the threaded server, the pool and database limits need a
    /// database, `heavy_cpu_ms` heavy requests, `abandon` a timeout, `blocking_share`
    /// and `limit_concurrency` an event loop. (Setting some of them where they do not
    /// apply is an error; the others are ignored.)
    pub fn applies(&self, key: Key) -> bool {
        match key {
            Key::Threads => self.server == ServerKind::Threads,
            Key::DbPool | Key::DbConnections | Key::DbCalls | Key::DbReleaseMs => self.db_ms > 0.0,
            Key::DbPoolQueue => self.pool_queue_matters(),
            Key::HeavyCpuMs => self.heavy_share > 0.0,
            Key::Abandon => self.timeout_ms > 0.0,
            Key::BusiestShare => self.keeps_connections(),
            Key::BlockingShare | Key::LimitConcurrency | Key::MaxTasks => {
                self.server.is_event_loop()
            }
            Key::SwitchIntervalMs | Key::ThreadKib => self.server == ServerKind::Threads,
            Key::TaskKib => self.server.is_event_loop(),
            Key::Cv => self.service == Service::Lognormal,
            _ => true,
        }
    }

    /// Puts a key that only matters to some scenarios (those [`Scenario::applies`]
    /// answers for) back to its default; false for any other key.
    pub fn reset(&mut self, key: Key) -> bool {
        let d = Scenario::default();
        match key {
            Key::Threads => self.threads = d.threads,
            Key::DbPool => self.db_pool = d.db_pool,
            Key::DbConnections => self.db_connections = d.db_connections,
            Key::DbCalls => self.db_calls = d.db_calls,
            Key::DbReleaseMs => self.db_release_ms = d.db_release_ms,
            Key::DbPoolQueue => self.db_pool_queue = d.db_pool_queue,
            Key::HeavyCpuMs => self.heavy_cpu_ms = d.heavy_cpu_ms,
            Key::Abandon => self.abandon = d.abandon,
            Key::BusiestShare => self.busiest_share = d.busiest_share,
            Key::BlockingShare => self.blocking_share = d.blocking_share,
            Key::LimitConcurrency => self.limit_concurrency = d.limit_concurrency,
            Key::MaxTasks => self.max_tasks = d.max_tasks,
            Key::SwitchIntervalMs => self.switch_interval_ms = d.switch_interval_ms,
            Key::ThreadKib => self.thread_kib = d.thread_kib,
            Key::TaskKib => self.task_kib = d.task_kib,
            Key::Cv => self.cv = d.cv,
            _ => return false,
        }
        true
    }

    /// Sets a scenario key after checking its type and range. Rules that involve
    /// several keys are [`Scenario::validate`]'s. Setting one workload key clears the
    /// other, so that a control can switch between open and closed load.
    pub fn set(&mut self, key: Key, value: Value) -> Result<(), ScenarioError> {
        let value = value.checked(key)?;
        // `checked` made ints of integer keys and numbers of number keys, in range.
        let int = value.as_f64() as i64;
        let small = int as u32;
        let x = value.as_f64();
        let name = match value {
            Value::Name(n) => n,
            _ => "",
        };
        match key {
            Key::Server => self.server = ServerKind::from_name(name).unwrap_or_default(),
            Key::Workers => self.workers = Some(small),
            Key::Threads => self.threads = Some(small),
            Key::Cores => self.cores = small,
            Key::ArrivalRate => {
                self.arrival_rate = Some(x);
                self.clients = None;
            }
            Key::Clients => {
                self.clients = Some(small);
                self.arrival_rate = None;
            }
            Key::ThinkMs => self.think_ms = x,
            Key::CpuMs => self.cpu_ms = x,
            Key::IoMs => self.io_ms = x,
            Key::Service => self.service = Service::from_name(name).unwrap_or_default(),
            Key::Cv => self.cv = x,
            Key::IoCalls => self.io_calls = small,
            Key::SwitchUs => self.switch_us = Some(x),
            Key::OverheadUs => self.overhead_us = Some(x),
            Key::ColocatedCpuMs => self.colocated_cpu_ms = x,
            Key::HeavyShare => self.heavy_share = x,
            Key::HeavyCpuMs => self.heavy_cpu_ms = Some(x),
            Key::DbMs => self.db_ms = x,
            Key::DbCalls => self.db_calls = small,
            Key::DbPool => self.db_pool = small,
            Key::DbConnections => self.db_connections = small,
            Key::DbPoolQueue => {
                self.db_pool_queue = super::PoolQueue::from_name(name).unwrap_or_default()
            }
            Key::DbReleaseMs => self.db_release_ms = x,
            Key::QueueLimit => self.queue_limit = small,
            Key::BusiestShare => self.busiest_share = x,
            Key::TimeoutMs => self.timeout_ms = x,
            Key::Abandon => self.abandon = super::Abandon::from_name(name).unwrap_or_default(),
            Key::LimitConcurrency => self.limit_concurrency = small,
            Key::Retries => self.retries = small,
            Key::Requests => self.requests = exact(value),
            Key::Warmup => self.warmup = exact(value),
            Key::Seed => self.seed = exact(value),
            Key::BlockingShare => self.blocking_share = x,
            Key::MaxTasks => self.max_tasks = Some(small),
            Key::SwitchIntervalMs => self.switch_interval_ms = x,
            Key::ProcessMb => self.process_mb = Some(x),
            Key::ThreadKib => self.thread_kib = Some(x),
            Key::TaskKib => self.task_kib = Some(x),
            Key::Loops | Key::BudgetMb | Key::TargetRps | Key::TargetP99Ms | Key::RamMb => {
                return Err(key.error("is a widget setting, not part of the scenario"))
            }
        }
        Ok(())
    }

    /// The keys this scenario sets apart from [`Scenario::default`], in the table's
    /// order: enough to rebuild it exactly.
    pub fn given(&self) -> Vec<(Key, Value)> {
        let default = Scenario::default();
        Key::scenario_keys()
            .filter_map(|key| {
                let value = self.get(key)?;
                (default.get(key) != Some(value)).then_some((key, value))
            })
            .collect()
    }

    /// The scenario as a query string (`workers=4&clients=20`): the form it takes in
    /// placeholders, embed links and URLs.
    pub fn to_query(&self) -> String {
        query::encode(
            self.given()
                .iter()
                .map(|(key, value)| (key.name(), value.to_string())),
        )
    }

    /// Reads a query string written by [`Scenario::to_query`], strictly: unknown keys
    /// and bad values are errors.
    pub fn from_query(text: &str) -> Result<Scenario, ScenarioError> {
        let pairs = query::decode(text);
        super::check_workload_keys(pairs.iter().map(|(name, _)| name.as_str()))?;
        let mut scenario = Scenario::default();
        for (name, value) in pairs {
            let key = Key::from_name(&name)
                .filter(|k| k.is_scenario())
                .ok_or_else(|| ScenarioError::key(&name, "unknown key"))?;
            scenario.set(key, Value::parse(key, &value)?)?;
        }
        scenario.validate()?;
        Ok(scenario)
    }

    /// The scenario as TOML that `simulate` reads back as the same scenario.
    pub fn to_toml(&self) -> String {
        self.given()
            .iter()
            .map(|(key, value)| match value {
                Value::Name(n) => format!("{} = \"{n}\"\n", key.name()),
                Value::Num(x) if x.fract() == 0.0 => format!("{} = {x:.1}\n", key.name()),
                other => format!("{} = {other}\n", key.name()),
            })
            .collect()
    }
}

/// An integer key's value as u64 (`checked` made it a non-negative integer).
fn exact(value: Value) -> u64 {
    match value {
        Value::Int(i) => u64::try_from(i).unwrap_or(0),
        other => other.as_f64() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_survives_the_query_string_exactly() {
        let mut s = Scenario::default();
        s.set(Key::Server, Value::Name("asyncio")).unwrap();
        s.set(Key::ArrivalRate, Value::Num(33.3)).unwrap();
        s.set(Key::CpuMs, Value::Num(0.1 + 0.2)).unwrap();
        s.set(Key::Seed, Value::Int(i64::MAX)).unwrap();
        s.set(Key::Service, Value::Name("lognormal")).unwrap();
        let text = s.to_query();
        assert_eq!(Scenario::from_query(&text).unwrap(), s, "{text}");
        assert!(text.contains("seed=9223372036854775807"), "{text}");
    }

    #[test]
    fn only_what_differs_from_the_defaults_is_written() {
        let mut s = Scenario::default();
        assert_eq!(s.to_query(), "");
        s.set(Key::Workers, Value::Int(4)).unwrap();
        assert_eq!(s.to_query(), "workers=4", "an Option given is kept");
        assert_eq!(s.to_toml(), "workers = 4\n");
        s.set(Key::CpuMs, Value::Int(7)).unwrap();
        assert_eq!(s.to_toml(), "workers = 4\ncpu_ms = 7.0\n");
    }

    #[test]
    fn values_are_checked_on_the_way_in() {
        let mut s = Scenario::default();
        let err = s.set(Key::Workers, Value::Num(2.5)).unwrap_err();
        assert!(err.to_string().contains("got the number 2.5"), "{err}");
        assert!(Value::parse(Key::Server, "tornado").is_err());
        assert!(Value::parse(Key::CpuMs, "lots").is_err());
        assert!(Scenario::from_query("wrokers=3").is_err());
        assert!(Scenario::from_query("budget_mb=100").is_err());
    }

    #[test]
    fn the_workload_keys_exclude_each_other() {
        let mut s = Scenario::default();
        s.set(Key::ArrivalRate, Value::Num(5.0)).unwrap();
        s.set(Key::Clients, Value::Int(3)).unwrap();
        assert_eq!(s.arrival_rate, None);
        assert_eq!(s.number(Key::ArrivalRate), None);
        assert_eq!(s.number(Key::Clients), Some(3.0));
    }
}
