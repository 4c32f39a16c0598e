//! Replay: the reader drags a scrubber back over the seconds since the settings last
//! changed, and the diagram and timeline show that moment again. The simulation is
//! deterministic for its seed, so a replay is a fresh run of the same settings
//! advanced to the chosen time (in slices, a frame at a time): nothing is recorded, and
//! memory stays bounded however long the widget runs.

use chart::Figure;

pub struct Replay {
    pub figure: Figure,
    /// The simulated time being shown, s.
    pub at_s: f64,
    /// The time it is on its way to.
    pub target_s: f64,
}

impl Replay {
    pub fn new(figure: Figure, target_s: f64) -> Replay {
        Replay {
            figure,
            at_s: 0.0,
            target_s,
        }
    }

    /// Moves towards the target within this frame's share; true once there.
    pub fn seek(&mut self) -> bool {
        if self.at_s < self.target_s {
            let before = self.figure.sim_time_s();
            self.figure.advance(self.target_s - before);
            self.at_s = self.figure.sim_time_s();
        }
        self.arrived()
    }

    /// Whether it shows the moment asked for: then it needs no more frames.
    pub fn arrived(&self) -> bool {
        self.at_s + 1e-9 >= self.target_s
    }
}
