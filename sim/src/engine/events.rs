//! The pending events that happen at a known time, in a binary heap.
//!
//! CPU burst completions are not here: under processor sharing their times move
//! whenever the number of running bursts changes, so the CPU computes its next
//! completion itself (see `cpu.rs`). Timeouts are not here either: they are all the
//! same length, so they fire in arrival order and a FIFO suffices.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What happens when an event fires. Each event refers to exactly one live entity, so
/// no event is ever stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    /// A request's non-blocking I/O wait ends (request slot).
    IoDone(u32),
    /// A blocking I/O call ends and frees its event loop (request slot).
    BlockingIoDone(u32),
    /// A closed client finishes thinking and sends a request (client id).
    ThinkDone(u32),
    /// A thread has waited the switch interval for the GIL (process id).
    GilTimer(u32),
}

impl Event {
    fn encode(self) -> u64 {
        let (kind, id) = match self {
            Event::IoDone(id) => (0u64, id),
            Event::BlockingIoDone(id) => (1, id),
            Event::ThinkDone(id) => (2, id),
            Event::GilTimer(id) => (3, id),
        };
        kind << 32 | u64::from(id)
    }

    fn decode(code: u64) -> Event {
        let id = code as u32;
        match code >> 32 {
            0 => Event::IoDone(id),
            1 => Event::BlockingIoDone(id),
            2 => Event::ThinkDone(id),
            _ => Event::GilTimer(id),
        }
    }
}

/// A min-heap of (time, event). Times are non-negative, so their IEEE bit patterns
/// order like the numbers: one `u128` of time bits then event code compares in two
/// instructions. Equal times break by the event's code, so the order never depends on
/// insertion history.
#[derive(Debug, Clone, Default)]
pub(crate) struct EventQueue {
    heap: BinaryHeap<Reverse<u128>>,
}

impl EventQueue {
    pub(crate) fn push(&mut self, time: f64, event: Event) {
        debug_assert!(time >= 0.0, "event time {time}");
        self.heap.push(Reverse(
            u128::from(time.to_bits()) << 64 | u128::from(event.encode()),
        ));
    }

    pub(crate) fn peek_time(&self) -> f64 {
        self.heap.peek().map_or(f64::INFINITY, |Reverse(key)| {
            f64::from_bits((key >> 64) as u64)
        })
    }

    pub(crate) fn pop(&mut self) -> Option<(f64, Event)> {
        self.heap.pop().map(|Reverse(key)| {
            (
                f64::from_bits((key >> 64) as u64),
                Event::decode(key as u64),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_come_out_in_time_order_with_deterministic_ties() {
        let mut q = EventQueue::default();
        q.push(2.0, Event::IoDone(7));
        q.push(0.5, Event::GilTimer(1));
        q.push(2.0, Event::ThinkDone(3));
        q.push(2.0, Event::IoDone(2));
        q.push(0.0, Event::BlockingIoDone(u32::MAX - 1));
        let order: Vec<(f64, Event)> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            [
                (0.0, Event::BlockingIoDone(u32::MAX - 1)),
                (0.5, Event::GilTimer(1)),
                (2.0, Event::IoDone(2)),
                (2.0, Event::IoDone(7)),
                (2.0, Event::ThinkDone(3)),
            ]
        );
        assert_eq!(q.peek_time(), f64::INFINITY);
    }
}
