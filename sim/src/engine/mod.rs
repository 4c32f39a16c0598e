//! The discrete-event engine: one clock, and at each step the earliest of four
//! sources of events (a CPU burst finishing, a timed event, a client timeout, an open
//! arrival). The rules for what each event does are in `server.rs`.

mod clients;
mod cpu;
mod db;
mod dist;
mod events;
mod gil;
mod heap;
mod keepalive;
mod metrics;
mod server;
mod state;
mod trace;
mod views;
mod window;
mod ziggurat;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

use std::collections::VecDeque;

use rand_pcg::Pcg64Mcg;

use crate::{defaults, Report, Scenario, ServerKind, WindowMetrics, Workload};
use cpu::Cpu;
use dist::Work;
use events::{Event, EventQueue};
use metrics::Metrics;
use state::{Client, Process, Slab, Worker, NONE};
use window::Window;

/// The smaller of two times. Event times are never NaN, so this skips the NaN
/// handling of `f64::min`, which costs in the per-event path.
#[inline]
fn earliest(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

/// A simulation that can be advanced step by step and inspected between steps.
///
/// It never ends by itself: an open workload always has a next arrival, and a closed
/// client always comes back. [`Simulation::is_done`] says when the scenario's
/// `warmup + requests` requests have finished, which is where [`crate::run`] stops.
#[derive(Debug, Clone)]
pub struct Simulation {
    scenario: Scenario,
    kind: ServerKind,
    work: Work,
    /// CPU bursts per request: one more than its waits.
    bursts: u32,
    switch_s: f64,
    gil_interval_s: f64,
    timeout_s: f64,
    think_s: f64,
    arrival_mean_s: f64,
    max_tasks: u32,
    /// Tasks per process past which new requests get a 503; 0: no limit.
    limit: u32,
    queue_limit: u32,
    /// Pool connections per process, and database connections; 0: no limit.
    pool_limit: u32,
    db_limit: u32,
    /// A freed pool connection wakes its next waiter rather than going to it.
    pool_barging: bool,
    /// The round trip that gives a query's connection back, s; 0: none.
    release_s: f64,
    /// Closed clients keep their connection to one process (`busiest_share`).
    keep_alive: bool,
    retries: u32,
    abandon_drops: bool,
    /// Memory that does not depend on load, and per task, MB.
    fixed_mb: f64,
    task_mb: f64,

    now: f64,
    events: u64,
    queue: EventQueue,
    cpu: Cpu,
    /// Client deadlines in arrival order: (deadline, slot, arrival number).
    timeouts: VecDeque<(f64, u32, u64)>,
    /// Next open arrival, or infinity for a closed workload.
    next_arrival: f64,
    /// Arrival and think times.
    arrivals: Pcg64Mcg,

    requests: Slab,
    workers: Vec<Worker>,
    /// Idle sync workers, used last-in first-out.
    idle: Vec<u32>,
    processes: Vec<Process>,
    /// Event loops: where the search for a loop with room starts (round robin).
    next_loop: u32,
    /// (slot, arrival number) of requests in the backlog; may hold stale entries of
    /// requests that timed out there.
    backlog: VecDeque<(u32, u64)>,
    backlog_len: u32,
    clients: Vec<Client>,
    /// Requests in a waiting phase (backlog, GIL, ready queues).
    waiting: u32,
    /// Database connections free now (when the database has a limit).
    db_free: u32,
    /// Requests holding a pool connection, waiting for the database, in order.
    db_waiters: VecDeque<u32>,
    /// Requests waiting for a pool connection or the database, and queries running.
    db_waiting: u32,
    db_running: u32,
    /// Event-loop tasks over all processes.
    tasks: u32,

    metrics: Metrics,
    /// The measured requests are all done: kept by `outcome_recorded`, so that the run
    /// loop does not add up the outcome counts at every event.
    done: bool,
    window: Window,
    /// Every change in a request's life, when a widget keeps it.
    trace: Option<Box<trace::Trace>>,
    /// Other programs' CPU per request, s, and their free slots on the cores.
    colocated_s: f64,
    colocated_free: Vec<u32>,
}

/// Other programs' bursts that may run on the cores at once: enough for any load the
/// model can hold without drowning the engine in them.
const COLOCATED_SLOTS: u32 = 256;

impl Simulation {
    /// A simulation at time 0 of a scenario that passed [`Scenario::validate`].
    pub fn new(scenario: &Scenario) -> Simulation {
        let kind = scenario.server;
        let n_processes = scenario.processes();
        let threads = scenario.effective_threads();
        let workers: Vec<Worker> = if kind.is_event_loop() {
            Vec::new()
        } else {
            (0..scenario.pool_size())
                .map(|w| Worker {
                    process: w / threads,
                    request: NONE,
                })
                .collect()
        };
        let work = Work::new(scenario);
        // Slots on the cores for other programs' CPU (see `colocated`).
        let colocated_slots = if scenario.colocated_cpu_ms > 0.0 {
            COLOCATED_SLOTS
        } else {
            0
        };
        let (fixed_mb, task_mb) = crate::memory::server_mb(scenario);
        let mut arrivals = dist::stream(scenario.seed, dist::ARRIVALS);
        let (next_arrival, arrival_mean_s, n_clients) = match scenario.workload() {
            Workload::Open { rate } => {
                (dist::exponential(&mut arrivals, 1.0 / rate), 1.0 / rate, 0)
            }
            Workload::Closed { clients } => (f64::INFINITY, 0.0, clients),
        };
        let mut sim = Simulation {
            scenario: scenario.clone(),
            kind,
            work,
            bursts: work.waits() + 1,
            switch_s: scenario.effective_switch_us() / 1e6,
            gil_interval_s: scenario.switch_interval_ms / 1e3,
            timeout_s: scenario.timeout_ms / 1e3,
            think_s: scenario.think_ms / 1e3,
            arrival_mean_s,
            max_tasks: scenario.effective_max_tasks(),
            limit: if kind.is_event_loop() {
                scenario.limit_concurrency
            } else {
                0
            },
            queue_limit: scenario.queue_limit,
            pool_limit: if work.db_waits > 0 {
                scenario.db_pool
            } else {
                0
            },
            db_limit: if work.db_waits > 0 {
                scenario.db_connections
            } else {
                0
            },
            pool_barging: scenario.pool_queue_matters()
                && scenario.db_pool_queue == crate::PoolQueue::Barging,
            release_s: if work.db_waits > 0 {
                scenario.db_release_ms / 1e3
            } else {
                0.0
            },
            keep_alive: scenario.keeps_connections(),
            retries: scenario.retries,
            abandon_drops: scenario.abandon == crate::Abandon::Dropped,
            fixed_mb,
            task_mb,
            now: 0.0,
            events: 0,
            queue: EventQueue::default(),
            cpu: Cpu::new(scenario.cores, n_processes + colocated_slots),
            timeouts: VecDeque::new(),
            next_arrival,
            arrivals,
            requests: Slab::default(),
            idle: (0..workers.len() as u32).rev().collect(),
            workers,
            processes: (0..n_processes)
                .map(|_| Process::new(scenario.db_pool))
                .collect(),
            next_loop: 0,
            backlog: VecDeque::new(),
            backlog_len: 0,
            clients: Vec::with_capacity(n_clients as usize),
            waiting: 0,
            db_free: scenario.db_connections,
            db_waiters: VecDeque::new(),
            db_waiting: 0,
            db_running: 0,
            tasks: 0,
            metrics: Metrics::new(scenario.heavy_share > 0.0, work.db_waits > 0),
            done: false,
            window: Window::new(defaults::WINDOW_S, scenario.heavy_share > 0.0),
            trace: None,
            colocated_s: scenario.colocated_cpu_ms / 1e3,
            colocated_free: (n_processes..n_processes + colocated_slots).rev().collect(),
        };
        sim.metrics.memory_peak_mb = fixed_mb;
        if scenario.warmup == 0 {
            sim.metrics.start_measuring(0.0);
            sim.done = scenario.requests == 0;
        }
        for c in 0..n_clients {
            let process = sim.kept_process(c, n_clients);
            sim.clients.push(Client {
                request: NONE,
                number: 0,
                since: 0.0,
                attempt: 0,
                process,
            });
            let think = sim.think_time();
            sim.queue.push(think, Event::ThinkDone(c));
        }
        sim
    }

    /// The scenario being simulated.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Simulated time now, s.
    pub fn now_s(&self) -> f64 {
        self.now
    }

    /// Events run so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Runs the events due up to time `t_s`, at most `max_events` of them, and returns
    /// how many ran. When all due events ran, the clock moves to `t_s`.
    pub fn advance_to(&mut self, t_s: f64, max_events: u64) -> u64 {
        if t_s.is_nan() {
            return 0;
        }
        let mut ran = 0;
        while ran < max_events {
            if self.next_time() > t_s {
                if t_s.is_finite() && t_s > self.now {
                    self.tick(t_s);
                }
                break;
            }
            if !self.step() {
                break;
            }
            ran += 1;
        }
        ran
    }

    /// Runs exactly one event; false if nothing is left to run.
    pub fn step(&mut self) -> bool {
        self.drop_stale_timeouts();
        let t_cpu = self.cpu.next_time();
        let t_event = self.queue.peek_time();
        let t_timeout = self.timeouts.front().map_or(f64::INFINITY, |e| e.0);
        let t = earliest(
            earliest(t_cpu, t_event),
            earliest(t_timeout, self.next_arrival),
        );
        if t == f64::INFINITY {
            return false;
        }
        // Rounding in the CPU's virtual clock can put a completion a hair before now.
        self.tick(if t > self.now { t } else { self.now });
        self.events += 1;
        if t_cpu == t {
            if let Some(p) = self.cpu.pop_finished() {
                if (p as usize) < self.processes.len() {
                    self.burst_done(p);
                } else {
                    self.colocated_free.push(p);
                }
            }
        } else if t_event == t {
            if let Some((_, event)) = self.queue.pop() {
                match event {
                    Event::IoDone(slot) => self.wait_done(slot),
                    Event::DbDone(slot) => self.query_done(slot),
                    Event::ThinkDone(c) => self.arrive(c),
                    Event::GilTimer(p) => self.gil_timer(p),
                }
            }
        } else if t_timeout == t {
            if let Some((_, slot, _)) = self.timeouts.pop_front() {
                self.time_out(slot);
            }
        } else {
            self.next_arrival =
                self.now + dist::exponential(&mut self.arrivals, self.arrival_mean_s);
            self.arrive(NONE);
        }
        true
    }

    /// Time of the next event, or infinity.
    fn next_time(&mut self) -> f64 {
        self.drop_stale_timeouts();
        let t_timeout = self.timeouts.front().map_or(f64::INFINITY, |e| e.0);
        let t = earliest(
            earliest(self.cpu.next_time(), self.queue.peek_time()),
            earliest(t_timeout, self.next_arrival),
        );
        if t > self.now {
            t
        } else {
            self.now
        }
    }

    /// Moves the clock to `t`, accumulating the time integrals over the interval in
    /// which nothing changed.
    fn tick(&mut self, t: f64) {
        let dt = t - self.now;
        if dt > 0.0 {
            let busy = self.cpu.busy();
            self.window
                .advance(t, self.now, self.metrics.integrals.busy, busy);
            let integrals = &mut self.metrics.integrals;
            integrals.busy += dt * busy;
            integrals.queue += dt * f64::from(self.waiting);
            integrals.db += dt * f64::from(self.db_running);
            self.cpu.advance(t);
            self.now = t;
        }
    }

    /// True once `warmup + requests` requests have finished (completed, refused or
    /// timed out).
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Runs until [`Simulation::is_done`].
    pub fn run_to_end(&mut self) {
        while !self.is_done() && self.step() {}
    }

    /// Metrics over the last [`defaults::WINDOW_S`] simulated seconds.
    pub fn window(&self) -> WindowMetrics {
        let s = self.window.stats(self.now, self.metrics.integrals.busy);
        let per_s = |x: f64| if s.span_s > 0.0 { x / s.span_s } else { 0.0 };
        let total = self.metrics.total;
        WindowMetrics {
            window_s: s.span_s,
            throughput_rps: per_s(s.completed as f64),
            goodput_rps: per_s(s.replied as f64),
            p50_ms: s.p50_ms,
            p95_ms: s.p95_ms,
            p99_ms: s.p99_ms,
            light_p99_ms: s.light_p99_ms,
            cpu_utilization: per_s(s.busy_int) / f64::from(self.scenario.cores),
            queue_len: self.waiting,
            in_flight: self.in_flight() as u32,
            busy_workers: self.busy_workers(),
            memory_mb: self.memory_mb(),
            db_waiting: self.db_waiting,
            db_running: self.db_running,
            completed: total.served(),
            dropped: total.dropped,
            rejected: total.rejected,
            timed_out: total.timed_out,
            wasted: total.wasted,
        }
    }

    /// Ends warmup now, whatever the scenario's `warmup` count (give a count no run
    /// reaches, such as `u64::MAX`, to leave it to this): from here on, outcomes are
    /// measured and [`Simulation::report`] covers them. A still figure measures from a
    /// time rather than a count.
    pub fn measure_from_now(&mut self) {
        if !self.metrics.measuring {
            self.metrics.start_measuring(self.now);
        }
    }

    /// Cumulative metrics so far (of the measured part, once warmup is over).
    pub fn report(&self) -> Report {
        self.metrics
            .report(self.now, self.scenario.cores, self.db_limit, self.events)
    }

    /// Requests that arrived since time 0.
    pub fn arrived(&self) -> u64 {
        self.metrics.arrived
    }

    /// Requests whose client is still waiting for the reply.
    pub fn in_flight(&self) -> u64 {
        self.metrics.arrived - self.metrics.total.finished()
    }

    /// Requests the server holds, including those whose client gave up.
    pub fn held(&self) -> u32 {
        self.requests.live()
    }

    /// Requests waiting now (backlog, GIL, ready queues).
    pub fn queue_len(&self) -> u32 {
        self.waiting
    }

    /// The process of a request's worker (or loop).
    #[cfg(test)]
    pub(crate) fn process_of_request(&self, r: &state::Request) -> u32 {
        if self.kind.is_event_loop() {
            r.worker
        } else {
            self.workers[r.worker as usize].process
        }
    }

    /// Server memory now, MB.
    pub fn memory_mb(&self) -> f64 {
        self.fixed_mb + f64::from(self.tasks) * self.task_mb
    }
}
