//! Plain JS data (a whole scenario object) read through serde, in the fork module only (the page's
//! wasm reads fates and parameters by hand: settings.rs), as serde-wasm-bindgen would, but with an
//! error type of its own. serde's default wording of an unexpected value formats floats with
//! `core::fmt` (`floating point `1.5``), which alone is some 14 KB of the wasm; this one has JS
//! write the number. The messages are otherwise serde's own: `invalid type: string "x", expected
//! u16`, `unknown field `mls``, or a field's own (`"1y" is not a duration…`).

use crate::invalid;
use js_sys::{Array, Number, Object, Reflect};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use std::fmt;
use twlab_core::scenario::Problem;
use twlab_core::{Scenario, ScenarioError};
use wasm_bindgen::{JsCast, JsValue};

/// Read `T` from plain JS data: objects, arrays, strings, numbers, booleans, null and undefined.
pub fn from_js<T: de::DeserializeOwned>(value: JsValue) -> Result<T, Error> {
    T::deserialize(Value(value))
}

/// A whole scenario, naming the field that failed: `params.msl: "1y" is not a duration…`,
/// `client[2]`.
pub fn scenario(value: &JsValue) -> Result<Scenario, JsValue> {
    from_js(value.clone()).map_err(|e| {
        let parses = |key: &str, field| from_js::<Scenario>(scenario_with(key, field)).is_ok();
        let field = locate(value, parses).unwrap_or_else(|| "scenario".into());
        let detail = e.to_string();
        invalid(ScenarioError {
            field,
            problem: Problem::Parse { detail },
        })
    })
}

/// Which field of an object does not deserialize: `params.msl`, `overrides[0]`, `client[2]`.
///
/// Only the error path runs this. Each field is tried alone (`parses`), reusing the one
/// deserializer: far smaller in the wasm than a path-tracking wrapper around every type
/// (serde_path_to_error added 11 KB gzip).
fn locate(value: &JsValue, parses: impl Fn(&str, JsValue) -> bool) -> Option<String> {
    let object: &Object = value.dyn_ref()?;
    for key in Object::keys(object).iter().filter_map(|k| k.as_string()) {
        let field = Reflect::get(value, &key.as_str().into()).ok()?;
        if parses(&key, field.clone()) {
            continue;
        }
        if let Some(items) = field.dyn_ref::<Array>() {
            // A list (a script, the overrides): the first item that fails alone.
            for (i, item) in items.iter().enumerate() {
                if !parses(&key, Array::of1(&item).into()) {
                    return Some(format!("{key}[{i}]"));
                }
            }
        } else if let Some(fields) = field.dyn_ref::<Object>().filter(|_| key == "params") {
            for name in Object::keys(fields).iter() {
                let one = Object::new();
                Reflect::set(&one, &name, &Reflect::get(fields, &name).ok()?).ok()?;
                if !parses(&key, one.into()) {
                    return Some(format!("params.{}", name.as_string()?));
                }
            }
        }
        return Some(key);
    }
    None
}

/// A scenario object with empty scripts and `key` set to `value`.
fn scenario_with(key: &str, value: JsValue) -> JsValue {
    let scenario = Object::new();
    for (k, v) in [
        ("client", Array::new().into()),
        ("server", Array::new().into()),
        (key, value),
    ] {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&scenario, &k.into(), &v);
    }
    scenario.into()
}

/// What does not fit the type, in serde's words.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }

    fn invalid_type(unexpected: Unexpected, expected: &dyn de::Expected) -> Self {
        Error(format!(
            "invalid type: {}, expected {expected}",
            Shown(unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected, expected: &dyn de::Expected) -> Self {
        Error(format!(
            "invalid value: {}, expected {expected}",
            Shown(unexpected)
        ))
    }
}

/// serde's words for an unexpected value, the number in JS's spelling.
struct Shown<'a>(Unexpected<'a>);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.0 {
            Unexpected::Bool(b) => write!(f, "boolean `{b}`"),
            Unexpected::Unsigned(n) => write!(f, "integer `{n}`"),
            Unexpected::Signed(n) => write!(f, "integer `{n}`"),
            Unexpected::Float(x) => {
                let text =
                    String::from(Number::from(x).to_string_with_radix(10).unwrap_or_default());
                write!(f, "floating point `{text}`")
            }
            Unexpected::Char(c) => write!(f, "character `{c}`"),
            Unexpected::Str(s) => write!(f, "string {s:?}"),
            Unexpected::Bytes(_) => f.write_str("byte array"),
            Unexpected::Unit => f.write_str("null"),
            Unexpected::Option => f.write_str("Option value"),
            Unexpected::NewtypeStruct => f.write_str("newtype struct"),
            Unexpected::Seq => f.write_str("sequence"),
            Unexpected::Map => f.write_str("map"),
            Unexpected::Enum => f.write_str("enum"),
            Unexpected::UnitVariant => f.write_str("unit variant"),
            Unexpected::NewtypeVariant => f.write_str("newtype variant"),
            Unexpected::TupleVariant => f.write_str("tuple variant"),
            Unexpected::StructVariant => f.write_str("struct variant"),
            Unexpected::Other(other) => f.write_str(other),
        }
    }
}

/// One JS value being read.
struct Value(JsValue);

enum Read {
    Unit,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Value>),
    Map(Entries),
    Other(Value),
}

impl Value {
    fn nullish(&self) -> bool {
        self.0.is_null() || self.0.is_undefined()
    }

    /// An object's own properties, those set to `undefined` left out (as JSON would).
    fn entries(&self) -> Option<Entries> {
        let object = self.0.dyn_ref::<Object>()?;
        let pairs = Object::entries(object)
            .iter()
            .map(|pair| Array::from(&pair))
            .filter(|pair| !pair.get(1).is_undefined())
            .map(|pair| (pair.get(0), pair.get(1)))
            .collect::<Vec<_>>();
        Some(Entries {
            pairs: pairs.into_iter(),
            value: None,
        })
    }

    /// What the value is, worked out once for every type it may be read as (the generic code that
    /// follows is copied for each type: kept small, it keeps the wasm small).
    #[inline(never)]
    fn read(self) -> Read {
        if self.nullish() {
            Read::Unit
        } else if let Some(b) = self.0.as_bool() {
            Read::Bool(b)
        } else if let Some(x) = self.0.as_f64() {
            // Whole numbers that JS holds exactly are integers; anything else is a float.
            match Number::is_safe_integer(&self.0) {
                true if x >= 0.0 => Read::Unsigned(x as u64),
                true => Read::Signed(x as i64),
                false => Read::Float(x),
            }
        } else if let Some(s) = self.0.as_string() {
            Read::Str(s)
        } else if let Some(items) = self.0.dyn_ref::<Array>() {
            Read::Seq(items.iter().map(Value).collect())
        } else if let Some(entries) = self.entries() {
            Read::Map(entries)
        } else {
            Read::Other(self)
        }
    }

    fn unexpected<'de, V: Visitor<'de>>(&self, visitor: V) -> Result<V::Value, Error> {
        let text;
        let what = if self.nullish() {
            Unexpected::Unit
        } else if Array::is_array(&self.0) {
            Unexpected::Seq
        } else if self.0.is_object() {
            Unexpected::Map
        } else {
            text = format!("{:?}", self.0);
            Unexpected::Other(&text)
        };
        Err(de::Error::invalid_type(what, &visitor))
    }
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.read() {
            Read::Unit => visitor.visit_unit(),
            Read::Bool(b) => visitor.visit_bool(b),
            Read::Unsigned(n) => visitor.visit_u64(n),
            Read::Signed(n) => visitor.visit_i64(n),
            Read::Float(x) => visitor.visit_f64(x),
            Read::Str(s) => visitor.visit_string(s),
            Read::Seq(items) => {
                visitor.visit_seq(de::value::SeqDeserializer::new(items.into_iter()))
            }
            Read::Map(entries) => visitor.visit_map(entries),
            Read::Other(value) => value.unexpected(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.nullish() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// `"drop"` (a unit variant) or `{"delay": "300ms"}` (a variant and its value).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if let Some(tag) = self.0.as_string() {
            return visitor.visit_enum(tag.into_deserializer());
        }
        let Some(Entries { pairs, .. }) = self.entries() else {
            return self.unexpected(visitor);
        };
        match pairs.as_slice() {
            [(tag, value)] => visitor.visit_enum(Variant {
                tag: tag.clone(),
                value: Value(value.clone()),
            }),
            _ => Err(de::Error::invalid_length(pairs.len(), &"one variant")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// An object's properties, key then value.
struct Entries {
    pairs: std::vec::IntoIter<(JsValue, JsValue)>,
    value: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.pairs.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(Value(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self.value.take().unwrap_or(JsValue::UNDEFINED);
        seed.deserialize(Value(value))
    }
}

/// An enum written as an object of one property: the variant's name and its value.
struct Variant {
    tag: JsValue,
    value: Value,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = Error;
    type Variant = Value;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Value), Error> {
        Ok((seed.deserialize(Value(self.tag))?, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for Value {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}

impl<'de> IntoDeserializer<'de, Error> for Value {
    type Deserializer = Value;
    fn into_deserializer(self) -> Value {
        self
    }
}
