//! What clients do: think, give up after `timeout_ms`, and send a refused, rejected or
//! timed-out request again after a growing wait (1 s, 2 s, 4 s, ...), up to `retries`
//! times. Timeouts all have the same length, so deadlines fire in arrival order and live
//! in a FIFO instead of the event heap.

use super::events::Event;
use super::state::{Phase, NONE};
use super::Simulation;
use crate::defaults;

impl Simulation {
    /// Closed client `c` is done with its request: it thinks (and waits `extra_delay`),
    /// then sends the next one.
    pub(super) fn client_next(&mut self, c: u32, extra_delay: f64) {
        let delay = self.think_time() + extra_delay;
        self.send_after(c, delay);
    }

    fn send_after(&mut self, c: u32, delay: f64) {
        let client = &mut self.clients[c as usize];
        (client.request, client.number, client.since) = (NONE, 0, self.now);
        if delay > 0.0 {
            self.queue.push(self.now + delay, Event::ThinkDone(c));
        } else {
            self.arrive(c);
        }
    }

    /// Closed client `c`'s request was refused, rejected or timed out: it sends it
    /// again after the next wait of the backoff, or, out of retries, waits that long
    /// and moves on to its next request. Never at once, so a refused client cannot
    /// come back in the same instant.
    pub(super) fn client_failed(&mut self, c: u32) {
        let attempt = self.clients[c as usize].attempt;
        let backoff = defaults::RETRY_BACKOFF_S * f64::from(1u32 << attempt.min(20));
        if attempt < self.retries {
            self.clients[c as usize].attempt = attempt + 1;
            self.send_after(c, backoff);
        } else {
            self.clients[c as usize].attempt = 0;
            self.client_next(c, backoff);
        }
    }

    /// The client of `slot` gives up. A request in service goes on (the server cannot
    /// know), and so does one in the backlog unless `abandon = "dropped"`: nobody gets
    /// its reply, and serving it is wasted work.
    pub(super) fn time_out(&mut self, slot: u32) {
        self.metrics.count(|c| &mut c.timed_out);
        self.outcome_recorded();
        let r = &self.requests.slots[slot as usize];
        let (client, number, queued) = (r.client, r.number, r.phase == Phase::Queued);
        self.traced(number, crate::TraceKind::TimedOut);
        if queued && self.abandon_drops {
            self.set_phase(slot, Phase::Free);
            self.requests.remove(slot);
            // A request on a kept-alive connection waits in its process, not in the
            // backlog; its stale entry there is skipped when the process has room.
            let kept = client != NONE && self.clients[client as usize].process != NONE;
            if !kept {
                self.backlog_len -= 1;
                while let Some(&(s, n)) = self.backlog.front() {
                    let r = &self.requests.slots[s as usize];
                    if r.number == n && r.phase == Phase::Queued {
                        break;
                    }
                    self.backlog.pop_front();
                }
            }
        } else {
            self.req(slot).abandoned = true;
        }
        if client != NONE {
            self.client_failed(client);
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
