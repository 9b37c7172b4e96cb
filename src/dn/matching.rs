//! Explaining a distinguishedNameMatch failure, for logs.
//!
//! The match itself lives on [`DistinguishedName::matches`]; this slow path runs only after a
//! mismatch and looks for the mistakes people make when they copy a DN by hand: the issuer
//! instead of the subject, the RDNs of a library that prints them in DER order, a
//! multi-valued RDN written as two, an RDN too many or too few, one value that differs.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::format;
use super::name::{DistinguishedName, Rdn};
use super::name_ref::{NameRef, RdnRef};

/// Why a registered subject DN does not match a certificate's subject. For logs, never for
/// the client. `subject` fields hold the certificate's subject as an escaped RFC 4514 string.
///
/// ```
/// use rfc8705::dn::{DistinguishedName, DnMismatch};
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let cert = rfc8705::ClientCertificate::from_der(&der)?;
/// let subject = cert.subject();
/// let dn: DistinguishedName = "CN=mtls,O=Example".parse()?;
/// let why = dn.explain_mismatch(&subject, None).unwrap();
/// assert_eq!(why, DnMismatch::MissingRdn { rdn: "O=Example".into(), subject: "CN=mtls".into() });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DnMismatch {
    /// The certificate's subject is empty: it names its holder only in SANs.
    #[error(
        "the certificate's subject is empty (it names its holder only in subjectAltName); register a SAN instead of a subject DN"
    )]
    EmptySubject,
    /// The registered DN is the certificate's issuer.
    #[error(
        "the registered DN equals the certificate's issuer, not its subject; the subject is \"{subject}\""
    )]
    IssuerNotSubject {
        /// The certificate's subject.
        subject: String,
    },
    /// The same RDNs, in reverse order (a DER-order rendering was registered).
    #[error(
        "same RDNs in reverse order: RFC 4514 lists the most specific RDN first; register \"{subject}\""
    )]
    Reversed {
        /// The certificate's subject.
        subject: String,
    },
    /// The same attributes, grouped into RDNs differently.
    #[error(
        "the same attributes grouped differently: a multi-valued RDN (joined with '+') is split into separate RDNs, or separate RDNs are joined; the certificate's subject is \"{subject}\""
    )]
    MultiValuedSplit {
        /// The certificate's subject.
        subject: String,
    },
    /// The certificate lacks one registered RDN.
    #[error(
        "the certificate's subject has no RDN matching the registered \"{rdn}\"; the subject is \"{subject}\""
    )]
    MissingRdn {
        /// The registered RDN that is missing.
        rdn: String,
        /// The certificate's subject.
        subject: String,
    },
    /// The certificate has one RDN the registered DN lacks.
    #[error(
        "the certificate's subject has an extra RDN \"{rdn}\" that the registered DN lacks; the subject is \"{subject}\""
    )]
    ExtraRdn {
        /// The certificate's extra RDN.
        rdn: String,
        /// The certificate's subject.
        subject: String,
    },
    /// The numbers of RDNs differ (by more than one, or in a way that is not one RDN).
    #[error(
        "the registered DN has {registered} RDNs, the certificate's subject has {presented}; the subject is \"{subject}\""
    )]
    RdnCount {
        /// RDNs registered.
        registered: usize,
        /// RDNs in the certificate's subject.
        presented: usize,
        /// The certificate's subject.
        subject: String,
    },
    /// At `position` (1 = leftmost in the string), the types match but a value differs.
    #[error(
        "{attr} differs (RDN {position} from the left): registered \"{registered}\", the certificate's subject is \"{subject}\""
    )]
    ValueDiffers {
        /// The attribute type whose value differs, as printed (`OU`).
        attr: String,
        /// RDN position, 1 = leftmost in the RFC 4514 string.
        position: usize,
        /// The registered RDN.
        registered: String,
        /// The certificate's subject.
        subject: String,
    },
    /// At `position`, the attribute types differ.
    #[error(
        "RDN {position} from the left has different attribute types: registered \"{registered}\", certificate \"{presented}\"; the subject is \"{subject}\""
    )]
    TypesDiffer {
        /// RDN position, 1 = leftmost in the RFC 4514 string.
        position: usize,
        /// The registered RDN.
        registered: String,
        /// The certificate's RDN.
        presented: String,
        /// The certificate's subject.
        subject: String,
    },
    /// A value could not be compared: RFC 4518 preparation failed (a prohibited character, an
    /// invisible or control character, or an invalid string encoding such as a
    /// PrintableString outside its repertoire or a non-ASCII `DC`), which is Undefined and so
    /// no match. The subject is escaped: such characters appear as `\HH`.
    #[error(
        "a value of the certificate's subject cannot be compared (invalid string encoding, an invisible or control character, or a character RFC 4518 prohibits); the subject is \"{subject}\""
    )]
    Undefined {
        /// The certificate's subject.
        subject: String,
    },
}

fn rdn_ref_string(rdn: &RdnRef<'_>) -> String {
    let mut s = String::new();
    for (j, ava) in rdn.avas().enumerate() {
        if j > 0 {
            s.push('+');
        }
        let _ = format::write_cert_ava(&mut s, ava.oid, ava.value);
    }
    s
}

/// Whether registered RDNs `reg` match certificate RDNs `cert` position by position.
fn seq_matches(reg: &[&Rdn], cert: &[RdnRef<'_>]) -> bool {
    reg.len() == cert.len() && reg.iter().zip(cert).all(|(r, c)| r.matches(c) == Ok(true))
}

/// Whether every registered AVA has a distinct matching AVA in the certificate, ignoring
/// how they are grouped into RDNs.
fn same_avas_regrouped(reg: &DistinguishedName, cert: &[RdnRef<'_>]) -> bool {
    let cert_avas: Vec<_> = cert.iter().flat_map(|r| r.avas()).collect();
    let reg_count: usize = reg.rdns.iter().map(|r| r.avas.len()).sum();
    if reg_count != cert_avas.len() {
        return false;
    }
    let mut used = alloc::vec![false; cert_avas.len()];
    reg.rdns.iter().flat_map(|r| &r.avas).all(|ava| {
        let hit = cert_avas
            .iter()
            .zip(used.iter_mut())
            .find(|(c, u)| !**u && ava.matches(**c) == Ok(true));
        match hit {
            Some((_, u)) => {
                *u = true;
                true
            }
            None => false,
        }
    })
}

pub(super) fn explain(
    reg: &DistinguishedName,
    subject: &NameRef<'_>,
    issuer: Option<&NameRef<'_>>,
) -> Option<DnMismatch> {
    let result = reg.match_result(subject);
    if result == Ok(true) {
        return None;
    }
    if subject.is_empty() {
        return Some(DnMismatch::EmptySubject);
    }
    let subject_str = subject.to_string();
    if issuer.is_some_and(|i| reg.matches(i)) {
        return Some(DnMismatch::IssuerNotSubject {
            subject: subject_str,
        });
    }
    if result.is_err() {
        return Some(DnMismatch::Undefined {
            subject: subject_str,
        });
    }
    let cert: Vec<RdnRef<'_>> = subject.rdns().collect();
    let regs: Vec<&Rdn> = reg.rdns.iter().collect();
    if regs.len() == cert.len() && regs.len() > 1 {
        let reversed: Vec<&Rdn> = regs.iter().rev().copied().collect();
        if seq_matches(&reversed, &cert) {
            return Some(DnMismatch::Reversed {
                subject: subject_str,
            });
        }
    }
    if regs.len() != cert.len() && same_avas_regrouped(reg, &cert) {
        return Some(DnMismatch::MultiValuedSplit {
            subject: subject_str,
        });
    }
    if cert.len() == regs.len() + 1 {
        for k in 0..cert.len() {
            let mut rest = cert.clone();
            let extra = rest.remove(k);
            if seq_matches(&regs, &rest) {
                return Some(DnMismatch::ExtraRdn {
                    rdn: rdn_ref_string(&extra),
                    subject: subject_str,
                });
            }
        }
    }
    if regs.len() == cert.len() + 1 {
        for k in 0..regs.len() {
            let mut rest = regs.clone();
            let missing = rest.remove(k);
            if seq_matches(&rest, &cert) {
                return Some(DnMismatch::MissingRdn {
                    rdn: missing.to_string(),
                    subject: subject_str,
                });
            }
        }
    }
    if regs.len() != cert.len() {
        return Some(DnMismatch::RdnCount {
            registered: regs.len(),
            presented: cert.len(),
            subject: subject_str,
        });
    }
    // Same length: report the first RDN (in string order) that differs.
    for (i, (r, c)) in regs.iter().zip(&cert).enumerate().rev() {
        if r.matches(c) == Ok(true) {
            continue;
        }
        let position = regs.len() - i;
        let mut reg_types: Vec<_> = r.avas.iter().map(|a| a.attr.oid()).collect();
        let mut cert_types: Vec<_> = c
            .avas()
            .filter_map(|a| der::oid::ObjectIdentifier::from_bytes(a.oid).ok())
            .collect();
        reg_types.sort_unstable();
        cert_types.sort_unstable();
        if reg_types == cert_types {
            let differing = r
                .avas
                .iter()
                .find(|a| !c.avas().any(|ca| a.matches(ca) == Ok(true)))
                .map_or_else(String::new, |a| a.attr.to_string());
            return Some(DnMismatch::ValueDiffers {
                attr: differing,
                position,
                registered: r.to_string(),
                subject: subject_str,
            });
        }
        return Some(DnMismatch::TypesDiffer {
            position,
            registered: r.to_string(),
            presented: rdn_ref_string(c),
            subject: subject_str,
        });
    }
    Some(DnMismatch::Undefined {
        subject: subject_str,
    })
}

impl DistinguishedName {
    /// Explains why this registered name does not match a certificate's subject, for logs:
    /// the issuer was registered, the RDNs are reversed, a multi-valued RDN was split, an
    /// RDN is missing or extra, or which attribute differs. `None` if it matches.
    ///
    /// ```
    /// use rfc8705::dn::{DistinguishedName, DnMismatch};
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let cert = rfc8705::ClientCertificate::from_der(&der)?;
    /// let subject = cert.subject();
    /// let dn: DistinguishedName = "CN=other".parse()?;
    /// let why = dn.explain_mismatch(&subject, None).unwrap();
    /// assert!(matches!(why, DnMismatch::ValueDiffers { .. }));
    /// assert!(why.to_string().contains("CN differs"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn explain_mismatch(
        &self,
        subject: &NameRef<'_>,
        issuer: Option<&NameRef<'_>>,
    ) -> Option<DnMismatch> {
        explain(self, subject, issuer)
    }
}
