//! The architecture diagram of a live server, drawn as stations a request passes
//! through: the clients; the load balancer, which in gunicorn and uvicorn is the shared
//! listening socket with the kernel's accept queue (the backlog); then the pool of
//! worker processes or threads, or the event loops (the task on the CPU, the ready
//! queue, the tasks waiting on I/O); and, when the scenario has one, the database with
//! its connections. Every request is drawn where the simulation says it is; crowded
//! places show a count instead of dots.
//!
//! [`Diagram::of`] reads the simulation, [`Diagram::layout`] places stations and request
//! dots in CSS pixels, and [`draw_diagram`] draws them on any plotters backend. The
//! widget moves each dot from where it was drawn to where the layout puts it.

mod draw;

pub use draw::draw_diagram;

use plotters::prelude::*;
use sim::{RequestPhase, Simulation, WorkerState};

use crate::Palette;

/// What a request is doing, which sets its marker's colour and shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DotState {
    Waiting,
    Cpu,
    Io,
    Db,
    Blocked,
}

impl DotState {
    pub const ALL: [DotState; 5] = [
        DotState::Waiting,
        DotState::Cpu,
        DotState::Io,
        DotState::Db,
        DotState::Blocked,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DotState::Waiting => "waiting",
            DotState::Cpu => "on the CPU",
            DotState::Io => "waiting on I/O",
            DotState::Db => "database",
            DotState::Blocked => "blocking the loop",
        }
    }

    pub(crate) fn color(self, palette: &Palette) -> RGBColor {
        let s = &palette.states;
        match self {
            DotState::Waiting => s.waiting,
            DotState::Cpu => s.cpu,
            DotState::Io => s.io,
            DotState::Db => s.db,
            DotState::Blocked => s.blocked,
        }
    }
}

/// One request's place: its id (stable while it lives) and where it should be drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dot {
    pub id: u64,
    pub x: f64,
    pub y: f64,
    pub state: DotState,
}

/// A worker process or thread.
#[derive(Debug, Clone, PartialEq)]
struct WorkerBox {
    state: WorkerState,
    request: Option<u64>,
}

/// An event loop and its tasks.
#[derive(Debug, Clone, Default, PartialEq)]
struct LoopBox {
    cpu: Option<u64>,
    blocked: bool,
    ready: Vec<u64>,
    io: Vec<u64>,
}

/// The database: queries running, and requests waiting for a connection.
#[derive(Debug, Clone, Default, PartialEq)]
struct DatabaseBox {
    limit: Option<u32>,
    running: Vec<u64>,
    waiting: Vec<u64>,
}

/// A snapshot of the server to draw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagram {
    event_loop: bool,
    /// Some I/O calls block their loop (`blocking_share` > 0).
    blocking: bool,
    clients_waiting: u32,
    clients_thinking: u32,
    open_rate: Option<f64>,
    backlog: Vec<u64>,
    workers: Vec<WorkerBox>,
    loops: Vec<LoopBox>,
    database: Option<DatabaseBox>,
}

/// Placed shapes, in CSS pixels of a `width` x `height` area.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub(crate) boxes: Vec<(Rect, String, Option<DotState>)>,
    pub(crate) counts: Vec<(f64, f64, String)>,
    /// Arrows from one station to the next: (from x, to x, y).
    pub(crate) arrows: Vec<(f64, f64, f64)>,
    /// The key: each marker this diagram can show, where its entry starts.
    pub(crate) legend: Vec<(f64, f64, DotState)>,
    pub dots: Vec<Dot>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Layout {
    /// The request whose dot is nearest to (`x`, `y`), within a dot's reach.
    pub fn request_at(&self, x: f64, y: f64) -> Option<u64> {
        self.dots
            .iter()
            .map(|d| (d.id, (d.x - x).powi(2) + (d.y - y).powi(2)))
            .filter(|(_, d2)| *d2 <= (2.0 * DOT).powi(2))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(id, _)| id)
    }

    /// The request on the diagram that arrived next after `current` (or, going back,
    /// last before it), staying at the newest (or oldest) at the ends: while the
    /// simulation plays, requests leave, and wrapping round from a request that just left
    /// would jump to the far end. From the start (or end) when nothing is picked. The
    /// keyboard's way to pick, as the arrow keys step through the dots.
    pub fn request_next(&self, current: Option<u64>, forward: bool) -> Option<u64> {
        let ids = self.dots.iter().map(|d| d.id);
        let (first, last) = (ids.clone().min()?, ids.clone().max()?);
        // One pass each way, no sort: a sort's code is kilobytes of the bundle.
        Some(match (current, forward) {
            (None, true) => first,
            (None, false) => last,
            (Some(c), true) => ids.filter(|&id| id > c).min().unwrap_or(last),
            (Some(c), false) => ids.filter(|&id| id < c).max().unwrap_or(first),
        })
    }
}

/// Beyond this many dots a zone shows a count: individual dots would be noise.
const MAX_DOTS_PER_ZONE: usize = 60;
/// Beyond this many workers, the rest are summed up in one box.
const MAX_WORKER_BOXES: usize = 32;
const DOT: f64 = 7.0;
const GAP: f64 = 10.0;
/// Height of a row of the key along the top.
const LEGEND_ROW: f64 = 18.0;
/// Width of a character of the diagram's 11 px font: an estimate on the wide side, as
/// the canvas cannot be asked on every backend.
const CHAR_PX: f64 = 6.4;
/// A line of the 11 px font, for text placed under text.
const LINE: f64 = 16.0;

/// The first of `variants` (longest first) that fits in `width` CSS pixels, or the last
/// one cut short with an ellipsis: a label never runs into the next station.
fn fit(width: f64, variants: &[&str]) -> String {
    let room = ((width - 6.0) / CHAR_PX).floor().max(0.0) as usize;
    if let Some(v) = variants.iter().find(|v| v.chars().count() <= room) {
        return (*v).to_string();
    }
    let last = variants.last().copied().unwrap_or("");
    if room < 2 {
        return String::new();
    }
    let mut cut: String = last.chars().take(room - 1).collect();
    cut.push('…');
    cut
}

/// Width of a key entry: marker, label, space after.
fn legend_entry_w(state: DotState) -> f64 {
    13.0 + CHAR_PX * state.label().chars().count() as f64 + 12.0
}

impl Diagram {
    /// Reads where every request is in `sim`.
    pub fn of(sim: &Simulation) -> Diagram {
        let scenario = sim.scenario();
        let event_loop = scenario.server.is_event_loop();
        let mut diagram = Diagram {
            event_loop,
            blocking: event_loop && scenario.blocking_share > 0.0,
            ..Diagram::default()
        };
        for client in sim.clients() {
            match client.state {
                sim::ClientState::Thinking => diagram.clients_thinking += 1,
                sim::ClientState::Waiting { .. } => diagram.clients_waiting += 1,
            }
        }
        if let sim::Workload::Open { rate } = scenario.workload() {
            diagram.open_rate = Some(rate);
        }
        diagram.database = sim.database().map(|db| DatabaseBox {
            limit: db.limit,
            ..DatabaseBox::default()
        });
        if event_loop {
            diagram.loops = vec![LoopBox::default(); scenario.processes() as usize];
        } else {
            diagram.workers = sim
                .workers()
                .map(|w| WorkerBox {
                    state: w.state,
                    request: w.request,
                })
                .collect();
        }
        for request in sim.requests() {
            let id = request.id;
            match request.phase {
                RequestPhase::Queued => diagram.backlog.push(id),
                RequestPhase::Ready { worker } => diagram.loop_at(worker).ready.push(id),
                RequestPhase::OnCpu { worker } if event_loop => {
                    diagram.loop_at(worker).cpu = Some(id)
                }
                RequestPhase::WaitingIo { worker } if event_loop => {
                    diagram.loop_at(worker).io.push(id)
                }
                RequestPhase::BlockingIo { worker } => {
                    let l = diagram.loop_at(worker);
                    l.cpu = Some(id);
                    l.blocked = true;
                }
                RequestPhase::Querying { .. } => {
                    if let Some(db) = &mut diagram.database {
                        db.running.push(id);
                    }
                }
                RequestPhase::WaitingPool { .. } | RequestPhase::WaitingDb { .. } => {
                    if let Some(db) = &mut diagram.database {
                        db.waiting.push(id);
                    }
                }
                RequestPhase::OnCpu { .. }
                | RequestPhase::WaitingIo { .. }
                | RequestPhase::WaitingGil { .. } => {}
            }
        }
        diagram
    }

    fn loop_at(&mut self, worker: u32) -> &mut LoopBox {
        if self.loops.is_empty() {
            self.loops.push(LoopBox::default());
        }
        let index = (worker as usize).min(self.loops.len() - 1);
        &mut self.loops[index]
    }

    /// Places everything in a `width` x `height` area, stations left to right.
    pub fn layout(&self, width: f64, height: f64) -> Layout {
        // Room at both sides, so that the outer boxes' borders and the markers beside
        // them are not cut by the canvas's edge.
        const EDGE: f64 = 3.0;
        let mut layout = Layout {
            width,
            height,
            ..Layout::default()
        };
        let narrow = width < 480.0;
        // The key: the markers this server can show, in as many rows as the width needs.
        let (mut x, mut row) = (EDGE, 0.0);
        for state in DotState::ALL {
            let shown = match state {
                DotState::Db => self.database.is_some(),
                DotState::Blocked => self.blocking,
                _ => true,
            };
            if !shown {
                continue;
            }
            let entry = legend_entry_w(state);
            if x > EDGE && x + entry - 12.0 > width {
                (x, row) = (EDGE, row + 1.0);
            }
            layout.legend.push((x, row * LEGEND_ROW, state));
            x += entry;
        }
        let top = (row + 1.0) * LEGEND_ROW + 4.0;
        let inner_h = (height - top - 4.0).max(20.0);
        let share = |wide: f64, small: f64| width * if narrow { small } else { wide };
        // Wide enough for "clients" and "balancer" (or "thinking") in any diagram, and in
        // the article's column for "100 thinking" on one line.
        let clients_w = share(0.145, 0.16).max(64.0);
        let balancer_w = share(0.17, 0.2).max(64.0);
        let database_w = if self.database.is_some() {
            share(0.2, 0.22)
        } else {
            0.0
        };
        let column = |x: f64, w: f64| Rect {
            x,
            y: top,
            w,
            h: inner_h,
        };

        let clients = column(EDGE, clients_w);
        let label = match self.open_rate {
            Some(rate) => {
                let (long, short) = (format!("arrivals {rate:.0}/s"), format!("{rate:.0}/s"));
                fit(clients.w, &[&long, &short])
            }
            None => fit(clients.w, &["clients"]),
        };
        layout.boxes.push((clients, label, None));
        if self.open_rate.is_none() {
            let y = clients.y + 18.0;
            let y = counted(&mut layout, clients, y, self.clients_waiting, "waiting");
            counted(&mut layout, clients, y, self.clients_thinking, "thinking");
        }

        // The load balancer: the listening socket, whose accept queue is the backlog.
        let balancer = column(clients.x + clients.w + GAP, balancer_w);
        let name = fit(balancer.w, &["load balancer", "balancer"]);
        layout.boxes.push((balancer, name, None));
        let y = balancer.y + 18.0;
        let below = counted(&mut layout, balancer, y, self.backlog.len(), "backlog");
        let queue = Rect {
            y: below - 2.0,
            h: balancer.y + balancer.h - below + 2.0,
            ..balancer
        };
        place_dots(&mut layout, queue, &self.backlog, DotState::Waiting);

        let server_x = balancer.x + balancer.w + GAP;
        let server_w = width
            - EDGE
            - server_x
            - if database_w > 0.0 {
                database_w + GAP
            } else {
                0.0
            };
        let server = column(server_x, server_w.max(40.0));
        if self.event_loop {
            self.layout_loops(&mut layout, server);
        } else {
            self.layout_workers(&mut layout, server);
        }
        let mid = top + inner_h / 2.0;
        layout.arrows.push((clients.x + clients.w, balancer.x, mid));
        layout.arrows.push((balancer.x + balancer.w, server.x, mid));
        if let Some(db) = &self.database {
            let column = column(server.x + server.w + GAP, database_w);
            layout.arrows.push((server.x + server.w, column.x, mid));
            db.layout(&mut layout, column);
        }
        layout
    }

    fn layout_workers(&self, layout: &mut Layout, area: Rect) {
        let shown = self.workers.len().min(MAX_WORKER_BOXES);
        if shown == 0 {
            return;
        }
        let more = self.workers.len() > shown;
        // A line under the boxes for the workers not drawn.
        let area = Rect {
            h: area.h - if more { LINE + 2.0 } else { 0.0 },
            ..area
        };
        let columns = if shown > 8 { 2 } else { 1 };
        let rows = shown.div_ceil(columns);
        let h = (area.h / rows as f64).min(28.0);
        let w = area.w / columns as f64;
        for (index, worker) in self.workers.iter().take(shown).enumerate() {
            let (c, r) = (index / rows, index % rows);
            let rect = Rect {
                x: area.x + c as f64 * w,
                y: area.y + r as f64 * h,
                w: w - 4.0,
                h: h - 3.0,
            };
            let state = match worker.state {
                WorkerState::Idle => None,
                WorkerState::Cpu => Some(DotState::Cpu),
                WorkerState::Io | WorkerState::Waiting => Some(DotState::Io),
                WorkerState::WaitingGil => Some(DotState::Waiting),
                WorkerState::Db => Some(DotState::Db),
            };
            // Room for the name left of the request's marker.
            let name = if h >= 16.0 {
                let (long, short) = (format!("worker {}", index + 1), (index + 1).to_string());
                fit(rect.w - 2.0 * DOT - 6.0, &[&long, &short])
            } else {
                String::new()
            };
            layout.boxes.push((rect, name, state));
            // A request at the database is drawn there; its worker keeps the colour.
            if let (Some(id), Some(state)) = (worker.request, state) {
                if state != DotState::Db {
                    layout.dots.push(Dot {
                        id,
                        x: rect.x + rect.w - 10.0,
                        y: rect.y + rect.h / 2.0,
                        state,
                    });
                }
            }
        }
        if more {
            let busy = self.workers[shown..]
                .iter()
                .filter(|w| w.request.is_some())
                .count();
            let rest = self.workers.len() - shown;
            let (long, short) = (
                format!("+{rest} more workers, {busy} busy"),
                format!("+{rest} more, {busy} busy"),
            );
            layout.counts.push((
                area.x + 2.0,
                area.y + area.h + 2.0,
                fit(area.w, &[&long, &short]),
            ));
        }
    }

    fn layout_loops(&self, layout: &mut Layout, area: Rect) {
        let shown = self.loops.len().min(4);
        let more = self.loops.len() > shown;
        let area = Rect {
            h: area.h - if more { LINE + 2.0 } else { 0.0 },
            ..area
        };
        let h = area.h / shown.max(1) as f64;
        for (index, l) in self.loops.iter().take(shown).enumerate() {
            let rect = Rect {
                x: area.x,
                y: area.y + index as f64 * h,
                w: area.w,
                h: h - 4.0,
            };
            let state = if l.blocked {
                Some(DotState::Blocked)
            } else if l.cpu.is_some() {
                Some(DotState::Cpu)
            } else {
                None
            };
            let name = if self.loops.len() == 1 {
                fit(rect.w, &["event loop", "loop"])
            } else {
                let (long, short) = (
                    format!("event loop {}", index + 1),
                    format!("loop {}", index + 1),
                );
                fit(rect.w, &[&long, &short])
            };
            layout.boxes.push((rect, name, state));
            let zone_y = rect.y + 18.0;
            let zone_h = (rect.h - 22.0).max(10.0);
            let cpu = Rect {
                x: rect.x + 4.0,
                y: zone_y,
                w: (rect.w * 0.16).max(30.0),
                h: zone_h,
            };
            layout.boxes.push((cpu, fit(cpu.w, &["CPU"]), None));
            if let Some(id) = l.cpu {
                let state = if l.blocked {
                    DotState::Blocked
                } else {
                    DotState::Cpu
                };
                // Under the zone's name, however short the zone.
                layout.dots.push(Dot {
                    id,
                    x: cpu.x + cpu.w / 2.0,
                    y: cpu.y + (cpu.h / 2.0).max(14.0 + DOT / 2.0),
                    state,
                });
            }
            let rest = rect.x + rect.w - (cpu.x + cpu.w) - 10.0;
            let ready = Rect {
                x: cpu.x + cpu.w + 4.0,
                y: zone_y,
                w: rest * 0.42,
                h: zone_h,
            };
            let n = l.ready.len();
            let long = format!("ready {n}");
            layout
                .boxes
                .push((ready, fit(ready.w, &[&long, "ready", "rdy"]), None));
            place_dots(layout, ready, &l.ready, DotState::Waiting);
            let io = Rect {
                x: ready.x + ready.w + 4.0,
                y: zone_y,
                w: rest * 0.58 - 4.0,
                h: zone_h,
            };
            let n = l.io.len();
            let (long, short) = (format!("awaiting I/O {n}"), format!("I/O {n}"));
            layout
                .boxes
                .push((io, fit(io.w, &[&long, &short, "I/O"]), None));
            place_dots(layout, io, &l.io, DotState::Io);
        }
        if more {
            let rest = self.loops.len() - shown;
            let (long, short) = (format!("+{rest} more loops"), format!("+{rest} more"));
            layout.counts.push((
                area.x + 2.0,
                area.y + area.h + 2.0,
                fit(area.w, &[&long, &short]),
            ));
        }
    }
}

impl DatabaseBox {
    /// The database's column: its connections in use (out of its limit), the queries
    /// in them, and below, the requests waiting for a connection.
    fn layout(&self, layout: &mut Layout, area: Rect) {
        let n = self.running.len();
        let in_use = match self.limit {
            Some(limit) => {
                let (long, middle, short) = (
                    format!("{n} of {limit} busy"),
                    format!("{n}/{limit} busy"),
                    format!("{n}/{limit}"),
                );
                fit(area.w - 4.0, &[&long, &middle, &short])
            }
            None => {
                let (long, short) = (format!("{n} querying"), n.to_string());
                fit(area.w - 4.0, &[&long, &short])
            }
        };
        layout
            .boxes
            .push((area, fit(area.w, &["database", "db"]), None));
        layout.counts.push((area.x + 5.0, area.y + 18.0, in_use));
        let half = (area.h - 20.0) / 2.0;
        let running = Rect {
            x: area.x + 2.0,
            y: area.y + 24.0,
            w: area.w - 4.0,
            h: half,
        };
        place_dots(layout, running, &self.running, DotState::Db);
        let waiting = Rect {
            y: running.y + half,
            h: half - 6.0,
            ..running
        };
        let n = self.waiting.len();
        let (long, middle, short) = (
            format!("waiting for one {n}"),
            format!("waiting {n}"),
            n.to_string(),
        );
        layout
            .boxes
            .push((waiting, fit(waiting.w, &[&long, &middle, &short]), None));
        place_dots(layout, waiting, &self.waiting, DotState::Waiting);
    }
}

/// "`n` `word`" at height `y` in `column`, or `n` over `word` on two lines where one is
/// too narrow; returns the height under it.
fn counted(
    layout: &mut Layout,
    column: Rect,
    y: f64,
    n: impl std::fmt::Display,
    word: &str,
) -> f64 {
    let (x, w) = (column.x + 5.0, column.w - 4.0);
    let line = format!("{n} {word}");
    if fit(w, &[&line]) == line {
        layout.counts.push((x, y, line));
        return y + LINE;
    }
    layout.counts.push((x, y, fit(w, &[&n.to_string()])));
    layout.counts.push((x, y + LINE, fit(w, &[word])));
    y + 2.0 * LINE
}

/// Dots in a grid inside `rect`, or a count when there are too many to tell apart.
fn place_dots(layout: &mut Layout, rect: Rect, ids: &[u64], state: DotState) {
    let per_row = ((rect.w - 8.0) / (DOT + 3.0)).floor().max(1.0) as usize;
    let rows = ((rect.h - 20.0) / (DOT + 3.0)).floor().max(1.0) as usize;
    let capacity = (per_row * rows).min(MAX_DOTS_PER_ZONE);
    if ids.len() > capacity {
        let (long, short) = (format!("{} requests", ids.len()), ids.len().to_string());
        layout.counts.push((
            rect.x + 4.0,
            rect.y + rect.h / 2.0,
            fit(rect.w - 2.0, &[&long, &short]),
        ));
        return;
    }
    for (index, &id) in ids.iter().enumerate() {
        let (r, c) = (index / per_row, index % per_row);
        layout.dots.push(Dot {
            id,
            x: rect.x + 8.0 + c as f64 * (DOT + 3.0),
            y: rect.y + 20.0 + r as f64 * (DOT + 3.0),
            state,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagram(toml: &str, seconds: f64) -> Diagram {
        let scenario = sim::Scenario::parse(toml).unwrap();
        let mut simulation = Simulation::new(&scenario);
        simulation.advance_to(seconds, 1_000_000);
        Diagram::of(&simulation)
    }

    #[test]
    fn the_fifth_client_waits_at_the_load_balancer() {
        let d = diagram(
            "workers = 4\nclients = 5\ncpu_ms = 1\nio_ms = 1000\nservice = \"constant\"\n",
            0.5,
        );
        assert_eq!(d.workers.iter().filter(|w| w.request.is_some()).count(), 4);
        assert_eq!(d.backlog.len(), 1);
        let layout = d.layout(640.0, 200.0);
        assert_eq!(layout.dots.len(), 5, "four in workers, one in the backlog");
        assert!(layout
            .boxes
            .iter()
            .any(|(_, name, _)| name == "load balancer"));
        let backlog = layout
            .dots
            .iter()
            .find(|d| d.state == DotState::Waiting)
            .unwrap();
        assert_eq!(
            layout.request_at(backlog.x + 1.0, backlog.y),
            Some(backlog.id)
        );
    }

    #[test]
    fn the_arrow_keys_step_through_the_dots_in_arrival_order() {
        let d = diagram(
            "workers = 4\nclients = 5\ncpu_ms = 1\nio_ms = 1000\nservice = \"constant\"\n",
            0.5,
        );
        let layout = d.layout(640.0, 200.0);
        let mut ids: Vec<u64> = layout.dots.iter().map(|d| d.id).collect();
        ids.sort_unstable();
        assert_eq!(ids.len(), 5);
        let mut walked = vec![layout.request_next(None, true).unwrap()];
        for _ in 0..5 {
            let next = layout.request_next(walked.last().copied(), true).unwrap();
            walked.push(next);
        }
        let mut expected = ids.clone();
        expected.push(ids[4]);
        assert_eq!(walked, expected, "forward, staying at the newest");
        assert_eq!(layout.request_next(Some(ids[0]), false), Some(ids[0]));
        assert_eq!(layout.request_next(Some(ids[3]), false), Some(ids[2]));
        assert_eq!(layout.request_next(None, false), Some(ids[4]));
        // A request that left the diagram: on from where it would have been.
        let (left_early, left_late) = (ids[0].saturating_sub(1), ids[4] + 1);
        assert_eq!(layout.request_next(Some(left_early), false), Some(ids[0]));
        assert_eq!(layout.request_next(Some(left_late), true), Some(ids[4]));
        assert_eq!(layout.request_next(Some(left_late), false), Some(ids[4]));
        assert_eq!(Layout::default().request_next(None, true), None);
    }

    #[test]
    fn an_event_loop_holds_all_tasks_waiting_on_io() {
        let d = diagram("server = \"asyncio\"\nclients = 20\ncpu_ms = 1\nio_ms = 1000\nservice = \"constant\"\n", 0.5);
        assert_eq!(d.loops.len(), 1);
        assert_eq!(d.loops[0].io.len(), 20);
        assert!(d.backlog.is_empty());
    }

    #[test]
    fn requests_at_the_database_are_drawn_there() {
        let d = diagram(
            "server = \"asyncio\"\nclients = 20\ncpu_ms = 1\nio_ms = 0\ndb_ms = 1000\ndb_pool = 5\nservice = \"constant\"\n",
            0.5,
        );
        let db = d.database.as_ref().unwrap();
        assert_eq!((db.running.len(), db.waiting.len()), (5, 15));
        let layout = d.layout(640.0, 200.0);
        assert_eq!(
            layout
                .dots
                .iter()
                .filter(|d| d.state == DotState::Db)
                .count(),
            5
        );
        assert!(layout.boxes.iter().any(|(_, name, _)| name == "database"));
    }

    /// Every label fits its box and every count stays inside the diagram, from a phone
    /// to a wide column, for the crowded servers of the article's database comparisons.
    #[test]
    fn text_fits_its_place_at_every_width() {
        let servers = [
            "server = \"asyncio\"\nworkers = 2\nclients = 200\ncpu_ms = 1\nio_ms = 0\ndb_ms = 100\ndb_pool = 10\ndb_connections = 100\n",
            "server = \"processes\"\nworkers = 19\nclients = 100\ncpu_ms = 1\nio_ms = 0\ndb_ms = 20\ndb_connections = 100\n",
            "server = \"asyncio\"\nworkers = 6\nclients = 100\ncpu_ms = 1\nio_ms = 0\ndb_ms = 20\ndb_pool = 20\nblocking_share = 0.1\nio_calls = 1\n",
            "server = \"threads\"\nworkers = 1\nthreads = 100\nclients = 150\ncpu_ms = 1\nio_ms = 50\n",
            "workers = 4\narrival_rate = 1000\ncpu_ms = 5\nio_ms = 50\n",
        ];
        for toml in servers {
            let d = diagram(toml, 2.0);
            for width in [280.0, 360.0, 460.0, 620.0] {
                let layout = d.layout(width, 300.0);
                for (rect, label, _) in &layout.boxes {
                    let text = label.chars().count() as f64 * CHAR_PX;
                    assert!(
                        text <= rect.w,
                        "{width} px: '{label}' ({text} px) in a box of {} px",
                        rect.w
                    );
                }
                for (x, y, text) in &layout.counts {
                    let end = x + text.chars().count() as f64 * CHAR_PX;
                    assert!(end <= width + 1.0, "{width} px: '{text}' ends at {end}");
                    assert!(y + 12.0 <= layout.height, "{width} px: '{text}' at y {y}");
                }
                let (right, bottom) = layout
                    .legend
                    .iter()
                    .fold((0.0f64, 0.0f64), |(r, b), &(x, y, state)| {
                        (r.max(x + legend_entry_w(state) - 12.0), b.max(y))
                    });
                assert!(right <= width, "{width} px: the key runs to {right}");
                assert!(
                    bottom < layout.boxes[0].0.y,
                    "{width} px: the key overlaps the stations"
                );
            }
        }
    }

    #[test]
    fn the_key_shows_what_the_server_can_show() {
        let plain =
            diagram("workers = 4\nclients = 5\ncpu_ms = 1\nio_ms = 10\n", 0.5).layout(640.0, 200.0);
        let states: Vec<DotState> = plain.legend.iter().map(|e| e.2).collect();
        assert_eq!(states, [DotState::Waiting, DotState::Cpu, DotState::Io]);
        let blocking = diagram(
            "server = \"asyncio\"\nclients = 5\ncpu_ms = 1\nio_ms = 10\ndb_ms = 5\nblocking_share = 0.5\n",
            0.5,
        )
        .layout(300.0, 200.0);
        assert_eq!(blocking.legend.len(), 5);
        assert!(
            blocking.legend.iter().any(|e| e.1 > 0.0),
            "wraps on a narrow diagram"
        );
    }

    #[test]
    fn crowds_become_counts() {
        let d = diagram(
            "server = \"asyncio\"\nclients = 10000\ncpu_ms = 0.01\nio_ms = 1000\n",
            0.5,
        );
        let layout = d.layout(360.0, 200.0);
        assert!(
            layout.dots.len() <= 3 * MAX_DOTS_PER_ZONE,
            "{} dots",
            layout.dots.len()
        );
        // "N requests", or only N where the zone is too narrow for the word.
        assert!(layout.counts.iter().any(|(_, _, t)| t
            .trim_end_matches(" requests")
            .parse::<usize>()
            .is_ok_and(|n| n > MAX_DOTS_PER_ZONE)));
    }
}
