//! Requests moving between the stations of a diagram: when a request's place changes,
//! its marker travels from where it was to where it is now along a short eased path,
//! so the reader sees it go from the backlog to a worker. Under reduced motion, or
//! when the figure is drawn once (a static figure), markers are simply where they are.

use std::collections::HashMap;

use crate::diagram::{Dot, Layout};

/// How long one move takes, ms of wall time.
const MOVE_MS: f64 = 260.0;

#[derive(Debug, Clone, Copy)]
struct Track {
    from: (f64, f64),
    to: (f64, f64),
    started_ms: f64,
}

impl Track {
    fn at(&self, now_ms: f64) -> (f64, f64) {
        let t = ((now_ms - self.started_ms) / MOVE_MS).clamp(0.0, 1.0);
        // Ease in and out: slow to leave, slow to arrive.
        let e = t * t * (3.0 - 2.0 * t);
        (
            self.from.0 + (self.to.0 - self.from.0) * e,
            self.from.1 + (self.to.1 - self.from.1) * e,
        )
    }
}

/// Where each request's marker is, by request id.
#[derive(Debug, Clone, Default)]
pub struct Motion {
    tracks: HashMap<u64, Track>,
}

impl Motion {
    /// Takes the new layout at wall time `now_ms`: markers whose place changed start a
    /// move from where they are drawn now; new ones appear in place.
    pub fn update(&mut self, layout: &Layout, now_ms: f64, animate: bool) {
        let mut next = HashMap::with_capacity(layout.dots.len());
        for dot in &layout.dots {
            let to = (dot.x, dot.y);
            let track = match self.tracks.get(&dot.id) {
                Some(old) if animate && old.to != to => Track {
                    from: old.at(now_ms),
                    to,
                    started_ms: now_ms,
                },
                Some(old) if animate => *old,
                _ => Track {
                    from: to,
                    to,
                    started_ms: now_ms,
                },
            };
            next.insert(dot.id, track);
        }
        self.tracks = next;
    }

    /// Where `dot` is drawn at `now_ms`.
    pub fn position(&self, dot: &Dot, now_ms: f64) -> (f64, f64) {
        self.tracks
            .get(&dot.id)
            .map_or((dot.x, dot.y), |t| t.at(now_ms))
    }

    pub fn clear(&mut self) {
        self.tracks.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::DotState;

    fn layout(x: f64) -> Layout {
        Layout {
            dots: vec![Dot {
                id: 7,
                x,
                y: 10.0,
                state: DotState::Waiting,
            }],
            ..Layout::default()
        }
    }

    #[test]
    fn a_marker_eases_from_its_old_place_to_its_new_one() {
        let mut motion = Motion::default();
        motion.update(&layout(0.0), 0.0, true);
        motion.update(&layout(100.0), 1000.0, true);
        let dot = &layout(100.0).dots[0];
        assert_eq!(motion.position(dot, 1000.0), (0.0, 10.0));
        let (mid, _) = motion.position(dot, 1000.0 + MOVE_MS / 2.0);
        assert!((mid - 50.0).abs() < 1e-9, "{mid}");
        assert_eq!(motion.position(dot, 1000.0 + MOVE_MS), (100.0, 10.0));
    }

    #[test]
    fn without_animation_markers_jump() {
        let mut motion = Motion::default();
        motion.update(&layout(0.0), 0.0, false);
        motion.update(&layout(100.0), 10.0, false);
        assert_eq!(motion.position(&layout(100.0).dots[0], 10.0), (100.0, 10.0));
    }
}
