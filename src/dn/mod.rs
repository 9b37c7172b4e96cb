//! Distinguished names: RFC 4514 strings, RFC 4518 string preparation and RFC 4517
//! distinguishedNameMatch.
//!
//! A registered `tls_client_auth_subject_dn` is a [`DistinguishedName`], parsed once; the
//! certificate's subject is a [`NameRef`], a borrowed view of its DER that is walked, never
//! decoded into owned values. [`DistinguishedName::matches`] compares them by the rules of
//! RFC 4517 section 4.2.15 and RFC 5280 section 7.1:
//!
//! * the same number of RDNs, in the same order (the string lists the last DER RDN first);
//! * within an RDN, the AVAs as a set (`OU=Sales+CN=J. Smith` equals `CN=J. Smith+OU=Sales`);
//! * values by the type's equality rule: caseIgnoreMatch after RFC 4518 preparation for
//!   DirectoryString types in any encoding, caseIgnoreIA5Match for `DC` and `emailAddress`,
//!   exact comparison for unknown types. Anything Undefined is no match.
//! * fail closed on invisible characters: a certificate value holding a character RFC 4518
//!   maps to nothing (NUL and other controls, ZERO WIDTH SPACE, SOFT HYPHEN, ...), a
//!   PrintableString or IA5String outside its repertoire, or a non-ASCII `DC` or
//!   `emailAddress` value is Undefined, and a registered value holding such a character
//!   does not parse.
//!
//! ```
//! use rfc8705::dn::DistinguishedName;
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//! let registered: DistinguishedName = " cn = MTLS ".parse()?;
//! let cert = rfc8705::ClientCertificate::from_der(&der)?;
//! let subject = cert.subject();
//! assert_eq!(subject.to_string(), "CN=mtls");
//! assert!(registered.matches(&subject));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Parsing accepts what RFC 4514 section 3 defines, plus spaces around `,` `+` `=`, type names
//! in any case, long names (`commonName`) and numeric OIDs, and `#hex` BER values; it rejects
//! the empty DN, OpenSSL's slash form (the error shows the RFC 4514 equivalent and the
//! `openssl` command that prints one), unescaped `"` `;` `<` `>`, NUL, bad escapes and
//! invalid UTF-8.
//!
//! # Registrations from servers that predate RFC 4514
//!
//! RFC 4514 is the grammar of RFC 8705 registrations and the only one `FromStr`, serde and
//! client metadata read. A registration stored by an older server, such as Java's
//! `X500Principal.getName(RFC1779)` (`CN=client, O="Example, Inc.", OID.2.5.4.97=…`), goes
//! through one separate entry point, [`DistinguishedName::parse_legacy`]: the RFC 1779 and RFC
//! 2253 grammar (quoted values, `OID.` prefixes, `;` between RDNs), with the same attribute
//! types, value checks, limits and errors, giving the same name as the RFC 4514 string of
//! that DN. Its `Display` is that RFC 4514 string, the form to store; it is never a fallback
//! of the default parser.
//!
//! ```
//! use rfc8705::dn::DistinguishedName;
//! let java = r#"CN=client, O="Example, Inc.", C=US"#;
//! assert!(java.parse::<DistinguishedName>().is_err());
//! let dn = DistinguishedName::parse_legacy(java)?;
//! assert_eq!(dn, r"CN=client,O=Example\, Inc.,C=US".parse()?);
//! # Ok::<(), rfc8705::dn::DnParseError>(())
//! ```

mod attr;
mod error;
mod format;
mod matching;
mod name;
mod name_ref;
mod parse;
pub(crate) mod prep;
mod rfc3454;

pub use error::{DnParseError, NameError};
pub use matching::DnMismatch;
pub use name::DistinguishedName;
pub use name_ref::NameRef;

/// The longest DN string [`DistinguishedName`] parses, in bytes.
pub(crate) const MAX_DN_STRING_LEN: usize = 4096;

#[cfg(test)]
mod tests;
