//! The `greenlet` widget's two code panes: the same handler written with `async def` and
//! `await`, and as plain blocking code under gevent's monkey-patching. Each line shows
//! how many of the simulated tasks are paused at it right now, and the lines the running
//! task is on are highlighted, so the panes step with the simulation. HTML rather than a
//! drawing, so that the code can be read, selected and wrapped to its column.

use sim::{RequestPhase, Simulation};

/// How many tasks are at each place of the handler.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct PaneState {
    running: u32,
    ready: u32,
    waiting_io: u32,
    blocking: u32,
}

impl PaneState {
    fn of(sim: &Simulation) -> PaneState {
        let mut state = PaneState::default();
        for request in sim.requests() {
            match request.phase {
                RequestPhase::OnCpu { .. } => state.running += 1,
                RequestPhase::Ready { .. }
                | RequestPhase::Queued
                | RequestPhase::WaitingGil { .. } => state.ready += 1,
                RequestPhase::WaitingIo { .. }
                | RequestPhase::WaitingPool { .. }
                | RequestPhase::WaitingDb { .. }
                | RequestPhase::Querying { .. } => state.waiting_io += 1,
                RequestPhase::BlockingIo { .. } => state.blocking += 1,
            }
        }
        state
    }
}

/// Where a line of code is in the request's life.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Plain,
    Cpu,
    Io,
}

const ASYNC_LINES: &[(&str, Place)] = &[
    ("async def show_user(request):", Place::Plain),
    ("    query = build_query(request)", Place::Cpu),
    ("    row = await db.fetch_one(query)", Place::Io),
    ("    return render(row)", Place::Cpu),
];

const GEVENT_LINES: &[(&str, Place)] = &[
    ("def show_user(request):", Place::Plain),
    ("    query = build_query(request)", Place::Cpu),
    (
        "    row = db.fetch_one(query)  # patched: switches",
        Place::Io,
    ),
    ("    return render(row)", Place::Cpu),
];

/// The two panes as HTML, for the simulation's state now.
pub fn panes_html(sim: &Simulation) -> String {
    let s = PaneState::of(sim);
    let blocking = sim.scenario().blocking_share > 0.0;
    let io_note = if blocking {
        format!("{} blocking the whole loop", s.blocking)
    } else {
        format!("{} paused here", s.waiting_io)
    };
    let line = |(code, place): &(&str, Place)| {
        let (class, note) = match place {
            Place::Cpu if s.running > 0 || s.blocking > 0 => (
                "code-line running",
                format!("{} running, {} ready", s.running, s.ready),
            ),
            Place::Io if blocking && s.blocking > 0 => ("code-line blocked", io_note.clone()),
            Place::Io => ("code-line paused", io_note.clone()),
            _ => ("code-line", String::new()),
        };
        format!(
            "<div class=\"{class}\"><code>{}</code><span class=\"code-note\">{note}</span></div>",
            html_escape::encode_text(code)
        )
    };
    let pane = |title: &str, lines: &[(&str, Place)]| {
        format!(
            "<figure class=\"code-pane\"><figcaption>{title}</figcaption><pre role=\"region\" aria-label=\"{title}\">{}</pre></figure>",
            lines.iter().map(line).collect::<String>()
        )
    };
    format!(
        "<div class=\"code-panes\">{}{}</div>",
        pane("asyncio: explicit await", ASYNC_LINES),
        pane("gevent: plain calls, patched", GEVENT_LINES)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panes_count_the_tasks_at_each_line() {
        let scenario = sim::Scenario::parse(
            "server = \"gevent\"\nclients = 20\ncpu_ms = 1\nio_ms = 1000\nservice = \"constant\"\n",
        )
        .unwrap();
        let mut simulation = Simulation::new(&scenario);
        simulation.advance_to(0.5, 1_000_000);
        let html = panes_html(&simulation);
        assert!(html.contains("20 paused here"), "{html}");
        assert_eq!(html.matches("code-pane\"").count(), 2);
    }
}
