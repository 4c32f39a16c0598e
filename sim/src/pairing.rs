//! The two servers a comparison puts side by side, stated once: the workload of `base`
//! fed to its sync pool (processes, or threads when `base` has threads) and to `loops`
//! event-loop processes (uvloop when `base` has uvloop, else asyncio), on the same cores.

use crate::{Scenario, ServerKind};

/// `(sync, async)` for the same workload.
pub fn pair(base: &Scenario, loops: u32) -> (Scenario, Scenario) {
    let mut sync = base.clone();
    if sync.server.is_event_loop() {
        sync.server = ServerKind::Processes;
    }
    let mut asynchronous = base.clone();
    asynchronous.server = if base.server == ServerKind::Uvloop {
        ServerKind::Uvloop
    } else {
        ServerKind::Asyncio
    };
    asynchronous.workers = Some(loops.max(1));
    asynchronous.threads = None;
    (sync, asynchronous)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_get_the_same_work_and_cores() {
        let base = Scenario {
            server: ServerKind::Uvloop,
            workers: Some(6),
            cpu_ms: 7.0,
            ..Scenario::default()
        };
        let (sync, asynchronous) = pair(&base, 2);
        assert_eq!(sync.server, ServerKind::Processes);
        assert_eq!(sync.workers, Some(6));
        assert_eq!(asynchronous.server, ServerKind::Uvloop);
        assert_eq!(asynchronous.workers, Some(2));
        assert_eq!(
            (sync.cpu_ms, sync.cores),
            (asynchronous.cpu_ms, asynchronous.cores)
        );
    }
}
