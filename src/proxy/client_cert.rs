//! RFC 9440 `Client-Cert` and `Client-Cert-Chain`: the DER certificate as an RFC 8941 Byte
//! Sequence.
//!
//! RFC 9440 section 2.1: "the binary DER certificate is encoded using base64 (without line
//! breaks, spaces, or other characters outside the base64 alphabet) and delimited with colons
//! on either side." RFC 8941 section 3.3.5: `sf-binary = ":" *(base64) ":"`.
//!
//! The functions here decode values; they hand out DER bytes, not a certificate. Take a
//! certificate from a request through [`TrustedProxy::client_cert`](super::TrustedProxy::client_cert).
//!
//! ```
//! use rfc8705::proxy::client_cert;
//! # let der = rfc8705::__doc_support::rfc8705_appendix_a_der();
//! let value = client_cert::encode(&der);
//! assert!(value.starts_with(":MIIBBjCBrAIBAjAK") && value.ends_with("=:"));
//! assert_eq!(client_cert::decode(value.as_bytes())?, der);
//! # Ok::<(), rfc8705::proxy::ClientCertFieldError>(())
//! ```

use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};

use super::base64::{self, Base64Error};
use super::{MAX_CHAIN_LEN, MAX_FIELD_VALUE_LEN, escape_for_display};
use crate::error::{OAuthError, OAuthErrorCode};

/// The `Client-Cert` field name, lowercase as HTTP/2 and HTTP/3 carry it.
pub const CLIENT_CERT: &str = "client-cert";
/// The `Client-Cert-Chain` field name, lowercase.
pub const CLIENT_CERT_CHAIN: &str = "client-cert-chain";

/// Why a `Client-Cert` or `Client-Cert-Chain` value is not what RFC 9440 specifies.
///
/// Positions are byte offsets into the field value.
///
/// ```
/// use rfc8705::proxy::{client_cert, ClientCertFieldError};
/// assert_eq!(
///     client_cert::decode(b"MIIB"),
///     Err(ClientCertFieldError::NotAByteSequence { found: "M".into() })
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientCertFieldError {
    /// The value is empty (or only spaces).
    #[error("the Client-Cert value is empty")]
    Empty,
    /// The value is longer than [`MAX_FIELD_VALUE_LEN`].
    #[error("the field value is {len} bytes; the limit is {MAX_FIELD_VALUE_LEN}")]
    TooLarge {
        /// The value's length in bytes.
        len: usize,
    },
    /// The value does not start with `:`: it is not an sf-binary. Bare base64 DER (HAProxy,
    /// Traefik v3) and PEM are other formats.
    #[error(
        "the value is not a Byte Sequence: it starts with '{found}', not ':' (RFC 9440 wraps base64 DER in colons: \":MII…:\")"
    )]
    NotAByteSequence {
        /// The first character, escaped if not printable.
        found: String,
    },
    /// No closing `:`.
    #[error("the Byte Sequence has no closing ':'")]
    Unterminated,
    /// A line feed or carriage return inside the base64 (RFC 8941 section 4.2.7: "parsers
    /// MUST fail on characters outside the base64 alphabet and on line feeds").
    #[error("a line break at byte {position} inside the base64: the proxy must send one line")]
    LineBreak {
        /// Byte offset in the value.
        position: usize,
    },
    /// A character outside `A-Z a-z 0-9 + / =` inside the base64.
    #[error("the character '{found}' at byte {position} is not in the base64 alphabet")]
    InvalidCharacter {
        /// Byte offset in the value.
        position: usize,
        /// The character, escaped if not printable.
        found: String,
    },
    /// `=` anywhere but as the trailing padding of a whole quantum.
    #[error("misplaced '=' padding in the base64")]
    Padding,
    /// The base64 length leaves one character over, which encodes no whole byte.
    #[error("the base64 has an impossible length (4n+1 characters): it is truncated")]
    Length,
    /// Several values where one is required: a `,` follows the item. RFC 9440 section 2.2:
    /// Client-Cert "MUST NOT have a list of values or occur multiple times in a request."
    #[error(
        "Client-Cert holds more than one value: it is a singleton field (a client-sent copy not stripped by the proxy?)"
    )]
    MultipleValues,
    /// Characters after the Byte Sequence that are neither parameters nor list syntax.
    #[error("unexpected character '{found}' at byte {position} after the Byte Sequence")]
    TrailingCharacters {
        /// Byte offset in the value.
        position: usize,
        /// The character, escaped if not printable.
        found: String,
    },
    /// A malformed `;key=value` parameter after the Byte Sequence (RFC 8941 section 3.1.2).
    #[error("malformed parameter at byte {position} after the Byte Sequence")]
    InvalidParameter {
        /// Byte offset in the value.
        position: usize,
    },
    /// A `Client-Cert-Chain` member that is not a Byte Sequence (RFC 9440 section 2.3: "Each
    /// item in the List MUST be a Byte Sequence").
    #[error("Client-Cert-Chain member {index} is not a Byte Sequence")]
    ChainMemberNotByteSequence {
        /// Position of the member in the chain.
        index: usize,
    },
    /// A `Client-Cert-Chain` member that is malformed.
    #[error("Client-Cert-Chain member {index}: {reason}")]
    ChainMember {
        /// Position of the member in the chain.
        index: usize,
        /// What is wrong with it (positions relative to its field line).
        reason: alloc::boxed::Box<ClientCertFieldError>,
    },
    /// A `Client-Cert-Chain` list that ends with a `,` (RFC 8941 section 4.2.1: fail).
    #[error("Client-Cert-Chain ends with ','")]
    TrailingComma,
    /// More chain certificates than [`MAX_CHAIN_LEN`].
    #[error("Client-Cert-Chain holds more than {MAX_CHAIN_LEN} certificates")]
    ChainTooLong,
}

impl OAuthError for ClientCertFieldError {
    /// `invalid_token`: no usable certificate (an authorization server answers
    /// `invalid_client`; see [the module docs](super#errors-and-oauth)).
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidToken
    }
}

/// Encodes DER as a `Client-Cert` value: `:` base64 with padding `:` (RFC 8941 section
/// 4.1.8: "The encoded data is required to be padded with "="").
///
/// ```
/// # use rfc8705::proxy::client_cert;
/// assert_eq!(client_cert::encode(b"pretend this is binary content."),
///            ":cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:");
/// ```
pub fn encode(der: &[u8]) -> String {
    let mut out = String::with_capacity(Base64::encoded_len(der) + 2);
    out.push(':');
    out.push_str(&Base64::encode_string(der));
    out.push(':');
    out
}

/// Decodes a `Client-Cert` value to the DER bytes it carries.
///
/// Accepts: spaces and tabs around the value (an HTTP library may leave them), `=` padding
/// or none, non-zero pad bits, RFC 8941 parameters after the item (RFC 9440 defines none;
/// they are ignored). Rejects: anything but one Byte Sequence, characters outside the base64
/// alphabet, line breaks, a list of values, values over [`MAX_FIELD_VALUE_LEN`].
///
/// ```
/// use rfc8705::proxy::{client_cert, ClientCertFieldError};
/// assert_eq!(client_cert::decode(b":cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg:")?,
///            b"pretend this is binary content.");
/// assert_eq!(client_cert::decode(b":AAAA:, :AAAA:"), Err(ClientCertFieldError::MultipleValues));
/// # Ok::<(), ClientCertFieldError>(())
/// ```
pub fn decode(value: &[u8]) -> Result<Vec<u8>, ClientCertFieldError> {
    check_len(value)?;
    let mut cur = Cursor::new(value);
    cur.skip_ows();
    if cur.at_end() {
        return Err(ClientCertFieldError::Empty);
    }
    let der = cur.byte_sequence()?;
    cur.parameters()?;
    cur.skip_ows();
    match cur.peek() {
        None => Ok(der),
        Some(b',') => Err(ClientCertFieldError::MultipleValues),
        Some(b) => Err(ClientCertFieldError::TrailingCharacters {
            position: cur.pos,
            found: escape_for_display(&[b], 1),
        }),
    }
}

/// Decodes the `Client-Cert-Chain` field lines of one request, in order, to the DER of each
/// certificate (the leaf's issuer first; RFC 9440 section 2.3: the list "does not itself
/// include the end-entity certificate"). Several lines are one list (RFC 8941 section 4.2:
/// field lines are combined with commas). No lines, or empty lines, give an empty chain.
///
/// ```
/// use rfc8705::proxy::client_cert;
/// let chain = client_cert::decode_chain([":AQID:, :BAU=:", ":Bg:"])?;
/// assert_eq!(chain, vec![vec![1, 2, 3], vec![4, 5], vec![6]]);
/// assert!(client_cert::decode_chain([":AQID:,"]).is_err());
/// # Ok::<(), rfc8705::proxy::ClientCertFieldError>(())
/// ```
pub fn decode_chain<I, V>(lines: I) -> Result<Vec<Vec<u8>>, ClientCertFieldError>
where
    I: IntoIterator<Item = V>,
    V: AsRef<[u8]>,
{
    let mut chain = Vec::new();
    let mut total = 0usize;
    for line in lines {
        let line = line.as_ref();
        total = total.saturating_add(line.len());
        check_len_total(total)?;
        let mut cur = Cursor::new(line);
        cur.skip_ows();
        while !cur.at_end() {
            let index = chain.len();
            if index >= MAX_CHAIN_LEN {
                return Err(ClientCertFieldError::ChainTooLong);
            }
            if cur.peek() != Some(b':') {
                // An inner list `(…)`, a token, a string: not a certificate.
                return Err(ClientCertFieldError::ChainMemberNotByteSequence { index });
            }
            let member = cur
                .byte_sequence()
                .and_then(|der| cur.parameters().map(|()| der))
                .map_err(|reason| ClientCertFieldError::ChainMember {
                    index,
                    reason: alloc::boxed::Box::new(reason),
                })?;
            chain.push(member);
            cur.skip_ows();
            match cur.peek() {
                None => break,
                Some(b',') => {
                    cur.pos += 1;
                    cur.skip_ows();
                    // RFC 8941 section 4.2.1: "If input_string is empty, there is a trailing
                    // comma; fail parsing."
                    if cur.at_end() {
                        return Err(ClientCertFieldError::TrailingComma);
                    }
                }
                Some(b) => {
                    return Err(ClientCertFieldError::TrailingCharacters {
                        position: cur.pos,
                        found: escape_for_display(&[b], 1),
                    });
                }
            }
        }
    }
    Ok(chain)
}

fn check_len(value: &[u8]) -> Result<(), ClientCertFieldError> {
    check_len_total(value.len())
}

fn check_len_total(len: usize) -> Result<(), ClientCertFieldError> {
    if len > MAX_FIELD_VALUE_LEN {
        return Err(ClientCertFieldError::TooLarge { len });
    }
    Ok(())
}

/// An RFC 8941 parser position over one field line.
struct Cursor<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(input: &'a [u8]) -> Self {
        // Trailing OWS is the HTTP layer's to strip; accept it here too.
        let end = input
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t'))
            .map_or(0, |i| i + 1);
        Self {
            input: input.get(..end).unwrap_or_default(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.input.len()
    }

    fn rest(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or_default()
    }

    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// RFC 8941 section 4.2.7, Parsing a Byte Sequence, then base64 decoding.
    fn byte_sequence(&mut self) -> Result<Vec<u8>, ClientCertFieldError> {
        // "If the first character of input_string is not ":", fail parsing."
        match self.peek() {
            Some(b':') => self.pos += 1,
            Some(b) => {
                return Err(ClientCertFieldError::NotAByteSequence {
                    found: escape_for_display(&[b], 1),
                });
            }
            None => return Err(ClientCertFieldError::Empty),
        }
        let start = self.pos;
        // Fast path for the usual value, `:…:` with nothing after it: ':' is outside the
        // base64 alphabet, so if everything before the final ':' decodes, that ':' is the
        // first one and the result is the algorithm's. Any failure takes the exact path.
        if let Some(body) = self.rest().strip_suffix(b":")
            && let Ok(der) = base64::decode(body)
        {
            self.pos = self.input.len();
            return Ok(der);
        }
        // "If there is not a ":" character before the end of input_string, fail parsing."
        let len = self
            .rest()
            .iter()
            .position(|&b| b == b':')
            .ok_or(ClientCertFieldError::Unterminated)?;
        let b64 = self.rest().get(..len).unwrap_or_default();
        self.pos += len + 1;
        base64::decode(b64).map_err(|e| match e {
            Base64Error::InvalidCharacter {
                position,
                byte: b'\n' | b'\r',
            } => ClientCertFieldError::LineBreak {
                position: start + position,
            },
            Base64Error::InvalidCharacter { position, byte } => {
                ClientCertFieldError::InvalidCharacter {
                    position: start + position,
                    found: escape_for_display(&[byte], 1),
                }
            }
            Base64Error::Padding => ClientCertFieldError::Padding,
            Base64Error::Length => ClientCertFieldError::Length,
        })
    }

    /// RFC 8941 section 4.2.3.2, Parsing Parameters: validated, then ignored (RFC 9440
    /// defines none).
    fn parameters(&mut self) -> Result<(), ClientCertFieldError> {
        while self.peek() == Some(b';') {
            self.pos += 1;
            self.skip_sp();
            let at = self.pos;
            let bad = ClientCertFieldError::InvalidParameter { position: at };
            // "If the first character of input_string is not lcalpha or "*", fail parsing."
            match self.peek() {
                Some(b'a'..=b'z' | b'*') => self.pos += 1,
                _ => return Err(bad),
            }
            while matches!(
                self.peek(),
                Some(b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.' | b'*')
            ) {
                self.pos += 1;
            }
            if self.peek() == Some(b'=') {
                self.pos += 1;
                self.bare_item().ok_or(bad)?;
            }
        }
        Ok(())
    }

    fn skip_sp(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    /// RFC 8941 section 4.2.3.1, Parsing a Bare Item (validated, value discarded).
    fn bare_item(&mut self) -> Option<()> {
        match self.peek()? {
            // Integer or Decimal (section 4.2.4).
            b'-' | b'0'..=b'9' => {
                if self.peek() == Some(b'-') {
                    self.pos += 1;
                }
                let digits = self
                    .rest()
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                if digits == 0 || digits > 15 {
                    return None;
                }
                self.pos += digits;
                if self.peek() == Some(b'.') {
                    self.pos += 1;
                    let frac = self
                        .rest()
                        .iter()
                        .take_while(|b| b.is_ascii_digit())
                        .count();
                    if !(1..=3).contains(&frac) || digits > 12 {
                        return None;
                    }
                    self.pos += frac;
                }
                Some(())
            }
            // String (section 4.2.5).
            b'"' => {
                self.pos += 1;
                loop {
                    let b = self.peek()?;
                    self.pos += 1;
                    match b {
                        b'\\' => {
                            let next = self.peek()?;
                            if next != b'"' && next != b'\\' {
                                return None;
                            }
                            self.pos += 1;
                        }
                        b'"' => return Some(()),
                        0x20..=0x7e => {}
                        _ => return None,
                    }
                }
            }
            // Byte Sequence (section 4.2.7).
            b':' => self.byte_sequence().ok().map(|_| ()),
            // Boolean (section 4.2.8).
            b'?' => {
                self.pos += 1;
                match self.peek()? {
                    b'0' | b'1' => {
                        self.pos += 1;
                        Some(())
                    }
                    _ => None,
                }
            }
            // Token (section 4.2.6).
            b'A'..=b'Z' | b'a'..=b'z' | b'*' => {
                self.pos += 1;
                while matches!(self.peek(), Some(b) if is_tchar(b) || b == b':' || b == b'/') {
                    self.pos += 1;
                }
                Some(())
            }
            _ => None,
        }
    }
}

/// RFC 9110 section 5.6.2 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::{format, vec};

    #[test]
    fn padding_is_optional() {
        assert_eq!(decode(b":AQID:").unwrap(), vec![1, 2, 3]);
        assert_eq!(decode(b":AQI=:").unwrap(), vec![1, 2]);
        assert_eq!(decode(b":AQI:").unwrap(), vec![1, 2]);
        assert_eq!(decode(b" \t:AQI: ").unwrap(), vec![1, 2]);
    }

    #[test]
    fn parameters_are_validated_and_ignored() {
        assert_eq!(
            decode(b":AQI:;a=1;b;c=\"x,y\";d=?1;e=tok/en;f=:AA==:;g=-1.5").unwrap(),
            vec![1, 2]
        );
        for bad in [
            &b":AQI:;"[..],
            b":AQI:;A=1",
            b":AQI:;a=",
            b":AQI:;a=\"open",
            b":AQI:;a=?2",
            b":AQI:;a=1.2345",
        ] {
            assert!(
                matches!(
                    decode(bad),
                    Err(ClientCertFieldError::InvalidParameter { .. })
                ),
                "{:?}",
                core::str::from_utf8(bad)
            );
        }
    }

    #[test]
    fn rejections_are_named() {
        use ClientCertFieldError::*;
        assert_eq!(decode(b""), Err(Empty));
        assert_eq!(decode(b"  "), Err(Empty));
        assert_eq!(decode(b":AQID"), Err(Unterminated));
        assert_eq!(decode(b":AQ\nID:"), Err(LineBreak { position: 3 }));
        assert_eq!(decode(b":AQ\rID:"), Err(LineBreak { position: 3 }));
        assert_eq!(
            decode(b":AQ ID:"),
            Err(InvalidCharacter {
                position: 3,
                found: " ".into()
            })
        );
        assert_eq!(
            decode(b":AQ-_:"),
            Err(InvalidCharacter {
                position: 3,
                found: "-".into()
            })
        );
        assert_eq!(
            decode(b":AQ\x01D:"),
            Err(InvalidCharacter {
                position: 3,
                found: "\\x01".into()
            })
        );
        assert_eq!(decode(b":AQIDB:"), Err(Length));
        assert_eq!(decode(b":A=QI:"), Err(Padding));
        assert_eq!(
            decode(b":AQI:x"),
            Err(TrailingCharacters {
                position: 5,
                found: "x".into()
            })
        );
        assert_eq!(decode(b":AQI:,:AQI:"), Err(MultipleValues));
        assert_eq!(
            decode(b"-----BEGIN"),
            Err(NotAByteSequence { found: "-".into() })
        );
        let big = format!(":{}:", "A".repeat(MAX_FIELD_VALUE_LEN));
        assert_eq!(
            decode(big.as_bytes()),
            Err(TooLarge {
                len: MAX_FIELD_VALUE_LEN + 2
            })
        );
    }

    #[test]
    fn chain_lists() {
        use ClientCertFieldError::*;
        assert_eq!(
            decode_chain::<[&str; 0], _>([]).unwrap(),
            Vec::<Vec<u8>>::new()
        );
        assert_eq!(decode_chain([""]).unwrap(), Vec::<Vec<u8>>::new());
        assert_eq!(
            decode_chain([":AQ==:;p=1 ,\t:Ag:"]).unwrap(),
            vec![vec![1], vec![2]]
        );
        assert_eq!(decode_chain([":AQ:, "]), Err(TrailingComma));
        assert_eq!(
            decode_chain([":AQ:, (:Ag:)"]),
            Err(ChainMemberNotByteSequence { index: 1 })
        );
        assert_eq!(
            decode_chain(["tok"]),
            Err(ChainMemberNotByteSequence { index: 0 })
        );
        assert_eq!(
            decode_chain([":AQ:", ":A\n:"]),
            Err(ChainMember {
                index: 1,
                reason: alloc::boxed::Box::new(LineBreak { position: 2 })
            })
        );
        assert_eq!(
            decode_chain([":AQ: :Ag:"]),
            Err(TrailingCharacters {
                position: 5,
                found: ":".into()
            })
        );
        let long = vec![":AQ:"; MAX_CHAIN_LEN + 1].join(",");
        assert_eq!(decode_chain([long]), Err(ChainTooLong));
    }
}
