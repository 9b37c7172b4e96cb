//! `tls_client_auth` chain validation (`MtlsClientAuth::validate_chain`): the paths a PKI
//! client's certificate can take, each verdict cross-checked with
//! `openssl verify -purpose sslclient -attime T -CAfile ANCHORS [-untrusted CHAIN] LEAF`
//! when `openssl` is installed. Certificates are made with rcgen at test time, plus the
//! RFC 9440 Appendix A chain (root, intermediate, client leaf with EKU clientAuth).

mod common;

use std::time::Duration;

use common::openssl;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, PublicKeyData, date_time_ymd,
};
use rfc8705::client_auth::{
    ChainError, ClientAuthError, MtlsClientAuth, TrustAnchors, ValidatedChain,
};
use rfc8705::metadata::ClientMetadata;
use rustls::pki_types::{CertificateDer, SignatureVerificationAlgorithm, UnixTime};

/// 2025-06-01T00:00:00Z: inside every test leaf's validity (2025-01-01 to 2026-01-01).
const JUNE_2025: u64 = 1_748_736_000;
/// 2026-06-01T00:00:00Z: after it.
const JUNE_2026: u64 = 1_780_272_000;
/// 2024-06-01T00:00:00Z: before it.
const JUNE_2024: u64 = 1_717_200_000;
/// 2020-06-01T00:00:00Z: inside the RFC 9440 leaf's validity.
const JUNE_2020: u64 = 1_590_969_600;

/// As RFC 4514 renders the leaves rcgen makes below (last RDN first).
const SUBJECT: &str = "O=Example,CN=client-a";

type Ca = CertifiedIssuer<'static, KeyPair>;

fn algorithms() -> &'static [&'static dyn SignatureVerificationAlgorithm] {
    rustls::crypto::aws_lc_rs::default_provider()
        .signature_verification_algorithms
        .all
}

fn ca(cn: &str, issuer: Option<&Ca>) -> Ca {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.not_before = date_time_ymd(2020, 1, 1);
    p.not_after = date_time_ymd(2040, 1, 1);
    let key = KeyPair::generate().unwrap();
    match issuer {
        None => CertifiedIssuer::self_signed(p, key).unwrap(),
        Some(issuer) => CertifiedIssuer::signed_by(p, key, issuer).unwrap(),
    }
}

/// A client leaf with [`SUBJECT`], valid in 2025, with this EKU.
fn leaf_params(eku: ExtendedKeyUsagePurpose) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, "client-a");
    p.distinguished_name
        .push(DnType::OrganizationName, "Example");
    p.extended_key_usages = vec![eku];
    p.not_before = date_time_ymd(2025, 1, 1);
    p.not_after = date_time_ymd(2026, 1, 1);
    p
}

fn leaf(issuer: &Ca) -> CertificateDer<'static> {
    let params = leaf_params(ExtendedKeyUsagePurpose::ClientAuth);
    params
        .signed_by(&KeyPair::generate().unwrap(), issuer)
        .unwrap()
        .der()
        .clone()
}

fn registration(extra: &str) -> MtlsClientAuth {
    let json = format!(
        r#"{{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"{SUBJECT}"{extra}}}"#
    );
    MtlsClientAuth::from_metadata(&ClientMetadata::from_json(json.as_bytes()).unwrap())
        .unwrap()
        .unwrap()
}

fn at(secs: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(secs))
}

/// The crate's verdict for `chain` against `anchors` at `time`, checked against OpenSSL's.
fn verdict(
    auth: &MtlsClientAuth,
    chain: &[CertificateDer<'_>],
    anchors: &[&[u8]],
    time: u64,
) -> Result<(), ChainError> {
    let trust = TrustAnchors::from_der(anchors.iter().copied()).unwrap();
    let ours = match auth.validate_chain(Some(chain), Some(&trust), at(time), algorithms()) {
        Ok(validated) => {
            let ok = auth.authenticate(&validated, Default::default()).unwrap();
            assert_eq!(ok.to_string(), format!("subject {SUBJECT}"));
            Ok(())
        }
        Err(ClientAuthError::Chain(e)) => Err(e),
        Err(other) => panic!("not a chain outcome: {other}"),
    };
    let dir = tempfile::tempdir().unwrap();
    match openssl::verify_client_chain(dir.path(), chain, anchors, time) {
        Some(theirs) => assert_eq!(ours.is_ok(), theirs, "crate {ours:?}, openssl {theirs}"),
        None => eprintln!("openssl not found: verdict not cross-checked"),
    }
    ours
}

#[test]
fn direct_and_intermediate_paths_validate_and_a_missing_intermediate_does_not() {
    let root = ca("Root A", None);
    let issuing = ca("Issuing CA", Some(&root));
    let auth = registration("");
    let anchors = [root.der().as_ref()];

    assert_eq!(verdict(&auth, &[leaf(&root)], &anchors, JUNE_2025), Ok(()));
    let via = leaf(&issuing);
    assert_eq!(
        verdict(
            &auth,
            &[via.clone(), issuing.der().clone()],
            &anchors,
            JUNE_2025
        ),
        Ok(())
    );
    assert_eq!(
        verdict(&auth, &[via], &anchors, JUNE_2025),
        Err(ChainError::NoPathToAnchor)
    );
}

#[test]
fn a_twin_ca_and_a_forged_self_signed_certificate_do_not_validate() {
    let root = ca("Root A", None);
    // Same name, another key: its certificates name "Root A" as their issuer.
    let twin = ca("Root A", None);
    let auth = registration("");
    let anchors = [root.der().as_ref()];
    assert!(verdict(&auth, &[leaf(&twin)], &anchors, JUNE_2025).is_err());

    // A self-signed certificate carrying the registered subject.
    let forged = leaf_params(ExtendedKeyUsagePurpose::ClientAuth)
        .self_signed(&KeyPair::generate().unwrap())
        .unwrap()
        .der()
        .clone();
    assert_eq!(
        verdict(&auth, std::slice::from_ref(&forged), &anchors, JUNE_2025),
        Err(ChainError::NoPathToAnchor)
    );
    // Its subject does match: only the chain keeps it out.
    let stated = ValidatedChain::tls_stack_validated_this_chain(forged.as_ref());
    assert!(auth.authenticate(&stated, Default::default()).is_ok());
}

#[test]
fn validity_is_checked_at_the_given_time() {
    let root = ca("Root A", None);
    let auth = registration("");
    let anchors = [root.der().as_ref()];
    let chain = [leaf(&root)];
    assert!(matches!(
        verdict(&auth, &chain, &anchors, JUNE_2026),
        Err(ChainError::Expired { at: JUNE_2026, .. })
    ));
    assert!(matches!(
        verdict(&auth, &chain, &anchors, JUNE_2024),
        Err(ChainError::NotYetValid { at: JUNE_2024, .. })
    ));
    assert_eq!(verdict(&auth, &chain, &anchors, JUNE_2025), Ok(()));
}

#[test]
fn a_server_auth_only_certificate_is_not_a_client_certificate() {
    let root = ca("Root A", None);
    let server_only = leaf_params(ExtendedKeyUsagePurpose::ServerAuth)
        .signed_by(&KeyPair::generate().unwrap(), &root)
        .unwrap()
        .der()
        .clone();
    assert_eq!(
        verdict(
            &registration(""),
            &[server_only],
            &[root.der().as_ref()],
            JUNE_2025
        ),
        Err(ChainError::NotForClientAuth)
    );
}

#[test]
fn an_end_entity_certificate_cannot_issue() {
    let root = ca("Root A", None);
    // An end-entity certificate (no basicConstraints) whose key signs another leaf.
    let mut ee_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ee_params
        .distinguished_name
        .push(DnType::CommonName, "some client");
    ee_params.not_before = date_time_ymd(2025, 1, 1);
    ee_params.not_after = date_time_ymd(2026, 1, 1);
    let ee = CertifiedIssuer::signed_by(ee_params, KeyPair::generate().unwrap(), &root).unwrap();
    let below = leaf(&ee);
    assert_eq!(
        verdict(
            &registration(""),
            &[below, ee.der().clone()],
            &[root.der().as_ref()],
            JUNE_2025
        ),
        Err(ChainError::IssuerNotCa)
    );
}

#[test]
fn any_of_several_anchors_may_anchor_the_path() {
    let a = ca("Root A", None);
    let b = ca("Root B", None);
    let auth = registration("");
    let chain = [leaf(&a)];
    assert_eq!(
        verdict(
            &auth,
            &chain,
            &[b.der().as_ref(), a.der().as_ref()],
            JUNE_2025
        ),
        Ok(())
    );
    assert!(verdict(&auth, &chain, &[b.der().as_ref()], JUNE_2025).is_err());
}

#[test]
fn the_rfc9440_chain_validates_in_2020() {
    let read = |name: &str| {
        let text =
            std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        rfc8705::ClientCertificate::from_pem(&text)
            .unwrap()
            .der()
            .to_vec()
    };
    let (root, inter, leaf) = (
        read("rfc9440-root.pem"),
        read("rfc9440-intermediate.pem"),
        read("rfc9440-leaf.pem"),
    );
    let json = br#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_email":"bdc@example.com"}"#;
    let auth = MtlsClientAuth::from_metadata(&ClientMetadata::from_json(json).unwrap())
        .unwrap()
        .unwrap();
    let chain = [
        CertificateDer::from(leaf.as_slice()),
        CertificateDer::from(inter.as_slice()),
    ];
    let trust = TrustAnchors::from_der([root.as_slice()]).unwrap();
    let ok = auth
        .validate_chain(Some(&chain), Some(&trust), at(JUNE_2020), algorithms())
        .and_then(|c| auth.authenticate(&c, Default::default()))
        .unwrap();
    assert_eq!(ok.to_string(), "email:bdc@example.com");
    let dir = tempfile::tempdir().unwrap();
    assert_ne!(
        openssl::verify_client_chain(dir.path(), &chain, &[&root], JUNE_2020),
        Some(false)
    );
    // The leaf expired on 2021-01-23.
    assert!(matches!(
        auth.validate_chain(Some(&chain), Some(&trust), at(JUNE_2025), algorithms()),
        Err(ClientAuthError::Chain(ChainError::Expired { .. }))
    ));
    assert_ne!(
        openssl::verify_client_chain(dir.path(), &chain, &[&root], JUNE_2025),
        Some(true)
    );
}

#[test]
fn registered_anchors_replace_the_servers_and_pins_name_the_issuer() {
    use base64ct::{Base64, Base64UrlUnpadded, Encoding};
    use sha2::{Digest, Sha256};
    let a = ca("Root A", None);
    let b = ca("Root B", None);
    let issuing = ca("Issuing CA", Some(&a));
    let server = TrustAnchors::from_der([a.der().as_ref(), b.der().as_ref()]).unwrap();
    let direct = [leaf(&a)];
    let via = [leaf(&issuing), issuing.der().clone()];
    let check = |auth: &MtlsClientAuth, chain: &[CertificateDer<'_>]| {
        auth.validate_chain(Some(chain), Some(&server), at(JUNE_2025), algorithms())
            .and_then(|c| auth.authenticate(&c, Default::default()))
            .map(|_| ())
    };

    // Only Root B may issue this client's certificates: Root A, trusted by the server, may not.
    let only_b = registration(&format!(
        r#","tls_client_auth_trust_anchors":["{}"]"#,
        Base64::encode_string(b.der())
    ));
    assert_eq!(
        check(&only_b, &direct),
        Err(ClientAuthError::Chain(ChainError::NoPathToAnchor))
    );
    assert_eq!(check(&only_b, &[leaf(&b)]), Ok(()));
    // Registered anchors are used even when the server has none.
    let chain = [leaf(&b)];
    let validated = only_b
        .validate_chain(Some(&chain), None, at(JUNE_2025), algorithms())
        .unwrap();
    assert!(only_b.authenticate(&validated, Default::default()).is_ok());
    // ... and a chain another registration validated to the server's anchors is refused.
    let plain = registration("");
    let to_a = plain
        .validate_chain(Some(&direct), Some(&server), at(JUNE_2025), algorithms())
        .unwrap();
    assert_eq!(
        only_b.authenticate(&to_a, Default::default()).unwrap_err(),
        ClientAuthError::Chain(ChainError::OtherClient)
    );

    // Pinned: the issuing CA's key.
    let pin =
        Base64UrlUnpadded::encode_string(&Sha256::digest(issuing.key().subject_public_key_info()));
    let pinned = registration(&format!(r#","tls_client_auth_issuer_spki_s256":["{pin}"]"#));
    assert_eq!(check(&pinned, &via), Ok(()));
    assert_eq!(
        check(&pinned, &direct),
        Err(ClientAuthError::Chain(ChainError::IssuerNotRegistered))
    );
    // Another registration's chain: refused before its issuer is even looked at.
    assert_eq!(
        pinned.authenticate(&to_a, Default::default()).unwrap_err(),
        ClientAuthError::Chain(ChainError::OtherClient)
    );
    // The TLS stack cannot have checked a client's own issuers.
    let stated = ValidatedChain::tls_stack_validated_this_chain(via[0].as_ref());
    assert_eq!(
        pinned
            .authenticate(&stated, Default::default())
            .unwrap_err(),
        ClientAuthError::Chain(ChainError::IssuerNotShown)
    );
    assert!(plain.authenticate(&stated, Default::default()).is_ok());
}

#[test]
fn a_chain_passed_on_for_a_self_signed_client_does_not_authenticate_a_pki_client() {
    let root = ca("Root A", None);
    let chain = [leaf(&root)];
    let self_signed = MtlsClientAuth::SelfSignedJwksUri("https://c.example/jwks".into());
    let passed_on = self_signed
        .validate_chain(Some(&chain), None, at(JUNE_2025), &[])
        .unwrap();
    assert_eq!(
        registration("")
            .authenticate(&passed_on, Default::default())
            .unwrap_err(),
        ClientAuthError::Chain(ChainError::NotValidated)
    );
    // No certificate, no anchors.
    assert_eq!(
        registration("")
            .validate_chain(None, None, at(JUNE_2025), algorithms())
            .unwrap_err(),
        ClientAuthError::NoCertificate
    );
    assert_eq!(
        registration("")
            .validate_chain(Some(&chain), None, at(JUNE_2025), algorithms())
            .unwrap_err(),
        ClientAuthError::Chain(ChainError::NoAnchors)
    );
}

#[test]
fn registrations_with_bad_issuer_members_are_refused() {
    use rfc8705::RegistrationError as E;
    let reg = |extra: &str| {
        let json = format!(
            r#"{{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"CN=a"{extra}}}"#
        );
        MtlsClientAuth::from_metadata(&ClientMetadata::from_json(json.as_bytes()).unwrap())
            .map(|_| ())
    };
    for bad in [
        r#","tls_client_auth_trust_anchors":[]"#,
        r#","tls_client_auth_trust_anchors":"MIIB""#,
        r#","tls_client_auth_issuer_spki_s256":[1]"#,
    ] {
        assert!(matches!(reg(bad), Err(E::IssuerMember { .. })), "{bad}");
    }
    assert!(matches!(
        reg(r#","tls_client_auth_trust_anchors":["not base64!"]"#),
        Err(E::TrustAnchor { index: 0, .. })
    ));
    assert!(matches!(
        reg(r#","tls_client_auth_trust_anchors":["AAAA"]"#),
        Err(E::TrustAnchor { index: 0, .. })
    ));
    assert!(matches!(
        reg(r#","tls_client_auth_issuer_spki_s256":["AAAA"]"#),
        Err(E::IssuerPin { index: 0, .. })
    ));
    // Only with tls_client_auth.
    let json = br#"{"token_endpoint_auth_method":"self_signed_tls_client_auth","jwks_uri":"https://c.example/j","tls_client_auth_issuer_spki_s256":["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]}"#;
    assert_eq!(
        MtlsClientAuth::from_metadata(&ClientMetadata::from_json(json).unwrap()).unwrap_err(),
        E::SubjectWithoutTlsClientAuth {
            member: "tls_client_auth_issuer_spki_s256"
        }
    );
}
