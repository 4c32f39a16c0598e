//! The live entities as widgets see them.

use super::state::{Phase, NONE};
use super::Simulation;
use crate::{
    ClientState, ClientView, DatabaseView, ProcessView, RequestView, WorkerState, WorkerView,
};

impl Simulation {
    /// Every request the server holds, in slot order (not arrival order). Requests
    /// refused at the door never appear.
    pub fn requests(&self) -> impl Iterator<Item = RequestView> + '_ {
        self.requests.slots.iter().filter_map(|r| {
            let phase = super::trace::view_phase(r.phase, r.worker)?;
            Some(RequestView {
                id: r.number,
                client: (r.client != NONE).then_some(r.client),
                phase,
                since_s: r.since,
                arrived_s: r.arrived,
                abandoned: r.abandoned,
                waits_done: r.waits_done,
            })
        })
    }

    /// The workers: one per process of `processes`, one per thread of `threads`, one
    /// per event loop of the other kinds.
    pub fn workers(&self) -> impl Iterator<Item = WorkerView> + '_ {
        let n = if self.kind.is_event_loop() {
            self.processes.len()
        } else {
            self.workers.len()
        };
        (0..n as u32).map(|i| self.worker_view(i))
    }

    fn worker_view(&self, i: u32) -> WorkerView {
        let number = |slot: u32| (slot != NONE).then(|| self.requests.slots[slot as usize].number);
        if self.kind.is_event_loop() {
            let p = &self.processes[i as usize];
            let (state, slot) = if p.on_cpu != NONE {
                (WorkerState::Cpu, p.on_cpu)
            } else if p.blocked_by != NONE {
                (WorkerState::Io, p.blocked_by)
            } else if p.tasks > 0 {
                (WorkerState::Waiting, NONE)
            } else {
                (WorkerState::Idle, NONE)
            };
            WorkerView {
                id: i,
                process: i,
                state,
                request: number(slot),
                tasks: p.tasks,
            }
        } else {
            let w = &self.workers[i as usize];
            let state = if w.request == NONE {
                WorkerState::Idle
            } else {
                match self.requests.slots[w.request as usize].phase {
                    Phase::OnCpu => WorkerState::Cpu,
                    Phase::WaitingGil => WorkerState::WaitingGil,
                    Phase::DbPool | Phase::DbQueue | Phase::Db => WorkerState::Db,
                    _ => WorkerState::Io,
                }
            };
            WorkerView {
                id: i,
                process: w.process,
                state,
                request: number(w.request),
                tasks: u32::from(w.request != NONE),
            }
        }
    }

    /// The OS processes, which share the cores.
    pub fn processes(&self) -> impl Iterator<Item = ProcessView> + '_ {
        let speed = self.cpu.speed();
        self.processes
            .iter()
            .enumerate()
            .map(move |(i, p)| ProcessView {
                id: i as u32,
                on_cpu: (p.on_cpu != NONE).then(|| self.requests.slots[p.on_cpu as usize].number),
                speed: if p.on_cpu != NONE { speed } else { 0.0 },
                waiting: (p.gil_waiters.len() + p.ready.len()) as u32,
                blocked: p.blocked_by != NONE,
                tasks: p.tasks,
                pool_in_use: if self.pool_limit > 0 {
                    self.pool_limit - p.pool_free
                } else {
                    0
                },
                pool_waiting: p.pool_waiters.len() as u32,
            })
    }

    /// The database, when the scenario has one.
    pub fn database(&self) -> Option<DatabaseView> {
        (self.work.db_waits > 0).then(|| DatabaseView {
            limit: (self.db_limit > 0).then_some(self.db_limit),
            running: self.db_running,
            waiting: self.db_waiters.len() as u32,
        })
    }

    /// Cores of the simulated machine.
    pub fn cores(&self) -> u32 {
        self.scenario.cores
    }

    /// Closed clients (none in an open workload).
    pub fn clients(&self) -> impl Iterator<Item = ClientView> + '_ {
        self.clients.iter().enumerate().map(|(i, c)| ClientView {
            id: i as u32,
            state: if c.request == NONE {
                ClientState::Thinking
            } else {
                ClientState::Waiting { request: c.number }
            },
            since_s: c.since,
        })
    }

    /// Workers (or loops) holding a request now.
    pub(crate) fn busy_workers(&self) -> u32 {
        if self.kind.is_event_loop() {
            self.tasks
        } else {
            (self.workers.len() - self.idle.len()) as u32
        }
    }
}
