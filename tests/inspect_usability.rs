//! `inspect` as a debugging tool: its usage, `jwk`, a compact JWS for `verify --claims`, the
//! note when `match --client` validated no chain, and `--client` documents of the wrong shape.
mod common;
use common::{data, inspect};

use base64ct::{Base64UrlUnpadded, Encoding};
use rcgen::{CertificateParams, DnType, KeyPair};

const APPENDIX_A: &str = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0";

/// Writes `content` to `name` in `dir` and returns its path.
fn tmp(dir: &tempfile::TempDir, name: &str, content: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn help_prints_the_usage_and_exits_0() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["help"],
        &["match", "--help"],
        &["--from", "xfcc", "-h"],
    ] {
        let run = inspect(args, b"");
        assert_eq!(run.code, 0, "{run:?}");
        assert!(run.stdout.starts_with("usage: inspect"), "{run:?}");
        for command in ["thumbprint", "match", "verify", "jwk", "jkt", "endpoint"] {
            assert!(run.stdout.contains(command), "{command}: {run:?}");
        }
        assert!(run.stderr.is_empty(), "{run:?}");
    }
}

#[test]
fn jwk_prints_a_set_that_match_client_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["client.example".into()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "self-signed client");
    let made = params.self_signed(&key).unwrap();
    let cert = tmp(&dir, "client.pem", made.pem().as_bytes());
    let other = KeyPair::generate().unwrap();
    let stranger = tmp(
        &dir,
        "stranger.pem",
        params.self_signed(&other).unwrap().pem().as_bytes(),
    );

    let run = inspect(&["jwk", &cert], b"");
    assert_eq!(run.code, 0, "{run:?}");
    let jwks: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(
        (key["kty"].as_str(), key["crv"].as_str()),
        (Some("EC"), Some("P-256"))
    );
    let client = serde_json::json!({
        "client_id": "c",
        "token_endpoint_auth_method": "self_signed_tls_client_auth",
        "jwks": jwks,
        "tls_client_certificate_bound_access_tokens": true,
    });
    let client = tmp(&dir, "client.json", client.to_string().as_bytes());
    let run = inspect(&["match", &cert, "--client", &client], b"");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .starts_with("self_signed_tls_client_auth: matched x5c[0] of key 0"),
        "{run:?}"
    );
    // Another key with the same names is not the registered certificate.
    let run = inspect(&["match", &stranger, "--client", &client], b"");
    run.assert_exit(1, "is not x5c[0] of any key");
}

#[test]
fn jwk_of_the_rfc8705_certificate_is_its_appendix_a_set() {
    let run = inspect(&["jwk", &data("rfc8705-appendix-a.pem")], b"");
    assert_eq!(run.code, 0, "{run:?}");
    let got: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rfc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data("jwk/rfc8705-appendix-a.jwks.json")).unwrap())
            .unwrap();
    assert_eq!(got, rfc);
    // A key the JWK members cannot carry: bad input, with the reason.
    let run = inspect(&["jwk", &data("jwk/p256-compressed.pem")], b"");
    run.assert_exit(2, "compressed EC point");
}

fn b64(json: &serde_json::Value) -> String {
    Base64UrlUnpadded::encode_string(json.to_string().as_bytes())
}

#[test]
fn verify_reads_the_payload_of_a_compact_jws_and_says_the_signature_was_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    let header = b64(&serde_json::json!({"alg": "ES256", "typ": "at+jwt"}));
    let cert = data("rfc8705-appendix-a.pem");
    for (x5t, code) in [
        (APPENDIX_A, 0),
        ("bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg4", 1),
    ] {
        let payload = b64(&serde_json::json!({"sub": "s", "cnf": {"x5t#S256": x5t}}));
        // As a file holds it: with a trailing newline.
        let jws = format!("{header}.{payload}.c2lnbmF0dXJl\n");
        let path = tmp(&dir, "token.jws", jws.as_bytes());
        let run = inspect(&["verify", &cert, "--claims", &path], b"");
        assert_eq!(run.code, code, "{run:?}");
        assert!(
            run.stderr
                .contains("is a compact JWS (alg \"ES256\"); only its payload was read, its signature was NOT checked"),
            "{run:?}"
        );
    }
    // The same claims as JSON: no note.
    let json = serde_json::json!({"cnf": {"x5t#S256": APPENDIX_A}}).to_string();
    let path = tmp(&dir, "claims.json", json.as_bytes());
    let run = inspect(&["verify", &cert, "--claims", &path], b"");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
}

#[test]
fn verify_refuses_a_jwe_and_malformed_compact_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let cert = data("rfc8705-appendix-a.pem");
    let header = b64(&serde_json::json!({"alg": "ES256"}));
    let cases = [
        (
            "eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn",
            "is a compact JWE (5 parts)",
        ),
        ("a.b", "neither JSON nor a compact JWS"),
        // Not base64url characters: read as JSON.
        (
            &*format!("{header}.!!!.sig"),
            "the claims are not a JSON object",
        ),
        ("bm90IGpzb24.e30.c2ln", "the JWS header is not JSON"),
        (
            &*format!("{}.e30.c2ln", b64(&serde_json::json!({"typ": "JWT"}))),
            "no \"alg\"",
        ),
        (
            &*format!("{header}.e.c2ln"),
            "the JWS payload is not base64url",
        ),
    ];
    for (token, why) in cases {
        let path = tmp(&dir, "token", token.as_bytes());
        inspect(&["verify", &cert, "--claims", &path], b"").assert_exit(2, why);
    }
}

#[test]
fn match_client_without_a_trust_anchor_says_no_chain_was_validated() {
    let dir = tempfile::tempdir().unwrap();
    // A forged certificate: anyone can make one with the registered subject.
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec![]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "client-a");
    let forged = tmp(
        &dir,
        "forged.pem",
        params.self_signed(&key).unwrap().pem().as_bytes(),
    );
    let client = serde_json::json!({
        "token_endpoint_auth_method": "tls_client_auth",
        "tls_client_auth_subject_dn": "CN=client-a",
        "tls_client_certificate_bound_access_tokens": true,
    });
    let client = tmp(&dir, "client.json", client.to_string().as_bytes());
    let note = "note: no chain was validated (no --trust-anchor): only the names were compared; pass --trust-anchor CA.pem";
    // Every time: on a yes and on a no.
    let run = inspect(&["match", &forged, "--client", &client], b"");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains(note), "{run:?}");
    let run = inspect(
        &["match", &data("rfc9440-leaf.pem"), "--client", &client],
        b"",
    );
    run.assert_exit(1, note);
    // With a trust anchor the chain is validated, and the note is not said.
    let run = inspect(
        &[
            "match",
            &forged,
            "--client",
            &client,
            "--trust-anchor",
            &data("rfc9440-leaf.pem"),
        ],
        b"",
    );
    assert_ne!(run.code, 0, "{run:?}");
    assert!(!run.stderr.contains("note:"), "{run:?}");
    // A name rule on its own is a question about the certificate, not a client.
    let run = inspect(&["match", &forged, "--subject-dn", "CN=client-a"], b"");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
}

#[test]
fn client_documents_of_the_wrong_shape() {
    let dir = tempfile::tempdir().unwrap();
    let one =
        r#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"CN=a"}"#;
    let cases = [
        (format!("[{one}]"), "found an array of 1 elements"),
        (r#""tls_client_auth""#.to_string(), "found a string"),
        ("42".to_string(), "found a number"),
        ("true".to_string(), "found a boolean"),
        ("null".to_string(), "found null"),
    ];
    for (document, found) in cases {
        let path = tmp(&dir, "client.json", document.as_bytes());
        let run = inspect(
            &["match", &data("rfc8705-appendix-a.pem"), "--client", &path],
            b"",
        );
        run.assert_exit(2, "expected one client metadata object");
        run.assert_exit(2, found);
    }
}
