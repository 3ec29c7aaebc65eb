//! Fingerprints for the incremental engine: a hash of everything an output
//! depends on, so that an output is rendered again exactly when one of its
//! inputs changed. Only compared within one process, never stored.

use std::hash::{DefaultHasher, Hash, Hasher};

pub fn of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}
