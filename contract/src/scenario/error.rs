//! The one error type of a bad scenario: which key, and what would be valid.

/// A scenario that cannot be simulated. `message` says what is valid, so that a build
/// error or a widget can show it as is.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", render(.key.as_deref(), .message))]
pub struct ScenarioError {
    /// The offending key, when one key is to blame.
    pub key: Option<String>,
    /// What is wrong and what would be valid.
    pub message: String,
}

impl ScenarioError {
    /// An error about one key.
    pub fn key(key: &str, message: impl Into<String>) -> Self {
        ScenarioError {
            key: Some(key.to_string()),
            message: message.into(),
        }
    }
}

fn render(key: Option<&str>, message: &str) -> String {
    match key {
        Some(key) => format!("key `{key}`: {message}"),
        None => message.to_string(),
    }
}
