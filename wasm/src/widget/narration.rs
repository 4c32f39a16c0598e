//! Narration for screen readers: notable changes in what a widget shows ("The backlog
//! is full: new requests are refused"), announced in a polite live region when they
//! start to hold, at most one every few seconds. Readers can turn it off.

/// An announcement waits at least this long after the last one, ms.
const EVERY_MS: f64 = 4000.0;

#[derive(Debug)]
pub struct Narrator {
    pub on: bool,
    /// What held at the last look.
    holding: Vec<&'static str>,
    /// The last announcement, and when it was made; cleared once none of it holds, so
    /// the line under the charts never contradicts them.
    said: Vec<&'static str>,
    said_at_ms: f64,
}

impl Default for Narrator {
    fn default() -> Self {
        Narrator {
            on: true,
            holding: Vec::new(),
            said: Vec::new(),
            said_at_ms: f64::NEG_INFINITY,
        }
    }
}

impl Narrator {
    /// What the live region says now.
    pub fn said(&self) -> String {
        self.said.join(" ")
    }

    /// Takes what holds now; returns true when there is something new to announce.
    pub fn hear(&mut self, notices: Vec<&'static str>, now_ms: f64) -> bool {
        let new: Vec<&'static str> = notices
            .iter()
            .filter(|n| !self.holding.contains(n))
            .copied()
            .collect();
        if !self.on || new.is_empty() || now_ms - self.said_at_ms < EVERY_MS {
            // Unannounced changes stay new until they can be said.
            self.holding.retain(|n| notices.contains(n));
            let stale = !self.said.is_empty() && !self.said.iter().any(|n| notices.contains(n));
            if stale {
                self.said.clear();
            }
            return stale;
        }
        self.holding = notices;
        self.said = new;
        self.said_at_ms = now_ms;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_condition_is_said_once_when_it_starts_and_not_too_often() {
        let mut n = Narrator::default();
        assert!(n.hear(vec!["full"], 0.0));
        assert_eq!(n.said(), "full");
        assert!(
            !n.hear(vec!["full"], 10_000.0),
            "still holding: nothing new"
        );
        assert!(n.hear(vec!["full", "busy"], 11_000.0));
        assert_eq!(n.said(), "busy");
        assert!(
            !n.hear(vec!["full", "busy", "blocked"], 12_000.0),
            "too soon"
        );
        assert!(n.hear(vec!["full", "busy", "blocked"], 16_000.0));
        assert_eq!(n.said(), "blocked");
        assert!(
            n.hear(vec!["full"], 17_000.0),
            "what was said no longer holds"
        );
        assert_eq!(n.said(), "");
        n.on = false;
        assert!(!n.hear(vec!["other"], 30_000.0));
    }
}
