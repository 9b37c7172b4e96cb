//! `inspect match … --trust-anchor FILE [--trust-anchor FILE …] [--chain FILE] [--at RFC3339]`:
//! exit 0 when the chain validates for client authentication at that time and the name rule
//! matches, 1 (reason on stderr) when either fails, 2 for bad input. The RFC 9440 Appendix A
//! chain (root, intermediate, leaf `CN=BC` with `email:bdc@example.com`, valid 2020-01-14 to
//! 2021-01-23), and certificates made with rcgen at test time.
mod common;
use common::{data, inspect};

use base64ct::{Base64, Encoding};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair,
};

const IN_2020: &str = "2020-06-01T00:00:00Z";

fn tmp(dir: &tempfile::TempDir, name: &str, content: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

fn rfc9440(args: &[&str]) -> common::Run {
    let (leaf, root, inter) = (
        data("rfc9440-leaf.pem"),
        data("rfc9440-root.pem"),
        data("rfc9440-intermediate.pem"),
    );
    let mut all = vec!["match", &leaf, "--san-email", "bdc@example.com"];
    all.extend(["--trust-anchor", &root]);
    all.extend(args.iter().map(|a| match *a {
        "INTER" => inter.as_str(),
        other => other,
    }));
    inspect(&all, b"")
}

#[test]
fn a_valid_chain_and_a_matching_name_is_yes() {
    let run = rfc9440(&["--chain", "INTER", "--at", IN_2020]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.trim_end(), "email:bdc@example.com");
    // The same instant with an offset, and with a fraction and lowercase separators.
    for at in ["2020-06-01T02:00:00+02:00", "2020-05-31t20:00:00.25-04:00"] {
        let run = rfc9440(&["--chain", "INTER", "--at", at]);
        assert_eq!(run.code, 0, "{at}: {run:?}");
    }
}

#[test]
fn each_failure_says_why() {
    let run = rfc9440(&["--at", IN_2020]);
    run.assert_exit(1, "no path to a trust anchor");

    let run = rfc9440(&["--chain", "INTER", "--at", "2025-06-01T00:00:00Z"]);
    run.assert_exit(
        1,
        "expired at 2021-01-23T22:55:33Z (validation time 2025-06-01T00:00:00Z)",
    );

    let run = rfc9440(&["--chain", "INTER", "--at", "2019-06-01T00:00:00Z"]);
    run.assert_exit(1, "not yet valid");

    // A valid chain, another name.
    let (leaf, root, inter) = (
        data("rfc9440-leaf.pem"),
        data("rfc9440-root.pem"),
        data("rfc9440-intermediate.pem"),
    );
    let run = inspect(
        &[
            "match",
            &leaf,
            "--subject-dn",
            "CN=AB",
            "--trust-anchor",
            &root,
            "--chain",
            &inter,
            "--at",
            IN_2020,
        ],
        b"",
    );
    run.assert_exit(1, "name mismatch");
}

#[test]
fn any_trust_anchor_may_anchor_the_path() {
    let leaf = data("rfc9440-leaf.pem");
    let run = inspect(
        &[
            "match",
            &leaf,
            "--subject-dn",
            "CN=BC",
            "--trust-anchor",
            &data("crl/other.pem"),
            "--trust-anchor",
            &data("rfc9440-root.pem"),
            "--chain",
            &data("rfc9440-intermediate.pem"),
            "--at",
            IN_2020,
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn bad_input_is_exit_2() {
    for at in [
        "2020-06-01",
        "2020-06-01 00:00:00Z",
        "2020-13-01T00:00:00Z",
        "2021-02-29T00:00:00Z",
        "2020-06-01T24:00:00Z",
        "2020-06-01T00:00:00",
        "2020-06-01T00:00:00+0200",
        "2020-06-01T00:00:00.Z",
        "1969-12-31T23:59:59Z",
        "2020-06-01T00:00:00Z ",
    ] {
        rfc9440(&["--chain", "INTER", "--at", at]).assert_exit(2, "RFC 3339");
    }
    // An anchor file with no certificate.
    let dir = tempfile::tempdir().unwrap();
    let empty = tmp(&dir, "empty.pem", "no certificate here\n");
    let leaf = data("rfc9440-leaf.pem");
    let run = inspect(
        &[
            "match",
            &leaf,
            "--subject-dn",
            "CN=BC",
            "--trust-anchor",
            &empty,
        ],
        b"",
    );
    run.assert_exit(2, "holds no certificate");
    // --chain and --at only with --trust-anchor.
    let run = inspect(
        &["match", &leaf, "--subject-dn", "CN=BC", "--at", IN_2020],
        b"",
    );
    assert_eq!(run.code, 2, "{run:?}");
    // Two name rules.
    let run = inspect(
        &[
            "match",
            &leaf,
            "--subject-dn",
            "CN=BC",
            "--san-dns",
            "a.example",
        ],
        b"",
    );
    assert_eq!(run.code, 2, "{run:?}");
}

struct Pki {
    dir: tempfile::TempDir,
    ca: String,
}

impl Pki {
    fn new() -> (Self, CertifiedIssuer<'static, KeyPair>) {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name.push(DnType::CommonName, "Test CA");
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = CertifiedIssuer::self_signed(p, KeyPair::generate().unwrap()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let ca_path = tmp(&dir, "ca.pem", &ca.pem());
        (Self { dir, ca: ca_path }, ca)
    }
}

fn client_params(eku: ExtendedKeyUsagePurpose) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, "client-a");
    p.extended_key_usages = vec![eku];
    p
}

#[test]
fn rcgen_made_chains_failures_and_the_name_only_default() {
    let (pki, ca) = Pki::new();
    let leaf = client_params(ExtendedKeyUsagePurpose::ClientAuth)
        .signed_by(&KeyPair::generate().unwrap(), &ca)
        .unwrap();
    let leaf_path = tmp(&pki.dir, "leaf.pem", &leaf.pem());
    let run = inspect(
        &[
            "match",
            &leaf_path,
            "--subject-dn",
            "CN=client-a",
            "--trust-anchor",
            &pki.ca,
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{run:?}");

    // serverAuth only.
    let server = client_params(ExtendedKeyUsagePurpose::ServerAuth)
        .signed_by(&KeyPair::generate().unwrap(), &ca)
        .unwrap();
    let server_path = tmp(&pki.dir, "server.pem", &server.pem());
    let run = inspect(
        &[
            "match",
            &server_path,
            "--subject-dn",
            "CN=client-a",
            "--trust-anchor",
            &pki.ca,
        ],
        b"",
    );
    run.assert_exit(1, "not a client certificate");

    // An end-entity certificate used as an issuer.
    let mut ee_params = client_params(ExtendedKeyUsagePurpose::ClientAuth);
    ee_params.distinguished_name = rcgen::DistinguishedName::new();
    ee_params
        .distinguished_name
        .push(DnType::CommonName, "some client");
    let ee = CertifiedIssuer::signed_by(ee_params, KeyPair::generate().unwrap(), &ca).unwrap();
    let below = client_params(ExtendedKeyUsagePurpose::ClientAuth)
        .signed_by(&KeyPair::generate().unwrap(), &ee)
        .unwrap();
    let below_path = tmp(&pki.dir, "below.pem", &below.pem());
    let ee_path = tmp(&pki.dir, "ee.pem", &ee.pem());
    let run = inspect(
        &[
            "match",
            &below_path,
            "--subject-dn",
            "CN=client-a",
            "--trust-anchor",
            &pki.ca,
            "--chain",
            &ee_path,
        ],
        b"",
    );
    run.assert_exit(1, "issuer in the chain is not a CA");

    // A forged self-signed certificate with the subject: a name-only match says yes, a chain
    // check says no.
    let forged = client_params(ExtendedKeyUsagePurpose::ClientAuth)
        .self_signed(&KeyPair::generate().unwrap())
        .unwrap();
    let forged_path = tmp(&pki.dir, "forged.pem", &forged.pem());
    let run = inspect(&["match", &forged_path, "--subject-dn", "CN=client-a"], b"");
    assert_eq!(run.code, 0, "{run:?}");
    let run = inspect(
        &[
            "match",
            &forged_path,
            "--subject-dn",
            "CN=client-a",
            "--trust-anchor",
            &pki.ca,
        ],
        b"",
    );
    run.assert_exit(1, "no path to a trust anchor");
}

#[test]
fn a_clients_registered_anchors_replace_the_command_lines() {
    let (pki, _ca) = Pki::new();
    let root_der = {
        let pem = std::fs::read(data("rfc9440-root.pem")).unwrap();
        rfc8705::ClientCertificate::from_pem(&pem)
            .unwrap()
            .der()
            .to_vec()
    };
    let client = tmp(
        &pki.dir,
        "client.json",
        &serde_json::json!({
            "token_endpoint_auth_method": "tls_client_auth",
            "tls_client_auth_subject_dn": "CN=BC",
            "tls_client_auth_trust_anchors": [Base64::encode_string(&root_der)],
        })
        .to_string(),
    );
    let leaf = data("rfc9440-leaf.pem");
    let inter = data("rfc9440-intermediate.pem");
    let run = inspect(
        &[
            "match",
            &leaf,
            "--client",
            &client,
            "--trust-anchor",
            &pki.ca,
            "--chain",
            &inter,
            "--at",
            IN_2020,
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{run:?}");
    // Without --trust-anchor the registered issuers cannot be checked.
    let run = inspect(&["match", &leaf, "--client", &client], b"");
    run.assert_exit(1, "pass --trust-anchor");
}
