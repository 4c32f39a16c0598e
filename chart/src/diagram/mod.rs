//! The architecture diagram of a live server: clients, the backlog, and the workers
//! (a pool of processes or threads) or the event loops (the task on the CPU, the ready
//! queue, the tasks waiting on I/O), with every request drawn where the simulation says
//! it is. Crowded places are drawn as a count instead of dots.
//!
//! [`Diagram::of`] reads the simulation, [`Diagram::layout`] places boxes and request
//! dots in CSS pixels, and [`draw_diagram`] draws them on any plotters backend. The
//! widget moves each dot smoothly from where it was drawn to where the layout puts it.

mod draw;

pub use draw::draw_diagram;

use plotters::prelude::*;
use sim::{RequestPhase, Simulation, WorkerState};

use crate::Palette;

/// What a request is doing, which sets its dot's colour.
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

    fn color(self, palette: &Palette) -> RGBColor {
        match self {
            DotState::Waiting => palette.series[3],
            DotState::Cpu => palette.series[1],
            DotState::Io => palette.series[0],
            DotState::Db => palette.series[2],
            DotState::Blocked => RGBColor(200, 30, 30),
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
    db: Vec<u64>,
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
}

/// Placed shapes, in CSS pixels of a `width` x `height` area.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub(crate) boxes: Vec<(Rect, String, Option<DotState>)>,
    pub(crate) counts: Vec<(f64, f64, String)>,
    pub dots: Vec<Dot>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// Beyond this many dots a zone shows a count: individual dots would be noise.
const MAX_DOTS_PER_ZONE: usize = 60;
/// Beyond this many workers, the rest are summed up in one box.
const MAX_WORKER_BOXES: usize = 32;
const DOT: f64 = 7.0;

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
                RequestPhase::WaitingPool { worker }
                | RequestPhase::WaitingDb { worker }
                | RequestPhase::Querying { worker }
                    if event_loop =>
                {
                    diagram.loop_at(worker).db.push(id)
                }
                RequestPhase::BlockingIo { worker } => {
                    let l = diagram.loop_at(worker);
                    l.cpu = Some(id);
                    l.blocked = true;
                }
                RequestPhase::OnCpu { .. }
                | RequestPhase::WaitingIo { .. }
                | RequestPhase::WaitingGil { .. }
                | RequestPhase::WaitingPool { .. }
                | RequestPhase::WaitingDb { .. }
                | RequestPhase::Querying { .. } => {}
            }
        }
        diagram
    }

    fn loop_at(&mut self, worker: u32) -> &mut LoopBox {
        let index = (worker as usize).min(self.loops.len().saturating_sub(1));
        if self.loops.is_empty() {
            self.loops.push(LoopBox::default());
        }
        &mut self.loops[index]
    }

    /// Places everything in a `width` x `height` area: clients on the left, the
    /// backlog in the middle, workers or loops on the right.
    pub fn layout(&self, width: f64, height: f64) -> Layout {
        let mut layout = Layout {
            width,
            height,
            ..Layout::default()
        };
        let narrow = width < 480.0;
        let column = if narrow { width * 0.22 } else { width * 0.18 };
        let gap = 8.0;
        let top = 22.0;
        let inner_h = (height - top - 4.0).max(20.0);

        // Clients (or the arrival stream of an open workload).
        let clients = Rect {
            x: 0.0,
            y: top,
            w: column,
            h: inner_h,
        };
        let label = match self.open_rate {
            Some(rate) => format!("arrivals {rate:.0}/s"),
            None => "clients".to_string(),
        };
        layout.boxes.push((clients, label, None));
        if self.open_rate.is_none() {
            layout.counts.push((
                clients.x + 6.0,
                clients.y + 16.0,
                format!("{} waiting", self.clients_waiting),
            ));
            layout.counts.push((
                clients.x + 6.0,
                clients.y + 32.0,
                format!("{} thinking", self.clients_thinking),
            ));
        }

        // The backlog.
        let backlog = Rect {
            x: column + gap,
            y: top,
            w: column,
            h: inner_h,
        };
        layout
            .boxes
            .push((backlog, format!("backlog {}", self.backlog.len()), None));
        place_dots(&mut layout, backlog, &self.backlog, DotState::Waiting);

        // Workers or loops share the rest.
        let right = Rect {
            x: 2.0 * (column + gap),
            y: top,
            w: width - 2.0 * (column + gap),
            h: inner_h,
        };
        if self.event_loop {
            self.layout_loops(&mut layout, right);
        } else {
            self.layout_workers(&mut layout, right);
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
            if let (Some(id), Some(state)) = (worker.request, state) {
                layout.dots.push(Dot {
                    id,
                    x: rect.x + rect.w - 10.0,
                    y: rect.y + rect.h / 2.0,
                    state,
                });
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
            layout
                .boxes
                .push((rect, format!("event loop {}", index + 1), state));
            let third = rect.w / 3.0;
            let cpu = Rect {
                x: rect.x + 4.0,
                y: rect.y + 18.0,
                w: third * 0.5,
                h: (rect.h - 22.0).max(10.0),
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
            let ready = Rect {
                x: cpu.x + cpu.w + 6.0,
                y: cpu.y,
                w: third * 0.9,
                h: cpu.h,
            };
            layout
                .boxes
                .push((ready, format!("ready {}", l.ready.len()), None));
            place_dots(layout, ready, &l.ready, DotState::Waiting);
            let rest = rect.x + rect.w - ready.x - ready.w - 10.0;
            let (io_w, db_w) = if l.db.is_empty() {
                (rest, 0.0)
            } else {
                (rest * 0.55, rest * 0.45 - 6.0)
            };
            let io = Rect {
                x: ready.x + ready.w + 6.0,
                y: cpu.y,
                w: io_w,
                h: cpu.h,
            };
            layout
                .boxes
                .push((io, format!("awaiting I/O {}", l.io.len()), None));
            place_dots(layout, io, &l.io, DotState::Io);
            if !l.db.is_empty() {
                let db = Rect {
                    x: io.x + io.w + 6.0,
                    y: cpu.y,
                    w: db_w,
                    h: cpu.h,
                };
                layout
                    .boxes
                    .push((db, format!("database {}", l.db.len()), None));
                place_dots(layout, db, &l.db, DotState::Db);
            }
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
    fn the_fifth_client_waits_in_the_backlog() {
        let d = diagram(
            "workers = 4\nclients = 5\ncpu_ms = 1\nio_ms = 1000\nservice = \"constant\"\n",
            0.5,
        );
        assert_eq!(d.workers.iter().filter(|w| w.request.is_some()).count(), 4);
        assert_eq!(d.backlog.len(), 1);
        let layout = d.layout(640.0, 200.0);
        assert_eq!(layout.dots.len(), 5, "four in workers, one in the backlog");
    }

    #[test]
    fn an_event_loop_holds_all_tasks_waiting_on_io() {
        let d = diagram("server = \"asyncio\"\nclients = 20\ncpu_ms = 1\nio_ms = 1000\nservice = \"constant\"\n", 0.5);
        assert_eq!(d.loops.len(), 1);
        assert_eq!(d.loops[0].io.len(), 20);
        assert!(d.backlog.is_empty());
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
