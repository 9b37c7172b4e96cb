//! `inspect --from client-cert|xfcc|xfcc-json|escaped-pem|alb|bare-der|apache|cloudfront|azure`:
//! header values in, the leaf out.
mod common;
use common::{data, encode, inspect};
use rfc8705::proxy::ProxyFormat;

const LEAF_X5T: &str = "v68ffgcPn6jdYpBfFY2nP4ShE2Yk-6_Mk5PI9yh6aes";

fn read(name: &str) -> String {
    std::fs::read_to_string(data(name)).unwrap()
}

fn client_cert_value() -> String {
    read("proxy/rfc9440-client-cert-folded.txt")
        .trim_end()
        .replace("\n ", "")
}

#[test]
fn every_format_gives_the_leaf() {
    let escaped = read("proxy/rfc9440-leaf-escaped.txt");
    let alb = escaped
        .replace("%2B", "+")
        .replace("%2F", "/")
        .replace("%3D", "=");
    let xfcc = format!(
        "By=spiffe://a;Cert=\"x\",Hash=bfaf1f7e070f9fa8dd62905f158da73f84a1136624fbafcc9393c8f7287a69eb;Cert=\"{escaped}\""
    );
    // Envoy's JSON format (`appendXfccJsonObject`: lower-case keys, plain PEM), APPEND_FORWARD
    // behind an earlier hop.
    let pem = serde_json::to_string(&read("rfc9440-leaf.pem")).unwrap();
    let xfcc_json = format!(
        r#"[{{"by":["spiffe://a"],"cert":"x"}},{{"by":["spiffe://edge"],"hash":"bfaf1f7e070f9fa8dd62905f158da73f84a1136624fbafcc9393c8f7287a69eb","cert":{pem}}}]"#
    );
    for (from, value) in [
        ("client-cert", format!("{}\n", client_cert_value())),
        ("escaped-pem", escaped.clone()),
        ("alb", alb),
        ("xfcc", format!("{xfcc}\r\n")),
        ("xfcc-json", format!("{xfcc_json}\n")),
    ] {
        let run = inspect(&["--from", from, "thumbprint", "-"], value.as_bytes());
        assert_eq!(run.code, 0, "{from}: {run:?}");
        assert_eq!(run.stdout.trim(), LEAF_X5T, "{from}");
        let run = inspect(
            &["thumbprint", "-", &format!("--from={from}")],
            value.as_bytes(),
        );
        assert_eq!(
            (run.code, run.stdout.trim()),
            (0, LEAF_X5T),
            "{from}: {run:?}"
        );
    }
}

#[test]
fn reads_a_value_from_a_file() {
    let run = inspect(
        &[
            "--from",
            "escaped-pem",
            "thumbprint",
            &data("proxy/rfc9440-leaf-escaped.txt"),
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.trim(), LEAF_X5T);
}

#[test]
fn bad_values_exit_2_with_the_decoders_message() {
    let folded = read("proxy/rfc9440-client-cert-folded.txt");
    for (from, value, message) in [
        ("client-cert", folded.as_str(), "line break at byte 56"),
        ("client-cert", "MIIB", "not a Byte Sequence"),
        ("client-cert", ":AAAA:", "SEQUENCE"),
        ("xfcc", "By=spiffe://a;Hash=00", "no Cert"),
        ("xfcc", "Cert=\"abc", "no closing"),
        (
            "xfcc-json",
            "By=spiffe://a;Hash=00",
            "not an Envoy JSON XFCC value",
        ),
        ("xfcc-json", "[{\"hash\":\"00\"}]", "no Cert"),
        ("azure", "AQID,AQID", "joined"),
        ("escaped-pem", "%zz", "two hex digits"),
        ("alb", "", "no client certificate"),
        ("bare-der", "AQID,AQID", "joined"),
        ("fingerprint", "AQID", "not a SHA-256 fingerprint"),
        ("xfcc-hash", "By=spiffe://a;Hash=00", "not a hex SHA-256"),
        ("xfcc-hash", "By=spiffe://a", "no Hash"),
    ] {
        let run = inspect(&["--from", from, "thumbprint", "-"], value.as_bytes());
        run.assert_exit(2, message);
        assert!(run.stderr.starts_with("error: "), "{run:?}");
    }
    // Only one trailing newline is removed.
    let twice = format!("{}\n\n", client_cert_value());
    let run = inspect(
        &["--from", "client-cert", "thumbprint", "-"],
        twice.as_bytes(),
    );
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn unknown_format_exits_2() {
    let run = inspect(&["--from", "pem", "thumbprint", "-"], b"");
    run.assert_exit(
        2,
        "client-cert, xfcc, xfcc-json, escaped-pem, alb, bare-der, traefik, apache, cloudfront, azure, xfcc-hash or fingerprint",
    );
}

#[test]
fn a_forwarded_leaf_feeds_the_name_commands() {
    let value = client_cert_value();
    let run = inspect(&["--from", "client-cert", "subject", "-"], value.as_bytes());
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.trim(), "CN=BC");
    let run = inspect(&["--from", "client-cert", "sans", "-"], value.as_bytes());
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.trim(), "email:bdc@example.com");
    let run = inspect(
        &[
            "--from",
            "client-cert",
            "match",
            "-",
            "--san-email",
            "BDC@EXAMPLE.COM",
        ],
        value.as_bytes(),
    );
    assert_eq!(run.code, 1, "the local part is exact: {run:?}");
    let run = inspect(
        &[
            "--from",
            "client-cert",
            "match",
            "-",
            "--san-email",
            "bdc@EXAMPLE.com",
        ],
        value.as_bytes(),
    );
    assert_eq!(run.code, 0, "the domain is case-insensitive: {run:?}");
}

#[test]
fn bare_der_apache_and_cloudfront_give_the_leaf() {
    use base64ct::{Base64, Encoding};
    let pem = read("rfc9440-leaf.pem");
    let der = rfc8705::ClientCertificate::from_pem(pem.as_bytes())
        .unwrap()
        .der()
        .to_vec();
    let haproxy = Base64::encode_string(&der);
    let traefik_v2 = haproxy
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let apache = pem.replace('\n', " ");
    let cloudfront = read("proxy/rfc9440-leaf-escaped.txt");
    for (from, value) in [
        ("bare-der", format!("{haproxy}\n")),
        ("traefik", format!("{traefik_v2},{haproxy}")),
        ("apache", apache),
        ("cloudfront", cloudfront),
        // Azure App Service `X-ARR-ClientCert`.
        ("azure", format!("{haproxy}\n")),
    ] {
        let run = inspect(&["--from", from, "thumbprint", "-"], value.as_bytes());
        assert_eq!(
            (run.code, run.stdout.trim()),
            (0, LEAF_X5T),
            "{from}: {run:?}"
        );
    }
}

#[test]
fn apache_null_and_crossed_formats_exit_2() {
    for (from, value, message) in [
        ("apache", "(null)", "no client certificate"),
        ("client-cert", "::", "no client certificate"),
        (
            "bare-der",
            "{http.request.tls.client.certificate_der_base64}",
            "no client certificate",
        ),
        ("apache", "-----BEGIN%20CERTIFICATE-----", "escaped-pem"),
        ("bare-der", "-----BEGIN CERTIFICATE-----", "not bare base64"),
        ("traefik", "AQID,,AQID", "certificate 1"),
        ("cloudfront", "MIIB", "no PEM CERTIFICATE block"),
    ] {
        let run = inspect(&["--from", from, "thumbprint", "-"], value.as_bytes());
        run.assert_exit(2, message);
    }
}

/// 128 KiB is the size limit of every format's value, whitespace included.
#[test]
fn every_format_has_the_same_size_limit() {
    const MAX: usize = 128 * 1024;
    let der = rfc8705::ClientCertificate::from_pem(read("rfc9440-leaf.pem").as_bytes())
        .unwrap()
        .der()
        .to_vec();
    for format in ProxyFormat::ALL {
        let from = format.to_string();
        let value = encode::value(format, &der);
        let at = value.clone() + &" ".repeat(MAX - value.len());
        let run = inspect(&["--from", &from, "thumbprint", "-"], at.as_bytes());
        assert_eq!(
            (run.code, run.stdout.trim()),
            (0, LEAF_X5T),
            "{from}: {run:?}"
        );
        let over = at + " ";
        let run = inspect(&["--from", &from, "thumbprint", "-"], over.as_bytes());
        run.assert_exit(
            2,
            &format!("{from}: the value is {} bytes; the limit is {MAX}", MAX + 1),
        );
    }
}

/// The hash-only formats give the thumbprint (`thumbprint`, `cnf`), and nothing that needs the
/// certificate: `subject`, `sans` and `match` exit 2.
#[test]
fn hash_only_sources_give_a_thumbprint_only() {
    let der = rfc8705::ClientCertificate::from_pem(read("rfc9440-leaf.pem").as_bytes())
        .unwrap()
        .der()
        .to_vec();
    let hex = common::envoy::hex(&der);
    let colons = hex
        .as_bytes()
        .chunks(2)
        .map(|p| std::str::from_utf8(p).unwrap().to_uppercase())
        .collect::<Vec<_>>()
        .join(":");
    // Istio's default details: Subject, URI, DNS, no Cert.
    let istio = format!(
        "By=spiffe://cluster.local/ns/a/sa/b;Hash={hex};Subject=\"\";URI=spiffe://cluster.local/ns/c/sa/d;DNS=d.example"
    );
    for (from, value) in [
        ("fingerprint", hex.clone()),
        ("fingerprint", colons),
        ("xfcc-hash", istio),
    ] {
        let run = inspect(&["--from", from, "thumbprint", "-"], value.as_bytes());
        assert_eq!((run.code, run.stdout.trim()), (0, LEAF_X5T), "{run:?}");
        let run = inspect(&["--from", from, "cnf", "-"], value.as_bytes());
        assert_eq!(run.code, 0, "{run:?}");
        assert!(run.stdout.contains(LEAF_X5T), "{run:?}");
        for command in [
            &["subject", "-"][..],
            &["sans", "-"],
            &["match", "-", "--san-dns", "d.example"],
        ] {
            let args: Vec<&str> = ["--from", from].iter().chain(command).copied().collect();
            let run = inspect(&args, value.as_bytes());
            run.assert_exit(2, "hash-only");
        }
    }
    // verify: a token bound to the certificate whose hash the proxy forwarded.
    let dir = tempfile::tempdir().unwrap();
    let claims = dir.path().join("claims.json");
    let fingerprint = common::envoy::hex(&der);
    for (x5t, code) in [
        (LEAF_X5T, 0),
        ("bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg4", 1),
    ] {
        std::fs::write(&claims, format!(r#"{{"cnf":{{"x5t#S256":"{x5t}"}}}}"#)).unwrap();
        let args = [
            "--from",
            "fingerprint",
            "verify",
            "-",
            "--claims",
            claims.to_str().unwrap(),
        ];
        let run = inspect(&args, fingerprint.as_bytes());
        assert_eq!(run.code, code, "{run:?}");
    }
    // SHA-1 fingerprints are refused.
    let run = inspect(
        &["--from", "fingerprint", "thumbprint", "-"],
        &hex.as_bytes()[..40],
    );
    run.assert_exit(2, "not a SHA-256 fingerprint");
}
