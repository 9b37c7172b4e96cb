//! RFC 4518 string preparation, for caseIgnoreMatch and caseIgnoreIA5Match.
//!
//! RFC 4518 section 2: "The following six-step process SHALL be applied to each presented and
//! attribute value in preparation for character string matching rule evaluation. 1) Transcode
//! 2) Map 3) Normalize 4) Prohibit 5) Check bidi 6) Insignificant Character Handling."
//! "Failure in any step causes the assertion to evaluate to Undefined."
//!
//! The prepared form kept here is equivalent, for equality, to the RFC's: RFC 4518 section
//! 2.6.1 surrounds the string with one space and replaces inner runs of spaces with two; we
//! drop outer spaces and replace inner runs with one. Both map exactly the same inputs to
//! equal outputs.
//!
//! One deliberate deviation: RFC 4518 section 2.2 maps controls, format characters, ZERO
//! WIDTH SPACE, SOFT HYPHEN, variation selectors and a few more to nothing. For
//! authentication that turns a name issued to someone else (`ad<NUL>min`, `ad<U+200B>min`)
//! into the registered one, so here a value holding any of them is Undefined: it never
//! matches, and a registered value holding one is refused. The same goes for the controls
//! RFC 4518 maps to SPACE (TAB, LF, VT, FF, CR, NEL), wherever they are: at the edges they
//! would vanish (`admin<LF>` would match `admin`). The separators that are not controls
//! (NO-BREAK SPACE, the Zs, Zl and Zp characters) keep their mapping to SPACE.
//!
//! Case folding (RFC 3454 table B.2) and the prohibited tables (RFC 3454 A.1, C.3, C.4, C.5,
//! C.8) are this crate's own ([`super::rfc3454`]), NFKC comes from `unicode-normalization`;
//! both work without `std`, so every value is prepared the same way in every build.

use alloc::string::String;
use core::slice;
use core::str::Chars;

/// A value could not be prepared: RFC 4518 says the comparison is then Undefined, which this
/// crate treats as "no match".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Undefined;

/// How a character string value is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// PrintableString, IA5String, VisibleString: ASCII.
    Ascii,
    /// TeletexString, read as Latin-1 (RFC 4518 section 2.1 leaves it "a local matter").
    Latin1,
    /// UTF8String.
    Utf8,
    /// BMPString: UCS-2, big-endian.
    Ucs2,
    /// UniversalString: UCS-4, big-endian.
    Ucs4,
}

/// A validated character string value from a certificate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StringValue<'a> {
    pub(crate) encoding: Encoding,
    pub(crate) content: &'a [u8],
}

/// DER tags of the character string types names use.
pub(crate) mod tag {
    pub(crate) const UTF8: u8 = 0x0c;
    pub(crate) const PRINTABLE: u8 = 0x13;
    pub(crate) const TELETEX: u8 = 0x14;
    pub(crate) const IA5: u8 = 0x16;
    pub(crate) const VISIBLE: u8 = 0x1a;
    pub(crate) const UNIVERSAL: u8 = 0x1c;
    pub(crate) const BMP: u8 = 0x1e;
}

/// Whether `tag` is one of the character string types [`StringValue`] reads.
pub(crate) fn is_string_tag(t: u8) -> bool {
    matches!(
        t,
        tag::UTF8
            | tag::PRINTABLE
            | tag::TELETEX
            | tag::IA5
            | tag::VISIBLE
            | tag::UNIVERSAL
            | tag::BMP
    )
}

impl<'a> StringValue<'a> {
    /// Reads `content` as the string type `tag` names; `None` if the tag is not a string type
    /// or the content is not valid for it. PrintableString, IA5String and VisibleString are
    /// held to their X.680 repertoires: a value outside its repertoire is not a string of
    /// its type, so it never matches (and is shown as `#hex`).
    pub(crate) fn new(tag: u8, content: &'a [u8]) -> Option<Self> {
        let encoding = match tag {
            tag::PRINTABLE | tag::IA5 | tag::VISIBLE => {
                let in_repertoire: fn(&u8) -> bool = match tag {
                    tag::PRINTABLE => is_printable,
                    tag::VISIBLE => is_visible,
                    _ => u8::is_ascii,
                };
                if !content.iter().all(in_repertoire) {
                    return None;
                }
                Encoding::Ascii
            }
            tag::TELETEX => Encoding::Latin1,
            tag::UTF8 => {
                core::str::from_utf8(content).ok()?;
                Encoding::Utf8
            }
            tag::BMP => {
                if !content.len().is_multiple_of(2) {
                    return None;
                }
                // UCS-2 has no surrogates: a code unit in D800-DFFF is invalid.
                if content
                    .chunks_exact(2)
                    .any(|c| char::from_u32(ucs2(c)).is_none())
                {
                    return None;
                }
                Encoding::Ucs2
            }
            tag::UNIVERSAL => {
                if !content.len().is_multiple_of(4)
                    || content
                        .chunks_exact(4)
                        .any(|c| char::from_u32(ucs4(c)).is_none())
                {
                    return None;
                }
                Encoding::Ucs4
            }
            _ => return None,
        };
        Some(Self { encoding, content })
    }

    /// Whether every character is ASCII (the fast path applies).
    pub(crate) fn is_ascii(&self) -> bool {
        match self.encoding {
            Encoding::Ascii | Encoding::Latin1 | Encoding::Utf8 => self.content.is_ascii(),
            Encoding::Ucs2 => self.content.chunks_exact(2).all(|c| ucs2(c) < 0x80),
            Encoding::Ucs4 => self.content.chunks_exact(4).all(|c| ucs4(c) < 0x80),
        }
    }

    /// The characters of the value.
    pub(crate) fn chars(&self) -> ValueChars<'a> {
        match self.encoding {
            Encoding::Ascii | Encoding::Latin1 => ValueChars::Bytes(self.content.iter()),
            Encoding::Utf8 => ValueChars::Utf8(
                core::str::from_utf8(self.content)
                    .unwrap_or_default()
                    .chars(),
            ),
            Encoding::Ucs2 => ValueChars::Ucs2(self.content.chunks_exact(2)),
            Encoding::Ucs4 => ValueChars::Ucs4(self.content.chunks_exact(4)),
        }
    }
}

/// The X.680 PrintableString repertoire: `A-Z a-z 0-9 (space) ' ( ) + , - . / : = ?`.
fn is_printable(b: &u8) -> bool {
    matches!(b, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b' ' | b'\'' | b'(' | b')' | b'+'
        | b',' | b'-' | b'.' | b'/' | b':' | b'=' | b'?')
}

/// The X.680 VisibleString repertoire: the graphic characters of ISO 646 and space, 0x20
/// to 0x7E.
fn is_visible(b: &u8) -> bool {
    matches!(b, 0x20..=0x7e)
}

fn ucs2(c: &[u8]) -> u32 {
    c.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
}

fn ucs4(c: &[u8]) -> u32 {
    c.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
}

/// The characters of a [`StringValue`].
#[derive(Debug, Clone)]
pub(crate) enum ValueChars<'a> {
    Bytes(slice::Iter<'a, u8>),
    Utf8(Chars<'a>),
    Ucs2(slice::ChunksExact<'a, u8>),
    Ucs4(slice::ChunksExact<'a, u8>),
}

impl Iterator for ValueChars<'_> {
    type Item = char;
    fn next(&mut self) -> Option<char> {
        // Invalid code points were rejected by `StringValue::new`; U+FFFD is prohibited by
        // RFC 4518 section 2.4, so a replacement can never produce a match.
        match self {
            Self::Bytes(it) => it.next().map(|b| char::from(*b)),
            Self::Utf8(it) => it.next(),
            Self::Ucs2(it) => it
                .next()
                .map(|c| char::from_u32(ucs2(c)).unwrap_or('\u{fffd}')),
            Self::Ucs4(it) => it
                .next()
                .map(|c| char::from_u32(ucs4(c)).unwrap_or('\u{fffd}')),
        }
    }
}

/// RFC 4518 section 2.2: "SOFT HYPHEN (U+00AD) and MONGOLIAN TODO SOFT HYPHEN (U+1806) code
/// points are mapped to nothing. COMBINING GRAPHEME JOINER (U+034F) and VARIATION SELECTORs
/// (U+180B-180D, FF00-FE0F) code points are also mapped to nothing. The OBJECT REPLACEMENT
/// CHARACTER (U+FFFC) is mapped to nothing." ... "All other control code (e.g., Cc) points or
/// code points with a control function (e.g., Cf) are mapped to nothing. The following is a
/// complete list of these code points: U+0000-0008, 000E-001F, 007F-0084, 0086-009F, 06DD,
/// 070F, 180E, 200C-200F, 202A-202E, 2060-2063, 206A-206F, FEFF, FFF9-FFFB, 1D173-1D17A,
/// E0001, E0020-E007F." "ZERO WIDTH SPACE (U+200B) is mapped to nothing."
///
/// This crate does not map these to nothing: a value holding one is Undefined (see
/// [`MappedChars`] and [`map_ascii`]), and a registered value holding one is refused.
pub(crate) fn is_mapped_to_nothing(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{1806}' | '\u{034F}' | '\u{180B}'..='\u{180D}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{FFFC}' | '\u{0000}'..='\u{0008}' | '\u{000E}'..='\u{001F}' | '\u{007F}'..='\u{0084}'
        | '\u{0086}'..='\u{009F}' | '\u{06DD}' | '\u{070F}' | '\u{180E}' | '\u{200C}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2063}' | '\u{206A}'..='\u{206F}' | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0001}'
        | '\u{E0020}'..='\u{E007F}' | '\u{200B}')
}

/// Whether a character makes a value Undefined here where RFC 4518 section 2.2 would map it
/// away: the characters mapped to nothing, and the controls mapped to SPACE (TAB, LF, VT,
/// FF, CR, NEL). See the module comment.
pub(crate) fn fails_closed(c: char) -> bool {
    is_mapped_to_nothing(c) || matches!(c, '\u{0009}'..='\u{000D}' | '\u{0085}')
}

/// RFC 4518 section 2.2: "CHARACTER TABULATION (U+0009), LINE FEED (LF) (U+000A), LINE
/// TABULATION (U+000B), FORM FEED (FF) (U+000C), CARRIAGE RETURN (CR) (U+000D), and NEXT LINE
/// (NEL) (U+0085) are mapped to SPACE (U+0020)." ... "All other code points with Separator
/// (space, line, or paragraph) property (e.g., Zs, Zl, or Zp) are mapped to SPACE. The
/// following is a complete list of these code points: U+0020, 00A0, 1680, 2000-200A,
/// 2028-2029, 202F, 205F, 3000."
fn is_mapped_to_space(c: char) -> bool {
    matches!(c,
        '\u{0009}'..='\u{000D}' | '\u{0085}' | '\u{0020}' | '\u{00A0}' | '\u{1680}'
        | '\u{2000}'..='\u{200A}' | '\u{2028}'..='\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}')
}

/// The RFC 4518 Map step for one ASCII byte, with case folding.
fn map_ascii(b: u8) -> Result<u8, Undefined> {
    match b {
        b' ' => Ok(b' '),
        // "All other control code (e.g., Cc) points ... are mapped to nothing." Deliberately
        // not: a value that differs from another only in invisible characters is another
        // subscriber's name (`ad<NUL>min` is not `admin`), so the comparison is Undefined.
        // Nor are TAB, LF, VT, FF and CR "mapped to SPACE": a trailing one would vanish with
        // the insignificant spaces (`admin<LF>` is not `admin`).
        0x00..=0x1f | 0x7f => Err(Undefined),
        _ => Ok(b.to_ascii_lowercase()),
    }
}

/// The prepared form of an ASCII value, produced lazily without allocating: the fast path.
/// Equal to [`prepare`] of the same characters: each item is a byte of the prepared form, or
/// `Err(Undefined)` where a control character stops preparation (nothing follows an error).
#[derive(Debug, Clone)]
pub(crate) struct AsciiPrepared<I> {
    inner: I,
    started: bool,
    pending_space: bool,
    held: Option<u8>,
    failed: bool,
}

impl<I: Iterator<Item = u8>> AsciiPrepared<I> {
    pub(crate) fn new(inner: I) -> Self {
        Self {
            inner,
            started: false,
            pending_space: false,
            held: None,
            failed: false,
        }
    }
}

impl<I: Iterator<Item = u8>> Iterator for AsciiPrepared<I> {
    type Item = Result<u8, Undefined>;
    fn next(&mut self) -> Option<Self::Item> {
        if let Some(b) = self.held.take() {
            return Some(Ok(b));
        }
        if self.failed {
            return None;
        }
        loop {
            // RFC 4518 section 2.6.1: trailing spaces vanish at the end of input.
            match map_ascii(self.inner.next()?) {
                Err(undefined) => {
                    self.failed = true;
                    return Some(Err(undefined));
                }
                Ok(b' ') => {
                    // Leading spaces are insignificant; inner runs collapse to one.
                    if self.started {
                        self.pending_space = true;
                    }
                }
                Ok(b) => {
                    self.started = true;
                    if self.pending_space {
                        self.pending_space = false;
                        self.held = Some(b);
                        return Some(Ok(b' '));
                    }
                    return Some(Ok(b));
                }
            }
        }
    }
}

/// Prepares a value for caseIgnoreMatch (RFC 4518 steps 2-6 on already transcoded
/// characters). ASCII input takes the fast path.
pub(crate) fn prepare(chars: impl Iterator<Item = char> + Clone) -> Result<String, Undefined> {
    if chars.clone().all(|c| c.is_ascii()) {
        // ASCII checked above; U+007F is "mapped to nothing", so the fallback is Undefined too.
        let bytes = chars.map(|c| u8::try_from(u32::from(c)).unwrap_or(0x7f));
        return AsciiPrepared::new(bytes)
            .map(|b| b.map(char::from))
            .collect();
    }
    prepare_unicode(chars)
}

fn prepare_unicode(chars: impl Iterator<Item = char> + Clone) -> Result<String, Undefined> {
    UnicodePrepared::new(chars).collect()
}

/// Step 2, Map, with "case folded per B.2 of [RFC3454]": the mapped characters of a value,
/// one at a time.
///
/// A character RFC 4518 maps to nothing is mapped to [`UNDEFINED`] instead, which step 4
/// prohibits: the value is then Undefined, as the deviation in [`map_ascii`] explains.
#[derive(Debug, Clone)]
struct MappedChars<I> {
    inner: I,
    /// The rest of a multi-character case folding (`ß` to `ss`).
    folded: Chars<'static>,
}

/// What a character RFC 4518 maps to nothing maps to here: the REPLACEMENT CHARACTER, which
/// RFC 4518 section 2.4 prohibits, and which Unicode normalization leaves as it is.
const UNDEFINED: char = '\u{FFFD}';

impl<I: Iterator<Item = char>> MappedChars<I> {
    fn new(inner: I) -> Self {
        Self {
            inner,
            folded: "".chars(),
        }
    }
}

impl<I: Iterator<Item = char>> Iterator for MappedChars<I> {
    type Item = char;
    #[inline]
    fn next(&mut self) -> Option<char> {
        if let Some(c) = self.folded.next() {
            return Some(c);
        }
        let c = self.inner.next()?;
        if c.is_ascii() {
            // The ASCII rows of the same rules, without table lookups.
            return Some(map_ascii(c as u8).map_or(UNDEFINED, char::from));
        }
        if fails_closed(c) {
            // "... are mapped to nothing", and NEXT LINE "mapped to SPACE": deliberately not
            // (see `map_ascii`).
            return Some(UNDEFINED);
        }
        if is_mapped_to_space(c) {
            return Some(' ');
        }
        match super::rfc3454::case_fold_for_nfkc(c) {
            Some(folded) => {
                self.folded = folded.chars();
                self.folded.next()
            }
            None => Some(c),
        }
    }
}

/// Step 3, Normalize, skipped when a quick check already proves the mapped characters are in
/// Form KC (UAX #15 section 9: "Yes" means the text is normalized).
enum Normalized<I: Iterator<Item = char>> {
    /// Already NFKC: the mapped characters as they are.
    AlreadyNfkc(MappedChars<I>),
    /// Normalized on the fly.
    Nfkc(unicode_normalization::Recompositions<MappedChars<I>>),
}

impl<I: Iterator<Item = char>> Iterator for Normalized<I> {
    type Item = char;
    fn next(&mut self) -> Option<char> {
        match self {
            Self::AlreadyNfkc(chars) => chars.next(),
            Self::Nfkc(chars) => chars.next(),
        }
    }
}

/// RFC 4518 steps 2 to 6 on any characters, produced lazily without allocating: each item is
/// a character of the prepared form, or `Err(Undefined)` where a prohibited character stops
/// preparation (nothing follows an error).
///
/// Step 3, Normalize: "the input string is to be normalized to Unicode Form KC". Step 4,
/// Prohibit: "unassigned code points", "characters listed in Table C.3 (Private Use)", "C.4
/// (Non-character code points)", "C.5 (Surrogate codes)", "C.8 (Change display properties or
/// deprecated)", and "the REPLACEMENT CHARACTER (U+FFFD)". Step 5, Check bidi:
/// "Bidirectional characters are ignored." Step 6, Insignificant Space Handling (see the
/// module comment for the equivalence).
pub(crate) struct UnicodePrepared<I: Iterator<Item = char> + Clone> {
    inner: Normalized<I>,
    started: bool,
    pending_space: bool,
    held: Option<char>,
    failed: bool,
}

impl<I: Iterator<Item = char> + Clone> UnicodePrepared<I> {
    pub(crate) fn new(chars: I) -> Self {
        use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};
        let mapped = MappedChars::new(chars);
        // The quick check costs a table lookup per character; normalizing costs a
        // decomposition, a sort of combining marks and a recomposition.
        let inner = match is_nfkc_quick(mapped.clone()) {
            IsNormalized::Yes => Normalized::AlreadyNfkc(mapped),
            IsNormalized::No | IsNormalized::Maybe => Normalized::Nfkc(mapped.nfkc()),
        };
        Self {
            inner,
            started: false,
            pending_space: false,
            held: None,
            failed: false,
        }
    }
}

impl<I: Iterator<Item = char> + Clone> Iterator for UnicodePrepared<I> {
    type Item = Result<char, Undefined>;
    fn next(&mut self) -> Option<Self::Item> {
        if let Some(c) = self.held.take() {
            return Some(Ok(c));
        }
        if self.failed {
            return None;
        }
        loop {
            let c = self.inner.next()?;
            if super::rfc3454::is_prohibited(c) {
                // "Failure in any step causes the assertion to evaluate to Undefined."
                self.failed = true;
                return Some(Err(Undefined));
            }
            if c == ' ' {
                // Leading spaces are insignificant; inner runs collapse to one; trailing
                // spaces vanish at the end of input.
                if self.started {
                    self.pending_space = true;
                }
                continue;
            }
            self.started = true;
            if self.pending_space {
                self.pending_space = false;
                self.held = Some(c);
                return Some(Ok(' '));
            }
            return Some(Ok(c));
        }
    }
}

/// caseIgnoreMatch of a prepared registered value against a certificate value. `Err` when
/// the certificate value cannot be prepared. Allocates nothing (except when NFKC has to
/// buffer a run of more than a few combining marks, which `unicode-normalization` spills to
/// the heap).
pub(crate) fn case_ignore_eq(prepared: &str, value: &StringValue<'_>) -> Result<bool, Undefined> {
    if value.is_ascii() {
        let theirs = AsciiPrepared::new(value.chars().map(|c| {
            // ASCII checked above; U+007F is Undefined, like any other control character.
            u8::try_from(u32::from(c)).unwrap_or(0x7f)
        }));
        return eq_prepared(theirs, prepared.bytes());
    }
    eq_prepared(UnicodePrepared::new(value.chars()), prepared.chars())
}

/// caseIgnoreIA5Match (RFC 4517 section 4.2.7) of a prepared registered value against a
/// certificate value: "The caseIgnoreIA5Match rule compares an assertion value of the IA5
/// String syntax to an attribute value of a syntax (e.g., the IA5 String syntax) whose
/// corresponding ASN.1 type is IA5String." A value with a character outside IA5 (ASCII) is
/// not of that syntax, whatever its string type: Undefined, never folded by NFKC into ASCII
/// (fullwidth `ｃｏｍ` is not `com`).
pub(crate) fn case_ignore_ia5_eq(
    prepared: &str,
    value: &StringValue<'_>,
) -> Result<bool, Undefined> {
    if !value.is_ascii() {
        return Err(Undefined);
    }
    case_ignore_eq(prepared, value)
}

/// Compares a certificate value as it is prepared with a prepared registered value, without
/// allocating. A value that cannot be prepared is Undefined even where it already differs,
/// as if prepared in full first.
fn eq_prepared<T: PartialEq>(
    mut theirs: impl Iterator<Item = Result<T, Undefined>>,
    mut ours: impl Iterator<Item = T>,
) -> Result<bool, Undefined> {
    loop {
        match (theirs.next(), ours.next()) {
            (None, None) => return Ok(true),
            (Some(Err(undefined)), _) => return Err(undefined),
            (Some(Ok(a)), Some(b)) if a == b => {}
            _ => {
                return if theirs.any(|c| c.is_err()) {
                    Err(Undefined)
                } else {
                    Ok(false)
                };
            }
        }
    }
}

#[cfg(test)]
mod tests;
