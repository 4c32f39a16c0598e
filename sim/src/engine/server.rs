//! The model rules: what each event does to requests, workers, processes and cores.
//!
//! A request is CPU bursts around waits: its database queries (`db_calls`, when it has
//! database time), then its I/O calls (`io_calls`, when it has I/O time). Its totals are
//! drawn when it arrives and split evenly: each burst is an equal share of its CPU time,
//! each wait of its I/O or database time. The server's own CPU per request
//! (`overhead_us`) runs with the first burst. Who may run a burst depends on the kind:
//!
//! - processes: each worker process runs its one request's bursts; processes share the
//!   cores (see `cpu.rs`).
//! - threads: `workers` processes of `threads` threads; a thread needs its process's
//!   GIL to run a burst. A thread that has waited the switch interval (5 ms) for the GIL
//!   forces the holder to drop it, as CPython's `take_gil` does; waits release it and
//!   overlap freely.
//! - asyncio, uvloop, gevent: each process runs an event loop that runs one task's
//!   burst to its next wait (non-preemptive); ready tasks wait in FIFO order. An I/O
//!   wait that blocks (`blocking_share` of them; queries never do, their driver is
//!   awaited) holds the whole loop, without using the CPU.
//!
//! Every start of a burst on a CPU, GIL or loop is one context switch, and costs
//! `switch_us` of extra CPU work. The switches an OS makes to time-slice processes
//! that share a core are not charged: processor sharing is the fluid limit of that
//! slicing, with no slices to count.

use super::dist;
use super::events::Event;
use super::metrics::Counts;
use super::state::{Phase, Release, Request, Turn, NONE};
use super::Simulation;
use crate::{ServerKind, TraceKind};

impl Simulation {
    pub(super) fn req(&mut self, slot: u32) -> &mut Request {
        &mut self.requests.slots[slot as usize]
    }

    #[inline]
    pub(super) fn set_phase(&mut self, slot: u32, phase: Phase) {
        let now = self.now;
        let r = self.req(slot);
        let old = r.phase;
        let spent = now - r.since;
        if old.is_waiting() {
            r.waited += spent;
        }
        if old.is_db_waiting() {
            r.db_waited += spent;
        }
        r.phase = phase;
        r.since = now;
        let (number, worker) = (r.number, r.worker);
        if self.trace.is_some() {
            self.trace_phase(number, worker, phase);
        }
        self.waiting -= u32::from(old.is_waiting());
        self.waiting += u32::from(phase.is_waiting());
        self.db_waiting -= u32::from(old.is_db_waiting());
        self.db_waiting += u32::from(phase.is_db_waiting());
    }

    /// A think time for a closed client (exponential with mean `think_ms`).
    pub(super) fn think_time(&mut self) -> f64 {
        if self.think_s > 0.0 {
            dist::exponential(&mut self.arrivals, self.think_s)
        } else {
            0.0
        }
    }

    /// A request arrives from closed client `client` (or `NONE`: an open arrival).
    pub(super) fn arrive(&mut self, client: u32) {
        let number = self.metrics.arrived;
        self.metrics.arrived += 1;
        self.colocated();
        // The process holding the client's kept-alive connection, if it keeps one.
        let kept = if client == NONE {
            NONE
        } else {
            self.clients[client as usize].process
        };
        let target = if kept != NONE || self.limit > 0 {
            let p = if kept != NONE {
                kept
            } else {
                self.next_process()
            };
            // uvicorn accepts the connection, then answers 503 past its limit.
            if self.limit > 0 && self.processes[p as usize].tasks >= self.limit {
                self.traced(number, TraceKind::Rejected);
                self.refuse(client, |c| &mut c.rejected);
                return;
            }
            if kept != NONE {
                self.kept_room(p)
            } else if self.processes[p as usize].tasks < self.max_tasks {
                p
            } else {
                NONE
            }
        } else {
            self.free_capacity()
        };
        if target == NONE && kept == NONE && self.backlog_len >= self.queue_limit {
            self.traced(number, TraceKind::Refused);
            self.refuse(client, |c| &mut c.dropped);
            return;
        }
        let mut rng = dist::stream(self.scenario.seed, number);
        let plan = self.work.plan(&mut rng);
        let slot = self.requests.insert(Request {
            number,
            client,
            arrived: self.now,
            phase: Phase::Free,
            since: self.now,
            worker: NONE,
            plan,
            bursts_left: self.bursts,
            waits_done: 0,
            work_left: 0.0,
            waited: 0.0,
            db_waited: 0.0,
            demand: 0.0,
            abandoned: false,
            blocking: false,
            holds_pool: false,
            turn: Turn::Work,
            release: Release::None,
            rng,
        });
        if client != NONE {
            let c = &mut self.clients[client as usize];
            (c.request, c.number, c.since) = (slot, number, self.now);
        }
        if self.timeout_s > 0.0 {
            self.timeouts
                .push_back((self.now + self.timeout_s, slot, number));
            self.compact_timeouts();
        }
        if target != NONE {
            self.admit(slot, target);
        } else if kept != NONE {
            self.wait_kept(slot, number, kept);
        } else {
            self.set_phase(slot, Phase::Queued);
            self.backlog.push_back((slot, number));
            self.backlog_len += 1;
        }
    }

    /// Other programs on the machine (the database, the load generator) spend their CPU
    /// for this request: a burst on the shared cores that holds up no request but takes
    /// its share of them.
    fn colocated(&mut self) {
        if self.colocated_s > 0.0 {
            if let Some(slot) = self.colocated_free.pop() {
                self.cpu.start(slot, self.colocated_s);
            }
        }
    }

    /// The server turns a request away at the door (`outcome` says how); its client
    /// tries again later.
    fn refuse(&mut self, client: u32, outcome: fn(&mut Counts) -> &mut u64) {
        self.metrics.count(outcome);
        self.outcome_recorded();
        if client != NONE {
            self.client_failed(client);
        }
    }

    /// The next event-loop process in turn. Round robin without `%`: an integer
    /// division per arrival shows in profiles.
    fn next_process(&mut self) -> u32 {
        let p = self.next_loop;
        let n = self.processes.len() as u32;
        self.next_loop = if p + 1 == n { 0 } else { p + 1 };
        p
    }

    /// A worker (sync kinds) or loop process (event loops) that can take a request now.
    fn free_capacity(&mut self) -> u32 {
        if !self.kind.is_event_loop() {
            return self.idle.last().copied().unwrap_or(NONE);
        }
        for _ in 0..self.processes.len() {
            let p = self.next_process();
            if self.processes[p as usize].tasks < self.max_tasks {
                return p;
            }
        }
        NONE
    }

    pub(super) fn admit(&mut self, slot: u32, target: u32) {
        if self.kind.is_event_loop() {
            self.processes[target as usize].tasks += 1;
            self.tasks += 1;
            let mb = self.memory_mb();
            if mb > self.metrics.memory_peak_mb {
                self.metrics.memory_peak_mb = mb;
            }
        } else {
            let w = self.idle.pop().unwrap_or(target);
            self.workers[w as usize].request = slot;
        }
        self.req(slot).worker = target;
        self.start_burst(slot);
    }

    /// Process of the worker (or loop) serving `slot`.
    #[inline]
    pub(super) fn process_of(&self, slot: u32) -> u32 {
        let w = self.requests.slots[slot as usize].worker;
        if self.kind.is_event_loop() {
            w
        } else {
            self.workers[w as usize].process
        }
    }

    /// The request's next burst is now its work left.
    fn next_burst(&mut self, slot: u32) {
        let bursts = self.bursts;
        let r = self.req(slot);
        let mut work = r.plan.burst_s;
        if r.bursts_left == bursts {
            work += r.plan.overhead_s;
        }
        r.demand += work;
        r.bursts_left -= 1;
        r.work_left = work;
    }

    /// The request's next CPU burst wants to run (after admission or a wait).
    pub(super) fn start_burst(&mut self, slot: u32) {
        self.next_burst(slot);
        self.want_cpu(slot);
    }

    /// The request wants its process's CPU for its work left: at once for a sync
    /// process, after the GIL for a thread, in its turn for a loop's task.
    pub(super) fn want_cpu(&mut self, slot: u32) {
        let p = self.process_of(slot);
        match self.kind {
            ServerKind::Processes => self.run_on_cpu(p, slot, true),
            ServerKind::Threads => {
                if self.processes[p as usize].on_cpu == NONE {
                    self.run_on_cpu(p, slot, true);
                } else {
                    self.set_phase(slot, Phase::WaitingGil);
                    self.processes[p as usize].gil_waiters.push_back(slot);
                    self.arm_gil_timer(p);
                }
            }
            ServerKind::Asyncio | ServerKind::Uvloop | ServerKind::Gevent => {
                let proc = &self.processes[p as usize];
                if proc.loop_free() && proc.ready.is_empty() && self.trace.is_none() {
                    // Straight on: a ready phase of no length, which only a trace shows.
                    self.run_on_cpu(p, slot, true);
                    return;
                }
                self.set_phase(slot, Phase::Ready);
                self.processes[p as usize].ready.push_back(slot);
                self.loop_next(p);
            }
        }
    }

    pub(super) fn run_on_cpu(&mut self, p: u32, slot: u32, switch: bool) {
        self.set_phase(slot, Phase::OnCpu);
        let mut work = self.req(slot).work_left;
        if switch {
            work += self.switch_s;
            self.metrics.switches += 1;
        }
        self.processes[p as usize].on_cpu = slot;
        self.cpu.start(p, work);
    }

    /// Process `p`'s burst is done: the request finishes, or starts its next wait.
    pub(super) fn burst_done(&mut self, p: u32) {
        let slot = std::mem::replace(&mut self.processes[p as usize].on_cpu, NONE);
        match std::mem::replace(&mut self.req(slot).turn, Turn::Work) {
            Turn::PoolWakeup => {
                self.metrics.count(|c| &mut c.pool_wakeups);
                if self.processes[p as usize].pool_free == 0 {
                    self.metrics.count(|c| &mut c.pool_lost);
                }
                self.take_pool_connection(slot);
                self.release_cpu(p);
                return;
            }
            // Its connection already went back with the round trip: on from there.
            Turn::AfterRelease | Turn::Work => {}
        }
        if self.req(slot).release == Release::Due {
            self.release_cpu(p);
            self.give_back(slot);
            return;
        }
        self.release_pool(slot);
        if self.req(slot).bursts_left == 0 {
            self.release_cpu(p);
            self.finish(slot);
            return;
        }
        let (query, duration, blocks) = {
            let work = self.work;
            let r = self.req(slot);
            let query = r.waits_done < work.db_waits;
            r.waits_done += 1;
            let duration = if query { r.plan.db_s } else { r.plan.io_s };
            r.demand += duration;
            // Queries go through the database driver, which an async server awaits; the
            // blocking mistake is in the application's other calls.
            let blocks = !query && work.blocks(&mut r.rng);
            r.blocking = blocks;
            (query, duration, blocks)
        };
        if blocks {
            // The loop stays held, so nothing else runs until the call returns.
            self.processes[p as usize].blocked_by = slot;
        } else {
            self.release_cpu(p);
        }
        if query {
            self.query(slot);
        } else {
            let phase = if blocks { Phase::BlockingIo } else { Phase::Io };
            self.set_phase(slot, phase);
            self.queue.push(self.now + duration, Event::IoDone(slot));
        }
    }

    /// A wait is over: the request's next burst wants the CPU. After a blocking call the
    /// same task goes on running on its loop without a switch.
    pub(super) fn wait_done(&mut self, slot: u32) {
        if !std::mem::take(&mut self.req(slot).blocking) {
            self.start_burst(slot);
            return;
        }
        let p = self.process_of(slot);
        self.processes[p as usize].blocked_by = NONE;
        self.next_burst(slot);
        self.run_on_cpu(p, slot, false);
    }

    /// Process `p` no longer runs a burst: hand the GIL or the loop on.
    #[inline]
    fn release_cpu(&mut self, p: u32) {
        match self.kind {
            ServerKind::Processes => {}
            ServerKind::Threads => self.gil_next(p),
            _ => self.loop_next(p),
        }
    }

    fn loop_next(&mut self, p: u32) {
        let proc = &mut self.processes[p as usize];
        if proc.loop_free() {
            if let Some(slot) = proc.ready.pop_front() {
                self.run_on_cpu(p, slot, true);
            }
        }
    }

    /// The server is done with `slot`: reply (unless the client gave up, which makes it
    /// wasted work), free the worker or task, take the next request from the backlog.
    fn finish(&mut self, slot: u32) {
        let r = &self.requests.slots[slot as usize];
        let (client, abandoned, heavy) = (r.client, r.abandoned, r.plan.heavy);
        let (latency, waits, demand) = (self.now - r.arrived, (r.waited, r.db_waited), r.demand);
        let (worker, number) = (r.worker, r.number);
        if abandoned {
            self.traced(number, TraceKind::Wasted);
            self.metrics.count(|c| &mut c.wasted);
            self.window.completed(None);
        } else {
            self.traced(number, TraceKind::Replied { latency_s: latency });
            self.metrics.replied(latency, waits, demand, heavy);
            self.window.completed(Some((latency, heavy)));
            self.outcome_recorded();
        }
        let process = if self.kind.is_event_loop() {
            self.processes[worker as usize].tasks -= 1;
            self.tasks -= 1;
            worker
        } else {
            self.workers[worker as usize].request = NONE;
            self.idle.push(worker);
            self.workers[worker as usize].process
        };
        self.requests.remove(slot);
        if self.keep_alive {
            self.admit_kept(process);
        }
        self.admit_from_backlog();
        if !abandoned && client != NONE {
            self.clients[client as usize].attempt = 0;
            self.client_next(client, 0.0);
        }
    }

    fn admit_from_backlog(&mut self) {
        while let Some(&(slot, number)) = self.backlog.front() {
            let r = &self.requests.slots[slot as usize];
            if r.number != number || r.phase != Phase::Queued {
                self.backlog.pop_front(); // dropped after its client gave up
                continue;
            }
            let target = self.free_capacity();
            if target == NONE {
                return;
            }
            self.backlog.pop_front();
            self.backlog_len -= 1;
            self.admit(slot, target);
        }
    }

    /// After each outcome: end warmup when its count is reached, and note when the
    /// measured requests are all done.
    pub(super) fn outcome_recorded(&mut self) {
        if !self.metrics.measuring && self.metrics.total.finished() >= self.scenario.warmup {
            self.metrics.start_measuring(self.now);
        }
        self.done =
            self.metrics.measuring && self.metrics.measured.finished() >= self.scenario.requests;
    }
}
