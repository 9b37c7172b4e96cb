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
        let run = plain_run(rest);
        out.extend_from_slice(rest.get(..run).unwrap_or_default());
        i += run;
        if i == value.len() {
            break;
        }
        let escape = match value.get(i + 1..i + 3) {
            Some(&[hi, lo]) => hex_pair(hi, lo),
            _ => None,
        };
        match escape {
            Some(byte) => {
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

/// The length of `bytes`' start without a `%`, eight bytes at a time: escapes are a few
/// bytes apart in URL-encoded base64 (every `+`, `/` and line break), too close for a SIMD
/// search to pay for its setup.
fn plain_run(bytes: &[u8]) -> usize {
    let (chunks, tail) = bytes.as_chunks::<8>();
    for (n, chunk) in chunks.iter().enumerate() {
        let percents = percents(chunk);
        if percents != 0 {
            return n * 8 + (percents.trailing_zeros() / 8) as usize;
        }
    }
    let tail_run = tail.iter().position(|b| *b == b'%').unwrap_or(tail.len());
    chunks.len() * 8 + tail_run
}

/// Eight bytes' `%`s, tested at once: zero when there is none, else the lowest set bit is
/// the high bit of the first `%`.
fn percents(chunk: &[u8; 8]) -> u64 {
    const ONES: u64 = u64::MAX / 255;
    // Bytes equal to `%` become zero; Mycroft's test marks the first zero byte exactly (false
    // marks only above a true one).
    let x = u64::from_le_bytes(*chunk) ^ (ONES * u64::from(b'%'));
    x.wrapping_sub(ONES) & !x & (ONES << 7)
}

/// Two hex digits (either case) as the byte they spell.
pub(crate) fn hex_pair(hi: u8, lo: u8) -> Option<u8> {
    let digit = |d: u8| HEX.get(usize::from(d)).copied().unwrap_or(NOT_HEX);
    let (hi, lo) = (digit(hi), digit(lo));
    // Digit values are below 16; `NOT_HEX` has the high bit set.
    ((hi | lo) & NOT_HEX == 0).then_some(hi << 4 | lo)
}

/// [`HEX`]'s mark for a byte that is not a hex digit.
const NOT_HEX: u8 = 0x80;

/// Each byte's value as a hex digit, or [`NOT_HEX`]: a lookup instead of three range tests
/// (escapes are dense in URL-encoded PEM, and a fingerprint is 64 digits).
#[expect(
    clippy::indexing_slicing,
    reason = "evaluated when compiling: an index out of range fails the build, never a request"
)]
static HEX: [u8; 256] = {
    let mut table = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

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
        fn plain_run_stops_at_the_first_percent(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![proptest::prelude::any::<u8>(), proptest::strategy::Just(b'%')],
                0..40)
        ) {
            let first = bytes.iter().position(|b| *b == b'%').unwrap_or(bytes.len());
            proptest::prop_assert_eq!(plain_run(&bytes), first);
        }

        #[test]
        fn percents_marks_the_first_percent(
            chunk in proptest::array::uniform8(
                proptest::prop_oneof![proptest::prelude::any::<u8>(), proptest::strategy::Just(b'%')])
        ) {
            let first = chunk.iter().position(|b| *b == b'%').unwrap_or(8);
            proptest::prop_assert_eq!(percents(&chunk).trailing_zeros() / 8, u32::try_from(first).unwrap());
        }

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
