//! twlab's core in the browser. A thin wrapper: a run is opened from a preset's name or a share link
//! (`Lab.preset`, `Lab.open`), its fates, profile and parameters change as plain JS data read by hand
//! (`settings.rs`), and traces go out as plain JS data. No TCP logic lives here; everything is
//! [`twlab_core`]. Whole scenario objects (`new Lab(scenario)`) are read through serde in the fork
//! module only (feature `fork`): that reader would be a seventh of the page's wasm.
//!
//! **Errors** have one shape, the core's [`ErrorData`]: `{kind, message, field?, problem?}`. `kind` says
//! what went wrong in snake case, for the page's own words (`invalid_scenario`; a link's `truncated`,
//! `future_version`, `out_of_range`, …); `message` says it in English; `field` ("params.msl") and
//! `problem` (`{kind: "out_of_range", value, min, max}`, `{kind: "parse", detail}`, …) are there when a
//! scenario field is to blame. A rejected run (`Lab.preset`, `Lab.open`, `set_settings`,
//! `set_overrides`) throws an `Error` carrying these properties; [`open_link`] returns them (and, as
//! before, `error`: the kind); the capture module's `draw_capture` does the same. Anything thrown
//! without a `kind` is not the reader's fault: the page treats it as a crash.
//!
//! **The parameter table** is not in the wasm (its meanings in two languages and their serializer
//! would cost 4 KB gzip): `scripts/build-web.sh` writes it from the same core table
//! ([`twlab_core::params::table`], `twlab params --json`) into `www/pkg/params.js`, an ES module whose
//! default export is `[{name, kind, min, max, defaults: {rfc9293, linux, lab}, common, meaning: {en,
//! "zh-Hans"}}]`. `kind` is `duration`, `count`, `bool`, `time_wait` (with `msl_multiple_min` and
//! `msl_multiple_max`; `min`/`max` are then the fixed form's) or `isn` (`min`/`max`: how many
//! `per_connection` pairs); `min`, `max` and the defaults are spelled as in a scenario (`"1ms"`, `20`,
//! `"2msl"`, `true`, `null` for unset); the `common` ones are shown in view, the rest under "More".
//!
//! ```js
//! import init, { Lab } from "./pkg/twlab_wasm.js";
//! await init();
//! const lab = Lab.preset("last-ack-lost");
//! lab.trace().outcome.verdict.kind;       // "closed_cleanly"
//! lab.twin_trace().outcome.verdict.kind;  // "reset": the same run with TIME-WAIT skipped
//! ```

#[cfg(feature = "fork")]
mod from_js;
mod settings;

use js_sys::{Object, Reflect};
use twlab_core::error::ErrorData;
use twlab_core::sim::{simulate_within, PAGE_BUDGET};
use twlab_core::{presets, Scenario, ScenarioError, Trace};
use twlab_formats::link::{self, Link, LinkScenario};
pub(crate) use twlab_jsdata::to_js;
use wasm_bindgen::prelude::*;

#[cfg(feature = "fork")]
mod fork;
#[cfg(feature = "fork")]
pub use fork::open_fork_link;

/// An `Error` carrying `data`'s properties (see the crate doc): a scenario or a link the reader can fix.
fn rejected(data: &ErrorData) -> JsValue {
    let error = js_sys::Error::new(&data.message);
    match to_js(data) {
        Ok(data) => Object::assign(&error, &data.into()).into(),
        Err(err) => err.into(),
    }
}

/// A scenario the reader can fix: its field and problem, as [`rejected`].
pub(crate) fn invalid(e: ScenarioError) -> JsValue {
    rejected(&ErrorData::from(&e))
}

/// Every preset, in the lab's order, as scenario objects (name, description, profile, params, client,
/// server, overrides).
#[wasm_bindgen]
pub fn presets() -> Result<JsValue, JsError> {
    to_js(&presets::all())
}

/// A bulk transfer of `segments` full segments with about `loss_per_mille` of the client's
/// transmissions lost (seeded): the big diagrams of the benchmark (bench/).
#[wasm_bindgen]
pub fn bulk(segments: u32, loss_per_mille: u32, seed: u32) -> Result<JsValue, JsError> {
    to_js(&presets::bulk(segments, loss_per_mille, u64::from(seed)))
}

/// An object with these properties (setting a property on a fresh plain object cannot fail).
pub(crate) fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in entries {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// Read a share link (the URL fragment, with or without `#`): `{scenario, twin, lang, step}`, or, if
/// the link is damaged, from a newer twlab, or asks for the absurd, the error as data (crate doc)
/// plus `error`, its kind again (what the page read before errors had one shape).
#[wasm_bindgen]
pub fn open_link(text: &str) -> Result<JsValue, JsError> {
    match link::decode(text).and_then(|l| Ok((l.scenario.to_scenario()?, l))) {
        Ok((scenario, l)) => Ok(object(&[
            ("scenario", to_js(&scenario)?),
            ("twin", l.twin.into()),
            ("lang", l.lang.map_or(JsValue::NULL, JsValue::from)),
            ("step", l.step.map_or(JsValue::NULL, JsValue::from)),
        ])),
        Err(e) => link_error(&e),
    }
}

/// A link that does not open, as data (crate doc), plus `error`: its kind again.
pub(crate) fn link_error(e: &link::LinkError) -> Result<JsValue, JsError> {
    let data = to_js(&ErrorData::from(e))?;
    let _ = Reflect::set(&data, &"error".into(), &e.kind().into());
    Ok(data)
}

/// One scenario and its runs. Re-running (new overrides, new parameters) replaces the traces; the
/// "what if TIME-WAIT were skipped?" twin is computed the first time it is asked for.
#[wasm_bindgen]
pub struct Lab {
    scenario: Scenario,
    trace: Trace,
    twin: Option<Trace>,
    /// The run a fork was made from (the fork module's, `fork.rs`).
    #[cfg(feature = "fork")]
    fork: Option<fork::Forked>,
}

pub(crate) fn run(scenario: &Scenario) -> Result<Trace, JsValue> {
    simulate_within(scenario, PAGE_BUDGET).map_err(invalid)
}

#[wasm_bindgen]
impl Lab {
    /// A preset by its name (one of `presets()`), with its own fates.
    pub fn preset(name: &str) -> Result<Lab, JsValue> {
        let unknown = link::LinkError::UnknownPreset { name: name.into() };
        Lab::with(presets::by_name(name).ok_or_else(|| rejected(&ErrorData::from(&unknown)))?)
    }

    /// The scenario of a share link (the fragment, with or without `#`; a fork's link is the fork
    /// module's to read). Rejects with the link's error (`open_link`'s data) or the scenario's.
    pub fn open(text: &str) -> Result<Lab, JsValue> {
        let scenario = link::decode(text)
            .and_then(|l| l.scenario.to_scenario())
            .map_err(|e| rejected(&ErrorData::from(&e)))?;
        Lab::with(scenario)
    }

    /// The benchmark's bulk transfer (`bulk`'s scenario).
    pub fn bulk(segments: u32, loss_per_mille: u32, seed: u32) -> Result<Lab, JsValue> {
        Lab::with(presets::bulk(segments, loss_per_mille, u64::from(seed)))
    }

    /// The run as plain JS data: the same shape as `twlab run <preset> --format json`.
    pub fn trace(&self) -> Result<JsValue, JsError> {
        to_js(&self.trace)
    }

    /// The same scenario with TIME-WAIT skipped.
    pub fn twin_trace(&mut self) -> Result<JsValue, JsValue> {
        if self.twin.is_none() {
            self.twin = Some(run(&self.scenario.without_time_wait())?);
        }
        Ok(to_js(self.twin.as_ref().expect("just computed"))?)
    }

    /// The scenario as it is now, overrides included.
    pub fn scenario(&self) -> Result<JsValue, JsError> {
        to_js(&self.scenario)
    }

    /// Replace the per-segment fates (`[{conn, from, nth, fate}]`) and re-run. On error nothing changes.
    pub fn set_overrides(&mut self, overrides: JsValue) -> Result<(), JsValue> {
        let overrides = settings::overrides(&overrides).map_err(invalid)?;
        self.replace(Scenario {
            overrides,
            ..self.scenario.clone()
        })
    }

    /// Replace the profile and the parameters (`{profile, params}`, as a scenario spells them) and
    /// re-run; the scripts and fates stay. On error nothing changes.
    pub fn set_settings(&mut self, settings: JsValue) -> Result<(), JsValue> {
        let get = |key: &str| Reflect::get(&settings, &key.into()).unwrap_or(JsValue::UNDEFINED);
        let profile = settings::profile(&get("profile")).map_err(invalid)?;
        let params = settings::params(&get("params")).map_err(invalid)?;
        self.replace(Scenario {
            profile,
            params,
            ..self.scenario.clone()
        })
    }

    /// The share link (fragment without `#`) for this scenario, the twin toggle, the language and the step.
    pub fn link(&self, twin: bool, lang: Option<String>, step: Option<u32>) -> String {
        link::encode(&Link {
            scenario: LinkScenario::of(&self.scenario),
            twin,
            lang,
            step,
        })
    }
}

impl Lab {
    fn with(scenario: Scenario) -> Result<Lab, JsValue> {
        let trace = run(&scenario)?;
        Ok(Lab {
            scenario,
            trace,
            twin: None,
            #[cfg(feature = "fork")]
            fork: None,
        })
    }

    fn replace(&mut self, scenario: Scenario) -> Result<(), JsValue> {
        let trace = run(&scenario)?;
        #[cfg(feature = "fork")]
        self.rerun_before(&scenario)?;
        self.scenario = scenario;
        self.trace = trace;
        self.twin = None;
        Ok(())
    }
}

/// Read a guided-tour link (`v1/tour/3/lang=zh-Hans/end`): `{chapter, lang}`, `{kind, message}` (the
/// damage, as `open_link` reports it) if it is a damaged one, or null if it is not a tour link.
#[wasm_bindgen]
pub fn open_tour_link(text: &str) -> JsValue {
    match link::decode_tour(text) {
        None => JsValue::NULL,
        Some(Ok(t)) => object(&[
            ("chapter", t.chapter.into()),
            ("lang", t.lang.map_or(JsValue::NULL, JsValue::from)),
        ]),
        Some(Err(e)) => object(&[("kind", e.kind().into()), ("message", e.to_string().into())]),
    }
}

/// The tour link's fragment (without `#`) for chapter `chapter` (from 1) and the language.
#[wasm_bindgen]
pub fn tour_link(chapter: u32, lang: Option<String>) -> String {
    link::encode_tour(&link::TourLink { chapter, lang })
}
