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

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::vec::Vec;

use super::MAX_CHAIN_LEN;
use super::base64;
use super::error::Reason;
use super::percent::percent_decode;
use crate::cert::{CertificateError, check_der_framing};

/// Decodes a bare base64 DER value to the leaf's DER and the DER of the certificates after
/// it.
///
/// Accepts: whitespace around the value and around each member, `=` padding or none,
/// `%XX` escapes (either case; Traefik up to v2.9). Rejects: PEM armour, empty members,
/// characters outside the base64 alphabet (line breaks included), more than
/// [`MAX_CHAIN_LEN`] chain certificates.
pub(crate) fn decode(value: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), Reason> {
    let value = value.trim_ascii();
    if value.is_empty() {
        return Err(Reason::Empty);
    }
    // Raw base64 holds no `%`: only Traefik's escaped form needs the copy.
    let text: Cow<'_, [u8]> = if value.contains(&b'%') {
        Cow::Owned(percent_decode(value)?)
    } else {
        Cow::Borrowed(value)
    };
    decode_list(&text).map_err(|e| {
        // A PEM block (escaped or not) is a configuration mix-up: name it. Only a failed
        // decode needs the scan: base64 has no `-`.
        if text.windows(5).any(|w| w == b"-----") {
            Reason::LooksLikePem
        } else {
            e
        }
    })
}

/// The `,`-separated list, leaf first (also Traefik's form inside `escaped_pem`).
pub(crate) fn decode_list(text: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), Reason> {
    // One certificate (HAProxy, a Traefik client without intermediates): no list to build.
    if !text.contains(&b',') {
        return Ok((decode_member(0, text)?, Vec::new()));
    }
    let mut members = text.split(|b| *b == b',').enumerate();
    // `split` yields at least one member.
    let (_, first) = members.next().ok_or(Reason::Empty)?;
    let leaf = decode_member(0, first)?;
    let mut chain = Vec::new();
    for (index, member) in members {
        if index > MAX_CHAIN_LEN {
            return Err(Reason::TooManyCertificates);
        }
        chain.push(decode_member(index, member)?);
    }
    Ok((leaf, chain))
}

/// One member of the list: standard base64, whitespace around it ignored.
fn decode_member(index: usize, member: &[u8]) -> Result<Vec<u8>, Reason> {
    let member = member.trim_ascii();
    if member.is_empty() {
        return Err(Reason::EmptyMember { index });
    }
    base64::decode(member).map_err(|e| Reason::ListMember {
        index,
        reason: Box::new(base64::reason(e, 0)),
    })
}

/// Decodes HAProxy's `%[ssl_c_chain_der,base64]`: one base64 string of the chain
/// certificates' DER, concatenated (the leaf's issuer first; the leaf itself is not included).
/// An empty value (no chain, or no client certificate) is an empty chain.
///
/// Rejects anything but one base64 string, bytes that do not split into whole DER
/// `SEQUENCE`s, more than [`MAX_CHAIN_LEN`] certificates.
pub(crate) fn decode_concatenated_chain(value: &[u8]) -> Result<Vec<Vec<u8>>, Reason> {
    if value.trim_ascii().is_empty() {
        return Ok(Vec::new());
    }
    let (all, rest) = decode(value)?;
    // One base64 string: HAProxy does not separate the certificates.
    if !rest.is_empty() {
        return Err(Reason::TooManyCertificates);
    }
    let mut chain = Vec::new();
    let mut bytes = &all[..];
    while !bytes.is_empty() {
        let index = chain.len();
        if index >= MAX_CHAIN_LEN {
            return Err(Reason::TooManyCertificates);
        }
        // The framing check reports how much follows the first SEQUENCE.
        let len = match check_der_framing(bytes) {
            Ok(()) => bytes.len(),
            Err(CertificateError::TrailingData { extra }) => bytes.len() - extra,
            Err(source) => return Err(Reason::ChainFraming { index, source }),
        };
        let (cert, after) = bytes.split_at_checked(len).unwrap_or((bytes, &[]));
        chain.push(cert.to_vec());
        bytes = after;
    }
    Ok(chain)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{
        bare_der as encode, bare_der_query_escaped as encode_query_escaped, escaped_pem,
    };
    use super::*;
    use crate::__doc_support::rfc8705_appendix_a_der;
    use alloc::format;
    use alloc::vec;
    use proptest::prelude::*;

    /// `openssl x509 -outform DER | base64 -w0` of `tests/data/rfc8705-appendix-a.pem` (the
    /// RFC 8705 Appendix A certificate): what HAProxy's `%[ssl_c_der,base64]` sends for it.
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
            Err(Reason::ListMember { index: 0, .. })
        ));
    }

    #[test]
    fn rejections() {
        use Reason::*;
        assert_eq!(decode(b""), Err(Empty));
        assert_eq!(decode(b" \t "), Err(Empty));
        assert_eq!(decode(b"AQID%2"), Err(BadPercentEscape { position: 4 }));
        assert_eq!(decode(b"AQ%zzID"), Err(BadPercentEscape { position: 2 }));
        assert_eq!(decode(b",AQID"), Err(EmptyMember { index: 0 }));
        assert_eq!(decode(b"AQID,"), Err(EmptyMember { index: 1 }));
        assert_eq!(decode(b"AQID, ,AQID"), Err(EmptyMember { index: 1 }));
        assert_eq!(
            decode(b"AQID,AQ\nID"),
            Err(ListMember {
                index: 1,
                reason: Box::new(LineBreak { position: 2 })
            })
        );
        // The URL-safe alphabet is not what these proxies send.
        assert!(matches!(
            decode(b"ab-_"),
            Err(ListMember { index: 0, reason }) if matches!(*reason, InvalidCharacter { position: 2, .. })
        ));
        let member = |reason| ListMember {
            index: 0,
            reason: Box::new(reason),
        };
        assert_eq!(decode(b"AQ=D"), Err(member(Padding)));
        assert_eq!(decode(b"AQIDB"), Err(member(Length)));
        let pem = "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----";
        assert_eq!(decode(pem.as_bytes()), Err(LooksLikePem));
        let escaped = escaped_pem(pem.as_bytes());
        assert_eq!(decode(escaped.as_bytes()), Err(LooksLikePem));
        let many = vec![HAPROXY; MAX_CHAIN_LEN + 2].join(",");
        assert_eq!(decode(many.as_bytes()), Err(TooManyCertificates));
        let most = vec![HAPROXY; MAX_CHAIN_LEN + 1].join(",");
        assert_eq!(decode(most.as_bytes()).unwrap().1.len(), MAX_CHAIN_LEN);
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
            Err(Reason::ChainFraming {
                index: 1,
                source: CertificateError::Truncated { .. }
            })
        ));
        let junk = encode([[der.clone(), vec![0x04, 0x00]].concat()]);
        assert_eq!(
            decode_concatenated_chain(junk.as_bytes()),
            Err(Reason::ChainFraming {
                index: 1,
                source: CertificateError::NotASequence
            })
        );
        let list = encode([&der, &der]);
        assert_eq!(
            decode_concatenated_chain(list.as_bytes()),
            Err(Reason::TooManyCertificates)
        );
        let most = encode([small.repeat(MAX_CHAIN_LEN)]);
        assert_eq!(
            decode_concatenated_chain(most.as_bytes()).unwrap().len(),
            MAX_CHAIN_LEN
        );
        let over = encode([small.repeat(MAX_CHAIN_LEN + 1)]);
        assert_eq!(
            decode_concatenated_chain(over.as_bytes()),
            Err(Reason::TooManyCertificates)
        );
        assert!(matches!(
            decode_concatenated_chain(b"AQ=D"),
            Err(Reason::ListMember { index: 0, .. })
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
            let value = if chain.is_empty() { alloc::string::String::new() } else { value };
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
