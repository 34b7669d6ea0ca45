//! The SHA-256 tree hash Glacier requires with every upload (`x-amz-sha256-tree-hash`).
//!
//! Follows "Computing Checksums"
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/checksum-calculations.html>): hash each
//! 1 MiB chunk (the last may be shorter), then repeatedly hash the concatenation of neighbouring
//! pairs, carrying an odd last node up unchanged, until one root remains. An empty payload has a
//! single empty chunk, so its tree hash is the SHA-256 of nothing.

use sha2::{Digest, Sha256};

/// Chunk size of the tree's leaves: 1 MiB.
pub const CHUNK_SIZE: usize = 1024 * 1024;

/// A SHA-256 tree hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TreeHash(pub [u8; 32]);

impl TreeHash {
    /// Lower-case hex, the form of the `x-amz-sha256-tree-hash` header.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }
}

impl std::fmt::Display for TreeHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// The leaves: the SHA-256 of each 1 MiB chunk of `body` (one empty chunk for an empty body).
#[must_use]
pub fn chunk_hashes(body: &[u8]) -> Vec<[u8; 32]> {
    if body.is_empty() {
        return vec![Sha256::digest(b"").into()];
    }
    body.chunks(CHUNK_SIZE)
        .map(|chunk| Sha256::digest(chunk).into())
        .collect()
}

/// Combines leaves level by level into the root.
#[must_use]
pub fn combine(mut level: Vec<[u8; 32]>) -> TreeHash {
    // INVARIANT: `level` is never empty (`chunk_hashes` yields at least one leaf, and each pass
    // yields ceil(n/2) ≥ 1 nodes).
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [left, right] => {
                    let mut h = Sha256::new();
                    h.update(left);
                    h.update(right);
                    h.finalize().into()
                }
                // An odd node out is promoted to the next level as it is.
                [single] => *single,
                _ => [0; 32],
            })
            .collect();
    }
    TreeHash(level.first().copied().unwrap_or_default())
}

/// The SHA-256 tree hash of a whole payload.
#[must_use]
pub fn tree_hash(body: &[u8]) -> TreeHash {
    combine(chunk_hashes(body))
}

/// The plain (linear) SHA-256 of the payload, the `x-amz-content-sha256` header.
#[must_use]
pub fn linear_hash(body: &[u8]) -> String {
    hex(&Sha256::digest(body))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
