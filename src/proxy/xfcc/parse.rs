//! The XFCC grammar, read as Envoy writes it: elements, key-value pairs, quoting.

use alloc::vec::Vec;

use super::super::error::{Reason, escape_for_display};
use super::{ENVOY_ORDER, MAX_ELEMENTS, MAX_PAIRS, RAW_CLIENT_KEYS, SINGLE_KEYS};

/// A parsed XFCC value: at least one element, in header order, split with certainty (see
/// [the module docs](self#what-envoy-really-writes)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Xfcc<'a> {
    /// Never empty.
    elements: Vec<XfccElement<'a>>,
}

static NO_ELEMENT: XfccElement<'static> = XfccElement { pairs: Vec::new() };

/// One XFCC element: the key-value pairs one proxy added, in order. Values are the text as
/// written: without the surrounding quotes, escapes kept (a `Subject` is OpenSSL's RFC 2253
/// string).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct XfccElement<'a> {
    pairs: Vec<Pair<'a>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Pair<'a> {
    key: &'a str,
    /// The key's place in [`ENVOY_ORDER`], when it is one of Envoy's keys (read once).
    envoy: Option<usize>,
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
        if value.trim_matches([' ', '\t']).is_empty() {
            return Err(Reason::Empty);
        }
        let mut p = Parser { s: value, pos: 0 };
        let mut elements: Vec<XfccElement<'a>> = Vec::new();
        // Envoy writes up to seven keys (more with several SANs): room for them at once.
        let mut current = XfccElement::with_room();
        loop {
            let pair = p.pair()?;
            let element = elements.len();
            if current.pairs.len() >= MAX_PAIRS {
                return Err(Reason::TooManyPairs { element });
            }
            if let Some(single) = pair.envoy.and_then(|i| envoy_key_in(i, &SINGLE_KEYS))
                && current.pairs.iter().any(|p| p.envoy == pair.envoy)
            {
                return Err(Reason::DuplicateKey {
                    element,
                    key: single,
                });
            }
            current.pairs.push(pair);
            match p.next_byte() {
                None => break,
                Some(b';') => {}
                Some(_) => {
                    // A comma: this proxy's element ends (where an element holding a raw
                    // client value really ends is the caller's check: `earlier`).
                    elements.push(core::mem::replace(&mut current, XfccElement::with_room()));
                    if elements.len() >= MAX_ELEMENTS {
                        return Err(Reason::TooManyElements);
                    }
                }
            }
        }
        current.check_envoy_order()?;
        elements.push(current);
        Ok(Self { elements })
    }

    /// The elements, in header order (the nearest proxy's last).
    #[cfg(test)]
    pub(crate) fn elements(&self) -> &[XfccElement<'a>] {
        &self.elements
    }

    /// The elements before the last, in header order.
    pub(crate) fn earlier(&self) -> &[XfccElement<'a>] {
        self.elements
            .split_last()
            .map_or(&[][..], |(_, earlier)| earlier)
    }

    /// The last element: the one the nearest proxy appended, the only one to trust when the
    /// immediate peer is the trusted proxy.
    pub(crate) fn last(&self) -> &XfccElement<'a> {
        self.elements.last().unwrap_or(&NO_ELEMENT)
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

/// The place of `key` in [`ENVOY_ORDER`] (keys are case-insensitive).
fn envoy_index(key: &str) -> Option<usize> {
    ENVOY_ORDER.iter().position(|k| k.eq_ignore_ascii_case(key))
}

/// The Envoy spelling of the key at `index` of [`ENVOY_ORDER`] if it is one of `keys`.
fn envoy_key_in(index: usize, keys: &[&'static str]) -> Option<&'static str> {
    let key = ENVOY_ORDER.get(index)?;
    keys.contains(key).then_some(*key)
}

impl XfccElement<'_> {
    /// An empty element with room for Envoy's keys.
    fn with_room() -> Self {
        Self {
            pairs: Vec::with_capacity(8),
        }
    }

    /// The first key of the element whose value Envoy writes raw from the client certificate
    /// (`URI`, `DNS`), as Envoy spells it.
    pub(crate) fn raw_client_key(&self) -> Option<&'static str> {
        self.pairs
            .iter()
            .find_map(|p| p.envoy.and_then(|i| envoy_key_in(i, &RAW_CLIENT_KEYS)))
    }

    /// The last element is the current hop's, written by Envoy: only Envoy's keys, in
    /// Envoy's order.
    fn check_envoy_order(&self) -> Result<(), Reason> {
        let mut rank = 0;
        for pair in &self.pairs {
            let Some((next, key)) = pair.envoy.and_then(|i| Some((i, *ENVOY_ORDER.get(i)?))) else {
                return Err(Reason::NotEnvoyKey {
                    position: pair.position,
                });
            };
            if next < rank {
                return Err(Reason::OutOfOrder {
                    key,
                    position: pair.position,
                });
            }
            rank = next;
        }
        Ok(())
    }

    /// The value of the first pair whose key equals `key`, ignoring ASCII case.
    pub(crate) fn get<'s>(&'s self, key: &'s str) -> Option<&'s str> {
        self.get_all(key).next()
    }

    /// The values of every pair whose key equals `key`, ignoring ASCII case.
    pub(crate) fn get_all<'s>(&'s self, key: &'s str) -> impl Iterator<Item = &'s str> + 's {
        // Envoy's keys by their place, read once per pair; any other key by its text.
        let envoy = envoy_index(key);
        self.pairs
            .iter()
            .filter(move |p| match envoy {
                Some(_) => p.envoy == envoy,
                None => p.key.eq_ignore_ascii_case(key),
            })
            .map(|p| p.value)
    }

    /// `By` values: the URI SANs of the proxy that added the element, one pair each.
    #[cfg(test)]
    pub(crate) fn by(&self) -> impl Iterator<Item = &str> {
        self.get_all("By")
    }

    /// `Hash`: the hex SHA-256 of the client certificate, as sent.
    pub(crate) fn hash(&self) -> Option<&str> {
        self.get("Hash")
    }

    /// `Cert`: the URL-encoded PEM of the client certificate, as sent (quotes removed).
    pub(crate) fn cert(&self) -> Option<&str> {
        self.get("Cert")
    }

    /// `Chain`: the URL-encoded PEM chain, leaf included, as sent.
    pub(crate) fn chain(&self) -> Option<&str> {
        self.get("Chain")
    }

    /// `Subject`, as sent (OpenSSL's RFC 2253 escapes kept): informational only; match DNs
    /// on the parsed certificate.
    #[cfg(test)]
    pub(crate) fn subject(&self) -> Option<&str> {
        self.get("Subject")
    }

    /// `URI` values: the client certificate's URI SANs as Envoy wrote them, unquoted.
    /// Informational only: a SAN holding `;` reads as several values.
    #[cfg(test)]
    pub(crate) fn uri(&self) -> impl Iterator<Item = &str> {
        self.get_all("URI")
    }

    /// `DNS` values: the client certificate's DNS SANs, one pair each. Informational only,
    /// as [`uri`](Self::uri).
    #[cfg(test)]
    pub(crate) fn dns(&self) -> impl Iterator<Item = &str> {
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
        let key = self.slice(start, start + token);
        self.pos += 1;
        self.skip_ows();
        let value = if self.peek() == Some(b'"') {
            self.quoted()?
        } else {
            self.unquoted()?
        };
        Ok(Pair {
            key,
            envoy: envoy_index(key),
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
