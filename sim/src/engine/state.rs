//! The live entities: requests (in a slab of reusable slots), workers, processes and
//! closed clients. Plain data; the rules that move them are in `server.rs`.

use std::collections::VecDeque;

use rand_pcg::Pcg64Mcg;

use super::dist::Plan;

/// "No entity" in an index field.
pub(crate) const NONE: u32 = u32::MAX;

/// Where a request is; `Free` marks an unused slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Free,
    Queued,
    WaitingGil,
    Ready,
    OnCpu,
    Io,
    BlockingIo,
    /// Waiting for a connection of its process's pool.
    DbPool,
    /// Holding a pool connection, waiting for the database to take its query.
    DbQueue,
    /// Its query runs in the database.
    Db,
}

impl Phase {
    /// Phases that count as waiting: queue length and queue wait are about these.
    pub(crate) fn is_waiting(self) -> bool {
        matches!(self, Phase::Queued | Phase::WaitingGil | Phase::Ready)
    }

    /// Waiting for the database: for a pool connection, or for the database itself.
    pub(crate) fn is_db_waiting(self) -> bool {
        matches!(self, Phase::DbPool | Phase::DbQueue)
    }
}

/// One request, from arrival until the server is done with it (which may be after its
/// client gave up).
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// Arrival number: the stable id shown to widgets and the seed of `rng`.
    pub(crate) number: u64,
    /// Closed client, or `NONE`.
    pub(crate) client: u32,
    pub(crate) arrived: f64,
    pub(crate) phase: Phase,
    /// When the current phase began.
    pub(crate) since: f64,
    /// The worker (sync kinds) or process (event loops) serving it, or `NONE`.
    pub(crate) worker: u32,
    /// What it needs, drawn when it arrived.
    pub(crate) plan: Plan,
    /// CPU bursts not yet started.
    pub(crate) bursts_left: u32,
    /// Waits (queries, then I/O calls) done or under way.
    pub(crate) waits_done: u32,
    /// CPU work of the current burst still to do, s, while it is off the CPU.
    pub(crate) work_left: f64,
    /// Total time spent waiting so far (backlog, GIL, ready queue), s.
    pub(crate) waited: f64,
    /// Total time spent waiting for the database (pool, then database), s.
    pub(crate) db_waited: f64,
    /// Its own CPU, I/O and query time so far, s: a lower bound of its latency.
    pub(crate) demand: f64,
    /// The client gave up; the server finishes it without replying to anyone.
    pub(crate) abandoned: bool,
    /// Its current wait holds the whole event loop (a blocking call).
    pub(crate) blocking: bool,
    /// It holds one of its process's pool connections.
    pub(crate) holds_pool: bool,
    /// What its next turn on its CPU is for.
    pub(crate) turn: Turn,
    /// Where it is in giving a query's connection back with a round trip
    /// (`db_release_ms`).
    pub(crate) release: Release,
    pub(crate) rng: Pcg64Mcg,
}

/// Giving a query's connection back to its pool, when the driver makes a round trip to
/// the database for it (asyncpg resets the connection).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Release {
    /// No round trip owed.
    None,
    /// Its last wait was a query: the round trip follows the burst after it.
    Due,
    /// The round trip waits for a database connection or runs.
    Trip,
}

/// What a request's next turn on its CPU is for. Two kinds of turn do no work beyond
/// the switch; they exist for the order in which a loop runs its tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Turn {
    /// Its next burst of work.
    Work,
    /// A freed pool connection woke it (`db_pool_queue = "barging"`): it tries to take
    /// one.
    PoolWakeup,
    /// The round trip that gave its connection back is done: it goes on from the end of
    /// the burst that came before the trip.
    AfterRelease,
}

/// The requests, in slots reused after a request is done, so that a long run does
/// not allocate per request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Slab {
    pub(crate) slots: Vec<Request>,
    free: Vec<u32>,
    live: u32,
}

impl Slab {
    pub(crate) fn insert(&mut self, request: Request) -> u32 {
        self.live += 1;
        if let Some(slot) = self.free.pop() {
            self.slots[slot as usize] = request;
            slot
        } else {
            self.slots.push(request);
            (self.slots.len() - 1) as u32
        }
    }

    pub(crate) fn remove(&mut self, slot: u32) {
        self.slots[slot as usize].phase = Phase::Free;
        self.free.push(slot);
        self.live -= 1;
    }

    /// Requests the server holds now (including abandoned ones).
    pub(crate) fn live(&self) -> u32 {
        self.live
    }
}

/// A sync worker: a process of `processes`, or a thread of `threads`.
#[derive(Debug, Clone)]
pub(crate) struct Worker {
    pub(crate) process: u32,
    /// Request slot, or `NONE` when idle.
    pub(crate) request: u32,
}

/// An OS process: the unit that the cores are shared between.
#[derive(Debug, Clone, Default)]
pub(crate) struct Process {
    /// The request whose burst is on the CPU (the GIL holder; the loop's current task).
    pub(crate) on_cpu: u32,
    /// Threads: requests waiting for the GIL, in order.
    pub(crate) gil_waiters: VecDeque<u32>,
    /// Threads: last GIL handover, which restarts the waiters' interval.
    pub(crate) handover_at: f64,
    /// Threads: a `GilTimer` event is pending.
    pub(crate) gil_timer: bool,
    /// Event loops: tasks ready to run, in order.
    pub(crate) ready: VecDeque<u32>,
    /// Event loops: the request whose blocking call holds the loop, or `NONE`.
    pub(crate) blocked_by: u32,
    /// Event loops: tasks held (running, ready, waiting on I/O).
    pub(crate) tasks: u32,
    /// Pool connections free now (when the pool has a limit).
    pub(crate) pool_free: u32,
    /// Requests waiting for a pool connection, in order.
    pub(crate) pool_waiters: VecDeque<u32>,
    /// Kept-alive connections (`busiest_share`): (slot, arrival number) of requests
    /// that came on this process's connections and wait for room in it; may hold stale
    /// entries of requests that timed out there.
    pub(crate) kept_waiting: VecDeque<(u32, u64)>,
}

impl Process {
    pub(crate) fn new(pool: u32) -> Self {
        Process {
            on_cpu: NONE,
            blocked_by: NONE,
            pool_free: pool,
            ..Process::default()
        }
    }

    /// An event loop that can run a task now.
    pub(crate) fn loop_free(&self) -> bool {
        self.on_cpu == NONE && self.blocked_by == NONE
    }
}

/// A closed client.
#[derive(Debug, Clone)]
pub(crate) struct Client {
    /// Request slot it waits for, or `NONE` while thinking.
    pub(crate) request: u32,
    /// Arrival number of that request.
    pub(crate) number: u64,
    pub(crate) since: f64,
    /// Times the current request was sent again after a refusal or a timeout.
    pub(crate) attempt: u32,
    /// The process holding its kept-alive connection, or `NONE` (`busiest_share`).
    pub(crate) process: u32,
}
