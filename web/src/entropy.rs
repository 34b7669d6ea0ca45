//! The browser's randomness for the core: the core never draws random bytes itself (so tests are
//! reproducible); the page hands it `crypto.getRandomValues`, as the Web Crypto API specifies.

use s3pg_crypto::{Entropy, SeededEntropy};

/// `crypto.getRandomValues`, in chunks of at most 65,536 bytes (the API's limit per call).
pub struct BrowserEntropy {
    fallback: Option<SeededEntropy>,
}

impl BrowserEntropy {
    /// Uses the page's Web Crypto; where none exists (never in a supported browser), a stream
    /// seeded from the clock so the lab still works, with keys that are not secret.
    pub fn new() -> Self {
        let has_crypto = web_sys::window().and_then(|w| w.crypto().ok()).is_some();
        let fallback =
            (!has_crypto).then(|| SeededEntropy::from_seed(&js_sys::Date::now().to_le_bytes()));
        BrowserEntropy { fallback }
    }
}

impl Default for BrowserEntropy {
    fn default() -> Self {
        Self::new()
    }
}

impl Entropy for BrowserEntropy {
    fn fill(&mut self, dest: &mut [u8]) {
        if let Some(seeded) = self.fallback.as_mut() {
            seeded.fill(dest);
            return;
        }
        let crypto = web_sys::window().and_then(|w| w.crypto().ok());
        for chunk in dest.chunks_mut(65_536) {
            let filled = crypto
                .as_ref()
                .is_some_and(|c| c.get_random_values_with_u8_array(chunk).is_ok());
            if !filled {
                let seed = js_sys::Date::now().to_le_bytes();
                SeededEntropy::from_seed(&seed).fill(chunk);
            }
        }
    }
}
