//! JWK Sets: parsing arbitrary JSON as a set, registering it as a client's `jwks` and matching the
//! RFC 8705 Appendix A certificate against it must never panic, and the outcomes must agree:
//! a hit names a certified key whose x5c[0] is the certificate, and every key is accounted for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::client_auth::{RenewedCertificatePolicy, ValidatedChain};
use rfc8705::jwk::JwkSet;
use rfc8705::metadata::ClientMetadata;
use rfc8705::{ClientCertificate, MtlsClientAuth};

fuzz_target!(|data: &[u8]| {
    let Ok(set) = JwkSet::from_json(data) else {
        return;
    };
    // Every key is listed at most once, in set order.
    let indices: Vec<usize> = set.certified().map(|(name, _)| name.index()).collect();
    assert!(indices.windows(2).all(|w| w[0] < w[1]));
    let skipped: Vec<usize> = set.skipped().map(|(name, _)| name.index()).collect();
    assert!(skipped.windows(2).all(|w| w[0] < w[1]));
    assert!(indices.iter().all(|i| !skipped.contains(i)));
    // Registered as a client's jwks, a valid set has a certificate.
    if let Ok(jwks) = serde_json::from_slice::<serde_json::Value>(data) {
        let mut m = ClientMetadata::default();
        m.token_endpoint_auth_method = Some(
            "self_signed_tls_client_auth".parse().expect("infallible"),
        );
        m.jwks = Some(jwks);
        if let Ok(Some(MtlsClientAuth::SelfSigned(registered))) = MtlsClientAuth::from_metadata(&m) {
            assert!(registered.certified().len() > 0);
            assert_eq!(registered.certified().len(), set.certified().len());
        }
    }
    let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    let Ok(cert) = ClientCertificate::from_der(&der) else {
        return;
    };
    let auth = MtlsClientAuth::SelfSigned(set.clone());
    let chain = ValidatedChain::tls_stack_validated_this_chain(cert.der());
    for policy in [RenewedCertificatePolicy::Reject, RenewedCertificatePolicy::AcceptSameKey] {
        if let Ok(hit) = auth.authenticate(&chain, policy) {
            assert_eq!(hit.thumbprint(), cert.thumbprint());
            if hit.to_string().ends_with(": the registered certificate") {
                // The hit names a certified key whose x5c[0] is the certificate.
                assert!(set.certified().any(|(_, certificate)| certificate.der() == &der[..]));
            } else {
                assert_eq!(policy, RenewedCertificatePolicy::AcceptSameKey);
            }
        }
    }
});
