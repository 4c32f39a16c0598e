//! What clients do: think, come back after a refusal, give up after `timeout_ms`.
//! Timeouts all have the same length, so deadlines fire in arrival order and live in a
//! FIFO instead of the event heap.

use super::events::Event;
use super::state::{Client, Phase, NONE};
use super::Simulation;

impl Simulation {
    /// Closed client `c` got its answer (or gave up, or was refused): it thinks, then
    /// sends the next request.
    pub(super) fn client_next(&mut self, c: u32, extra_delay: f64) {
        let delay = self.think_time() + extra_delay;
        self.clients[c as usize] = Client {
            request: NONE,
            number: 0,
            since: self.now,
        };
        if delay > 0.0 {
            self.queue.push(self.now + delay, Event::ThinkDone(c));
        } else {
            self.arrive(c);
        }
    }

    /// The client of `slot` gives up. A request still in the backlog leaves it; one in
    /// service goes on (the server cannot know), but nobody gets its reply.
    pub(super) fn time_out(&mut self, slot: u32) {
        self.metrics.timed_out();
        self.outcome_recorded();
        let r = &self.requests.slots[slot as usize];
        let client = r.client;
        if r.phase == Phase::Queued {
            self.set_phase(slot, Phase::Free);
            self.backlog_len -= 1;
            self.requests.remove(slot);
            while let Some(&(s, n)) = self.backlog.front() {
                let r = &self.requests.slots[s as usize];
                if r.number == n && r.phase == Phase::Queued {
                    break;
                }
                self.backlog.pop_front();
            }
        } else {
            self.req(slot).abandoned = true;
        }
        if client != NONE {
            self.client_next(client, 0.0);
        }
    }

    /// Removes deadlines of requests that finished, from the front.
    pub(super) fn drop_stale_timeouts(&mut self) {
        while let Some(&(_, slot, number)) = self.timeouts.front() {
            if self.client_waits(slot, number) {
                break;
            }
            self.timeouts.pop_front();
        }
    }

    fn client_waits(&self, slot: u32, number: u64) -> bool {
        let r = &self.requests.slots[slot as usize];
        r.number == number && r.phase != Phase::Free && !r.abandoned
    }

    /// Keeps the deadline FIFO proportional to the requests in flight: entries of
    /// requests that finished early would otherwise pile up behind a slow one.
    pub(super) fn compact_timeouts(&mut self) {
        if self.timeouts.len() as u64 > 2 * self.in_flight() + 64 {
            let requests = &self.requests.slots;
            self.timeouts.retain(|&(_, slot, number)| {
                let r = &requests[slot as usize];
                r.number == number && r.phase != Phase::Free && !r.abandoned
            });
        }
    }
}
