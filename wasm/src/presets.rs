//! The cases the article discusses, one click away in each widget.

use sim::{Scenario, ServerKind};

pub struct Preset {
    pub name: &'static str,
    pub apply: fn(&mut Scenario),
}

fn closed(s: &mut Scenario, clients: u32) {
    s.clients = Some(clients);
    s.arrival_rate = None;
}

pub fn for_widget(widget: &str) -> &'static [Preset] {
    match widget {
        "sync-server" => &[
            Preset {
                name: "Five clients, four workers",
                apply: |s| {
                    s.server = ServerKind::Processes;
                    s.workers = Some(4);
                    closed(s, 5);
                    (s.cpu_ms, s.io_ms) = (5.0, 200.0);
                },
            },
            Preset {
                name: "Overload: the backlog fills and refuses",
                apply: |s| {
                    s.server = ServerKind::Processes;
                    s.workers = Some(4);
                    s.arrival_rate = Some(40.0);
                    s.clients = None;
                    s.queue_limit = 30;
                    (s.cpu_ms, s.io_ms) = (5.0, 200.0);
                },
            },
            Preset {
                name: "Threads share the GIL",
                apply: |s| {
                    s.server = ServerKind::Threads;
                    s.workers = Some(8);
                    closed(s, 40);
                    (s.cpu_ms, s.io_ms) = (20.0, 20.0);
                },
            },
        ],
        "async-server" => &[
            Preset {
                name: "Hundreds of I/O-bound tasks",
                apply: |s| {
                    s.server = ServerKind::Asyncio;
                    closed(s, 300);
                    (s.cpu_ms, s.io_ms) = (1.0, 200.0);
                },
            },
            Preset {
                name: "One CPU-heavy request stalls the loop",
                apply: |s| {
                    s.server = ServerKind::Asyncio;
                    closed(s, 20);
                    (s.cpu_ms, s.io_ms) = (100.0, 100.0);
                },
            },
            Preset {
                name: "The same on uvloop",
                apply: |s| {
                    s.server = ServerKind::Uvloop;
                    closed(s, 300);
                    (s.cpu_ms, s.io_ms) = (1.0, 200.0);
                },
            },
        ],
        "greenlet" => &[
            Preset {
                name: "Patched: a blocking call switches",
                apply: |s| {
                    s.server = ServerKind::Gevent;
                    s.blocking_share = 0.0;
                },
            },
            Preset {
                name: "Unpatched driver: the loop freezes",
                apply: |s| {
                    s.server = ServerKind::Gevent;
                    s.blocking_share = 1.0;
                },
            },
        ],
        "context-switch" => &[
            Preset {
                name: "Tiny CPU bursts between many awaits",
                apply: |s| {
                    (s.cpu_ms, s.io_ms, s.io_calls) = (0.2, 50.0, 4);
                },
            },
            Preset {
                name: "Ordinary requests: 5 ms of CPU",
                apply: |s| {
                    (s.cpu_ms, s.io_ms, s.io_calls) = (5.0, 50.0, 1);
                },
            },
        ],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_gives_a_valid_scenario() {
        for widget in ["sync-server", "async-server", "greenlet", "context-switch"] {
            for preset in for_widget(widget) {
                let mut s = Scenario::default();
                (preset.apply)(&mut s);
                s.validate()
                    .unwrap_or_else(|e| panic!("{widget} / {}: {e}", preset.name));
            }
        }
    }
}
