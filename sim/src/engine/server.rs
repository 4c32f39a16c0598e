//! The model rules: what each event does to requests, workers, processes and cores.
//!
//! A request is `io_calls + 1` CPU bursts around `io_calls` I/O waits. Who may run a
//! burst depends on the server kind:
//!
//! - processes: each worker process runs its one request's bursts; processes share the
//!   cores (see `cpu.rs`).
//! - threads: one process; a thread needs the GIL to run a burst. A thread that has
//!   waited the switch interval (5 ms) for the GIL forces the holder to drop it, as
//!   CPython's `take_gil` does; I/O waits release it and overlap freely.
//! - asyncio, uvloop, gevent: each process runs an event loop that runs one task's
//!   burst to its next I/O call (non-preemptive); ready tasks wait in FIFO order. An I/O
//!   call that blocks (`blocking_share`) holds the whole loop, without using the CPU.
//!
//! Every start of a burst on a CPU, GIL or loop is one context switch, and costs
//! `switch_us` of extra CPU work. The switches an OS makes to time-slice processes
//! that share a core are not charged: processor sharing is the fluid limit of that
//! slicing, with no slices to count.

use super::dist::{self, exponential};
use super::events::Event;
use super::state::{Client, Phase, Request, NONE};
use super::Simulation;
use crate::{defaults, ServerKind};

impl Simulation {
    pub(super) fn req(&mut self, slot: u32) -> &mut Request {
        &mut self.requests.slots[slot as usize]
    }

    pub(super) fn set_phase(&mut self, slot: u32, phase: Phase) {
        let now = self.now;
        let r = self.req(slot);
        if r.phase.is_waiting() {
            r.waited += now - r.since;
            self.waiting -= 1;
        }
        let r = self.req(slot);
        r.phase = phase;
        r.since = now;
        if phase.is_waiting() {
            self.waiting += 1;
        }
    }

    /// A think time for a closed client (exponential with mean `think_ms`).
    pub(super) fn think_time(&mut self) -> f64 {
        if self.think_s > 0.0 {
            exponential(&mut self.arrivals, self.think_s)
        } else {
            0.0
        }
    }

    /// A request arrives from closed client `client` (or `NONE`: an open arrival).
    pub(super) fn arrive(&mut self, client: u32) {
        let number = self.metrics.arrived;
        self.metrics.arrived += 1;
        let target = self.free_capacity();
        if target == NONE && self.backlog_len >= self.queue_limit {
            self.metrics.dropped();
            self.outcome_recorded();
            if client != NONE {
                self.client_next(client, defaults::REFUSED_RETRY_S);
            }
            return;
        }
        let slot = self.requests.insert(Request {
            number,
            client,
            arrived: self.now,
            phase: Phase::Free,
            since: self.now,
            worker: NONE,
            bursts_left: self.bursts,
            work_left: 0.0,
            waited: 0.0,
            demand: 0.0,
            abandoned: false,
            rng: dist::stream(self.scenario.seed, number),
        });
        if client != NONE {
            self.clients[client as usize] = Client {
                request: slot,
                number,
                since: self.now,
            };
        }
        if self.timeout_s > 0.0 {
            self.timeouts
                .push_back((self.now + self.timeout_s, slot, number));
            self.compact_timeouts();
        }
        if target != NONE {
            self.admit(slot, target);
        } else {
            self.set_phase(slot, Phase::Queued);
            self.backlog.push_back((slot, number));
            self.backlog_len += 1;
        }
    }

    /// A worker (sync kinds) or loop process (event loops) that can take a request now.
    fn free_capacity(&mut self) -> u32 {
        if !self.kind.is_event_loop() {
            return self.idle.last().copied().unwrap_or(NONE);
        }
        // Round robin without `%`: an integer division per arrival shows in profiles.
        let n = self.processes.len() as u32;
        let mut p = self.next_loop;
        for _ in 0..n {
            let next = if p + 1 == n { 0 } else { p + 1 };
            if self.processes[p as usize].tasks < self.max_tasks {
                self.next_loop = next;
                return p;
            }
            p = next;
        }
        NONE
    }

    fn admit(&mut self, slot: u32, target: u32) {
        if self.kind.is_event_loop() {
            self.processes[target as usize].tasks += 1;
            self.tasks += 1;
            let mb = self.memory_mb();
            self.metrics.memory_peak_mb = self.metrics.memory_peak_mb.max(mb);
        } else {
            let w = self.idle.pop().unwrap_or(target);
            self.workers[w as usize].request = slot;
        }
        self.req(slot).worker = target;
        self.start_burst(slot);
    }

    /// Process of the worker (or loop) serving `slot`.
    fn process_of(&self, slot: u32) -> u32 {
        let w = self.requests.slots[slot as usize].worker;
        if self.kind.is_event_loop() {
            w
        } else {
            self.workers[w as usize].process
        }
    }

    fn draw_burst(&mut self, slot: u32) {
        let burst = self.work.burst;
        let r = self.req(slot);
        let work = burst.sample(&mut r.rng);
        r.demand += work;
        r.bursts_left -= 1;
        r.work_left = work;
    }

    /// The request's next CPU burst wants to run (after admission or an I/O wait).
    pub(super) fn start_burst(&mut self, slot: u32) {
        self.draw_burst(slot);
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

    /// Process `p`'s burst is done.
    pub(super) fn burst_done(&mut self, p: u32) {
        let slot = std::mem::replace(&mut self.processes[p as usize].on_cpu, NONE);
        if self.req(slot).bursts_left == 0 {
            self.release_cpu(p);
            self.finish(slot);
            return;
        }
        let (io, blocks) = {
            let work = self.work;
            let r = self.req(slot);
            let io = work.io.sample(&mut r.rng);
            r.demand += io;
            (io, work.blocks(&mut r.rng))
        };
        if blocks {
            // The loop stays held, so nothing else runs until the call returns.
            self.set_phase(slot, Phase::BlockingIo);
            self.processes[p as usize].blocked_by = slot;
            self.queue.push(self.now + io, Event::BlockingIoDone(slot));
        } else {
            self.set_phase(slot, Phase::Io);
            self.queue.push(self.now + io, Event::IoDone(slot));
            self.release_cpu(p);
        }
    }

    /// The blocking call returns; the same task goes on running without a switch.
    pub(super) fn blocking_io_done(&mut self, slot: u32) {
        let p = self.process_of(slot);
        self.processes[p as usize].blocked_by = NONE;
        self.draw_burst(slot);
        self.run_on_cpu(p, slot, false);
    }

    /// Process `p` no longer runs a burst: hand the GIL or the loop on.
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

    /// The server is done with `slot`: reply (unless the client gave up), free the
    /// worker or task, take the next request from the backlog.
    fn finish(&mut self, slot: u32) {
        let r = &self.requests.slots[slot as usize];
        let (client, abandoned, latency, waited, demand) = (
            r.client,
            r.abandoned,
            self.now - r.arrived,
            r.waited,
            r.demand,
        );
        let worker = r.worker;
        if !abandoned {
            self.metrics.completed(latency, waited, demand);
            self.window.completed(latency);
            self.outcome_recorded();
        }
        if self.kind.is_event_loop() {
            self.processes[worker as usize].tasks -= 1;
            self.tasks -= 1;
        } else {
            self.workers[worker as usize].request = NONE;
            self.idle.push(worker);
        }
        self.requests.remove(slot);
        self.admit_from_backlog();
        if !abandoned && client != NONE {
            self.client_next(client, 0.0);
        }
    }

    fn admit_from_backlog(&mut self) {
        while let Some(&(slot, number)) = self.backlog.front() {
            let r = &self.requests.slots[slot as usize];
            if r.number != number || r.phase != Phase::Queued {
                self.backlog.pop_front(); // timed out while queued
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

    /// After each outcome: end warmup when its count is reached.
    pub(super) fn outcome_recorded(&mut self) {
        if !self.metrics.measuring && self.metrics.total.finished() >= self.scenario.warmup {
            self.metrics.start_measuring(self.now);
        }
    }
}
