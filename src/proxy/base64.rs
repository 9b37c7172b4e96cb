//! The standard base64 alphabet (RFC 4648 section 4) as RFC 8941 Byte Sequences and the bare
//! base64 formats carry it, decoded by `base64-simd`.
//!
//! Certificates are public, so this path need not be constant-time (`base64ct` is the crate's
//! strict, constant-time decoder); it is the forwarded-certificate hot path, which must cost
//! less than the SHA-256 that follows it. `base64-simd` picks SSSE3, AVX2 or NEON at run time
//! (with `std`).
//!
//! * The canonical form every proxy sends (padded, or unpadded with zero pad bits) goes to its
//!   strict decoder.
//! * Anything that refuses goes to its WHATWG "forgiving" decoder, which also accepts non-zero
//!   pad bits (RFC 8941 section 4.2.7: "parsers SHOULD NOT fail when non-zero pad bits are
//!   present") but removes ASCII whitespace first: the input preparation here refuses
//!   whitespace before that ("parsers MUST fail on characters outside the base64 alphabet and
//!   on line feeds in encoded data").
//! * A text both refuse is then classified, for the error, by its first byte outside the
//!   alphabet.

use alloc::vec::Vec;

use super::error::{Reason, escape_for_display};

/// Why a base64 text did not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base64Error {
    /// A byte outside `A-Z a-z 0-9 + / =`, at this offset of the text.
    InvalidCharacter { position: usize, byte: u8 },
    /// `=` somewhere other than the last one or two places of a text whose length is a
    /// multiple of 4.
    Padding,
    /// The length leaves a single character over: no whole byte is encoded by it.
    Length,
}

/// The [`Reason`] for a base64 error, positions shifted by `offset` (where the text starts
/// in the value).
pub(crate) fn reason(e: Base64Error, offset: usize) -> Reason {
    match e {
        Base64Error::InvalidCharacter {
            position,
            byte: b'\n' | b'\r',
        } => Reason::LineBreak {
            position: offset.saturating_add(position),
        },
        Base64Error::InvalidCharacter { position, byte } => Reason::InvalidCharacter {
            position: offset.saturating_add(position),
            found: escape_for_display(&[byte], 1),
        },
        Base64Error::Padding => Reason::Padding,
        Base64Error::Length => Reason::Length,
    }
}

/// Decodes standard base64, `=` padding optional (RFC 8941 section 4.2.7: "parsers SHOULD
/// NOT fail when "=" padding is not present"), non-zero pad bits accepted. Anything outside
/// the alphabet, line feeds and whitespace included, fails.
pub(crate) fn decode(text: &[u8]) -> Result<Vec<u8>, Base64Error> {
    let canonical = if text.len().is_multiple_of(4) {
        &base64_simd::STANDARD
    } else {
        &base64_simd::STANDARD_NO_PAD
    };
    if let Ok(bytes) = canonical.decode_to_vec(text) {
        return Ok(bytes);
    }
    // The forgiving decoder would drop whitespace: refuse it first.
    if let Some(position) = text.iter().position(u8::is_ascii_whitespace) {
        let byte = text.get(position).copied().unwrap_or_default();
        return Err(Base64Error::InvalidCharacter { position, byte });
    }
    base64_simd::forgiving_decode_to_vec(text).map_err(|_| classify(text))
}

/// Why `text` (without whitespace) is not base64: the first byte outside the alphabet (`=`
/// there is misplaced padding), else a length of 4n+1.
fn classify(text: &[u8]) -> Base64Error {
    let in_alphabet = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/');
    match text.iter().position(|b| !in_alphabet(b)) {
        Some(position) => match text.get(position).copied().unwrap_or_default() {
            b'=' => Base64Error::Padding,
            byte => Base64Error::InvalidCharacter { position, byte },
        },
        None if text.len() % 4 == 1 => Base64Error::Length,
        None => Base64Error::Padding,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64ct::{Base64, Encoding};
    use proptest::prelude::*;

    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    #[test]
    fn rfc8941_example() {
        // RFC 8941 section 3.3.5.
        assert_eq!(
            decode(b"cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==").unwrap(),
            b"pretend this is binary content."
        );
        assert_eq!(
            decode(b"cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg").unwrap(),
            b"pretend this is binary content."
        );
    }

    #[test]
    fn rejections() {
        assert_eq!(
            decode(b"ab\ncd"),
            Err(Base64Error::InvalidCharacter {
                position: 2,
                byte: b'\n'
            })
        );
        assert_eq!(
            decode(b"abcd efgh"),
            Err(Base64Error::InvalidCharacter {
                position: 4,
                byte: b' '
            })
        );
        assert_eq!(
            decode(b"ab-_"),
            Err(Base64Error::InvalidCharacter {
                position: 2,
                byte: b'-'
            })
        );
        assert_eq!(decode(b"a"), Err(Base64Error::Length));
        assert_eq!(decode(b"abcde"), Err(Base64Error::Length));
        assert_eq!(decode(b"ab="), Err(Base64Error::Padding));
        assert_eq!(decode(b"a==="), Err(Base64Error::Padding));
        assert_eq!(decode(b"ab=c"), Err(Base64Error::Padding));
        assert_eq!(decode(b"").unwrap(), b"");
        // Non-zero pad bits are accepted (RFC 8941 section 4.2.7).
        assert_eq!(decode(b"QR==").unwrap(), b"A");
        assert_eq!(decode(b"QR").unwrap(), b"A");
    }

    proptest! {
        #[test]
        fn agrees_with_base64ct(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let padded = Base64::encode_string(&bytes);
            prop_assert_eq!(decode(padded.as_bytes()).unwrap(), bytes.clone());
            let unpadded = padded.trim_end_matches('=');
            prop_assert_eq!(decode(unpadded.as_bytes()).unwrap(), bytes);
        }

        /// Whatever decodes is what base64ct decodes once padding and pad bits are made
        /// canonical; whatever fails holds a byte outside the alphabet, misplaced padding or
        /// an impossible length.
        #[test]
        fn total(
            text in proptest::collection::vec(
                prop_oneof![
                    20 => proptest::sample::select(ALPHABET.to_vec()),
                    1 => proptest::sample::select(b"=-_\n :".to_vec()),
                ],
                0..300,
            ),
        ) {
            match decode(&text) {
                Ok(bytes) => {
                    let body: Vec<u8> = text.iter().copied().filter(|&b| b != b'=').collect();
                    prop_assert!(body.iter().all(|b| ALPHABET.contains(b)));
                    prop_assert_eq!(bytes.len(), body.len() * 3 / 4);
                    let again = Base64::encode_string(&bytes);
                    // Same bytes: re-encoding changes at most the last character (pad bits).
                    prop_assert_eq!(&again.as_bytes()[..body.len().saturating_sub(1)], &body[..body.len().saturating_sub(1)]);
                }
                Err(Base64Error::InvalidCharacter { position, byte }) => {
                    prop_assert_eq!(text[position], byte);
                    prop_assert!(!ALPHABET.contains(&byte) && byte != b'=');
                }
                Err(_) => {}
            }
        }

        /// Every unpadded encoding with flipped pad bits decodes to the same bytes.
        #[test]
        fn pad_bits(bytes in proptest::collection::vec(any::<u8>(), 1..200)) {
            let padded = Base64::encode_string(&bytes);
            let unpadded = padded.trim_end_matches('=');
            if let Some(last) = unpadded.bytes().last().filter(|_| bytes.len() % 3 != 0) {
                let value = ALPHABET.iter().position(|&c| c == last).unwrap();
                let flipped = ALPHABET[value ^ 1];
                let mut text = unpadded.as_bytes().to_vec();
                if let Some(end) = text.last_mut() { *end = flipped; }
                prop_assert_eq!(decode(&text).unwrap(), bytes.clone());
                let mut padded = text.clone();
                padded.resize(padded.len().next_multiple_of(4), b'=');
                prop_assert_eq!(decode(&padded).unwrap(), bytes);
            }
        }
    }
}
