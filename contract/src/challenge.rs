//! Challenges: a goal the reader can reach with a figure ("find settings where the pool
//! has the better p99"), checked against the widget's live values as it runs.

use std::fmt;

use crate::live::LiveValue;

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Less,
    LessEq,
    Greater,
    GreaterEq,
}

impl Op {
    const ALL: [(Op, &'static str); 4] = [
        (Op::LessEq, "<="),
        (Op::GreaterEq, ">="),
        (Op::Less, "<"),
        (Op::Greater, ">"),
    ];

    fn symbol(self) -> &'static str {
        Op::ALL
            .iter()
            .find(|(op, _)| *op == self)
            .map_or("?", |(_, s)| s)
    }

    fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Op::Less => left < right,
            Op::LessEq => left <= right,
            Op::Greater => left > right,
            Op::GreaterEq => left >= right,
        }
    }
}

/// The right-hand side of a condition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand {
    Number(f64),
    /// `factor * value`.
    Scaled(f64, LiveValue),
}

/// `NAME OP NUMBER` or `NAME OP [NUMBER *] NAME`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Condition {
    pub left: LiveValue,
    pub op: Op,
    pub right: Operand,
}

impl Condition {
    /// Reads a condition; `offered` says which live values the widget has.
    pub fn parse(text: &str, offered: impl Fn(&LiveValue) -> bool) -> Result<Condition, String> {
        let malformed = || {
            format!("condition `{text}` is not of the form `NAME OP NUMBER` or `NAME OP [NUMBER *] NAME`, with OP one of <, <=, >, >=")
        };
        let (at, op, symbol) = Op::ALL
            .iter()
            .filter_map(|(op, symbol)| text.find(symbol).map(|at| (at, *op, *symbol)))
            .min_by_key(|(at, _, _)| *at)
            .ok_or_else(malformed)?;
        let value = |name: &str| -> Result<LiveValue, String> {
            let value = LiveValue::parse(name).ok_or_else(|| {
                format!("condition `{text}`: `{}` is not a live value", name.trim())
            })?;
            if offered(&value) {
                Ok(value)
            } else {
                Err(format!(
                    "condition `{text}`: this widget has no live value `{value}`"
                ))
            }
        };
        let left = value(&text[..at])?;
        let rest = text[at + symbol.len()..].trim();
        let right = if let Ok(number) = rest.parse::<f64>() {
            Operand::Number(number)
        } else if let Some((factor, name)) = rest.split_once('*') {
            let factor = factor.trim().parse::<f64>().map_err(|_| malformed())?;
            Operand::Scaled(factor, value(name)?)
        } else {
            Operand::Scaled(1.0, value(rest)?)
        };
        if matches!(right, Operand::Number(x) | Operand::Scaled(x, _) if !x.is_finite()) {
            return Err(malformed());
        }
        Ok(Condition { left, op, right })
    }

    /// The live values it reads.
    pub fn values(&self) -> impl Iterator<Item = LiveValue> {
        let right = match self.right {
            Operand::Scaled(_, value) => Some(value),
            Operand::Number(_) => None,
        };
        std::iter::once(self.left).chain(right)
    }

    /// Whether it holds for these values; a value not known yet means no.
    pub fn holds(&self, get: &impl Fn(LiveValue) -> Option<f64>) -> bool {
        let Some(left) = get(self.left) else {
            return false;
        };
        let right = match self.right {
            Operand::Number(x) => Some(x),
            Operand::Scaled(factor, value) => get(value).map(|v| factor * v),
        };
        right.is_some_and(|right| self.op.holds(left, right))
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ", self.left, self.op.symbol())?;
        match self.right {
            Operand::Number(x) => write!(f, "{x}"),
            Operand::Scaled(1.0, value) => write!(f, "{value}"),
            Operand::Scaled(factor, value) => write!(f, "{factor} * {value}"),
        }
    }
}

/// What a screen reader hears of a challenge's mark, a circle filled when it is met:
/// the page says the first, the widget switches between them.
pub const MARK_OPEN: &str = "not done yet";
pub const MARK_MET: &str = "done";

/// A goal with its conditions, all of which must hold at once.
#[derive(Debug, Clone, PartialEq)]
pub struct Challenge {
    /// Stable across builds (from the text): the key the reader's progress is kept under.
    pub id: String,
    pub text: String,
    pub when: Vec<Condition>,
}

impl Challenge {
    pub fn met(&self, get: &impl Fn(LiveValue) -> Option<f64>) -> bool {
        self.when.iter().all(|c| c.holds(get))
    }
}

/// A short id from a challenge's text: its first words, lowercased.
pub fn id_of(text: &str) -> String {
    let mut id = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if id.len() > 40 {
            break;
        }
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(&word.to_lowercase());
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::{Metric, Side};

    fn parse(text: &str) -> Result<Condition, String> {
        Condition::parse(text, |v| !matches!(v, LiveValue::Fit(_)))
    }

    #[test]
    fn conditions_read_and_print_back() {
        for text in [
            "sync.p99 < async.p99",
            "sync.throughput >= 0.95 * async.throughput",
            "throughput > 150",
            "p99 <= 2.5",
        ] {
            assert_eq!(parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn bad_conditions_say_why() {
        assert!(parse("p99").unwrap_err().contains("not of the form"));
        assert!(parse("speed > 3")
            .unwrap_err()
            .contains("`speed` is not a live value"));
        assert!(parse("fit.tasks > 3")
            .unwrap_err()
            .contains("has no live value"));
        assert!(parse("p99 < x * p50")
            .unwrap_err()
            .contains("not of the form"));
        assert!(parse("p99 < inf").is_err());
    }

    #[test]
    fn a_challenge_is_met_when_every_condition_holds() {
        let c = Challenge {
            id: id_of("Beat the pool!"),
            text: "Beat the pool!".into(),
            when: vec![parse("async.throughput > 1.5 * sync.throughput").unwrap()],
        };
        assert_eq!(c.id, "beat-the-pool");
        let values = |sync: f64| {
            move |v: LiveValue| match v {
                LiveValue::Of(Side::Sync, Metric::Throughput) => Some(sync),
                LiveValue::Of(Side::Async, Metric::Throughput) => Some(100.0),
                _ => None,
            }
        };
        assert!(c.met(&values(60.0)));
        assert!(!c.met(&values(70.0)));
    }
}
