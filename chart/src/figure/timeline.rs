//! The timeline under a server's diagram: one row per worker (or per event loop),
//! coloured by what it did over the last seconds, from the simulation's trace. It also
//! keeps each recent request's story (when it waited, ran, waited on I/O or the
//! database, and how it ended), so that a reader can pick one request and follow it.

use std::collections::{HashMap, VecDeque};

use plotters::coord::Shift;
use plotters::prelude::*;
use sim::{RequestPhase, TraceEvent, TraceKind};

use super::DrawResult;
use crate::Palette;

/// Seconds of simulated time the timeline shows.
pub(super) const SPAN_S: f64 = 6.0;
/// Rows drawn at most; more workers are summed up in the label.
const MAX_ROWS: usize = 16;
/// The tallest a row is drawn, in CSS pixels.
const ROW_PX: u32 = 22;
/// Room above the rows when the title and the key take a line each (a phone), and
/// below them for the time labels, in CSS pixels.
const TITLES_PX: u32 = 30;
const TIME_LABELS_PX: u32 = 14;
/// The strip's height when it has many rows: what the stylesheet gave it before it
/// followed its rows.
const MAX_HEIGHT_PX: u32 = 120;
/// Stories kept at most, newest first to go when over.
const MAX_STORIES: usize = 20_000;

/// What a row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    Idle,
    Cpu,
    Io,
    Db,
    /// A thread waiting for the GIL.
    Waiting,
    /// A loop held by a blocking call.
    Blocked,
}

/// One stretch of a row: from `start` on, in `state`, for `request`.
#[derive(Debug, Clone, Copy)]
struct Segment {
    start: f64,
    state: RowState,
    request: Option<u64>,
}

/// A request's life, as far as it is known.
#[derive(Debug, Clone, Default)]
pub struct Story {
    pub events: Vec<(f64, TraceKind)>,
    pub done: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Rows are event loops (one per process) rather than workers.
    loops: bool,
    rows: Vec<VecDeque<Segment>>,
    /// The request each row works on now.
    on_row: Vec<Option<u64>>,
    /// The row of each request that holds one.
    row_of: HashMap<u64, usize>,
    stories: HashMap<u64, Story>,
    finished: VecDeque<(f64, u64)>,
    /// Replies of the last seconds: (time, request, latency s).
    replies: VecDeque<(f64, u64, f64)>,
    now: f64,
    /// The states rows have been in since the start, for the key: a state that never
    /// occurs (the database, a blocking call) needs no entry.
    seen: Vec<RowState>,
}

impl Timeline {
    pub fn new(rows: usize, loops: bool) -> Timeline {
        Timeline {
            loops,
            rows: (0..rows)
                .map(|_| {
                    VecDeque::from([Segment {
                        start: 0.0,
                        state: RowState::Idle,
                        request: None,
                    }])
                })
                .collect(),
            on_row: vec![None; rows],
            ..Timeline::default()
        }
    }

    /// The height, in CSS pixels, that the rows need: a full-height strip for one
    /// event loop was mostly empty. Room for the title on a line of its own (a phone),
    /// rows of [`ROW_PX`] and the time labels under them; at most [`MAX_HEIGHT_PX`],
    /// past which rows get thinner.
    pub fn height_px(&self) -> u32 {
        let rows = self.rows.len().clamp(1, MAX_ROWS) as u32;
        // 4 px to spare under the time labels' descenders.
        (TITLES_PX + rows * ROW_PX + TIME_LABELS_PX + 4).min(MAX_HEIGHT_PX)
    }

    /// Takes in the trace's new events, up to time `now`, and forgets what has left
    /// the window.
    pub fn feed(&mut self, events: impl Iterator<Item = TraceEvent>, now: f64) {
        for event in events {
            self.take(event);
        }
        self.now = now;
        let oldest = now - SPAN_S;
        for row in &mut self.rows {
            while row.len() > 1 && row[1].start <= oldest {
                row.pop_front();
            }
        }
        while self.finished.front().is_some_and(|(t, _)| *t < oldest) {
            if let Some((_, id)) = self.finished.pop_front() {
                self.stories.remove(&id);
            }
        }
        while self.replies.front().is_some_and(|(t, _, _)| *t < oldest) {
            self.replies.pop_front();
        }
        if self.stories.len() > MAX_STORIES {
            self.stories.clear();
        }
    }

    fn take(&mut self, event: TraceEvent) {
        let story = self.stories.entry(event.request).or_default();
        story.events.push((event.t, event.kind));
        let id = event.request;
        match event.kind {
            TraceKind::Phase(phase) => {
                let (worker, state) = match phase {
                    RequestPhase::Queued => (None, RowState::Idle),
                    RequestPhase::WaitingGil { worker } => (Some(worker), RowState::Waiting),
                    RequestPhase::Ready { worker } => (Some(worker), RowState::Idle),
                    RequestPhase::OnCpu { worker } => (Some(worker), RowState::Cpu),
                    RequestPhase::WaitingIo { worker } => (Some(worker), RowState::Io),
                    RequestPhase::BlockingIo { worker } => (Some(worker), RowState::Blocked),
                    RequestPhase::WaitingPool { worker }
                    | RequestPhase::WaitingDb { worker }
                    | RequestPhase::Querying { worker } => (Some(worker), RowState::Db),
                };
                let Some(row) = worker.map(|w| w as usize) else {
                    return;
                };
                if self.loops {
                    // A loop shows what its running task does; a task that steps aside
                    // leaves the loop idle.
                    match state {
                        RowState::Cpu | RowState::Blocked => {
                            self.on_row_set(row, Some(id));
                            self.set(row, event.t, state, Some(id));
                        }
                        _ if self.on_row.get(row) == Some(&Some(id)) => {
                            self.on_row_set(row, None);
                            self.set(row, event.t, RowState::Idle, None);
                        }
                        _ => {}
                    }
                } else {
                    self.row_of.insert(id, row);
                    self.on_row_set(row, Some(id));
                    self.set(row, event.t, state, Some(id));
                }
            }
            TraceKind::Replied { latency_s } => {
                self.replies.push_back((event.t, id, latency_s));
                self.done(id, event.t);
            }
            TraceKind::Wasted | TraceKind::Refused | TraceKind::Rejected | TraceKind::TimedOut => {
                if !matches!(event.kind, TraceKind::TimedOut) {
                    self.done(id, event.t);
                }
            }
        }
    }

    fn on_row_set(&mut self, row: usize, request: Option<u64>) {
        if let Some(slot) = self.on_row.get_mut(row) {
            *slot = request;
        }
    }

    fn done(&mut self, id: u64, t: f64) {
        if let Some(story) = self.stories.get_mut(&id) {
            story.done = true;
        }
        self.finished.push_back((t, id));
        if let Some(row) = self.row_of.remove(&id) {
            if self.on_row.get(row) == Some(&Some(id)) {
                self.on_row_set(row, None);
                self.set(row, t, RowState::Idle, None);
            }
        }
        if self.loops {
            for row in 0..self.on_row.len() {
                if self.on_row[row] == Some(id) {
                    self.on_row[row] = None;
                    self.set(row, t, RowState::Idle, None);
                }
            }
        }
    }

    fn set(&mut self, row: usize, t: f64, state: RowState, request: Option<u64>) {
        if !self.seen.contains(&state) {
            self.seen.push(state);
        }
        let Some(segments) = self.rows.get_mut(row) else {
            return;
        };
        match segments.back_mut() {
            Some(last) if last.start >= t => {
                last.state = state;
                last.request = request;
            }
            _ => segments.push_back(Segment {
                start: t,
                state,
                request,
            }),
        }
    }

    pub fn story(&self, id: u64) -> Option<&Story> {
        self.stories.get(&id)
    }

    /// A recent reply at least as slow as `latency_s` (the newest), for a reader who
    /// asks to see a p99 request; else the slowest recent one. (A percentile read from
    /// histogram buckets can lie a little above every latency it was drawn from, and
    /// early in a run there are few replies.)
    pub fn reply_at_least(&self, latency_s: f64) -> Option<u64> {
        let newest_slow = self.replies.iter().rev().find(|(_, _, l)| *l >= latency_s);
        let slowest = || self.replies.iter().max_by(|a, b| a.2.total_cmp(&b.2));
        newest_slow.or_else(slowest).map(|(_, id, _)| *id)
    }

    /// Draws the rows over the last [`SPAN_S`] seconds, each as runs of the state that
    /// held most of each pixel column; the `selected` request's stretches are outlined.
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        palette: &Palette,
        scale: f64,
        selected: Option<u64>,
    ) -> DrawResult<DB> {
        let px = |v: f64| (v * scale).round() as i32;
        area.fill(&palette.background)?;
        let (w, h) = area.dim_in_pixel();
        let font = crate::sans(f64::from(px(11.0).max(1) as u32)).color(&palette.text);
        let label_w = px(58.0);
        let what = if self.loops { "loop" } else { "worker" };
        // The key: CPU and I/O, and what else rows have done. Colour alone must not carry
        // the meaning, so it stays on a phone: after a long title where it fits, after a
        // short one, or on a line of its own.
        let s = &palette.states;
        let mut key: Vec<(&str, RGBColor)> = vec![("CPU", s.cpu), ("I/O", s.io)];
        for (state, label, color) in [
            (RowState::Db, "database", s.db),
            (RowState::Waiting, "waiting", s.waiting),
            (RowState::Blocked, "blocked", s.blocked),
        ] {
            if self.seen.contains(&state) {
                key.push((label, color));
            }
        }
        let entry_w = |label: &str| px(12.0 + 6.5 * label.chars().count() as f64 + 10.0);
        let key_w: i32 = key.iter().map(|(label, _)| entry_w(label)).sum();
        let title_w = |title: &str| px(6.0 * title.chars().count() as f64 + 8.0);
        let long = format!("the last {SPAN_S:.0} simulated seconds, one row per {what}:");
        let short = format!("last {SPAN_S:.0} s, a row per {what}:");
        let (title, key_at, top) = if label_w + title_w(&long) + key_w <= w as i32 {
            (long.clone(), (label_w + title_w(&long), px(0.0)), px(16.0))
        } else if label_w + title_w(&short) + key_w <= w as i32 {
            (
                short.clone(),
                (label_w + title_w(&short), px(0.0)),
                px(16.0),
            )
        } else {
            (short, (label_w, px(14.0)), px(f64::from(TITLES_PX)))
        };
        let shown = self.rows.len().min(MAX_ROWS);
        if shown == 0 {
            return area.present();
        }
        let row_h = ((h as i32 - top - px(f64::from(TIME_LABELS_PX))) / shown as i32)
            .clamp(2, px(f64::from(ROW_PX)));
        let columns = (w as i32 - label_w - px(4.0)).max(1) as usize;
        let (t0, t1) = (self.now - SPAN_S, self.now);
        let dt = (t1 - t0) / columns as f64;
        area.draw(&Text::new(title, (label_w, px(1.0)), font.clone()))?;
        let (mut x, key_y) = key_at;
        for (label, color) in key {
            area.draw(&Rectangle::new(
                [(x, key_y + px(3.0)), (x + px(9.0), key_y + px(12.0))],
                color.filled(),
            ))?;
            area.draw(&Text::new(
                label,
                (x + px(12.0), key_y + px(1.0)),
                font.clone(),
            ))?;
            x += entry_w(label);
        }
        let bottom = top + shown as i32 * row_h;
        area.draw(&Text::new(
            format!("-{SPAN_S:.0} s"),
            (label_w, bottom + px(1.0)),
            font.clone(),
        ))?;
        area.draw(&Text::new(
            "now",
            (w as i32 - px(26.0), bottom + px(1.0)),
            font.clone(),
        ))?;
        for (r, segments) in self.rows.iter().take(shown).enumerate() {
            let y = top + r as i32 * row_h;
            // With many rows, only the first and the last are named; the last not when
            // "+N more" sits under it, where the two labels would overlap.
            let more = self.rows.len() > shown;
            let named = row_h >= px(11.0) || r == 0 || (r + 1 == shown && !more);
            if named {
                let text = if row_h >= px(11.0) {
                    format!("{what} {}", r + 1)
                } else {
                    format!("{}", r + 1)
                };
                area.draw(&Text::new(text, (px(2.0), y + row_h / 4), font.clone()))?;
            }
            let states = columns_of(segments, t0, dt, columns, selected);
            let mut c = 0;
            while c < columns {
                let (state, mine) = states[c];
                let mut end = c + 1;
                while end < columns && states[end] == (state, mine) {
                    end += 1;
                }
                if let Some(color) = row_color(state, palette) {
                    let x0 = label_w + c as i32;
                    let x1 = label_w + end as i32;
                    area.draw(&Rectangle::new(
                        [(x0, y + 1), (x1, y + row_h - 1)],
                        color.filled(),
                    ))?;
                    if mine {
                        area.draw(&Rectangle::new(
                            [(x0, y), (x1, y + row_h)],
                            palette.text.stroke_width(px(2.0).max(1) as u32),
                        ))?;
                    }
                }
                c = end;
            }
        }
        if self.rows.len() > shown {
            area.draw(&Text::new(
                format!("+{} more", self.rows.len() - shown),
                (px(2.0), top + shown as i32 * row_h),
                font.clone(),
            ))?;
        }
        area.present()
    }
}

/// The state holding most of each pixel column, and whether the selected request had
/// it.
fn columns_of(
    segments: &VecDeque<Segment>,
    t0: f64,
    dt: f64,
    columns: usize,
    selected: Option<u64>,
) -> Vec<(RowState, bool)> {
    let mut out = vec![(RowState::Idle, false); columns];
    let mut best = vec![0.0f64; columns];
    for (i, s) in segments.iter().enumerate() {
        let end = segments
            .get(i + 1)
            .map_or(t0 + dt * columns as f64, |n| n.start);
        let (a, b) = (s.start.max(t0), end);
        if b <= a {
            continue;
        }
        let first = ((a - t0) / dt).floor().max(0.0) as usize;
        let last = (((b - t0) / dt).ceil() as usize).min(columns);
        for c in first..last {
            let (lo, hi) = (t0 + c as f64 * dt, t0 + (c + 1) as f64 * dt);
            let overlap = b.min(hi) - a.max(lo);
            if overlap > best[c] {
                best[c] = overlap;
                out[c] = (s.state, selected.is_some() && s.request == selected);
            }
        }
    }
    out
}

fn row_color(state: RowState, palette: &Palette) -> Option<RGBColor> {
    let s = &palette.states;
    match state {
        RowState::Idle => None,
        RowState::Cpu => Some(s.cpu),
        RowState::Io => Some(s.io),
        RowState::Db => Some(s.db),
        RowState::Waiting => Some(s.waiting),
        RowState::Blocked => Some(s.blocked),
    }
}

/// A request's story in words, for the reader who picked it.
pub fn describe(id: u64, story: &Story) -> String {
    let Some(&(arrived, _)) = story.events.first() else {
        return format!("Request {id}: nothing known yet.");
    };
    let mut parts = Vec::new();
    let mut last: Option<(f64, &'static str)> = None;
    let close = |parts: &mut Vec<String>, last: Option<(f64, &'static str)>, t: f64| {
        if let Some((since, what)) = last {
            let ms = (t - since) * 1e3;
            if ms > 0.0005 {
                parts.push(format!("{what} {ms:.1} ms"));
            }
        }
    };
    let mut ending = String::from("still in the server");
    for (t, kind) in &story.events {
        let what = match kind {
            TraceKind::Phase(RequestPhase::Queued) => Some("waited in the backlog"),
            TraceKind::Phase(RequestPhase::WaitingGil { .. }) => Some("waited for the GIL"),
            TraceKind::Phase(RequestPhase::Ready { .. }) => Some("waited for the loop"),
            TraceKind::Phase(RequestPhase::OnCpu { .. }) => Some("ran on the CPU"),
            TraceKind::Phase(RequestPhase::WaitingIo { .. }) => Some("waited on I/O"),
            TraceKind::Phase(RequestPhase::BlockingIo { .. }) => Some("blocked the loop on I/O"),
            TraceKind::Phase(RequestPhase::WaitingPool { .. }) => {
                Some("waited for a pool connection")
            }
            TraceKind::Phase(RequestPhase::WaitingDb { .. }) => Some("waited for the database"),
            TraceKind::Phase(RequestPhase::Querying { .. }) => Some("queried the database"),
            TraceKind::Replied { latency_s } => {
                ending = format!("replied after {:.1} ms", latency_s * 1e3);
                None
            }
            TraceKind::Wasted => {
                ending = "served after its client had given up".into();
                None
            }
            TraceKind::Refused => {
                ending = "refused: the backlog was full".into();
                None
            }
            TraceKind::Rejected => {
                ending = "rejected with a 503".into();
                None
            }
            TraceKind::TimedOut => {
                parts.push(format!(
                    "its client gave up at {:.0} ms",
                    (t - arrived) * 1e3
                ));
                continue;
            }
        };
        close(&mut parts, last, *t);
        last = what.map(|w| (*t, w));
    }
    if !story.done {
        if let Some((_, what)) = last {
            parts.push(format!("{what} now"));
        }
    }
    format!(
        "Request {id}, arrived at {arrived:.3} s: {}; {ending}.",
        if parts.is_empty() {
            "no stretch long enough to tell".to_string()
        } else {
            parts.join(", ")
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn traced(toml: &str, seconds: f64) -> (sim::Simulation, Timeline) {
        let scenario = sim::Scenario::parse(toml).unwrap();
        let mut simulation = sim::Simulation::new(&scenario);
        simulation.keep_trace();
        let loops = scenario.server.is_event_loop();
        let rows = if loops {
            scenario.processes()
        } else {
            scenario.pool_size()
        };
        let mut timeline = Timeline::new(rows as usize, loops);
        for step in 1..=(seconds * 10.0) as u32 {
            let t = f64::from(step) / 10.0;
            simulation.advance_to(t, u64::MAX);
            let events: Vec<_> = simulation.drain_trace().collect();
            timeline.feed(events.into_iter(), t);
        }
        (simulation, timeline)
    }

    #[test]
    fn a_busy_worker_row_is_mostly_io_and_the_story_adds_up() {
        let (_, timeline) = traced(
            "workers = 2\nclients = 2\ncpu_ms = 10\nio_ms = 90\nservice = \"constant\"\noverhead_us = 0\nswitch_us = 0",
            3.0,
        );
        let states = columns_of(&timeline.rows[0], 3.0 - SPAN_S, 0.01, 600, None);
        let io = states.iter().filter(|(s, _)| *s == RowState::Io).count();
        let cpu = states.iter().filter(|(s, _)| *s == RowState::Cpu).count();
        assert!(io > 200 && cpu > 20 && io > 5 * cpu, "io {io}, cpu {cpu}");
        let id = timeline.reply_at_least(0.0).unwrap();
        let text = describe(id, timeline.story(id).unwrap());
        assert!(text.contains("ran on the CPU 5.0 ms, waited on I/O 90.0 ms, ran on the CPU 5.0 ms; replied after 100.0 ms"), "{text}");
    }

    #[test]
    fn a_p99_request_is_found_even_above_every_reply() {
        let (_, timeline) = traced("workers = 4\nclients = 8", 2.0);
        let slowest = timeline.replies.iter().map(|r| r.2).fold(0.0, f64::max);
        let id = timeline.reply_at_least(slowest * 1.01).unwrap();
        let found = timeline.replies.iter().find(|r| r.1 == id).unwrap();
        assert_eq!(found.2, slowest);
        assert!(Timeline::new(1, false).reply_at_least(0.0).is_none());
    }

    #[test]
    fn a_loop_row_shows_its_running_task_only() {
        let (_, timeline) = traced(
            "server = \"asyncio\"\nclients = 50\ncpu_ms = 2\nio_ms = 100\nservice = \"constant\"",
            2.0,
        );
        let states = columns_of(&timeline.rows[0], 2.0 - SPAN_S, 0.01, 600, None);
        assert!(states
            .iter()
            .all(|(s, _)| matches!(s, RowState::Idle | RowState::Cpu)));
        assert!(states.iter().any(|(s, _)| *s == RowState::Cpu));
    }
}
