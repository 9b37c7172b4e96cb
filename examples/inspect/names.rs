//! `subject`, `sans`, and `match` for `tls_client_auth`: a name rule (`--subject-dn`,
//! `--san-*`) or a client's registration (`--client`), optionally with the chain validated for
//! client authentication (`--trust-anchor`, `--chain`, `--at`) and checked for revocation
//! (`--crl`).

use rfc8705::client_auth::{
    ChainError, ClientAuthError, MtlsClientAuth, RevocationLists, RevocationPolicy, TrustAnchors,
    ValidatedChain,
};
use rfc8705::dn::DistinguishedName;
use rfc8705::metadata::ClientMetadata;
use rfc8705::{ClientCertificate, RenewedCertificatePolicy};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, UnixTime};

use crate::time::{format_rfc3339, parse_rfc3339};
use crate::{BadInput, CmdResult, JSON_LIMIT, Outcome, read_input, self_signed};

/// The largest `--trust-anchor` or `--chain` file read.
const PEM_LIMIT: u64 = 1024 * 1024;
/// The largest `--crl` file read.
const CRL_LIMIT: u64 = 64 * 1024 * 1024;

/// `subject <cert>`: the subject as an RFC 4514 string.
pub fn subject(cert: &ClientCertificate<'_>) -> CmdResult {
    Ok(Outcome::Yes(cert.subject().to_string()))
}

/// `sans <cert>`: one SAN a line, in certificate order.
pub fn sans(cert: &ClientCertificate<'_>) -> CmdResult {
    let lines: Vec<String> = cert.sans().map(|s| s.to_string()).collect();
    Ok(Outcome::Yes(lines.join("\n")))
}

/// What `match` checks the certificate against.
enum Rule<'a> {
    /// `--subject-dn` or `--san-*`: the registration member and its value.
    Name(&'static str, &'a str),
    /// `--client FILE`.
    Client(&'a str),
}

/// `match <cert> (--subject-dn DN | --san-* V | --client FILE) [--trust-anchor FILE …]
/// [--chain FILE] [--at RFC3339] [--crl FILE …]`. With any `--crl` (DER, or PEM `X509 CRL`
/// blocks), every certificate below the anchor needs a status from a CRL of its issuer among
/// them, not past its nextUpdate (the crate's default `RevocationPolicy`). With `--legacy-dn`, the registered DN (`--subject-dn`, or
/// the client's `tls_client_auth_subject_dn`) is read with the RFC 1779/2253 grammar and
/// registered as its RFC 4514 string, as a migration would store it.
pub fn match_command(cert: &ClientCertificate<'_>, args: &[&str], legacy_dn: bool) -> CmdResult {
    let mut rule = None;
    let mut anchors = Vec::new();
    let mut crls = Vec::new();
    let (mut chain, mut at) = (None, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = *it
            .next()
            .ok_or_else(|| BadInput(format!("{flag} needs a value")))?;
        let new_rule = match *flag {
            "--subject-dn" => Some(Rule::Name("tls_client_auth_subject_dn", value)),
            "--san-dns" => Some(Rule::Name("tls_client_auth_san_dns", value)),
            "--san-uri" => Some(Rule::Name("tls_client_auth_san_uri", value)),
            "--san-ip" => Some(Rule::Name("tls_client_auth_san_ip", value)),
            "--san-email" => Some(Rule::Name("tls_client_auth_san_email", value)),
            "--client" => Some(Rule::Client(value)),
            "--trust-anchor" => {
                anchors.push(value);
                None
            }
            "--crl" => {
                crls.push(value);
                None
            }
            "--chain" if chain.is_none() => {
                chain = Some(value);
                None
            }
            "--at" if at.is_none() => {
                at = Some(value);
                None
            }
            other => {
                return Err(BadInput(format!(
                    "unknown or repeated option {other:?} for match; use one of --subject-dn, --san-dns, --san-uri, --san-ip, --san-email, --client, then any --trust-anchor, one --chain, one --at, any --crl"
                )));
            }
        };
        if let Some(r) = new_rule
            && rule.replace(r).is_some()
        {
            return Err(BadInput::new(
                "match takes one of --subject-dn, --san-*, --client",
            ));
        }
    }
    let rule = rule.ok_or_else(|| {
        BadInput::new("match needs one of --subject-dn, --san-dns, --san-uri, --san-ip, --san-email, --client")
    })?;
    if anchors.is_empty() && (chain.is_some() || at.is_some() || !crls.is_empty()) {
        return Err(BadInput::new("--chain, --at and --crl need --trust-anchor"));
    }
    let from_client = matches!(rule, Rule::Client(_));
    let auth = match rule {
        Rule::Name(member, value) => {
            if legacy_dn && member != "tls_client_auth_subject_dn" {
                return Err(BadInput::new("--legacy-dn applies to --subject-dn"));
            }
            let mut metadata: ClientMetadata = serde_json::from_value(serde_json::json!({
                "token_endpoint_auth_method": "tls_client_auth",
                member: value,
            }))
            .map_err(BadInput::new)?;
            let hint = registered_dn(&mut metadata, legacy_dn)?;
            MtlsClientAuth::from_metadata(&metadata).map_err(|e| BadInput(format!("{e}{hint}")))?
        }
        Rule::Client(path) => {
            let json = read_input(path, JSON_LIMIT)?;
            let metadata: serde_json::Value = serde_json::from_slice(&json)
                .map_err(|e| BadInput(format!("{path} is not JSON: {e}")))?;
            one_client(path, &metadata)?;
            match metadata
                .get("token_endpoint_auth_method")
                .and_then(|m| m.as_str())
            {
                Some("tls_client_auth") => client_auth(&json, legacy_dn)?,
                Some("self_signed_tls_client_auth") if legacy_dn => {
                    return Err(BadInput::new(
                        "--legacy-dn reads a tls_client_auth_subject_dn; this client uses self_signed_tls_client_auth",
                    ));
                }
                Some("self_signed_tls_client_auth") if anchors.is_empty() => {
                    return self_signed::match_client(cert, &json);
                }
                Some("self_signed_tls_client_auth") => {
                    return Err(BadInput::new(
                        "--trust-anchor applies to tls_client_auth; self_signed_tls_client_auth does not validate chains (RFC 8705 section 2.2)",
                    ));
                }
                Some(other) => {
                    return Err(BadInput(format!(
                        "{path}: token_endpoint_auth_method is {other:?}; inspect handles tls_client_auth and self_signed_tls_client_auth"
                    )));
                }
                None => {
                    return Err(BadInput(format!(
                        "{path}: no token_endpoint_auth_method; inspect handles tls_client_auth and self_signed_tls_client_auth"
                    )));
                }
            }
        }
    };
    let auth = auth.ok_or_else(|| BadInput::new("not a mutual-TLS registration"))?;
    if anchors.is_empty() {
        if from_client {
            // A token endpoint validates the chain first (RFC 8705 section 2.1): a "yes" here
            // is about the names only, and a forged certificate with the same names gets it.
            eprintln!(
                "note: no chain was validated (no --trust-anchor): only the names were compared; pass --trust-anchor CA.pem [--chain INTERMEDIATES.pem] to check that the certificate chains to the client's CA, as the token endpoint must"
            );
        }
        // Without --trust-anchor, match checks the name rule only (the chain is taken as
        // validated elsewhere): say so explicitly to the crate.
        let chain = ValidatedChain::tls_stack_validated_this_chain(cert.der());
        return Ok(answer(
            auth.authenticate(&chain, RenewedCertificatePolicy::Reject),
        ));
    }
    let anchors = read_anchors(&anchors)?;
    let mut presented = vec![CertificateDer::from(cert.der().to_vec())];
    if let Some(path) = chain {
        presented.extend(read_certs(path)?);
    }
    let at = match at {
        Some(t) => UnixTime::since_unix_epoch(std::time::Duration::from_secs(
            parse_rfc3339(t).map_err(BadInput)?,
        )),
        None => UnixTime::now(),
    };
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    let algorithms = provider.signature_verification_algorithms.all;
    let validated = if crls.is_empty() {
        auth.validate_chain(Some(&presented), Some(&anchors), at, algorithms)
    } else {
        let lists = read_crls(&crls)?;
        auth.validate_chain_with_revocation(
            Some(&presented),
            Some(&anchors),
            &lists,
            at,
            algorithms,
        )
    };
    Ok(answer(validated.and_then(|chain| {
        auth.authenticate(&chain, RenewedCertificatePolicy::Reject)
    })))
}

/// The CRLs of every `--crl` file; a file that holds none is bad input.
fn read_crls(paths: &[&str]) -> Result<RevocationLists, BadInput> {
    let files = paths
        .iter()
        .map(|p| read_input(p, CRL_LIMIT))
        .collect::<Result<Vec<_>, _>>()?;
    RevocationLists::read(files.iter().map(Vec::as_slice), RevocationPolicy::default()).map_err(
        |e| match e {
            ChainError::Crl { index, reason } => BadInput(format!(
                "--crl {}: {reason}",
                paths.get(index).copied().unwrap_or_default()
            )),
            other => BadInput(format!("--crl: {other}")),
        },
    )
}

/// `--client` names one RFC 7591 client metadata document: a JSON object.
fn one_client(path: &str, metadata: &serde_json::Value) -> Result<(), BadInput> {
    use serde_json::Value;
    let found = match metadata {
        Value::Object(_) => return Ok(()),
        Value::Array(a) => &*format!("an array of {} elements", a.len()),
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
    };
    Err(BadInput(format!(
        "{path}: expected one client metadata object ({{\"token_endpoint_auth_method\": …}}), found {found}"
    )))
}

/// A `tls_client_auth` registration from `--client`.
fn client_auth(json: &[u8], legacy_dn: bool) -> Result<Option<MtlsClientAuth>, BadInput> {
    let mut metadata: ClientMetadata = serde_json::from_slice(json)
        .map_err(|e| BadInput(format!("invalid client metadata: {e}")))?;
    let hint = registered_dn(&mut metadata, legacy_dn)
        .map_err(|BadInput(e)| BadInput(format!("invalid client metadata: {e}")))?;
    MtlsClientAuth::from_metadata(&metadata)
        .map_err(|e| BadInput(format!("invalid client metadata: {e}{hint}")))
}

/// With `--legacy-dn`, replaces the registered DN by its RFC 4514 form, as a migration
/// stores it. Returns the hint to add when the registration is refused: a DN that RFC 4514
/// refuses but the legacy grammar reads points at `--legacy-dn`.
fn registered_dn(metadata: &mut ClientMetadata, legacy_dn: bool) -> Result<&'static str, BadInput> {
    let Some(dn) = metadata.tls_client_auth_subject_dn.as_mut() else {
        return Ok("");
    };
    if legacy_dn {
        *dn = DistinguishedName::parse_legacy(dn)
            .map_err(|e| BadInput(format!("tls_client_auth_subject_dn: {e}")))?
            .to_string();
        return Ok("");
    }
    let legacy =
        dn.parse::<DistinguishedName>().is_err() && DistinguishedName::parse_legacy(dn).is_ok();
    Ok(if legacy {
        " (it reads as an RFC 1779/2253 DN, such as Java's getName(RFC1779): pass --legacy-dn)"
    } else {
        ""
    })
}

fn answer(outcome: Result<rfc8705::Authenticated, ClientAuthError>) -> Outcome {
    match outcome {
        Ok(by) => Outcome::Yes(by.to_string()),
        Err(ClientAuthError::Chain(e)) => Outcome::No(chain_reason(&e)),
        Err(e) => Outcome::No(format!("name mismatch: {e}")),
    }
}

/// The reason a chain is refused, with times in RFC 3339.
fn chain_reason(e: &ChainError) -> String {
    match e {
        ChainError::Expired { at, not_after } => format!(
            "expired at {} (validation time {})",
            format_rfc3339(*not_after),
            format_rfc3339(*at)
        ),
        ChainError::NotYetValid { at, not_before } => format!(
            "not yet valid: valid from {} (validation time {})",
            format_rfc3339(*not_before),
            format_rfc3339(*at)
        ),
        ChainError::CrlExpired { at, next_update } => format!(
            "a CRL expired at {} (validation time {})",
            format_rfc3339(*next_update),
            format_rfc3339(*at)
        ),
        ChainError::IssuerNotShown => "the client registers its issuers (tls_client_auth_trust_anchors or tls_client_auth_issuer_spki_s256): pass --trust-anchor to check them".into(),
        other => other.to_string(),
    }
}

/// The certificates of a PEM file (or one DER certificate); none is bad input.
fn read_certs(path: &str) -> Result<Vec<CertificateDer<'static>>, BadInput> {
    let bytes = read_input(path, PEM_LIMIT)?;
    let certs = if bytes.first() == Some(&0x30) {
        vec![CertificateDer::from(bytes)]
    } else {
        CertificateDer::pem_slice_iter(&bytes)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| BadInput(format!("{path}: {e}")))?
    };
    if certs.is_empty() {
        return Err(BadInput(format!("{path} holds no certificate")));
    }
    Ok(certs)
}

/// Every certificate of every `--trust-anchor` file.
fn read_anchors(paths: &[&str]) -> Result<TrustAnchors, BadInput> {
    let mut certs = Vec::new();
    for path in paths {
        certs.extend(read_certs(path)?);
    }
    TrustAnchors::from_der(certs.iter().map(|c| c.as_ref()))
        .map_err(|e| BadInput(format!("--trust-anchor: {e}")))
}
