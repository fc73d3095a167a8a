//! The fork view, built only into the page's second module (feature `fork`, fetched when a reader
//! forks a run or opens a fork's link): a `Lab` keeps the run it was forked from beside its own, says
//! where they first part (`twlab_core::compare`) and writes and reads links that carry both. It also
//! reads whole scenario objects (`new Lab(scenario)`): a fork starts from the scenario the page
//! shows.

use crate::from_js::scenario as read_scenario;
use crate::{invalid, link_error, object, run, settings, to_js, Lab};
use twlab_core::compare::first_difference;
use twlab_core::scenario::Override;
use twlab_core::{Scenario, Trace};
use twlab_formats::link::{self, Fork, Link, LinkScenario};
use wasm_bindgen::prelude::*;

/// The run a fork was made from: the same scenario with `overrides`, at the reader's step `step`.
pub(crate) struct Forked {
    step: u32,
    overrides: Vec<Override>,
    trace: Trace,
}

fn with_fates(scenario: &Scenario, overrides: &[Override]) -> Scenario {
    Scenario {
        overrides: overrides.to_vec(),
        ..scenario.clone()
    }
}

#[wasm_bindgen]
impl Lab {
    /// Validate and run `scenario` (the plain data `scenario()` gives). Rejects with the core's
    /// message, which names the field: `params.msl: 100h is out of range (allowed 1ms to 10min)`.
    #[wasm_bindgen(constructor)]
    pub fn new(scenario: JsValue) -> Result<Lab, JsValue> {
        Lab::with(read_scenario(&scenario)?)
    }

    /// Fork at the reader's step `step`: keep the run with fates `overrides` (`[{conn, from, nth,
    /// fate}]`: this run's own when the reader forks) as "before", beside this one, which the reader
    /// goes on changing. On error nothing changes.
    pub fn fork(&mut self, step: u32, overrides: JsValue) -> Result<(), JsValue> {
        let overrides = settings::overrides(&overrides).map_err(invalid)?;
        let trace = run(&with_fates(&self.scenario, &overrides))?;
        self.fork = Some(Forked {
            step,
            overrides,
            trace,
        });
        Ok(())
    }

    /// The run the fork was made from, or null without a fork.
    pub fn before_trace(&self) -> Result<JsValue, JsError> {
        self.fork
            .as_ref()
            .map_or(Ok(JsValue::NULL), |f| to_js(&f.trace))
    }

    /// Where this run first parts from the one it was forked from: `{kind, before, after, at, side,
    /// segment?}` (`before`, `after`: the first differing event's index in each trace, null for a run
    /// that has ended; see `twlab_core::compare`), or null if they are the same run.
    pub fn difference(&self) -> Result<JsValue, JsError> {
        let found = (self.fork.as_ref()).and_then(|f| first_difference(&f.trace, &self.trace));
        found.map_or(Ok(JsValue::NULL), |d| to_js(&d))
    }

    /// The share link (fragment without `#`): the run the fork was made from, then `fork=<step>` and
    /// this run's fates (`link` without a fork).
    pub fn fork_link(&self, lang: Option<String>, step: Option<u32>) -> String {
        let Some(f) = &self.fork else {
            return self.link(false, lang, step);
        };
        let before = with_fates(&self.scenario, &f.overrides);
        let link = Link {
            scenario: LinkScenario::of(&before),
            twin: false,
            lang,
            step,
        };
        let fork = Fork {
            step: f.step,
            overrides: (self.scenario.overrides != f.overrides)
                .then(|| self.scenario.overrides.clone()),
        };
        link::encode_forked(&link, &fork)
    }
}

impl Lab {
    /// New parameters apply to both runs: the fork compares fates.
    pub(crate) fn rerun_before(&mut self, scenario: &Scenario) -> Result<(), JsValue> {
        if let Some(f) = &mut self.fork {
            f.trace = run(&with_fates(scenario, &f.overrides))?;
        }
        Ok(())
    }
}

/// Read a share link that may carry a fork: `open_link`'s `{scenario, twin, lang, step}` (the run the
/// fork was made from) and `fork`, null or `{step, overrides}` (the forked run's whole list of
/// fates); or the error as data, as `open_link` gives it.
#[wasm_bindgen]
pub fn open_fork_link(text: &str) -> Result<JsValue, JsError> {
    let decoded =
        link::decode_forked(text).and_then(|(l, f)| Ok((l.scenario.to_scenario()?, l, f)));
    match decoded {
        Ok((scenario, l, f)) => {
            let fork = match f {
                Some(f) => object(&[
                    ("step", f.step.into()),
                    ("overrides", to_js(&f.scenario(&scenario).overrides)?),
                ]),
                None => JsValue::NULL,
            };
            Ok(object(&[
                ("scenario", to_js(&scenario)?),
                ("twin", l.twin.into()),
                ("lang", l.lang.map_or(JsValue::NULL, JsValue::from)),
                ("step", l.step.map_or(JsValue::NULL, JsValue::from)),
                ("fork", fork),
            ]))
        }
        Err(e) => link_error(&e),
    }
}
