//! Object keys as the access log writes them: URL-encoded (unreserved characters and `/` kept),
//! and read back. Shared by the log record and the request line it shows.
//!
//! Follows the Key field of <https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html>.

/// URL-encodes a key the way the log's Key field shows it: unreserved characters and `/` stay,
/// everything else becomes `%XX` (UTF-8 bytes, uppercase hex) [SIM: AWS documents "URL encoded"
/// without the exact set].
pub fn encode_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Reverses [`encode_key`] (and any other `%XX` encoding); invalid escapes are kept as written.
pub fn decode_key(encoded: &str) -> String {
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(hex) = encoded.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
