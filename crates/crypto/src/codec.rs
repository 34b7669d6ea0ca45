//! Text forms for bytes in serialized values: hex for short fixed values (nonces, tags, salts),
//! base64 for keys and bodies, base32 for MFA seeds. Used through `#[serde(with = …)]`.

use data_encoding::BASE64;
use data_encoding::HEXLOWER;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

/// `[u8; N]` as lowercase hex.
pub(crate) mod hex_array {
    use super::*;

    pub(crate) fn serialize<S: Serializer, const N: usize>(
        bytes: &[u8; N],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(&HEXLOWER.encode(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        d: D,
    ) -> Result<[u8; N], D::Error> {
        let text = String::deserialize(d)?;
        let bytes = HEXLOWER
            .decode(text.as_bytes())
            .map_err(|_| D::Error::custom(format!("`{text}` is not lowercase hex")))?;
        <[u8; N]>::try_from(bytes.as_slice())
            .map_err(|_| D::Error::custom(format!("expected {N} bytes, found {}", bytes.len())))
    }
}

/// `Vec<u8>` as standard base64.
pub(crate) mod base64_vec {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&BASE64.encode(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        BASE64
            .decode(text.as_bytes())
            .map_err(|_| D::Error::custom("value is not valid base64"))
    }
}

/// `Vec<u8>` as RFC 4648 base32 without padding (an MFA `Base32StringSeed`).
pub(crate) mod base32_vec {
    use super::*;
    use data_encoding::BASE32_NOPAD;

    pub(crate) fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&BASE32_NOPAD.encode(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        BASE32_NOPAD
            .decode(text.as_bytes())
            .map_err(|_| D::Error::custom("value is not valid base32"))
    }
}
