//! JWK Sets: parsing arbitrary JSON as a set, validating it as a registration and matching the
//! RFC 8705 Appendix A certificate against it must never panic, and the outcomes must agree:
//! a hit names a certified key whose x5c[0] is the certificate, and every key is accounted for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::ClientCertificate;
use rfc8705::client_auth::self_signed::{MatchKind, RenewedCertificatePolicy, authenticate};
use rfc8705::jwk::JwkSet;

fuzz_target!(|data: &[u8]| {
    let Ok(set) = JwkSet::from_json(data) else {
        return;
    };
    assert_eq!(
        set.len(),
        set.certified().len() + set.without_certificate().len() + set.skipped().len()
    );
    let valid = set.validate_registration().is_ok();
    if valid {
        assert!(!set.certified().is_empty());
    }
    let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    let Ok(cert) = ClientCertificate::from_der(&der) else {
        return;
    };
    for policy in [RenewedCertificatePolicy::Reject, RenewedCertificatePolicy::AcceptSameKey] {
        if let Ok(hit) = authenticate(&cert, &set, policy) {
            match hit.kind() {
                MatchKind::SameCertificate => assert_eq!(hit.key().certificate().der(), &der[..]),
                _ => assert_eq!(policy, RenewedCertificatePolicy::AcceptSameKey),
            }
        }
    }
});
