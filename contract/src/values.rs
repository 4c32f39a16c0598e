//! Settings as a reader changes them: a widget's own keys beside the scenario, values
//! clamped into a control's range with a note that says so, and the stops a slider
//! moves through.

use crate::key::{Accepts, Control, Key, Scale};
use crate::live::format_number;
use crate::scenario::Value;
use crate::{Scenario, ScenarioError};

/// The values of a widget's own keys (`budget_mb`); unset keys take the table's default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WidgetValues(Vec<(Key, f64)>);

impl WidgetValues {
    pub fn get(&self, key: Key) -> Option<f64> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    /// The value, or the table's default.
    pub fn number(&self, key: Key) -> f64 {
        self.get(key)
            .unwrap_or_else(|| key.spec().default.parse().unwrap_or(0.0))
    }

    pub fn set(&mut self, key: Key, value: f64) -> Result<(), ScenarioError> {
        if key.is_scenario() {
            return Err(key.error("is a scenario key, not a widget setting"));
        }
        key.check_number(value)?;
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            // Kept in the table's order by inserting in place: a sort here would be a
            // sort's code in the bundle for a list of one or two.
            None => {
                let at = self.0.partition_point(|(k, _)| *k < key);
                self.0.insert(at, (key, value));
            }
        }
        Ok(())
    }

    /// The values set, in the table's order.
    pub fn iter(&self) -> impl Iterator<Item = (Key, f64)> + '_ {
        self.0.iter().copied()
    }
}

/// The number a control shows for `key`.
pub fn number(scenario: &Scenario, values: &WidgetValues, key: Key) -> Option<f64> {
    match key {
        // One event-loop process per core unless the block says otherwise.
        Key::Loops => Some(values.get(key).unwrap_or(f64::from(scenario.cores))),
        _ if key.is_scenario() => scenario.number(key),
        _ => Some(values.number(key)),
    }
}

/// Sets `key` from a control or a link, clamped into what the key accepts and rounded
/// for integer keys. Returns a note for the reader when the value had to change. (A
/// control's slider only offers its own, narrower range; a link may carry any value a
/// block may, so that an embedded figure is exactly the block it came from.)
pub fn set_clamped(
    scenario: &mut Scenario,
    values: &mut WidgetValues,
    key: Key,
    wanted: f64,
) -> Option<String> {
    let (min, max) = range(key);
    let mut value = if wanted.is_finite() {
        wanted.clamp(min, max)
    } else {
        min
    };
    let integer = matches!(key.accepts(), Accepts::Int { .. });
    if integer {
        value = value.round();
    }
    let result = if key.is_scenario() {
        let typed = if integer {
            Value::Int(value as i64)
        } else {
            Value::Num(value)
        };
        scenario.set(key, typed)
    } else {
        values.set(key, value)
    };
    if let Err(err) = result {
        return Some(format!("not applied: {err}"));
    }
    let tasks = after_change(scenario, key);
    let moved = !wanted.is_finite() || (value - wanted).abs() > 1e-9 * wanted.abs().max(1.0);
    let clamped = moved.then(|| {
        let (label, unit) = key
            .control()
            .map_or((key.name(), ""), |c| (c.label, c.unit));
        format!(
            "{label} set to {}: the widget allows {} to {}",
            with_unit(value, unit),
            with_unit(min, unit),
            with_unit(max, unit)
        )
    });
    match (clamped, tasks) {
        (Some(clamped), Some(tasks)) => Some(format!("{clamped}; {tasks}")),
        (clamped, tasks) => clamped.or(tasks),
    }
}

/// What follows a reader's change of `key`. Settings that no longer apply and now
/// conflict go back to their defaults, rather than holding the change back: turning the
/// database off takes its pool and connection limits with it, heavy requests their CPU,
/// the threaded server its threads. (A conflict with a setting that still applies stays,
/// and the widget says so.) Then the tasks per process that still fit, with a note when
/// they had to go down.
fn after_change(scenario: &mut Scenario, key: Key) -> Option<String> {
    while let Err(err) = scenario.validate() {
        let Some(stale) = err.key.as_deref().and_then(Key::from_name) else {
            break;
        };
        if stale == key || scenario.applies(stale) || !scenario.reset(stale) {
            break;
        }
    }
    fitted_tasks(scenario, key)
}

/// After a change of `key` (processes, or the server kind), the tasks per process that
/// still fit, with a note for the reader when they had to go down.
fn fitted_tasks(scenario: &mut Scenario, key: Key) -> Option<String> {
    if !matches!(key, Key::Workers | Key::Server) {
        return None;
    }
    scenario.fit_tasks().map(|tasks| {
        format!(
            "tasks per process lowered to {}: the model holds at most {} tasks over all processes",
            format_number(f64::from(tasks)),
            format_number(crate::scenario::MAX_TOTAL_TASKS as f64)
        )
    })
}

/// Applies `name=text` from a link or a control's choice: never fails, whatever the text; returns a note when
/// the value was clamped or could not be used. Unknown names are left to the caller.
pub fn apply_text(
    scenario: &mut Scenario,
    values: &mut WidgetValues,
    key: Key,
    text: &str,
) -> Option<String> {
    match key.accepts() {
        Accepts::Choice(_) => match Value::parse(key, text) {
            Ok(value) => match scenario.set(key, value) {
                Ok(()) => after_change(scenario, key),
                Err(e) => Some(format!("ignored: {e}")),
            },
            Err(_) => Some(format!(
                "ignored {} \"{text}\": expected {}",
                key.name(),
                key.accepts().expected()
            )),
        },
        _ => match text.trim().parse::<f64>() {
            Ok(number) => set_clamped(scenario, values, key, number),
            Err(_) => Some(format!("ignored {} = \"{text}\": not a number", key.name())),
        },
    }
}

/// The range a value of `key` is clamped into: what the key accepts (an open lower
/// end becomes the smallest value a person would type).
pub fn range(key: Key) -> (f64, f64) {
    match key.accepts() {
        Accepts::Int { min, max } => (min as f64, max as f64),
        Accepts::Num {
            min,
            max,
            open_min: false,
        } => (min, max),
        Accepts::Num { min, max, .. } => (min + 0.01, max),
        Accepts::Choice(_) => (0.0, 0.0),
    }
}

/// The values a slider stops at, smallest first, all distinct: every integer of a
/// short integer range; otherwise about `steps` values evenly spaced on the control's
/// scale, rounded to two significant digits (integers for integer keys). An arrow key
/// moves to the next stop, so it always changes the value.
pub fn stops(key: Key, control: &Control) -> Vec<f64> {
    const STEPS: usize = 120;
    let integer = matches!(key.accepts(), Accepts::Int { .. });
    let (min, max) = (control.min, control.max);
    if integer && max - min <= STEPS as f64 {
        return (min as i64..=max as i64).map(|i| i as f64).collect();
    }
    let mut stops: Vec<f64> = (0..=STEPS)
        .map(|i| {
            let t = i as f64 / STEPS as f64;
            let raw = match control.scale {
                Scale::Log => (min.ln() + t * (max.ln() - min.ln())).exp(),
                Scale::Linear => min + t * (max - min),
            };
            // The ends stay exact: a range such as 256..262144 MB must reach 256.
            let rounded = if i == 0 || i == STEPS {
                if i == 0 {
                    min
                } else {
                    max
                }
            } else if integer {
                raw.round()
            } else if control.scale == Scale::Linear {
                // Linear ranges such as 0..1: a round hundredth of the range.
                let step = (max - min) / 100.0;
                (raw / step).round() * step
            } else {
                two_significant(raw)
            };
            rounded.clamp(min, max)
        })
        .collect();
    stops.dedup_by(|a, b| (*a - *b).abs() <= 1e-12 * a.abs().max(1.0));
    // A key whose 0 means "off" (no timeout, no database, no limit) keeps 0 as the
    // first stop, below the scale's least value: a reader who moved it can turn it off.
    // (Not every key that accepts 0: a backlog of 0 refuses everyone, and CPU, I/O and
    // database time cannot all be 0.)
    if control.zero_is_off && min > 0.0 {
        stops.insert(0, 0.0);
    }
    stops
}

/// Adds `value` to a slider's stops, in order, when it is not one already: a block's
/// own setting (1,024, 2,000 clients, no I/O at all) that the rounded stops miss, or
/// that lies outside the control's range, would otherwise be lost once the reader moves
/// the slider away.
pub fn with_stop(stops: &mut Vec<f64>, value: f64) {
    if value.is_finite() && !stops.contains(&value) {
        let at = stops.partition_point(|s| *s < value);
        stops.insert(at, value);
    }
}

/// The stop nearest to `value` (on the control's scale).
pub fn nearest_stop(stops: &[f64], value: f64, scale: Scale) -> usize {
    let distance = |s: f64| match scale {
        Scale::Log if s > 0.0 && value > 0.0 => (s.ln() - value.ln()).abs(),
        _ => (s - value).abs(),
    };
    (0..stops.len())
        .min_by(|a, b| distance(stops[*a]).total_cmp(&distance(stops[*b])))
        .unwrap_or(0)
}

fn two_significant(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let magnitude = 10f64.powf(value.abs().log10().floor() - 1.0);
    (value / magnitude).round() * magnitude
}

/// `5 ms`, `0.20 ms`, `1,200`.
pub fn with_unit(value: f64, unit: &str) -> String {
    let number = format_number(value);
    if unit.is_empty() {
        number
    } else if unit.starts_with('/') {
        format!("{number}{unit}")
    } else {
        format!("{number} {unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::KEYS;

    #[test]
    fn extreme_values_are_clamped_with_a_note() {
        let (mut s, mut v) = (Scenario::default(), WidgetValues::default());
        let note = set_clamped(&mut s, &mut v, Key::Workers, 100_000.0).unwrap();
        assert_eq!(s.workers, Some(4096));
        assert!(note.contains("Workers set to 4,096"), "{note}");
        assert_eq!(
            set_clamped(&mut s, &mut v, Key::Workers, 2000.0),
            None,
            "beyond the slider is fine"
        );
        assert!(apply_text(&mut s, &mut v, Key::CpuMs, "NaN").is_some());
        assert_eq!(s.cpu_ms, 0.0);
        assert!(apply_text(&mut s, &mut v, Key::IoMs, "lots")
            .unwrap()
            .contains("not a number"));
        assert!(apply_text(&mut s, &mut v, Key::Server, "tornado").is_some());
        assert_eq!(s.workers, Some(2000));
        // 2,000 loop processes hold 500 tasks each within the model's million: the
        // default gives way by itself, a block's own value with a note.
        assert_eq!(apply_text(&mut s, &mut v, Key::Server, "asyncio"), None);
        assert_eq!(s.effective_max_tasks(), 500);
        s.validate().unwrap();
        s.server = crate::ServerKind::Processes;
        s.max_tasks = Some(10_000);
        let note = apply_text(&mut s, &mut v, Key::Server, "uvloop").unwrap();
        assert!(
            note.starts_with("tasks per process lowered to 500"),
            "{note}"
        );
        assert_eq!(s.server, crate::ServerKind::Uvloop);
        assert_eq!(s.max_tasks, Some(500));
        s.validate().unwrap();
        let note = set_clamped(&mut s, &mut v, Key::Workers, 5000.0).unwrap();
        assert!(
            note.starts_with("Workers set to 4,096")
                && note.contains("; tasks per process lowered to 244"),
            "{note}"
        );
        s.validate().unwrap();
        assert_eq!(
            set_clamped(&mut s, &mut v, Key::Workers, 4.0),
            None,
            "fewer fit"
        );
        assert_eq!(
            set_clamped(&mut s, &mut v, Key::BudgetMb, 10.0).map(|n| n.contains("64 MB")),
            Some(true)
        );
        assert_eq!(v.number(Key::BudgetMb), 64.0);
        assert_eq!(WidgetValues::default().number(Key::BudgetMb), 4096.0);
    }

    #[test]
    fn every_clamped_value_is_one_the_key_accepts() {
        for spec in KEYS.iter().filter(|s| s.control.is_some()) {
            if matches!(spec.accepts, Accepts::Choice(_)) {
                continue;
            }
            for value in [f64::MIN, -1.0, 0.0, 0.5, 1e12, f64::INFINITY, f64::NAN] {
                let (mut s, mut v) = (Scenario::default(), WidgetValues::default());
                set_clamped(&mut s, &mut v, spec.key, value);
                let set = if spec.key.is_scenario() {
                    s.get(spec.key).unwrap()
                } else if matches!(spec.accepts, Accepts::Int { .. }) {
                    Value::Int(v.number(spec.key) as i64)
                } else {
                    Value::Num(v.number(spec.key))
                };
                set.checked(spec.key)
                    .unwrap_or_else(|e| panic!("{} = {value}: {e}", spec.name));
            }
        }
    }

    #[test]
    fn turning_a_feature_off_takes_its_own_settings_with_it() {
        let mut s = Scenario {
            heavy_share: 0.01,
            heavy_cpu_ms: Some(200.0),
            db_ms: 20.0,
            db_pool: 5,
            db_connections: 100,
            ..Scenario::default()
        };
        let mut v = WidgetValues::default();
        assert_eq!(set_clamped(&mut s, &mut v, Key::HeavyShare, 0.0), None);
        assert_eq!(set_clamped(&mut s, &mut v, Key::DbMs, 0.0), None);
        assert_eq!(s.validate(), Ok(()));
        assert_eq!((s.heavy_cpu_ms, s.db_pool, s.db_connections), (None, 0, 0));

        // A threaded block's threads go when the reader picks another server; a
        // barging pool's queue order when the pool limit goes.
        let mut s = Scenario {
            server: crate::ServerKind::Threads,
            threads: Some(50),
            db_ms: 20.0,
            db_pool: 5,
            db_pool_queue: crate::PoolQueue::Barging,
            ..Scenario::default()
        };
        assert_eq!(apply_text(&mut s, &mut v, Key::Server, "asyncio"), None);
        assert_eq!(set_clamped(&mut s, &mut v, Key::DbPool, 0.0), None);
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(
            (s.threads, s.db_pool_queue),
            (None, crate::PoolQueue::default())
        );

        // A conflict with a setting that still applies is left for the widget to show.
        let mut s = Scenario {
            cpu_ms: 0.0,
            io_ms: 10.0,
            ..Scenario::default()
        };
        assert_eq!(set_clamped(&mut s, &mut v, Key::IoMs, 0.0), None);
        assert!(s.validate().is_err());
    }

    #[test]
    fn every_slider_stop_is_distinct_and_moves_the_value() {
        for spec in KEYS {
            let Some(control) = spec.control else {
                continue;
            };
            if matches!(spec.accepts, Accepts::Choice(_)) {
                continue;
            }
            let stops = stops(spec.key, &control);
            assert!(stops.len() >= 2, "{}", spec.name);
            assert!(
                stops[0] == control.min || (stops[0] == 0.0 && stops[1] == control.min),
                "{}: {:?}",
                spec.name,
                &stops[..2]
            );
            assert_eq!(*stops.last().unwrap(), control.max, "{}", spec.name);
            for pair in stops.windows(2) {
                assert!(pair[0] < pair[1], "{}: {pair:?}", spec.name);
            }
            // Each stop set through the control stays itself: the arrow keys always
            // land on a new value.
            for (i, stop) in stops.iter().enumerate() {
                let (mut s, mut v) = (Scenario::default(), WidgetValues::default());
                s.server = crate::ServerKind::Threads;
                set_clamped(&mut s, &mut v, spec.key, *stop);
                let shown = number(&s, &v, spec.key).unwrap();
                assert_eq!(
                    nearest_stop(&stops, shown, control.scale),
                    i,
                    "{}: {stop}",
                    spec.name
                );
            }
        }
        let workers = stops(Key::Workers, &Key::Workers.control().unwrap());
        assert_eq!(&workers[..5], &[1.0, 2.0, 3.0, 4.0, 5.0]);
        // The backlog's default, 1,024, falls between two rounded stops: a block's value
        // is added, in order, once.
        let mut queue = stops(Key::QueueLimit, &Key::QueueLimit.control().unwrap());
        assert!(!queue.contains(&1024.0));
        with_stop(&mut queue, 1024.0);
        let len = queue.len();
        with_stop(&mut queue, f64::NAN);
        assert_eq!(queue.len(), len);
        assert!(queue.contains(&1024.0));
        assert!(queue.windows(2).all(|p| p[0] < p[1]));
        // "No timeout" is a stop below the log scale's 10 ms, so the reader can go back.
        let timeout = stops(Key::TimeoutMs, &Key::TimeoutMs.control().unwrap());
        assert_eq!(&timeout[..2], &[0.0, 10.0]);
    }
}
