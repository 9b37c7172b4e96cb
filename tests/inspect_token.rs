//! `inspect thumbprint | cnf | verify | endpoint`: output and exit status, good and bad input.
mod common;
use common::{Run, data, inspect};

const APPENDIX_A: &str = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0";

fn yes(run: &Run, stdout: &str) {
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, format!("{stdout}\n"), "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
}

fn no(run: &Run, reason: &str) {
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(run.stderr.starts_with("no: "), "{run:?}");
    assert!(run.stderr.contains(reason), "{reason:?} not in {run:?}");
}

fn bad(run: &Run, msg: &str) {
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(run.stderr.starts_with("error: "), "{run:?}");
    assert!(run.stderr.contains(msg), "{msg:?} not in {run:?}");
}

fn cert_a() -> String {
    data("rfc8705-appendix-a.pem")
}

#[test]
fn thumbprint_prints_x5t_s256() {
    yes(&inspect(&["thumbprint", &cert_a()], b""), APPENDIX_A);
}

#[test]
fn cnf_prints_exactly_the_claim_value() {
    yes(
        &inspect(&["cnf", &cert_a()], b""),
        &format!("{{\"x5t#S256\":\"{APPENDIX_A}\"}}"),
    );
    let pem = std::fs::read(data("rfc9440-leaf.pem")).unwrap();
    yes(
        &inspect(&["cnf", "-"], &pem),
        r#"{"x5t#S256":"v68ffgcPn6jdYpBfFY2nP4ShE2Yk-6_Mk5PI9yh6aes"}"#,
    );
}

#[test]
fn cnf_and_thumbprint_reject_bad_certificates() {
    for cmd in ["cnf", "thumbprint"] {
        bad(&inspect(&[cmd, "-"], b""), "");
        bad(&inspect(&[cmd, "-"], b"garbage"), "");
        bad(
            &inspect(&[cmd, "/nonexistent/cert.pem"], b""),
            "cannot read",
        );
    }
}

fn verify(cert: &str, claims: &str) -> Run {
    inspect(&["verify", cert, "--claims", claims], b"")
}

#[test]
fn verify_bound_jwt_and_introspection() {
    for claims in [
        "appendix-a-jwt-claims.json",
        "appendix-a-introspection.json",
    ] {
        yes(
            &verify(&cert_a(), &data(&format!("cnf/{claims}"))),
            "bound: x5t#S256 matches",
        );
    }
    yes(
        &verify(
            &data("rfc9440-leaf.pem"),
            &data("cnf/rfc9440-leaf-introspection.json"),
        ),
        "bound: x5t#S256 matches",
    );
}

#[test]
fn verify_each_reason_for_not_bound() {
    let cases = [
        ("rfc9440-leaf-introspection.json", "different certificate"),
        ("tv12-no-cnf.json", "no cnf claim"),
        ("dpop-jkt-only.json", "no x5t#S256 member"),
        ("tv1-jwt-claims.json", "non-zero trailing bits"),
        ("hex-thumbprint.json", "hex SHA-256 digest"),
        ("cnf-not-object.json", "not a JSON object"),
    ];
    for (claims, reason) in cases {
        no(&verify(&cert_a(), &data(&format!("cnf/{claims}"))), reason);
    }
    // The expected thumbprint is never echoed.
    let run = verify(
        &data("rfc9440-leaf.pem"),
        &data("cnf/appendix-a-jwt-claims.json"),
    );
    no(&run, "different certificate");
    assert!(!run.stderr.contains(APPENDIX_A), "{run:?}");
}

#[test]
fn verify_claims_from_stdin() {
    let claims = std::fs::read(data("cnf/appendix-a-jwt-claims.json")).unwrap();
    let run = inspect(&["verify", &cert_a(), "--claims", "-"], &claims);
    yes(&run, "bound: x5t#S256 matches");
}

#[test]
fn verify_bad_input() {
    bad(
        &verify(&cert_a(), &data("cnf/truncated.json")),
        "not a JSON object",
    );
    bad(
        &verify(&cert_a(), "/nonexistent/claims.json"),
        "cannot read",
    );
    let run = inspect(&["verify", &cert_a(), "--claims", "-"], b"[1,2]");
    bad(&run, "not a JSON object");
    let run = inspect(&["verify", &cert_a(), "--claims", "-"], b"{} trailing");
    bad(&run, "not a JSON object");
    let big = format!("{{\"pad\":\"{}\"}}", "a".repeat(70 * 1024));
    let run = inspect(&["verify", &cert_a(), "--claims", "-"], big.as_bytes());
    bad(&run, "limit");
    let run = verify(&data("cnf/tv12-no-cnf.json"), &data("cnf/tv12-no-cnf.json"));
    bad(&run, "");
    bad(&inspect(&["verify", &cert_a()], b""), "usage");
    bad(
        &inspect(&["verify", &cert_a(), "--claim", "x.json"], b""),
        "usage",
    );
}

fn endpoint(file: &str, args: &[&str]) -> Run {
    let path = data(&format!("metadata/{file}"));
    let mut all = vec!["endpoint", path.as_str()];
    all.extend_from_slice(args);
    inspect(&all, b"")
}

#[test]
fn endpoint_resolves_tv3_aliases() {
    let f = "tv3-as-metadata.json";
    yes(
        &endpoint(f, &["token_endpoint"]),
        "https://server.example.com/token",
    );
    yes(
        &endpoint(f, &["token_endpoint", "--mtls"]),
        "https://mtls.example.com/token",
    );
    yes(
        &endpoint(f, &["--mtls", "revocation_endpoint"]),
        "https://mtls.example.com/revo",
    );
    yes(
        &endpoint(f, &["introspection_endpoint", "--mtls"]),
        "https://mtls.example.com/introspect",
    );
    // No alias: the top level, with or without --mtls.
    yes(
        &endpoint(f, &["authorization_endpoint", "--mtls"]),
        "https://server.example.com/authz",
    );
}

#[test]
fn endpoint_ignores_meaningless_aliases() {
    let f = "as-extra-aliases.json";
    // Front-channel: the alias has no meaning.
    yes(
        &endpoint(f, &["authorization_endpoint", "--mtls"]),
        "https://as.example/authz",
    );
    // Non-string alias: ignored, the top level is used.
    yes(
        &endpoint(f, &["token_endpoint", "--mtls"]),
        "https://as.example/token",
    );
    yes(
        &endpoint(f, &["pushed_authorization_request_endpoint", "--mtls"]),
        "https://mtls.as.example/par",
    );
    // An alias without a top-level member still counts for an mTLS client.
    yes(
        &endpoint(f, &["device_authorization_endpoint", "--mtls"]),
        "https://mtls.as.example/device",
    );
    no(
        &endpoint(f, &["device_authorization_endpoint"]),
        "no device_authorization_endpoint",
    );
}

#[test]
fn endpoint_missing_is_no() {
    no(
        &endpoint("tv3-as-metadata.json", &["userinfo_endpoint", "--mtls"]),
        "no userinfo_endpoint",
    );
    no(
        &endpoint("tv3-as-metadata.json", &["jwks_uri"]),
        "not an endpoint member",
    );
    no(
        &endpoint("tv3-as-metadata.json", &["issuer"]),
        "not an endpoint member",
    );
}

#[test]
fn endpoint_bad_input() {
    bad(
        &endpoint("truncated.json", &["token_endpoint"]),
        "is not AS metadata",
    );
    bad(
        &endpoint("not-object.json", &["token_endpoint"]),
        "is not AS metadata",
    );
    // RFC 8414 issuer is required.
    bad(&endpoint("prm.json", &["token_endpoint"]), "issuer");
    bad(
        &inspect(&["endpoint", "/nonexistent/as.json", "token_endpoint"], b""),
        "cannot read",
    );
    bad(
        &inspect(&["endpoint", "-", "token_endpoint"], b"\xff\xfe"),
        "is not AS metadata",
    );
    bad(
        &inspect(&["endpoint", &data("metadata/tv3-as-metadata.json")], b""),
        "usage",
    );
    bad(
        &inspect(
            &[
                "endpoint",
                &data("metadata/tv3-as-metadata.json"),
                "token_endpoint",
                "--tls",
            ],
            b"",
        ),
        "usage",
    );
}
