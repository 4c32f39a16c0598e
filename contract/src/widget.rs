//! The widgets: their names, the controls each offers, the server kinds it lets the
//! reader pick, its own keys, its presets and the live values it computes. One table
//! row per widget; the site and the bundle both read it.

use crate::key::Key;
use crate::live::{LiveValue, Metric};
use crate::preset::Preset;
use crate::ServerKind;

/// A widget the bundle can mount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WidgetKind {
    SyncServer,
    AsyncServer,
    Greenlet,
    Compare,
    ContextSwitch,
    Memory,
    Planner,
}

/// One widget's row.
pub struct WidgetSpec {
    pub kind: WidgetKind,
    pub name: &'static str,
    /// What it shows, for its embed page's description.
    pub about: crate::key::Doc,
    /// Every control it offers, in the order shown. A block's `controls` picks some of
    /// them; the rest go under "More settings".
    pub controls: &'static [Key],
    /// The server kinds the reader may pick (empty: no choice).
    pub servers: &'static [ServerKind],
    /// Keys of its own, beside the scenario's.
    pub widget_keys: &'static [Key],
    pub presets: &'static [Preset],
    /// Which live values it computes, besides its settings.
    pub live: fn(LiveValue) -> bool,
}

const COMPARE_CONTROLS: [Key; 15] = [
    Key::Workers,
    Key::Loops,
    Key::Clients,
    Key::ArrivalRate,
    Key::CpuMs,
    Key::IoMs,
    Key::Cores,
    Key::HeavyShare,
    Key::HeavyCpuMs,
    Key::DbMs,
    Key::DbPool,
    Key::DbConnections,
    Key::TimeoutMs,
    Key::Service,
    Key::Threads,
];

fn server_values(value: LiveValue) -> bool {
    matches!(value, LiveValue::Server(m) if m != Metric::Cores)
}

pub static WIDGETS: &[WidgetSpec] = &[
    WidgetSpec {
        kind: WidgetKind::SyncServer,
        name: "sync-server",
        about: crate::key::doc("clients, the backlog and a pool of worker processes or threads, live"),
        controls: &[
            Key::Server,
            Key::Workers,
            Key::Clients,
            Key::ArrivalRate,
            Key::CpuMs,
            Key::IoMs,
            Key::Cores,
            Key::Threads,
            Key::QueueLimit,
            Key::TimeoutMs,
            Key::Abandon,
            Key::DbMs,
            Key::DbPool,
            Key::DbConnections,
            Key::HeavyShare,
            Key::Service,
        ],
        servers: &[ServerKind::Processes, ServerKind::Threads],
        widget_keys: &[],
        presets: crate::preset::SYNC_SERVER,
        live: server_values,
    },
    WidgetSpec {
        kind: WidgetKind::AsyncServer,
        name: "async-server",
        about: crate::key::doc("one event loop with its ready queue and the tasks waiting on I/O, live"),
        controls: &[
            Key::Server,
            Key::Workers,
            Key::Clients,
            Key::ArrivalRate,
            Key::CpuMs,
            Key::IoMs,
            Key::Cores,
            Key::BlockingShare,
            Key::LimitConcurrency,
            Key::TimeoutMs,
            Key::DbMs,
            Key::DbPool,
            Key::DbConnections,
            Key::HeavyShare,
            Key::Service,
        ],
        servers: &[ServerKind::Asyncio, ServerKind::Uvloop],
        widget_keys: &[],
        presets: crate::preset::ASYNC_SERVER,
        live: server_values,
    },
    WidgetSpec {
        kind: WidgetKind::Greenlet,
        name: "greenlet",
        about: crate::key::doc("plain blocking code under gevent, beside the same code with async and await"),
        controls: &[
            Key::Clients,
            Key::ArrivalRate,
            Key::CpuMs,
            Key::IoMs,
            Key::BlockingShare,
            Key::DbMs,
            Key::DbPool,
        ],
        servers: &[],
        widget_keys: &[],
        presets: crate::preset::GREENLET,
        live: server_values,
    },
    WidgetSpec {
        kind: WidgetKind::Compare,
        name: "compare",
        about: crate::key::doc("one workload fed to a sync pool and an event loop side by side, with a load sweep"),
        controls: &COMPARE_CONTROLS,
        servers: &[],
        widget_keys: &[Key::Loops],
        presets: crate::preset::COMPARE,
        live: |value| {
            matches!(value, LiveValue::Of(_, m) if m != Metric::Busy)
                || value == LiveValue::Crossover
        },
    },
    WidgetSpec {
        kind: WidgetKind::ContextSwitch,
        name: "context-switch",
        about: crate::key::doc(
            "what a context switch costs per server kind, and how much of the CPU switching eats",
        ),
        controls: &[Key::CpuMs, Key::IoMs, Key::IoCalls],
        servers: &[],
        widget_keys: &[],
        presets: crate::preset::CONTEXT_SWITCH,
        live: |value| matches!(value, LiveValue::Share(_)),
    },
    WidgetSpec {
        kind: WidgetKind::Memory,
        name: "memory",
        about: crate::key::doc("memory per worker process, thread and task, and how many connections fit in RAM"),
        controls: &[Key::BudgetMb, Key::Clients, Key::ProcessMb],
        servers: &[],
        widget_keys: &[Key::BudgetMb],
        presets: crate::preset::MEMORY,
        live: |value| matches!(value, LiveValue::Fit(_) | LiveValue::Server(Metric::Memory)),
    },
    WidgetSpec {
        kind: WidgetKind::Planner,
        name: "planner",
        about: crate::key::doc("the smallest gunicorn or uvicorn that meets a throughput and a p99 target on a given machine"),
        controls: &[
            Key::TargetRps,
            Key::TargetP99Ms,
            Key::CpuMs,
            Key::IoMs,
            Key::DbMs,
            Key::DbPool,
            Key::DbConnections,
            Key::Cores,
            Key::RamMb,
            Key::ProcessMb,
        ],
        servers: &[],
        widget_keys: &[Key::TargetRps, Key::TargetP99Ms, Key::RamMb],
        presets: crate::preset::PLANNER,
        live: |_| false,
    },
];

impl WidgetKind {
    pub fn all() -> impl Iterator<Item = WidgetKind> {
        WIDGETS.iter().map(|w| w.kind)
    }

    pub fn spec(self) -> &'static WidgetSpec {
        &WIDGETS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn from_name(name: &str) -> Option<WidgetKind> {
        WIDGETS.iter().find(|w| w.name == name).map(|w| w.kind)
    }

    /// Whether a block of this widget may set `key`.
    pub fn takes(self, key: Key) -> bool {
        key.is_scenario() || self.spec().widget_keys.contains(&key)
    }

    /// Whether this widget has the live value `value` (its own measures, and every
    /// key it takes).
    pub fn accepts(self, value: LiveValue) -> bool {
        match value {
            LiveValue::Setting(key) => self.takes(key),
            other => (self.spec().live)(other),
        }
    }

    /// Whether the reader can be asked to predict `value`: a measure, not a setting.
    pub fn predictable(self, value: LiveValue) -> bool {
        !matches!(value, LiveValue::Setting(_)) && self.accepts(value)
    }

    /// Every live value it has, for messages.
    pub fn live_values(self) -> Vec<LiveValue> {
        let mut all: Vec<LiveValue> = Vec::new();
        all.extend(Metric::ALL.map(LiveValue::Server));
        for side in [crate::live::Side::Sync, crate::live::Side::Async] {
            all.extend(Metric::ALL.map(|m| LiveValue::Of(side, m)));
        }
        all.push(LiveValue::Crossover);
        all.extend((0..crate::live::FITS.len()).map(LiveValue::Fit));
        all.extend((0..crate::live::SHARES.len()).map(LiveValue::Share));
        all.retain(|v| self.accepts(*v));
        all
    }
}

/// The names of every widget, for messages.
pub fn names() -> String {
    WIDGETS
        .iter()
        .map(|w| w.name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_indexed_by_the_enum() {
        for (index, spec) in WIDGETS.iter().enumerate() {
            assert_eq!(spec.kind as usize, index, "{}", spec.name);
            assert_eq!(WidgetKind::from_name(spec.name), Some(spec.kind));
        }
    }

    #[test]
    fn every_control_has_a_control_spec_and_belongs_to_the_widget() {
        for spec in WIDGETS {
            for key in spec.controls {
                assert!(key.control().is_some(), "{}: {}", spec.name, key.name());
                assert!(spec.kind.takes(*key), "{}: {}", spec.name, key.name());
            }
            assert_eq!(
                spec.controls.contains(&Key::Server),
                !spec.servers.is_empty(),
                "{}: a server control needs choices",
                spec.name
            );
        }
    }

    #[test]
    fn live_values_belong_to_their_widgets() {
        let compare = WidgetKind::Compare;
        assert!(compare.accepts(LiveValue::parse("sync.p99").unwrap()));
        assert!(!compare.accepts(LiveValue::parse("p99").unwrap()));
        assert!(compare.accepts(LiveValue::parse("workers").unwrap()));
        assert!(!compare.accepts(LiveValue::parse("budget_mb").unwrap()));
        assert!(WidgetKind::Memory.accepts(LiveValue::parse("budget_mb").unwrap()));
        assert!(!WidgetKind::Memory.predictable(LiveValue::parse("budget_mb").unwrap()));
        assert!(WidgetKind::SyncServer.live_values().len() >= 8);
    }
}
