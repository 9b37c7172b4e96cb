//! The RFC 5280 checks `rustls-webpki` leaves out, run by the crate on each path `webpki`
//! built (its `verify_path` hook, so that path building tries another path when one fails):
//! the registered issuer pins, the issuers' keyUsage, and rfc822Name name constraints on the
//! subject's emailAddress. Certificates are read with the crate's own reader
//! ([`Parts`](crate::cert::Parts)).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use webpki::VerifiedPath;

use super::chain_error::ChainError;
use crate::Thumbprint;
use crate::cert::{EmailSubtrees, Parts};
use crate::dn::NameRef;

/// Checks a path `webpki` validated: `anchor_subtrees` are its anchor's rfc822Name
/// constraints, if any.
pub(super) fn check_path(
    path: &VerifiedPath<'_>,
    anchor_subtrees: Option<&EmailSubtrees>,
    issuer_pins: &[Thumbprint],
) -> Result<(), ChainError> {
    let issuer = Thumbprint::digest_of(&path.issuer_spki());
    if !(issuer_pins.is_empty() || issuer_pins.contains(&issuer)) {
        return Err(ChainError::IssuerNotRegistered);
    }
    // The path below the anchor, leaf first, each certificate's issuer next.
    let mut ders: Vec<Vec<u8>> = Vec::with_capacity(4);
    ders.push(path.end_entity().der().as_ref().to_vec());
    for cert in path.intermediate_certificates() {
        ders.push(cert.der().as_ref().to_vec());
    }
    let parts = ders
        .iter()
        .map(|c| Parts::read(c))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ChainError::Invalid {
            reason: e.to_string(),
        })?;

    // RFC 5280 section 6.1.4 (n): "If a key usage extension is present, verify that the
    // keyCertSign bit is set." (The anchor's is checked when it is loaded.)
    for (position, (issuer, der)) in parts.iter().zip(&ders).enumerate().skip(1) {
        if issuer.key_cert_sign().map_err(invalid)? == Some(false) {
            return Err(ChainError::IssuerNotCertSigner {
                position,
                subject: subject_text(der),
            });
        }
    }

    // The rfc822Name subtrees of every CA on the path: each intermediate's, then the anchor's.
    let mut constraints: Vec<(usize, EmailSubtrees)> = Vec::new();
    for (position, issuer) in parts.iter().enumerate().skip(1) {
        let subtrees = issuer.email_subtrees().map_err(invalid)?;
        if !subtrees.is_empty() {
            constraints.push((position, subtrees));
        }
    }
    if let Some(subtrees) = anchor_subtrees {
        constraints.push((parts.len(), subtrees.clone()));
    }
    if constraints.is_empty() {
        return Ok(());
    }
    for (position, (cert, der)) in parts.iter().zip(&ders).enumerate() {
        // RFC 5280 section 6.1.3 (b) and (c): the subtrees apply to certificate i "If
        // certificate i is not self-issued" (or is the last, the leaf).
        if position > 0 && cert.subject == cert.issuer {
            continue;
        }
        // RFC 5280 section 4.2.1.10: "When constraints are imposed on the rfc822Name name
        // form, but the certificate does not include a subject alternative name, the
        // rfc822Name constraint MUST be applied to the attribute of type emailAddress in the
        // subject distinguished name." Applied whenever no rfc822Name SAN is present
        // (`webpki` refuses an rfc822Name SAN under rfc822Name constraints).
        if cert.has_rfc822_san() {
            continue;
        }
        for email in cert.subject_emails() {
            let above = constraints.iter().filter(|(at, _)| *at > position);
            for (_, subtrees) in above {
                if !within(email.content, subtrees) {
                    return Err(ChainError::EmailOutsideConstraints {
                        position,
                        subject: subject_text(der),
                    });
                }
            }
        }
    }
    Ok(())
}

fn invalid(e: crate::CertificateError) -> ChainError {
    ChainError::Invalid {
        reason: e.to_string(),
    }
}

fn subject_text(der: &[u8]) -> String {
    NameRef::subject_of_der(der)
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "an unreadable subject".into())
}

/// Whether an email address satisfies one CA's rfc822Name subtrees. RFC 5280 section
/// 4.2.1.10: "If a certificate contains a permittedSubtrees … then the names in the
/// certificate MUST be within one of them"; "any name matching a restriction in the
/// excludedSubtrees field is invalid regardless of information appearing in the
/// permittedSubtrees". An address that is not ASCII `local@host` is within nothing and
/// fails any constraint (fail closed).
fn within(address: &[u8], subtrees: &EmailSubtrees) -> bool {
    let permitted = subtrees.permitted.is_empty()
        || subtrees
            .permitted
            .iter()
            .any(|b| matches(address, b) == Some(true));
    let excluded = subtrees
        .excluded
        .iter()
        .any(|b| matches(address, b) != Some(false));
    permitted && !excluded
}

/// Whether `address` is within the rfc822Name constraint `base`; `None` when the address is
/// not a mailbox this check can read.
///
/// RFC 5280 section 4.2.1.10: "To indicate a particular mailbox, the constraint is the
/// complete mail address." "To indicate all Internet mail addresses on a particular host,
/// the constraint is specified as the host name." "To specify any address within a domain,
/// the constraint is specified with a leading period (as with URIs). For example,
/// ".example.com" indicates all the Internet mail addresses in the domain "example.com",
/// but not Internet mail addresses on the host "example.com"." Section 7.5: the host part is
/// compared case-insensitively, the local part exactly.
fn matches(address: &[u8], base: &[u8]) -> Option<bool> {
    if !address.iter().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let at = address.iter().rposition(|&b| b == b'@')?;
    let (local, host) = (address.get(..at)?, address.get(at + 1..)?);
    if local.is_empty() || host.is_empty() {
        return None;
    }
    Some(match base.iter().rposition(|&b| b == b'@') {
        Some(base_at) => {
            let (base_local, base_host) = (base.get(..base_at)?, base.get(base_at + 1..)?);
            local == base_local && host.eq_ignore_ascii_case(base_host)
        }
        None if base.first() == Some(&b'.') => {
            host.len() > base.len()
                && host
                    .get(host.len() - base.len()..)
                    .is_some_and(|tail| tail.eq_ignore_ascii_case(base))
        }
        None => host.eq_ignore_ascii_case(base),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subtrees(permitted: &[&str], excluded: &[&str]) -> EmailSubtrees {
        EmailSubtrees {
            permitted: permitted.iter().map(|s| s.as_bytes().to_vec()).collect(),
            excluded: excluded.iter().map(|s| s.as_bytes().to_vec()).collect(),
        }
    }

    #[test]
    fn the_three_forms_of_rfc822_constraints() {
        let host = subtrees(&["example.com"], &[]);
        assert!(within(b"admin@example.com", &host));
        assert!(within(b"admin@EXAMPLE.com", &host));
        assert!(!within(b"admin@evil.org", &host));
        assert!(!within(b"admin@sub.example.com", &host));
        let domain = subtrees(&[".example.com"], &[]);
        assert!(within(b"a@sub.example.com", &domain));
        assert!(!within(b"a@example.com", &domain));
        assert!(!within(b"a@badexample.com", &domain));
        let mailbox = subtrees(&["root@example.com"], &[]);
        assert!(within(b"root@Example.COM", &mailbox));
        assert!(!within(b"Root@example.com", &mailbox));
        let excluded = subtrees(&[], &["evil.org"]);
        assert!(!within(b"admin@evil.org", &excluded));
        assert!(within(b"admin@good.org", &excluded));
        // Not a readable mailbox: fails any constraint.
        assert!(!within(b"no-at-sign", &host));
        assert!(!within(b"no-at-sign", &excluded));
        assert!(!within("a@ex\u{e4}mple.com".as_bytes(), &excluded));
        assert!(within(b"a@example.com", &subtrees(&[], &[])));
    }
}
