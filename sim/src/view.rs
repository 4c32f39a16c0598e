//! Read-only views of the live entities, for widgets to draw. Ids are stable for the
//! life of the entity: a request keeps its id from arrival to reply.

/// Where a request is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestPhase {
    /// In the backlog, waiting for a worker (or for a loop with room for a task).
    Queued,
    /// A thread waiting for the GIL.
    WaitingGil { worker: u32 },
    /// A task in an event loop's ready queue.
    Ready { worker: u32 },
    /// Running a CPU burst (sharing the cores with other processes when they are
    /// fewer than the running processes).
    OnCpu { worker: u32 },
    /// Waiting on I/O; other requests can run meanwhile.
    WaitingIo { worker: u32 },
    /// Waiting on an I/O call that blocks its whole event loop.
    BlockingIo { worker: u32 },
    /// Waiting for a connection of its process's database pool.
    WaitingPool { worker: u32 },
    /// Holding a pool connection, waiting for the database to take its query.
    WaitingDb { worker: u32 },
    /// Its query runs in the database.
    Querying { worker: u32 },
}

/// One live request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RequestView {
    /// Stable id: the request's arrival number, from 0.
    pub id: u64,
    /// The closed client that sent it; `None` in an open workload.
    pub client: Option<u32>,
    pub phase: RequestPhase,
    /// Simulated time the current phase began, s.
    pub since_s: f64,
    /// Arrival time, s.
    pub arrived_s: f64,
    /// True when the client has given up (timed out) but the server still works on it.
    pub abandoned: bool,
    /// Waits (queries and I/O calls) it has finished: which of its CPU bursts it is in.
    pub waits_done: u32,
}

/// What a worker (a process, a thread or an event loop) is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerState {
    /// No request.
    Idle,
    /// Running a CPU burst.
    Cpu,
    /// Blocked on I/O (a sync worker), or a loop blocked by a blocking call.
    Io,
    /// A thread with a request, waiting for the GIL.
    WaitingGil,
    /// A sync worker whose request waits for the database or runs a query there.
    Db,
    /// An event loop with tasks but none on the CPU: all are waiting on I/O.
    Waiting,
}

/// One worker: a process of the `processes` server, a thread of the `threads` server,
/// or an event-loop process.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkerView {
    pub id: u32,
    /// The OS process it belongs to.
    pub process: u32,
    pub state: WorkerState,
    /// The request it works on now (for an event loop: the task on the CPU or blocking it).
    pub request: Option<u64>,
    /// Tasks held (event loops); 0 or 1 for sync workers.
    pub tasks: u32,
}

/// What a closed client is doing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ClientState {
    /// Thinking until the next request.
    Thinking,
    /// Waiting for the reply to this request.
    Waiting { request: u64 },
}

/// One closed client.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClientView {
    pub id: u32,
    pub state: ClientState,
    /// Simulated time the state began, s.
    pub since_s: f64,
}

/// One OS process: what the cores are shared between. Processor sharing has no fixed
/// assignment of processes to cores; `speed` says how much of a core each running
/// process gets now (1 when no more run than there are cores).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProcessView {
    pub id: u32,
    /// The request whose CPU burst runs now (the GIL holder, the loop's current task).
    pub on_cpu: Option<u64>,
    /// Share of one core it runs at now, 0 when not running.
    pub speed: f64,
    /// Requests waiting for this process's GIL or event loop.
    pub waiting: u32,
    /// Event loops: a blocking call holds the loop.
    pub blocked: bool,
    /// Event loops: tasks held.
    pub tasks: u32,
    /// Its database pool: connections in use, and requests waiting for one.
    pub pool_in_use: u32,
    pub pool_waiting: u32,
}

/// The database: its connections in use and the queries waiting for one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DatabaseView {
    /// Connections it has (`db_connections`), or `None` without a limit.
    pub limit: Option<u32>,
    /// Queries running now.
    pub running: u32,
    /// Queries holding a pool connection, waiting for the database.
    pub waiting: u32,
}

/// One change in a request's life (see `Simulation::keep_trace`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TraceEvent {
    /// Simulated time, s.
    pub t: f64,
    /// The request's id (its arrival number).
    pub request: u64,
    pub kind: TraceKind,
}

/// What happened to the request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TraceKind {
    /// It entered this phase.
    Phase(RequestPhase),
    /// The server replied, `latency_s` after arrival.
    Replied {
        latency_s: f64,
    },
    /// The server finished it after its client gave up.
    Wasted,
    /// Turned away: the backlog was full (refused), or a 503 (rejected).
    Refused,
    Rejected,
    /// Its client gave up.
    TimedOut,
}
