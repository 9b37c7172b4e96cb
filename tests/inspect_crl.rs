//! `inspect match … --crl FILE [--crl FILE …]` on the files of tests/data/crl (see its make.sh):
//! exit 0 when every certificate below the anchor has an unexpired CRL from its issuer that
//! does not list it, 1 (reason on stderr) when one is revoked or has no usable CRL, 2 when a
//! file holds no CRL; and `inspect verify` on an inactive introspection response: exit 1.
mod common;
use common::{data, inspect};

/// Asserts `inspect`'s exit status, naming the case.
trait Exits {
    fn exits(&self, code: i32, case: &str);
}

impl Exits for common::Run {
    fn exits(&self, code: i32, case: &str) {
        assert_eq!(self.code, code, "{case}: {self:?}");
    }
}

/// The validation time of make.sh.
const AT: &str = "2030-01-01T00:00:00Z";

fn run_match(leaf: &str, crls: &[&str]) -> common::Run {
    let (leaf, root, int) = (
        data(&format!("crl/{leaf}")),
        data("crl/root.pem"),
        data("crl/int.pem"),
    );
    let crls: Vec<String> = crls.iter().map(|c| data(&format!("crl/{c}"))).collect();
    let mut args = vec![
        "match",
        &leaf,
        "--subject-dn",
        "CN=client-a,O=Example",
        "--trust-anchor",
        &root,
        "--chain",
        &int,
        "--at",
        AT,
    ];
    for crl in &crls {
        args.extend(["--crl", crl.as_str()]);
    }
    inspect(&args, b"")
}

#[test]
fn match_with_crls_answers_like_openssl_crl_check_all() {
    run_match("leaf.pem", &["root.crl", "int.crl"]).exits(0, "fresh CRLs, not revoked");
    run_match("leaf.pem", &["root-and-int.pem"]).exits(0, "both CRLs in one PEM file");
    let revoked = run_match("leaf-revoked.pem", &["root.crl", "int.crl"]);
    revoked.exits(1, "revoked leaf");
    assert!(
        revoked.stderr.contains("revoked: keyCompromise (1)"),
        "{revoked:?}"
    );
    assert!(revoked.stderr.contains("serial 1002"), "{revoked:?}");
    run_match("leaf.pem", &["root-revokes-int.crl", "int.crl"]).exits(1, "revoked intermediate");
    let expired = run_match("leaf.pem", &["root.crl", "int-expired.crl"]);
    expired.exits(1, "expired CRL");
    assert!(
        expired.stderr.contains("2022-01-01T00:00:00Z"),
        "{expired:?}"
    );
    run_match("leaf.pem", &["int.crl"]).exits(1, "no CRL for the intermediate");
    run_match("leaf.pem", &["root.crl"]).exits(1, "no CRL for the leaf");
    run_match("leaf.pem", &["root.crl", "int-forged.crl"]).exits(1, "CRL signed by another key");
    run_match("leaf.pem", &["root.crl", "other.crl"]).exits(1, "CRL of another issuer");
    // Without --crl, revocation is not checked.
    run_match("leaf-revoked.pem", &[]).exits(0, "no --crl");
}

#[test]
fn a_crl_file_without_a_crl_is_bad_input() {
    let run = run_match("leaf.pem", &["root.crl", "root.pem"]);
    run.exits(2, "a certificate given as --crl");
    assert!(run.stderr.contains("root.pem"), "{run:?}");
    let leaf = data("crl/leaf.pem");
    let crl = data("crl/root.crl");
    inspect(
        &[
            "match",
            &leaf,
            "--subject-dn",
            "CN=client-a,O=Example",
            "--crl",
            &crl,
        ],
        b"",
    )
    .exits(2, "--crl without --trust-anchor");
}

#[test]
fn a_leaf_given_as_trust_anchor_is_bad_input() {
    let leaf = data("crl/leaf.pem");
    inspect(
        &[
            "match",
            &leaf,
            "--subject-dn",
            "CN=client-a,O=Example",
            "--trust-anchor",
            &leaf,
        ],
        b"",
    )
    .exits(2, "an end-entity certificate as anchor");
}

#[test]
fn verify_says_no_for_an_inactive_introspection_response() {
    let der = rfc8705::ClientCertificate::from_pem(&std::fs::read(data("crl/leaf.pem")).unwrap())
        .unwrap()
        .der()
        .to_vec();
    let x5t = rfc8705::Thumbprint::from_der(&der).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (active, code) in [("true", 0), ("false", 1)] {
        let claims = dir.path().join(format!("{active}.json"));
        std::fs::write(
            &claims,
            format!(r#"{{"active":{active},"cnf":{{"x5t#S256":"{x5t}"}}}}"#),
        )
        .unwrap();
        let run = inspect(&["verify", "-", "--claims", claims.to_str().unwrap()], &der);
        run.exits(code, active);
        if code == 1 {
            assert!(run.stderr.contains("not active"), "{run:?}");
        }
    }
}
