//! What the examples `synth` and `search_size` share: the PRNG and the
//! vocabulary of their made-up sites. Each uses a part of it.
#![allow(dead_code)]

pub mod rng;
pub mod vocab;
