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
//! # What Envoy really writes
//!
//! Envoy does not follow its own quoting rule for every key. Its HTTP connection manager
//! (`ConnectionManagerUtility::mutateXfccRequestHeader`) builds the element of the current
//! hop as, in this order and joined with `;`:
//!
//! | key | written as | from |
//! |---|---|---|
//! | `By` | `By=<uri>`, raw, once per URI SAN | Envoy's **own** certificate |
//! | `Hash` | `Hash=<64 hex digits>` | SHA-256 of the client certificate's DER |
//! | `Cert` | `Cert="<URL-encoded PEM>"` | the client certificate |
//! | `Chain` | `Chain="<URL-encoded PEM>"` | the client's chain, leaf first |
//! | `Subject` | `Subject="<RFC 2253>"`, OpenSSL's escaping inside the quotes | the client's subject |
//! | `URI` | `URI=<uri>`, **raw**, once per URI SAN (older Envoy: the first only; `URI=` when none) | the client certificate |
//! | `DNS` | `DNS=<name>`, **raw**, once per DNS SAN | the client certificate |
//!
//! `Cert`, `Chain`, `Subject`, `URI` and `DNS` appear only when
//! `set_current_client_cert_details` asks for them. With `SANITIZE_SET` the element is the
//! whole value; with `APPEND_FORWARD` it is appended to whatever arrived, after a `,`, and
//! what arrived may have been written by the client.
//!
//! The `URI` and `DNS` values are chosen by whoever obtained the client certificate, and
//! `,`, `;`, `=` and `"` are legal in them: a certificate whose URI SAN is
//! `spiffe://x,Cert="<someone else's certificate>"` makes Envoy write an element that a naive
//! reader splits into two, the second carrying another certificate. So this reader accepts
//! only values whose split is certain:
//!
//! * an element holding a `URI` or `DNS` pair must be the last element (`,` inside a raw value
//!   would otherwise start a forged element);
//! * the last element holds only Envoy's keys, in Envoy's order, `Hash`, `Cert`, `Chain` and
//!   `Subject` at most once (`;` inside a raw value would otherwise add a forged `Cert` or
//!   `Chain` after `URI`/`DNS`);
//! * inside quotes a backslash escapes the next character, so OpenSSL's `\"` and `\\` never
//!   end a quoted `Subject` early (a subject ending in `\` is written `…\\"`); a closing
//!   quote must be followed by `;`, `,` or the end, so a quote opened in client-written text
//!   before the current element cannot swallow part of it.
//!
//! Everything else is refused ([`XfccError::AmbiguousSan`], [`XfccError::OutOfOrder`],
//! [`XfccError::NotEnvoyKey`]). If legitimate traffic is refused that way (a multi-hop chain
//! where an earlier Envoy wrote `URI`, or a client SAN holding a separator), configure
//! `set_current_client_cert_details` without `uri` and `dns`: this crate matches names on the
//! certificate itself, never on `URI`, `DNS` or `Subject`.
//!
//! The certificate is the `Cert` of the **last** element: the one the nearest proxy (the
//! trusted one) appended. Earlier elements may have been written by anyone.
//!
//! [`Xfcc::parse`] gives the structure (strings only); a certificate comes out only through
//! [`TrustedProxy::xfcc`](super::TrustedProxy::xfcc).
//!
//! ```
//! use rfc8705::proxy::xfcc::Xfcc;
//! let xfcc = Xfcc::parse(r#"By=spiffe://a,By=spiffe://b;By=spiffe://c;Subject="CN=x\"y\\";DNS=a.example;DNS=b.example"#)?;
//! assert_eq!(xfcc.elements().len(), 2);
//! let last = xfcc.last();
//! assert_eq!(last.by().collect::<Vec<_>>(), ["spiffe://b", "spiffe://c"]);
//! assert_eq!(last.subject(), Some(r#"CN=x\"y\\"#));
//! assert_eq!(last.dns().collect::<Vec<_>>(), ["a.example", "b.example"]);
//! # Ok::<(), rfc8705::proxy::XfccError>(())
//! ```

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

/// The keys Envoy writes, in the order it writes them.
const ENVOY_ORDER: [&str; 7] = ["By", "Hash", "Cert", "Chain", "Subject", "URI", "DNS"];

/// Keys that occur at most once in an element: a second `Cert` or `Hash` is either a bug or
/// an injection. (`By`, `URI` and `DNS` repeat, once per SAN.)
const SINGLE_KEYS: [&str; 4] = ["Hash", "Cert", "Chain", "Subject"];

/// Keys whose values Envoy writes raw, from the client certificate.
const RAW_CLIENT_KEYS: [&str; 2] = ["URI", "DNS"];

/// Why an XFCC value is malformed, ambiguous, or its certificate unusable.
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
    /// `Hash`, `Cert`, `Chain` or `Subject` twice in one element.
    #[error("element {element} has the key {key} twice")]
    DuplicateKey {
        /// The element.
        element: usize,
        /// The key, as Envoy spells it.
        key: &'static str,
    },
    /// An element holding `URI` or `DNS` is followed by another element. Envoy writes those
    /// values unquoted, so a `,` inside a client certificate's SAN would start a forged
    /// element: the split is not certain.
    #[error(
        "element {element} holds {key}, which Envoy writes unquoted, and another element follows: \
         the split is ambiguous (a client certificate's SAN may hold ','); configure Envoy's \
         `set_current_client_cert_details` without `uri` and `dns`"
    )]
    AmbiguousSan {
        /// The element holding the value.
        element: usize,
        /// `URI` or `DNS`.
        key: &'static str,
    },
    /// A key of the last element comes after a key that Envoy writes later (Envoy's order is
    /// `By`, `Hash`, `Cert`, `Chain`, `Subject`, `URI`, `DNS`): text inside an unquoted `URI`
    /// or `DNS` value may have added it.
    #[error(
        "the last element has {key} at byte {position} after a key Envoy writes later \
         (By, Hash, Cert, Chain, Subject, URI, DNS): a URI or DNS value may have injected it; \
         configure Envoy's `set_current_client_cert_details` without `uri` and `dns`"
    )]
    OutOfOrder {
        /// The key, as Envoy spells it.
        key: &'static str,
        /// Where the pair starts.
        position: usize,
    },
    /// The last element holds a key that Envoy does not write.
    #[error("the last element has a key Envoy does not write at byte {position}")]
    NotEnvoyKey {
        /// Where the pair starts.
        position: usize,
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

/// A parsed XFCC value: at least one element, in header order, split with certainty (see
/// [the module docs](self#what-envoy-really-writes)).
///
/// ```
/// # use rfc8705::proxy::xfcc::Xfcc;
/// let xfcc = Xfcc::parse("By=a,By=b")?;
/// assert_eq!(xfcc.last().by().next(), Some("b"));
/// # Ok::<(), rfc8705::proxy::XfccError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Xfcc<'a> {
    /// Never empty.
    elements: Vec<XfccElement<'a>>,
}

static NO_ELEMENT: XfccElement<'static> = XfccElement { pairs: Vec::new() };

/// One XFCC element: the key-value pairs one proxy added, in order. Values are the text as
/// written: without the surrounding quotes, escapes kept (a `Subject` is OpenSSL's RFC 2253
/// string).
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
    pairs: Vec<Pair<'a>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Pair<'a> {
    key: &'a str,
    value: &'a str,
    /// Where the pair starts, for errors.
    position: usize,
}

impl<'a> Xfcc<'a> {
    /// Parses a value (several field lines joined with `,`, in order, are one value).
    ///
    /// Spaces and tabs around elements, pairs and keys are ignored (HTTP libraries add them
    /// when joining lines); unquoted values keep everything up to the next `;` or `,`,
    /// including `=` (Envoy leaves `By`, `URI` and `DNS` unquoted). Inside quotes a backslash
    /// escapes the next character. A value whose split is not certain is refused (see
    /// [the module docs](self#what-envoy-really-writes)).
    ///
    /// ```
    /// # use rfc8705::proxy::{xfcc::Xfcc, XfccError};
    /// let xfcc = Xfcc::parse(r#"By=http://a/?q=1;Subject="CN=a\\";URI=spiffe://c"#)?;
    /// assert_eq!(xfcc.last().by().next(), Some("http://a/?q=1"));
    /// assert_eq!(xfcc.last().subject(), Some(r"CN=a\\"));
    /// // A URI SAN holding ",Cert=…" cannot start a forged element.
    /// assert_eq!(
    ///     Xfcc::parse(r#"Cert="a";URI=spiffe://x,Cert="b""#),
    ///     Err(XfccError::AmbiguousSan { element: 0, key: "URI" })
    /// );
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
            let pair = p.pair()?;
            let element = elements.len();
            if current.pairs.len() >= MAX_PAIRS {
                return Err(XfccError::TooManyPairs { element });
            }
            if let Some(single) = envoy_key(pair.key, &SINGLE_KEYS)
                && current.get(single).is_some()
            {
                return Err(XfccError::DuplicateKey {
                    element,
                    key: single,
                });
            }
            current.pairs.push(pair);
            match p.next_byte() {
                None => break,
                Some(b';') => {}
                Some(_) => {
                    // A comma: this proxy's element ends. Only the last element may hold a
                    // raw client value: a ',' inside it would otherwise forge the next one.
                    if let Some(key) = current
                        .pairs
                        .iter()
                        .find_map(|p| envoy_key(p.key, &RAW_CLIENT_KEYS))
                    {
                        return Err(XfccError::AmbiguousSan { element, key });
                    }
                    elements.push(core::mem::take(&mut current));
                    if elements.len() >= MAX_ELEMENTS {
                        return Err(XfccError::TooManyElements);
                    }
                }
            }
        }
        current.check_envoy_order()?;
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
    /// assert_eq!(Xfcc::parse("By=a,By=b")?.last().by().next(), Some("b"));
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn last(&self) -> &XfccElement<'a> {
        self.elements.last().unwrap_or(&NO_ELEMENT)
    }
}

/// The Envoy spelling of `key` if it is one of `keys` (keys are case-insensitive).
fn envoy_key(key: &str, keys: &[&'static str]) -> Option<&'static str> {
    keys.iter().copied().find(|k| k.eq_ignore_ascii_case(key))
}

impl XfccElement<'_> {
    /// The last element is the current hop's, written by Envoy: only Envoy's keys, in
    /// Envoy's order.
    fn check_envoy_order(&self) -> Result<(), XfccError> {
        let mut rank = 0;
        for pair in &self.pairs {
            let Some(next) = ENVOY_ORDER
                .iter()
                .position(|k| k.eq_ignore_ascii_case(pair.key))
            else {
                return Err(XfccError::NotEnvoyKey {
                    position: pair.position,
                });
            };
            if next < rank {
                return Err(XfccError::OutOfOrder {
                    key: ENVOY_ORDER.get(next).copied().unwrap_or_default(),
                    position: pair.position,
                });
            }
            rank = next;
        }
        Ok(())
    }

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
            .filter(move |p| p.key.eq_ignore_ascii_case(key))
            .map(|p| p.value)
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
        self.pairs.iter().map(|p| (p.key, p.value))
    }

    /// `By` values: the URI SANs of the proxy that added the element, one pair each.
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// let x = Xfcc::parse("By=spiffe://p;By=spiffe://q")?;
    /// assert_eq!(x.last().by().collect::<Vec<_>>(), ["spiffe://p", "spiffe://q"]);
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn by(&self) -> impl Iterator<Item = &str> {
        self.get_all("By")
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

    /// `Subject`, as sent (OpenSSL's RFC 2253 escapes kept): informational only; match DNs
    /// on the parsed certificate.
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// assert_eq!(Xfcc::parse("Subject=\"CN=a,O=b\"")?.last().subject(), Some("CN=a,O=b"));
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn subject(&self) -> Option<&str> {
        self.get("Subject")
    }

    /// `URI` values: the client certificate's URI SANs as Envoy wrote them, unquoted.
    /// Informational only: a SAN holding `;` reads as several values.
    ///
    /// ```
    /// # use rfc8705::proxy::xfcc::Xfcc;
    /// assert_eq!(Xfcc::parse("URI=spiffe://c")?.last().uri().next(), Some("spiffe://c"));
    /// # Ok::<(), rfc8705::proxy::XfccError>(())
    /// ```
    pub fn uri(&self) -> impl Iterator<Item = &str> {
        self.get_all("URI")
    }

    /// `DNS` values: the client certificate's DNS SANs, one pair each. Informational only,
    /// as [`uri`](Self::uri).
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
    fn pair(&mut self) -> Result<Pair<'a>, XfccError> {
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
        Ok(Pair {
            key,
            value,
            position: start,
        })
    }

    /// A double-quoted value, returned as written between the quotes. A backslash escapes
    /// the next character: Envoy's `\"`, and OpenSSL's `\"` and `\\` in an RFC 2253 subject.
    fn quoted(&mut self) -> Result<&'a str, XfccError> {
        let open = self.pos;
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.peek() {
                None => return Err(XfccError::UnterminatedQuote { position: open }),
                // The escaped byte is ASCII or a UTF-8 lead byte; continuation bytes are
                // never '"' or '\', so stepping over one byte is enough.
                Some(b'\\') => self.pos += 2,
                Some(b'"') => break,
                Some(_) => self.pos += 1,
            }
        }
        let value = self.slice(start, self.pos);
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

    fn unquoted(&mut self) -> Result<&'a str, XfccError> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            match b {
                b';' | b',' => break,
                // A quote belongs at the start of a value, or escaped inside quotes.
                b'"' => return Err(XfccError::QuoteInValue { position: self.pos }),
                _ => self.pos += 1,
            }
        }
        Ok(self.slice(start, self.pos).trim_end_matches([' ', '\t']))
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
mod tests;
