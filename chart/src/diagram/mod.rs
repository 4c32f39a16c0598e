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
}

/// Beyond this many dots a zone shows a count: individual dots would be noise.
const MAX_DOTS_PER_ZONE: usize = 60;
/// Beyond this many workers, the rest are summed up in one box.
const MAX_WORKER_BOXES: usize = 32;
const DOT: f64 = 7.0;
const GAP: f64 = 10.0;
const TOP: f64 = 22.0;

impl Diagram {
    /// Reads where every request is in `sim`.
    pub fn of(sim: &Simulation) -> Diagram {
        let scenario = sim.scenario();
        let event_loop = scenario.server.is_event_loop();
        let mut diagram = Diagram {
            event_loop,
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
        let mut layout = Layout {
            width,
            height,
            ..Layout::default()
        };
        let narrow = width < 480.0;
        let inner_h = (height - TOP - 4.0).max(20.0);
        let share = |wide: f64, small: f64| width * if narrow { small } else { wide };
        let clients_w = share(0.13, 0.16);
        let balancer_w = share(0.17, 0.2);
        let database_w = if self.database.is_some() {
            share(0.2, 0.22)
        } else {
            0.0
        };
        let column = |x: f64, w: f64| Rect {
            x,
            y: TOP,
            w,
            h: inner_h,
        };

        let clients = column(0.0, clients_w);
        let label = match self.open_rate {
            Some(rate) => format!("arrivals {rate:.0}/s"),
            None => "clients".to_string(),
        };
        layout.boxes.push((clients, label, None));
        if self.open_rate.is_none() {
            layout.counts.push((
                clients.x + 5.0,
                clients.y + 18.0,
                format!("{} waiting", self.clients_waiting),
            ));
            layout.counts.push((
                clients.x + 5.0,
                clients.y + 34.0,
                format!("{} thinking", self.clients_thinking),
            ));
        }

        // The load balancer: the listening socket, whose accept queue is the backlog.
        let balancer = column(clients.x + clients.w + GAP, balancer_w);
        let name = if narrow { "balancer" } else { "load balancer" };
        layout.boxes.push((balancer, name.into(), None));
        layout.counts.push((
            balancer.x + 5.0,
            balancer.y + 18.0,
            format!("backlog {}", self.backlog.len()),
        ));
        let queue = Rect {
            y: balancer.y + 16.0,
            h: balancer.h - 16.0,
            ..balancer
        };
        place_dots(&mut layout, queue, &self.backlog, DotState::Waiting);

        let server_x = balancer.x + balancer.w + GAP;
        let server_w = width
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
        let mid = TOP + inner_h / 2.0;
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
            let name = if h >= 16.0 {
                format!("worker {}", index + 1)
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
        if self.workers.len() > shown {
            let busy = self.workers[shown..]
                .iter()
                .filter(|w| w.request.is_some())
                .count();
            layout.counts.push((
                area.x,
                area.y + area.h - 4.0,
                format!("+{} more workers, {busy} busy", self.workers.len() - shown),
            ));
        }
    }

    fn layout_loops(&self, layout: &mut Layout, area: Rect) {
        let shown = self.loops.len().min(4);
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
                "event loop".to_string()
            } else {
                format!("event loop {}", index + 1)
            };
            layout.boxes.push((rect, name, state));
            let zone_y = rect.y + 18.0;
            let zone_h = (rect.h - 22.0).max(10.0);
            let cpu = Rect {
                x: rect.x + 4.0,
                y: zone_y,
                w: (rect.w * 0.16).max(24.0),
                h: zone_h,
            };
            layout.boxes.push((cpu, "CPU".into(), None));
            if let Some(id) = l.cpu {
                let state = if l.blocked {
                    DotState::Blocked
                } else {
                    DotState::Cpu
                };
                layout.dots.push(Dot {
                    id,
                    x: cpu.x + cpu.w / 2.0,
                    y: cpu.y + cpu.h / 2.0,
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
            layout
                .boxes
                .push((ready, format!("ready {}", l.ready.len()), None));
            place_dots(layout, ready, &l.ready, DotState::Waiting);
            let io = Rect {
                x: ready.x + ready.w + 4.0,
                y: zone_y,
                w: rest * 0.58 - 4.0,
                h: zone_h,
            };
            layout
                .boxes
                .push((io, format!("awaiting I/O {}", l.io.len()), None));
            place_dots(layout, io, &l.io, DotState::Io);
        }
        if self.loops.len() > shown {
            layout.counts.push((
                area.x,
                area.y + area.h - 4.0,
                format!("+{} more loops", self.loops.len() - shown),
            ));
        }
    }
}

impl DatabaseBox {
    /// The database's column: its connections in use (out of its limit), the queries
    /// in them, and below, the requests waiting for a connection.
    fn layout(&self, layout: &mut Layout, area: Rect) {
        let in_use = match self.limit {
            Some(limit) => format!("{} of {limit} busy", self.running.len()),
            None => format!("{} querying", self.running.len()),
        };
        layout.boxes.push((area, "database".into(), None));
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
        layout.boxes.push((
            waiting,
            format!("waiting for one {}", self.waiting.len()),
            None,
        ));
        place_dots(layout, waiting, &self.waiting, DotState::Waiting);
    }
}

/// Dots in a grid inside `rect`, or a count when there are too many to tell apart.
fn place_dots(layout: &mut Layout, rect: Rect, ids: &[u64], state: DotState) {
    let per_row = ((rect.w - 8.0) / (DOT + 3.0)).floor().max(1.0) as usize;
    let rows = ((rect.h - 20.0) / (DOT + 3.0)).floor().max(1.0) as usize;
    let capacity = (per_row * rows).min(MAX_DOTS_PER_ZONE);
    if ids.len() > capacity {
        layout.counts.push((
            rect.x + 6.0,
            rect.y + rect.h / 2.0,
            format!("{} requests", ids.len()),
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
        assert!(layout
            .counts
            .iter()
            .any(|(_, _, t)| t.ends_with("requests")));
    }
}
