//! The scenario: one TOML schema shared by widget blocks, `simulate` files and tests.
//!
//! DESIGN.md ("The scenario") is the contract: the keys, their meaning and their
//! defaults. Keys whose default depends on the server kind are `Option`s here, so that
//! "not given" survives a round trip; the effective values come from the accessors.

mod access;
mod error;
#[cfg(feature = "toml")]
mod parse;
mod validate;

pub use access::Value;
pub use error::ScenarioError;
#[cfg(feature = "toml")]
pub use parse::value_of;
pub use validate::check_workload_keys;
pub(crate) use validate::MAX_TOTAL_TASKS;

use crate::defaults;

/// An enum whose variants a scenario names in TOML: its variants in order (`ALL`),
/// their names (`NAMES`, what the table of keys accepts), and the two directions between
/// them. The first variant is the default.
macro_rules! named_choice {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub enum $name {
            #[default]
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in order.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];
            /// The names used in TOML, in the same order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The name used in TOML.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            pub fn from_name(name: &str) -> Option<$name> {
                Self::ALL.into_iter().find(|v| v.name() == name)
            }
        }
    };
}

named_choice! {
    /// The server architecture being simulated, in the order the article introduces
    /// them.
    pub enum ServerKind {
        /// A pool of single-threaded worker processes (gunicorn's sync worker).
        Processes => "processes",
        /// One process with a pool of threads sharing the GIL (gunicorn's gthread).
        Threads => "threads",
        /// Event-loop processes running asyncio tasks (uvicorn).
        Asyncio => "asyncio",
        /// The same with uvloop's faster loop.
        Uvloop => "uvloop",
        /// Greenlets under gevent's monkey-patching.
        Gevent => "gevent",
    }
}

impl ServerKind {
    /// True for the kinds that run an event loop: one task's CPU burst at a time.
    pub fn is_event_loop(self) -> bool {
        matches!(
            self,
            ServerKind::Asyncio | ServerKind::Uvloop | ServerKind::Gevent
        )
    }
}

named_choice! {
    /// The distribution of CPU bursts and I/O waits.
    pub enum Service {
        /// Exponential: the textbook (Markovian) case.
        Exponential => "exponential",
        /// Every burst exactly its mean (the "D" of M/D/1).
        Constant => "constant",
        /// Lognormal with coefficient of variation `cv`: heavy-ish tails seen in practice.
        Lognormal => "lognormal",
    }
}

named_choice! {
    /// What happens to a request whose client gave up while it waited in the backlog.
    pub enum Abandon {
        /// The server still reads it and serves it when a worker reaches it.
        Served => "served",
        /// It leaves the backlog (a server that checks for closed connections first).
        Dropped => "dropped",
    }
}

named_choice! {
    /// How a process's database pool gives a freed connection to the requests waiting.
    pub enum PoolQueue {
        /// Straight to the request that waited longest.
        Fifo => "fifo",
        /// It wakes that request, but a task its event loop runs first may take it; the
        /// woken request then waits again at the back (an asyncio queue, as in asyncpg).
        Barging => "barging",
    }
}

/// One simulation scenario. `Default` gives DESIGN.md's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The server architecture.
    pub server: ServerKind,
    /// Worker processes (`processes`), processes each running `threads` threads
    /// (`threads`), or event-loop processes (the others). `None`: 4 for processes, 1
    /// for threads and the event loops.
    pub workers: Option<u32>,
    /// Threads only: threads per process (gunicorn's `--threads`). `None`: 4.
    pub threads: Option<u32>,
    /// CPU cores of the simulated machine.
    pub cores: u32,
    /// Open workload: Poisson arrivals per second. Exclusive with `clients`.
    pub arrival_rate: Option<f64>,
    /// Closed workload: clients that send the next request `think_ms` after a reply.
    /// With neither this nor `arrival_rate`, [`defaults::CLIENTS`] closed clients.
    pub clients: Option<u32>,
    /// Mean think time of a closed client, ms (always exponential).
    pub think_ms: f64,
    /// Mean CPU time per request, ms, split evenly over the bursts around its waits.
    pub cpu_ms: f64,
    /// Mean total I/O wait per request, ms, split evenly over `io_calls` waits.
    pub io_ms: f64,
    /// Distribution of a request's total CPU time, total I/O time and total database
    /// time; its bursts and waits are equal shares of the drawn totals.
    pub service: Service,
    /// Coefficient of variation for `service = "lognormal"` (ignored otherwise).
    pub cv: f64,
    /// I/O waits per request.
    pub io_calls: u32,
    /// Cost of one context switch, µs. `None`: the measured cost for the server kind.
    pub switch_us: Option<f64>,
    /// CPU the server itself spends per request (parsing, routing, writing the reply),
    /// µs. `None`: [`defaults::overhead_us`], measured per kind.
    pub overhead_us: Option<f64>,
    /// CPU other programs on the same machine spend per request (a database, a proxy,
    /// the load generator), ms: it competes with the server for the cores.
    pub colocated_cpu_ms: f64,
    /// Share of requests that need `heavy_cpu_ms` of CPU instead of `cpu_ms`.
    pub heavy_share: f64,
    /// Mean CPU time of a heavy request, ms. `None`: [`defaults::HEAVY_CPU_MS`].
    pub heavy_cpu_ms: Option<f64>,
    /// Mean total database time per request, ms, split over `db_calls` queries; 0: no
    /// database.
    pub db_ms: f64,
    /// Queries per request.
    pub db_calls: u32,
    /// Database connections per worker process; a query waits for one. 0: no limit.
    pub db_pool: u32,
    /// Queries the database runs at once, over all processes (`max_connections`, or a
    /// pgbouncer pool); a query waits for one. 0: no limit.
    pub db_connections: u32,
    /// Event loops with a pool: who gets a freed pool connection (sync servers ignore
    /// it: their pools hand a connection straight over).
    pub db_pool_queue: PoolQueue,
    /// The driver's round trip to the database when a query's connection goes back to
    /// its pool (asyncpg's reset), ms; it needs a database connection, like a query.
    /// 0: none.
    pub db_release_ms: f64,
    /// Backlog of connections waiting for a worker before new ones are refused.
    pub queue_limit: u32,
    /// Closed clients on threads or event loops: each keeps one connection to the
    /// process that accepted it, and this share of them is on one process (the rest
    /// spread evenly); 0: no keep-alive, a request goes to any process with room.
    pub busiest_share: f64,
    /// A client gives up after this long, ms; 0 = never.
    pub timeout_ms: f64,
    /// What the server does with a request whose client gave up while it waited in the
    /// backlog: still serve it (`served`: wasted work), or drop it (`dropped`).
    pub abandon: Abandon,
    /// Event loops only: requests one process holds before it answers new ones with an
    /// immediate 503 (uvicorn's `--limit-concurrency`); 0: no limit.
    pub limit_concurrency: u32,
    /// Closed clients: times a refused, rejected or timed-out request is sent again,
    /// after 1 s, 2 s, 4 s, ...
    pub retries: u32,
    /// Requests to finish (completed, refused or timed out) after `warmup`.
    pub requests: u64,
    /// Finished requests discarded first.
    pub warmup: u64,
    /// Random seed; the same seed gives the same result on every platform.
    pub seed: u64,
    /// Event loops only: share of I/O calls that block the whole loop (a driver that
    /// gevent cannot patch, or a blocking call inside `async def`). Sync servers block
    /// on every I/O call by design, so they ignore it.
    pub blocking_share: f64,
    /// Event loops only: concurrent tasks per process before new connections wait in
    /// the backlog. `None`: [`defaults::max_tasks`], or fewer where the processes
    /// would hold more than [`MAX_TOTAL_TASKS`] over them all.
    pub max_tasks: Option<u32>,
    /// Threads only: how long a thread waits for the GIL before forcing a switch, ms.
    pub switch_interval_ms: f64,
    /// Unique memory of one worker process, MB. `None`: [`defaults::PROCESS_MB`].
    pub process_mb: Option<f64>,
    /// Memory of one thread, KiB. `None`: [`defaults::THREAD_KIB`].
    pub thread_kib: Option<f64>,
    /// Memory of one task or greenlet, KiB. `None`: [`defaults::task_kib`].
    pub task_kib: Option<f64>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            server: ServerKind::Processes,
            workers: None,
            threads: None,
            cores: 2,
            arrival_rate: None,
            clients: None,
            think_ms: 0.0,
            cpu_ms: 5.0,
            io_ms: 100.0,
            service: Service::Exponential,
            cv: 1.0,
            io_calls: 1,
            switch_us: None,
            overhead_us: None,
            colocated_cpu_ms: 0.0,
            heavy_share: 0.0,
            heavy_cpu_ms: None,
            db_ms: 0.0,
            db_calls: 1,
            db_pool: 0,
            db_connections: 0,
            db_pool_queue: PoolQueue::Fifo,
            db_release_ms: 0.0,
            queue_limit: 1024,
            busiest_share: 0.0,
            timeout_ms: 0.0,
            abandon: Abandon::Served,
            limit_concurrency: 0,
            retries: defaults::RETRIES,
            requests: 100_000,
            warmup: 1_000,
            seed: 1,
            blocking_share: 0.0,
            max_tasks: None,
            switch_interval_ms: defaults::GIL_SWITCH_INTERVAL_MS,
            process_mb: None,
            thread_kib: None,
            task_kib: None,
        }
    }
}

/// Open or closed workload, resolved from `arrival_rate` and `clients`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Workload {
    /// Poisson arrivals at this many per second.
    Open { rate: f64 },
    /// This many clients, each with one request at a time.
    Closed { clients: u32 },
}

impl Scenario {
    /// Checks every value against its range, and the combinations of keys.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        validate::validate(self)
    }

    /// `workers` after the per-kind default: processes of every kind.
    pub fn effective_workers(&self) -> u32 {
        self.workers.unwrap_or(match self.server {
            ServerKind::Processes => defaults::SYNC_WORKERS,
            _ => defaults::LOOP_PROCESSES,
        })
    }

    /// Threads per process of the `threads` server (1 for the other kinds).
    pub fn effective_threads(&self) -> u32 {
        match self.server {
            ServerKind::Threads => self.threads.unwrap_or(defaults::THREADS),
            _ => 1,
        }
    }

    /// Whether it can matter who gets a freed pool connection (`db_pool_queue`): an
    /// event loop's queries wait on a pool with a limit. Sync servers' drivers hand a
    /// connection straight to the next waiter.
    pub fn pool_queue_matters(&self) -> bool {
        self.db_ms > 0.0 && self.db_pool > 0 && self.server.is_event_loop()
    }

    /// Whether closed clients keep their connection to one process (`busiest_share`):
    /// threads and event loops keep a connection alive; gunicorn's sync worker closes
    /// it after each reply, so a new one goes to whichever process is free.
    pub fn keeps_connections(&self) -> bool {
        self.busiest_share > 0.0 && self.clients.is_some() && self.server != ServerKind::Processes
    }

    /// Number of OS processes of the server.
    pub fn processes(&self) -> u32 {
        self.effective_workers()
    }

    /// Requests the sync kinds serve at once: processes, or processes x threads; the
    /// event loops have no such pool (their tasks are bounded by `max_tasks`).
    pub fn pool_size(&self) -> u32 {
        self.effective_workers() * self.effective_threads()
    }

    /// The server's own CPU per request, µs, after the per-kind default.
    pub fn effective_overhead_us(&self) -> f64 {
        self.overhead_us
            .unwrap_or_else(|| defaults::overhead_us(self.server))
    }

    /// Mean CPU of a heavy request, ms, after the default.
    pub fn effective_heavy_cpu_ms(&self) -> f64 {
        self.heavy_cpu_ms.unwrap_or(defaults::HEAVY_CPU_MS)
    }

    /// The workload after resolving the default.
    pub fn workload(&self) -> Workload {
        match (self.arrival_rate, self.clients) {
            (Some(rate), _) => Workload::Open { rate },
            (None, Some(clients)) => Workload::Closed { clients },
            (None, None) => Workload::Closed {
                clients: defaults::CLIENTS,
            },
        }
    }

    /// Context switch cost in µs after the per-kind default.
    pub fn effective_switch_us(&self) -> f64 {
        self.switch_us
            .unwrap_or_else(|| defaults::switch_us(self.server))
    }

    /// Concurrent tasks per event-loop process after the per-kind default, which gives
    /// way where many processes would hold more than the model's limit over them all.
    pub fn effective_max_tasks(&self) -> u32 {
        self.max_tasks.unwrap_or_else(|| {
            let room = MAX_TOTAL_TASKS / u64::from(self.effective_workers().max(1));
            defaults::max_tasks(self.server).min(u32::try_from(room).unwrap_or(u32::MAX))
        })
    }

    /// Unique MB per process after the default.
    pub fn effective_process_mb(&self) -> f64 {
        self.process_mb.unwrap_or(defaults::PROCESS_MB)
    }

    /// KiB per thread after the default.
    pub fn effective_thread_kib(&self) -> f64 {
        self.thread_kib.unwrap_or(defaults::THREAD_KIB)
    }

    /// KiB per task or greenlet after the per-kind default.
    pub fn effective_task_kib(&self) -> f64 {
        self.task_kib
            .unwrap_or_else(|| defaults::task_kib(self.server))
    }
}

#[cfg(test)]
mod tests;
