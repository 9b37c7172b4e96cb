//! The fast path of [`read_cnf`](super::read_cnf): a strict JSON scanner (RFC 8259) that finds
//! the top-level `cnf` member and its `x5t#S256` string without allocating and without
//! serde's per-member machinery.
//!
//! It handles the documents an authorization server actually issues: strings without
//! escapes, integers and plain decimals, nesting up to [`MAX_DEPTH`]. It accepts a subset of
//! what serde_json accepts, and on that subset reaches the same verdict. Everything else
//! (escapes, exponents, long integers, deep nesting, and every syntax error) makes it answer
//! `None`, and serde_json reads the document instead: it decides the edge cases and reports
//! the line and column of a syntax error.

use super::super::{Found, X5T_S256, X5tS256Error, parse_x5t};
use super::ClaimsError;

/// The deepest nesting the scanner follows, counting the claims object itself; deeper
/// documents go to serde_json (whose own limit is 127). The open containers are a bit stack
/// in a `u64`.
pub(super) const MAX_DEPTH: u32 = 63;

/// The most integer digits of a number the scanner accepts: 18 digits always fit serde_json's
/// `u64`/`i64`, so serde_json cannot reject such a number as out of range.
const MAX_INTEGER_DIGITS: usize = 18;

/// Reads `cnf` from a claims document, or `None` when serde_json must decide.
pub(super) fn read_cnf(doc: &[u8]) -> Option<Result<Found, ClaimsError>> {
    let mut s = Scanner { doc, pos: 0 };
    s.ws();
    s.eat(b'{')?;
    let mut cnf: Option<Result<Found, ClaimsError>> = None;
    let mut duplicate = false;
    s.ws();
    if !s.eat_if(b'}') {
        loop {
            let key = s.key()?;
            if key == b"cnf" {
                let seen = s.cnf_value()?;
                duplicate |= cnf.is_some();
                cnf = Some(seen);
            } else {
                s.skip_value(1)?;
            }
            if s.end_of_member()? {
                break;
            }
        }
    }
    // Only whitespace may follow the object (serde_json's `end`).
    s.ws();
    if s.pos != doc.len() {
        return None;
    }
    if duplicate {
        // A member that decides the binding, named twice: readers could disagree.
        return Some(Err(ClaimsError::DuplicateMember("cnf")));
    }
    Some(cnf.unwrap_or(Ok(Found::NoCnf)))
}

/// The length of the prefix of `bytes` that is printable ASCII other than `"` and `\\`: the
/// plain content of a JSON string. Eight bytes per step (SWAR, without `unsafe`): each step
/// computes an exact mask of the bytes that end the run, so the first one is found with
/// `trailing_zeros`, without a byte-by-byte pass.
fn plain_ascii_len(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = ONES * 0x80;
    const LOWS: u64 = ONES * 0x7f;
    // The high bit of each byte of the result is set exactly where that byte of `x` is below
    // `n` (`n` ≤ 0x80): the low seven bits plus `0x80 - n` carry into the high bit unless
    // the byte is below `n`, and no sum carries out of its byte.
    let below = |x: u64, n: u8| !(((x & LOWS) + ONES * u64::from(0x80 - n)) | x) & HIGHS;
    let (words, tail) = bytes.as_chunks::<8>();
    for (word, at) in words.iter().zip((0..).step_by(8)) {
        let x = u64::from_le_bytes(*word);
        // A byte equal to `c` is a byte of `x ^ c` below 1.
        let stop = below(x ^ (ONES * u64::from(b'"')), 1)
            | below(x ^ (ONES * u64::from(b'\\')), 1)
            | below(x, 0x20)
            // A byte of 0x80 or above: not ASCII.
            | (x & HIGHS);
        if stop != 0 {
            // Little-endian: the lowest set bit belongs to the first byte that stops.
            return at + (stop.trailing_zeros() / 8) as usize;
        }
    }
    let is_plain = |b: &u8| (0x20..0x80).contains(b) && *b != b'"' && *b != b'\\';
    bytes.len() - tail.len() + tail.iter().take_while(|b| is_plain(b)).count()
}

/// A position in the document. Every method returns `None` for input it does not handle.
struct Scanner<'a> {
    doc: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.doc.get(self.pos).copied()
    }

    /// JSON whitespace: exactly the four characters of RFC 8259 section 2.
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.eat_if(b).then_some(())
    }

    fn eat_if(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        if hit {
            self.pos += 1;
        }
        hit
    }

    /// A member name and the `:` after it (whitespace around both skipped).
    fn key(&mut self) -> Option<&'a [u8]> {
        let key = self.string()?;
        self.ws();
        self.eat(b':')?;
        self.ws();
        Some(key)
    }

    /// After a member's value: `true` at the closing `}`, `false` after a `,` (the next
    /// member name must follow: a trailing comma is a syntax error).
    fn end_of_member(&mut self) -> Option<bool> {
        self.ws();
        match self.peek()? {
            b'}' => {
                self.pos += 1;
                Some(true)
            }
            b',' => {
                self.pos += 1;
                self.ws();
                Some(false)
            }
            _ => None,
        }
    }

    /// A string without escapes: its content, checked as UTF-8 (serde_json checks every
    /// string it reads, skipped or not). A control character is a syntax error; an escape is
    /// serde_json's to decode. Printable ASCII, the usual content, is scanned eight bytes at
    /// a time and needs no further check.
    #[inline]
    fn string(&mut self) -> Option<&'a [u8]> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.pos + 1;
        let rest = self.doc.get(start..)?;
        let len = plain_ascii_len(rest);
        if rest.get(len) == Some(&b'"') {
            self.pos = start + len + 1;
            return rest.get(..len);
        }
        self.non_ascii_string(start)
    }

    /// The rest of [`string`](Self::string): content with bytes above 0x7f, checked as UTF-8.
    #[cold]
    #[inline(never)]
    fn non_ascii_string(&mut self, start: usize) -> Option<&'a [u8]> {
        let rest = self.doc.get(start..)?;
        let len = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        let (content, after) = rest.split_at_checked(len)?;
        if after.first() != Some(&b'"') {
            return None;
        }
        core::str::from_utf8(content).ok()?;
        self.pos = start + len + 1;
        Some(content)
    }

    /// A number: `-`? (`0` | `[1-9][0-9]*`) (`.` `[0-9]+`)?, at most [`MAX_INTEGER_DIGITS`]
    /// integer digits, no exponent. Whatever follows is checked by the caller (so `01` fails
    /// there, as in serde_json).
    fn number(&mut self) -> Option<()> {
        self.eat_if(b'-');
        let leading_zero = self.peek() == Some(b'0');
        let int = self.digits();
        if int == 0 || int > MAX_INTEGER_DIGITS || (leading_zero && int > 1) {
            return None;
        }
        if self.eat_if(b'.') && self.digits() == 0 {
            return None;
        }
        // An exponent can overflow an f64, which serde_json rejects: let it decide.
        match self.peek() {
            Some(b'e' | b'E') => None,
            _ => Some(()),
        }
    }

    fn digits(&mut self) -> usize {
        let n = self
            .doc
            .get(self.pos..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        self.pos += n;
        n
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let rest = self.doc.get(self.pos..)?;
        if !rest.starts_with(word) {
            return None;
        }
        self.pos += word.len();
        Some(())
    }

    /// Skips one value (nested containers included) that starts at `depth`, the nesting of
    /// the container holding it. Containers are followed without recursion: bit `i` of
    /// `objects` tells whether the `i`-th open container is an object.
    fn skip_value(&mut self, depth: u32) -> Option<()> {
        let base = depth;
        let mut depth = depth;
        let mut objects = 0u64;
        loop {
            // A value starts here.
            match self.peek()? {
                open @ (b'{' | b'[') => {
                    self.pos += 1;
                    self.ws();
                    let close = if open == b'{' { b'}' } else { b']' };
                    if !self.eat_if(close) {
                        if depth >= MAX_DEPTH {
                            return None;
                        }
                        let bit = 1u64 << depth;
                        depth += 1;
                        if open == b'{' {
                            objects |= bit;
                            self.key()?;
                        } else {
                            objects &= !bit;
                        }
                        continue;
                    }
                }
                b'"' => {
                    self.string()?;
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            // A value ended: close the containers it ends, or move to the next element.
            loop {
                if depth == base {
                    return Some(());
                }
                let in_object = objects & (1u64 << (depth - 1)) != 0;
                self.ws();
                match self.peek()? {
                    b',' => {
                        self.pos += 1;
                        self.ws();
                        if in_object {
                            self.key()?;
                        }
                        break;
                    }
                    b'}' if in_object => {
                        self.pos += 1;
                        depth -= 1;
                    }
                    b']' if !in_object => {
                        self.pos += 1;
                        depth -= 1;
                    }
                    _ => return None,
                }
            }
        }
    }

    /// The `cnf` value: an object (searched for `x5t#S256`), `null` (no cnf), or anything
    /// else (not an object).
    fn cnf_value(&mut self) -> Option<Result<Found, ClaimsError>> {
        match self.peek()? {
            b'{' => {}
            // `"cnf": null` is no cnf, as for `Option<Confirmation>`.
            b'n' => {
                self.literal(b"null")?;
                return Some(Ok(Found::NoCnf));
            }
            _ => {
                self.skip_value(1)?;
                return Some(Err(ClaimsError::CnfNotAnObject));
            }
        }
        self.pos += 1;
        self.ws();
        let mut x5t: Option<Result<_, X5tS256Error>> = None;
        let mut duplicate = false;
        if !self.eat_if(b'}') {
            loop {
                let key = self.key()?;
                if key == X5T_S256.as_bytes() {
                    let seen = if self.peek() == Some(b'"') {
                        // Already checked as UTF-8: the conversion cannot fail.
                        parse_x5t(core::str::from_utf8(self.string()?).ok()?)
                    } else {
                        self.skip_value(2)?;
                        Err(X5tS256Error::NotAString)
                    };
                    duplicate |= x5t.is_some();
                    x5t = Some(seen);
                } else {
                    // Other confirmation members (`jkt`, `jwk`, ...) do not bind to a
                    // certificate.
                    self.skip_value(2)?;
                }
                if self.end_of_member()? {
                    break;
                }
            }
        }
        Some(match (duplicate, x5t) {
            (true, _) => Err(ClaimsError::DuplicateMember(X5T_S256)),
            (false, None) => Ok(Found::NoX5t),
            (false, Some(Ok(t))) => Ok(Found::Thumbprint(t)),
            (false, Some(Err(e))) => Ok(Found::Malformed(e)),
        })
    }
}
