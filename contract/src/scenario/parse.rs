//! Scenarios from TOML: a `simulate` file, or the scenario keys of a widget block. Each
//! value is checked against the table of keys before it is used, so every error names
//! its key and what would be valid.

use super::{Scenario, ScenarioError, Value};
use crate::key::{self, Accepts, Key};

impl Scenario {
    /// Parses TOML text (scenario keys only) and validates it.
    pub fn parse(toml_text: &str) -> Result<Scenario, ScenarioError> {
        let table: toml::Table = toml::from_str(toml_text).map_err(|e| ScenarioError {
            key: None,
            message: format!("not valid TOML: {}", e.message()),
        })?;
        Scenario::from_table(&table)
    }

    /// A validated scenario from a table of scenario keys.
    pub fn from_table(table: &toml::Table) -> Result<Scenario, ScenarioError> {
        super::check_workload_keys(table.keys().map(String::as_str))?;
        let mut scenario = Scenario::default();
        for (name, value) in table {
            let key = Key::from_name(name)
                .filter(|k| k.is_scenario())
                .ok_or_else(|| {
                    ScenarioError::key(
                        name,
                        format!(
                            "unknown key; valid keys are {}",
                            key::names(Key::scenario_keys())
                        ),
                    )
                })?;
            scenario.set(key, value_of(key, value)?)?;
        }
        scenario.validate()?;
        Ok(scenario)
    }
}

/// A TOML value as a value of `key`, checked against what the key accepts.
pub fn value_of(key: Key, value: &toml::Value) -> Result<Value, ScenarioError> {
    let wrong = || {
        key.error(format!(
            "must be {}, got {}",
            key.accepts().expected(),
            describe(value)
        ))
    };
    match (key.accepts(), value) {
        (_, toml::Value::Integer(i)) => Value::Int(*i).checked(key),
        (_, toml::Value::Float(x)) => Value::Num(*x).checked(key),
        (Accepts::Choice(_), toml::Value::String(s)) => Value::parse(key, s),
        _ => Err(wrong()),
    }
}

/// A value as an error message shows it: its TOML type and the value.
fn describe(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("the string \"{s}\""),
        toml::Value::Integer(i) => format!("the integer {i}"),
        toml::Value::Float(f) => format!("the number {f}"),
        toml::Value::Boolean(b) => format!("the boolean {b}"),
        toml::Value::Datetime(d) => format!("the date {d}"),
        toml::Value::Array(_) => "an array".to_string(),
        toml::Value::Table(_) => "a table".to_string(),
    }
}
