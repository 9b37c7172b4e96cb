//! Bare base64 DER, no PEM armour: HAProxy `%[ssl_c_der,base64]` and Traefik
//! `passTLSClientCert: { pem: true }`.
//!
//! **HAProxy** has no certificate header of its own; the deployment writes one with a sample
//! fetch and a converter, e.g. `http-request set-header X-SSL-Client-Cert
//! %[ssl_c_der,base64]`. Its configuration manual: `ssl_c_der` "Returns the DER formatted
//! certificate presented by the client when the incoming connection was made over an SSL/TLS
//! transport layer", and the `base64` converter "Converts a binary input sample to a base64
//! string" (standard alphabet, `=` padding, one line). The value is one certificate, the leaf.
//!
//! **Traefik** (`pkg/middlewares/passtlsclientcert/pass_tls_client_cert.go`) writes
//! `X-Forwarded-Tls-Client-Cert`: for every certificate of `req.TLS.PeerCertificates` (leaf
//! first, "in the order in which they were sent") it PEM-encodes the DER, then `sanitize`
//! removes `-----BEGIN CERTIFICATE-----`, `-----END CERTIFICATE-----` and every `\n`, and the
//! results are joined with `,`. Despite the option's name and its documentation ("Pass the
//! escaped pem"), the value is therefore base64 DER *without* armour. Up to v2.9, `sanitize`
//! also applied Go's `url.QueryEscape` (so `+`, `/`, `=` arrive as `%2B`, `%2F`, `%3D`);
//! traefik/traefik#9412 ("Remove raw cert escape in PassTLSClientCert middleware") dropped
//! it, so current v2 and v3 send the base64 raw.
//!
//! HAProxy can also send the rest of the chain, in a second header:
//! `http-request set-header X-SSL-Client-Cert-Chain %[ssl_c_chain_der,base64]`. `ssl_c_chain_der`
//! "Returns the DER formatted chain certificate presented by the client" — OpenSSL's
//! `SSL_get_peer_cert_chain`, which on a server excludes the leaf — as the certificates' DER
//! concatenated, so the whole chain is one base64 string. [`decode_concatenated_chain`] splits
//! it by DER framing.
//!
//! One decoder reads all three forms: the value is a `,`-separated list of standard base64
//! DER certificates (the leaf, then its chain in the order sent), percent-decoded first when
//! it holds a `%`. A raw `+` is the base64 character, never a space: neither proxy escapes a
//! space, and form decoding would destroy the certificate.
//!
//! ```
//! use rfc8705::proxy::bare_der;
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//! let haproxy = bare_der::encode([&der]);
//! assert!(haproxy.starts_with("MIIBBjCBrAIBAjAK"));
//! let traefik_v2 = bare_der::encode_query_escaped([&der, &der]);
//! assert!(traefik_v2.contains("%2F") && traefik_v2.contains(','));
//! let (leaf, chain) = bare_der::decode(traefik_v2.as_bytes())?;
//! assert_eq!((leaf, chain.len()), (der, 1));
//! # Ok::<(), rfc8705::proxy::BareDerError>(())
//! ```

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};

use super::base64::{self, Base64Error};
use super::escaped_pem::{self, EscapedPemError};
use super::{MAX_CHAIN_LEN, MAX_FIELD_VALUE_LEN, escape_for_display};
use crate::cert::{CertificateError, check_der_framing};
use crate::error::{OAuthError, OAuthErrorCode};

/// The header Traefik's `passTLSClientCert` middleware writes, lowercase.
///
/// ```
/// use rfc8705::proxy::bare_der::TRAEFIK_HEADER;
/// assert!(TRAEFIK_HEADER.eq_ignore_ascii_case("X-Forwarded-Tls-Client-Cert"));
/// ```
pub const TRAEFIK_HEADER: &str = "x-forwarded-tls-client-cert";

/// Why a bare base64 DER value (HAProxy, Traefik) could not be decoded.
///
/// Positions are byte offsets into the certificate's list member, after percent-decoding.
///
/// ```
/// use rfc8705::proxy::{bare_der, BareDerError};
/// assert_eq!(bare_der::decode(b"AQID,,AQID"), Err(BareDerError::EmptyMember { index: 1 }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BareDerError {
    /// The value is empty (HAProxy sends an empty header when there is no client
    /// certificate: the sample fetch fails).
    #[error("the value is empty: no client certificate")]
    Empty,
    /// The value is longer than [`MAX_FIELD_VALUE_LEN`].
    #[error("the value is {len} bytes; the limit is {MAX_FIELD_VALUE_LEN}")]
    TooLarge {
        /// The value's length in bytes.
        len: usize,
    },
    /// A `%` not followed by two hex digits.
    #[error("'%' at byte {position} is not followed by two hex digits")]
    BadPercentEscape {
        /// Byte offset of the `%` in the value, after surrounding whitespace is trimmed.
        position: usize,
    },
    /// The value holds PEM armour: it is another format.
    #[error(
        "the value is PEM, not bare base64 DER: read it as escaped-pem (URL-encoded) or apache (plain PEM)"
    )]
    LooksLikePem,
    /// Two commas in a row, or a comma at either end.
    #[error("certificate {index} of the comma-separated list is empty")]
    EmptyMember {
        /// Position in the list (0 = the leaf).
        index: usize,
    },
    /// A character outside `A-Z a-z 0-9 + / =`.
    #[error(
        "certificate {index}: the character '{found}' at byte {position} is not in the base64 alphabet"
    )]
    InvalidCharacter {
        /// Position in the list (0 = the leaf).
        index: usize,
        /// Byte offset in the member.
        position: usize,
        /// The character, escaped if not printable.
        found: String,
    },
    /// `=` anywhere but as the trailing padding of a whole quantum.
    #[error("certificate {index}: misplaced '=' padding in the base64")]
    Padding {
        /// Position in the list (0 = the leaf).
        index: usize,
    },
    /// The base64 length leaves one character over, which encodes no whole byte.
    #[error(
        "certificate {index}: the base64 has an impossible length (4n+1 characters): it is truncated"
    )]
    Length {
        /// Position in the list (0 = the leaf).
        index: usize,
    },
    /// More chain certificates than [`MAX_CHAIN_LEN`].
    #[error("the value holds more than {} certificates", MAX_CHAIN_LEN + 1)]
    TooManyCertificates,
    /// A concatenated DER chain (HAProxy `ssl_c_chain_der`) that does not split into whole
    /// DER `SEQUENCE`s.
    #[error(
        "the concatenated chain does not split into DER certificates at certificate {index}: {source}"
    )]
    ChainFraming {
        /// Position of the certificate that does not frame (0 = the leaf's issuer).
        index: usize,
        /// What is wrong with its DER header.
        source: CertificateError,
    },
}

impl OAuthError for BareDerError {
    /// `invalid_token`: no usable certificate (an authorization server answers
    /// `invalid_client`; see [the module docs](super#errors-and-oauth)).
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidToken
    }
}

/// Encodes certificates as HAProxy `%[ssl_c_der,base64]` (one certificate) and Traefik v2.10+
/// / v3 (several, `,`-separated) send them: standard base64 with padding.
///
/// ```
/// # use rfc8705::proxy::bare_der;
/// assert_eq!(bare_der::encode([[0xfb_u8, 0xff], [1, 2]]), "+/8=,AQI=");
/// ```
pub fn encode<I, D>(ders: I) -> String
where
    I: IntoIterator<Item = D>,
    D: AsRef<[u8]>,
{
    join(ders, Base64::encode_string)
}

/// Encodes certificates as Traefik up to v2.9 sends them: [`encode`]'s base64, each member
/// escaped by Go's `url.QueryEscape` (`+` `%2B`, `/` `%2F`, `=` `%3D`), joined with `,`.
///
/// ```
/// # use rfc8705::proxy::bare_der;
/// assert_eq!(bare_der::encode_query_escaped([[0xfb_u8, 0xff], [1, 2]]), "%2B%2F8%3D,AQI%3D");
/// ```
pub fn encode_query_escaped<I, D>(ders: I) -> String
where
    I: IntoIterator<Item = D>,
    D: AsRef<[u8]>,
{
    join(ders, |der| {
        escaped_pem::encode_keeping(Base64::encode_string(der).as_bytes(), b"")
    })
}

fn join<I, D>(ders: I, one: impl Fn(&[u8]) -> String) -> String
where
    I: IntoIterator<Item = D>,
    D: AsRef<[u8]>,
{
    let mut out = String::new();
    for (i, der) in ders.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&one(der.as_ref()));
    }
    out
}

/// Decodes a bare base64 DER value to the leaf's DER and the DER of the certificates after
/// it.
///
/// Accepts: whitespace around the value and around each member, `=` padding or none,
/// `%XX` escapes (either case; Traefik up to v2.9). Rejects: values over
/// [`MAX_FIELD_VALUE_LEN`], PEM armour, empty members, characters outside the base64
/// alphabet (line breaks included), more than [`MAX_CHAIN_LEN`] chain certificates.
///
/// ```
/// use rfc8705::proxy::{bare_der, BareDerError};
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let (leaf, chain) = bare_der::decode(bare_der::encode([&der]).as_bytes())?;
/// assert_eq!((leaf, chain.len()), (der, 0));
/// assert!(matches!(bare_der::decode(b"MII B"), Err(BareDerError::InvalidCharacter { position: 3, .. })));
/// # Ok::<(), BareDerError>(())
/// ```
pub fn decode(value: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), BareDerError> {
    if value.len() > MAX_FIELD_VALUE_LEN {
        return Err(BareDerError::TooLarge { len: value.len() });
    }
    let value = value.trim_ascii();
    if value.is_empty() {
        return Err(BareDerError::Empty);
    }
    // Raw base64 holds no `%`: only Traefik's escaped form needs the copy.
    let text: Cow<'_, [u8]> = if value.contains(&b'%') {
        Cow::Owned(escaped_pem::percent_decode(value).map_err(|e| match e {
            EscapedPemError::BadPercentEscape { position } => {
                BareDerError::BadPercentEscape { position }
            }
            // The length and emptiness were checked above; nothing else can fail.
            _ => BareDerError::Empty,
        })?)
    } else {
        Cow::Borrowed(value)
    };
    decode_list(&text).map_err(|e| {
        // A PEM block (escaped or not) is a configuration mix-up: name it. Only a failed
        // decode needs the scan: base64 has no `-`.
        if text.windows(5).any(|w| w == b"-----") {
            BareDerError::LooksLikePem
        } else {
            e
        }
    })
}

/// The `,`-separated list, leaf first (also Traefik's form inside [`escaped_pem`]).
pub(crate) fn decode_list(text: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), BareDerError> {
    // One certificate (HAProxy, a Traefik client without intermediates): no list to build.
    if !text.contains(&b',') {
        return Ok((decode_member(0, text)?, Vec::new()));
    }
    let mut members = text.split(|b| *b == b',').enumerate();
    // `split` yields at least one member.
    let (_, first) = members.next().ok_or(BareDerError::Empty)?;
    let leaf = decode_member(0, first)?;
    let mut chain = Vec::new();
    for (index, member) in members {
        if index > MAX_CHAIN_LEN {
            return Err(BareDerError::TooManyCertificates);
        }
        chain.push(decode_member(index, member)?);
    }
    Ok((leaf, chain))
}

/// One member of the list: standard base64, whitespace around it ignored.
fn decode_member(index: usize, member: &[u8]) -> Result<Vec<u8>, BareDerError> {
    let member = member.trim_ascii();
    if member.is_empty() {
        return Err(BareDerError::EmptyMember { index });
    }
    base64::decode(member).map_err(|e| match e {
        Base64Error::InvalidCharacter { position, byte } => BareDerError::InvalidCharacter {
            index,
            position,
            found: escape_for_display(&[byte], 1),
        },
        Base64Error::Padding => BareDerError::Padding { index },
        Base64Error::Length => BareDerError::Length { index },
    })
}

/// Decodes HAProxy's `%[ssl_c_chain_der,base64]`: one base64 string of the chain
/// certificates' DER, concatenated (the leaf's issuer first; the leaf itself is not included).
/// An empty value (no chain, or no client certificate) is an empty chain.
///
/// Rejects values over [`MAX_FIELD_VALUE_LEN`], anything but one base64 string, bytes that do
/// not split into whole DER `SEQUENCE`s, more than [`MAX_CHAIN_LEN`] certificates.
///
/// ```
/// use rfc8705::proxy::bare_der;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let haproxy = bare_der::encode([[der.clone(), der.clone()].concat()]);
/// assert_eq!(bare_der::decode_concatenated_chain(haproxy.as_bytes())?, vec![der.clone(), der]);
/// assert!(bare_der::decode_concatenated_chain(b"")?.is_empty());
/// # Ok::<(), rfc8705::proxy::BareDerError>(())
/// ```
pub fn decode_concatenated_chain(value: &[u8]) -> Result<Vec<Vec<u8>>, BareDerError> {
    if value.trim_ascii().is_empty() {
        return Ok(Vec::new());
    }
    let (all, rest) = decode(value)?;
    // One base64 string: HAProxy does not separate the certificates.
    if !rest.is_empty() {
        return Err(BareDerError::TooManyCertificates);
    }
    let mut chain = Vec::new();
    let mut bytes = &all[..];
    while !bytes.is_empty() {
        let index = chain.len();
        if index >= MAX_CHAIN_LEN {
            return Err(BareDerError::TooManyCertificates);
        }
        // The framing check reports how much follows the first SEQUENCE.
        let len = match check_der_framing(bytes) {
            Ok(()) => bytes.len(),
            Err(CertificateError::TrailingData { extra }) => bytes.len() - extra,
            Err(source) => return Err(BareDerError::ChainFraming { index, source }),
        };
        let (cert, after) = bytes.split_at_checked(len).unwrap_or((bytes, &[]));
        chain.push(cert.to_vec());
        bytes = after;
    }
    Ok(chain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__doc_support::rfc8705_appendix_a_der;
    use alloc::format;
    use alloc::string::ToString;
    use alloc::vec;
    use proptest::prelude::*;

    /// `openssl x509 -outform DER | base64 -w0` of the RFC 8705 Appendix A certificate: what
    /// HAProxy's `%[ssl_c_der,base64]` sends for it (checked against the PEM in specs.md).
    const HAPROXY: &str = "MIIBBjCBrAIBAjAKBggqhkjOPQQDAjAPMQ0wCwYDVQQDDARtdGxzMB4XDTE4MTAxODEyMzcwOVoXDTIyMDUwMjEyMzcwOVowDzENMAsGA1UEAwwEbXRsczBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNcnyxwqV6hY8QnhxxzFQ03C7HKW9OylMbnQZjjJ/Au08/coZwxS7LfA4vOLS9WuneIXhbGGWvsDSb0tH6IxLm8wCgYIKoZIzj0EAwIDSQAwRgIhAP0RC1E+vwJD/D1AGHGzuri+hlV/PpQEKTWUVeORWz83AiEA5x2eXZOVbUlJSGQgjwD5vaUaKlLR50Q2DmFfQj1L+SY=";

    #[test]
    fn haproxy_vector() {
        let der = rfc8705_appendix_a_der();
        assert_eq!(encode([&der]), HAPROXY);
        assert_eq!(decode(HAPROXY.as_bytes()).unwrap(), (der.clone(), vec![]));
        // Unpadded, and with the whitespace an HTTP library may leave around a value.
        let unpadded = format!(" {}\t", HAPROXY.trim_end_matches('='));
        assert_eq!(decode(unpadded.as_bytes()).unwrap().0, der);
    }

    #[test]
    fn traefik_v3_and_v2_vectors() {
        let der = rfc8705_appendix_a_der();
        // v2.10+ / v3: raw base64 (with `+` and `/`), `,`-joined.
        let v3 = format!("{HAPROXY},{HAPROXY}");
        assert_eq!(encode([&der, &der]), v3);
        assert_eq!(
            decode(v3.as_bytes()).unwrap(),
            (der.clone(), vec![der.clone()])
        );
        // Up to v2.9: url.QueryEscape of each member.
        let v2 = HAPROXY
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D");
        assert_eq!(encode_query_escaped([&der]), v2);
        assert_eq!(decode(v2.as_bytes()).unwrap().0, der);
        let lower = v2.replace("%2F", "%2f");
        assert_eq!(decode(lower.as_bytes()).unwrap().0, der);
        // Field lines combined by an HTTP library: ", ".
        let combined = format!("{v2}, {HAPROXY}");
        assert_eq!(decode(combined.as_bytes()).unwrap().1, vec![der]);
    }

    #[test]
    fn plus_is_not_a_space() {
        // A form decoder turns `+` into a space; here a space is simply not base64.
        let spaced = HAPROXY.replace('+', " ");
        assert!(matches!(
            decode(spaced.as_bytes()),
            Err(BareDerError::InvalidCharacter { index: 0, .. })
        ));
    }

    #[test]
    fn rejections() {
        use BareDerError::*;
        assert_eq!(decode(b""), Err(Empty));
        assert_eq!(decode(b" \t "), Err(Empty));
        assert_eq!(decode(b"AQID%2"), Err(BadPercentEscape { position: 4 }));
        assert_eq!(decode(b"AQ%zzID"), Err(BadPercentEscape { position: 2 }));
        assert_eq!(decode(b",AQID"), Err(EmptyMember { index: 0 }));
        assert_eq!(decode(b"AQID,"), Err(EmptyMember { index: 1 }));
        assert_eq!(decode(b"AQID, ,AQID"), Err(EmptyMember { index: 1 }));
        assert_eq!(
            decode(b"AQID,AQ\nID"),
            Err(InvalidCharacter {
                index: 1,
                position: 2,
                found: "\\x0a".to_string()
            })
        );
        // The URL-safe alphabet is not what these proxies send.
        assert!(matches!(
            decode(b"ab-_"),
            Err(InvalidCharacter { position: 2, .. })
        ));
        assert_eq!(decode(b"AQ=D"), Err(Padding { index: 0 }));
        assert_eq!(decode(b"AQIDB"), Err(Length { index: 0 }));
        let pem = "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----";
        assert_eq!(decode(pem.as_bytes()), Err(LooksLikePem));
        let escaped = escaped_pem::encode(pem.as_bytes());
        assert_eq!(decode(escaped.as_bytes()), Err(LooksLikePem));
        let many = vec![HAPROXY; MAX_CHAIN_LEN + 2].join(",");
        assert_eq!(decode(many.as_bytes()), Err(TooManyCertificates));
        let most = vec![HAPROXY; MAX_CHAIN_LEN + 1].join(",");
        assert_eq!(decode(most.as_bytes()).unwrap().1.len(), MAX_CHAIN_LEN);
        let big = "A".repeat(MAX_FIELD_VALUE_LEN + 1);
        assert_eq!(
            decode(big.as_bytes()),
            Err(TooLarge {
                len: MAX_FIELD_VALUE_LEN + 1
            })
        );
    }

    #[test]
    fn haproxy_concatenated_chain() {
        let der = rfc8705_appendix_a_der();
        let small = vec![0x30, 0x03, 0x02, 0x01, 0x07];
        let value = encode([[der.clone(), small.clone(), der.clone()].concat()]);
        assert_eq!(
            decode_concatenated_chain(value.as_bytes()).unwrap(),
            vec![der.clone(), small.clone(), der.clone()]
        );
        assert_eq!(
            decode_concatenated_chain(b" ").unwrap(),
            Vec::<Vec<u8>>::new()
        );
        // Rejections: a cut certificate, a non-SEQUENCE, a list, too many.
        let cut = encode([[der.clone(), der[..100].to_vec()].concat()]);
        assert!(matches!(
            decode_concatenated_chain(cut.as_bytes()),
            Err(BareDerError::ChainFraming {
                index: 1,
                source: CertificateError::Truncated { .. }
            })
        ));
        let junk = encode([[der.clone(), vec![0x04, 0x00]].concat()]);
        assert_eq!(
            decode_concatenated_chain(junk.as_bytes()),
            Err(BareDerError::ChainFraming {
                index: 1,
                source: CertificateError::NotASequence
            })
        );
        let list = encode([&der, &der]);
        assert_eq!(
            decode_concatenated_chain(list.as_bytes()),
            Err(BareDerError::TooManyCertificates)
        );
        let most = encode([small.repeat(MAX_CHAIN_LEN)]);
        assert_eq!(
            decode_concatenated_chain(most.as_bytes()).unwrap().len(),
            MAX_CHAIN_LEN
        );
        let over = encode([small.repeat(MAX_CHAIN_LEN + 1)]);
        assert_eq!(
            decode_concatenated_chain(over.as_bytes()),
            Err(BareDerError::TooManyCertificates)
        );
        assert!(matches!(
            decode_concatenated_chain(b"AQ=D"),
            Err(BareDerError::Padding { index: 0 })
        ));
    }

    proptest! {
        #[test]
        fn concatenated_chains_round_trip(chain in proptest::collection::vec(
            proptest::collection::vec(any::<u8>(), 0..200).prop_map(|c| {
                let mut der = vec![0x30];
                if c.len() < 0x80 {
                    der.push(c.len() as u8);
                } else {
                    der.extend([0x81, c.len() as u8]);
                }
                der.extend(c);
                der
            }), 0..=MAX_CHAIN_LEN)
        ) {
            let value = encode([chain.concat()]);
            let value = if chain.is_empty() { String::new() } else { value };
            prop_assert_eq!(decode_concatenated_chain(value.as_bytes()).unwrap(), chain);
        }

        #[test]
        fn round_trips(ders in proptest::collection::vec(
            proptest::collection::vec(any::<u8>(), 1..300), 1..=MAX_CHAIN_LEN + 1)
        ) {
            for value in [encode(&ders), encode_query_escaped(&ders)] {
                let (leaf, chain) = decode(value.as_bytes()).unwrap();
                prop_assert_eq!(&leaf, &ders[0]);
                prop_assert_eq!(&chain[..], &ders[1..]);
            }
        }

        #[test]
        fn total(value in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&value);
        }
    }
}
