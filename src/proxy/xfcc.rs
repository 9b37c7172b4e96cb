//! Envoy `x-forwarded-client-cert` (XFCC).
//!
//! Envoy's documentation (HTTP header manipulation, `x-forwarded-client-cert`):
//!
//! > The XFCC header value is a comma (",") separated string. Each substring is an XFCC
//! > element, which holds information added by a single proxy. A proxy can append the current
//! > client certificate information as an XFCC element, to the end of the request's XFCC
//! > header after a comma.
//! >
//! > Each XFCC element is a semicolon ";" separated string. Each substring is a key-value
//! > pair, grouped together by an equals ("=") sign. The keys are case-insensitive, the values
//! > are case-sensitive. If ",", ";" or "=" appear in a value, the value should be
//! > double-quoted. Double-quotes in the value should be replaced by backslash-double-quote
//! > (\").
//!
//! Keys: `By` (the proxy's URI SAN), `Hash` (hex SHA-256 of the client certificate — the
//! `x5t#S256` digest in another encoding), `Cert` (URL-encoded PEM), `Chain` (URL-encoded PEM
//! chain, leaf included), `Subject`, `URI`, `DNS` (one pair per dNSName).
//!
//! The certificate is the `Cert` of the **last** element: the one the nearest proxy — the
//! trusted one — appended. Earlier elements may have been written by anyone. `Subject` is
//! informational (often OpenSSL's `/C=…/CN=…` form): match DNs on the parsed `Cert`.
//!
//! [`Xfcc::parse`] gives the structure (strings only); a certificate comes out only through
//! [`TrustedProxy::xfcc`](super::TrustedProxy::xfcc).
//!
//! ```
//! use rfc8705::proxy::xfcc::Xfcc;
//! let xfcc = Xfcc::parse(r#"By=spiffe://a;URI=spiffe://client,By=spiffe://b;Subject="CN=x\"y\", O=z";DNS=a.example;DNS=b.example"#)?;
//! assert_eq!(xfcc.elements().len(), 2);
//! let last = xfcc.last();
//! assert_eq!(last.get("by"), Some("spiffe://b"));
//! assert_eq!(last.subject(), Some(r#"CN=x"y", O=z"#));
//! assert_eq!(last.dns().collect::<Vec<_>>(), ["a.example", "b.example"]);
//! # Ok::<(), rfc8705::proxy::XfccError>(())
//! ```

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use super::escaped_pem::{self, EscapedPemError};
use super::{MAX_FIELD_VALUE_LEN, escape_for_display};
use crate::error::{OAuthError, OAuthErrorCode};
use crate::thumbprint::Thumbprint;

/// The header name, lowercase.
pub const HEADER: &str = "x-forwarded-client-cert";

/// The most elements (proxy hops) a value may hold.
pub const MAX_ELEMENTS: usize = 32;

/// The most key-value pairs one element may hold.
pub const MAX_PAIRS: usize = 64;

/// Keys that may occur at most once in an element: a second `Cert` or `Hash` is either a bug
/// or an injection.
const SINGLE_KEYS: [&str; 5] = ["By", "Hash", "Cert", "Chain", "Subject"];

/// Why an XFCC value is malformed, or its certificate unusable.
///
/// Positions are byte offsets into the header value; `element` counts from 0.
///
/// ```
/// use rfc8705::proxy::{xfcc::Xfcc, XfccError};
/// assert_eq!(Xfcc::parse("By").unwrap_err(), XfccError::MissingEquals { position: 0 });
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XfccError {
    /// The value is empty.
    #[error("the x-forwarded-client-cert value is empty")]
    Empty,
    /// The value is longer than [`MAX_FIELD_VALUE_LEN`].
    #[error("the x-forwarded-client-cert value is {len} bytes; the limit is {MAX_FIELD_VALUE_LEN}")]
    TooLarge {
        /// The value's length in bytes.
        len: usize,
    },
    /// The value is not UTF-8.
    #[error("the x-forwarded-client-cert value is not UTF-8 (byte {position})")]
    NotUtf8 {
        /// Offset of the first invalid byte.
        position: usize,
    },
    /// More than [`MAX_ELEMENTS`] elements.
    #[error("more than {MAX_ELEMENTS} elements (proxy hops)")]
    TooManyElements,
    /// More than [`MAX_PAIRS`] pairs in one element.
    #[error("element {element} has more than {MAX_PAIRS} key-value pairs")]
    TooManyPairs {
        /// The element.
        element: usize,
    },
    /// An empty element or pair: `,,`, `;;`, or a trailing `,` or `;`.
    #[error("empty element or key-value pair at byte {position}")]
    EmptyPair {
        /// Where the pair should start.
        position: usize,
    },
    /// A pair without `=`.
    #[error("the key-value pair at byte {position} has no '='")]
    MissingEquals {
        /// Where the pair starts.
        position: usize,
    },
    /// A key that is empty or holds a character outside the HTTP token set.
    #[error("invalid key at byte {position}")]
    InvalidKey {
        /// Where the key starts.
        position: usize,
    },
    /// A quoted value without its closing `"`.
    #[error("the quoted value starting at byte {position} has no closing '\"'")]
    UnterminatedQuote {
        /// Offset of the opening quote.
        position: usize,
    },
    /// Something other than `;` or `,` after a closing quote.
    #[error("'{found}' at byte {position} after a quoted value; expected ';' or ','")]
    AfterQuote {
        /// Offset of the character.
        position: usize,
        /// The character, escaped if not printable.
        found: String,
    },
    /// A `"` inside an unquoted value.
    #[error("'\"' at byte {position} inside an unquoted value")]
    QuoteInValue {
        /// Offset of the quote.
        position: usize,
    },
    /// `By`, `Hash`, `Cert`, `Chain` or `Subject` twice in one element.
    #[error("element {element} has the key {key} twice")]
    DuplicateKey {
        /// The element.
        element: usize,
        /// The key, as Envoy spells it.
        key: &'static str,
    },
    /// The last element has no `Cert` (configure Envoy's `set_current_client_cert_details`
    /// with `cert: true`).
    #[error(
        "the last element has no Cert: set `set_current_client_cert_details: {{cert: true}}` in Envoy"
    )]
    NoCert,
    /// The `Cert` value is not URL-encoded PEM.
    #[error("Cert: {0}")]
    Cert(EscapedPemError),
    /// The `Cert` value holds more than one certificate.
    #[error("Cert holds more than one certificate")]
    CertHoldsSeveral,
    /// The `Chain` value is not URL-encoded PEM.
    #[error("Chain: {0}")]
    Chain(EscapedPemError),
    /// The `Chain` value does not start with the `Cert` certificate.
    #[error("Chain does not start with the Cert certificate")]
    ChainLeafMismatch,
    /// `Hash` is not 64 hex digits.
    #[error("Hash is not a hex SHA-256 digest (64 hex digits)")]
    MalformedHash,
    /// `Hash` is not the SHA-256 of the `Cert` certificate.
    #[error("Hash does not match the SHA-256 of Cert: the element is inconsistent")]
    HashMismatch,
}

impl OAuthError for XfccError {
    /// `invalid_token`: no usable certificate (an authorization server answers
    /// `invalid_client`; see [the module docs](super#errors-and-oauth)).
    fn oauth_error_code(&self) -> OAuthErrorCode {
        OAuthErrorCode::InvalidToken
    }
}

/// A parsed XFCC value: at least one element, in header order.
///
/// ```
/// # use rfc8705::proxy::xfcc::Xfcc;
/// let xfcc = Xfcc::parse("By=a,By=b")?;
/// assert_eq!(xfcc.last().by(), Some("b"));
/// # Ok::<(), rfc8705::proxy::XfccError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Xfcc<'a> {
    /// Never empty.
    elements: Vec<XfccElement<'a>>,
}

static NO_ELEMENT: XfccElement<'static> = XfccElement { pairs: Vec::new() };

/// One XFCC element: the key-value pairs one proxy added, in order.
///
/// ```
/// # use rfc8705::proxy::xfcc::Xfcc;
/// let xfcc = Xfcc::parse("HASH=ab;dns=x;DNS=y")?;
/// let e = xfcc.last();
/// assert_eq!(e.hash(), Some("ab"));
/// assert_eq!(e.get_all("Dns").count(), 2);
/// # Ok::<(), rfc8705::proxy::XfccError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XfccElement<'a> {
    pairs: Vec<(&'a str, Cow<'a, str>)>,
}

impl<'a> Xfcc<'a> {
    /// Parses a value (several field lines joined with `,`, in order, are one value).
    ///
    /// Spaces and tabs around elements, pairs and keys are ignored (HTTP libraries add them
    /// when joining lines); unquoted values keep everything up to the next `;` or `,`,
    /// including `=` (Envoy leaves `By` and `URI` unquoted). Inside quotes `\"` is a quote
    /// and any other backslash is itself (Envoy does not escape backslashes).
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// let xfcc = Xfcc::parse(r#"By=http://a/?q=1;Subject="a\b""#)?;
    /// assert_eq!(xfcc.last().by(), Some("http://a/?q=1"));
    /// assert_eq!(xfcc.last().subject(), Some(r"a\b"));
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn parse(value: &'a str) -> Result<Self, XfccError> {
        if value.len() > MAX_FIELD_VALUE_LEN {
            return Err(XfccError::TooLarge { len: value.len() });
        }
        if value.trim_matches([' ', '\t']).is_empty() {
            return Err(XfccError::Empty);
        }
        let mut p = Parser { s: value, pos: 0 };
        let mut elements: Vec<XfccElement<'a>> = Vec::new();
        let mut current = XfccElement::default();
        loop {
            let (key, value) = p.pair()?;
            if current.pairs.len() >= MAX_PAIRS {
                return Err(XfccError::TooManyPairs {
                    element: elements.len(),
                });
            }
            if let Some(single) = SINGLE_KEYS.iter().find(|k| k.eq_ignore_ascii_case(key))
                && current.get(single).is_some()
            {
                return Err(XfccError::DuplicateKey {
                    element: elements.len(),
                    key: single,
                });
            }
            current.pairs.push((key, value));
            match p.next_byte() {
                None => break,
                Some(b';') => {}
                Some(_) => {
                    // A comma: this proxy's element ends.
                    elements.push(core::mem::take(&mut current));
                    if elements.len() >= MAX_ELEMENTS {
                        return Err(XfccError::TooManyElements);
                    }
                }
            }
        }
        elements.push(current);
        Ok(Self { elements })
    }

    /// The elements, in header order (the nearest proxy's last).
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// assert_eq!(Xfcc::parse("By=a, By=b")?.elements().len(), 2);
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn elements(&self) -> &[XfccElement<'a>] {
        &self.elements
    }

    /// The last element: the one the nearest proxy appended, the only one to trust when the
    /// immediate peer is the trusted proxy.
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// assert_eq!(Xfcc::parse("By=a,By=b")?.last().by(), Some("b"));
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn last(&self) -> &XfccElement<'a> {
        self.elements.last().unwrap_or(&NO_ELEMENT)
    }
}

impl XfccElement<'_> {
    /// The value of the first pair whose key equals `key`, ignoring ASCII case.
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// assert_eq!(Xfcc::parse("uri=x")?.last().get("URI"), Some("x"));
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn get<'s>(&'s self, key: &'s str) -> Option<&'s str> {
        self.get_all(key).next()
    }

    /// The values of every pair whose key equals `key`, ignoring ASCII case.
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// assert_eq!(Xfcc::parse("DNS=a;DNS=b")?.last().get_all("dns").count(), 2);
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn get_all<'s>(&'s self, key: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.pairs
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_ref())
    }

    /// Every pair, in order, with its key as written.
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// let x = Xfcc::parse("By=a;hash=b")?;
    /// assert_eq!(x.last().pairs().collect::<Vec<_>>(), [("By", "a"), ("hash", "b")]);
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (*k, v.as_ref()))
    }

    /// `By`: the URI SAN of the proxy that added the element.
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// assert_eq!(Xfcc::parse("By=spiffe://p")?.last().by(), Some("spiffe://p"));
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn by(&self) -> Option<&str> {
        self.get("By")
    }

    /// `Hash`: the hex SHA-256 of the client certificate, as sent.
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// assert_eq!(Xfcc::parse("Hash=00ff")?.last().hash(), Some("00ff"));
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn hash(&self) -> Option<&str> {
        self.get("Hash")
    }

    /// `Cert`: the URL-encoded PEM of the client certificate, as sent (quotes removed).
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// assert_eq!(Xfcc::parse("Cert=\"%2D%2D\"")?.last().cert(), Some("%2D%2D"));
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn cert(&self) -> Option<&str> {
        self.get("Cert")
    }

    /// `Chain`: the URL-encoded PEM chain, leaf included, as sent.
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// assert_eq!(Xfcc::parse("Chain=x")?.last().chain(), Some("x"));
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn chain(&self) -> Option<&str> {
        self.get("Chain")
    }

    /// `Subject`, as sent: informational only; match DNs on the parsed certificate.
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// assert_eq!(Xfcc::parse("Subject=\"CN=a,O=b\"")?.last().subject(), Some("CN=a,O=b"));
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn subject(&self) -> Option<&str> {
        self.get("Subject")
    }

    /// `URI` values: the client certificate's URI SANs.
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// assert_eq!(Xfcc::parse("URI=spiffe://c")?.last().uri().next(), Some("spiffe://c"));
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn uri(&self) -> impl Iterator<Item = &str> {
        self.get_all("URI")
    }

    /// `DNS` values: the client certificate's DNS SANs, one pair each.
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// assert_eq!(Xfcc::parse("DNS=a;DNS=b")?.last().dns().collect::<Vec<_>>(), ["a", "b"]);
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn dns(&self) -> impl Iterator<Item = &str> {
        self.get_all("DNS")
    }
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    fn slice(&self, from: usize, to: usize) -> &'a str {
        // Callers cut only at ASCII bytes, which are char boundaries.
        self.s.get(from..to).unwrap_or_default()
    }

    /// Consumes the separator after a pair: `Some(b';')`, `Some(b',')` or `None` at the end.
    fn next_byte(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    /// One `key=value` pair, leaving the position at the following `;`, `,` or the end.
    fn pair(&mut self) -> Result<(&'a str, Cow<'a, str>), XfccError> {
        self.skip_ows();
        let start = self.pos;
        match self.peek() {
            // `,,` `;;` `;,` or a trailing separator.
            None | Some(b';' | b',') => return Err(XfccError::EmptyPair { position: start }),
            _ => {}
        }
        while !matches!(self.peek(), None | Some(b'=' | b';' | b',')) {
            self.pos += 1;
        }
        if self.peek() != Some(b'=') {
            return Err(XfccError::MissingEquals { position: start });
        }
        let key = self.slice(start, self.pos).trim_end_matches([' ', '\t']);
        // Keys are HTTP tokens (Envoy's are letters).
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        {
            return Err(XfccError::InvalidKey { position: start });
        }
        self.pos += 1;
        self.skip_ows();
        let value = if self.peek() == Some(b'"') {
            self.quoted()?
        } else {
            self.unquoted()?
        };
        Ok((key, value))
    }

    /// A double-quoted value; `\"` is a quote, any other backslash is literal.
    fn quoted(&mut self) -> Result<Cow<'a, str>, XfccError> {
        let open = self.pos;
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            match self.peek() {
                None => return Err(XfccError::UnterminatedQuote { position: open }),
                Some(b'\\') if self.s.as_bytes().get(self.pos + 1) == Some(&b'"') => {
                    let buf = owned.get_or_insert_with(String::new);
                    buf.push_str(self.slice(run, self.pos));
                    buf.push('"');
                    self.pos += 2;
                    run = self.pos;
                }
                Some(b'"') => break,
                Some(_) => self.pos += 1,
            }
        }
        let value = match owned {
            Some(mut buf) => {
                buf.push_str(self.slice(run, self.pos));
                Cow::Owned(buf)
            }
            None => Cow::Borrowed(self.slice(start, self.pos)),
        };
        self.pos += 1;
        self.skip_ows();
        match self.peek() {
            None | Some(b';' | b',') => Ok(value),
            Some(_) => Err(XfccError::AfterQuote {
                position: self.pos,
                found: self
                    .s
                    .get(self.pos..)
                    .and_then(|r| r.chars().next())
                    .map(|c| escape_for_display(c.encode_utf8(&mut [0; 4]).as_bytes(), 4))
                    .unwrap_or_default(),
            }),
        }
    }

    fn unquoted(&mut self) -> Result<Cow<'a, str>, XfccError> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            match b {
                b';' | b',' => break,
                // A quote belongs at the start of a value, or escaped inside quotes.
                b'"' => return Err(XfccError::QuoteInValue { position: self.pos }),
                _ => self.pos += 1,
            }
        }
        Ok(Cow::Borrowed(
            self.slice(start, self.pos).trim_end_matches([' ', '\t']),
        ))
    }
}

/// Decodes the certificate of the last element: its `Cert` (required), checked against its
/// `Hash` when present, and its `Chain` minus the leaf when present.
pub(crate) fn decode_last(value: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), XfccError> {
    if value.len() > MAX_FIELD_VALUE_LEN {
        return Err(XfccError::TooLarge { len: value.len() });
    }
    let text = core::str::from_utf8(value).map_err(|e| XfccError::NotUtf8 {
        position: e.valid_up_to(),
    })?;
    let xfcc = Xfcc::parse(text)?;
    let last = xfcc.last();
    let cert = last.cert().ok_or(XfccError::NoCert)?;
    let (leaf, extra) =
        escaped_pem::decode_with(cert.as_bytes(), false).map_err(XfccError::Cert)?;
    if !extra.is_empty() {
        return Err(XfccError::CertHoldsSeveral);
    }
    if let Some(hash) = last.hash() {
        // Envoy: `Hash` is the hex SHA-256 of the DER, the same digest as `x5t#S256`.
        if hex_sha256(hash).ok_or(XfccError::MalformedHash)? != Thumbprint::digest_of(&leaf) {
            return Err(XfccError::HashMismatch);
        }
    }
    let chain = match last.chain() {
        None => Vec::new(),
        Some(chain) => {
            let (first, rest) =
                escaped_pem::decode_with(chain.as_bytes(), false).map_err(XfccError::Chain)?;
            // Envoy: "The entire client certificate chain (including the leaf certificate)".
            if first != leaf {
                return Err(XfccError::ChainLeafMismatch);
            }
            rest
        }
    };
    Ok((leaf, chain))
}

/// Parses 64 hex digits (either case) as a SHA-256 digest.
fn hex_sha256(hex: &str) -> Option<Thumbprint> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let digit = |i: usize| pair.get(i).and_then(|d| char::from(*d).to_digit(16));
        *o = u8::try_from(digit(0)? * 16 + digit(1)?).ok()?;
    }
    Some(Thumbprint::from_bytes(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::{format, vec};

    /// TV-15: the Envoy documentation examples, verbatim.
    const TV15: [&str; 3] = [
        r#"By=http://frontend.lyft.com;Hash=468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688;Subject="/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client";URI=http://testclient.lyft.com"#,
        "By=http://frontend.lyft.com;Hash=468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688;URI=http://testclient.lyft.com,By=http://backend.lyft.com;Hash=9ba61d6425303443c0748a02dd8de688468ed33be74eee6556d90c0149c1309e;URI=http://frontend.lyft.com",
        r#"By=http://frontend.lyft.com;Hash=468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688;Subject="/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client";URI=http://testclient.lyft.com;DNS=lyft.com;DNS=www.lyft.com"#,
    ];

    #[test]
    fn envoy_documentation_examples() {
        let one = Xfcc::parse(TV15[0]).unwrap();
        assert_eq!(one.elements().len(), 1);
        let e = one.last();
        assert_eq!(e.by(), Some("http://frontend.lyft.com"));
        assert_eq!(
            e.hash(),
            Some("468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688")
        );
        assert_eq!(
            e.subject(),
            Some("/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client")
        );
        assert_eq!(e.uri().collect::<Vec<_>>(), ["http://testclient.lyft.com"]);
        assert_eq!(e.cert(), None);

        let two = Xfcc::parse(TV15[1]).unwrap();
        assert_eq!(two.elements().len(), 2);
        assert_eq!(two.last().by(), Some("http://backend.lyft.com"));
        assert_eq!(two.last().uri().next(), Some("http://frontend.lyft.com"));
        assert_eq!(
            two.elements()[0].uri().next(),
            Some("http://testclient.lyft.com")
        );

        let dns = Xfcc::parse(TV15[2]).unwrap();
        assert_eq!(
            dns.last().dns().collect::<Vec<_>>(),
            ["lyft.com", "www.lyft.com"]
        );

        // None of them carries a Cert: no certificate to hand out.
        for v in TV15 {
            assert_eq!(decode_last(v.as_bytes()), Err(XfccError::NoCert));
        }
    }

    #[test]
    fn quoting() {
        let x = Xfcc::parse(r#"Subject="CN=a\"b,O=c;d=e"  ; URI = u , By="x""#).unwrap();
        let first = &x.elements()[0];
        assert_eq!(first.subject(), Some(r#"CN=a"b,O=c;d=e"#));
        assert_eq!(first.uri().next(), Some("u"));
        assert_eq!(x.last().by(), Some("x"));
        // A backslash not before a quote is itself.
        assert_eq!(
            Xfcc::parse(r#"Subject="CN=a\,b""#)
                .unwrap()
                .last()
                .subject(),
            Some(r"CN=a\,b")
        );
        assert_eq!(Xfcc::parse("By=").unwrap().last().by(), Some(""));
        assert_eq!(Xfcc::parse("By=\"\"").unwrap().last().by(), Some(""));
    }

    #[test]
    fn malformed() {
        use XfccError::*;
        assert_eq!(Xfcc::parse(""), Err(Empty));
        assert_eq!(Xfcc::parse(" "), Err(Empty));
        assert_eq!(Xfcc::parse("By=a,"), Err(EmptyPair { position: 5 }));
        assert_eq!(Xfcc::parse("By=a;;URI=b"), Err(EmptyPair { position: 5 }));
        assert_eq!(Xfcc::parse(",By=a"), Err(EmptyPair { position: 0 }));
        assert_eq!(Xfcc::parse("By=a;URI"), Err(MissingEquals { position: 5 }));
        assert_eq!(Xfcc::parse("=a"), Err(InvalidKey { position: 0 }));
        assert_eq!(Xfcc::parse("B y=a"), Err(InvalidKey { position: 0 }));
        assert_eq!(
            Xfcc::parse("By=\"a"),
            Err(UnterminatedQuote { position: 3 })
        );
        assert_eq!(
            Xfcc::parse("By=\"a\\\""),
            Err(UnterminatedQuote { position: 3 })
        );
        assert_eq!(
            Xfcc::parse("By=\"a\"b"),
            Err(AfterQuote {
                position: 6,
                found: "b".into()
            })
        );
        assert_eq!(Xfcc::parse("By=a\"b\""), Err(QuoteInValue { position: 4 }));
        assert_eq!(
            Xfcc::parse("Cert=a;cert=b"),
            Err(DuplicateKey {
                element: 0,
                key: "Cert"
            })
        );
        assert_eq!(
            Xfcc::parse("By=a,Hash=1;HASH=2"),
            Err(DuplicateKey {
                element: 1,
                key: "Hash"
            })
        );
        let many = vec!["By=a"; MAX_ELEMENTS + 1].join(",");
        assert_eq!(Xfcc::parse(&many), Err(TooManyElements));
        assert_eq!(
            Xfcc::parse(&vec!["By=a"; MAX_ELEMENTS].join(","))
                .unwrap()
                .elements()
                .len(),
            MAX_ELEMENTS
        );
        let pairs = vec!["DNS=a"; MAX_PAIRS + 1].join(";");
        assert_eq!(Xfcc::parse(&pairs), Err(TooManyPairs { element: 0 }));
        let big = format!("By={}", "a".repeat(MAX_FIELD_VALUE_LEN));
        assert_eq!(
            Xfcc::parse(&big),
            Err(TooLarge {
                len: MAX_FIELD_VALUE_LEN + 3
            })
        );
        assert_eq!(decode_last(b"By=\xff"), Err(NotUtf8 { position: 3 }));
        assert_eq!(
            decode_last(b"Cert=\"%zz\""),
            Err(Cert(EscapedPemError::BadPercentEscape { position: 0 }))
        );
    }

    #[test]
    fn hash_parsing() {
        let d1 = "0380ed2f626650c840b2f263e6d2b29fae12ab39ae5db32b25ad27efad72e6fd";
        let t: Thumbprint = "A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0"
            .parse()
            .unwrap();
        assert_eq!(hex_sha256(d1), Some(t));
        assert_eq!(hex_sha256(&d1.to_uppercase()), Some(t));
        assert_eq!(hex_sha256(&d1[1..]), None);
        assert_eq!(hex_sha256(&format!("{}g", &d1[1..])), None);
        assert_eq!(hex_sha256(&format!("+{}", &d1[1..])), None);
    }
}
