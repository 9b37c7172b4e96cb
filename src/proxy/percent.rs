//! Percent-decoding (RFC 3986 section 2.1), the input preparation of the URL-encoded formats.

use alloc::vec::Vec;

use super::error::Reason;

/// Decodes `%XX` escapes (either case); every other byte is itself. `+` is not a space: that
/// rule belongs to HTML forms, and base64 uses `+`. Surrounding whitespace is trimmed first.
pub(crate) fn percent_decode(value: &[u8]) -> Result<Vec<u8>, Reason> {
    decode(value, false)
}

/// [`percent_decode`] for URL-encoded PEM, without its escaped line breaks (`%0A`, `%0D`):
/// RFC 7468 section 3, whitespace in the text is not data, and a PEM block on one line is
/// read as one (its boundaries stay found: they are text, not line breaks). The PEM reader
/// then copies the base64 at once instead of line by line.
pub(crate) fn percent_decode_unfolded(value: &[u8]) -> Result<Vec<u8>, Reason> {
    decode(value, true)
}

fn decode(value: &[u8], unfold: bool) -> Result<Vec<u8>, Reason> {
    let value = value.trim_ascii();
    if value.is_empty() {
        return Err(Reason::Empty);
    }
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    // Copy each run of plain bytes at once, then decode the escape that ends it.
    while let Some(rest) = value.get(i..).filter(|r| !r.is_empty()) {
        let run = memchr::memchr(b'%', rest).unwrap_or(rest.len());
        out.extend_from_slice(rest.get(..run).unwrap_or_default());
        i += run;
        if i == value.len() {
            break;
        }
        let hex = |at: usize| value.get(at).copied().and_then(hex_digit);
        match (hex(i + 1), hex(i + 2)) {
            (Some(hi), Some(lo)) => {
                let byte = hi << 4 | lo;
                if !(unfold && matches!(byte, b'\n' | b'\r')) {
                    out.push(byte);
                }
                i += 3;
            }
            // A literal `%` must itself be escaped: a bare one means the value was not
            // URL-encoded, or was cut.
            _ => return Err(Reason::BadPercentEscape { position: i }),
        }
    }
    Ok(out)
}

/// The value of a hex digit, either case.
pub(crate) fn hex_digit(digit: u8) -> Option<u8> {
    match digit {
        d @ b'0'..=b'9' => Some(d - b'0'),
        d @ b'a'..=b'f' => Some(d - b'a' + 10),
        d @ b'A'..=b'F' => Some(d - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-at-a-time rule the run-copying decoder implements.
    fn percent_decode_reference(value: &[u8]) -> Result<Vec<u8>, Reason> {
        let value = value.trim_ascii();
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(&b) = value.get(i) {
            if b == b'%' {
                let hex = |at: usize| value.get(at).and_then(|d| char::from(*d).to_digit(16));
                let (Some(hi), Some(lo)) = (hex(i + 1), hex(i + 2)) else {
                    return Err(Reason::BadPercentEscape { position: i });
                };
                out.push(u8::try_from(hi * 16 + lo).unwrap());
                i += 3;
            } else {
                out.push(b);
                i += 1;
            }
        }
        Ok(out)
    }

    #[test]
    fn unfolded_drops_escaped_line_breaks_only() {
        let value = b"-----BEGIN%20X-----%0D%0AAB%2BC%0A-----END%20X-----%0A";
        assert_eq!(
            percent_decode_unfolded(value).unwrap(),
            b"-----BEGIN X-----AB+C-----END X-----"
        );
        assert_eq!(
            percent_decode(value).unwrap(),
            b"-----BEGIN X-----\r\nAB+C\n-----END X-----\n"
        );
    }

    #[test]
    fn plus_is_not_a_space() {
        assert_eq!(percent_decode(b"a+b%20c").unwrap(), b"a+b c");
    }

    proptest::proptest! {
        #[test]
        fn percent_decode_matches_the_rule(
            value in proptest::collection::vec(
                proptest::sample::select(b"%%2Ab0 +zZ\n".to_vec()), 1..60)
        ) {
            if !value.trim_ascii().is_empty() {
                proptest::prop_assert_eq!(percent_decode(&value), percent_decode_reference(&value));
            }
        }
    }
}
