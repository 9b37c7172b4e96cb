//! `x5t#S256`: the X.509 certificate SHA-256 thumbprint (RFC 8705 section 3.1).
//!
//! RFC 8705 section 3.1: "The value of the `x5t#S256` member is a base64url-encoded \[RFC4648\]
//! SHA-256 \[SHS\] hash (a.k.a., thumbprint, fingerprint, or digest) of the DER encoding
//! \[X690\] of the X.509 certificate \[RFC5280\]. The base64url-encoded value MUST omit all
//! trailing pad '=' characters and MUST NOT include any line breaks, whitespace, or other
//! additional characters."

use core::fmt;
use core::str::FromStr;

use base64ct::{Base64UrlUnpadded, Encoding};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::cert::{CertificateError, ClientCertificate, check_der_framing};

/// The length in characters of a canonical `x5t#S256` value (32 bytes in unpadded base64url).
pub(crate) const ENCODED_LEN: usize = 43;

/// The longest input [`Thumbprint::from_str`] examines; longer inputs are rejected as
/// [`ThumbprintError::TooLong`] without being scanned.
const MAX_INPUT_LEN: usize = 256;

/// A certificate's `x5t#S256` thumbprint: the SHA-256 digest of its DER encoding.
///
/// Equality is constant time (`subtle`), so comparing the thumbprint carried by a token with
/// the one computed from the connection's certificate leaks nothing through timing.
/// `Display` writes the canonical unpadded base64url form; `FromStr` and `Deserialize` accept
/// only that form and say what is wrong with anything else.
///
/// ```
/// use rfc8705::Thumbprint;
///
/// // RFC 8705 Appendix A.
/// let t: Thumbprint = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0".parse()?;
/// assert_eq!(t.to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
/// assert_eq!(t.as_bytes()[..2], [0x03, 0x80]);
/// # Ok::<(), rfc8705::ThumbprintError>(())
/// ```
#[derive(Clone, Copy)]
pub struct Thumbprint([u8; 32]);

impl Thumbprint {
    /// The length in characters of the canonical `x5t#S256` text: 32 bytes in unpadded
    /// base64url.
    pub const ENCODED_LEN: usize = ENCODED_LEN;

    /// Computes the thumbprint of a DER-encoded certificate, exactly as received.
    ///
    /// This hashes the bytes and does not parse the certificate: it is the resource server's
    /// hot path, one SHA-256 and no allocation. It checks only that the input is one complete
    /// DER `SEQUENCE` (constant work), which catches the common mistakes of hashing PEM text,
    /// a truncated buffer or a buffer with trailing bytes. Use
    /// [`ClientCertificate::thumbprint`](crate::ClientCertificate::thumbprint) when the
    /// certificate is already parsed.
    ///
    /// ```
    /// use rfc8705::Thumbprint;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let t = Thumbprint::from_der(&der)?;
    /// assert_eq!(t.to_string(), "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0");
    /// # Ok::<(), rfc8705::CertificateError>(())
    /// ```
    pub fn from_der(der: &[u8]) -> Result<Self, CertificateError> {
        check_der_framing(der)?;
        Ok(Self::digest_of(der))
    }

    /// SHA-256 over bytes the caller vouches for as a certificate's DER.
    pub(crate) fn digest_of(der: &[u8]) -> Self {
        Self(Sha256::digest(der).into())
    }

    /// Wraps a 32-byte SHA-256 digest computed elsewhere.
    pub const fn from_bytes(digest: [u8; 32]) -> Self {
        Self(digest)
    }

    /// The 32 digest bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Writes the canonical base64url form into `buf` without allocating and returns it.
    pub(crate) fn encode_to<'b>(&self, buf: &'b mut [u8; ENCODED_LEN]) -> &'b str {
        // 32 bytes always encode to exactly 43 unpadded characters, so the buffer is large
        // enough and the error branch cannot be taken; it still returns a value, not a panic.
        Base64UrlUnpadded::encode(&self.0, buf).unwrap_or_default()
    }

    /// Compares in constant time with another thumbprint; `==` calls this.
    pub(crate) fn ct_eq(&self, other: &Thumbprint) -> bool {
        // Four 64-bit words through `subtle`'s slice comparison: one barrier per word rather
        // than per byte.
        bool::from(words(&self.0).as_slice().ct_eq(words(&other.0).as_slice()))
    }

    /// Whether this is the thumbprint of `der`, without allocating: one SHA-256 and a
    /// constant-time 32-byte comparison. The DER is not parsed or framed here.
    #[cfg(feature = "http")]
    pub(crate) fn matches_der(&self, der: &[u8]) -> bool {
        self.ct_eq(&Self::digest_of(der))
    }
}

fn words(bytes: &[u8; 32]) -> [u64; 4] {
    let (chunks, _) = bytes.as_chunks::<8>();
    let mut out = [0u64; 4];
    for (w, c) in out.iter_mut().zip(chunks) {
        *w = u64::from_ne_bytes(*c);
    }
    out
}

impl ClientCertificate<'_> {
    /// The certificate's `x5t#S256` thumbprint: SHA-256 over the DER as received.
    pub fn thumbprint(&self) -> Thumbprint {
        Thumbprint::digest_of(self.der())
    }
}

impl PartialEq for Thumbprint {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other)
    }
}

impl Eq for Thumbprint {}

impl core::hash::Hash for Thumbprint {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl fmt::Display for Thumbprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; ENCODED_LEN];
        f.write_str(self.encode_to(&mut buf))
    }
}

impl fmt::Debug for Thumbprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Thumbprint({self})")
    }
}

/// Why a string is not a valid SHA-256 thumbprint: an `x5t#S256` value (RFC 8705), a DPoP
/// `jkt` (RFC 9449) or an issuer SPKI pin. The messages say "the thumbprint"; the error that
/// carries one names the member.
///
/// Each variant names the likely mistake, because most bad thumbprints are a correct digest
/// in the wrong format.
///
/// ```
/// use rfc8705::{Thumbprint, ThumbprintError};
///
/// let hex = "0380ed2f626650c840b2f263e6d2b29fae12ab39ae5db32b25ad27efad72e6fd";
/// assert_eq!(hex.parse::<Thumbprint>(), Err(ThumbprintError::HexDigest));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ThumbprintError {
    /// The value is empty.
    #[error("the thumbprint is empty")]
    Empty,
    /// The value is far longer than any thumbprint.
    #[error(
        "the thumbprint is {len} bytes long; a SHA-256 thumbprint is {ENCODED_LEN} base64url characters"
    )]
    TooLong {
        /// The input length in bytes.
        len: usize,
    },
    /// The value ends with `=` padding, which RFC 8705 section 3.1 forbids (and RFC 7515
    /// section 2's base64url, which RFC 9449 uses for `jkt`, omits).
    #[error(
        "the thumbprint has '=' padding; base64url omits it (RFC 8705 section 3.1, RFC 7515 section 2)"
    )]
    Padded,
    /// The value contains whitespace or a line break.
    #[error(
        "the thumbprint contains whitespace or a line break at byte {position}; base64url holds none (RFC 8705 section 3.1, RFC 7515 section 2)"
    )]
    Whitespace {
        /// Byte offset of the first whitespace character.
        position: usize,
    },
    /// The value uses `+` or `/`, the standard base64 alphabet instead of base64url.
    #[error(
        "the thumbprint contains '{found}' at byte {position}: this is standard base64, not base64url ('-' and '_')"
    )]
    StandardAlphabet {
        /// Byte offset of the first `+` or `/`.
        position: usize,
        /// The character found (`+` or `/`).
        found: char,
    },
    /// The value is a hex SHA-256 digest (as printed by `openssl dgst` or carried in Envoy's
    /// XFCC `Hash`), not base64url.
    #[error(
        "the thumbprint is a hex SHA-256 digest; it must be the base64url encoding of the 32 digest bytes"
    )]
    HexDigest,
    /// The value is a colon-separated hex fingerprint, as `openssl x509 -fingerprint` prints.
    #[error(
        "the thumbprint is a colon-separated hex fingerprint; it must be the base64url encoding of the SHA-256 digest bytes"
    )]
    ColonHexFingerprint,
    /// The value has the length of a SHA-1 digest: probably the `x5t` (SHA-1) member, which
    /// RFC 8705 does not accept in place of `x5t#S256`.
    #[error(
        "the thumbprint has the length of a SHA-1 digest (an `x5t` value?); it must be SHA-256"
    )]
    Sha1Length,
    /// The value contains a character outside the base64url alphabet.
    #[error(
        "the thumbprint contains a character outside the base64url alphabet at byte {position}"
    )]
    InvalidCharacter {
        /// Byte offset of the first invalid character.
        position: usize,
    },
    /// The value is base64url but does not encode exactly 32 bytes.
    #[error("the thumbprint is {len} characters long; a SHA-256 thumbprint is {ENCODED_LEN}")]
    WrongLength {
        /// The input length in characters.
        len: usize,
    },
    /// The last character has non-zero trailing bits, so the value is not the canonical
    /// encoding of any 32 bytes.
    #[error(
        "the thumbprint is not canonical base64url: its last character has non-zero trailing bits"
    )]
    NonCanonical,
}

/// Classifies an input that is not a valid thumbprint; used only after the fast path failed.
fn classify_invalid(s: &str) -> ThumbprintError {
    let bytes = s.as_bytes();
    if let Some(position) = bytes.iter().position(|b| b.is_ascii_whitespace()) {
        // RFC 8705 section 3.1: "MUST NOT include any line breaks, whitespace".
        return ThumbprintError::Whitespace { position };
    }
    if bytes.ends_with(b"=") {
        // RFC 8705 section 3.1: "MUST omit all trailing pad '=' characters".
        return ThumbprintError::Padded;
    }
    let is_hex = |b: &u8| b.is_ascii_hexdigit();
    if bytes.contains(&b':') && bytes.iter().all(|b| *b == b':' || is_hex(b)) {
        return ThumbprintError::ColonHexFingerprint;
    }
    if bytes.iter().all(is_hex) {
        return match bytes.len() {
            64 => ThumbprintError::HexDigest,
            40 => ThumbprintError::Sha1Length,
            len => ThumbprintError::WrongLength { len },
        };
    }
    if let Some(position) = bytes.iter().position(|b| *b == b'+' || *b == b'/') {
        let found = if bytes.get(position) == Some(&b'+') {
            '+'
        } else {
            '/'
        };
        return ThumbprintError::StandardAlphabet { position, found };
    }
    let url_safe = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_';
    if let Some(position) = bytes.iter().position(|b| !url_safe(b)) {
        return ThumbprintError::InvalidCharacter { position };
    }
    match bytes.len() {
        // 20 bytes of SHA-1 in unpadded base64url: the `x5t` member.
        27 => ThumbprintError::Sha1Length,
        ENCODED_LEN => ThumbprintError::NonCanonical,
        len => ThumbprintError::WrongLength { len },
    }
}

impl FromStr for Thumbprint {
    type Err = ThumbprintError;

    /// Parses the canonical unpadded base64url form, strictly.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(ThumbprintError::Empty);
        }
        if s.len() > MAX_INPUT_LEN {
            return Err(ThumbprintError::TooLong { len: s.len() });
        }
        decode_canonical(s.as_bytes()).ok_or_else(|| classify_invalid(s))
    }
}

/// Decodes the canonical unpadded base64url encoding of 32 bytes, or returns `None`.
///
/// RFC 8705 section 3.1: "The base64url-encoded value MUST omit all trailing pad '='
/// characters and MUST NOT include any line breaks, whitespace, or other additional
/// characters." `base64ct` accepts only the 64 base64url characters and, as RFC 4648 section
/// 3.5 allows, refuses non-zero pad bits, so each digest has one text (the one `Display`
/// writes).
fn decode_canonical(s: &[u8]) -> Option<Thumbprint> {
    let mut out = [0u8; 32];
    match Base64UrlUnpadded::decode(s, &mut out) {
        Ok(decoded) if decoded.len() == 32 => Some(Thumbprint(out)),
        _ => None,
    }
}

impl serde::Serialize for Thumbprint {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; ENCODED_LEN];
        serializer.serialize_str(self.encode_to(&mut buf))
    }
}

impl<'de> serde::Deserialize<'de> for Thumbprint {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Thumbprint;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an x5t#S256 thumbprint (43 base64url characters)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Thumbprint, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    const APPENDIX_A: &str = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0";

    fn parse(s: &str) -> Result<Thumbprint, ThumbprintError> {
        s.parse()
    }

    #[test]
    fn round_trips_the_rfc_vector() {
        let t = parse(APPENDIX_A).unwrap();
        assert_eq!(t.to_string(), APPENDIX_A);
        assert_eq!(
            t.as_bytes()[..],
            [
                0x03, 0x80, 0xed, 0x2f, 0x62, 0x66, 0x50, 0xc8, 0x40, 0xb2, 0xf2, 0x63, 0xe6, 0xd2,
                0xb2, 0x9f, 0xae, 0x12, 0xab, 0x39, 0xae, 0x5d, 0xb3, 0x2b, 0x25, 0xad, 0x27, 0xef,
                0xad, 0x72, 0xe6, 0xfd
            ]
        );
    }

    #[test]
    fn every_parse_error_is_named() {
        use ThumbprintError::*;
        assert_eq!(parse(""), Err(Empty));
        assert_eq!(parse(&"A".repeat(300)), Err(TooLong { len: 300 }));
        assert_eq!(parse(&alloc::format!("{APPENDIX_A}=")), Err(Padded));
        assert_eq!(
            parse(&alloc::format!(" {APPENDIX_A}")),
            Err(Whitespace { position: 0 })
        );
        assert_eq!(
            parse(&alloc::format!("{APPENDIX_A}\n")),
            Err(Whitespace { position: 43 })
        );
        // RFC 9440 Appendix A intermediate: its thumbprint contains '_' -> '/' in base64.
        assert_eq!(
            parse("6H31tD6/m4nKKyu/MaTnrVpA1ATPuy/MGkA8JlEoWtw"),
            Err(StandardAlphabet {
                position: 7,
                found: '/'
            })
        );
        assert_eq!(
            parse("0380ed2f626650c840b2f263e6d2b29fae12ab39ae5db32b25ad27efad72e6fd"),
            Err(HexDigest)
        );
        assert_eq!(parse("03:80:ED:2F"), Err(ColonHexFingerprint));
        // RFC 8705 Appendix A certificate's SHA-1 `x5t`.
        assert_eq!(parse("T8Qp8fPmVYqb9iHyzQUaAbxBedY"), Err(Sha1Length));
        assert_eq!(
            parse("4fc429f1f3e6558a9bf621f2cd051a01bc4179d6"),
            Err(Sha1Length)
        );
        assert_eq!(
            parse("A4DtL2JmUMhAsvJj5tKyn64Sq*muXbMrJa0n761y5v0"),
            Err(InvalidCharacter { position: 25 })
        );
        assert_eq!(parse("A4DtL2JmUMhAsvJj"), Err(WrongLength { len: 16 }));
        assert_eq!(
            parse(&alloc::format!("{APPENDIX_A}A")),
            Err(WrongLength { len: 44 })
        );
        // The example value in RFC 8705 section 3.1 has non-zero trailing bits: not canonical.
        assert_eq!(
            parse("bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"),
            Err(NonCanonical)
        );
    }

    /// The same errors describe `x5t#S256`, `jkt` and issuer pins: no message names one of
    /// them (the error that carries it does).
    #[test]
    fn messages_name_no_member() {
        use ThumbprintError::*;
        let all = [
            Empty,
            TooLong { len: 300 },
            Padded,
            Whitespace { position: 0 },
            StandardAlphabet {
                position: 7,
                found: '/',
            },
            HexDigest,
            ColonHexFingerprint,
            Sha1Length,
            InvalidCharacter { position: 25 },
            WrongLength { len: 16 },
            NonCanonical,
        ];
        for e in all {
            let msg = e.to_string();
            assert!(msg.starts_with("the thumbprint "), "{msg}");
            assert!(!msg.contains("x5t#S256") && !msg.contains("jkt"), "{msg}");
        }
    }

    #[test]
    fn equality_is_by_value() {
        let a = Thumbprint::from_bytes([9; 32]);
        let mut other = [9; 32];
        other[31] = 8;
        assert_eq!(a, Thumbprint::from_bytes([9; 32]));
        assert_ne!(a, Thumbprint::from_bytes(other));
    }

    #[test]
    fn serde_uses_the_string_form() {
        let t = parse(APPENDIX_A).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, alloc::format!("\"{APPENDIX_A}\""));
        assert_eq!(serde_json::from_str::<Thumbprint>(&json).unwrap(), t);
        let err = serde_json::from_str::<Thumbprint>(
            "\"0380ed2f626650c840b2f263e6d2b29fae12ab39ae5db32b25ad27efad72e6fd\"",
        )
        .unwrap_err();
        assert!(err.to_string().contains("hex SHA-256"), "{err}");
    }

    #[test]
    fn from_der_rejects_non_der() {
        assert!(Thumbprint::from_der(b"-----BEGIN CERTIFICATE-----").is_err());
        assert!(Thumbprint::from_der(&[]).is_err());
    }

    #[test]
    fn only_the_canonical_text_of_32_bytes_parses() {
        assert!(parse("__________________________________________8").is_ok());
        assert_eq!(
            parse("__________________________________________9"),
            Err(ThumbprintError::NonCanonical)
        );
        assert_eq!(
            parse("6H31tD6/m4nKKyu/MaTnrVpA1ATPuy/MGkA8JlEoWtw"),
            Err(ThumbprintError::StandardAlphabet {
                position: 7,
                found: '/'
            })
        );
        for n in 0u8..=255 {
            let t = Thumbprint::from_bytes([n; 32]);
            assert_eq!(parse(&t.to_string()), Ok(t));
        }
    }

    proptest::proptest! {
        /// Near-misses (the standard alphabet, padding, whitespace mixed into 42 to 44
        /// base64url characters) parse only when they are the canonical text of a digest.
        #[test]
        fn only_canonical_texts_parse(
            chars in proptest::collection::vec(
                proptest::prop_oneof![
                    30 => proptest::sample::select(
                        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".to_vec()
                    ),
                    1 => proptest::sample::select(b"+/= \n*".to_vec()),
                ],
                42..=44,
            ),
        ) {
            let s = alloc::string::String::from_utf8(chars).unwrap();
            if let Ok(t) = parse(&s) {
                proptest::prop_assert_eq!(t.to_string(), s);
            }
        }

        /// `ct_eq` is byte equality: for any two digests, and for a digest and a copy with
        /// one byte changed (in any of the four words).
        #[test]
        fn ct_eq_is_byte_equality(
            a in proptest::prelude::any::<[u8; 32]>(),
            b in proptest::prelude::any::<[u8; 32]>(),
            at in 0usize..32,
            flip in 1u8..,
        ) {
            let (ta, tb) = (Thumbprint::from_bytes(a), Thumbprint::from_bytes(b));
            proptest::prop_assert_eq!(ta.ct_eq(&tb), a == b);
            proptest::prop_assert!(ta.ct_eq(&Thumbprint::from_bytes(a)));
            let mut changed = a;
            if let Some(byte) = changed.get_mut(at) {
                *byte ^= flip;
            }
            proptest::prop_assert!(!ta.ct_eq(&Thumbprint::from_bytes(changed)));
        }

        /// Every digest's `Display` form parses back to it.
        #[test]
        fn display_round_trips(bytes in proptest::prelude::any::<[u8; 32]>()) {
            let t = Thumbprint::from_bytes(bytes);
            proptest::prop_assert_eq!(parse(&t.to_string()), Ok(t));
        }
    }
}
