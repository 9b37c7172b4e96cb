//! One certificate's subject as rendered by OpenSSL (`-nameopt RFC2253`),
//! Python cryptography (`rfc4514_string()`) and Java `X500Principal` (`getName()`,
//! `getName("CANONICAL")`) must each match that certificate. Vectors made by
//! tests/data/dn/make.sh.
mod common;

use common::Expected as ExpectedSubject;
use rfc8705::ClientCertificate;
use rfc8705::dn::DistinguishedName;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/dn");

fn cert(name: &str) -> ClientCertificate<'static> {
    let pem = std::fs::read(format!("{DIR}/{name}.pem")).unwrap();
    ClientCertificate::from_pem(&pem).unwrap()
}

fn vectors() -> Vec<(String, String, String)> {
    std::fs::read_to_string(format!("{DIR}/vectors.tsv"))
        .unwrap()
        .lines()
        .map(|l| {
            let mut f = l.splitn(3, '\t');
            let mut next = || f.next().unwrap().to_string();
            (next(), next(), next())
        })
        .collect()
}

#[test]
fn every_library_rendering_matches_its_certificate() {
    let vs = vectors();
    assert_eq!(vs.len(), 16, "4 certificates x 4 renderings");
    for (name, tool, rendering) in &vs {
        let c = cert(name);
        let subject_cert = ClientCertificate::from_der(c.der()).unwrap();
        let subject = subject_cert.subject();
        let dn: DistinguishedName = rendering
            .parse()
            .unwrap_or_else(|e| panic!("{name}/{tool}: {rendering:?}: {e}"));
        assert!(
            dn.matches(&subject),
            "{name}/{tool}: {rendering:?} vs {subject}: {:?}",
            dn.explain_mismatch(&subject, None)
        );
        let expected =
            ExpectedSubject::from_member("tls_client_auth_subject_dn", rendering).unwrap();
        assert!(expected.authenticate(&c).is_ok(), "{name}/{tool}");
    }
}

#[test]
fn renderings_of_one_certificate_do_not_match_another() {
    let vs = vectors();
    for (name, tool, rendering) in &vs {
        let dn: DistinguishedName = rendering.parse().unwrap();
        for other in ["d3", "dc", "utf8", "types"].iter().filter(|o| *o != name) {
            let c = cert(other);
            let subject_cert = ClientCertificate::from_der(c.der()).unwrap();
            let subject = subject_cert.subject();
            assert!(!dn.matches(&subject), "{name}/{tool} matched {other}");
        }
    }
}

#[test]
fn our_rendering_round_trips_and_agrees_with_openssl_or_python() {
    for (name, tool, rendering) in vectors() {
        let c = cert(&name);
        let subject_cert = ClientCertificate::from_der(c.der()).unwrap();
        let subject = subject_cert.subject();
        let ours = subject.to_string();
        let back: DistinguishedName = ours.parse().unwrap();
        assert!(back.matches(&subject), "{ours}");
        // Python writes AVAs of a multi-valued RDN in DER order and non-ASCII as UTF-8, as we
        // do (OpenSSL reverses the AVAs and escapes non-ASCII); Python prints unfamiliar types
        // as OIDs where we use OpenSSL's names.
        if (tool == "openssl" && name == "types")
            || (tool == "python" && (name == "dc" || name == "utf8"))
        {
            assert_eq!(ours, rendering, "{name}/{tool}");
        }
    }
}

#[test]
fn d3_openssl_slash_form_is_rejected_with_a_suggestion_that_matches() {
    let c = cert("d3");
    let subject_cert = ClientCertificate::from_der(c.der()).unwrap();
    let subject = subject_cert.subject();
    let compat = "/C=US/O=Example, Inc./OU=Sales+CN=J. Smith/emailAddress=J.Smith@Example.COM/CN= #lead\\+trail ";
    let err = compat.parse::<DistinguishedName>().unwrap_err();
    let rfc8705::dn::DnParseError::SlashForm {
        suggestion: Some(s),
    } = err
    else {
        panic!("{err:?}")
    };
    assert!(s.parse::<DistinguishedName>().unwrap().matches(&subject));
}
