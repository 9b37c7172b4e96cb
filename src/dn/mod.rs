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
//! * values by the type's [`EqualityRule`]: caseIgnoreMatch after RFC 4518 preparation for
//!   DirectoryString types in any encoding, caseIgnoreIA5Match for `DC` and `emailAddress`,
//!   exact comparison for unknown types. Anything Undefined is no match.
//! * fail closed on invisible characters: a certificate value holding a character RFC 4518
//!   maps to nothing (NUL and other controls, ZERO WIDTH SPACE, SOFT HYPHEN, ...), a
//!   PrintableString or IA5String outside its repertoire, or a non-ASCII `DC` or
//!   `emailAddress` value is Undefined, and a registered value holding such a character
//!   does not parse.
//!
//! ```
//! use rfc8705::dn::{DistinguishedName, NameRef};
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//! let registered: DistinguishedName = " cn = MTLS ".parse()?;
//! let subject = NameRef::subject_of_der(&der)?;
//! assert_eq!(subject.to_string(), "CN=mtls");
//! assert!(registered.matches(&subject));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Parsing accepts what RFC 4514 section 3 defines, plus spaces around `,` `+` `=`, type names
//! in any case, long names (`commonName`) and numeric OIDs, and `#hex` BER values; it rejects
//! the empty DN, OpenSSL's slash form (the error shows the RFC 4514 equivalent), unescaped
//! `"` `;` `<` `>`, NUL, bad escapes and invalid UTF-8.

mod attr;
mod format;
mod matching;
mod parse;
pub(crate) mod prep;
mod rfc3454;

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

pub use attr::{AttributeType, EqualityRule};
pub use matching::DnMismatch;

use crate::cert::{ClientCertificate, Parts};
use crate::der::{self, Elements, NameShape, Tlv};
pub(crate) use crate::der::{MAX_AVAS_PER_RDN, MAX_RDNS};
use crate::error::{OAuthError, OAuthErrorCode};
use prep::StringValue;

/// The longest DN string [`DistinguishedName`] parses, in bytes.
pub(crate) const MAX_DN_STRING_LEN: usize = 4096;

/// Why a string is not a usable RFC 4514 distinguished name. Registration errors:
/// `invalid_client_metadata`.
///
/// ```
/// use rfc8705::dn::{DistinguishedName, DnParseError};
/// let err = "/C=US/O=Example, Inc./CN=client".parse::<DistinguishedName>().unwrap_err();
/// assert_eq!(
///     err,
///     DnParseError::SlashForm { suggestion: Some("CN=client,O=Example\\, Inc.,C=US".into()) }
/// );
/// assert_eq!("".parse::<DistinguishedName>().unwrap_err(), DnParseError::Empty);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DnParseError {
    /// The string is empty or only spaces.
    #[error(
        "the DN is empty; an empty DN would match every certificate with an empty subject, so it cannot be registered"
    )]
    Empty,
    /// The string is longer than the limit (4096 bytes).
    #[error("the DN is {len} bytes long; the limit is {max}")]
    TooLong {
        /// Length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// More than 64 RDNs.
    #[error("the DN has more than {max} RDNs")]
    TooManyRdns {
        /// The limit.
        max: usize,
    },
    /// More than 16 AVAs in one RDN.
    #[error("an RDN of the DN has more than {max} attributes joined with '+'")]
    TooManyAvas {
        /// The limit.
        max: usize,
    },
    /// OpenSSL's legacy `/C=US/O=…` form.
    #[error(
        "the DN is in OpenSSL's slash form, not RFC 4514{}",
        match suggestion { Some(s) => alloc::format!("; write it as {s:?}"), None => String::new() }
    )]
    SlashForm {
        /// The same name as an RFC 4514 string (most specific RDN first), when it could be
        /// converted.
        suggestion: Option<String>,
    },
    /// An attribute type was expected (a name such as `CN` or an OID such as `2.5.4.3`).
    #[error("expected an attribute type (such as CN or 2.5.4.3) at byte {at}")]
    ExpectedType {
        /// Byte offset in the trimmed string.
        at: usize,
    },
    /// A type name that the registry does not know; use its numeric OID instead.
    #[error("unknown attribute type name {name:?}; write its numeric OID instead (e.g. 2.5.4.3=…)")]
    UnknownTypeName {
        /// The name (letters, digits and hyphens only).
        name: String,
    },
    /// A numeric OID that is not valid (`number 1*( DOT number )`, no leading zeros).
    #[error("invalid numeric OID at byte {at}")]
    BadOid {
        /// Byte offset.
        at: usize,
    },
    /// The `=` after an attribute type is missing.
    #[error("expected '=' after the attribute type at byte {at}")]
    ExpectedEquals {
        /// Byte offset.
        at: usize,
    },
    /// A backslash not followed by a special character or two hex digits.
    #[error(
        "invalid escape at byte {at}: a backslash must be followed by one of ' \"#+,;<=>\\' or two hex digits"
    )]
    BadEscape {
        /// Byte offset of the backslash.
        at: usize,
    },
    /// A character that must be escaped appears unescaped.
    #[error(
        "{ch:?} at byte {at} must be escaped as \\{ch} in an RFC 4514 value (RFC 4514 separates RDNs with ',' and does not quote)"
    )]
    UnescapedSpecial {
        /// The character.
        ch: char,
        /// Byte offset.
        at: usize,
    },
    /// A `#` value that is not an even number of hex digits.
    #[error("invalid #hex value at byte {at}: expected an even number of hex digits")]
    BadHex {
        /// Byte offset of the `#`.
        at: usize,
    },
    /// Internal: a `#` not followed by hex only (then read as text). Never returned.
    #[doc(hidden)]
    #[error("not a #hex value at byte {at}")]
    NotHex {
        /// Byte offset of the `#`.
        at: usize,
    },
    /// A `#hex` value that is not exactly one BER element.
    #[error("the #hex value at byte {at} is not one BER-encoded element")]
    HexNotBer {
        /// Byte offset of the `#`.
        at: usize,
    },
    /// `\HH` escapes that do not form UTF-8.
    #[error("the value starting at byte {at} is not valid UTF-8 after unescaping")]
    InvalidUtf8 {
        /// Byte offset of the value.
        at: usize,
    },
    /// A NUL character in a value.
    #[error("a value contains a NUL character")]
    Nul,
    /// A `,` or `+` with nothing after it.
    #[error("the separator at byte {at} is not followed by an attribute")]
    TrailingSeparator {
        /// Byte offset.
        at: usize,
    },
    /// A value that RFC 4518 preparation rejects (unassigned, private-use or other
    /// prohibited characters), or a `#hex` string value that is invalid for its string type
    /// (a PrintableString holding `*`), so it could never match.
    #[error(
        "the {attr} value cannot be prepared for comparison (RFC 4518 prohibits one of its characters, or it is not a valid string of its type)"
    )]
    Unpreparable {
        /// The attribute type, as printed.
        attr: String,
    },
    /// A value holding a character RFC 4518 maps to nothing: a control character other than
    /// TAB, LF, VT, FF, CR and NEL, a format character such as ZERO WIDTH SPACE or a bidi
    /// control, SOFT HYPHEN, a variation selector. A certificate value holding one never
    /// matches (a name that differs only in invisible characters is another name), so it
    /// cannot be registered. NUL is [`DnParseError::Nul`].
    #[error(
        "the {attr} value contains U+{code_point:04X}, an invisible or control character; a certificate value holding one never matches, so it cannot be registered"
    )]
    InvisibleCharacter {
        /// The attribute type, as printed.
        attr: String,
        /// The character's code point.
        code_point: u32,
    },
    /// A `DC` or `emailAddress` value that is not ASCII (IA5String).
    #[error("the {attr} value must be ASCII (IA5String)")]
    NotIa5 {
        /// The attribute type, as printed.
        attr: String,
    },
}

impl OAuthError for DnParseError {
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidClientMetadata
    }
}

/// Why a certificate's name could not be read. The presented certificate is at fault:
/// `invalid_client`.
///
/// ```
/// use rfc8705::dn::{NameError, NameRef};
/// assert_eq!(NameRef::subject_of_der(&[0x30, 0x00]).unwrap_err(), NameError::NotACertificate);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// The bytes are not a DER certificate whose issuer and subject can be located.
    #[error("not a DER certificate: its issuer and subject names cannot be located")]
    NotACertificate,
    /// The name is not a DER `SEQUENCE OF SET OF SEQUENCE { OID, value }`.
    #[error("the certificate's name is not a well-formed RDNSequence")]
    Malformed,
    /// More than 64 RDNs.
    #[error("the certificate's name has more than {max} RDNs")]
    TooManyRdns {
        /// The limit.
        max: usize,
    },
    /// More than 16 AVAs in one RDN.
    #[error("an RDN of the certificate's name has more than {max} attributes")]
    TooManyAvas {
        /// The limit.
        max: usize,
    },
}

impl OAuthError for NameError {
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidClient
    }
}

/// A registered attribute value, as written.
///
/// ```
/// use rfc8705::dn::{AvaValue, DistinguishedName};
/// let dn: DistinguishedName = "1.3.6.1.4.1.1466.0=#04024869".parse()?;
/// assert_eq!(dn.rdns()[0].avas()[0].value(), &AvaValue::Ber(vec![0x04, 0x02, 0x48, 0x69]));
/// # Ok::<(), rfc8705::dn::DnParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AvaValue {
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
///
/// ```
/// use rfc8705::dn::{AvaValue, DistinguishedName};
/// let dn: DistinguishedName = "CN=J. Smith".parse()?;
/// let ava = &dn.rdns()[0].avas()[0];
/// assert_eq!(ava.attribute_type().to_string(), "CN");
/// assert_eq!(ava.value(), &AvaValue::Text("J. Smith".into()));
/// # Ok::<(), rfc8705::dn::DnParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ava {
    attr: AttributeType,
    value: AvaValue,
    prepared: Prepared,
}

impl Ava {
    fn new(attr: AttributeType, value: AvaValue) -> Result<Self, DnParseError> {
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

    /// The attribute type.
    ///
    /// ```
    /// # use rfc8705::dn::DistinguishedName;
    /// let dn: DistinguishedName = "2.5.4.11=Sales".parse()?;
    /// assert_eq!(dn.rdns()[0].avas()[0].attribute_type().to_string(), "OU");
    /// # Ok::<(), rfc8705::dn::DnParseError>(())
    /// ```
    pub fn attribute_type(&self) -> AttributeType {
        self.attr
    }

    /// The value as written (unescaped).
    ///
    /// ```
    /// # use rfc8705::dn::{AvaValue, DistinguishedName};
    /// let dn: DistinguishedName = r"O=Example\, Inc.".parse()?;
    /// assert_eq!(dn.rdns()[0].avas()[0].value(), &AvaValue::Text("Example, Inc.".into()));
    /// # Ok::<(), rfc8705::dn::DnParseError>(())
    /// ```
    pub fn value(&self) -> &AvaValue {
        &self.value
    }

    /// distinguishedNameMatch of this AVA against a certificate AVA. `Err` is Undefined.
    fn matches(&self, cert: CertAva<'_>) -> Result<bool, prep::Undefined> {
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

/// Refuses a registered value holding a character RFC 4518 section 2.2 maps to nothing: a
/// certificate value holding one is Undefined, so the registration could never match (or,
/// were it mapped to nothing, would match a name that differs from it only invisibly).
fn refuse_invisible(
    attr: AttributeType,
    mut chars: impl Iterator<Item = char>,
) -> Result<(), DnParseError> {
    match chars.find(|c| prep::is_mapped_to_nothing(*c)) {
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
///
/// ```
/// use rfc8705::dn::DistinguishedName;
/// let dn: DistinguishedName = "OU=Sales+CN=J.  Smith,DC=example,DC=net".parse()?;
/// assert_eq!(dn.rdns()[2].avas().len(), 2);
/// assert_eq!(dn.rdns()[2].to_string(), "OU=Sales+CN=J.  Smith");
/// # Ok::<(), rfc8705::dn::DnParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rdn {
    avas: Vec<Ava>,
}

impl Rdn {
    /// The AVAs, in the order written.
    pub fn avas(&self) -> &[Ava] {
        &self.avas
    }

    /// RFC 4517 section 4.2.15 / RFC 5280 section 7.1: "Two relative distinguished names
    /// RDN1 and RDN2 match if they have the same number of naming attributes and for each
    /// naming attribute in RDN1 there is a matching naming attribute in RDN2." The same type
    /// may appear twice in one RDN (`OU=Sales+OU=EMEA`), so each certificate AVA is used
    /// once.
    fn matches(&self, cert: &RdnRef<'_>) -> Result<bool, prep::Undefined> {
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
/// Parsing is `FromStr`; `Display` writes RFC 4514 (most specific RDN first), and serde
/// uses the string form.
///
/// ```
/// use rfc8705::dn::DistinguishedName;
/// let dn: DistinguishedName = "cn = client-123 , o=Example\\, Inc. ,C=US".parse()?;
/// assert_eq!(dn.to_string(), "CN=client-123,O=Example\\, Inc.,C=US");
/// assert_eq!(dn.len(), 3);
/// // DER order: the first RDN is the country.
/// assert_eq!(dn.rdns()[0].to_string(), "C=US");
/// # Ok::<(), rfc8705::dn::DnParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistinguishedName {
    /// DER order: the first element is the least specific RDN.
    rdns: Vec<Rdn>,
}

impl DistinguishedName {
    /// Parses an RFC 4514 string; same as `str::parse`.
    ///
    /// ```
    /// # use rfc8705::dn::DistinguishedName;
    /// let dn = DistinguishedName::parse("UID=jsmith,DC=example,DC=net")?;
    /// assert_eq!(dn.len(), 3);
    /// # Ok::<(), rfc8705::dn::DnParseError>(())
    /// ```
    pub fn parse(s: &str) -> Result<Self, DnParseError> {
        parse::parse(s)
    }

    /// The RDNs in DER order (the reverse of the string's order).
    ///
    /// ```
    /// # use rfc8705::dn::DistinguishedName;
    /// let dn: DistinguishedName = "CN=a,O=b".parse()?;
    /// assert_eq!(dn.rdns()[0].to_string(), "O=b");
    /// # Ok::<(), rfc8705::dn::DnParseError>(())
    /// ```
    pub fn rdns(&self) -> &[Rdn] {
        &self.rdns
    }

    /// The number of RDNs (never zero).
    ///
    /// ```
    /// # use rfc8705::dn::DistinguishedName;
    /// assert_eq!("CN=a+OU=b,O=c".parse::<DistinguishedName>()?.len(), 2);
    /// # Ok::<(), rfc8705::dn::DnParseError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.rdns.len()
    }

    /// Always false: an empty DN does not parse. Present for API symmetry with `len`.
    ///
    /// ```
    /// # use rfc8705::dn::DistinguishedName;
    /// assert!(!"CN=a".parse::<DistinguishedName>()?.is_empty());
    /// # Ok::<(), rfc8705::dn::DnParseError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.rdns.is_empty()
    }

    /// RFC 4517 section 4.2.15 distinguishedNameMatch of this registered name against a
    /// certificate's name. Undefined comparisons are no match.
    ///
    /// RFC 5280 section 7.1: "Two distinguished names DN1 and DN2 match if they have the same
    /// number of RDNs, for each RDN in DN1 there is a matching RDN in DN2, and the matching
    /// RDNs appear in the same order in both DNs."
    ///
    /// ```
    /// use rfc8705::dn::{DistinguishedName, NameRef};
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let subject = NameRef::subject_of_der(&der)?;
    /// assert!(DistinguishedName::parse("2.5.4.3=mtls")?.matches(&subject));
    /// assert!(!DistinguishedName::parse("CN=mtls2")?.matches(&subject));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn matches(&self, name: &NameRef<'_>) -> bool {
        self.match_result(name) == Ok(true)
    }

    fn match_result(&self, name: &NameRef<'_>) -> Result<bool, prep::Undefined> {
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

    /// Explains why this registered name does not match a certificate's subject, for logs:
    /// the issuer was registered, the RDNs are reversed, a multi-valued RDN was split, an
    /// RDN is missing or extra, or which attribute differs. `None` if it matches.
    ///
    /// ```
    /// use rfc8705::dn::{DistinguishedName, DnMismatch, NameRef};
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let subject = NameRef::subject_of_der(&der)?;
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
        matching::explain(self, subject, issuer)
    }
}

impl FromStr for DistinguishedName {
    type Err = DnParseError;
    fn from_str(s: &str) -> Result<Self, DnParseError> {
        parse::parse(s)
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

/// One AVA of a certificate name: the OID's content octets and the value element.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CertAva<'a> {
    pub(crate) oid: &'a [u8],
    pub(crate) value: Tlv<'a>,
}

/// One RDN of a certificate name (validated by [`NameRef::from_der`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RdnRef<'a> {
    content: &'a [u8],
}

impl<'a> RdnRef<'a> {
    pub(crate) fn avas(&self) -> impl Iterator<Item = CertAva<'a>> + 'a {
        Elements::new(self.content).filter_map(|seq| {
            let (oid, rest) = Tlv::read(seq.content).ok()?;
            let value = Tlv::read_only(rest).ok()?;
            Some(CertAva {
                oid: oid.content,
                value,
            })
        })
    }

    pub(crate) fn len(&self) -> usize {
        Elements::new(self.content).count()
    }
}

/// A certificate's `Name` (subject or issuer), borrowed from the certificate's DER and
/// validated, but not decoded: values of every string type, UniversalString included, are
/// read where they lie.
///
/// `Display` writes the RFC 4514 string: short names for registered types, a dotted OID
/// with a `#hex` value otherwise, minimal escaping, and every DirectoryString encoding
/// (PrintableString, UTF8String, BMPString, UniversalString, TeletexString read as Latin-1)
/// shown as text.
///
/// ```
/// use rfc8705::dn::NameRef;
/// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
/// let subject = NameRef::subject_of_der(&der)?;
/// assert_eq!(subject.len(), 1);
/// assert_eq!(subject.to_string(), "CN=mtls");
/// # Ok::<(), rfc8705::dn::NameError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct NameRef<'a> {
    /// Content of the Name SEQUENCE.
    content: &'a [u8],
    len: usize,
}

impl<'a> NameRef<'a> {
    /// Reads a DER `Name` (`SEQUENCE OF SET OF SEQUENCE { OID, ANY }`).
    ///
    /// ```
    /// use rfc8705::dn::{NameError, NameRef};
    /// // SEQUENCE { SET { SEQUENCE { 2.5.4.3, UTF8String "a" } } }
    /// let der = [0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, b'a'];
    /// assert_eq!(NameRef::from_der(&der)?.to_string(), "CN=a");
    /// assert_eq!(NameRef::from_der(&der[..5]).unwrap_err(), NameError::Malformed);
    /// # Ok::<(), NameError>(())
    /// ```
    pub fn from_der(der: &'a [u8]) -> Result<Self, NameError> {
        let tlv = Tlv::read_only(der).map_err(|_| NameError::Malformed)?;
        let len = der::check_name(tlv).map_err(|shape| match shape {
            NameShape::Malformed => NameError::Malformed,
            NameShape::TooManyRdns => NameError::TooManyRdns { max: MAX_RDNS },
            NameShape::TooManyAvas => NameError::TooManyAvas {
                max: MAX_AVAS_PER_RDN,
            },
        })?;
        Ok(Self::checked(tlv.content, len))
    }

    /// A name whose content `der::check_name` accepted with `len` RDNs.
    fn checked(content: &'a [u8], len: usize) -> Self {
        Self { content, len }
    }

    /// The subject of a DER certificate. The certificate is read as
    /// [`ClientCertificate::from_der`] reads it, without keeping anything.
    ///
    /// ```
    /// use rfc8705::dn::NameRef;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// assert_eq!(NameRef::subject_of_der(&der)?.to_string(), "CN=mtls");
    /// # Ok::<(), rfc8705::dn::NameError>(())
    /// ```
    pub fn subject_of_der(cert_der: &'a [u8]) -> Result<Self, NameError> {
        let parts = Parts::read(cert_der).map_err(|_| NameError::NotACertificate)?;
        Ok(Self::checked(parts.subject, parts.subject_rdns))
    }

    /// The issuer of a DER certificate.
    ///
    /// ```
    /// use rfc8705::dn::NameRef;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// assert_eq!(NameRef::issuer_of_der(&der)?.to_string(), "CN=mtls");
    /// # Ok::<(), rfc8705::dn::NameError>(())
    /// ```
    pub fn issuer_of_der(cert_der: &'a [u8]) -> Result<Self, NameError> {
        let parts = Parts::read(cert_der).map_err(|_| NameError::NotACertificate)?;
        Ok(Self::checked(parts.issuer, parts.issuer_rdns))
    }

    /// The number of RDNs.
    ///
    /// ```
    /// # use rfc8705::dn::NameRef;
    /// assert_eq!(NameRef::from_der(&[0x30, 0x00])?.len(), 0);
    /// # Ok::<(), rfc8705::dn::NameError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the name has no RDN (a SAN-only certificate, RFC 5280 section 4.1.2.6).
    ///
    /// ```
    /// # use rfc8705::dn::NameRef;
    /// assert!(NameRef::from_der(&[0x30, 0x00])?.is_empty());
    /// # Ok::<(), rfc8705::dn::NameError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(crate) fn rdns(&self) -> impl Iterator<Item = RdnRef<'a>> + 'a {
        Elements::new(self.content).map(|set| RdnRef {
            content: set.content,
        })
    }

    /// The RDN at DER position `i`.
    pub(crate) fn rdn(&self, i: usize) -> Option<RdnRef<'a>> {
        self.rdns().nth(i)
    }
}

impl ClientCertificate<'_> {
    /// The certificate's subject.
    ///
    /// ```
    /// # use rfc8705::ClientCertificate;
    /// # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
    /// let cert = ClientCertificate::from_der(&der)?;
    /// assert_eq!(cert.subject().to_string(), "CN=mtls");
    /// # Ok::<(), rfc8705::CertificateError>(())
    /// ```
    pub fn subject(&self) -> NameRef<'_> {
        let parts = self.parts();
        NameRef::checked(parts.subject, parts.subject_rdns)
    }

    /// The certificate's issuer.
    pub fn issuer(&self) -> NameRef<'_> {
        let parts = self.parts();
        NameRef::checked(parts.issuer, parts.issuer_rdns)
    }
}

impl fmt::Display for NameRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // RFC 4514 section 2.1: "starting with the last element of the sequence and moving
        // backwards toward the first".
        for (i, pos) in (0..self.len).rev().enumerate() {
            let Some(rdn) = self.rdn(pos) else { break };
            if i > 0 {
                f.write_str(",")?;
            }
            for (j, ava) in rdn.avas().enumerate() {
                if j > 0 {
                    f.write_str("+")?;
                }
                format::write_cert_ava(f, ava.oid, ava.value)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
