//! Errors with the place in the script they point at.

use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A script that cannot be read or run: the line and column, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrillError {
    pub pos: Pos,
    pub message: String,
}

impl DrillError {
    pub fn at(pos: Pos, message: impl Into<String>) -> Self {
        DrillError {
            pos,
            message: message.into(),
        }
    }
}

impl fmt::Display for DrillError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}:{}: {}", self.pos.line, self.pos.col, self.message)
    }
}

impl std::error::Error for DrillError {}
