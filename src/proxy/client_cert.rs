//! RFC 9440 `Client-Cert` and `Client-Cert-Chain`: the DER certificate as an RFC 8941 Byte
//! Sequence.
//!
//! RFC 9440 section 2.1: "the binary DER certificate is encoded using base64 (without line
//! breaks, spaces, or other characters outside the base64 alphabet) and delimited with colons
//! on either side." RFC 8941 section 3.3.5: `sf-binary = ":" *(base64) ":"`.
//!
//! The functions here hand out DER bytes, never a certificate: that takes a
//! [`TrustedProxy`](super::TrustedProxy).

use alloc::vec::Vec;

use super::base64;
use super::error::{Reason, escape_for_display};
use super::{MAX_CHAIN_LEN, check_size};

/// Decodes a `Client-Cert` value to the DER bytes it carries.
///
/// Accepts: spaces and tabs around the value (an HTTP library may leave them), `=` padding
/// or none, non-zero pad bits, RFC 8941 parameters after the item (RFC 9440 defines none;
/// they are ignored). Rejects: anything but one Byte Sequence, characters outside the base64
/// alphabet, line breaks, a list of values.
pub(crate) fn decode(value: &[u8]) -> Result<Vec<u8>, Reason> {
    let mut cur = Cursor::new(value);
    cur.skip_ows();
    if cur.at_end() {
        return Err(Reason::Empty);
    }
    let der = cur.byte_sequence()?;
    cur.parameters()?;
    cur.skip_ows();
    match cur.peek() {
        None => Ok(der),
        Some(b',') => Err(Reason::MultipleValues),
        Some(b) => Err(Reason::TrailingCharacters {
            position: cur.pos,
            found: escape_for_display(&[b], 1),
        }),
    }
}

/// Decodes the `Client-Cert-Chain` field lines of one request, in order, to the DER of each
/// certificate (the leaf's issuer first; RFC 9440 section 2.3: the list "does not itself
/// include the end-entity certificate"). Several lines are one list (RFC 8941 section 4.2:
/// field lines are combined with commas). No lines, or empty lines, give an empty chain. The
/// lines together are bounded as one value, checked as each line is added.
pub(crate) fn decode_chain<I, V>(lines: I) -> Result<Vec<Vec<u8>>, Reason>
where
    I: IntoIterator<Item = V>,
    V: AsRef<[u8]>,
{
    let mut chain = Vec::new();
    let mut total = 0usize;
    for line in lines {
        let line = line.as_ref();
        total = total.saturating_add(line.len());
        check_size(total)?;
        let mut cur = Cursor::new(line);
        cur.skip_ows();
        while !cur.at_end() {
            let index = chain.len();
            if index >= MAX_CHAIN_LEN {
                return Err(Reason::TooManyCertificates);
            }
            if cur.peek() != Some(b':') {
                // An inner list `(…)`, a token, a string: not a certificate.
                return Err(Reason::ChainMemberNotByteSequence { index });
            }
            let member = cur
                .byte_sequence()
                .and_then(|der| cur.parameters().map(|()| der))
                .map_err(|reason| Reason::ChainMember {
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
                        return Err(Reason::TrailingComma);
                    }
                }
                Some(b) => {
                    return Err(Reason::TrailingCharacters {
                        position: cur.pos,
                        found: escape_for_display(&[b], 1),
                    });
                }
            }
        }
    }
    Ok(chain)
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
    fn byte_sequence(&mut self) -> Result<Vec<u8>, Reason> {
        // "If the first character of input_string is not ":", fail parsing."
        match self.peek() {
            Some(b':') => self.pos += 1,
            Some(b) => {
                return Err(Reason::NotAByteSequence {
                    found: escape_for_display(&[b], 1),
                });
            }
            None => return Err(Reason::Empty),
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
            .ok_or(Reason::Unterminated)?;
        let b64 = self.rest().get(..len).unwrap_or_default();
        self.pos += len + 1;
        base64::decode(b64).map_err(|e| base64::reason(e, start))
    }

    /// RFC 8941 section 4.2.3.2, Parsing Parameters: validated, then ignored (RFC 9440
    /// defines none).
    fn parameters(&mut self) -> Result<(), Reason> {
        while self.peek() == Some(b';') {
            self.pos += 1;
            self.skip_sp();
            let at = self.pos;
            let bad = Reason::InvalidParameter { position: at };
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
    use alloc::vec;

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
                matches!(decode(bad), Err(Reason::InvalidParameter { .. })),
                "{:?}",
                core::str::from_utf8(bad)
            );
        }
    }

    #[test]
    fn rejections_are_named() {
        use Reason::*;
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
    }

    #[test]
    fn chain_lists() {
        use Reason::*;
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
        assert_eq!(decode_chain([long]), Err(TooManyCertificates));
    }
}
