//! The memory model, stated once: what a server holds before any connection, and what
//! each concurrent connection adds, for each way of holding one (a worker process, a
//! thread, an asyncio task, a greenlet). The engine reports memory from it, the memory
//! widget draws it, and the static figures describe it.

use crate::{defaults, Scenario, ServerKind};

/// One way of holding connections.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Footprint {
    pub label: &'static str,
    /// Memory before any connection, MB.
    pub base_mb: f64,
    /// Memory each concurrent connection adds, MB.
    pub per_connection_mb: f64,
}

impl Footprint {
    /// Concurrent connections that fit in `budget_mb`.
    pub fn connections(&self, budget_mb: f64) -> f64 {
        if self.per_connection_mb <= 0.0 {
            return f64::INFINITY;
        }
        ((budget_mb - self.base_mb) / self.per_connection_mb)
            .floor()
            .max(0.0)
    }

    /// Memory with `connections` held, MB.
    pub fn memory_mb(&self, connections: f64) -> f64 {
        self.base_mb + connections * self.per_connection_mb
    }
}

/// The four ways, in the order the article compares them, with the scenario's memory
/// settings (the measured defaults unless it overrides them): a process per connection
/// (the forked workers share [`defaults::SHARED_MB`], counted once); a thread, an asyncio
/// task or a greenlet per connection inside one process.
pub fn footprints(scenario: &Scenario) -> [Footprint; 4] {
    let with = |kind: ServerKind| Scenario {
        server: kind,
        ..scenario.clone()
    };
    let process = with(ServerKind::Processes).effective_process_mb();
    let one_process = defaults::SHARED_MB + process;
    [
        Footprint {
            label: "processes",
            base_mb: defaults::SHARED_MB,
            per_connection_mb: process,
        },
        Footprint {
            label: "threads",
            base_mb: one_process,
            per_connection_mb: with(ServerKind::Threads).effective_thread_kib() / 1024.0,
        },
        Footprint {
            label: "asyncio tasks",
            base_mb: one_process,
            per_connection_mb: with(ServerKind::Asyncio).effective_task_kib() / 1024.0,
        },
        Footprint {
            label: "greenlets",
            base_mb: one_process,
            per_connection_mb: with(ServerKind::Gevent).effective_task_kib() / 1024.0,
        },
    ]
}

/// The memory of a scenario's server that does not depend on load (its processes and
/// threads), and what each task adds, MB.
pub(crate) fn server_mb(scenario: &Scenario) -> (f64, f64) {
    let processes = f64::from(scenario.processes());
    let fixed = defaults::SHARED_MB
        + processes * scenario.effective_process_mb()
        + if scenario.server == ServerKind::Threads {
            f64::from(scenario.pool_size()) * scenario.effective_thread_kib() / 1024.0
        } else {
            0.0
        };
    (fixed, scenario.effective_task_kib() / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gigabyte_holds_tens_of_processes_and_hundreds_of_thousands_of_tasks() {
        let f = footprints(&Scenario::default());
        assert_eq!(
            f[0].connections(1024.0),
            ((1024.0 - 14.0) / 15.0_f64).floor()
        );
        // Per connection, a thread and an asyncio task cost about the same: the
        // connection's own buffers and objects dominate a task's.
        assert!(f[1].connections(1024.0) > 70_000.0);
        assert!(f[2].connections(1024.0) > 80_000.0);
        assert!(f[2].connections(1024.0) > f[3].connections(1024.0));
        assert_eq!(f[0].connections(1.0), 0.0, "no room, no connection");
    }

    #[test]
    fn the_engine_counts_the_same_memory() {
        let s = Scenario {
            workers: Some(8),
            ..Scenario::default()
        };
        let (fixed, _) = server_mb(&s);
        assert_eq!(fixed, footprints(&s)[0].memory_mb(8.0));
    }
}
