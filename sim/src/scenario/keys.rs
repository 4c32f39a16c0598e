//! Every key with its type and range: the single source of the valid values, used both
//! on the raw TOML table (before serde sees it, so that errors name the key) and on a
//! `Scenario` built in code.

use super::ScenarioError;

/// What a key accepts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Spec {
    /// An integer in `min..=max`.
    Int { min: i64, max: i64 },
    /// A number (integer or float) in the range; `open_min` excludes `min` itself.
    Num { min: f64, max: f64, open_min: bool },
    /// One of these strings.
    Choice(&'static [&'static str]),
}

const fn int(min: i64, max: i64) -> Spec {
    Spec::Int { min, max }
}
const fn num(min: f64, max: f64) -> Spec {
    Spec::Num {
        min,
        max,
        open_min: false,
    }
}
const fn positive(max: f64) -> Spec {
    Spec::Num {
        min: 0.0,
        max,
        open_min: true,
    }
}

/// Key, spec. The ranges keep every accepted scenario finite and bounded in memory:
/// at most 100 000 clients, a backlog of at most a million, and so on.
pub(crate) const SPECS: &[(&str, Spec)] = &[
    (
        "server",
        Spec::Choice(&["processes", "threads", "asyncio", "uvloop", "gevent"]),
    ),
    ("workers", int(1, 4096)),
    ("cores", int(1, 256)),
    // At least one arrival in 1000 s keeps simulated time small enough for f64 to
    // resolve microseconds over the longest run.
    ("arrival_rate", num(0.001, 1_000_000.0)),
    ("clients", int(1, 100_000)),
    ("think_ms", num(0.0, 3_600_000.0)),
    ("cpu_ms", num(0.0, 600_000.0)),
    ("io_ms", num(0.0, 600_000.0)),
    (
        "service",
        Spec::Choice(&["exponential", "constant", "lognormal"]),
    ),
    ("cv", positive(10.0)),
    ("io_calls", int(0, 100)),
    ("switch_us", num(0.0, 10_000.0)),
    ("queue_limit", int(0, 1_000_000)),
    ("timeout_ms", num(0.0, 86_400_000.0)),
    ("requests", int(1, 100_000_000)),
    ("warmup", int(0, 10_000_000)),
    ("seed", int(0, i64::MAX)),
    ("blocking_share", num(0.0, 1.0)),
    ("max_tasks", int(1, 100_000)),
    // Below 0.1 ms a long CPU burst would be cut into millions of slices.
    ("switch_interval_ms", num(0.1, 1_000.0)),
    ("process_mb", num(0.0, 100_000.0)),
    ("thread_kib", num(0.0, 1_000_000.0)),
    ("task_kib", num(0.0, 1_000_000.0)),
];

/// The key names of [`SPECS`], in the same order (a test checks they agree).
pub(crate) const KEYS: &[&str] = &[
    "server",
    "workers",
    "cores",
    "arrival_rate",
    "clients",
    "think_ms",
    "cpu_ms",
    "io_ms",
    "service",
    "cv",
    "io_calls",
    "switch_us",
    "queue_limit",
    "timeout_ms",
    "requests",
    "warmup",
    "seed",
    "blocking_share",
    "max_tasks",
    "switch_interval_ms",
    "process_mb",
    "thread_kib",
    "task_kib",
];

pub(crate) fn spec(key: &str) -> Spec {
    SPECS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, s)| *s)
        .expect("every field has a spec")
}

/// "an integer from 1 to 4096", "a number from 0 to 1", "one of ...".
pub(crate) fn expected(spec: Spec) -> String {
    match spec {
        Spec::Int { min, max } => format!("an integer from {min} to {max}"),
        Spec::Num {
            min,
            max,
            open_min: false,
        } => format!("a number from {min} to {max}"),
        Spec::Num {
            min,
            max,
            open_min: true,
        } => format!("a number greater than {min} and at most {max}"),
        Spec::Choice(names) => {
            let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
            format!("one of {}", quoted.join(", "))
        }
    }
}

pub(crate) fn check_int(key: &str, value: i64) -> Result<(), ScenarioError> {
    let spec = spec(key);
    match spec {
        Spec::Int { min, max } if (min..=max).contains(&value) => Ok(()),
        _ => Err(ScenarioError::key(
            key,
            format!("must be {}, got {value}", expected(spec)),
        )),
    }
}

pub(crate) fn check_num(key: &str, value: f64) -> Result<(), ScenarioError> {
    let spec = spec(key);
    let ok = match spec {
        Spec::Num { min, max, open_min } => {
            // Written so that NaN fails every comparison and is refused.
            (if open_min { value > min } else { value >= min }) && value <= max
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ScenarioError::key(
            key,
            format!("must be {}, got {value}", expected(spec)),
        ))
    }
}

/// Checks names, types and ranges of a raw table, so that every error names its key.
pub(crate) fn check_table(table: &toml::Table) -> Result<(), ScenarioError> {
    for (key, value) in table {
        let Some(&(_, spec)) = SPECS.iter().find(|(k, _)| k == key) else {
            return Err(ScenarioError::key(
                key,
                format!("unknown key; valid keys are {}", KEYS.join(", ")),
            ));
        };
        let wrong_type = || {
            ScenarioError::key(
                key,
                format!("must be {}, got {}", expected(spec), describe(value)),
            )
        };
        match (spec, value) {
            (Spec::Int { .. }, toml::Value::Integer(i)) => check_int(key, *i)?,
            (Spec::Num { .. }, toml::Value::Integer(i)) => check_num(key, *i as f64)?,
            (Spec::Num { .. }, toml::Value::Float(f)) => check_num(key, *f)?,
            (Spec::Choice(names), toml::Value::String(s)) if names.contains(&s.as_str()) => {}
            _ => return Err(wrong_type()),
        }
    }
    Ok(())
}

/// A value as the error message shows it: its TOML type and the value.
fn describe(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("the string \"{s}\""),
        toml::Value::Integer(i) => format!("the integer {i}"),
        toml::Value::Float(f) => format!("the number {f}"),
        toml::Value::Boolean(b) => format!("the boolean {b}"),
        toml::Value::Datetime(d) => format!("the date {d}"),
        toml::Value::Array(_) => "an array".to_string(),
        toml::Value::Table(_) => "a table".to_string(),
    }
}
