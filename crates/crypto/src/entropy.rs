//! Randomness as an input.
//!
//! Real S3 and KMS draw keys, nonces and salts from a secure random source. The playground's
//! core never reads one (it must be reproducible and run unchanged on wasm32), so every function
//! that needs fresh bytes takes an [`Entropy`] source from its caller:
//!
//! - the browser passes a source backed by `crypto.getRandomValues` (the web crate owns that);
//! - tests, scenarios and share links pass a [`SeededEntropy`], a deterministic generator, so the
//!   same seed always produces the same keys and ciphertexts;
//! - any `FnMut(&mut [u8])` closure is an [`Entropy`] too.
//!
//! [`SeededEntropy`] is *not* a cryptographically reviewed DRBG: it is SHA-256 in counter mode
//! over a hashed seed, which is plenty for a simulator whose secrets protect nothing real.

use sha2::{Digest, Sha256};

/// A source of bytes for keys, nonces and salts.
///
/// Implemented by [`SeededEntropy`] and by every `FnMut(&mut [u8])` closure.
pub trait Entropy {
    /// Fills `dest` completely with fresh bytes.
    fn fill(&mut self, dest: &mut [u8]);

    /// Returns `N` fresh bytes.
    fn array<const N: usize>(&mut self) -> [u8; N]
    where
        Self: Sized,
    {
        let mut out = [0_u8; N];
        self.fill(&mut out);
        out
    }
}

impl<F: FnMut(&mut [u8])> Entropy for F {
    fn fill(&mut self, dest: &mut [u8]) {
        self(dest);
    }
}

/// A deterministic byte generator: SHA-256 in counter mode over a hashed seed.
///
/// `block_i = SHA-256(state || i)` with `state = SHA-256("s3pg-seeded-entropy" || seed)` and `i`
/// a big-endian 64-bit counter. The same seed always yields the same stream.
#[derive(Clone)]
pub struct SeededEntropy {
    state: [u8; 32],
    counter: u64,
    block: [u8; 32],
    // INVARIANT: `used <= 32`; bytes `block[used..]` have not been handed out yet.
    used: usize,
}

impl SeededEntropy {
    /// A generator whose whole output is determined by `seed`.
    #[must_use]
    pub fn from_seed(seed: &[u8]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"s3pg-seeded-entropy");
        hasher.update(seed);
        Self {
            state: hasher.finalize().into(),
            counter: 0,
            block: [0; 32],
            used: 32,
        }
    }

    /// An independent generator for a named sub-purpose (e.g. one per account or per bucket),
    /// derived from this one's seed without consuming any of its output.
    ///
    /// Lets a world keep keys stable: adding an object to one bucket does not shift the keys
    /// every later draw in another bucket would get.
    #[must_use]
    pub fn derive(&self, label: &[u8]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"s3pg-seeded-entropy-derive");
        hasher.update(self.state);
        hasher.update(label);
        Self {
            state: hasher.finalize().into(),
            counter: 0,
            block: [0; 32],
            used: 32,
        }
    }

    fn refill(&mut self) {
        let mut hasher = Sha256::new();
        hasher.update(self.state);
        hasher.update(self.counter.to_be_bytes());
        self.block = hasher.finalize().into();
        self.counter = self.counter.wrapping_add(1);
        self.used = 0;
    }
}

impl core::fmt::Debug for SeededEntropy {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The state is a secret generator state: show only how far the stream has gone.
        f.debug_struct("SeededEntropy")
            .field("blocks_used", &self.counter)
            .finish_non_exhaustive()
    }
}

impl Entropy for SeededEntropy {
    fn fill(&mut self, dest: &mut [u8]) {
        let mut written = 0;
        while written < dest.len() {
            if self.used == self.block.len() {
                self.refill();
            }
            let available = self.block.get(self.used..).unwrap_or_default();
            let wanted = dest.len() - written;
            let take = available.len().min(wanted);
            if let (Some(out), Some(src)) =
                (dest.get_mut(written..written + take), available.get(..take))
            {
                out.copy_from_slice(src);
            }
            written += take;
            self.used += take;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_same_stream() {
        let mut a = SeededEntropy::from_seed(b"world-1");
        let mut b = SeededEntropy::from_seed(b"world-1");
        assert_eq!(a.array::<100>(), b.array::<100>());
    }

    #[test]
    fn different_seeds_give_different_streams() {
        let mut a = SeededEntropy::from_seed(b"world-1");
        let mut b = SeededEntropy::from_seed(b"world-2");
        assert_ne!(a.array::<32>(), b.array::<32>());
    }

    #[test]
    fn stream_does_not_depend_on_how_it_is_split() {
        let mut whole = SeededEntropy::from_seed(b"split");
        let all: [u8; 75] = whole.array();
        let mut parts = SeededEntropy::from_seed(b"split");
        let mut joined = Vec::new();
        for n in [1_usize, 31, 2, 33, 8] {
            let mut buf = vec![0; n];
            parts.fill(&mut buf);
            joined.extend(buf);
        }
        assert_eq!(joined, all);
    }

    #[test]
    fn first_block_is_sha256_of_state_and_zero_counter() {
        let state: [u8; 32] = Sha256::digest(b"s3pg-seeded-entropyabc").into();
        let mut h = Sha256::new();
        h.update(state);
        h.update(0_u64.to_be_bytes());
        let expected: [u8; 32] = h.finalize().into();
        assert_eq!(SeededEntropy::from_seed(b"abc").array::<32>(), expected);
    }

    #[test]
    fn trait_objects_are_accepted_where_entropy_is_needed() {
        let mut boxed: Box<dyn Entropy> = Box::new(SeededEntropy::from_seed(b"dyn"));
        let key = crate::Aes256Key::generate(&mut *boxed);
        let again = crate::Aes256Key::generate(&mut SeededEntropy::from_seed(b"dyn"));
        assert_eq!(key, again);
    }

    #[test]
    fn derived_streams_are_independent_of_the_parents_use() {
        let parent = SeededEntropy::from_seed(b"world");
        let mut used = parent.clone();
        let _: [u8; 100] = used.array();
        assert_eq!(
            parent.derive(b"bucket-a").array::<32>(),
            used.derive(b"bucket-a").array::<32>()
        );
        assert_ne!(
            parent.derive(b"bucket-a").array::<32>(),
            parent.derive(b"bucket-b").array::<32>()
        );
        assert_ne!(
            parent.derive(b"bucket-a").array::<32>(),
            parent.clone().array::<32>()
        );
    }

    #[test]
    fn closures_are_entropy_sources() {
        let mut next = 0_u8;
        let mut counter = |dest: &mut [u8]| {
            for b in dest {
                *b = next;
                next = next.wrapping_add(1);
            }
        };
        assert_eq!(counter.array::<4>(), [0, 1, 2, 3]);
    }
}
