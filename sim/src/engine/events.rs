//! The pending events that happen at a known time, in a radix heap.
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
    /// A request's I/O wait ends (request slot); a blocking one frees its event loop.
    IoDone(u32),
    /// A request's query ends in the database (request slot).
    DbDone(u32),
    /// A closed client finishes thinking and sends a request (client id).
    ThinkDone(u32),
    /// A thread has waited the switch interval for the GIL (process id).
    GilTimer(u32),
}

impl Event {
    fn encode(self) -> u64 {
        let (kind, id) = match self {
            Event::IoDone(id) => (0u64, id),
            Event::DbDone(id) => (1, id),
            Event::ThinkDone(id) => (2, id),
            Event::GilTimer(id) => (3, id),
        };
        kind << 32 | u64::from(id)
    }

    fn decode(code: u64) -> Event {
        let id = code as u32;
        match code >> 32 {
            0 => Event::IoDone(id),
            1 => Event::DbDone(id),
            2 => Event::ThinkDone(id),
            _ => Event::GilTimer(id),
        }
    }
}

/// A priority queue of (time, event), earliest first. Times are non-negative, so their
/// IEEE bit patterns order like the numbers: one `u128` of time bits then event code
/// orders an entry. Equal times break by the event's code, so the order never depends
/// on insertion history.
///
/// A radix heap: the simulation almost never schedules an event before the one it last
/// took out (`last`), so an entry can be filed by the highest bit in which its time
/// differs from `last`. Bucket `b` holds the times whose highest differing bit is
/// `b - 1`, all later than any in a lower bucket; the times at or below `last` are
/// `due`, a binary heap (usually of one entry, but a closed workload starts with every
/// client's first request at time 0, and the rare event scheduled before `last` goes
/// there too). Taking the earliest refiles only the lowest bucket. Against a four-ary
/// heap, in interleaved runs of the engine, it made the event-loop cases 7-15% faster
/// (dozens of pending waits) and the sync cases, with their few pending events, 0-5%
/// slower.
#[derive(Debug, Clone)]
pub(crate) struct EventQueue {
    due: BinaryHeap<Reverse<u128>>,
    /// Buckets 1 to 63 (bucket 0 is `due`).
    buckets: [Vec<u128>; BUCKETS],
    /// Bit `b` set: bucket `b` is not empty.
    filled: u64,
    /// Time bits of the last entry taken out.
    last: u64,
    /// The earliest entry, or `u128::MAX` when empty.
    first: u128,
}

/// Times are non-negative, so their sign bit is always 0 and a time differs from `last`
/// at most in bit 62: buckets 1 to 63.
const BUCKETS: usize = 64;

impl Default for EventQueue {
    fn default() -> Self {
        EventQueue {
            due: BinaryHeap::new(),
            buckets: std::array::from_fn(|_| Vec::new()),
            filled: 0,
            last: 0,
            first: u128::MAX,
        }
    }
}

impl EventQueue {
    pub(crate) fn push(&mut self, time: f64, event: Event) {
        debug_assert!(time >= 0.0, "event time {time}");
        // `+ 0.0` turns a -0.0, whose sign bit would order it last, into 0.0.
        let key = u128::from((time + 0.0).to_bits()) << 64 | u128::from(event.encode());
        self.file(key);
        if key < self.first {
            self.first = key;
        }
    }

    #[inline]
    fn file(&mut self, key: u128) {
        let bits = (key >> 64) as u64;
        if bits <= self.last {
            self.due.push(Reverse(key));
        } else {
            let b = (u64::BITS - (bits ^ self.last).leading_zeros()) as usize;
            self.buckets[b & (BUCKETS - 1)].push(key);
            self.filled |= 1 << b;
        }
    }

    pub(crate) fn peek_time(&self) -> f64 {
        if self.first == u128::MAX {
            f64::INFINITY
        } else {
            f64::from_bits((self.first >> 64) as u64)
        }
    }

    pub(crate) fn pop(&mut self) -> Option<(f64, Event)> {
        if self.first == u128::MAX {
            return None;
        }
        let top = self.first;
        if self.due.is_empty() {
            // Refile the lowest bucket against its earliest time: every entry moves to
            // a lower bucket, and those at that time to `due`.
            let b = self.filled.trailing_zeros() as usize & (BUCKETS - 1);
            let mut entries = std::mem::take(&mut self.buckets[b]);
            self.filled &= !(1 << b);
            self.last = (top >> 64) as u64;
            for &key in &entries {
                self.file(key);
            }
            entries.clear();
            self.buckets[b] = entries;
        }
        let popped = self.due.pop().map(|Reverse(key)| key);
        debug_assert_eq!(popped, Some(top));
        self.first = self.earliest();
        Some((
            f64::from_bits((top >> 64) as u64),
            Event::decode(top as u64),
        ))
    }

    /// The earliest entry left: the least due one, or the least of the lowest bucket.
    fn earliest(&self) -> u128 {
        if let Some(&Reverse(key)) = self.due.peek() {
            return key;
        }
        if self.filled == 0 {
            return u128::MAX;
        }
        let b = self.filled.trailing_zeros() as usize & (BUCKETS - 1);
        self.buckets[b].iter().copied().min().unwrap_or(u128::MAX)
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
        q.push(0.0, Event::DbDone(u32::MAX - 1));
        let order: Vec<(f64, Event)> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            [
                (0.0, Event::DbDone(u32::MAX - 1)),
                (0.5, Event::GilTimer(1)),
                (2.0, Event::IoDone(2)),
                (2.0, Event::IoDone(7)),
                (2.0, Event::ThinkDone(3)),
            ]
        );
        assert_eq!(q.peek_time(), f64::INFINITY);
    }

    #[test]
    fn entries_come_out_in_the_order_of_a_binary_heap() {
        // Many at one time (a closed workload's start), later ones, and now and then one
        // before the last taken out (a GIL deadline already past).
        let mut q = EventQueue::default();
        let mut reference = BinaryHeap::new();
        let mut x = 99u64;
        let mut now = 0.0f64;
        for i in 0..20_000u32 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let t = match x >> 62 {
                0 => 0.0,
                1 => now,
                2 => now + (x >> 40) as f64 * 1e-9,
                _ => (now - 1e-3).max(0.0),
            };
            let event = if i % 2 == 0 {
                Event::IoDone(i)
            } else {
                Event::GilTimer(i)
            };
            q.push(t, event);
            reference.push(Reverse((t.to_bits(), event.encode())));
            if x % 3 == 0 {
                let (t, event) = q.pop().unwrap();
                let Reverse((bits, code)) = reference.pop().unwrap();
                assert_eq!((t.to_bits(), event.encode()), (bits, code));
                now = now.max(t);
            }
        }
        while let Some(Reverse((bits, code))) = reference.pop() {
            let (t, event) = q.pop().unwrap();
            assert_eq!((t.to_bits(), event.encode()), (bits, code));
        }
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn many_events_come_out_sorted() {
        let mut q = EventQueue::default();
        let mut x = 12345u64;
        let mut times = Vec::new();
        for i in 0..1000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let t = (x >> 40) as f64;
            times.push(t);
            q.push(t, Event::IoDone(i));
            if i % 3 == 0 {
                let (t, _) = q.pop().unwrap();
                let min = times.iter().cloned().fold(f64::INFINITY, f64::min);
                assert_eq!(t, min);
                times.retain(|&u| u != t);
            }
        }
        let mut last = 0.0;
        while let Some((t, _)) = q.pop() {
            assert!(t >= last);
            last = t;
        }
    }
}
