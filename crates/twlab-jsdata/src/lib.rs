//! Rust values to plain JS data, for twlab's wasm modules: what `JSON.parse(serde_json::to_string(v))`
//! gives, without JSON. In wasm, [`to_js`] writes the value's serde form as compact bytes
//! ([`to_bytes`]) and hands a view of them to `decode.js`, which builds the objects. A 2,000-segment
//! trace is 2.5 MB of JSON; serde_json's text writer, its number formatting and the engine's parse of
//! that text cost the page's wasm several KB and most of the time a big trace took to reach JS.
//!
//! **The format.** One value is one opcode byte and what follows it: `NULL`, `FALSE`, `TRUE`; `UINT`
//! and `NEGINT` with the magnitude as an unsigned LEB128; `FLOAT` with 8 bytes little-endian; `TEXT`
//! with a LEB128 length and the UTF-8 bytes, or `SAME_TEXT` with the index of an earlier `TEXT` (the
//! reader numbers every `TEXT` it meets from 0: field names and state names are written once);
//! `ARRAY` with its values then `END`; `OBJECT` with key and value pairs then `END`. The mapping is
//! serde_json's: `None` and `()` are null, a unit variant is its name, a newtype variant
//! `{name: value}`, bytes an array of numbers, a non-finite float null, a map's keys their text.
//! Numbers above 2^53 lose precision, as they do through JSON.

use serde::ser::{self, Serialize};
use std::fmt;

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const UINT: u8 = 3;
const NEGINT: u8 = 4;
const FLOAT: u8 = 5;
const TEXT: u8 = 6;
const SAME_TEXT: u8 = 7;
const ARRAY: u8 = 8;
const OBJECT: u8 = 9;
const END: u8 = 10;

/// Texts already written, by a hash of their bytes: slots of (start in the output, length, number).
/// A slot holds the latest text that hashed to it; a miss only writes the text again.
const SLOTS: usize = 512;

/// `value` in the format above.
pub fn to_bytes<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
    let mut w = Writer {
        out: Vec::new(),
        texts: 0,
        seen: vec![(0, 0, u32::MAX); SLOTS],
    };
    value.serialize(&mut w)?;
    Ok(w.out)
}

#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/decode.js")]
    extern "C" {
        pub fn decode(bytes: &[u8]) -> JsValue;
    }
}

/// `value` as plain JS data (the crate doc).
#[cfg(target_arch = "wasm32")]
pub fn to_js<T: Serialize + ?Sized>(
    value: &T,
) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsError> {
    let bytes = to_bytes(value).map_err(|e| wasm_bindgen::JsError::new(&e.0))?;
    Ok(js::decode(&bytes))
}

/// A value's `Serialize` refused (serde's `custom` errors); the format itself accepts every value.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        Error(msg.to_string())
    }
}

struct Writer {
    out: Vec<u8>,
    texts: u32,
    seen: Vec<(usize, usize, u32)>,
}

impl Writer {
    fn count(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.out.push(n as u8 | 0x80);
            n >>= 7;
        }
        self.out.push(n as u8);
    }

    fn number(&mut self, op: u8, n: u64) {
        self.out.push(op);
        self.count(n);
    }

    fn text(&mut self, s: &str) {
        // FNV-1a: short texts, a cheap hash.
        let hash = s.bytes().fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
        let slot = hash as usize % SLOTS;
        let (start, len, number) = self.seen[slot];
        if number != u32::MAX && self.out[start..start + len] == *s.as_bytes() {
            return self.number(SAME_TEXT, u64::from(number));
        }
        self.number(TEXT, s.len() as u64);
        self.seen[slot] = (self.out.len(), s.len(), self.texts);
        self.texts += 1;
        self.out.extend_from_slice(s.as_bytes());
    }

    /// `OBJECT`, the key `name`: the start of a variant with data, `{name: …}`.
    fn variant(&mut self, name: &str) {
        self.out.push(OBJECT);
        self.text(name);
    }

    /// An array or an object (`op`), inside `{variant: …}` when it is a variant's data.
    fn open(&mut self, op: u8, variant: Option<&str>) -> Compound<'_> {
        if let Some(name) = variant {
            self.variant(name);
        }
        self.out.push(op);
        Compound {
            w: self,
            ends: 1 + usize::from(variant.is_some()),
        }
    }
}

/// An array, object or variant being written: `ends` is how many `END`s close it.
pub struct Compound<'a> {
    w: &'a mut Writer,
    ends: usize,
}

impl Compound<'_> {
    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.w)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.w.text(key);
        self.value(value)
    }

    fn close(self) -> Result<(), Error> {
        self.w.out.extend(std::iter::repeat(END).take(self.ends));
        Ok(())
    }
}

/// Narrower numbers are written as the widest of their kind.
macro_rules! widen {
    ($($method:ident: $narrow:ty => $wide:ident),*) => {$(
        fn $method(self, v: $narrow) -> Result<(), Error> {
            self.$wide(v.into())
        }
    )*};
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    widen!(
        serialize_i8: i8 => serialize_i64,
        serialize_i16: i16 => serialize_i64,
        serialize_i32: i32 => serialize_i64,
        serialize_u8: u8 => serialize_u64,
        serialize_u16: u16 => serialize_u64,
        serialize_u32: u32 => serialize_u64,
        serialize_f32: f32 => serialize_f64
    );

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.push(if v { TRUE } else { FALSE });
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.number(if v < 0 { NEGINT } else { UINT }, v.unsigned_abs());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.number(UINT, v);
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if !v.is_finite() {
            return self.serialize_unit();
        }
        self.out.push(FLOAT);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.text(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.text(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.out.push(ARRAY);
        for &b in v {
            self.number(UINT, b.into());
        }
        self.out.push(END);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.push(NULL);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.variant(variant);
        value.serialize(&mut *self)?;
        self.out.push(END);
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.open(ARRAY, None))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(self.open(ARRAY, Some(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(self.open(OBJECT, None))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(self.open(OBJECT, Some(variant)))
    }
}

// The compound writers differ only in the name of the method that writes one part: a value, or a
// struct's field with its name.
macro_rules! values {
    ($($compound:ident :: $method:ident),*) => {$(
        impl ser::$compound for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.value(value)
            }
            fn end(self) -> Result<(), Error> {
                self.close()
            }
        }
    )*};
}
values!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

macro_rules! fields {
    ($($compound:ident),*) => {$(
        impl ser::$compound for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Error> {
                self.close()
            }
        }
    )*};
}
fields!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    /// Any key is written as a value; the reader makes it the property's name, its text.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.value(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.value(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_leb128_magnitudes() {
        assert_eq!(to_bytes(&300u32).unwrap(), [UINT, 0xac, 0x02]);
        assert_eq!(to_bytes(&-1i32).unwrap(), [NEGINT, 1]);
        assert_eq!(to_bytes(&u64::MAX).unwrap().len(), 11);
        assert_eq!(
            to_bytes(&1.5f64).unwrap(),
            [&[FLOAT][..], &1.5f64.to_le_bytes()].concat()
        );
        assert_eq!(to_bytes(&f64::NAN).unwrap(), [NULL]);
    }

    #[test]
    fn a_text_is_written_once_then_by_number() {
        let bytes = to_bytes(&["ab", "c", "ab", "c"]).unwrap();
        assert_eq!(
            bytes,
            [ARRAY, TEXT, 2, b'a', b'b', TEXT, 1, b'c', SAME_TEXT, 0, SAME_TEXT, 1, END]
        );
    }

    #[test]
    fn variants_are_objects_named_for_them() {
        #[derive(serde::Serialize)]
        enum Fate {
            Lose,
            Delay(u8),
            Both { a: u8 },
        }
        let bytes = to_bytes(&(Fate::Lose, Fate::Delay(2), Fate::Both { a: 3 })).unwrap();
        #[rustfmt::skip]
        let expected = [ARRAY, TEXT, 4, b'L', b'o', b's', b'e',
            OBJECT, TEXT, 5, b'D', b'e', b'l', b'a', b'y', UINT, 2, END,
            OBJECT, TEXT, 4, b'B', b'o', b't', b'h', OBJECT, TEXT, 1, b'a', UINT, 3, END, END, END];
        assert_eq!(bytes, expected);
    }
}
