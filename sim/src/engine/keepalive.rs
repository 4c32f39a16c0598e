//! Kept-alive connections (`busiest_share`): a closed client keeps one connection, held
//! by the process that accepted it, so its requests wait for room in that process even
//! while another has room. Linux hands a new connection to the process that waited for
//! one last, so the split is uneven; the scenario says how uneven.

use super::state::{Phase, NONE};
use super::Simulation;

impl Simulation {
    /// The process holding closed client `c`'s connection, of `clients`: the first
    /// `busiest_share` of them on process 0, the rest in turn on the others. `NONE`
    /// without keep-alive.
    pub(super) fn kept_process(&self, c: u32, clients: u32) -> u32 {
        if !self.keep_alive {
            return NONE;
        }
        let n = self.processes.len() as u32;
        let busiest = ((self.scenario.busiest_share * f64::from(clients)).round() as u32)
            .clamp(clients.div_ceil(n), clients);
        if c < busiest || n == 1 {
            0
        } else {
            1 + (c - busiest) % (n - 1)
        }
    }

    /// Room for a request on process `p` now: the process itself (event loops), or an
    /// idle thread of it, moved to the top of the idle stack where `admit` takes it.
    pub(super) fn kept_room(&mut self, p: u32) -> u32 {
        if self.kind.is_event_loop() {
            return if self.processes[p as usize].tasks < self.max_tasks {
                p
            } else {
                NONE
            };
        }
        let workers = &self.workers;
        match self
            .idle
            .iter()
            .rposition(|&w| workers[w as usize].process == p)
        {
            Some(i) => {
                let last = self.idle.len() - 1;
                self.idle.swap(i, last);
                self.idle[last]
            }
            None => NONE,
        }
    }

    /// A request on a connection of process `p`, which has no room: it waits for that
    /// process, not in the listen backlog (its connection was accepted long ago).
    pub(super) fn wait_kept(&mut self, slot: u32, number: u64, p: u32) {
        self.set_phase(slot, Phase::Queued);
        self.processes[p as usize]
            .kept_waiting
            .push_back((slot, number));
    }

    /// Process `p` has room again: the requests waiting on its connections go in, in
    /// order, while it lasts.
    pub(super) fn admit_kept(&mut self, p: u32) {
        while let Some(&(slot, number)) = self.processes[p as usize].kept_waiting.front() {
            let r = &self.requests.slots[slot as usize];
            if r.number != number || r.phase != Phase::Queued {
                self.processes[p as usize].kept_waiting.pop_front(); // dropped after a timeout
                continue;
            }
            let target = self.kept_room(p);
            if target == NONE {
                return;
            }
            self.processes[p as usize].kept_waiting.pop_front();
            self.admit(slot, target);
        }
    }
}
