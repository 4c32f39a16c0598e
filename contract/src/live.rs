//! Live values: the numbers a widget computes as it runs (throughput, p99, ...) and its
//! settings, by the names authors use in captions (`{sync.throughput}`), in challenges'
//! conditions and as `predict` targets. Which names a widget offers is
//! [`crate::WidgetKind::accepts`]'s.

use std::fmt;

use crate::key::Key;

/// A measure of a running server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Requests finished per second, over the last seconds.
    Throughput,
    /// Latency percentiles, ms.
    P50,
    P99,
    /// The p99 of the requests that are not heavy (`heavy_share`), ms.
    LightP99,
    /// Requests waiting (backlog, GIL, ready queues).
    Queue,
    /// Requests held by the server: busy workers, or tasks.
    Busy,
    /// Share of the cores in use, %.
    Cpu,
    /// Requests refused so far.
    Refused,
    /// Server memory now, MB.
    Memory,
    /// Cores the server can use (compare: each side's).
    Cores,
}

impl Metric {
    pub const ALL: [Metric; 10] = [
        Metric::Throughput,
        Metric::P50,
        Metric::P99,
        Metric::LightP99,
        Metric::Queue,
        Metric::Busy,
        Metric::Cpu,
        Metric::Refused,
        Metric::Memory,
        Metric::Cores,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::Throughput => "throughput",
            Metric::P50 => "p50",
            Metric::P99 => "p99",
            Metric::LightP99 => "light_p99",
            Metric::Queue => "queue",
            Metric::Busy => "busy",
            Metric::Cpu => "cpu",
            Metric::Refused => "refused",
            Metric::Memory => "memory",
            Metric::Cores => "cores",
        }
    }

    fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The unit after a value in prose.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::Throughput => "requests/s",
            Metric::P50 | Metric::P99 | Metric::LightP99 => "ms",
            Metric::Cpu => "%",
            Metric::Memory => "MB",
            _ => "",
        }
    }
}

/// The two servers of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Sync,
    Async,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Sync => "sync",
            Side::Async => "async",
        }
    }
}

/// Ways of holding a connection, for the `memory` widget's `fit.NAME` values.
pub const FITS: [&str; 4] = ["processes", "threads", "tasks", "greenlets"];
/// Server kinds whose switching the `context-switch` widget measures (`share.NAME`).
pub const SHARES: [&str; 4] = ["threads", "asyncio", "uvloop", "gevent"];

/// One named live value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LiveValue {
    /// A server widget's measure: `throughput`.
    Server(Metric),
    /// One side of `compare`: `sync.p99`.
    Of(Side, Metric),
    /// `compare`'s load sweep: the concurrency from which the loop serves more.
    Crossover,
    /// `memory`: connections that fit the budget, by way of holding them (index into
    /// [`FITS`]).
    Fit(usize),
    /// `context-switch`: % of the CPU spent switching (index into [`SHARES`]).
    Share(usize),
    /// A setting: `{workers}`.
    Setting(Key),
}

impl LiveValue {
    /// Reads a name as written in a caption or condition. Whether the widget offers it
    /// is checked separately.
    pub fn parse(name: &str) -> Option<LiveValue> {
        let name = name.trim();
        if name == "crossover" {
            return Some(LiveValue::Crossover);
        }
        if let Some((prefix, rest)) = name.split_once('.') {
            return match prefix {
                "sync" => Metric::from_name(rest).map(|m| LiveValue::Of(Side::Sync, m)),
                "async" => Metric::from_name(rest).map(|m| LiveValue::Of(Side::Async, m)),
                "fit" => FITS.iter().position(|f| *f == rest).map(LiveValue::Fit),
                "share" => SHARES.iter().position(|s| *s == rest).map(LiveValue::Share),
                _ => None,
            };
        }
        Metric::from_name(name)
            .map(LiveValue::Server)
            .or_else(|| Key::from_name(name).map(LiveValue::Setting))
    }

    /// What it is, in words, for a question to the reader: "the event loops'
    /// throughput, in requests per second".
    pub fn describe(self) -> String {
        let measure = |m: Metric| match m {
            Metric::Throughput => "throughput, in requests per second",
            Metric::P50 => "median latency (p50), in ms",
            Metric::P99 => "99th percentile latency (p99), in ms",
            Metric::LightP99 => "99th percentile latency of the light requests, in ms",
            Metric::Queue => "number of requests waiting",
            Metric::Busy => "number of requests being served",
            Metric::Cpu => "CPU use, in % of the cores",
            Metric::Refused => "number of refused requests",
            Metric::Memory => "memory, in MB",
            Metric::Cores => "number of cores used",
        };
        match self {
            LiveValue::Server(m) => format!("the server's {}", measure(m)),
            LiveValue::Of(Side::Sync, m) => format!("the sync pool's {}", measure(m)),
            LiveValue::Of(Side::Async, m) => format!("the event loops' {}", measure(m)),
            LiveValue::Crossover => {
                "the number of concurrent clients from which the event loops serve more".into()
            }
            LiveValue::Fit(i) => format!("the number of connections that fit as {}", FITS[i]),
            LiveValue::Share(i) => {
                format!("the share of CPU time {} spend switching, in %", SHARES[i])
            }
            LiveValue::Setting(key) => format!("the setting {}", key.name()),
        }
    }

    /// How the value reads in prose: `38`, `0.25`, `1,200`.
    pub fn format(self, value: f64) -> String {
        if !value.is_finite() {
            return "–".to_string();
        }
        match self {
            LiveValue::Crossover if value <= 0.0 => "never".to_string(),
            _ => format_number(value),
        }
    }
}

impl fmt::Display for LiveValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiveValue::Server(m) => f.write_str(m.name()),
            LiveValue::Of(side, m) => write!(f, "{}.{}", side.name(), m.name()),
            LiveValue::Crossover => f.write_str("crossover"),
            LiveValue::Fit(i) => write!(f, "fit.{}", FITS[*i]),
            LiveValue::Share(i) => write!(f, "share.{}", SHARES[*i]),
            LiveValue::Setting(key) => f.write_str(key.name()),
        }
    }
}

/// A number for prose: whole numbers with thousands separators from 10 up, one or two
/// decimals below.
pub fn format_number(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 10.0 || value.fract() == 0.0 {
        let whole = format!("{:.0}", magnitude);
        let mut grouped = String::new();
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        if value < 0.0 {
            grouped.insert(0, '-');
        }
        grouped
    } else if magnitude >= 1.0 {
        format!("{value:.1}")
    } else {
        // Two significant digits, so that 0.004 and 0.006 (a share of heavy requests)
        // read differently.
        let decimals = (1.0 - magnitude.log10().floor()).clamp(2.0, 6.0) as usize;
        let text = format!("{value:.decimals$}");
        if decimals > 2 {
            text.trim_end_matches('0').to_string()
        } else {
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for name in [
            "throughput",
            "sync.p99",
            "async.cores",
            "crossover",
            "fit.tasks",
            "share.uvloop",
            "workers",
            "budget_mb",
        ] {
            let value = LiveValue::parse(name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(value.to_string(), name);
        }
        for bad in ["thruput", "sync.fast", "fit.cows", "", "a.b.c"] {
            assert_eq!(LiveValue::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(format_number(38.2), "38");
        assert_eq!(format_number(3_812_000.0), "3,812,000");
        assert_eq!(format_number(2.46), "2.5");
        assert_eq!(format_number(0.256), "0.26");
        assert_eq!(format_number(0.004), "0.004");
        assert_eq!(format_number(0.0125), "0.013");
        assert_eq!(format_number(4.0), "4");
        assert_eq!(LiveValue::Crossover.format(0.0), "never");
    }
}
