//! `subject`, `sans`, `match --subject-dn/--san-*` and `match --client` for `tls_client_auth`.

use rfc8705::ClientCertificate;
use rfc8705::MtlsClientAuth;
use rfc8705::client_auth::tls::ExpectedSubject;
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

/// `match <cert> --subject-dn S` and the `--san-*` forms.
pub fn match_subject(cert: &ClientCertificate<'_>, flag: &str, value: &str) -> CmdResult {
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
    let expected = ExpectedSubject::from_member(member, value).map_err(BadInput::new)?;
    authenticate(cert, &expected)
}

/// `match <cert> --client metadata.json` with `tls_client_auth`.
pub fn match_client(cert: &ClientCertificate<'_>, metadata_json: &[u8]) -> CmdResult {
    let metadata: ClientMetadata = serde_json::from_slice(metadata_json)
        .map_err(|e| BadInput(format!("invalid client metadata: {e}")))?;
    match MtlsClientAuth::from_metadata(&metadata) {
        Ok(Some(MtlsClientAuth::TlsClientAuth(expected))) => authenticate(cert, &expected),
        Ok(_) => Err(BadInput::new(
            "invalid client metadata: token_endpoint_auth_method is not tls_client_auth",
        )),
        Err(e) => Err(BadInput(format!("invalid client metadata: {e}"))),
    }
}

fn authenticate(cert: &ClientCertificate<'_>, expected: &ExpectedSubject) -> CmdResult {
    match expected.authenticate(cert) {
        Ok(matched) => Ok(Outcome::Yes(matched.to_string())),
        Err(why) => Ok(Outcome::No(why.to_string())),
    }
}
