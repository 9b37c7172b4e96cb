//! The XFCC grammar, read as Envoy writes it: elements, key-value pairs, quoting.
//!
//! One pass reads a value and remembers, of its last element, what the certificate depends
//! on; nothing is allocated. The rare readers of every pair of an element (a mesh's earlier
//! elements) read its text again with the same parser.

use super::super::error::{Reason, escape_for_display};
use super::{MAX_ELEMENTS, MAX_PAIRS};

/// The keys Envoy writes, in the order it writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Key {
    By,
    Hash,
    Cert,
    Chain,
    Subject,
    Uri,
    Dns,
}

impl Key {
    /// Envoy's spelling.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::By => "By",
            Self::Hash => "Hash",
            Self::Cert => "Cert",
            Self::Chain => "Chain",
            Self::Subject => "Subject",
            Self::Uri => "URI",
            Self::Dns => "DNS",
        }
    }

    /// The Envoy key `key` is (keys are case-insensitive).
    fn of(key: &str) -> Option<Self> {
        // A key is a token (letters, digits, `-_.`); OR-ing 0x20 into each byte lowers a
        // letter and gives no other token byte a letter's value, so for Envoy's names (all
        // letters) this compares the whole key at once, ignoring ASCII case.
        let bytes = key.as_bytes();
        let mut word = [0u8; 8];
        word.get_mut(..bytes.len())?.copy_from_slice(bytes);
        let present = 1u64
            .checked_shl(u32::try_from(8 * bytes.len()).ok()?)
            .map_or(u64::MAX, |bit| bit - 1);
        let lowered = u64::from_le_bytes(word) | (u64::from_le_bytes([0x20; 8]) & present);
        // Envoy's names in lower case, as keys are read.
        const BY: u64 = u64::from_le_bytes(*b"by\0\0\0\0\0\0");
        const HASH: u64 = u64::from_le_bytes(*b"hash\0\0\0\0");
        const CERT: u64 = u64::from_le_bytes(*b"cert\0\0\0\0");
        const CHAIN: u64 = u64::from_le_bytes(*b"chain\0\0\0");
        const SUBJECT: u64 = u64::from_le_bytes(*b"subject\0");
        const URI: u64 = u64::from_le_bytes(*b"uri\0\0\0\0\0");
        const DNS: u64 = u64::from_le_bytes(*b"dns\0\0\0\0\0");
        match lowered {
            BY => Some(Self::By),
            HASH => Some(Self::Hash),
            CERT => Some(Self::Cert),
            CHAIN => Some(Self::Chain),
            SUBJECT => Some(Self::Subject),
            URI => Some(Self::Uri),
            DNS => Some(Self::Dns),
            _ => None,
        }
    }

    /// Where the value of a key that occurs at most once in an element is kept: a second
    /// `Cert` or `Hash` is either a bug or an injection. (`By`, `URI` and `DNS` repeat, once
    /// per SAN.)
    fn single(self) -> Option<usize> {
        match self {
            Self::Hash => Some(0),
            Self::Cert => Some(1),
            Self::Chain => Some(2),
            Self::Subject => Some(3),
            Self::By | Self::Uri | Self::Dns => None,
        }
    }

    /// Whether Envoy writes the key's values raw, from the client certificate.
    fn is_raw_client(self) -> bool {
        matches!(self, Self::Uri | Self::Dns)
    }
}

/// A parsed XFCC value: at least one element, in header order, split with certainty (see
/// [the module docs](self#what-envoy-really-writes)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Xfcc<'a> {
    value: &'a str,
    /// How many elements come before the last.
    earlier: usize,
    last: XfccElement<'a>,
}

/// One XFCC element: the key-value pairs one proxy added, in order. Values are the text as
/// written: without the surrounding quotes, escapes kept (a `Subject` is OpenSSL's RFC 2253
/// string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XfccElement<'a> {
    /// The whole value, and where the element starts in it.
    value: &'a str,
    start: usize,
    /// The values of the keys that occur once (`Hash`, `Cert`, `Chain`, `Subject`).
    single: [Option<&'a str>; 4],
    /// The first key whose value Envoy writes raw from the client certificate.
    raw_client: Option<Key>,
    /// Where the element leaves Envoy's form (only Envoy's keys, in Envoy's order): the
    /// position of the first pair that breaks it, and its key if it is Envoy's (then out of
    /// order).
    not_envoy: Option<(usize, Option<Key>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Pair<'a> {
    /// The key, when it is one of Envoy's (read once).
    envoy: Option<Key>,
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
    pub(crate) fn parse(value: &'a str) -> Result<Self, Reason> {
        if value.bytes().all(|b| b == b' ' || b == b'\t') {
            return Err(Reason::Empty);
        }
        let mut p = Parser { s: value, pos: 0 };
        let mut earlier = 0;
        loop {
            let (element, more) = p.element(earlier)?;
            if !more {
                // The last element is the current hop's, written by Envoy.
                return match element.not_envoy {
                    None => Ok(Self {
                        value,
                        earlier,
                        last: element,
                    }),
                    Some((position, None)) => Err(Reason::NotEnvoyKey { position }),
                    Some((position, Some(key))) => Err(Reason::OutOfOrder {
                        key: key.name(),
                        position,
                    }),
                };
            }
            earlier += 1;
            if earlier >= MAX_ELEMENTS {
                return Err(Reason::TooManyElements);
            }
        }
    }

    /// The elements, in header order (the nearest proxy's last).
    #[cfg(test)]
    pub(crate) fn elements(&self) -> alloc::vec::Vec<XfccElement<'a>> {
        self.earlier().chain([self.last.clone()]).collect()
    }

    /// The elements before the last, in header order: read again (the value parsed, so
    /// they do too).
    pub(crate) fn earlier(&self) -> impl Iterator<Item = XfccElement<'a>> {
        let mut p = Parser {
            s: self.value,
            pos: 0,
        };
        (0..self.earlier).map_while(move |index| p.element(index).ok().map(|(e, _)| e))
    }

    /// The last element: the one the nearest proxy appended, the only one to trust when the
    /// immediate peer is the trusted proxy.
    pub(crate) fn last(&self) -> &XfccElement<'a> {
        &self.last
    }
}

/// `text` without the spaces and tabs at its end.
fn trim_ows_end(text: &str) -> &str {
    let kept = text
        .bytes()
        .rposition(|b| b != b' ' && b != b'\t')
        .map_or(0, |last| last + 1);
    // Cut after an ASCII byte: a char boundary.
    text.get(..kept).unwrap_or_default()
}

/// A byte of an XFCC key: an HTTP token's letters, digits and `-_.`.
fn is_key_byte(b: u8) -> bool {
    matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.')
}

impl<'a> XfccElement<'a> {
    /// The first key of the element whose value Envoy writes raw from the client certificate
    /// (`URI`, `DNS`), as Envoy spells it.
    pub(crate) fn raw_client_key(&self) -> Option<&'static str> {
        self.raw_client.map(Key::name)
    }

    /// The values of every pair whose key is `key`, in order.
    pub(crate) fn values(&self, key: Key) -> impl Iterator<Item = &'a str> + use<'a> {
        let mut p = Parser {
            s: self.value,
            pos: self.start,
        };
        let mut more = true;
        core::iter::from_fn(move || {
            while more {
                // The element parsed once already, so its pairs do again.
                let pair = p.pair().ok()?;
                more = p.next_byte() == Some(b';');
                if pair.envoy == Some(key) {
                    return Some(pair.value);
                }
            }
            None
        })
    }

    fn single(&self, key: Key) -> Option<&'a str> {
        key.single()
            .and_then(|slot| self.single.get(slot).copied().flatten())
    }

    /// `By` values: the URI SANs of the proxy that added the element, one pair each.
    #[cfg(test)]
    pub(crate) fn by(&self) -> impl Iterator<Item = &'a str> {
        self.values(Key::By)
    }

    /// `Hash`: the hex SHA-256 of the client certificate, as sent.
    pub(crate) fn hash(&self) -> Option<&'a str> {
        self.single(Key::Hash)
    }

    /// `Cert`: the URL-encoded PEM of the client certificate, as sent (quotes removed).
    pub(crate) fn cert(&self) -> Option<&'a str> {
        self.single(Key::Cert)
    }

    /// `Chain`: the URL-encoded PEM chain, leaf included, as sent.
    pub(crate) fn chain(&self) -> Option<&'a str> {
        self.single(Key::Chain)
    }

    /// `Subject`, as sent (OpenSSL's RFC 2253 escapes kept): informational only; match DNs
    /// on the parsed certificate.
    #[cfg(test)]
    pub(crate) fn subject(&self) -> Option<&'a str> {
        self.single(Key::Subject)
    }

    /// `URI` values: the client certificate's URI SANs as Envoy wrote them, unquoted.
    /// Informational only: a SAN holding `;` reads as several values.
    #[cfg(test)]
    pub(crate) fn uri(&self) -> impl Iterator<Item = &'a str> {
        self.values(Key::Uri)
    }

    /// `DNS` values: the client certificate's DNS SANs, one pair each. Informational only,
    /// as [`uri`](Self::uri).
    #[cfg(test)]
    pub(crate) fn dns(&self) -> impl Iterator<Item = &'a str> {
        self.values(Key::Dns)
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

    /// The element at the position (the `index`th of the value), up to its `,` or the end;
    /// and whether a `,` ended it. Inlined, as [`pair`](Self::pair) is: returned through
    /// memory, each cost a store-forwarding stall (`xfcc-hash` took a third longer).
    #[inline(always)]
    fn element(&mut self, index: usize) -> Result<(XfccElement<'a>, bool), Reason> {
        let mut element = XfccElement {
            value: self.s,
            start: self.pos,
            single: [None; 4],
            raw_client: None,
            not_envoy: None,
        };
        let (mut rank, mut count) = (Key::By, 0);
        loop {
            let pair = self.pair()?;
            count += 1;
            if count > MAX_PAIRS {
                return Err(Reason::TooManyPairs { element: index });
            }
            match pair.envoy {
                Some(key) => {
                    if let Some(slot) = key.single().and_then(|i| element.single.get_mut(i)) {
                        if slot.is_some() {
                            return Err(Reason::DuplicateKey {
                                element: index,
                                key: key.name(),
                            });
                        }
                        *slot = Some(pair.value);
                    }
                    if key.is_raw_client() {
                        element.raw_client.get_or_insert(key);
                    }
                    if key < rank {
                        element.not_envoy.get_or_insert((pair.position, Some(key)));
                    }
                    rank = rank.max(key);
                }
                None => {
                    element.not_envoy.get_or_insert((pair.position, None));
                }
            }
            match self.next_byte() {
                None => return Ok((element, false)),
                Some(b';') => {}
                // A comma: this proxy's element ends (where an element holding a raw client
                // value really ends is the caller's check: `earlier`).
                Some(_) => return Ok((element, true)),
            }
        }
    }

    /// One `key=value` pair, leaving the position at the following `;`, `,` or the end.
    #[inline(always)]
    fn pair(&mut self) -> Result<Pair<'a>, Reason> {
        self.skip_ows();
        let start = self.pos;
        match self.peek() {
            // `,,` `;;` `;,` or a trailing separator.
            None | Some(b';' | b',') => return Err(Reason::EmptyPair { position: start }),
            _ => {}
        }
        // Keys are HTTP tokens (Envoy's are letters), then `=`.
        let rest = self.s.as_bytes().get(start..).unwrap_or_default();
        let token = rest
            .iter()
            .position(|b| !is_key_byte(*b))
            .unwrap_or(rest.len());
        self.pos = start + token;
        self.skip_ows();
        if token == 0 || self.peek() != Some(b'=') {
            // Not a key: missing its `=`, or with other bytes before it.
            return Err(
                match memchr::memchr3(b'=', b';', b',', rest).and_then(|at| rest.get(at)) {
                    Some(b'=') => Reason::InvalidKey { position: start },
                    _ => Reason::MissingEquals { position: start },
                },
            );
        }
        let envoy = Key::of(self.slice(start, start + token));
        self.pos += 1;
        self.skip_ows();
        let value = if self.peek() == Some(b'"') {
            self.quoted()?
        } else {
            self.unquoted()?
        };
        Ok(Pair {
            envoy,
            value,
            position: start,
        })
    }

    /// A double-quoted value, returned as written between the quotes. A backslash escapes
    /// the next character: Envoy's `\"`, and OpenSSL's `\"` and `\\` in an RFC 2253 subject.
    fn quoted(&mut self) -> Result<&'a str, Reason> {
        let open = self.pos;
        self.pos += 1;
        let start = self.pos;
        loop {
            // The next quote or backslash (a `Cert` is a kilobyte of URL-encoded PEM: found by
            // SIMD search, not byte by byte).
            let rest = self.s.as_bytes().get(self.pos..).unwrap_or_default();
            let Some(at) = memchr::memchr2(b'"', b'\\', rest) else {
                return Err(Reason::UnterminatedQuote { position: open });
            };
            self.pos += at;
            match self.peek() {
                // The escaped byte is ASCII or a UTF-8 lead byte; continuation bytes are
                // never '"' or '\', so stepping over one byte is enough.
                Some(b'\\') => self.pos += 2,
                _ => break,
            }
        }
        let value = self.slice(start, self.pos);
        self.pos += 1;
        self.skip_ows();
        match self.peek() {
            None | Some(b';' | b',') => Ok(value),
            Some(_) => Err(Reason::AfterQuote {
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

    fn unquoted(&mut self) -> Result<&'a str, Reason> {
        let start = self.pos;
        let rest = self.s.as_bytes().get(start..).unwrap_or_default();
        self.pos += memchr::memchr3(b';', b',', b'"', rest).unwrap_or(rest.len());
        // A quote belongs at the start of a value, or escaped inside quotes.
        if self.peek() == Some(b'"') {
            return Err(Reason::QuoteInValue { position: self.pos });
        }
        Ok(trim_ows_end(self.slice(start, self.pos)))
    }
}
