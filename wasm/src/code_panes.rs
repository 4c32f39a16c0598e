//! The `greenlet` widget's two code panes: the same handler written with `async def` and
//! `await`, and as plain blocking code under gevent's monkey-patching. Each line shows
//! how many of the simulated tasks are paused at it right now, and the line the running
//! task is on is highlighted, so the panes step with the simulation.

use sim::{RequestPhase, Simulation};
use yew::prelude::*;

/// How many tasks are at each place of the handler.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PaneState {
    pub running: u32,
    pub ready: u32,
    pub waiting_io: u32,
    pub blocking: u32,
}

impl PaneState {
    pub fn of(sim: &Simulation) -> PaneState {
        let mut state = PaneState::default();
        for request in sim.requests() {
            match request.phase {
                RequestPhase::OnCpu { .. } => state.running += 1,
                RequestPhase::Ready { .. }
                | RequestPhase::Queued
                | RequestPhase::WaitingGil { .. } => state.ready += 1,
                RequestPhase::WaitingIo { .. } => state.waiting_io += 1,
                RequestPhase::BlockingIo { .. } => state.blocking += 1,
            }
        }
        state
    }
}

#[derive(Properties, PartialEq)]
pub struct CodePanesProps {
    pub sim_state: PaneState,
    /// An unpatched driver: the call blocks the whole loop.
    pub blocking: bool,
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
        "    row = db.fetch_one(query)  # patched socket: switches",
        Place::Io,
    ),
    ("    return render(row)", Place::Cpu),
];

#[function_component]
pub fn CodePanes(props: &CodePanesProps) -> Html {
    let s = props.sim_state;
    let io_note = if props.blocking {
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
            Place::Io if props.blocking && s.blocking > 0 => ("code-line blocked", io_note.clone()),
            Place::Io => ("code-line paused", io_note.clone()),
            _ => ("code-line", String::new()),
        };
        html! { <div class={class}><code>{ *code }</code><span class="code-note">{ note }</span></div> }
    };
    html! {
        <div class="code-panes">
            <figure class="code-pane"><figcaption>{ "asyncio: explicit await" }</figcaption>
                <pre>{ for ASYNC_LINES.iter().map(line) }</pre></figure>
            <figure class="code-pane"><figcaption>{ "gevent: plain calls, patched" }</figcaption>
                <pre>{ for GEVENT_LINES.iter().map(line) }</pre></figure>
        </div>
    }
}
