//! Decoding the standard base64 alphabet (RFC 4648 section 4) as RFC 8941 Byte Sequences
//! carry it.
//!
//! Certificates are public, so unlike `base64ct` this decoder is not constant-time: it is the
//! forwarded-certificate hot path, which must cost less than the SHA-256 that follows it. Two
//! decoders share the work:
//!
//! * the canonical form every proxy sends (padded, or unpadded, with zero pad bits) goes to
//!   `base64-simd`, which picks SSSE3, AVX2 or NEON at run time (with `std`) and decodes a
//!   1 KB certificate in a fraction of the SHA-256 time;
//! * anything that decoder refuses is decided by the table-driven decoder here
//!   ([`decode_lenient`]), which also accepts non-zero pad bits (RFC 8941 section 4.2.7) and
//!   names the first invalid character.
//!
//! The fast path accepts a subset of what [`decode_lenient`] accepts, with the same result; the
//! tests below and the `proxy_client_cert` fuzz target hold it to that.

use alloc::vec;
use alloc::vec::Vec;

/// Marks a byte outside the alphabet; every valid entry is below 64, so the high bit of the
/// OR of a chunk's entries tells whether any of them is invalid.
const INVALID: u8 = 0xff;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#[allow(clippy::indexing_slicing)] // Evaluated at compile time: an out-of-range index fails the build.
const fn decode_table() -> [u8; 256] {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
}

/// Bit 31 of a [`SHIFTED`] entry marks a byte outside the alphabet.
const INVALID_BIT: u32 = 1 << 31;

/// One table per position in a 4-character quantum, each value already shifted into place,
/// so a quantum costs four lookups and three ORs.
#[allow(clippy::indexing_slicing)] // Evaluated at compile time: an out-of-range index fails the build.
const fn shifted_tables() -> [[u32; 256]; 4] {
    let plain = decode_table();
    let mut tables = [[INVALID_BIT; 256]; 4];
    let mut b = 0;
    while b < 256 {
        if plain[b] != INVALID {
            let v = plain[b] as u32;
            tables[0][b] = v << 18;
            tables[1][b] = v << 12;
            tables[2][b] = v << 6;
            tables[3][b] = v;
        }
        b += 1;
    }
    tables
}

static DECODE: [u8; 256] = decode_table();
static SHIFTED: [[u32; 256]; 4] = shifted_tables();

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

fn value(b: u8) -> u8 {
    DECODE.get(usize::from(b)).copied().unwrap_or(INVALID)
}

/// Decodes standard base64, `=` padding optional (RFC 8941 section 4.2.7: "parsers SHOULD
/// NOT fail when "=" padding is not present"), non-zero pad bits accepted ("parsers SHOULD
/// NOT fail when non-zero pad bits are present"). Anything outside the alphabet, line feeds
/// and whitespace included, fails ("parsers MUST fail on characters outside the base64
/// alphabet and on line feeds in encoded data").
pub(crate) fn decode(text: &[u8]) -> Result<Vec<u8>, Base64Error> {
    // The canonical form: a whole number of quanta with `=` padding, or no padding at all.
    // base64-simd refuses everything else (misplaced padding, non-zero pad bits, any byte
    // outside the alphabet), and the lenient decoder then has the last word.
    let canonical = if text.len().is_multiple_of(4) {
        &base64_simd::STANDARD
    } else {
        &base64_simd::STANDARD_NO_PAD
    };
    match canonical.decode_to_vec(text) {
        Ok(bytes) => Ok(bytes),
        Err(_) => decode_lenient(text),
    }
}

/// The table-driven decoder behind [`decode`]: the same rules, for every input.
pub(crate) fn decode_lenient(text: &[u8]) -> Result<Vec<u8>, Base64Error> {
    let unpadded = text.strip_suffix(b"==").or_else(|| text.strip_suffix(b"="));
    let body = match unpadded {
        // Padding completes the last quantum: the padded length is a multiple of 4.
        Some(body) if text.len().is_multiple_of(4) => body,
        Some(_) => return Err(Base64Error::Padding),
        None => text,
    };
    let (chunks, tail) = body.as_chunks::<4>();
    let tail_bytes = match tail.len() {
        0 => 0,
        2 => 1,
        3 => 2,
        // One character carries 6 bits, not a byte (but name a bad character first).
        _ => return Err(first_invalid(body).unwrap_or(Base64Error::Length)),
    };
    let len = chunks.len() * 3 + tail_bytes;
    // Two bytes of slack let each step store a whole u64; truncated at the end.
    let mut out = vec![0u8; len + 2];
    let [t0, t1, t2, t3] = &SHIFTED;
    let lookup = |t: &[u32; 256], ch: u8| t.get(usize::from(ch)).copied().unwrap_or(INVALID_BIT);
    let quantum =
        |[a, b, c, d]: [u8; 4]| lookup(t0, a) | lookup(t1, b) | lookup(t2, c) | lookup(t3, d);
    let mut seen_quanta = 0u32;
    // Two quanta at a time: eight characters to six bytes, stored as eight (the last two are
    // overwritten by the next step, or by the slack).
    let (pairs, odd) = chunks.as_chunks::<2>();
    for (&[q1, q2], at) in pairs.iter().zip((0..).step_by(6)) {
        let (n1, n2) = (quantum(q1), quantum(q2));
        seen_quanta |= n1 | n2;
        let word = (u64::from(n1) << 40) | (u64::from(n2) << 16);
        if let Some(dst) = out
            .get_mut(at..at + 8)
            .and_then(|s| <&mut [u8; 8]>::try_from(s).ok())
        {
            *dst = word.to_be_bytes();
        }
    }
    let out_rest = out.get_mut(6 * pairs.len()..).unwrap_or_default();
    // `out_rest` holds 3 bytes per odd quantum plus the tail's, so the split always succeeds.
    let (out_odd, out_tail) = out_rest
        .split_at_mut_checked(3 * odd.len())
        .unwrap_or_default();
    for (&q, o) in odd.iter().zip(out_odd.as_chunks_mut::<3>().0.iter_mut()) {
        let n = quantum(q);
        seen_quanta |= n;
        let [_, x, y, z] = n.to_be_bytes();
        *o = [x, y, z];
    }
    let mut seen = if seen_quanta & INVALID_BIT != 0 {
        INVALID
    } else {
        0
    };
    let mut n = 0u32;
    for (i, &ch) in tail.iter().enumerate() {
        let v = value(ch);
        seen |= v;
        n |= u32::from(v) << (18 - 6 * i);
    }
    let [_, x, y, _] = n.to_be_bytes();
    for (o, v) in out_tail.iter_mut().zip([x, y]) {
        *o = v;
    }
    if seen & 0x80 != 0 {
        return Err(first_invalid(body).unwrap_or(Base64Error::Padding));
    }
    out.truncate(len);
    Ok(out)
}

/// The slow path: names the first byte that is not in the alphabet.
fn first_invalid(body: &[u8]) -> Option<Base64Error> {
    let position = body.iter().position(|&b| value(b) == INVALID)?;
    let byte = body.get(position).copied().unwrap_or(0);
    Some(if byte == b'=' {
        // `=` is in the sf-binary alphabet, but only as trailing padding.
        Base64Error::Padding
    } else {
        Base64Error::InvalidCharacter { position, byte }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64ct::{Base64, Encoding};
    use proptest::prelude::*;

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
    }

    proptest! {
        #[test]
        fn agrees_with_base64ct(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let padded = Base64::encode_string(&bytes);
            prop_assert_eq!(decode(padded.as_bytes()).unwrap(), bytes.clone());
            prop_assert_eq!(decode_lenient(padded.as_bytes()).unwrap(), bytes.clone());
            let unpadded = padded.trim_end_matches('=');
            prop_assert_eq!(decode(unpadded.as_bytes()).unwrap(), bytes.clone());
            prop_assert_eq!(decode_lenient(unpadded.as_bytes()).unwrap(), bytes);
        }

        #[test]
        fn total(text in proptest::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(decode(&text), decode_lenient(&text));
        }

        /// The SIMD fast path never changes an answer: over texts made mostly of the
        /// alphabet, with padding, line feeds and the URL-safe characters mixed in.
        #[test]
        fn fast_path_agrees_with_lenient(
            text in proptest::collection::vec(
                prop_oneof![
                    20 => proptest::sample::select(ALPHABET.to_vec()),
                    1 => proptest::sample::select(b"=-_\n :".to_vec()),
                ],
                0..300,
            ),
        ) {
            prop_assert_eq!(decode(&text), decode_lenient(&text));
        }

        /// Every padded or unpadded encoding decodes, on either path, to the same bytes, and
        /// so does a variant with non-zero pad bits where the length leaves any.
        #[test]
        fn pad_bits(bytes in proptest::collection::vec(any::<u8>(), 1..200)) {
            let padded = Base64::encode_string(&bytes);
            let unpadded = padded.trim_end_matches('=');
            if let Some(last) = unpadded.bytes().last().filter(|_| bytes.len() % 3 != 0) {
                // Flip the lowest bit of the last character: a pad bit (2 or 4 of them).
                let flipped = ALPHABET[usize::from(value(last) ^ 1)];
                let mut text = unpadded.as_bytes().to_vec();
                if let Some(end) = text.last_mut() { *end = flipped; }
                prop_assert_eq!(decode(&text).unwrap(), bytes.clone());
                prop_assert_eq!(decode_lenient(&text).unwrap(), bytes.clone());
            }
        }
    }
}
