//! Revocation of `tls_client_auth` chains (`MtlsClientAuth::validate_chain_with_revocation`)
//! on the files of tests/data/crl (made by its make.sh with openssl): each case with its
//! positive control, each verdict the same as `openssl verify -crl_check_all` on the same
//! files (the table make.sh recorded, and openssl itself when it is installed).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use rfc8705::client_auth::{
    ChainError, ClientAuthError, ExpirationPolicy, MtlsClientAuth, RevocationCheckDepth,
    RevocationLists, RevocationPolicy, RevocationReason, TrustAnchors, UnknownStatusPolicy,
};
use rfc8705::metadata::ClientMetadata;
use rustls::pki_types::{CertificateDer, SignatureVerificationAlgorithm, UnixTime};

/// 2030-01-01T00:00:00Z, the validation time of make.sh.
const AT: u64 = 1_893_456_000;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/crl")
}

fn file(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn cert(name: &str) -> CertificateDer<'static> {
    rfc8705::ClientCertificate::from_pem(&file(name))
        .unwrap()
        .der()
        .to_vec()
        .into()
}

fn algorithms() -> &'static [&'static dyn SignatureVerificationAlgorithm] {
    rustls::crypto::aws_lc_rs::default_provider()
        .signature_verification_algorithms
        .all
}

fn auth() -> MtlsClientAuth {
    let json = br#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"CN=client-a,O=Example"}"#;
    MtlsClientAuth::from_metadata(&ClientMetadata::from_json(json).unwrap())
        .unwrap()
        .unwrap()
}

/// The crate's verdict on `leaf` (with the intermediate) under `crls`.
fn ours(leaf: &str, crls: &[&str], policy: RevocationPolicy) -> Result<(), ChainError> {
    let anchors = TrustAnchors::from_der([cert("root.pem").as_ref()]).unwrap();
    let inputs: Vec<Vec<u8>> = crls.iter().map(|c| file(c)).collect();
    let lists = RevocationLists::read(inputs.iter().map(Vec::as_slice), policy).unwrap();
    let chain = [cert(leaf), cert("int.pem")];
    let auth = auth();
    let at = UnixTime::since_unix_epoch(Duration::from_secs(AT));
    match auth.validate_chain_with_revocation(
        Some(&chain),
        Some(&anchors),
        &lists,
        at,
        algorithms(),
    ) {
        Ok(validated) => {
            auth.authenticate(&validated, Default::default()).unwrap();
            Ok(())
        }
        Err(ClientAuthError::Chain(e)) => Err(e),
        Err(other) => panic!("not a chain outcome: {other}"),
    }
}

/// openssl's verdict as make.sh recorded it.
fn recorded(case: &str) -> bool {
    let table = String::from_utf8(file("openssl-verdicts.txt")).unwrap();
    let line = table
        .lines()
        .find(|l| l.split('\t').next() == Some(case))
        .unwrap_or_else(|| panic!("{case} is not in openssl-verdicts.txt"));
    line.ends_with(": OK ")
}

/// openssl's verdict now, or `None` without openssl.
fn openssl(leaf: &str, crls: &[&str]) -> Option<bool> {
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("openssl");
    cmd.current_dir(dir()).args([
        "verify",
        "-crl_check_all",
        "-attime",
        &AT.to_string(),
        "-CAfile",
        "root.pem",
        "-untrusted",
        "int.pem",
    ]);
    for crl in crls {
        let pem = tmp.path().join(format!("{crl}.pem"));
        let ok = Command::new("openssl")
            .args(["crl", "-inform", "DER", "-in"])
            .arg(dir().join(crl))
            .arg("-out")
            .arg(&pem)
            .status()
            .ok()?;
        assert!(ok.success(), "openssl crl {crl}");
        cmd.arg("-CRLfile").arg(pem);
    }
    Some(cmd.arg(leaf).output().ok()?.status.success())
}

/// Checks the crate's verdict against openssl's (recorded, and live when installed).
fn case(name: &str, leaf: &str, crls: &[&str]) -> Result<(), ChainError> {
    let verdict = ours(leaf, crls, RevocationPolicy::default());
    assert_eq!(verdict.is_ok(), recorded(name), "{name}: {verdict:?}");
    match openssl(leaf, crls) {
        Some(theirs) => assert_eq!(verdict.is_ok(), theirs, "{name}: {verdict:?}"),
        None if std::env::var_os("CI").is_some() => panic!("openssl is missing"),
        None => eprintln!("skipped: openssl is missing (the recorded verdicts were checked)"),
    }
    verdict
}

const GOOD: &[&str] = &["root.crl", "int.crl"];

#[test]
fn a_chain_with_fresh_crls_for_every_certificate_validates() {
    assert_eq!(case("good", "leaf.pem", GOOD), Ok(()));
}

#[test]
fn a_revoked_leaf_is_refused_with_its_name_serial_and_reason() {
    let err = case("revoked-leaf", "leaf-revoked.pem", GOOD).unwrap_err();
    assert_eq!(
        err,
        ChainError::Revoked {
            position: 0,
            subject: "CN=client-a,O=Example".into(),
            serial: "1002".into(),
            reason: Some(RevocationReason::KeyCompromise),
        }
    );
    assert!(err.to_string().contains("keyCompromise (1)"), "{err}");
    // The positive control: the same CRLs, the other leaf.
    assert_eq!(case("good", "leaf.pem", GOOD), Ok(()));
}

#[test]
fn a_revoked_intermediate_is_refused() {
    let crls = ["root-revokes-int.crl", "int.crl"];
    let err = case("revoked-intermediate", "leaf.pem", &crls).unwrap_err();
    assert!(
        matches!(
            &err,
            ChainError::Revoked { position: 1, subject, serial, reason: Some(RevocationReason::CaCompromise) }
                if subject == "CN=Test Intermediate CA,O=Example" && serial == "02"
        ),
        "{err:?}"
    );
    // Checking the leaf only, the intermediate's status is not needed.
    let mut leaf_only = RevocationPolicy::default();
    leaf_only.depth = RevocationCheckDepth::EndEntity;
    assert_eq!(ours("leaf.pem", &crls, leaf_only), Ok(()));
}

#[test]
fn a_certificate_without_a_crl_from_its_issuer_is_refused_by_default() {
    let err = case("unknown-leaf", "leaf.pem", &["root.crl"]).unwrap_err();
    assert!(
        matches!(err, ChainError::RevocationUnknown { position: 0, .. }),
        "{err:?}"
    );
    let err = case("unknown-intermediate", "leaf.pem", &["int.crl"]).unwrap_err();
    assert!(
        matches!(err, ChainError::RevocationUnknown { position: 1, .. }),
        "{err:?}"
    );
    // The caller may allow an unknown status, or check the leaf only.
    let mut allow = RevocationPolicy::default();
    allow.unknown_status = UnknownStatusPolicy::Allow;
    assert_eq!(ours("leaf.pem", &["root.crl"], allow), Ok(()));
    let mut leaf_only = RevocationPolicy::default();
    leaf_only.depth = RevocationCheckDepth::EndEntity;
    assert_eq!(ours("leaf.pem", &["int.crl"], leaf_only), Ok(()));
    // Allowing unknown status never lets a revoked certificate through.
    assert!(matches!(
        ours("leaf-revoked.pem", GOOD, allow),
        Err(ChainError::Revoked { .. })
    ));
}

#[test]
fn an_expired_crl_gives_no_status_by_default() {
    let crls = ["root.crl", "int-expired.crl"];
    let err = case("expired-crl", "leaf.pem", &crls).unwrap_err();
    assert!(
        matches!(
            err,
            ChainError::CrlExpired {
                at: AT,
                next_update: 1_640_995_200
            }
        ),
        "{err:?}"
    );
    // The caller may accept an expired CRL; it still revokes.
    let mut lenient = RevocationPolicy::default();
    lenient.expired_crl = ExpirationPolicy::Ignore;
    assert_eq!(ours("leaf.pem", &crls, lenient), Ok(()));
    assert!(matches!(
        ours("leaf-revoked.pem", &crls, lenient),
        Err(ChainError::Revoked { position: 0, .. })
    ));
}

#[test]
fn a_crl_signed_by_another_key_does_not_count() {
    // It gives no status: the leaf has none (openssl: "unable to get certificate CRL").
    let forged = ["root.crl", "int-forged.crl"];
    let err = case("forged-crl", "leaf.pem", &forged).unwrap_err();
    assert!(
        matches!(err, ChainError::RevocationUnknown { position: 0, .. }),
        "{err:?}"
    );
    // Beside the genuine CRL, whatever the order, the genuine one decides.
    for crls in [
        ["root.crl", "int-forged.crl", "int.crl"],
        ["int-forged.crl", "root.crl", "int.crl"],
        ["root.crl", "int.crl", "int-forged.crl"],
    ] {
        assert_eq!(
            ours("leaf.pem", &crls, RevocationPolicy::default()),
            Ok(()),
            "{crls:?}"
        );
        assert!(
            matches!(
                ours("leaf-revoked.pem", &crls, RevocationPolicy::default()),
                Err(ChainError::Revoked { position: 0, .. })
            ),
            "{crls:?}"
        );
    }
    // With unknown status allowed, it is as if it were not there.
    let mut allow = RevocationPolicy::default();
    allow.unknown_status = UnknownStatusPolicy::Allow;
    assert_eq!(ours("leaf.pem", &forged, allow), Ok(()));
    assert_eq!(ours("leaf.pem", &["int-forged.crl"], allow), Ok(()));
}

#[test]
fn a_crl_of_another_issuer_gives_no_status() {
    let err = case("other-issuer", "leaf.pem", &["root.crl", "other.crl"]).unwrap_err();
    assert!(
        matches!(err, ChainError::RevocationUnknown { position: 0, .. }),
        "{err:?}"
    );
}

#[test]
fn crls_are_read_from_der_and_from_pem_with_several_blocks() {
    let pem = file("root-and-int.pem");
    let lists = RevocationLists::read([pem.as_slice()], RevocationPolicy::default()).unwrap();
    let anchors = TrustAnchors::from_der([cert("root.pem").as_ref()]).unwrap();
    let auth = auth();
    let at = UnixTime::since_unix_epoch(Duration::from_secs(AT));
    let good = [cert("leaf.pem"), cert("int.pem")];
    assert!(
        auth.validate_chain_with_revocation(Some(&good), Some(&anchors), &lists, at, algorithms())
            .is_ok()
    );
    let revoked = [cert("leaf-revoked.pem"), cert("int.pem")];
    assert!(
        auth.validate_chain_with_revocation(
            Some(&revoked),
            Some(&anchors),
            &lists,
            at,
            algorithms()
        )
        .is_err()
    );
    // Inputs that hold no CRL, or a damaged one, are refused with their position.
    let root = file("root.crl");
    for bad in [
        &b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"[..],
        b"\x30\x03\x02\x01\x01",
        &root[..root.len() - 1],
    ] {
        let err =
            RevocationLists::read([root.as_slice(), bad], RevocationPolicy::default()).unwrap_err();
        assert!(matches!(err, ChainError::Crl { index: 1, .. }), "{err:?}");
    }
    assert!(
        RevocationLists::read(std::iter::empty::<&[u8]>(), RevocationPolicy::default()).is_err()
    );
}

#[test]
fn the_default_policy_is_the_strict_one() {
    let p = RevocationPolicy::default();
    assert_eq!(p.depth, RevocationCheckDepth::Chain);
    assert_eq!(p.unknown_status, UnknownStatusPolicy::Deny);
    assert_eq!(p.expired_crl, ExpirationPolicy::Enforce);
}
