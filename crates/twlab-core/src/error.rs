//! One shape for every error a reader can cause (a scenario, a link, a capture file), as data for the
//! page: `{kind, message, field?, problem?}`.

use crate::scenario::{Problem, ScenarioError};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorData {
    /// What went wrong, in snake case, for the page's own words: `invalid_scenario`, a link error's
    /// kind (`truncated`, `out_of_range`, …: twlab-formats') or a capture error's (`no_tcp`, …:
    /// twlab-capture's).
    pub kind: &'static str,
    /// The same in English (what the CLI prints).
    pub message: String,
    /// The scenario field to blame (`params.msl`, `client[2]`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong with that field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
}

impl From<&ScenarioError> for ErrorData {
    fn from(e: &ScenarioError) -> Self {
        ErrorData {
            kind: "invalid_scenario",
            message: e.to_string(),
            field: Some(e.field.clone()),
            problem: Some(e.problem.clone()),
        }
    }
}
