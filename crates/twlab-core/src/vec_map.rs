//! A map kept as a vector sorted by key: for the few keys a run tracks (the fates, counts per
//! connection, bytes held ahead of RCV.NXT), in key order as a `BTreeMap` gives them, for a fraction
//! of its code in the wasm (its B-tree, copied for each of four key and value types, was 23 KB).

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VecMap<K, V>(Vec<(K, V)>);

impl<K: Ord, V> VecMap<K, V> {
    pub fn new() -> Self {
        VecMap(Vec::new())
    }

    fn find(&self, key: &K) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    /// Set `key` to `value`, replacing what it had.
    pub fn insert(&mut self, key: K, value: V) {
        match self.find(&key) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    /// The value of `key`, set to `value` first if it has none.
    pub fn get_or_insert(&mut self, key: K, value: V) -> &mut V {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (key, value));
                i
            }
        };
        &mut self.0[i].1
    }

    /// Take out the entry with the smallest key if that key is `ready`.
    pub fn pop_first_if(&mut self, ready: impl FnOnce(&K) -> bool) -> Option<(K, V)> {
        let first = self.0.first().is_some_and(|(k, _)| ready(k));
        first.then(|| self.0.remove(0))
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }
}

/// Later entries replace earlier ones with the same key, as collecting into a `BTreeMap` does.
impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(items: I) -> Self {
        let mut map = VecMap::new();
        for (k, v) in items {
            map.insert(k, v);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// The same operations on a `VecMap` and a `BTreeMap` leave the same entries in the same order.
    #[test]
    fn behaves_as_a_btree_map() {
        let mut ours = VecMap::new();
        let mut theirs = BTreeMap::new();
        // A fixed pseudo-random walk of inserts, counts and pops over a small key space.
        let mut x: u32 = 12345;
        for _ in 0..5000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let key = (x >> 16) % 40;
            match (x >> 8) % 4 {
                0 => {
                    ours.insert(key, x);
                    theirs.insert(key, x);
                }
                1 => {
                    *ours.get_or_insert(key, 0) += 1;
                    *theirs.entry(key).or_insert(0) += 1;
                }
                2 => {
                    let ready = |k: &u32| k % 3 != 0;
                    let expected = theirs
                        .first_key_value()
                        .filter(|(k, _)| ready(k))
                        .map(|(k, _)| *k);
                    let popped = ours.pop_first_if(ready);
                    assert_eq!(popped.as_ref().map(|(k, _)| *k), expected);
                    if let Some(k) = expected {
                        assert_eq!(popped.map(|(_, v)| v), theirs.remove(&k));
                    }
                }
                _ => assert_eq!(ours.get(&key), theirs.get(&key)),
            }
        }
        let all: Vec<_> = theirs.into_iter().collect();
        assert_eq!(ours.0, all);
        let collected: VecMap<u32, u32> = [(3, 1), (1, 2), (3, 4)].into_iter().collect();
        assert_eq!(collected.0, vec![(1, 2), (3, 4)]);
        ours.clear();
        assert_eq!(ours.pop_first_if(|_| true), None);
    }
}
