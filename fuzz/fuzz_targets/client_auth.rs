//! Client registration -> `MtlsClientAuth::from_metadata` -> `authenticate` against fixed
//! certificates and a fuzzed one. Input: client metadata JSON, optionally followed by a NUL
//! byte and a presented certificate (DER).
//!
//! Asserts:
//! - `from_metadata` fails whenever `ClientMetadata::validate` fails, with its error, and
//!   returns `None` only for a method other than the two mutual-TLS ones;
//! - the credential it returns is the registration's (the one subject member, the `jwks` set
//!   key for key, the `jwks_uri`);
//! - no certificate is `NoCertificate`; a success carries the presented certificate's
//!   thumbprint; a `tls_client_auth` client is never authenticated by a chain that
//!   `validate_chain` of a self-signed client passed on (not validated);
//! - `AcceptSameKey` accepts everything `Reject` accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::ClientCertificate;
use rfc8705::client_auth::{
    ChainError, ClientAuthError, MtlsClientAuth, RegistrationError, RenewedCertificatePolicy,
    ValidatedChain,
};
use rustls_pki_types::{CertificateDer, UnixTime};
use rfc8705::jwk::JwkSet;
use rfc8705::metadata::{ClientMetadata, MetadataError, TokenEndpointAuthMethod};

/// Certificates every registration is tried against: RFC 8705 Appendix A (`CN=mtls`, the
/// certificate of the Appendix A JWK), the RFC 9440 leaf (an rfc822Name SAN) and one with a
/// SAN of each kind.
const FIXTURES: [&[u8]; 3] = [
    include_bytes!("../corpus/certificate/rfc8705-appendix-a.der"),
    include_bytes!("../corpus/certificate/rfc9440-leaf.der"),
    include_bytes!("../corpus/name_match/san-all.der"),
];

const POLICIES: [RenewedCertificatePolicy; 2] = [
    RenewedCertificatePolicy::Reject,
    RenewedCertificatePolicy::AcceptSameKey,
];

fn check(auth: &MtlsClientAuth, cert: &ClientCertificate<'_>) {
    let stated = ValidatedChain::tls_stack_validated_this_chain(cert.der());
    let leaf = [CertificateDer::from(cert.der())];
    let self_signed = MtlsClientAuth::SelfSignedJwksUri("https://c.example/jwks".into());
    let not_validated = self_signed
        .validate_chain(Some(&leaf), None, UnixTime::now(), &[])
        .expect("self-signed: nothing to validate");
    let outcomes = POLICIES.map(|policy| {
        let got = auth.authenticate(&stated, policy);
        if let Ok(ok) = &got {
            assert_eq!(ok.thumbprint(), cert.thumbprint());
            let _ = ok.to_string();
        }
        match auth {
            MtlsClientAuth::TlsClientAuth { .. } => {
                assert_eq!(
                    auth.authenticate(&not_validated, policy).err(),
                    Some(ClientAuthError::Chain(ChainError::NotValidated))
                );
            }
            MtlsClientAuth::SelfSigned(_) => {
                // The self-signed method ignores how the chain was checked.
                let direct = auth.authenticate(&not_validated, policy);
                assert_eq!(got.is_ok(), direct.is_ok());
            }
            MtlsClientAuth::SelfSignedJwksUri(uri) => {
                assert!(
                    matches!(&got, Err(ClientAuthError::KeysNotFetched { jwks_uri }) if jwks_uri == uri)
                );
            }
            _ => {}
        }
        got.is_ok()
    });
    // Reject accepts a subset of what AcceptSameKey accepts.
    if outcomes[0] {
        assert!(outcomes[1]);
    }
}

fuzz_target!(|data: &[u8]| {
    let (json, presented) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Ok(metadata) = ClientMetadata::from_json(json) else {
        return;
    };
    // The RFC 7591 document rules, restated: jwks and jwks_uri not both, jwks a key set.
    let validated = if metadata.jwks.is_some() && metadata.jwks_uri.is_some() {
        Err(MetadataError::JwksAndJwksUri)
    } else if metadata
        .jwks
        .as_ref()
        .is_some_and(|j| !j.get("keys").is_some_and(|k| k.is_array()))
    {
        Err(MetadataError::JwksNotAKeySet)
    } else {
        Ok(())
    };
    let auth = MtlsClientAuth::from_metadata(&metadata);
    let auth = match (validated, auth) {
        (Err(v), a) => {
            assert_eq!(a.err(), Some(RegistrationError::Document(v)));
            return;
        }
        (Ok(()), Err(a)) => {
            assert!(!matches!(a, RegistrationError::Document(_)));
            return;
        }
        (Ok(()), Ok(auth)) => auth,
    };
    let method = metadata.auth_method();
    let Some(auth) = auth else {
        assert!(
            method != TokenEndpointAuthMethod::TlsClientAuth
                && method != TokenEndpointAuthMethod::SelfSignedTlsClientAuth
        );
        return;
    };
    match &auth {
        MtlsClientAuth::TlsClientAuth { subject: expected, .. } => {
            assert_eq!(method, TokenEndpointAuthMethod::TlsClientAuth);
            let members = [
                &metadata.tls_client_auth_subject_dn,
                &metadata.tls_client_auth_san_dns,
                &metadata.tls_client_auth_san_uri,
                &metadata.tls_client_auth_san_ip,
                &metadata.tls_client_auth_san_email,
            ];
            let present: Vec<&String> = members.into_iter().flatten().collect();
            let [value] = present.as_slice() else {
                panic!("a TlsClientAuth credential from {} subject members", present.len());
            };
            let shown = expected.to_string();
            let (member, _) = shown.split_once('=').expect("Display is member=value");
            let field = match member {
                "tls_client_auth_subject_dn" => &metadata.tls_client_auth_subject_dn,
                "tls_client_auth_san_dns" => &metadata.tls_client_auth_san_dns,
                "tls_client_auth_san_uri" => &metadata.tls_client_auth_san_uri,
                "tls_client_auth_san_ip" => &metadata.tls_client_auth_san_ip,
                "tls_client_auth_san_email" => &metadata.tls_client_auth_san_email,
                other => panic!("unknown member {other}"),
            };
            assert_eq!(field.as_ref(), Some(*value));
        }
        MtlsClientAuth::SelfSigned(set) => {
            assert_eq!(method, TokenEndpointAuthMethod::SelfSignedTlsClientAuth);
            let Some(jwks) = &metadata.jwks else {
                panic!("a SelfSigned credential without an inline set");
            };
            let again = JwkSet::from_json(jwks.to_string().as_bytes()).expect("a set");
            assert_eq!(again.certified().len(), set.certified().len());
            assert!(set.certified().len() > 0);
            assert!(again.skipped().eq(set.skipped()));
        }
        MtlsClientAuth::SelfSignedJwksUri(uri) => {
            assert_eq!(method, TokenEndpointAuthMethod::SelfSignedTlsClientAuth);
            assert_eq!(metadata.jwks_uri.as_ref(), Some(uri));
        }
        _ => {}
    }
    assert_eq!(
        auth.validate_chain(None, None, UnixTime::now(), &[]).err(),
        Some(ClientAuthError::NoCertificate)
    );
    for der in FIXTURES {
        if let Ok(cert) = ClientCertificate::from_der(der) {
            check(&auth, &cert);
        }
    }
    if let Some(der) = presented
        && let Ok(cert) = ClientCertificate::from_der(der)
    {
        check(&auth, &cert);
    }
});
