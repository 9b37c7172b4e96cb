//! `inspect thumbprint | cnf | verify | jkt | endpoint`: output and exit status, good and bad
//! input.
mod common;
use common::{Run, data, inspect};

const APPENDIX_A: &str = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0";

fn yes(run: &Run, stdout: &str) {
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, format!("{stdout}\n"), "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
}

fn no(run: &Run, reason: &str) {
    run.assert_exit(1, reason);
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(run.stderr.starts_with("no: "), "{run:?}");
}

fn bad(run: &Run, msg: &str) {
    run.assert_exit(2, msg);
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(run.stderr.starts_with("error: "), "{run:?}");
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
    yes(
        &verify(&cert_a(), &data("cnf/appendix-a-jwt-claims.json")),
        "bound: x5t#S256 matches",
    );
    // This introspection response binds to the certificate and to a DPoP key: the certificate
    // alone is not enough.
    let introspection = data("cnf/appendix-a-introspection.json");
    no(
        &verify(&cert_a(), &introspection),
        "no DPoP proof key was presented",
    );
    yes(
        &inspect(
            &[
                "verify",
                &cert_a(),
                "--claims",
                &introspection,
                "--dpop-jkt",
                "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
            ],
            b"",
        ),
        "bound: x5t#S256 and jkt match",
    );
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
        ("dpop-jkt-only.json", "no DPoP proof key was presented"),
        ("rfc7800-jwk-only.json", "neither x5t#S256 nor jkt"),
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

const RFC9449_JKT: &str = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

/// Every token kind {x5t, jkt, both, neither, unknown} × every presentation {certificate,
/// proof, both, none}, through `inspect verify` (policy `Required`).
#[test]
fn verify_every_token_against_every_presentation() {
    let cert = cert_a();
    let presentations: [(&str, Vec<&str>); 4] = [
        ("certificate", vec![cert.as_str()]),
        ("proof", vec!["--dpop-jkt", RFC9449_JKT]),
        ("both", vec![cert.as_str(), "--dpop-jkt", RFC9449_JKT]),
        ("none", vec![]),
    ];
    // Per token: the answer for each presentation, in the order above (Ok(stdout) or
    // Err(reason)).
    let x5t_ok: Result<&str, &str> = Ok("bound: x5t#S256 matches");
    let jkt_ok: Result<&str, &str> = Ok("bound: jkt matches");
    let no_cert: Result<&str, &str> = Err("no client certificate was presented");
    let no_proof: Result<&str, &str> = Err("no DPoP proof key was presented");
    let no_cnf: Result<&str, &str> = Err("no cnf claim");
    let unknown: Result<&str, &str> = Err("neither x5t#S256 nor jkt");
    let table = [
        (
            "appendix-a-jwt-claims.json",
            [x5t_ok, no_cert, x5t_ok, no_cert],
        ),
        ("dpop-jkt-only.json", [no_proof, jkt_ok, jkt_ok, no_proof]),
        (
            "both-x5t-jkt.json",
            [
                no_proof,
                no_cert,
                Ok("bound: x5t#S256 and jkt match"),
                no_cert,
            ],
        ),
        ("tv12-no-cnf.json", [no_cnf; 4]),
        ("rfc7800-jwk-only.json", [unknown; 4]),
    ];
    for (claims, answers) in table {
        let path = data(&format!("cnf/{claims}"));
        for ((name, args), answer) in presentations.iter().zip(answers) {
            let mut all = vec!["verify"];
            all.extend(args.iter().copied());
            all.extend(["--claims", path.as_str()]);
            let run = inspect(&all, b"");
            match answer {
                Ok(stdout) => yes(&run, stdout),
                Err(reason) => no(&run, reason),
            }
            assert!(
                !run.stderr.contains(RFC9449_JKT),
                "{claims} {name}: {run:?}"
            );
        }
    }
}

#[test]
fn verify_the_wrong_key_and_bad_dpop_jkt() {
    let claims = data("cnf/dpop-jkt-only.json");
    // The Appendix A certificate's thumbprint is no DPoP key.
    no(
        &inspect(
            &["verify", "--dpop-jkt", APPENDIX_A, "--claims", &claims],
            b"",
        ),
        "different key",
    );
    for bad_jkt in [
        "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I=",
        "d19c0e08e45935",
        "",
    ] {
        bad(
            &inspect(&["verify", "--claims", &claims, "--dpop-jkt", bad_jkt], b""),
            "--dpop-jkt",
        );
    }
    bad(
        &inspect(&["verify", "--claims", &claims, "--dpop-jkt"], b""),
        "usage",
    );
    bad(
        &inspect(&["verify", &cert_a(), &cert_a(), "--claims", &claims], b""),
        "usage",
    );
}

#[test]
fn jkt_prints_the_rfc7638_thumbprint() {
    yes(
        &inspect(&["jkt", &data("jwk/rfc7638-rsa.jwk.json")], b""),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
    );
    yes(
        &inspect(&["jkt", &data("jwk/rfc9449-dpop-key.jwk.json")], b""),
        RFC9449_JKT,
    );
    // A private key has its public key's thumbprint.
    let vectors: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data("jwk/jkt-vectors.json")).unwrap()).unwrap();
    let first = &vectors[0];
    let jwk = serde_json::to_vec(&first["jwk"]).unwrap();
    yes(
        &inspect(&["jkt", "-"], &jwk),
        first["jkt"].as_str().unwrap(),
    );
}

#[test]
fn jkt_bad_input() {
    for (input, msg) in [
        (&b"{"[..], "not JSON"),
        (b"[]", "not a JSON object"),
        (br#"{"kty":"oct","k":"AAAA"}"#, "symmetric"),
        (
            br#"{"kty":"EC","crv":"P-256","x":"AQAB"}"#,
            "EC key members",
        ),
        (br#"{"crv":"Ed25519","x":"AQAB"}"#, "kty"),
    ] {
        bad(&inspect(&["jkt", "-"], input), msg);
    }
    bad(
        &inspect(&["jkt", "/nonexistent/jwk.json"], b""),
        "cannot read",
    );
    bad(&inspect(&["jkt"], b""), "usage");
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
