//! Why a registered DN string or a certificate's name cannot be used.

use alloc::string::String;

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
    /// OpenSSL's one-line `/C=US/O=…` form, refused by both grammars: OpenSSL prints it
    /// without escaping `/` in values, so a value holding one cannot be told from a
    /// separator. The message says how to get an RFC 4514 string from the certificate.
    #[error(
        "the DN is in OpenSSL's slash form, not RFC 4514{}; `openssl x509 -noout -subject -nameopt RFC2253` prints a certificate's subject as RFC 4514",
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
    /// Legacy grammar: a quoted value without its closing `"`.
    #[error("the quoted value starting at byte {at} has no closing '\"'")]
    UnterminatedQuote {
        /// Byte offset of the opening `"`.
        at: usize,
    },
    /// Legacy grammar: something other than spaces and a separator after a quoted value's
    /// closing `"` (a value is either quoted as a whole or not at all).
    #[error(
        "unexpected character at byte {at} after a quoted value: a quoted value must be followed by ',', ';', '+' or the end"
    )]
    AfterQuotedValue {
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

/// Why a certificate's name could not be read. The presented certificate is at fault:
/// `invalid_client`.
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
