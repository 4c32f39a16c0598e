//! The machine's cores, shared by processes under processor sharing.
//!
//! Each process runs at most one CPU burst at a time (one thread holds the GIL; an
//! event loop runs one task). With `n` bursts running on `c` cores, each advances at
//! rate `min(1, c / n)`: the fluid model of a fair OS scheduler, and the textbook
//! processor-sharing queue when `n > c`. Because every running burst has the same rate,
//! one virtual clock (work done by any running burst since the start) suffices: a burst
//! started at virtual time `v` with work `w` finishes at virtual time `v + w`, and the
//! next completion is the smallest such finish, whatever happens to `n` meanwhile.

use super::heap::IndexedHeap;

#[derive(Debug, Clone)]
pub(crate) struct Cpu {
    /// Virtual time at real time `last`.
    vtime: f64,
    last: f64,
    /// Speed of each running burst, and its inverse, kept with the number running so
    /// that the per-event paths multiply instead of divide.
    rate: f64,
    inv_rate: f64,
    /// `min(running, cores)`.
    busy: f64,
    /// (rate, inverse rate, busy cores) for each number of running bursts, worked out
    /// once: `set_rate` runs at every start and finish, and two divisions there showed
    /// in the per-event cost.
    rates: Vec<(f64, f64, f64)>,
    /// Virtual finish time of each process's running burst.
    running: IndexedHeap,
}

impl Cpu {
    pub(crate) fn new(cores: u32, processes: u32) -> Self {
        let cores_f = f64::from(cores);
        let rates = (0..=processes)
            .map(|n| {
                let n = f64::from(n);
                if n <= cores_f {
                    (1.0, 1.0, n)
                } else {
                    (cores_f / n, n / cores_f, cores_f)
                }
            })
            .collect();
        Cpu {
            vtime: 0.0,
            last: 0.0,
            rate: 1.0,
            inv_rate: 1.0,
            busy: 0.0,
            rates,
            running: IndexedHeap::new(processes as usize),
        }
    }

    /// Cores busy now: `min(running, cores)`.
    pub(crate) fn busy(&self) -> f64 {
        self.busy
    }

    /// Recomputes the rate after the number of running bursts changed.
    fn set_rate(&mut self) {
        (self.rate, self.inv_rate, self.busy) = self.rates[self.running.len()];
    }

    /// Share of a core each running burst gets now.
    pub(crate) fn speed(&self) -> f64 {
        self.rate
    }

    /// Moves the virtual clock to real time `now`. Call before any change.
    pub(crate) fn advance(&mut self, now: f64) {
        if self.running.len() > 0 {
            self.vtime += (now - self.last) * self.rate;
        }
        self.last = now;
    }

    /// Real time of the next burst completion, or infinity.
    pub(crate) fn next_time(&self) -> f64 {
        match self.running.peek() {
            // Plain comparisons: `f64::max` handles NaN, which costs in this hot path
            // and cannot occur here.
            Some((finish, _)) if finish > self.vtime => {
                self.last + (finish - self.vtime) * self.inv_rate
            }
            Some(_) => self.last,
            None => f64::INFINITY,
        }
    }

    /// Starts a burst of `work` seconds (at full speed) for process `p`.
    pub(crate) fn start(&mut self, p: u32, work: f64) {
        self.running.push(self.vtime + work, p);
        self.set_rate();
    }

    /// Removes the burst that finishes next and returns its process.
    pub(crate) fn pop_finished(&mut self) -> Option<u32> {
        let p = self.running.pop().map(|(_, p)| p);
        self.set_rate();
        p
    }

    /// Work left in process `p`'s running burst (0 if none).
    pub(crate) fn remaining(&self, p: u32) -> f64 {
        self.running
            .key(p)
            .map_or(0.0, |finish| (finish - self.vtime).max(0.0))
    }

    /// Takes process `p`'s burst off the cores (a GIL preemption) and returns the work
    /// it still has to do.
    pub(crate) fn preempt(&mut self, p: u32) -> f64 {
        let left = self
            .running
            .remove(p)
            .map_or(0.0, |finish| (finish - self.vtime).max(0.0));
        self.set_rate();
        left
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cores_when_oversubscribed() {
        // Three bursts of 1 s on 2 cores: each runs at 2/3 speed.
        let mut cpu = Cpu::new(2, 3);
        for p in 0..3 {
            cpu.start(p, 1.0);
        }
        assert!((cpu.next_time() - 1.5).abs() < 1e-12);
        cpu.advance(1.5);
        assert_eq!(cpu.pop_finished(), Some(0));
        // The two left have 0 work left: they finish at once.
        assert!((cpu.next_time() - 1.5).abs() < 1e-12);
    }

    #[test]
    fn a_lone_burst_runs_at_full_speed_and_preemption_keeps_the_rest() {
        let mut cpu = Cpu::new(4, 2);
        cpu.advance(10.0);
        cpu.start(1, 0.25);
        assert!((cpu.next_time() - 10.25).abs() < 1e-12);
        cpu.advance(10.1);
        assert!((cpu.preempt(1) - 0.15).abs() < 1e-12);
        assert_eq!(cpu.next_time(), f64::INFINITY);
        assert_eq!(cpu.busy(), 0.0);
    }
}
