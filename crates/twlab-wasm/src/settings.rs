//! What the page changes in a run, read by hand from plain JS data: the fates (`[{conn, from, nth,
//! fate}]`), the profile and the parameters, spelled as a scenario's JSON spells them. A whole
//! scenario (scripts, every action) is read through serde only in the fork module (`from_js.rs`,
//! feature `fork`): that reader would be a seventh of the page's wasm, which opens presets and links
//! instead (`Lab.preset`, `Lab.open`). The errors name the field (`params.msl`, `overrides[2]`) as
//! serde's reader does; tests/settings.rs holds the two readers to the same answers.

use js_sys::{Array, Number, Object, Reflect};
use twlab_core::params::ParamOverrides;
use twlab_core::scenario::{
    Fate, Isn, IsnPair, Override, Problem, Profile, SegmentId, Side, TimeWait,
};
use twlab_core::time::Duration;
use twlab_core::ScenarioError;
use wasm_bindgen::{JsCast, JsValue};

/// What is wrong with a value, in words like serde's: `invalid type: number 5, expected a string`.
type Detail = String;

/// How a value is shown in an error: JS writes the number (no float formatting in the wasm).
fn shown(v: &JsValue) -> String {
    if let Some(s) = v.as_string() {
        format!("string {s:?}")
    } else if let Some(n) = v.as_f64() {
        format!(
            "number {}",
            String::from(Number::from(n).to_string_with_radix(10).unwrap_or_default())
        )
    } else if let Some(b) = v.as_bool() {
        format!("boolean `{b}`")
    } else if v.is_null() || v.is_undefined() {
        "null".into()
    } else if v.is_array() {
        "sequence".into()
    } else {
        "map".into()
    }
}

fn expected(v: &JsValue, what: &str) -> Detail {
    format!("invalid type: {}, expected {what}", shown(v))
}

/// A value of a scenario's JSON, read from JS.
trait FromJs: Sized {
    fn from_js(v: &JsValue) -> Result<Self, Detail>;
}

fn string(v: &JsValue) -> Result<String, Detail> {
    v.as_string().ok_or_else(|| expected(v, "a string"))
}

/// A whole number from 0 to `max`.
fn whole(v: &JsValue, max: u32) -> Result<u32, Detail> {
    let n = v.as_f64().ok_or_else(|| expected(v, "a whole number"))?;
    if n.fract() == 0.0 && (0.0..=f64::from(max)).contains(&n) {
        Ok(n as u32)
    } else {
        Err(format!(
            "invalid value: {}, expected a whole number from 0 to {max}",
            shown(v)
        ))
    }
}

impl FromJs for u32 {
    fn from_js(v: &JsValue) -> Result<Self, Detail> {
        whole(v, u32::MAX)
    }
}

impl FromJs for u16 {
    fn from_js(v: &JsValue) -> Result<Self, Detail> {
        Ok(whole(v, u16::MAX.into())? as u16)
    }
}

impl FromJs for bool {
    fn from_js(v: &JsValue) -> Result<Self, Detail> {
        v.as_bool().ok_or_else(|| expected(v, "a boolean"))
    }
}

impl FromJs for Duration {
    fn from_js(v: &JsValue) -> Result<Self, Detail> {
        string(v)?
            .parse()
            .map_err(|e: twlab_core::time::ParseDurationError| e.to_string())
    }
}

impl FromJs for TimeWait {
    fn from_js(v: &JsValue) -> Result<Self, Detail> {
        string(v)?.parse()
    }
}

/// `"client"` or `"server"`.
impl FromJs for Side {
    fn from_js(v: &JsValue) -> Result<Self, Detail> {
        const WHAT: &str = "`client` or `server`";
        unit_enum(
            v,
            WHAT,
            &[("client", Side::Client), ("server", Side::Server)],
        )
    }
}

/// A struct's fields: by name from an object (others ignored), or by position from an array of as
/// many, as serde reads a struct.
fn fields<const N: usize>(v: &JsValue, names: [&str; N]) -> Result<[JsValue; N], Detail> {
    if let Some(items) = v.dyn_ref::<Array>() {
        if items.length() as usize != N {
            return Err(format!(
                "invalid length {}, expected {N} fields",
                items.length()
            ));
        }
        return Ok(std::array::from_fn(|i| items.get(i as u32)));
    }
    let object: &Object = v.dyn_ref().ok_or_else(|| expected(v, "a map"))?;
    let mut out = std::array::from_fn(|_| JsValue::UNDEFINED);
    for (slot, name) in out.iter_mut().zip(names) {
        *slot = Reflect::get(object, &name.into()).unwrap_or(JsValue::UNDEFINED);
        if slot.is_undefined() {
            return Err(format!("missing field `{name}`"));
        }
    }
    Ok(out)
}

/// An enum's variant: `"tag"` (no value), or `{"tag": value}`.
fn variant(v: &JsValue, what: &str) -> Result<(String, JsValue), Detail> {
    if let Some(tag) = v.as_string() {
        return Ok((tag, JsValue::UNDEFINED));
    }
    let object: &Object = v
        .dyn_ref()
        .filter(|_| !v.is_array())
        .ok_or_else(|| expected(v, what))?;
    let keys = Object::keys(object);
    let tag = keys
        .get(0)
        .as_string()
        .filter(|_| keys.length() == 1)
        .ok_or_else(|| expected(v, what))?;
    let value = Reflect::get(object, &tag.as_str().into()).unwrap_or(JsValue::UNDEFINED);
    Ok((tag, value))
}

/// A variant without a value: `"tag"` or `{"tag": null}`.
fn unit(value: &JsValue) -> Result<(), Detail> {
    if value.is_undefined() || value.is_null() {
        Ok(())
    } else {
        Err(expected(value, "unit"))
    }
}

/// One of an enum's `variants` (`what` names them), none of which carries a value.
fn unit_enum<T: Copy>(v: &JsValue, what: &str, variants: &[(&str, T)]) -> Result<T, Detail> {
    let (tag, value) = variant(v, what)?;
    match variants.iter().find(|(name, _)| *name == tag) {
        Some(&(_, chosen)) => unit(&value).map(|()| chosen),
        None => Err(format!("unknown variant `{tag}`, expected {what}")),
    }
}

impl FromJs for IsnPair {
    fn from_js(v: &JsValue) -> Result<Self, Detail> {
        let [client, server] = fields(v, ["client", "server"])?;
        Ok(IsnPair {
            client: u32::from_js(&client)?,
            server: u32::from_js(&server)?,
        })
    }
}

/// `"clock"`, `{"fixed": pair}` or `{"per_connection": [pairs]}`.
impl FromJs for Isn {
    fn from_js(v: &JsValue) -> Result<Self, Detail> {
        const WHAT: &str = "\"clock\", {\"fixed\": pair} or {\"per_connection\": [pairs]}";
        match variant(v, WHAT)? {
            (tag, value) if tag == "clock" => unit(&value).map(|()| Isn::Clock),
            (tag, pair) if tag == "fixed" => Ok(Isn::Fixed(IsnPair::from_js(&pair)?)),
            (tag, pairs) if tag == "per_connection" => {
                let pairs: &Array = pairs
                    .dyn_ref()
                    .ok_or_else(|| expected(&pairs, "a sequence"))?;
                Ok(Isn::PerConnection(
                    pairs
                        .iter()
                        .map(|p| IsnPair::from_js(&p))
                        .collect::<Result<_, _>>()?,
                ))
            }
            (tag, _) => Err(format!("unknown variant `{tag}`, expected {WHAT}")),
        }
    }
}

/// `"drop"`, `{"delay": "300ms"}` or `{"duplicate": "2s"}`.
impl FromJs for Fate {
    fn from_js(v: &JsValue) -> Result<Self, Detail> {
        const WHAT: &str = "\"drop\", {\"delay\": duration} or {\"duplicate\": duration}";
        match variant(v, WHAT)? {
            (tag, value) if tag == "drop" => unit(&value).map(|()| Fate::Drop),
            (tag, d) if tag == "delay" => Ok(Fate::Delay(Duration::from_js(&d)?)),
            (tag, d) if tag == "duplicate" => Ok(Fate::Duplicate(Duration::from_js(&d)?)),
            (tag, _) => Err(format!("unknown variant `{tag}`, expected {WHAT}")),
        }
    }
}

impl FromJs for Override {
    fn from_js(v: &JsValue) -> Result<Self, Detail> {
        let [conn, from, nth, fate] = fields(v, ["conn", "from", "nth", "fate"])?;
        Ok(Override {
            segment: SegmentId {
                conn: u32::from_js(&conn)?,
                from: Side::from_js(&from)?,
                nth: u32::from_js(&nth)?,
            },
            fate: Fate::from_js(&fate)?,
        })
    }
}

fn parse_error(field: String, detail: Detail) -> ScenarioError {
    ScenarioError {
        field,
        problem: Problem::Parse { detail },
    }
}

/// The fates, `[{conn, from, nth, fate}]`.
pub fn overrides(v: &JsValue) -> Result<Vec<Override>, ScenarioError> {
    let items: &Array = v
        .dyn_ref()
        .ok_or_else(|| parse_error("overrides".into(), expected(v, "a sequence")))?;
    let read = |(i, item): (usize, JsValue)| {
        Override::from_js(&item).map_err(|d| parse_error(format!("overrides[{i}]"), d))
    };
    items.iter().enumerate().map(read).collect()
}

/// `"rfc9293"`, `"linux"` or `"lab"`; none is `lab`.
pub fn profile(v: &JsValue) -> Result<Profile, ScenarioError> {
    if v.is_undefined() || v.is_null() {
        return Ok(Profile::default());
    }
    let variants = [
        ("rfc9293", Profile::Rfc9293),
        ("linux", Profile::Linux),
        ("lab", Profile::Lab),
    ];
    unit_enum(v, "one of `rfc9293`, `linux`, `lab`", &variants)
        .map_err(|d| parse_error("profile".into(), d))
}

macro_rules! params_reader {
    ($($name:ident),*) => {
        /// The parameters, `{msl: "1s", timestamps: true, …}`; a missing or null one is the profile's.
        pub fn params(v: &JsValue) -> Result<ParamOverrides, ScenarioError> {
            const NAMES: &[&str] = &[$(stringify!($name)),*];
            let mut params = ParamOverrides::default();
            if v.is_undefined() || v.is_null() {
                return Ok(params);
            }
            // By name from an object, or in the table's order from an array (as serde reads a struct).
            let given: Vec<(String, JsValue)> = if let Some(items) = v.dyn_ref::<Array>() {
                if items.length() as usize > NAMES.len() {
                    let detail = format!("invalid length {}, expected at most {} fields", items.length(), NAMES.len());
                    return Err(parse_error("params".into(), detail));
                }
                NAMES.iter().map(|n| n.to_string()).zip(items.iter()).collect()
            } else {
                let object: &Object = v.dyn_ref().ok_or_else(|| parse_error("params".into(), expected(v, "a map")))?;
                let value = |k: String| (Reflect::get(object, &k.as_str().into()).unwrap_or(JsValue::UNDEFINED), k);
                Object::keys(object).iter().filter_map(|k| k.as_string()).map(value).map(|(v, k)| (k, v)).collect()
            };
            for (name, value) in given {
                let error = |d| parse_error(format!("params.{name}"), d);
                let given = !(value.is_undefined() || value.is_null());
                match name.as_str() {
                    $(stringify!($name) => {
                        params.$name = given.then(|| FromJs::from_js(&value)).transpose().map_err(error)?;
                    })*
                    _ => return Err(error(format!("unknown field `{name}`"))),
                }
            }
            Ok(params)
        }
    };
}

twlab_core::for_each_param!(params_reader);
