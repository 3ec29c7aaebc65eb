//! Fingerprints for the incremental engine: a hash of everything an output
//! depends on, so that an output is rendered again exactly when one of its
//! inputs changed. [`of`] is only compared within one process, never
//! stored; [`fnv1a32`] is for what is published.

use std::hash::{DefaultHasher, Hash, Hasher};

pub fn of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// 32-bit FNV-1a: a hash whose value is fixed by its definition, for what
/// is published (search shard numbers, shortened slugs), where the output
/// must not change with the Rust release.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}
