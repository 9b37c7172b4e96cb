//! The crate's one DER reader: every certificate, name, SAN and SPKI the crate reads is
//! framed by [`Tlv::read`].
//!
//! X.690 section 10.1: "The definite form of length encoding shall be used, encoded in the
//! minimum number of octets." So the indefinite form (`0x80`), a long form for a length
//! below 128 and a long form with a leading zero octet are all refused. Tags are read as DER
//! writes the ones certificates use: one octet, so the high-tag-number form is refused. The
//! reader only splits bytes; it never allocates.

/// Universal tags (X.690 section 8, constructed bit included where it is required).
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u8 = 0x01;
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const UTC_TIME: u8 = 0x17;
    pub(crate) const GENERALIZED_TIME: u8 = 0x18;
    pub(crate) const SEQUENCE: u8 = 0x30;
    pub(crate) const SET: u8 = 0x31;
}

/// The most RDNs a name may have (registered or in a certificate).
pub(crate) const MAX_RDNS: usize = 64;

/// The most AVAs one RDN may have (registered or in a certificate).
pub(crate) const MAX_AVAS_PER_RDN: usize = 16;

/// Why bytes are not one DER element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DerError {
    /// The input ends inside the header or before the content the length declares.
    Truncated,
    /// A tag number of 31 or more (the multi-octet form), which no certificate field uses.
    HighTagNumber,
    /// The indefinite length form (`0x80`): BER, not DER.
    IndefiniteLength,
    /// A long-form length that is not minimal (a leading zero, or under 128).
    NonMinimalLength,
    /// A length of more than four octets.
    LengthTooLarge,
    /// Bytes after the one element expected.
    TrailingData,
}

/// The tag and length of an element, read without touching its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) tag: u8,
    /// Octets of tag and length.
    pub(crate) header_len: usize,
    /// Octets of content the length declares.
    pub(crate) content_len: usize,
}

impl Header {
    /// Reads a tag and a DER length from the front of `input`.
    pub(crate) fn read(input: &[u8]) -> Result<Self, DerError> {
        let (&tag, rest) = input.split_first().ok_or(DerError::Truncated)?;
        if tag & 0x1f == 0x1f {
            return Err(DerError::HighTagNumber);
        }
        let (&first, rest) = rest.split_first().ok_or(DerError::Truncated)?;
        if first < 0x80 {
            return Ok(Self {
                tag,
                header_len: 2,
                content_len: usize::from(first),
            });
        }
        let n = usize::from(first & 0x7f);
        if n == 0 {
            return Err(DerError::IndefiniteLength);
        }
        if n > 4 {
            return Err(DerError::LengthTooLarge);
        }
        let octets = rest.get(..n).ok_or(DerError::Truncated)?;
        if octets.first() == Some(&0) {
            return Err(DerError::NonMinimalLength);
        }
        let len = octets
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        if len < 0x80 {
            return Err(DerError::NonMinimalLength);
        }
        Ok(Self {
            tag,
            header_len: 2 + n,
            content_len: usize::try_from(len).map_err(|_| DerError::LengthTooLarge)?,
        })
    }

    /// Header and content octets together.
    pub(crate) fn total_len(&self) -> usize {
        self.header_len.saturating_add(self.content_len)
    }
}

/// One DER element: its tag, its content octets and its whole encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    pub(crate) tag: u8,
    pub(crate) content: &'a [u8],
    pub(crate) whole: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// Reads one element from the front of `input`; returns it and the rest.
    pub(crate) fn read(input: &'a [u8]) -> Result<(Self, &'a [u8]), DerError> {
        let header = Header::read(input)?;
        let (whole, rest) = input
            .split_at_checked(header.total_len())
            .ok_or(DerError::Truncated)?;
        let content = whole.get(header.header_len..).ok_or(DerError::Truncated)?;
        Ok((
            Self {
                tag: header.tag,
                content,
                whole,
            },
            rest,
        ))
    }

    /// Reads exactly one element that must fill `input`.
    pub(crate) fn read_only(input: &'a [u8]) -> Result<Self, DerError> {
        match Self::read(input)? {
            (tlv, []) => Ok(tlv),
            _ => Err(DerError::TrailingData),
        }
    }

    /// Reads exactly one element with tag `tag` that must fill `input`.
    pub(crate) fn read_only_tagged(input: &'a [u8], tag: u8) -> Option<Self> {
        Self::read_only(input).ok().filter(|t| t.tag == tag)
    }
}

/// The elements of a constructed value's content, in order. Iteration stops at the first
/// element that is not DER and sets `malformed`.
#[derive(Debug, Clone)]
pub(crate) struct Elements<'a> {
    rest: &'a [u8],
    pub(crate) malformed: bool,
}

impl<'a> Elements<'a> {
    pub(crate) fn new(content: &'a [u8]) -> Self {
        Self {
            rest: content,
            malformed: false,
        }
    }
}

impl<'a> Iterator for Elements<'a> {
    type Item = Tlv<'a>;
    fn next(&mut self) -> Option<Tlv<'a>> {
        if self.rest.is_empty() || self.malformed {
            return None;
        }
        match Tlv::read(self.rest) {
            Ok((tlv, rest)) => {
                self.rest = rest;
                Some(tlv)
            }
            Err(_) => {
                self.malformed = true;
                None
            }
        }
    }
}

/// Whether `content` is the DER encoding of an OBJECT IDENTIFIER's content octets.
///
/// X.690 section 8.19.2: each subidentifier is "encoded as a series of (one or more) octets"
/// where "the leading octet of the subidentifier shall not have the value 0x80". A padded
/// arc would render as the same dotted OID as a different byte string.
pub(crate) fn is_der_oid(content: &[u8]) -> bool {
    let mut at_arc_start = true;
    for &b in content {
        if at_arc_start && b == 0x80 {
            return false;
        }
        at_arc_start = b & 0x80 == 0;
    }
    !content.is_empty() && at_arc_start
}

/// Whether `content` is the DER encoding of an INTEGER's content octets.
///
/// X.690 section 8.3.2: "the bits of the first octet and bit 8 of the second octet shall not
/// all be ones; and shall not all be zero."
pub(crate) fn is_der_integer(content: &[u8]) -> bool {
    match content {
        [] => false,
        [0x00, next, ..] => next & 0x80 != 0,
        [0xff, next, ..] => next & 0x80 == 0,
        _ => true,
    }
}

/// Why a DER `Name` is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameShape {
    /// Not `SEQUENCE OF SET SIZE (1..MAX) OF SEQUENCE { OID, ANY }` in DER.
    Malformed,
    /// More than [`MAX_RDNS`] RDNs.
    TooManyRdns,
    /// More than [`MAX_AVAS_PER_RDN`] AVAs in one RDN.
    TooManyAvas,
}

/// Checks a `Name` element (RFC 5280 section 4.1.2.4) and returns its number of RDNs.
pub(crate) fn check_name(name: Tlv<'_>) -> Result<usize, NameShape> {
    if name.tag != tag::SEQUENCE {
        return Err(NameShape::Malformed);
    }
    let mut count = 0;
    let mut rdns = Elements::new(name.content);
    for rdn in rdns.by_ref() {
        count += 1;
        if count > MAX_RDNS {
            return Err(NameShape::TooManyRdns);
        }
        // RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
        if rdn.tag != tag::SET || rdn.content.is_empty() {
            return Err(NameShape::Malformed);
        }
        let mut avas = Elements::new(rdn.content);
        for (i, ava) in avas.by_ref().enumerate() {
            if i >= MAX_AVAS_PER_RDN {
                return Err(NameShape::TooManyAvas);
            }
            let (oid, value) = Tlv::read(ava.content).map_err(|_| NameShape::Malformed)?;
            if ava.tag != tag::SEQUENCE || oid.tag != tag::OID || !is_der_oid(oid.content) {
                return Err(NameShape::Malformed);
            }
            Tlv::read_only(value).map_err(|_| NameShape::Malformed)?;
        }
        if avas.malformed {
            return Err(NameShape::Malformed);
        }
    }
    if rdns.malformed {
        return Err(NameShape::Malformed);
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let (t, rest) = Tlv::read(&[0x04, 0x01, 0xaa, 0x05]).unwrap();
        assert_eq!((t.tag, t.content, rest), (0x04, &[0xaa][..], &[0x05][..]));
        let mut long = alloc::vec![0x04, 0x81, 0x80];
        long.extend([0u8; 0x80]);
        assert_eq!(Tlv::read_only(&long).unwrap().content.len(), 0x80);
        assert_eq!(Tlv::read_only(&long).unwrap().whole, &long[..]);
    }

    #[test]
    fn refuses_everything_that_is_not_der() {
        use DerError::*;
        let cases: &[(&[u8], DerError)] = &[
            (&[], Truncated),
            (&[0x04], Truncated),
            (&[0x04, 0x02, 0x00], Truncated),
            (&[0x04, 0x82, 0x01], Truncated),
            (&[0x04, 0x80, 0x00, 0x00], IndefiniteLength),
            (&[0x04, 0x81, 0x01, 0x00], NonMinimalLength),
            (&[0x04, 0x82, 0x00, 0x80], NonMinimalLength),
            (&[0x04, 0x85, 1, 0, 0, 0, 0], LengthTooLarge),
            (&[0x1f, 0x01, 0x00], HighTagNumber),
            (&[0x05, 0x00, 0x00], TrailingData),
        ];
        for (input, err) in cases {
            assert_eq!(Tlv::read_only(input), Err(*err), "{input:02x?}");
        }
    }

    #[test]
    fn elements_stop_at_the_first_bad_element() {
        let mut it = Elements::new(&[0x05, 0x00, 0x04, 0x81, 0x01, 0x00]);
        assert_eq!(it.next().map(|t| t.tag), Some(0x05));
        assert!(it.next().is_none());
        assert!(it.malformed);
    }

    #[test]
    fn oids_and_integers_are_minimal() {
        assert!(is_der_oid(&[0x55, 0x04, 0x06]));
        assert!(!is_der_oid(&[0x55, 0x80, 0x06]), "padded arc");
        assert!(!is_der_oid(&[0x55, 0x84]), "unterminated arc");
        assert!(!is_der_oid(&[]));
        assert!(is_der_integer(&[0x00, 0x80]));
        assert!(is_der_integer(&[0x7f]));
        assert!(!is_der_integer(&[0x00, 0x7f]));
        assert!(!is_der_integer(&[0xff, 0x80]));
        assert!(!is_der_integer(&[]));
    }

    #[test]
    fn names_are_checked_at_every_level() {
        // SEQUENCE { SET { SEQUENCE { 2.5.4.3, UTF8String "a" } } }
        let good = [
            0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, b'a',
        ];
        let name = |b: &[u8]| check_name(Tlv::read_only(b).unwrap());
        assert_eq!(name(&good), Ok(1));
        assert_eq!(name(&[0x30, 0x00]), Ok(0));
        assert_eq!(name(&[0x30, 0x02, 0x31, 0x00]), Err(NameShape::Malformed));
        // The value's length in non-minimal long form.
        let non_minimal = [
            0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x81, 0x01,
            b'a',
        ];
        assert_eq!(name(&non_minimal), Err(NameShape::Malformed));
        // A trailing byte after the value inside the AVA.
        let trailing = [
            0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, b'a',
            0x00,
        ];
        assert_eq!(name(&trailing), Err(NameShape::Malformed));
    }
}
