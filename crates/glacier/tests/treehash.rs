//! Known answers for the SHA-256 tree hash of "Computing Checksums"
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/checksum-calculations.html>).
//!
//! Three independent routes must agree: the crate's level-by-level pairing, a recursive
//! implementation written here (split the leaves at the largest power of two below their count,
//! which yields the same tree as pairing with odd nodes promoted), and fixed hex values computed
//! separately with Python's `hashlib` for the same bodies.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions should stop at the first failure"
)]

use s3pg_glacier::treehash::{CHUNK_SIZE, chunk_hashes, linear_hash, tree_hash};
use sha2::{Digest, Sha256};

const MIB: usize = 1024 * 1024;

/// The deterministic test body: byte i = (31·i + 7) mod 251.
fn body(n: usize) -> Vec<u8> {
    (0..n).map(|i| ((i * 31 + 7) % 251) as u8).collect()
}

/// Recursive tree hash over leaf digests: a differently structured reference.
fn recursive_root(leaves: &[[u8; 32]]) -> [u8; 32] {
    if leaves.len() == 1 {
        return leaves[0];
    }
    let mut split = 1;
    while split * 2 < leaves.len() {
        split *= 2;
    }
    let mut h = Sha256::new();
    h.update(recursive_root(&leaves[..split]));
    h.update(recursive_root(&leaves[split..]));
    h.finalize().into()
}

fn reference(data: &[u8]) -> String {
    let leaves: Vec<[u8; 32]> = if data.is_empty() {
        vec![Sha256::digest(b"").into()]
    } else {
        data.chunks(MIB).map(|c| Sha256::digest(c).into()).collect()
    };
    recursive_root(&leaves)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn tree_hash_known_answers_for_documented_chunking() {
    // (size, tree hash computed with hashlib outside this crate)
    let cases = [
        (
            0,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            1,
            "ca358758f6d27e6cf45272937977a748fd88391db679ceda7dc7bf1f005ee879",
        ),
        (
            MIB,
            "1c59b8670027384143781a8a8bff2f3b44bd8818d0f53b13b064c2375a1afe38",
        ),
        (
            MIB + 1,
            "bdbb3466665ed8cbe8fc26d6cd3ee2d7c88f427bef2982246317b76917649519",
        ),
        (
            2 * MIB,
            "fef73e6be8f9dd6f083b04c99d6fd732691441f983b2305c8137cd5cd9ace701",
        ),
        (
            3 * MIB + MIB / 2,
            "422ee3b6f1d333649eb6dc0240122d37b70bb468d42418678371279dfa0119fe",
        ),
        (
            5 * MIB + 3,
            "ada05371f758d0df7996a469b434ec785bad0ae61ed2f86f1d2eb1d222224e97",
        ),
    ];
    for (size, expected) in cases {
        let data = body(size);
        assert_eq!(tree_hash(&data).to_hex(), expected, "size {size}");
        assert_eq!(reference(&data), expected, "reference, size {size}");
    }
}

#[test]
fn up_to_one_mib_the_tree_hash_is_the_linear_hash() {
    // One chunk: the root is the chunk's own SHA-256 (x-amz-content-sha256 equals it).
    for size in [0, 1, 4096, MIB] {
        let data = body(size);
        assert_eq!(tree_hash(&data).to_hex(), linear_hash(&data), "size {size}");
    }
    let over = body(MIB + 1);
    assert_ne!(tree_hash(&over).to_hex(), linear_hash(&over));
}

#[test]
fn chunks_are_one_mib_and_the_last_may_be_short() {
    assert_eq!(CHUNK_SIZE, MIB);
    assert_eq!(chunk_hashes(&body(3 * MIB + MIB / 2)).len(), 4);
    assert_eq!(chunk_hashes(&[]).len(), 1);
}

#[test]
fn three_and_a_half_mib_matches_a_hand_built_tree() {
    // The 3.5 MiB case spelled out: ((h0,h1),(h2,h3)) where h3 hashes the last half chunk.
    let data = body(3 * MIB + MIB / 2);
    let h: Vec<[u8; 32]> = data.chunks(MIB).map(|c| Sha256::digest(c).into()).collect();
    let pair = |a: &[u8; 32], b: &[u8; 32]| -> [u8; 32] {
        let mut s = Sha256::new();
        s.update(a);
        s.update(b);
        s.finalize().into()
    };
    let root = pair(&pair(&h[0], &h[1]), &pair(&h[2], &h[3]));
    assert_eq!(tree_hash(&data).0, root);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn crate_and_recursive_reference_agree(chunks in 1usize..12, tail in 0usize..2048) {
            // Small chunk counts with a ragged tail, scaled down by hashing synthetic leaves.
            let leaves: Vec<[u8; 32]> = (0..chunks + usize::from(tail > 0))
                .map(|i| Sha256::digest(i.to_be_bytes()).into())
                .collect();
            let ours = s3pg_glacier::treehash::combine(leaves.clone());
            prop_assert_eq!(ours.0, recursive_root(&leaves));
        }
    }
}
