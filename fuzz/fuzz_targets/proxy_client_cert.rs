//! RFC 9440 `Client-Cert` through `TrustedProxy::decode`: never panics, what it accepts
//! round-trips through the encoding to the same DER and thumbprint, and a plain `:…:` value
//! decodes exactly as base64ct's strict decoder does (the SIMD fast path and the lenient
//! decoder included), the only extra acceptance being non-zero pad bits (RFC 8941 section
//! 4.2.7).
#![no_main]

use base64ct::{Base64, Base64Unpadded, Encoding};
use libfuzzer_sys::fuzz_target;
use rfc8705::Thumbprint;
use rfc8705::proxy::{ProxyFormat, TrustedProxy};

fuzz_target!(|data: &[u8]| {
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    let decoded = proxy.decode(ProxyFormat::ClientCert, data, &[]);
    if let Ok(fwd) = &decoded {
        assert_eq!(Thumbprint::from_der(fwd.der()).ok(), Some(fwd.thumbprint()));
        let again = format!(":{}:", Base64::encode_string(fwd.der()));
        assert_eq!(proxy.decode(ProxyFormat::ClientCert, again, &[]).as_ref(), Ok(fwd));
        let _ = rfc8705::ClientCertificate::from_der(fwd.der());
    }
    // One Byte Sequence and nothing else (a ':' inside would end it, parameters may follow).
    let plain = data.strip_prefix(b":").and_then(|d| d.strip_suffix(b":"));
    if let (Some(body), Ok(fwd)) = (plain.filter(|body| !body.contains(&b':')), &decoded) {
        let strict = core::str::from_utf8(body).ok().and_then(|b| {
            if b.len() % 4 == 0 {
                Base64::decode_vec(b).ok()
            } else {
                Base64Unpadded::decode_vec(b).ok()
            }
        });
        match strict {
            Some(theirs) => assert_eq!(fwd.der(), &theirs[..]),
            None => {
                // Accepted only for its pad bits: the canonical encoding differs from the
                // body, without its padding, in the last character alone.
                let canonical = Base64Unpadded::encode_string(fwd.der());
                let unpadded = body.strip_suffix(b"==").or_else(|| body.strip_suffix(b"="));
                let unpadded = unpadded.unwrap_or(body);
                assert_eq!(canonical.len(), unpadded.len());
                let keep = canonical.len().saturating_sub(1);
                assert_eq!(canonical.as_bytes().get(..keep), unpadded.get(..keep));
            }
        }
    }
});
