//! Every key a widget block or a scenario file may set: its name, what it accepts, its
//! default and where that comes from, and the control a widget shows for it. This one
//! table is what validation, the widgets' controls, URL state, embed links and the model
//! page's table of defaults are all read from.

use crate::ScenarioError;

/// A key of a widget block. Scenario keys are the simulation's (DESIGN.md, "The
/// scenario"); widget keys belong to one widget's presentation (`budget_mb`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Server,
    Workers,
    Threads,
    Cores,
    ArrivalRate,
    Clients,
    ThinkMs,
    CpuMs,
    IoMs,
    Service,
    Cv,
    IoCalls,
    SwitchUs,
    OverheadUs,
    ColocatedCpuMs,
    HeavyShare,
    HeavyCpuMs,
    DbMs,
    DbCalls,
    DbPool,
    DbConnections,
    DbPoolQueue,
    DbReleaseMs,
    QueueLimit,
    BusiestShare,
    TimeoutMs,
    Abandon,
    LimitConcurrency,
    Retries,
    Requests,
    Warmup,
    Seed,
    BlockingShare,
    MaxTasks,
    SwitchIntervalMs,
    ProcessMb,
    ThreadKib,
    TaskKib,
    Loops,
    BudgetMb,
    TargetRps,
    TargetP99Ms,
    RamMb,
}

/// What a key accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Accepts {
    /// An integer in `min..=max`.
    Int { min: i64, max: i64 },
    /// A number (integer or float) in the range; `open_min` excludes `min` itself.
    Num { min: f64, max: f64, open_min: bool },
    /// One of these names.
    Choice(&'static [&'static str]),
}

/// Whose key it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The simulation's: part of [`crate::Scenario`], accepted by `simulate`.
    Scenario,
    /// A widget's own presentation setting.
    Widget,
}

/// How a widget control moves through a numeric range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Linear,
    /// For ranges over several decades (clients, times).
    Log,
}

/// The control a widget shows for a key: a slider over `min..=max`, or a choice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Control {
    pub label: &'static str,
    pub unit: &'static str,
    /// The slider's range: narrower than what the model accepts, wide enough to break
    /// any server, small enough that a frame keeps up.
    pub min: f64,
    pub max: f64,
    pub scale: Scale,
    /// 0 turns the key's feature off (no timeout, no database, no limit): the slider
    /// has 0 as its first stop, below its scale, so a reader can turn it off again.
    pub zero_is_off: bool,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct KeySpec {
    pub key: Key,
    pub name: &'static str,
    pub accepts: Accepts,
    pub scope: Scope,
    /// The default as the model page shows it.
    pub default: &'static str,
    /// What the key sets (Markdown).
    pub meaning: Doc,
    /// Where the default comes from (Markdown, with links to the sources).
    pub source: Doc,
    pub control: Option<Control>,
}

/// Text only the site shows (the model page's table of keys, the embed pages'
/// descriptions). It is kept only with the `docs` feature, so the widgets' bundle, which
/// never shows it, does not carry the 10 KB of it.
#[derive(Debug, Clone, Copy)]
pub struct Doc(#[cfg(feature = "docs")] &'static str);

impl Doc {
    #[cfg(feature = "docs")]
    pub fn text(self) -> &'static str {
        self.0
    }
}

#[cfg(feature = "docs")]
pub(crate) const fn doc(text: &'static str) -> Doc {
    Doc(text)
}

#[cfg(not(feature = "docs"))]
pub(crate) const fn doc(_text: &'static str) -> Doc {
    Doc()
}

const fn int(min: i64, max: i64) -> Accepts {
    Accepts::Int { min, max }
}
const fn num(min: f64, max: f64) -> Accepts {
    Accepts::Num {
        min,
        max,
        open_min: false,
    }
}
const fn positive(max: f64) -> Accepts {
    Accepts::Num {
        min: 0.0,
        max,
        open_min: true,
    }
}
/// A control of the key table; the constructors below name its kinds.
const fn control(
    label: &'static str,
    unit: &'static str,
    (min, max): (f64, f64),
    scale: Scale,
    zero_is_off: bool,
) -> Option<Control> {
    Some(Control {
        label,
        unit,
        min,
        max,
        scale,
        zero_is_off,
    })
}
const fn slider(label: &'static str, unit: &'static str, min: f64, max: f64) -> Option<Control> {
    control(label, unit, (min, max), Scale::Linear, false)
}
const fn log_slider(
    label: &'static str,
    unit: &'static str,
    min: f64,
    max: f64,
) -> Option<Control> {
    control(label, unit, (min, max), Scale::Log, false)
}
/// A log slider whose key is off at 0, as its first stop.
const fn log_slider_or_off(
    label: &'static str,
    unit: &'static str,
    min: f64,
    max: f64,
) -> Option<Control> {
    control(label, unit, (min, max), Scale::Log, true)
}
const fn choice(label: &'static str) -> Option<Control> {
    control(label, "", (0.0, 0.0), Scale::Linear, false)
}

/// The table, in DESIGN.md's order, then the extensions; `KEYS[k as usize].key == k`
/// (a test checks it). The ranges keep every accepted scenario finite and bounded in
/// memory: at most 100 000 clients, a backlog of at most a million, and so on.
pub static KEYS: &[KeySpec] = &[
    KeySpec {
        key: Key::Server,
        name: "server",
        accepts: Accepts::Choice(crate::ServerKind::NAMES),
        scope: Scope::Scenario,
        default: "`processes`",
        meaning: doc("`processes`, `threads`, `asyncio`, `uvloop` or `gevent`"),
        source: doc("gunicorn's default worker is a synchronous process ([gunicorn design](https://docs.gunicorn.org/en/stable/design.html))"),
        control: choice("Server"),
    },
    KeySpec {
        key: Key::Workers,
        name: "workers",
        accepts: int(1, 4096),
        scope: Scope::Scenario,
        default: "4 for processes, 1 for threads and event loops",
        meaning: doc("worker processes (`processes`); processes of `threads` threads each (`threads`, gunicorn `-w`); event-loop processes (the others)"),
        source: doc("a small pool for a two-core machine; gunicorn's documentation suggests [about two workers per core plus one](https://docs.gunicorn.org/en/stable/design.html#how-many-workers) as a starting point"),
        control: log_slider("Workers", "", 1.0, 128.0),
    },
    KeySpec {
        key: Key::Threads,
        name: "threads",
        accepts: int(1, 4096),
        scope: Scope::Scenario,
        default: "4",
        meaning: doc("`threads` only: threads per process (gunicorn `--threads`); each process has its own GIL"),
        source: doc("gunicorn's default is 1 thread, which makes gthread a sync worker; 4 keeps one process of four threads as the default threaded server"),
        control: log_slider("Threads per process", "", 1.0, 256.0),
    },
    KeySpec {
        key: Key::Cores,
        name: "cores",
        accepts: int(1, 256),
        scope: Scope::Scenario,
        default: "2",
        meaning: doc("CPU cores of the simulated machine"),
        source: doc("a small cloud instance; our choice"),
        control: slider("Cores", "", 1.0, 16.0),
    },
    KeySpec {
        key: Key::ArrivalRate,
        name: "arrival_rate",
        // At least one arrival in 1000 s keeps simulated time small enough for f64 to
        // resolve microseconds over the longest run.
        accepts: num(0.001, 1_000_000.0),
        scope: Scope::Scenario,
        default: "none, use this or `clients`",
        meaning: doc("open workload: mean arrivals per second (Poisson)"),
        source: doc(""),
        control: log_slider("Arrivals", "/s", 1.0, 5_000.0),
    },
    KeySpec {
        key: Key::Clients,
        name: "clients",
        accepts: int(1, 100_000),
        scope: Scope::Scenario,
        default: "10 if neither is given",
        meaning: doc("closed workload: number of clients, each with one request in flight"),
        source: doc("enough to keep four workers busy, the article's first picture"),
        control: log_slider("Clients", "", 1.0, 10_000.0),
    },
    KeySpec {
        key: Key::ThinkMs,
        name: "think_ms",
        accepts: num(0.0, 3_600_000.0),
        scope: Scope::Scenario,
        default: "0",
        meaning: doc("mean pause of a closed client between reply and next request (exponential)"),
        source: doc("clients that resend at once, the harshest closed load"),
        control: None,
    },
    KeySpec {
        key: Key::CpuMs,
        name: "cpu_ms",
        accepts: num(0.0, 600_000.0),
        scope: Scope::Scenario,
        default: "5",
        meaning: doc("mean CPU time per request"),
        source: doc("illustrative: a few milliseconds of Python for a small API view; our choice, not a measurement"),
        control: log_slider("CPU per request", "ms", 0.1, 500.0),
    },
    KeySpec {
        key: Key::IoMs,
        name: "io_ms",
        accepts: num(0.0, 600_000.0),
        scope: Scope::Scenario,
        default: "100",
        meaning: doc("mean total I/O wait per request (database, upstream API)"),
        source: doc("illustrative: one upstream call of about 100 ms; our choice, not a measurement"),
        control: log_slider("I/O per request", "ms", 1.0, 5_000.0),
    },
    KeySpec {
        key: Key::Service,
        name: "service",
        accepts: Accepts::Choice(crate::Service::NAMES),
        scope: Scope::Scenario,
        default: "`exponential`",
        meaning: doc("distribution of bursts and waits: `exponential`, `constant` or `lognormal`"),
        source: doc("exponential times make the model comparable with the textbook formulas below"),
        control: choice("Service times"),
    },
    KeySpec {
        key: Key::Cv,
        name: "cv",
        accepts: positive(10.0),
        scope: Scope::Scenario,
        default: "1",
        meaning: doc("spread of the lognormal distribution (standard deviation over mean)"),
        source: doc("the same spread as an exponential, so that only the shape of the tail changes"),
        control: None,
    },
    KeySpec {
        key: Key::IoCalls,
        name: "io_calls",
        accepts: int(0, 100),
        scope: Scope::Scenario,
        default: "1",
        meaning: doc("number of I/O waits per request; the CPU time is split into `io_calls + 1` bursts"),
        source: doc("one database or API call per request"),
        control: slider("I/O calls per request", "", 1.0, 32.0),
    },
    KeySpec {
        key: Key::SwitchUs,
        name: "switch_us",
        accepts: num(0.0, 10_000.0),
        scope: Scope::Scenario,
        default: "depends on `server`, see the next table",
        meaning: doc("CPU cost of one switch, in µs; 0 for the ideal model"),
        source: doc("project measurement"),
        control: None,
    },
    KeySpec {
        key: Key::OverheadUs,
        name: "overhead_us",
        accepts: num(0.0, 100_000.0),
        scope: Scope::Scenario,
        default: "98 processes, 277 threads, 81 gevent, 26 asyncio, 22 uvloop",
        meaning: doc("CPU the server itself spends on each request (parsing, routing, writing the reply), µs"),
        source: doc("project measurement: per-request CPU of gunicorn sync, gthread and gevent and uvicorn on asyncio and uvloop serving an empty request ([`data/measured.json`](data/measured.json)), less the two switches the model charges apart"),
        control: None,
    },
    KeySpec {
        key: Key::ColocatedCpuMs,
        name: "colocated_cpu_ms",
        accepts: num(0.0, 600_000.0),
        scope: Scope::Scenario,
        default: "0",
        meaning: doc("CPU other programs on the same machine spend per request (a database, a proxy, the load generator), ms; it competes with the server for the cores"),
        source: doc("a server alone on its machine; the real-database benchmark on this site's machine measures it ([`data/measured-db.json`](data/measured-db.json))"),
        control: None,
    },
    KeySpec {
        key: Key::HeavyShare,
        name: "heavy_share",
        accepts: num(0.0, 1.0),
        scope: Scope::Scenario,
        default: "0",
        meaning: doc("share of requests that need `heavy_cpu_ms` of CPU instead of `cpu_ms`"),
        source: doc("every request alike unless you ask"),
        control: slider("Heavy requests", "", 0.0, 0.2),
    },
    KeySpec {
        key: Key::HeavyCpuMs,
        name: "heavy_cpu_ms",
        accepts: num(0.0, 600_000.0),
        scope: Scope::Scenario,
        default: "200",
        meaning: doc("mean CPU time of a heavy request, ms"),
        source: doc("a report, an image resize or a large JSON document: forty times the default request; our choice"),
        control: log_slider("CPU per heavy request", "ms", 10.0, 5_000.0),
    },
    KeySpec {
        key: Key::DbMs,
        name: "db_ms",
        accepts: num(0.0, 600_000.0),
        scope: Scope::Scenario,
        default: "0 (no database)",
        meaning: doc("mean total database time per request, ms, split over `db_calls` queries; the request waits without CPU"),
        source: doc("no database unless you ask; Grinberg's benchmark added [a 20 ms `pg_sleep`](https://blog.miguelgrinberg.com/post/ignore-all-web-performance-benchmarks-including-this-one) to each query"),
        control: log_slider_or_off("Database per request", "ms", 1.0, 1_000.0),
    },
    KeySpec {
        key: Key::DbCalls,
        name: "db_calls",
        accepts: int(1, 100),
        scope: Scope::Scenario,
        default: "1",
        meaning: doc("queries per request; each needs a pool connection and a database connection for its time"),
        source: doc("one query per request"),
        control: None,
    },
    KeySpec {
        key: Key::DbPool,
        name: "db_pool",
        accepts: int(0, 100_000),
        scope: Scope::Scenario,
        default: "0 (no limit)",
        meaning: doc("database connections per worker process; a query waits for one, in the order `db_pool_queue` says"),
        source: doc("no limit unless you set one; SQLAlchemy's [QueuePool](https://docs.sqlalchemy.org/en/20/core/pooling.html) defaults to 5 connections plus 10 overflow"),
        control: log_slider_or_off("Pool per process", "", 1.0, 256.0),
    },
    KeySpec {
        key: Key::DbConnections,
        name: "db_connections",
        accepts: int(0, 100_000),
        scope: Scope::Scenario,
        default: "0 (no limit)",
        meaning: doc("queries the database runs at once over all processes (`max_connections`, or a pgbouncer pool); a query waits for one"),
        source: doc("no limit unless you set one; PostgreSQL's [`max_connections`](https://www.postgresql.org/docs/15/runtime-config-connection.html) defaults to 100"),
        control: log_slider_or_off("Database connections", "", 1.0, 1_000.0),
    },
    KeySpec {
        key: Key::DbPoolQueue,
        name: "db_pool_queue",
        accepts: Accepts::Choice(crate::PoolQueue::NAMES),
        scope: Scope::Scenario,
        default: "`fifo`",
        meaning: doc("who gets a freed pool connection on an event loop: the request that waited longest (`fifo`), or any task the loop runs before that request has woken up, which then goes back to the end of the line (`barging`); sync servers always use `fifo`"),
        source: doc("`fifo` is how psycopg's and SQLAlchemy's pools hand over a connection; asyncpg's pool is an asyncio queue, whose [`get`](https://github.com/python/cpython/blob/3.11/Lib/asyncio/queues.py) lets whoever runs first take a freed item"),
        // Not a widget control: it overstates the losers on a saturated loop (see the
        // model page), where a reader would take its tails at face value.
        control: None,
    },
    KeySpec {
        key: Key::DbReleaseMs,
        name: "db_release_ms",
        accepts: num(0.0, 1_000.0),
        scope: Scope::Scenario,
        default: "0 (none)",
        meaning: doc("a round trip the driver makes to the database when a query's connection goes back to its pool, ms: it needs a database connection like a query, and the request waits for it before it goes on"),
        source: doc("none by default: psycopg's pool hands an idle connection back without one; asyncpg's pool [resets](https://magicstack.github.io/asyncpg/current/api/index.html#asyncpg.pool.Pool.release) each connection it takes back, a second transaction through pgbouncer"),
        control: None,
    },
    KeySpec {
        key: Key::QueueLimit,
        name: "queue_limit",
        accepts: int(0, 1_000_000),
        scope: Scope::Scenario,
        default: "1024",
        meaning: doc("requests that may wait in the backlog before new connections are refused"),
        source: doc("the same order as real servers; gunicorn's own [`backlog` setting](https://docs.gunicorn.org/en/stable/settings.html#backlog) defaults to 2048"),
        control: log_slider("Backlog limit", "", 1.0, 10_000.0),
    },
    KeySpec {
        key: Key::BusiestShare,
        name: "busiest_share",
        accepts: num(0.0, 1.0),
        scope: Scope::Scenario,
        default: "0 (no keep-alive)",
        meaning: doc("closed clients only, on threads and event loops with several processes: each client keeps one connection, held by the process that accepted it, and this share of them is on one process (the rest spread evenly over the others); 0: every request goes to a process with room. Sync processes ignore it (gunicorn's sync worker closes each connection)"),
        source: doc("an even spread unless you set one; Linux wakes the process that waited last for a new connection, so one process often [takes most of them](https://blog.cloudflare.com/the-sad-state-of-linux-socket-balancing/), and the real-database benchmark on this site's machine measured from 0.5 to 0.97 ([`data/measured-db.json`](data/measured-db.json))"),
        // Not a widget control: the split is the kernel's choice at connect time, which
        // the real-database check measures rather than predicts.
        control: None,
    },
    KeySpec {
        key: Key::TimeoutMs,
        name: "timeout_ms",
        accepts: num(0.0, 86_400_000.0),
        scope: Scope::Scenario,
        default: "0",
        meaning: doc("a client gives up after this long; 0 means never"),
        source: doc("no timeouts, so that nothing is hidden"),
        control: log_slider_or_off("Client timeout", "ms", 10.0, 60_000.0),
    },
    KeySpec {
        key: Key::Abandon,
        name: "abandon",
        accepts: Accepts::Choice(crate::Abandon::NAMES),
        scope: Scope::Scenario,
        default: "`served`",
        meaning: doc("a request whose client gave up while it waited in the backlog is still served (`served`: wasted work) or leaves the backlog (`dropped`)"),
        source: doc("a server reads a request from the socket before it can know the client has gone"),
        control: choice("Abandoned requests"),
    },
    KeySpec {
        key: Key::LimitConcurrency,
        name: "limit_concurrency",
        accepts: int(0, 1_000_000),
        scope: Scope::Scenario,
        default: "0 (no limit)",
        meaning: doc("event loops only: requests one process holds before it answers new ones with an immediate 503"),
        source: doc("Uvicorn's [`--limit-concurrency`](https://www.uvicorn.org/settings/#resource-limits), off by default"),
        control: log_slider_or_off("Concurrency limit", "", 1.0, 10_000.0),
    },
    KeySpec {
        key: Key::Retries,
        name: "retries",
        accepts: int(0, 20),
        scope: Scope::Scenario,
        default: "3",
        meaning: doc("closed clients: how often a refused, rejected or timed-out request is sent again, after 1 s, 2 s, 4 s, ..."),
        source: doc("urllib3's [default `Retry`](https://urllib3.readthedocs.io/en/stable/reference/urllib3.util.html) allows 3; the doubling wait is TCP's SYN retransmission ([RFC 6298](https://www.rfc-editor.org/rfc/rfc6298))"),
        control: None,
    },
    KeySpec {
        key: Key::Requests,
        name: "requests",
        accepts: int(1, 100_000_000),
        scope: Scope::Scenario,
        default: "100000",
        meaning: doc("requests to finish (completed, refused or timed out) after warm-up"),
        source: doc("enough for stable p99 values"),
        control: None,
    },
    KeySpec {
        key: Key::Warmup,
        name: "warmup",
        accepts: int(0, 10_000_000),
        scope: Scope::Scenario,
        default: "1000",
        meaning: doc("finished requests discarded before measuring"),
        source: doc("lets queues reach their usual length first"),
        control: None,
    },
    KeySpec {
        key: Key::Seed,
        name: "seed",
        accepts: int(0, i64::MAX),
        scope: Scope::Scenario,
        default: "1",
        meaning: doc("random seed; the same seed gives the same run everywhere"),
        source: doc(""),
        control: None,
    },
    KeySpec {
        key: Key::BlockingShare,
        name: "blocking_share",
        accepts: num(0.0, 1.0),
        scope: Scope::Scenario,
        default: "0",
        meaning: doc("event loops only: the share of I/O calls (`io_ms`, not database queries) that block the whole loop, like `requests` or `time.sleep` inside `async def`, or a C library gevent cannot patch"),
        source: doc("a well-behaved async application"),
        control: slider("Blocking I/O calls", "", 0.0, 1.0),
    },
    KeySpec {
        key: Key::MaxTasks,
        name: "max_tasks",
        accepts: int(1, 100_000),
        scope: Scope::Scenario,
        default: "1000 for gevent, 10000 for asyncio and uvloop (fewer where the processes would hold over 1,000,000 in all)",
        meaning: doc("event loops only: tasks one loop process holds before new connections wait in the backlog"),
        source: doc("gevent: gunicorn's [`worker_connections`](https://docs.gunicorn.org/en/stable/settings.html#worker-connections) default of 1000; asyncio and uvloop: Uvicorn limits concurrency only if you set its [`--limit-concurrency`](https://www.uvicorn.org/settings/#resource-limits) option; 10000 keeps the simulation's memory bounded"),
        control: None,
    },
    KeySpec {
        key: Key::SwitchIntervalMs,
        name: "switch_interval_ms",
        // Below 0.1 ms a long CPU burst would be cut into millions of slices.
        accepts: num(0.1, 1_000.0),
        scope: Scope::Scenario,
        default: "5",
        meaning: doc("threads only: how long a thread waits for the GIL before the holder must hand it over"),
        source: doc("CPython's default switch interval ([`sys.getswitchinterval()`](https://docs.python.org/3/library/sys.html#sys.getswitchinterval))"),
        control: None,
    },
    KeySpec {
        key: Key::ProcessMb,
        name: "process_mb",
        accepts: num(0.0, 100_000.0),
        scope: Scope::Scenario,
        default: "15",
        meaning: doc("unique memory of one worker process, MB"),
        source: doc("project measurement, next table"),
        control: log_slider("Memory per process", "MB", 5.0, 2_000.0),
    },
    KeySpec {
        key: Key::ThreadKib,
        name: "thread_kib",
        accepts: num(0.0, 1_000_000.0),
        scope: Scope::Scenario,
        default: "13",
        meaning: doc("memory of one thread, KiB"),
        source: doc("project measurement, next table"),
        control: None,
    },
    KeySpec {
        key: Key::TaskKib,
        name: "task_kib",
        accepts: num(0.0, 1_000_000.0),
        scope: Scope::Scenario,
        default: "11.7 asyncio, 11.0 uvloop, 14.9 gevent",
        meaning: doc("memory of one connection held as a task or greenlet, KiB"),
        source: doc("project measurement: growth of the server's memory (PSS) per extra connection from 64 to 512 clients ([`data/measured.json`](data/measured.json))"),
        control: None,
    },
    KeySpec {
        key: Key::Loops,
        name: "loops",
        accepts: int(1, 256),
        scope: Scope::Widget,
        default: "one per core",
        meaning: doc("`compare`: event-loop processes on the async side"),
        source: doc("Uvicorn's deployment advice is a process per core ([`--workers`](https://www.uvicorn.org/deployment/))"),
        control: slider("Event-loop processes", "", 1.0, 16.0),
    },
    KeySpec {
        key: Key::BudgetMb,
        name: "budget_mb",
        accepts: num(64.0, 65_536.0),
        scope: Scope::Widget,
        default: "4096",
        meaning: doc("`memory` widget: the RAM budget the connections must fit in, MB"),
        source: doc("a laptop-sized machine"),
        control: log_slider("RAM budget", "MB", 64.0, 65_536.0),
    },
    KeySpec {
        key: Key::TargetRps,
        name: "target_rps",
        accepts: num(0.1, 1_000_000.0),
        scope: Scope::Widget,
        default: "100",
        meaning: doc("`planner`: the requests per second the server must serve"),
        source: doc("a busy small service; our choice"),
        control: log_slider("Target throughput", "/s", 1.0, 20_000.0),
    },
    KeySpec {
        key: Key::TargetP99Ms,
        name: "target_p99_ms",
        accepts: num(1.0, 600_000.0),
        scope: Scope::Widget,
        default: "500",
        meaning: doc("`planner`: the 99th percentile latency the server must stay under, ms"),
        source: doc("half a second for the slowest one in a hundred; our choice"),
        control: log_slider("Target p99", "ms", 10.0, 10_000.0),
    },
    KeySpec {
        key: Key::RamMb,
        name: "ram_mb",
        accepts: num(64.0, 4_194_304.0),
        scope: Scope::Widget,
        default: "4096",
        meaning: doc("`planner`: the RAM the server may use, MB"),
        source: doc("a small cloud instance; our choice"),
        control: log_slider("RAM", "MB", 256.0, 262_144.0),
    },
];

impl Key {
    /// Every key, in the table's order.
    pub fn all() -> impl Iterator<Item = Key> {
        KEYS.iter().map(|spec| spec.key)
    }

    /// Scenario keys only, in the table's order.
    pub fn scenario_keys() -> impl Iterator<Item = Key> {
        KEYS.iter()
            .filter(|spec| spec.scope == Scope::Scenario)
            .map(|spec| spec.key)
    }

    pub fn spec(self) -> &'static KeySpec {
        &KEYS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn from_name(name: &str) -> Option<Key> {
        KEYS.iter()
            .find(|spec| spec.name == name)
            .map(|spec| spec.key)
    }

    pub fn accepts(self) -> Accepts {
        self.spec().accepts
    }

    pub fn control(self) -> Option<Control> {
        self.spec().control
    }

    pub fn is_scenario(self) -> bool {
        self.spec().scope == Scope::Scenario
    }

    /// Checks a number against what the key accepts.
    pub fn check_number(self, value: f64) -> Result<(), ScenarioError> {
        let ok = match self.accepts() {
            Accepts::Int { min, max } => {
                value.fract() == 0.0 && value >= min as f64 && value <= max as f64
            }
            // Written so that NaN fails every comparison and is refused.
            Accepts::Num { min, max, open_min } => {
                (if open_min { value > min } else { value >= min }) && value <= max
            }
            Accepts::Choice(_) => false,
        };
        if ok {
            Ok(())
        } else {
            Err(self.error(format!(
                "must be {}, got {value}",
                self.accepts().expected()
            )))
        }
    }

    /// An error about this key.
    pub fn error(self, message: impl Into<String>) -> ScenarioError {
        ScenarioError::key(self.name(), message)
    }
}

impl Accepts {
    /// "an integer from 1 to 4096", "a number from 0 to 1", "one of ...".
    pub fn expected(self) -> String {
        match self {
            Accepts::Int { min, max } => format!("an integer from {min} to {max}"),
            Accepts::Num {
                min,
                max,
                open_min: false,
            } => format!("a number from {min} to {max}"),
            Accepts::Num {
                min,
                max,
                open_min: true,
            } => format!("a number greater than {min} and at most {max}"),
            Accepts::Choice(names) => {
                let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                format!("one of {}", quoted.join(", "))
            }
        }
    }
}

/// The names of these keys, comma-separated, for messages.
pub fn names(keys: impl Iterator<Item = Key>) -> String {
    keys.map(Key::name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_indexed_by_the_enum() {
        for (index, spec) in KEYS.iter().enumerate() {
            assert_eq!(spec.key as usize, index, "{}", spec.name);
            assert_eq!(Key::from_name(spec.name), Some(spec.key));
        }
    }

    #[test]
    fn every_control_range_is_inside_what_the_key_accepts() {
        for spec in KEYS {
            let Some(control) = spec.control else {
                continue;
            };
            if matches!(spec.accepts, Accepts::Choice(_)) {
                continue;
            }
            for value in [control.min, control.max] {
                spec.key
                    .check_number(value)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            assert!(control.min < control.max, "{}", spec.name);
            if control.scale == Scale::Log {
                assert!(control.min > 0.0, "{}: log scale from 0", spec.name);
            }
        }
    }

    #[test]
    fn numbers_are_checked_against_the_range_and_nan_is_refused() {
        assert!(Key::Workers.check_number(4.0).is_ok());
        assert!(Key::Workers.check_number(4.5).is_err());
        assert!(Key::Cv.check_number(0.0).is_err());
        assert!(Key::CpuMs.check_number(f64::NAN).is_err());
        assert_eq!(
            Key::Cores.check_number(0.0).unwrap_err().to_string(),
            "key `cores`: must be an integer from 1 to 256, got 0"
        );
    }
}
