//! The attribute type registry: names, OIDs and equality rules of the naming attributes
//! seen in certificate subjects.
//!
//! RFC 4514 section 3: "Implementations MUST recognize AttributeType name strings
//! (descriptors) listed in the following table, but MAY recognize other name strings." The
//! table below holds the RFC 4514 nine, the RFC 5280 section 4.1.2.4 / Appendix A types,
//! `emailAddress` (PKCS #9), and the CA/Browser Forum jurisdiction and organization
//! identifier types. Equality rules come from RFC 4519 and RFC 5280 section 7.1.

use core::fmt;

use der::oid::ObjectIdentifier;

/// How values of an attribute type are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub(crate) enum EqualityRule {
    /// RFC 4517 section 4.2.11 caseIgnoreMatch after RFC 4518 preparation, for values of
    /// any DirectoryString encoding.
    CaseIgnore,
    /// RFC 4517 section 4.2.7 caseIgnoreIA5Match: IA5 (ASCII) values, case-insensitive,
    /// insignificant spaces ignored.
    CaseIgnoreIa5,
    /// Unknown types: the values must be identical (same string, or the same BER when the
    /// registered value is `#hex`).
    Exact,
}

/// One registered attribute type.
#[derive(Debug)]
pub(crate) struct AttributeInfo {
    /// Names accepted in DN strings, compared case-insensitively; the first one is printed.
    pub(crate) names: &'static [&'static str],
    pub(crate) oid: ObjectIdentifier,
    pub(crate) rule: EqualityRule,
}

const fn ci(names: &'static [&'static str], oid: &str) -> AttributeInfo {
    AttributeInfo {
        names,
        oid: ObjectIdentifier::new_unwrap(oid),
        rule: EqualityRule::CaseIgnore,
    }
}

const fn ia5(names: &'static [&'static str], oid: &str) -> AttributeInfo {
    AttributeInfo {
        names,
        oid: ObjectIdentifier::new_unwrap(oid),
        rule: EqualityRule::CaseIgnoreIa5,
    }
}

/// The registry. Printed names follow OpenSSL's `-nameopt RFC2253` output so that the
/// strings `inspect subject` prints look familiar.
pub(crate) static REGISTRY: &[AttributeInfo] = &[
    ci(&["CN", "commonName"], "2.5.4.3"),
    ci(&["SN", "surname"], "2.5.4.4"),
    ci(&["serialNumber"], "2.5.4.5"),
    ci(&["C", "countryName"], "2.5.4.6"),
    ci(&["L", "localityName"], "2.5.4.7"),
    ci(&["ST", "stateOrProvinceName", "S"], "2.5.4.8"),
    ci(&["STREET", "streetAddress"], "2.5.4.9"),
    ci(&["O", "organizationName"], "2.5.4.10"),
    ci(&["OU", "organizationalUnitName"], "2.5.4.11"),
    ci(&["title"], "2.5.4.12"),
    ci(&["businessCategory"], "2.5.4.15"),
    ci(&["postalCode"], "2.5.4.17"),
    ci(&["name"], "2.5.4.41"),
    ci(&["GN", "givenName", "G"], "2.5.4.42"),
    ci(&["initials"], "2.5.4.43"),
    ci(&["generationQualifier"], "2.5.4.44"),
    ci(&["dnQualifier"], "2.5.4.46"),
    ci(&["pseudonym"], "2.5.4.65"),
    ci(&["organizationIdentifier"], "2.5.4.97"),
    ia5(&["DC", "domainComponent"], "0.9.2342.19200300.100.1.25"),
    ci(&["UID", "userId"], "0.9.2342.19200300.100.1.1"),
    ia5(&["emailAddress", "E", "email"], "1.2.840.113549.1.9.1"),
    ci(
        &["jurisdictionL", "jurisdictionLocalityName"],
        "1.3.6.1.4.1.311.60.2.1.1",
    ),
    ci(
        &["jurisdictionST", "jurisdictionStateOrProvinceName"],
        "1.3.6.1.4.1.311.60.2.1.2",
    ),
    ci(
        &["jurisdictionC", "jurisdictionCountryName"],
        "1.3.6.1.4.1.311.60.2.1.3",
    ),
];

pub(crate) fn by_name(name: &str) -> Option<&'static AttributeInfo> {
    REGISTRY
        .iter()
        .find(|info| info.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
}

pub(crate) fn by_oid_bytes(oid: &[u8]) -> Option<&'static AttributeInfo> {
    REGISTRY.iter().find(|info| info.oid.as_bytes() == oid)
}

/// An attribute type: an OID, with the registry's knowledge of it.
///
/// Parsed from a descriptor (case-insensitive: `cn`, `CN`, `commonName`) or a numericoid
/// (`2.5.4.3`); both name the same type.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct AttributeType {
    oid: ObjectIdentifier,
}

impl AttributeType {
    pub(crate) const fn from_oid(oid: ObjectIdentifier) -> Self {
        Self { oid }
    }

    /// The type's OID.
    pub(crate) fn oid(&self) -> ObjectIdentifier {
        self.oid
    }

    pub(crate) fn info(&self) -> Option<&'static AttributeInfo> {
        by_oid_bytes(self.oid.as_bytes())
    }

    /// The short name used when printing, if the type is registered.
    pub(crate) fn short_name(&self) -> Option<&'static str> {
        self.info().and_then(|i| i.names.first().copied())
    }

    /// How values of this type are compared.
    pub(crate) fn equality_rule(&self) -> EqualityRule {
        self.info().map_or(EqualityRule::Exact, |i| i.rule)
    }
}

impl fmt::Display for AttributeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.short_name() {
            Some(name) => f.write_str(name),
            None => write!(f, "{}", self.oid),
        }
    }
}

impl fmt::Debug for AttributeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AttributeType({self})")
    }
}

/// Writes the printable name of the type whose OID content octets are `oid`.
pub(crate) fn write_type_of_oid_bytes(f: &mut impl fmt::Write, oid: &[u8]) -> fmt::Result {
    if let Some(info) = by_oid_bytes(oid) {
        return f.write_str(info.names.first().copied().unwrap_or("?"));
    }
    match ObjectIdentifier::from_bytes(oid) {
        Ok(oid) => write!(f, "{oid}"),
        Err(_) => f.write_str("invalid-oid"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_oids_are_unique() {
        for (i, a) in REGISTRY.iter().enumerate() {
            for b in REGISTRY.iter().skip(i + 1) {
                assert_ne!(a.oid, b.oid);
                for n in a.names {
                    assert!(!b.names.iter().any(|m| m.eq_ignore_ascii_case(n)), "{n}");
                }
            }
        }
    }

    #[test]
    fn issue_list_is_covered() {
        for n in [
            "CN",
            "L",
            "ST",
            "O",
            "OU",
            "C",
            "STREET",
            "DC",
            "UID",
            "emailAddress",
            "E",
            "serialNumber",
            "SN",
            "surname",
            "GN",
            "givenName",
            "title",
            "initials",
            "generationQualifier",
            "dnQualifier",
            "pseudonym",
            "postalCode",
            "name",
            "organizationIdentifier",
            "businessCategory",
            "jurisdictionC",
            "jurisdictionST",
            "jurisdictionL",
        ] {
            assert!(by_name(n).is_some(), "{n}");
            assert!(by_name(&n.to_ascii_lowercase()).is_some(), "{n}");
        }
        assert!(by_name("XX").is_none());
    }
}
