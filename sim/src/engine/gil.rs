//! The GIL of the `threads` server: one thread runs Python at a time. A thread that
//! has waited the switch interval (`sys.getswitchinterval()`, 5 ms) asks the holder to
//! drop it, as CPython's `take_gil` does; the interval restarts whenever the GIL
//! changes hands. Threads waiting on I/O do not hold it.
//!
//! One timer per process stands for the first waiter's timed wait, so pending timers
//! never pile up however often the GIL changes hands.

use super::events::Event;
use super::state::{Phase, NONE};
use super::Simulation;

/// Work below this is "done now": 1 ps, far below any modelled time, far above the
/// rounding of the CPU's virtual clock.
const TIE_S: f64 = 1e-12;

impl Simulation {
    pub(super) fn gil_next(&mut self, p: u32) {
        if let Some(slot) = self.processes[p as usize].gil_waiters.pop_front() {
            self.processes[p as usize].handover_at = self.now;
            self.run_on_cpu(p, slot, true);
            self.arm_gil_timer(p);
        }
    }

    /// Makes sure a timer runs for the first waiter of process `p`'s GIL.
    pub(super) fn arm_gil_timer(&mut self, p: u32) {
        let proc = &self.processes[p as usize];
        if proc.gil_timer {
            return;
        }
        if let Some(&head) = proc.gil_waiters.front() {
            let deadline = self.gil_deadline(p, head);
            self.processes[p as usize].gil_timer = true;
            self.queue.push(deadline, Event::GilTimer(p));
        }
    }

    /// CPython's waiter waits one interval, restarted whenever the GIL changes hands.
    fn gil_deadline(&self, p: u32, head: u32) -> f64 {
        let since = self.requests.slots[head as usize].since;
        since.max(self.processes[p as usize].handover_at) + self.gil_interval_s
    }

    /// A GIL waiter's interval may be up: force a switch if nobody switched meanwhile.
    pub(super) fn gil_timer(&mut self, p: u32) {
        let proc = &mut self.processes[p as usize];
        proc.gil_timer = false;
        let (Some(&head), holder) = (proc.gil_waiters.front(), proc.on_cpu) else {
            return;
        };
        if holder == NONE {
            return;
        }
        if self.gil_deadline(p, head) > self.now {
            self.arm_gil_timer(p);
            return;
        }
        // A burst ending at this very instant (up to rounding, common with constant
        // times) hands the GIL over by itself; preempting it would cost a spurious
        // switch and a whole interval.
        if self.cpu.remaining(p) <= TIE_S {
            return;
        }
        let left = self.cpu.preempt(p);
        self.processes[p as usize].on_cpu = NONE;
        self.req(holder).work_left = left;
        self.set_phase(holder, Phase::WaitingGil);
        self.processes[p as usize].gil_waiters.push_back(holder);
        self.gil_next(p);
    }
}
