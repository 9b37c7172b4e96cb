//! A registered distinguished name: RDNs of AVAs, each value prepared once for matching.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::attr::{AttributeType, EqualityRule};
use super::error::DnParseError;
use super::format;
use super::name_ref::{CertAva, NameRef, RdnRef};
use super::prep::{self, StringValue};
use crate::der::Tlv;

/// A registered attribute value, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub(crate) enum AvaValue {
    /// A string value, unescaped.
    Text(String),
    /// A `#hex` value: the BER encoding of the AttributeValue.
    Ber(Vec<u8>),
}

/// What a registered value is compared with, computed once at parse time.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Prepared {
    /// caseIgnoreMatch: the RFC 4518 prepared string.
    Text(String),
    /// caseIgnoreIA5Match: the RFC 4518 prepared string, ASCII only.
    Ia5Text(String),
    /// Unknown type, string value: the certificate's value must be a string with exactly
    /// these characters.
    ExactText,
    /// The certificate's value must have exactly this BER encoding.
    ExactBer,
}

/// One attribute type and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ava {
    pub(super) attr: AttributeType,
    value: AvaValue,
    prepared: Prepared,
}

impl Ava {
    pub(super) fn new(attr: AttributeType, value: AvaValue) -> Result<Self, DnParseError> {
        let unpreparable = || DnParseError::Unpreparable {
            attr: attr.to_string(),
        };
        let text = |rule: EqualityRule, chars: prep::ValueChars<'_>| {
            refuse_invisible(attr, chars.clone())?;
            let prepared = prep::prepare(chars.clone()).map_err(|_| unpreparable())?;
            if rule != EqualityRule::CaseIgnoreIa5 {
                return Ok(Prepared::Text(prepared));
            }
            if !chars.clone().all(|c| c.is_ascii()) {
                return Err(DnParseError::NotIa5 {
                    attr: attr.to_string(),
                });
            }
            Ok(Prepared::Ia5Text(prepared))
        };
        let prepared = match (attr.equality_rule(), &value) {
            (EqualityRule::Exact, AvaValue::Text(t)) => {
                refuse_invisible(attr, t.chars())?;
                Prepared::ExactText
            }
            (EqualityRule::Exact, AvaValue::Ber(_)) => Prepared::ExactBer,
            (rule, AvaValue::Text(t)) => text(rule, prep::ValueChars::Utf8(t.chars()))?,
            (rule, AvaValue::Ber(ber)) => match Tlv::read_only(ber).ok() {
                // A known type given as #hex: compare as text if it is a string; a string
                // that is invalid for its type (a PrintableString holding `*`) never matches.
                Some(t) if prep::is_string_tag(t.tag) => {
                    let sv = StringValue::new(t.tag, t.content).ok_or_else(unpreparable)?;
                    text(rule, sv.chars())?
                }
                _ => Prepared::ExactBer,
            },
        };
        Ok(Self {
            attr,
            value,
            prepared,
        })
    }

    /// The value as written (unescaped).
    #[cfg(test)]
    pub(crate) fn value(&self) -> &AvaValue {
        &self.value
    }

    /// distinguishedNameMatch of this AVA against a certificate AVA. `Err` is Undefined.
    pub(super) fn matches(&self, cert: CertAva<'_>) -> Result<bool, prep::Undefined> {
        if self.attr.oid().as_bytes() != cert.oid {
            return Ok(false);
        }
        let value = cert.value;
        match (&self.prepared, &self.value) {
            (Prepared::Ia5Text(p), _) => {
                let sv = StringValue::new(value.tag, value.content).ok_or(prep::Undefined)?;
                prep::case_ignore_ia5_eq(p, &sv)
            }
            (Prepared::Text(p), written) => {
                let sv = StringValue::new(value.tag, value.content).ok_or(prep::Undefined)?;
                // Preparation is a function of the characters: a value identical to the one
                // registered (it parsed, so it prepares) matches without preparing it again.
                // This keeps the common copied-from-the-certificate case allocation-free
                // for non-ASCII values too.
                if let AvaValue::Text(t) = written
                    && !sv.is_ascii()
                    && sv.chars().eq(t.chars())
                {
                    return Ok(true);
                }
                prep::case_ignore_eq(p, &sv)
            }
            (Prepared::ExactText, AvaValue::Text(text)) => {
                let sv = StringValue::new(value.tag, value.content).ok_or(prep::Undefined)?;
                Ok(sv.chars().eq(text.chars()))
            }
            (Prepared::ExactBer, AvaValue::Ber(ber)) => Ok(value.whole == ber.as_slice()),
            _ => Err(prep::Undefined),
        }
    }
}

/// Refuses a registered value holding a character RFC 4518 section 2.2 maps to nothing, or a
/// control it maps to SPACE ([`prep::fails_closed`]): a certificate value holding one is
/// Undefined, so the registration could never match (or,
/// were it mapped to nothing, would match a name that differs from it only invisibly).
fn refuse_invisible(
    attr: AttributeType,
    mut chars: impl Iterator<Item = char>,
) -> Result<(), DnParseError> {
    match chars.find(|c| prep::fails_closed(*c)) {
        Some(c) => Err(DnParseError::InvisibleCharacter {
            attr: attr.to_string(),
            code_point: u32::from(c),
        }),
        None => Ok(()),
    }
}

impl fmt::Display for Ava {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}=", self.attr)?;
        match &self.value {
            AvaValue::Text(t) => format::write_escaped_str(f, t),
            AvaValue::Ber(ber) => format::write_hex(f, ber),
        }
    }
}

/// A relative distinguished name: one or more AVAs joined with `+`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rdn {
    pub(super) avas: Vec<Ava>,
}

impl Rdn {
    /// The AVAs, in the order written.
    #[cfg(test)]
    pub(crate) fn avas(&self) -> &[Ava] {
        &self.avas
    }

    /// RFC 4517 section 4.2.15 / RFC 5280 section 7.1: "Two relative distinguished names
    /// RDN1 and RDN2 match if they have the same number of naming attributes and for each
    /// naming attribute in RDN1 there is a matching naming attribute in RDN2." The same type
    /// may appear twice in one RDN (`OU=Sales+OU=EMEA`), so each certificate AVA is used
    /// once.
    pub(super) fn matches(&self, cert: &RdnRef<'_>) -> Result<bool, prep::Undefined> {
        if self.avas.len() != cert.len() {
            return Ok(false);
        }
        let mut used: u32 = 0;
        let mut undefined = false;
        for ava in &self.avas {
            let mut found = false;
            for (i, c) in cert.avas().enumerate() {
                let bit = 1u32 << (i % 32);
                if used & bit != 0 {
                    continue;
                }
                match ava.matches(c) {
                    Ok(true) => {
                        used |= bit;
                        found = true;
                        break;
                    }
                    Ok(false) => {}
                    Err(_) => undefined = true,
                }
            }
            if !found {
                // "If one or more of the AVA comparisons evaluate to Undefined and the
                // remaining AVA comparisons return TRUE then the distinguishedNameMatch rule
                // evaluates to Undefined."
                return if undefined {
                    Err(prep::Undefined)
                } else {
                    Ok(false)
                };
            }
        }
        Ok(true)
    }
}

impl fmt::Display for Rdn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, ava) in self.avas.iter().enumerate() {
            if i > 0 {
                f.write_str("+")?;
            }
            write!(f, "{ava}")?;
        }
        Ok(())
    }
}

/// A distinguished name parsed from an RFC 4514 string: the registered
/// `tls_client_auth_subject_dn`, prepared for matching.
///
/// Parsing is `FromStr` (RFC 4514; [`DistinguishedName::parse_legacy`] reads the RFC 1779 /
/// RFC 2253 strings of migrated registrations); `Display` writes RFC 4514 (most specific RDN
/// first), and serde uses the string form.
///
/// ```
/// use rfc8705::dn::DistinguishedName;
/// let dn: DistinguishedName = "cn = client-123 , o=Example\\, Inc. ,C=US".parse()?;
/// assert_eq!(dn.to_string(), "CN=client-123,O=Example\\, Inc.,C=US");
/// # Ok::<(), rfc8705::dn::DnParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistinguishedName {
    /// DER order: the first element is the least specific RDN.
    pub(super) rdns: Vec<Rdn>,
}

impl DistinguishedName {
    /// The RDNs in DER order (the reverse of the string's order).
    #[cfg(test)]
    pub(crate) fn rdns(&self) -> &[Rdn] {
        &self.rdns
    }

    /// RFC 4517 section 4.2.15 distinguishedNameMatch of this registered name against a
    /// certificate's name. Undefined comparisons are no match.
    ///
    /// RFC 5280 section 7.1: "Two distinguished names DN1 and DN2 match if they have the same
    /// number of RDNs, for each RDN in DN1 there is a matching RDN in DN2, and the matching
    /// RDNs appear in the same order in both DNs."
    ///
    /// ```
    /// use rfc8705::dn::DistinguishedName;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let cert = rfc8705::ClientCertificate::from_der(&der)?;
    /// let subject = cert.subject();
    /// assert!("2.5.4.3=mtls".parse::<DistinguishedName>()?.matches(&subject));
    /// assert!(!"CN=mtls2".parse::<DistinguishedName>()?.matches(&subject));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches(&self, name: &NameRef<'_>) -> bool {
        self.match_result(name) == Ok(true)
    }

    pub(super) fn match_result(&self, name: &NameRef<'_>) -> Result<bool, prep::Undefined> {
        if self.rdns.len() != name.len() {
            return Ok(false);
        }
        let mut undefined = false;
        for (reg, cert) in self.rdns.iter().zip(name.rdns()) {
            match reg.matches(&cert) {
                Ok(true) => {}
                Ok(false) => return Ok(false),
                Err(_) => undefined = true,
            }
        }
        if undefined {
            Err(prep::Undefined)
        } else {
            Ok(true)
        }
    }
}

impl fmt::Display for DistinguishedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, rdn) in self.rdns.iter().rev().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{rdn}")?;
        }
        Ok(())
    }
}

impl serde::Serialize for DistinguishedName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DistinguishedName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
