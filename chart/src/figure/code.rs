//! The `greenlet` widget's two code panes: the same handler written with `async def` and
//! `await`, and as plain blocking code under gevent's monkey-patching. Each line shows
//! how many of the simulated tasks are paused at it right now, and the lines the running
//! task is on are highlighted, so the panes step with the simulation. HTML rather than a
//! drawing, so that the code can be read, selected and wrapped to its column.

use sim::{RequestPhase, Simulation};

/// How many tasks are at each place of the handler: the CPU lines are counted apart,
/// before the wait (`build_query`) and after it (`render`), so that each task is at one
/// line only.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct PaneState {
    running: [u32; 2],
    ready: [u32; 2],
    waiting_io: u32,
    blocking: u32,
}

impl PaneState {
    fn of(sim: &Simulation) -> PaneState {
        let mut state = PaneState::default();
        for request in sim.requests() {
            let after = usize::from(request.waits_done > 0);
            match request.phase {
                RequestPhase::OnCpu { .. } => state.running[after] += 1,
                RequestPhase::Ready { .. }
                | RequestPhase::Queued
                | RequestPhase::WaitingGil { .. } => state.ready[after] += 1,
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

/// Where a line of code is in the request's life: CPU before the wait (0) or after it
/// (1), or the wait.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Plain,
    Cpu(usize),
    Io,
}

const ASYNC_LINES: &[(&str, Place)] = &[
    ("async def show_user(request):", Place::Plain),
    ("    query = build_query(request)", Place::Cpu(0)),
    ("    # await: other tasks run here", Place::Plain),
    ("    row = await db.fetch_one(query)", Place::Io),
    ("    return render(row)", Place::Cpu(1)),
];

const GEVENT_LINES: &[(&str, Place)] = &[
    ("def show_user(request):", Place::Plain),
    ("    query = build_query(request)", Place::Cpu(0)),
    // On a line of its own: beside the call it made the pane scroll on a phone.
    ("    # patched: other tasks run here", Place::Plain),
    ("    row = db.fetch_one(query)", Place::Io),
    ("    return render(row)", Place::Cpu(1)),
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
            Place::Cpu(at) if s.running[*at] > 0 || s.ready[*at] > 0 => (
                if s.running[*at] > 0 {
                    "code-line running"
                } else {
                    "code-line"
                },
                format!("{} running, {} ready", s.running[*at], s.ready[*at]),
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

        // With short waits, tasks are spread over both CPU lines, and each is counted at
        // one line only: per pane, the notes add up to the tasks the loop holds.
        let scenario =
            sim::Scenario::parse("server = \"gevent\"\nclients = 20\ncpu_ms = 10\nio_ms = 20\n")
                .unwrap();
        let mut simulation = Simulation::new(&scenario);
        simulation.advance_to(3.0, 1_000_000);
        let html = panes_html(&simulation);
        let pane = html.split("code-pane\"").nth(2).unwrap();
        let counted: u32 = pane
            .split("<span class=\"code-note\">")
            .skip(1)
            .map(|note| {
                let note = &note[..note.find('<').unwrap()];
                note.split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse::<u32>().ok())
                    .sum::<u32>()
            })
            .sum();
        assert_eq!(counted, simulation.requests().count() as u32, "{pane}");
    }
}
