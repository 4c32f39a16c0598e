//! Defaults that are not plain DESIGN.md table values, each with its source.
//!
//! "Measured" means measured on the project's reference machine kind with CPython 3.11,
//! as recorded in DESIGN.md ("The scenario"). Changing a value here changes results for
//! every seed, so treat them like a format: change deliberately.

use crate::ServerKind;

/// Pool size of processes and threads: DESIGN.md's `workers` default (4).
pub const SYNC_WORKERS: u32 = 4;

/// Event-loop processes: DESIGN.md's `workers` default for the loops (1).
pub const LOOP_PROCESSES: u32 = 1;

/// Closed clients when neither `arrival_rate` nor `clients` is given. DESIGN.md gives
/// no default; 10 clients with no think time keep the default 4 workers saturated,
/// which is the first picture the article draws.
pub const CLIENTS: u32 = 10;

/// CPython's GIL switch interval, ms: `sys.getswitchinterval()` is 0.005 s.
pub const GIL_SWITCH_INTERVAL_MS: f64 = 5.0;

/// Context switch cost per server kind, µs (measured, DESIGN.md): asyncio about 1.4,
/// uvloop about 0.6, a greenlet about 0.16, "a few µs" for an OS thread. A switch
/// between processes is the same kernel task switch as between threads, so both use 3.
pub fn switch_us(kind: ServerKind) -> f64 {
    match kind {
        ServerKind::Processes | ServerKind::Threads => 3.0,
        ServerKind::Asyncio => 1.4,
        ServerKind::Uvloop => 0.6,
        ServerKind::Gevent => 0.16,
    }
}

/// Concurrent tasks per event-loop process. gevent: gunicorn's `worker_connections`
/// default (1000). asyncio and uvloop: uvicorn's `--limit-concurrency` is unlimited by
/// default; 10 000 keeps memory bounded and is well above where the article's curves
/// flatten.
pub fn max_tasks(kind: ServerKind) -> u32 {
    match kind {
        ServerKind::Gevent => 1_000,
        _ => 10_000,
    }
}

/// Memory shared by all forked workers, MB: a gunicorn sync worker of a small Flask
/// app measured about 29 MB RSS of which 15 MB unique, so 14 MB is shared (counted once).
pub const SHARED_MB: f64 = 14.0;

/// Unique memory per worker process, MB (measured: 15 MB of the 29 MB RSS).
pub const PROCESS_MB: f64 = 15.0;

/// Memory of an idle thread, KiB (measured: about 13 KiB).
pub const THREAD_KIB: f64 = 13.0;

/// Memory per task, KiB (measured): an asyncio task about 1.1 KiB (uvloop runs the
/// same task objects), a parked greenlet about 6 KiB. Sync kinds have no tasks.
pub fn task_kib(kind: ServerKind) -> f64 {
    match kind {
        ServerKind::Gevent => 6.0,
        ServerKind::Asyncio | ServerKind::Uvloop => 1.1,
        ServerKind::Processes | ServerKind::Threads => 0.0,
    }
}

/// Delay before a refused closed client tries again, s: TCP retransmits an unanswered
/// SYN after its initial retransmission timeout of 1 s (RFC 6298). Without a delay a
/// refused client would retry at the same instant forever.
pub const REFUSED_RETRY_S: f64 = 1.0;

/// Length of the sliding window of [`crate::Simulation::window`], s.
pub const WINDOW_S: f64 = 2.0;
