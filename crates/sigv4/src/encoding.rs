//! SigV4's `UriEncode`, percent-decoding and path normalisation.
//!
//! `UriEncode` keeps the unreserved characters `A–Z a–z 0–9 - . _ ~` and writes every other byte of
//! the UTF-8 text as `%XX` with uppercase hex; a space is `%20`, never `+`; `/` is kept only in the
//! path of the canonical URI. S3 encodes an object key exactly once and never normalises its path
//! (`a//b/./c` is a different key from `a/b/c`); other services normalise the path and encode it a
//! second time. Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html>
//! (section "Task 1: Create a Canonical Request") and
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>.

// One uppercase hex digit of a nibble (`n` < 16).
fn hex_upper(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'A' + (n - 10) })
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// `UriEncode(bytes)`: unreserved bytes kept, `/` kept when `keep_slash`, every other byte `%XX`.
pub fn uri_encode_bytes(input: &[u8], keep_slash: bool) -> String {
    let mut out = String::with_capacity(input.len() * 3);
    for &byte in input {
        if is_unreserved(byte) || (keep_slash && byte == b'/') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(hex_upper(byte >> 4));
            out.push(hex_upper(byte & 0x0f));
        }
    }
    out
}

/// `UriEncode(text)` of the UTF-8 bytes of `input`; `keep_slash` is true only for a URI path.
pub fn uri_encode(input: &str, keep_slash: bool) -> String {
    uri_encode_bytes(input.as_bytes(), keep_slash)
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits is kept as it is (as servers do).
/// `+` is left alone: in SigV4 query strings a space is always `%20`.
pub fn percent_decode(input: &str) -> Vec<u8> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let hi = bytes.get(i + 1).copied().and_then(hex_value);
            let lo = bytes.get(i + 2).copied().and_then(hex_value);
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(byte);
        i += 1;
    }
    out
}

/// Percent-decodes and reads the result as UTF-8, replacing invalid sequences.
pub fn percent_decode_lossy(input: &str) -> String {
    String::from_utf8_lossy(&percent_decode(input)).into_owned()
}

/// RFC 3986 dot-segment removal plus collapsing of empty segments, as the generic SigV4 suite
/// expects (`//example//` → `/example/`, `/a/b/../..` → `/`). S3 must never call this.
pub fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let pieces: Vec<&str> = path.split('/').collect();
    for piece in &pieces {
        match *piece {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let last = pieces.last().copied().unwrap_or("");
    let trailing = matches!(last, "" | "." | "..");
    let mut out = String::with_capacity(path.len());
    out.push('/');
    out.push_str(&segments.join("/"));
    if trailing && !segments.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encode_table() {
        let cases = [
            ("test.txt", true, "test.txt"),
            ("a b", true, "a%20b"),
            ("a+b", true, "a%2Bb"),
            ("100%", true, "100%25"),
            ("dir/sub/file", true, "dir/sub/file"),
            ("dir/sub/file", false, "dir%2Fsub%2Ffile"),
            ("~tilde-._", true, "~tilde-._"),
            ("é", true, "%C3%A9"),
            ("ሴ", false, "%E1%88%B4"),
            ("a=b&c", false, "a%3Db%26c"),
            ("*!'()", false, "%2A%21%27%28%29"),
        ];
        for (input, keep_slash, expected) in cases {
            assert_eq!(uri_encode(input, keep_slash), expected, "{input}");
        }
    }

    #[test]
    fn percent_decode_table() {
        assert_eq!(percent_decode_lossy("a%20b"), "a b");
        assert_eq!(percent_decode_lossy("%E1%88%B4"), "ሴ");
        assert_eq!(percent_decode_lossy("%e1%88%b4"), "ሴ");
        assert_eq!(percent_decode_lossy("100%"), "100%");
        assert_eq!(percent_decode_lossy("%zz"), "%zz");
        assert_eq!(percent_decode_lossy("a+b"), "a+b");
    }

    #[test]
    fn normalize_path_table() {
        let cases = [
            ("/", "/"),
            ("//", "/"),
            ("/./", "/"),
            ("/./example", "/example"),
            ("//example//", "/example/"),
            ("/example/..", "/"),
            ("/example1/example2/../..", "/"),
            ("/a/b/../c", "/a/c"),
            ("/example space/", "/example space/"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_path(input), expected, "{input}");
        }
    }
}
