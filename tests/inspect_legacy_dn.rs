//! `inspect match … --legacy-dn`: the registered DN (`--subject-dn` or the client's
//! `tls_client_auth_subject_dn`) read with the RFC 1779/2253 grammar. 0 match, 1 no match,
//! 2 unparsable; without the flag a legacy DN is refused with 2.
mod common;
use common::{data, inspect};

/// Java's `X500Principal.getName(RFC1779)` of tests/data/dn/d3.pem's subject, as
/// tests/data/java-dn/generate.sh recorded it in tests/data/java-dn/names.tsv.
const D3_JAVA_RFC1779: &str = r#"CN=" #lead+trail ", OID.1.2.840.113549.1.9.1=J.Smith@Example.COM, OU=Sales + CN=J. Smith, O="Example, Inc.", C=US"#;
const D3_SUBJECT: &str = "subject CN=\\ #lead\\+trail\\ ,emailAddress=J.Smith@Example.COM,OU=Sales+CN=J. Smith,O=Example\\, Inc.,C=US";

fn write_tmp(name: &str, content: &str) -> String {
    let dir = std::env::temp_dir().join(format!("rfc8705-inspect-legacy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

fn client(dn: &str) -> String {
    serde_json::json!({
        "token_endpoint_auth_method": "tls_client_auth",
        "tls_client_auth_subject_dn": dn,
    })
    .to_string()
}

#[test]
fn the_names_tsv_rendering_is_the_one_tested_here() {
    let tsv = std::fs::read_to_string(data("java-dn/names.tsv")).unwrap();
    assert!(
        tsv.lines()
            .any(|l| l.split('\t').nth(2) == Some(D3_JAVA_RFC1779))
    );
}

#[test]
fn subject_dn_with_legacy_dn_matches_no_match_and_unparsable() {
    let d3 = data("dn/d3.pem");
    let run = inspect(
        &["match", &d3, "--subject-dn", D3_JAVA_RFC1779, "--legacy-dn"],
        b"",
    );
    assert_eq!(run.code, 0, "{run:?}");
    // What matched, as the certificate's subject (the output without the flag is the same).
    assert!(
        run.stdout.trim_end().starts_with("subject CN=\\ #lead"),
        "{run:?}"
    );

    // The flag may come anywhere; ';' between RDNs and "oid." prefixes.
    let semicolons = r#"CN=" #lead+trail "; oid.1.2.840.113549.1.9.1=J.Smith@Example.COM;OU=Sales+CN=J. Smith ; O="Example, Inc.";C=US"#;
    let run = inspect(
        &["--legacy-dn", "match", &d3, "--subject-dn", semicolons],
        b"",
    );
    assert_eq!(run.code, 0, "{run:?}");

    let other = D3_JAVA_RFC1779.replace("Example, Inc.", "Example, Ltd.");
    let run = inspect(&["match", &d3, "--subject-dn", &other, "--legacy-dn"], b"");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.starts_with("no: "), "{run:?}");

    let run = inspect(
        &[
            "match",
            &d3,
            "--subject-dn",
            "CN=\"unterminated",
            "--legacy-dn",
        ],
        b"",
    );
    run.assert_exit(2, "no closing");
    let run = inspect(
        &[
            "match",
            &d3,
            "--subject-dn",
            "/C=US/CN=J. Smith",
            "--legacy-dn",
        ],
        b"",
    );
    run.assert_exit(2, "openssl x509 -noout -subject -nameopt RFC2253");
}

#[test]
fn without_the_flag_quoted_values_are_refused() {
    let d3 = data("dn/d3.pem");
    let run = inspect(&["match", &d3, "--subject-dn", D3_JAVA_RFC1779], b"");
    run.assert_exit(2, "pass --legacy-dn");
    // An RFC 4514 string needs no flag, and gives the same answer with it.
    let rfc4514 = D3_SUBJECT.strip_prefix("subject ").unwrap();
    for args in [&["--legacy-dn"][..], &[]] {
        let mut all = vec!["match", &d3, "--subject-dn", rfc4514];
        all.extend_from_slice(args);
        let run = inspect(&all, b"");
        assert_eq!(
            (run.code, run.stdout.trim_end()),
            (0, D3_SUBJECT),
            "{run:?}"
        );
    }
}

#[test]
fn client_with_legacy_dn() {
    let d3 = data("dn/d3.pem");
    let yes = write_tmp("yes.json", &client(D3_JAVA_RFC1779));
    let run = inspect(&["match", &d3, "--client", &yes, "--legacy-dn"], b"");
    assert_eq!(
        (run.code, run.stdout.trim_end()),
        (0, D3_SUBJECT),
        "{run:?}"
    );
    let run = inspect(&["match", &d3, "--client", &yes], b"");
    run.assert_exit(2, "tls_client_auth_subject_dn");
    assert!(run.stderr.contains("pass --legacy-dn"), "{run:?}");

    let no = write_tmp(
        "no.json",
        &client(r#"CN=J. Smith, O="Example, Inc.", C=US"#),
    );
    let run = inspect(&["match", &d3, "--client", &no, "--legacy-dn"], b"");
    assert_eq!(run.code, 1, "{run:?}");
    let bad = write_tmp("bad.json", &client(r#"CN="J. Smith"x"#));
    let run = inspect(&["match", &d3, "--client", &bad, "--legacy-dn"], b"");
    run.assert_exit(2, "after a quoted value");

    // A client registered by SAN: the flag changes nothing.
    let san = write_tmp(
        "san.json",
        r#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_email":"bdc@example.com"}"#,
    );
    let leaf = data("rfc9440-leaf.pem");
    let run = inspect(&["match", &leaf, "--client", &san, "--legacy-dn"], b"");
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn the_flag_is_refused_where_there_is_no_dn() {
    let d3 = data("dn/d3.pem");
    for args in [
        &["match", &d3, "--san-dns", "a.example", "--legacy-dn"][..],
        &["subject", &d3, "--legacy-dn"],
    ] {
        let run = inspect(args, b"");
        run.assert_exit(2, "--legacy-dn");
    }
    let self_signed = write_tmp(
        "self-signed.json",
        r#"{"token_endpoint_auth_method":"self_signed_tls_client_auth","jwks_uri":"https://client.example/jwks"}"#,
    );
    let run = inspect(
        &["match", &d3, "--client", &self_signed, "--legacy-dn"],
        b"",
    );
    assert_eq!(run.code, 2, "{run:?}");
}
