//! The machine's own speed, next to the engine's: the smallest M/M/c simulation that
//! still is one (a binary heap of timed events, a counter for the queue, exponential
//! draws, no metrics). DESIGN's floor of 20 M events/s was set where a loop like this
//! ran 33-64 M; what it runs on the machine at hand says how far the floor is from the
//! hardware, and that moves with the machine and its load.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// Time as integer nanoseconds (ordered without float comparisons), and whether the
/// event is a departure.
type Event = Reverse<(u64, bool)>;

/// Runs `requests` arrivals through `servers` servers at utilisation `rho` (mean service
/// 1 ms) and returns the events run: each request arrives and departs.
pub fn mmc_events(servers: u32, rho: f64, requests: u64, seed: u64) -> u64 {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut draw = |mean_ns: f64| (-(1.0 - rng.random::<f64>()).ln() * mean_ns) as u64;
    let service_ns = 1e6;
    let arrival_ns = service_ns / (rho * f64::from(servers));
    let mut heap: BinaryHeap<Event> = BinaryHeap::new();
    heap.push(Reverse((draw(arrival_ns), false)));
    let (mut busy, mut waiting, mut arrived, mut events) = (0u32, 0u64, 1u64, 0u64);
    while let Some(Reverse((now, departure))) = heap.pop() {
        events += 1;
        if departure {
            if waiting > 0 {
                waiting -= 1;
                heap.push(Reverse((now + draw(service_ns), true)));
            } else {
                busy -= 1;
            }
        } else {
            if busy < servers {
                busy += 1;
                heap.push(Reverse((now + draw(service_ns), true)));
            } else {
                waiting += 1;
            }
            if arrived < requests {
                arrived += 1;
                heap.push(Reverse((now + draw(arrival_ns), false)));
            }
        }
    }
    events
}
