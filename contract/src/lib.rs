//! The contract between the parts of the explainer: what a widget block, a scenario file,
//! a placeholder in the page and a link to a widget may say, and what each of them means.
//!
//! - [`Scenario`]: the simulation's schema (DESIGN.md, "The scenario"), read and written
//!   key by key through [`Key`] and its table [`key::KEYS`] (types, ranges, defaults
//!   with sources, and the control a widget shows);
//! - [`WidgetKind`]: the widgets, each with its controls, presets and live values;
//! - [`Placeholder`]: a validated block, serialised once into the page and read once by
//!   the widget, in the one text form of settings ([`query`]);
//! - [`measured`]: the one reader of the real servers' measurements.
//!
//! Architecture invariant: this crate knows nothing of Yew, plotters, the DOM or the file
//! system. The site and the widgets both depend on it; it depends on neither.

#[cfg(feature = "toml")]
pub mod block;
pub mod challenge;
pub mod defaults;
pub mod key;
pub mod live;
pub mod measured;
pub mod placeholder;
pub mod preset;
pub mod query;
mod scenario;
pub mod values;
pub mod widget;

pub use key::Key;
pub use live::LiveValue;
pub use placeholder::{Caption, Options, Placeholder, Segment};
pub use preset::Preset;
pub use scenario::{
    Abandon, PoolQueue, Scenario, ScenarioError, ServerKind, Service, Value, Workload,
};
pub use values::WidgetValues;
pub use widget::WidgetKind;
