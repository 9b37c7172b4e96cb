//! `inspect subject`, `sans`, `match --subject-dn/--san-*` and `match --client` for
//! tls_client_auth: outputs and exit statuses (0 yes, 1 no with the reason on stderr, 2 bad
//! input).
mod common;
use common::{data, inspect};

fn write_tmp(name: &str, content: &str) -> String {
    let dir = std::env::temp_dir().join(format!("rfc8705-inspect-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn subject_prints_rfc4514() {
    let run = inspect(&["subject", &data("rfc9440-root.pem")], b"");
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout.trim_end(),
        "CN=Let's Authenticate Root Authority,O=Let's Authenticate,C=US"
    );
    let run = inspect(&["subject", &data("dn/d3.pem")], b"");
    assert_eq!(
        run.stdout.trim_end(),
        "CN=\\ #lead\\+trail\\ ,emailAddress=J.Smith@Example.COM,OU=Sales+CN=J. Smith,O=Example\\, Inc.,C=US"
    );
}

#[test]
fn sans_one_a_line() {
    let run = inspect(&["sans", &data("rfc9440-leaf.pem")], b"");
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.trim_end(), "email:bdc@example.com");
    let run = inspect(&["sans", &data("rfc8705-appendix-a.pem")], b"");
    assert_eq!((run.code, run.stdout.trim()), (0, ""));
}

#[test]
fn match_subject_dn_yes_no_and_bad() {
    let leaf = data("rfc9440-leaf.pem");
    let run = inspect(&["match", &leaf, "--subject-dn", "cn = bc"], b"");
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.trim_end(), "subject CN=BC");

    let run = inspect(
        &[
            "match",
            &leaf,
            "--subject-dn",
            "CN=LA Intermediate CA,O=Let's Authenticate",
        ],
        b"",
    );
    run.assert_exit(1, "equals the certificate's issuer, not its subject");

    let run = inspect(&["match", &leaf, "--subject-dn", "/CN=BC"], b"");
    run.assert_exit(2, "slash form");
    let run = inspect(&["match", &leaf, "--subject-dn", ""], b"");
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn match_sans() {
    let leaf = data("rfc9440-leaf.pem");
    let run = inspect(&["match", &leaf, "--san-email", "bdc@EXAMPLE.com"], b"");
    assert_eq!(
        (run.code, run.stdout.trim_end()),
        (0, "email:bdc@example.com"),
        "{run:?}"
    );
    let run = inspect(
        &["match", &leaf, "--san-uri", "https://example.com/bdc"],
        b"",
    );
    run.assert_exit(1, "no uri SAN; the certificate has email:bdc@example.com");
    let run = inspect(&["match", &leaf, "--san-ip", "not-an-ip"], b"");
    assert_eq!(run.code, 2, "{run:?}");
    let run = inspect(&["match", &leaf, "--san-dns", "bc.example"], b"");
    assert_eq!(run.code, 1, "{run:?}");
    let run = inspect(&["match", &leaf, "--san-wat", "x"], b"");
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn match_client_metadata() {
    let leaf = data("rfc9440-leaf.pem");
    let yes = write_tmp(
        "yes.json",
        r#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"CN=BC"}"#,
    );
    let run = inspect(&["match", &leaf, "--client", &yes], b"");
    assert_eq!(
        (run.code, run.stdout.trim_end()),
        (0, "subject CN=BC"),
        "{run:?}"
    );

    let no = write_tmp(
        "no.json",
        r#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_email":"BDC@example.com"}"#,
    );
    let run = inspect(&["match", &leaf, "--client", &no], b"");
    run.assert_exit(1, "no email SAN equals");

    let two = write_tmp(
        "two.json",
        r#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"CN=BC","tls_client_auth_san_email":"bdc@example.com"}"#,
    );
    let run = inspect(&["match", &leaf, "--client", &two], b"");
    run.assert_exit(2, "exactly one subject member");

    let none = write_tmp(
        "none.json",
        r#"{"token_endpoint_auth_method":"tls_client_auth"}"#,
    );
    assert_eq!(inspect(&["match", &leaf, "--client", &none], b"").code, 2);
}
