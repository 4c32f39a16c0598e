//! The scenario keys a reader can change in a widget, with the ranges the sliders
//! offer. Values from anywhere outside the widget (the URL, an embed's query string)
//! pass through [`apply`], which clamps them into range and says when it had to.

use sim::{Scenario, ServerKind};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub min: f64,
    pub max: f64,
    pub log: bool,
    pub integer: bool,
}

const fn param(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    min: f64,
    max: f64,
    log: bool,
    integer: bool,
) -> Param {
    Param {
        key,
        label,
        unit,
        min,
        max,
        log,
        integer,
    }
}

/// Ranges are narrower than what `sim` accepts: wide enough to break any server, small
/// enough that a frame can keep up.
pub const PARAMS: &[Param] = &[
    param("workers", "Workers", "", 1.0, 128.0, true, true),
    param("clients", "Clients", "", 1.0, 10_000.0, true, true),
    param("arrival_rate", "Arrivals", "/s", 1.0, 5_000.0, true, false),
    param("cpu_ms", "CPU per request", "ms", 0.1, 500.0, true, false),
    param("io_ms", "I/O per request", "ms", 1.0, 5_000.0, true, false),
    param("cores", "Cores", "", 1.0, 16.0, false, true),
    param(
        "blocking_share",
        "Blocking I/O calls",
        "",
        0.0,
        1.0,
        false,
        false,
    ),
];

pub fn find(key: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.key == key)
}

/// The value a slider shows for `key`.
pub fn get(scenario: &Scenario, key: &str) -> f64 {
    match key {
        "workers" => f64::from(scenario.effective_workers()),
        "clients" => f64::from(scenario.clients.unwrap_or(sim::defaults::CLIENTS)),
        "arrival_rate" => scenario.arrival_rate.unwrap_or(0.0),
        "cpu_ms" => scenario.cpu_ms,
        "io_ms" => scenario.io_ms,
        "cores" => f64::from(scenario.cores),
        "blocking_share" => scenario.blocking_share,
        _ => 0.0,
    }
}

/// Sets `key`, clamped to its range; returns a note for the reader when clamped.
pub fn set(scenario: &mut Scenario, key: &str, value: f64) -> Option<String> {
    let param = find(key)?;
    let mut clamped = if value.is_finite() {
        value.clamp(param.min, param.max)
    } else {
        param.min
    };
    if param.integer {
        clamped = clamped.round();
    }
    match key {
        "workers" => scenario.workers = Some(clamped as u32),
        "clients" => {
            scenario.clients = Some(clamped as u32);
            scenario.arrival_rate = None;
        }
        "arrival_rate" => {
            scenario.arrival_rate = Some(clamped);
            scenario.clients = None;
        }
        "cpu_ms" => scenario.cpu_ms = clamped,
        "io_ms" => scenario.io_ms = clamped,
        "cores" => scenario.cores = clamped as u32,
        "blocking_share" => scenario.blocking_share = clamped,
        _ => {}
    }
    (!value.is_finite() || (clamped - value).abs() > 1e-9 * value.abs().max(1.0)).then(|| {
        format!(
            "{} set to {}: the widget allows {} to {}",
            param.label,
            crate::controls::format_value(clamped, param.unit),
            crate::controls::format_value(param.min, param.unit),
            crate::controls::format_value(param.max, param.unit),
        )
    })
}

/// Applies a `key=value` pair from outside (a URL); returns a note when the value was
/// clamped or could not be used. Never panics, whatever the text.
pub fn apply(scenario: &mut Scenario, key: &str, value: &str) -> Option<String> {
    if key == "server" {
        return match ServerKind::ALL.iter().find(|k| k.name() == value) {
            Some(kind) => {
                scenario.server = *kind;
                None
            }
            None => Some(format!("ignored server `{value}`: not a server kind")),
        };
    }
    find(key)?;
    match value.parse::<f64>() {
        Ok(number) => set(scenario, key, number),
        Err(_) => Some(format!("ignored {key} = `{value}`: not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extreme_values_are_clamped_with_a_note() {
        let mut s = Scenario::default();
        let note = apply(&mut s, "workers", "100000").unwrap();
        assert_eq!(s.workers, Some(128));
        assert!(note.contains("Workers set to 128"), "{note}");
        assert!(apply(&mut s, "cpu_ms", "NaN").is_some());
        assert_eq!(s.cpu_ms, 0.1);
        assert!(apply(&mut s, "io_ms", "lots")
            .unwrap()
            .contains("not a number"));
        assert!(apply(&mut s, "server", "tornado").is_some());
        assert_eq!(apply(&mut s, "server", "uvloop"), None);
        assert_eq!(s.server, ServerKind::Uvloop);
        assert_eq!(apply(&mut s, "unknown", "1"), None);
    }

    #[test]
    fn every_clamped_scenario_validates() {
        for param in PARAMS {
            for value in [f64::MIN, -1.0, 0.0, 0.5, 1e12, f64::INFINITY] {
                let mut s = Scenario::default();
                set(&mut s, param.key, value);
                s.validate()
                    .unwrap_or_else(|e| panic!("{} = {value}: {e}", param.key));
            }
        }
    }

    #[test]
    fn open_and_closed_load_exclude_each_other() {
        let mut s = Scenario::default();
        set(&mut s, "arrival_rate", 50.0);
        assert!(s.clients.is_none());
        set(&mut s, "clients", 5.0);
        assert!(s.arrival_rate.is_none());
    }
}
