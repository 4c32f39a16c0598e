//! Defaults that are not plain DESIGN.md table values, each with its source.
//!
//! "Measured" means measured on the project's reference machine kind with CPython 3.11,
//! as recorded in DESIGN.md ("The scenario"). Changing a value here changes results for
//! every seed, so treat them like a format: change deliberately.

use crate::ServerKind;

/// Worker processes of the `processes` server: DESIGN.md's `workers` default (4).
pub const SYNC_WORKERS: u32 = 4;

/// Processes of the event loops and of the `threads` server (DESIGN.md's 1 for loops;
/// for threads, one process of [`THREADS`] threads keeps the first wave's default
/// server of four threads).
pub const LOOP_PROCESSES: u32 = 1;

/// Threads per process of the `threads` server (gunicorn `--threads`; gunicorn's own
/// default is 1, which would make gthread a sync worker; 4 keeps the first wave's
/// default server).
pub const THREADS: u32 = 4;

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

/// Memory per connection held as a task, KiB: the growth of the server's PSS per extra
/// connection measured between 64 and 512 clients (`content/data/measured.json`,
/// I/O-bound series): uvicorn on asyncio 11.7, on uvloop 11.0, gunicorn's gevent worker
/// 14.9. A bare asyncio task is about 1.1 KiB and a parked greenlet about 6 KiB; the
/// rest is the connection's transport, buffers and request objects. Sync kinds have no
/// tasks.
pub fn task_kib(kind: ServerKind) -> f64 {
    match kind {
        ServerKind::Gevent => 14.9,
        ServerKind::Asyncio => 11.7,
        ServerKind::Uvloop => 11.0,
        ServerKind::Processes | ServerKind::Threads => 0.0,
    }
}

/// The server's own CPU per request, µs: the calibration of `bench/real/run.py`
/// (`servers[].calibration.overhead_ms` in `content/data/measured.json`: gunicorn sync
/// 104.2, gthread 282.9, gevent 81.1, uvicorn 29.0, with uvloop 23.6) less the two
/// switches per request that the model charges apart ([`switch_us`]).
pub fn overhead_us(kind: ServerKind) -> f64 {
    match kind {
        ServerKind::Processes => 98.0,
        ServerKind::Threads => 277.0,
        ServerKind::Gevent => 81.0,
        ServerKind::Asyncio => 26.0,
        ServerKind::Uvloop => 22.0,
    }
}

/// Mean CPU of a heavy request, ms: a report, an image resize, a big JSON document;
/// forty times the default request's 5 ms.
pub const HEAVY_CPU_MS: f64 = 200.0;

/// Times a closed client sends a refused, rejected or timed-out request again: three,
/// as urllib3's `Retry` and many HTTP clients default to.
pub const RETRIES: u32 = 3;

/// The first retry waits this long, s, and each next one twice as long: TCP retransmits
/// an unanswered SYN after its initial retransmission timeout of 1 s (RFC 6298) and
/// doubles it. A client that gives up also waits the next step before its next request,
/// so a refused client never retries at the same instant.
pub const RETRY_BACKOFF_S: f64 = 1.0;

/// Length of the sliding window of [`crate::Simulation::window`], s.
pub const WINDOW_S: f64 = 2.0;
