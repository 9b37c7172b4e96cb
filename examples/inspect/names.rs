//! `subject`, `sans`, `match --subject-dn/--san-*` and `match --client` for `tls_client_auth`.

use rfc8705::ClientCertificate;
use rfc8705::MtlsClientAuth;
use rfc8705::client_auth::tls::ExpectedSubject;
use rfc8705::dn::DistinguishedName;
use rfc8705::metadata::ClientMetadata;

use crate::{BadInput, CmdResult, Outcome};

/// `subject <cert>`: the subject as an RFC 4514 string.
pub fn subject(cert: &ClientCertificate<'_>) -> CmdResult {
    Ok(Outcome::Yes(cert.subject().to_string()))
}

/// `sans <cert>`: one SAN a line, in certificate order.
pub fn sans(cert: &ClientCertificate<'_>) -> CmdResult {
    let lines: Vec<String> = cert.sans().map(|s| s.to_string()).collect();
    Ok(Outcome::Yes(lines.join("\n")))
}

/// `match <cert> --subject-dn S` and the `--san-*` forms; with `--legacy-dn`, `S` is read
/// with the RFC 1779/2253 grammar.
pub fn match_subject(
    cert: &ClientCertificate<'_>,
    flag: &str,
    value: &str,
    legacy_dn: bool,
) -> CmdResult {
    let member = match flag {
        "--subject-dn" => "tls_client_auth_subject_dn",
        "--san-dns" => "tls_client_auth_san_dns",
        "--san-uri" => "tls_client_auth_san_uri",
        "--san-ip" => "tls_client_auth_san_ip",
        "--san-email" => "tls_client_auth_san_email",
        other => {
            return Err(BadInput(format!(
                "unknown flag {other:?}; use --subject-dn, --san-dns, --san-uri, --san-ip or --san-email"
            )));
        }
    };
    if legacy_dn && member != "tls_client_auth_subject_dn" {
        return Err(BadInput::new("--legacy-dn applies to --subject-dn"));
    }
    let value = if legacy_dn {
        rfc4514_of_legacy(value)
            .map_err(|e| BadInput(format!("tls_client_auth_subject_dn: {e}")))?
    } else {
        value.to_string()
    };
    let expected = ExpectedSubject::from_member(member, &value)
        .map_err(|e| BadInput(format!("{e}{}", legacy_hint(member, &value))))?;
    authenticate(cert, &expected)
}

/// A DN in the legacy grammar, as the RFC 4514 string a migrated registration stores.
fn rfc4514_of_legacy(dn: &str) -> Result<String, rfc8705::dn::DnParseError> {
    DistinguishedName::parse_legacy(dn).map(|dn| dn.to_string())
}

/// Points at `--legacy-dn` when a DN that RFC 4514 refuses is a legacy one.
fn legacy_hint(member: &str, value: &str) -> &'static str {
    if member == "tls_client_auth_subject_dn"
        && value.parse::<DistinguishedName>().is_err()
        && DistinguishedName::parse_legacy(value).is_ok()
    {
        " (it reads as an RFC 1779/2253 DN, such as Java's getName(RFC1779): pass --legacy-dn)"
    } else {
        ""
    }
}

/// `match <cert> --client metadata.json` with `tls_client_auth`. With `--legacy-dn`, a
/// `tls_client_auth_subject_dn` is read with the RFC 1779/2253 grammar and registered as its
/// RFC 4514 string, as a migration would store it.
pub fn match_client(
    cert: &ClientCertificate<'_>,
    metadata_json: &[u8],
    legacy_dn: bool,
) -> CmdResult {
    let mut metadata: ClientMetadata = serde_json::from_slice(metadata_json)
        .map_err(|e| BadInput(format!("invalid client metadata: {e}")))?;
    let dn = metadata.tls_client_auth_subject_dn.take();
    metadata.tls_client_auth_subject_dn = match dn {
        Some(dn) if legacy_dn => Some(rfc4514_of_legacy(&dn).map_err(|e| {
            BadInput(format!(
                "invalid client metadata: tls_client_auth_subject_dn: {e}"
            ))
        })?),
        dn => dn,
    };
    let hint = match &metadata.tls_client_auth_subject_dn {
        Some(dn) => legacy_hint("tls_client_auth_subject_dn", dn),
        None => "",
    };
    match MtlsClientAuth::from_metadata(&metadata) {
        Ok(Some(MtlsClientAuth::TlsClientAuth(expected))) => authenticate(cert, &expected),
        Ok(_) => Err(BadInput::new(
            "invalid client metadata: token_endpoint_auth_method is not tls_client_auth",
        )),
        Err(e) => Err(BadInput(format!("invalid client metadata: {e}{hint}"))),
    }
}

fn authenticate(cert: &ClientCertificate<'_>, expected: &ExpectedSubject) -> CmdResult {
    match expected.authenticate(cert) {
        Ok(matched) => Ok(Outcome::Yes(matched.to_string())),
        Err(why) => Ok(Outcome::No(why.to_string())),
    }
}
