//! The RFC 5280 checks the crate runs after `rustls-webpki`'s path building (an issuer's
//! keyUsage, rfc822Name constraints on the subject's emailAddress), trust anchors that must be
//! CA certificates, and chains tied to the registration that validated them. Certificates are
//! made with rcgen at test time; the chain verdicts are cross-checked with
//! `openssl verify -purpose sslclient` when openssl is installed.

mod common;

use std::time::Duration;

use base64ct::{Base64, Encoding};
use common::openssl;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, DnValue, ExtendedKeyUsagePurpose,
    GeneralSubtree, IsCa, KeyPair, KeyUsagePurpose, NameConstraints, date_time_ymd,
};
use rfc8705::client_auth::{
    ChainError, ClientAuthError, MtlsClientAuth, RegistrationError, TrustAnchors,
};
use rfc8705::metadata::ClientMetadata;
use rustls::pki_types::{CertificateDer, SignatureVerificationAlgorithm, UnixTime};

/// 2025-06-01T00:00:00Z.
const JUNE_2025: u64 = 1_748_736_000;
/// id-emailAddress, 1.2.840.113549.1.9.1.
const EMAIL: &[u64] = &[1, 2, 840, 113_549, 1, 9, 1];

type Ca = CertifiedIssuer<'static, KeyPair>;

fn algorithms() -> &'static [&'static dyn SignatureVerificationAlgorithm] {
    rustls::crypto::aws_lc_rs::default_provider()
        .signature_verification_algorithms
        .all
}

fn at() -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(JUNE_2025))
}

fn ca_with(cn: &str, issuer: Option<&Ca>, edit: impl FnOnce(&mut CertificateParams)) -> Ca {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.not_before = date_time_ymd(2020, 1, 1);
    p.not_after = date_time_ymd(2040, 1, 1);
    edit(&mut p);
    let key = KeyPair::generate().unwrap();
    match issuer {
        None => CertifiedIssuer::self_signed(p, key).unwrap(),
        Some(issuer) => CertifiedIssuer::signed_by(p, key, issuer).unwrap(),
    }
}

/// A client leaf `CN=client-a`, with an emailAddress in its subject when given.
fn leaf(issuer: &Ca, email: Option<&str>) -> CertificateDer<'static> {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, "client-a");
    if let Some(email) = email {
        p.distinguished_name.push(
            DnType::CustomDnType(EMAIL.to_vec()),
            DnValue::Ia5String(email.try_into().unwrap()),
        );
    }
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    p.not_before = date_time_ymd(2025, 1, 1);
    p.not_after = date_time_ymd(2026, 1, 1);
    p.signed_by(&KeyPair::generate().unwrap(), issuer)
        .unwrap()
        .der()
        .clone()
}

fn registration(extra: &str) -> MtlsClientAuth {
    let json = format!(
        r#"{{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_dns":"unused.example"{extra}}}"#
    );
    MtlsClientAuth::from_metadata(&ClientMetadata::from_json(json.as_bytes()).unwrap())
        .unwrap()
        .unwrap()
}

/// The crate's chain verdict, checked against openssl's.
fn verdict(chain: &[CertificateDer<'_>], anchor: &Ca) -> Result<(), ChainError> {
    let anchors = TrustAnchors::from_der([anchor.der().as_ref()]).unwrap();
    let ours =
        match registration("").validate_chain(Some(chain), Some(&anchors), at(), algorithms()) {
            Ok(_) => Ok(()),
            Err(ClientAuthError::Chain(e)) => Err(e),
            Err(other) => panic!("not a chain outcome: {other}"),
        };
    let dir = tempfile::tempdir().unwrap();
    match openssl::verify_client_chain(dir.path(), chain, &[anchor.der()], JUNE_2025) {
        Some(theirs) => assert_eq!(ours.is_ok(), theirs, "crate {ours:?}, openssl {theirs}"),
        None if std::env::var_os("CI").is_some() => panic!("openssl is missing"),
        None => eprintln!("skipped: openssl is missing (verdict not cross-checked)"),
    }
    ours
}

#[test]
fn an_issuer_whose_key_usage_lacks_key_cert_sign_issues_nothing() {
    let root = ca_with("Root", None, |_| {});
    let signing_only = ca_with("Signing Only CA", Some(&root), |p| {
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    });
    let chain = [leaf(&signing_only, None), signing_only.der().clone()];
    let err = verdict(&chain, &root).unwrap_err();
    assert_eq!(
        err,
        ChainError::IssuerNotCertSigner {
            position: 1,
            subject: "CN=Signing Only CA".into()
        }
    );
    // Positive controls: keyCertSign asserted, or no keyUsage at all.
    let cert_signer = ca_with("Cert Signer CA", Some(&root), |p| {
        p.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyCertSign,
        ];
    });
    let chain = [leaf(&cert_signer, None), cert_signer.der().clone()];
    assert_eq!(verdict(&chain, &root), Ok(()));
    let no_ku = ca_with("No KU CA", Some(&root), |_| {});
    let chain = [leaf(&no_ku, None), no_ku.der().clone()];
    assert_eq!(verdict(&chain, &root), Ok(()));
}

fn constrained(name: &str, issuer: Option<&Ca>, permitted: &[&str], excluded: &[&str]) -> Ca {
    let subtrees = |list: &[&str]| {
        list.iter()
            .map(|s| GeneralSubtree::Rfc822Name((*s).into()))
            .collect()
    };
    ca_with(name, issuer, |p| {
        p.name_constraints = Some(NameConstraints {
            permitted_subtrees: subtrees(permitted),
            excluded_subtrees: subtrees(excluded),
        });
    })
}

#[test]
fn rfc822_constraints_reach_the_subject_email_address_of_a_leaf_without_san() {
    let root = ca_with("Root", None, |_| {});
    let example_only = constrained("Example CA", Some(&root), &["example.com"], &[]);
    let chain = |email| [leaf(&example_only, Some(email)), example_only.der().clone()];
    let err = verdict(&chain("admin@evil.org"), &root).unwrap_err();
    assert!(
        matches!(&err, ChainError::EmailOutsideConstraints { position: 0, subject } if subject.contains("admin@evil.org")),
        "{err:?}"
    );
    assert_eq!(verdict(&chain("admin@example.com"), &root), Ok(()));
    // No emailAddress: nothing to constrain.
    let plain = [leaf(&example_only, None), example_only.der().clone()];
    assert_eq!(verdict(&plain, &root), Ok(()));

    // Excluded subtrees.
    let not_evil = constrained("Not Evil CA", Some(&root), &[], &["evil.org"]);
    let chain = |email| [leaf(&not_evil, Some(email)), not_evil.der().clone()];
    assert!(matches!(
        verdict(&chain("admin@evil.org"), &root),
        Err(ChainError::EmailOutsideConstraints { position: 0, .. })
    ));
    assert_eq!(verdict(&chain("admin@good.org"), &root), Ok(()));

    // A constrained trust anchor constrains the whole chain.
    let anchor = constrained("Constrained Root", None, &["example.com"], &[]);
    assert!(matches!(
        verdict(&[leaf(&anchor, Some("admin@evil.org"))], &anchor),
        Err(ChainError::EmailOutsideConstraints { .. })
    ));
    assert_eq!(
        verdict(&[leaf(&anchor, Some("a@example.com"))], &anchor),
        Ok(())
    );
}

#[test]
fn a_trust_anchor_must_be_a_ca_certificate() {
    let root = ca_with("Root", None, |_| {});
    let end_entity = leaf(&root, None);
    assert!(matches!(
        TrustAnchors::from_der([end_entity.as_ref()]),
        Err(ChainError::Anchor { index: 0, .. })
    ));
    let v1 = rfc8705::ClientCertificate::from_pem(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/crl/v1-root.pem"
        ))
        .unwrap(),
    )
    .unwrap();
    assert!(matches!(
        TrustAnchors::from_der([root.der().as_ref(), v1.der()]),
        Err(ChainError::Anchor { index: 1, .. })
    ));
    let no_cert_sign = ca_with("CRL Signer", None, |p| {
        p.key_usages = vec![KeyUsagePurpose::CrlSign];
    });
    assert!(TrustAnchors::from_der([no_cert_sign.der().as_ref()]).is_err());
    assert!(TrustAnchors::from_der([root.der().as_ref()]).is_ok());

    // The same rule for a registration's anchors.
    for (der, ok) in [
        (end_entity.as_ref(), false),
        (v1.der(), false),
        (root.der().as_ref(), true),
    ] {
        let json = format!(
            r#"{{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"CN=client-a","tls_client_auth_trust_anchors":["{}"]}}"#,
            Base64::encode_string(der)
        );
        let outcome =
            MtlsClientAuth::from_metadata(&ClientMetadata::from_json(json.as_bytes()).unwrap());
        match outcome {
            Ok(_) => assert!(ok),
            Err(RegistrationError::TrustAnchor { index: 0, reason }) => {
                assert!(!ok, "{reason}");
                assert!(reason.contains("CA"), "{reason}");
            }
            Err(other) => panic!("{other}"),
        }
    }
}

#[test]
fn a_validated_chain_belongs_to_the_registration_that_validated_it() {
    let root_a = ca_with("Root A", None, |_| {});
    let root_b = ca_with("Root B", None, |_| {});
    let chain = [leaf(&root_a, None)];
    let dn = r#""tls_client_auth_subject_dn":"CN=client-a""#;
    let client = |extra: &str| {
        let json = format!(r#"{{"token_endpoint_auth_method":"tls_client_auth",{dn}{extra}}}"#);
        MtlsClientAuth::from_metadata(&ClientMetadata::from_json(json.as_bytes()).unwrap())
            .unwrap()
            .unwrap()
    };
    // Client A registered Root A; client B registered nothing and the server trusts Root B.
    let a = client(&format!(
        r#","tls_client_auth_trust_anchors":["{}"]"#,
        Base64::encode_string(root_a.der())
    ));
    let b = client("");
    let server = TrustAnchors::from_der([root_b.der().as_ref()]).unwrap();
    let for_a = a
        .validate_chain(Some(&chain), Some(&server), at(), algorithms())
        .unwrap();
    assert!(a.authenticate(&for_a, Default::default()).is_ok());
    // B's own validation fails, and A's validated chain does not authenticate B.
    assert!(
        b.validate_chain(Some(&chain), Some(&server), at(), algorithms())
            .is_err()
    );
    assert_eq!(
        b.authenticate(&for_a, Default::default()).unwrap_err(),
        ClientAuthError::Chain(ChainError::OtherClient)
    );
    // Not even an identical registration (a copy) may use it.
    let copy = a.clone();
    assert_eq!(
        copy.authenticate(&for_a, Default::default()).unwrap_err(),
        ClientAuthError::Chain(ChainError::OtherClient)
    );
}

/// A validated chain can be held across an `.await` in a `Send` future, as before it
/// remembered its registration.
#[test]
fn a_validated_chain_is_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<rfc8705::client_auth::ValidatedChain<'static>>();
    send_sync::<rfc8705::client_auth::RevocationLists>();
}
