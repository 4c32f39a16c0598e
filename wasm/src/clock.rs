//! Simulated time against wall time: playing or paused, and how fast.

/// Simulated time against wall time: playing or paused, and how fast.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    pub playing: bool,
    /// Simulated seconds per wall second, 0.1 to 100.
    pub speed: f64,
    last_frame_ms: Option<f64>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            playing: true,
            speed: 1.0,
            last_frame_ms: None,
        }
    }
}

impl Clock {
    /// Playing at `speed` (clamped).
    pub fn at(speed: f64) -> Clock {
        let mut clock = Clock::default();
        clock.set_speed(speed);
        clock
    }

    /// Simulated seconds to run in the frame at `now_ms`: the wall time since the last
    /// frame times the speed. At most 100 ms of wall time counts, so a tab that comes
    /// back from the background does not jump; nothing runs while paused.
    pub fn tick(&mut self, now_ms: f64) -> f64 {
        if !self.playing {
            self.last_frame_ms = None;
            return 0.0;
        }
        let dt_ms = self
            .last_frame_ms
            .map_or(0.0, |last| (now_ms - last).clamp(0.0, 100.0));
        self.last_frame_ms = Some(now_ms);
        dt_ms / 1000.0 * self.speed
    }

    /// Play or pause; returns whether it now plays.
    pub fn toggle(&mut self) -> bool {
        self.playing = !self.playing;
        self.last_frame_ms = None;
        self.playing
    }

    pub fn set_speed(&mut self, speed: f64) {
        self.speed = if speed.is_finite() {
            speed.clamp(0.1, 100.0)
        } else {
            1.0
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_runs_wall_time_times_speed_and_stops_when_paused() {
        let mut clock = Clock::default();
        assert_eq!(
            clock.tick(1000.0),
            0.0,
            "the first frame only starts the clock"
        );
        clock.set_speed(10.0);
        assert!((clock.tick(1016.0) - 0.16).abs() < 1e-12);
        assert!(
            (clock.tick(5000.0) - 1.0).abs() < 1e-12,
            "a long gap counts as 100 ms"
        );
        assert!(!clock.toggle());
        assert_eq!(clock.tick(5016.0), 0.0);
        clock.set_speed(f64::NAN);
        assert_eq!(clock.speed, 1.0);
    }
}
