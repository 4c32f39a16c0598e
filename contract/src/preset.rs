//! Presets: the cases the article discusses, one click away in each widget. A preset is
//! a name and the settings it changes, written as a query string and applied through the
//! table of keys like any other settings; one test holds every preset of every widget
//! to the model's ranges.

use crate::key::Key;
use crate::query;
use crate::scenario::Value;
use crate::values::WidgetValues;
use crate::{Scenario, ScenarioError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    pub name: &'static str,
    /// The keys it sets, `key=value&...`; the others stay as the reader left them.
    pub settings: &'static str,
}

impl Preset {
    /// Applies the preset; the scenario is validated as a whole afterwards.
    pub fn apply(
        &self,
        scenario: &mut Scenario,
        values: &mut WidgetValues,
    ) -> Result<(), ScenarioError> {
        for (name, text) in query::decode(self.settings) {
            let key = Key::from_name(&name)
                .ok_or_else(|| ScenarioError::key(&name, "unknown key in a preset"))?;
            let value = Value::parse(key, &text)?;
            if key.is_scenario() {
                scenario.set(key, value)?;
            } else {
                values.set(key, value.as_f64())?;
            }
        }
        scenario.validate()
    }
}

impl Preset {
    /// The settings this preset gives over `base` (a block's own), as a widget applies
    /// it when a reader picks it.
    pub fn over(
        &self,
        base: &(Scenario, WidgetValues),
    ) -> Result<(Scenario, WidgetValues), ScenarioError> {
        let (mut scenario, mut values) = base.clone();
        self.apply(&mut scenario, &mut values)?;
        Ok((scenario, values))
    }
}

const fn preset(name: &'static str, settings: &'static str) -> Preset {
    Preset { name, settings }
}

pub(crate) static SYNC_SERVER: &[Preset] = &[
    preset(
        "Five clients, four workers",
        "server=processes&workers=4&clients=5&cpu_ms=5&io_ms=200",
    ),
    preset(
        "Overload: the backlog fills and refuses",
        "server=processes&workers=4&arrival_rate=40&queue_limit=30&cpu_ms=5&io_ms=200",
    ),
    preset(
        "Threads share the GIL",
        "server=threads&workers=8&clients=40&cpu_ms=20&io_ms=20",
    ),
];

pub(crate) static ASYNC_SERVER: &[Preset] = &[
    preset(
        "Hundreds of I/O-bound tasks",
        "server=asyncio&clients=300&cpu_ms=1&io_ms=200",
    ),
    preset(
        "One CPU-heavy request stalls the loop",
        "server=asyncio&clients=20&cpu_ms=100&io_ms=100",
    ),
    preset(
        "The same on uvloop",
        "server=uvloop&clients=300&cpu_ms=1&io_ms=200",
    ),
];

pub(crate) static GREENLET: &[Preset] = &[
    preset(
        "Patched: a blocking call switches",
        "server=gevent&blocking_share=0",
    ),
    preset(
        "Unpatched driver: the loop freezes",
        "server=gevent&blocking_share=1",
    ),
];

// Each sets the request's I/O calls with its I/O time: a block may have none.
pub(crate) static COMPARE: &[Preset] = &[
    preset("Low load", "clients=4&cpu_ms=5&io_ms=100&io_calls=1"),
    preset("High load, I/O-bound", "clients=200&cpu_ms=2&io_ms=200&io_calls=1"),
    preset("CPU-bound", "clients=20&cpu_ms=50&io_ms=5&io_calls=1"),
    preset("One request alone: latency", "clients=1&cpu_ms=5&io_ms=100&io_calls=1"),
    // The published setups on two cores: their sync-to-async worker ratios kept (14 to 5,
    // 19 to 6) with one loop per core; a sync worker holds one connection, an async one a
    // pool; the CPU and query times are our assumptions (see the article's benchmarks
    // section), since neither post gives them.
    preset(
        "Paterson 2020, on 2 cores",
        "cores=2&loops=2&workers=6&clients=100&cpu_ms=1&io_ms=0&io_calls=0&db_ms=1&db_pool=10&db_connections=20",
    ),
    preset(
        "Grinberg 2020, on 2 cores",
        "cores=2&loops=2&workers=6&clients=100&cpu_ms=1&io_ms=0&io_calls=0&db_ms=20&db_pool=16&db_connections=34",
    ),
];

pub(crate) static CONTEXT_SWITCH: &[Preset] = &[
    preset(
        "Tiny CPU bursts between many awaits",
        "cpu_ms=0.2&io_ms=50&io_calls=4",
    ),
    preset(
        "Ordinary requests: 5 ms of CPU",
        "cpu_ms=5&io_ms=50&io_calls=1",
    ),
];

pub(crate) static MEMORY: &[Preset] = &[
    preset(
        "A small VM: 512 MB, 100 clients",
        "budget_mb=512&clients=100",
    ),
    preset(
        "A laptop: 4 GB, 2,000 clients",
        "budget_mb=4096&clients=2000",
    ),
    preset(
        "A big server: 64 GB, 10,000 clients",
        "budget_mb=65536&clients=10000",
    ),
];

pub(crate) static PLANNER: &[Preset] = &[
    preset(
        "An API that waits on others: 5 ms CPU, 100 ms I/O, 200/s",
        "cpu_ms=5&io_ms=100&db_ms=0&target_rps=200&target_p99_ms=500",
    ),
    preset(
        "A database app: 2 ms CPU, 20 ms query, 300/s",
        "cpu_ms=2&io_ms=0&db_ms=20&target_rps=300&target_p99_ms=200",
    ),
    preset(
        "CPU-heavy pages: 40 ms CPU, 40/s",
        "cpu_ms=40&io_ms=10&db_ms=0&target_rps=40&target_p99_ms=1000",
    ),
];

#[cfg(test)]
mod tests {
    use crate::WidgetKind;

    #[test]
    fn every_preset_of_every_widget_gives_valid_settings_the_widget_takes() {
        for kind in WidgetKind::all() {
            for preset in kind.spec().presets {
                let mut scenario = crate::Scenario::default();
                let mut values = crate::WidgetValues::default();
                preset
                    .apply(&mut scenario, &mut values)
                    .unwrap_or_else(|e| panic!("{} / {}: {e}", kind.name(), preset.name));
                for (name, _) in crate::query::decode(preset.settings) {
                    let key = crate::Key::from_name(&name).unwrap();
                    assert!(kind.takes(key), "{} / {}: {name}", kind.name(), preset.name);
                    if key == crate::Key::Server {
                        assert!(
                            kind.spec().servers.contains(&scenario.server)
                                || kind.spec().servers.is_empty(),
                            "{} / {}",
                            kind.name(),
                            preset.name
                        );
                    }
                }
            }
        }
    }
}
