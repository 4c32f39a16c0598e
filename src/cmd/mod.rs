//! One module per command, each with its `Args` and an `execute`.

pub mod build;
pub mod check;
pub mod serve;
pub mod simulate;
