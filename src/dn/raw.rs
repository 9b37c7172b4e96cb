//! A small, total DER walker for the parts of a certificate that name its holder.
//!
//! `der` 0.8 has no UniversalString type and refuses the tag (0x1C), so a certificate whose
//! subject holds one does not decode with `x509-cert`; RFC 5280 section 7.1 still lists
//! UniversalString as a DirectoryString choice. This walker reads only tags and lengths, so
//! it can find and walk the subject, the issuer and the subjectAltName extension of any
//! well-framed certificate, whatever string types the names use. It never allocates.

/// One DER element: its (single-octet) tag, its content octets and the whole encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    pub(crate) tag: u8,
    pub(crate) content: &'a [u8],
    pub(crate) whole: &'a [u8],
}

/// Reads one element from the front of `input`; returns it and the rest. `None` if the
/// framing is not DER: a multi-octet tag, an indefinite or non-minimal length, or a length
/// past the end of the input.
pub(crate) fn read_tlv(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    // X.690 section 8.1.2.4: tag numbers >= 31 use more octets; no name element uses them.
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        // X.690 section 10.1: DER lengths are definite and minimal.
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 3 {
            return None;
        }
        let (len_bytes, rest) = rest.split_at_checked(n)?;
        if len_bytes.first() == Some(&0) {
            return None;
        }
        let len = len_bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        if len < 0x80 {
            return None;
        }
        (len, rest)
    };
    let (content, rest) = rest.split_at_checked(len)?;
    let whole_len = input.len() - rest.len();
    let whole = input.get(..whole_len)?;
    Some((
        Tlv {
            tag,
            content,
            whole,
        },
        rest,
    ))
}

/// Reads exactly one element that must fill `input`.
pub(crate) fn read_only_tlv(input: &[u8]) -> Option<Tlv<'_>> {
    match read_tlv(input)? {
        (tlv, []) => Some(tlv),
        _ => None,
    }
}

/// Iterates over the elements of a constructed value's content; stops (and records the
/// error) at the first malformed element.
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
        match read_tlv(self.rest) {
            Some((tlv, rest)) => {
                self.rest = rest;
                Some(tlv)
            }
            None => {
                self.malformed = true;
                None
            }
        }
    }
}

const SEQUENCE: u8 = 0x30;

/// The parts of a certificate's `TBSCertificate` that name its holder.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TbsNames<'a> {
    /// The issuer `Name` (whole TLV).
    pub(crate) issuer: Tlv<'a>,
    /// The subject `Name` (whole TLV).
    pub(crate) subject: Tlv<'a>,
    /// The content of the `[3] EXPLICIT Extensions` SEQUENCE, if present.
    pub(crate) extensions: Option<&'a [u8]>,
}

/// Finds the issuer, subject and extensions in certificate DER (RFC 5280 section 4.1).
pub(crate) fn tbs_names(cert_der: &[u8]) -> Option<TbsNames<'_>> {
    let cert = read_only_tlv(cert_der)?;
    if cert.tag != SEQUENCE {
        return None;
    }
    let (tbs, _) = read_tlv(cert.content)?;
    if tbs.tag != SEQUENCE {
        return None;
    }
    let mut fields = Elements::new(tbs.content).peekable();
    // version [0] EXPLICIT Version DEFAULT v1
    if fields.peek().map(|t| t.tag) == Some(0xa0) {
        fields.next();
    }
    let serial = fields.next()?;
    let signature = fields.next()?;
    let issuer = fields.next()?;
    let validity = fields.next()?;
    let subject = fields.next()?;
    let spki = fields.next()?;
    if serial.tag != 0x02
        || signature.tag != SEQUENCE
        || issuer.tag != SEQUENCE
        || validity.tag != SEQUENCE
        || subject.tag != SEQUENCE
        || spki.tag != SEQUENCE
    {
        return None;
    }
    let mut extensions = None;
    for field in fields.by_ref() {
        match field.tag {
            // issuerUniqueID [1] IMPLICIT, subjectUniqueID [2] IMPLICIT (primitive or not)
            0x81 | 0x82 | 0xa1 | 0xa2 if extensions.is_none() => {}
            0xa3 if extensions.is_none() => {
                let seq = read_only_tlv(field.content)?;
                if seq.tag != SEQUENCE {
                    return None;
                }
                extensions = Some(seq.content);
            }
            _ => return None,
        }
    }
    Some(TbsNames {
        issuer,
        subject,
        extensions,
    })
}

/// Whether `content` is the minimal (DER) encoding of an OBJECT IDENTIFIER's content octets.
///
/// X.690 section 8.19.2: each subidentifier is "encoded as a series of (one or more) octets"
/// where "the leading octet of the subidentifier shall not have the value 0x80". A
/// non-minimal arc would render as the same dotted OID as a different byte string, so a name
/// holding one could never equal its own rendering: such a name is malformed.
pub(crate) fn is_der_oid(content: &[u8]) -> bool {
    let mut at_arc_start = true;
    for &b in content {
        // Rejected: a padded subidentifier (leading 0x80 octet).
        if at_arc_start && b == 0x80 {
            return false;
        }
        at_arc_start = b & 0x80 == 0;
    }
    // Rejected: empty, or the last subidentifier is unterminated.
    !content.is_empty() && at_arc_start
}

/// DER of the subjectAltName OID 2.5.29.17, content octets.
const SAN_OID: &[u8] = &[0x55, 0x1d, 0x11];

/// The extnValue content (the `GeneralNames` DER) of the subjectAltName extension.
/// `Ok(None)` if absent; `Err(())` if malformed or present twice (RFC 5280 section 4.2: "A
/// certificate MUST NOT include more than one instance of a particular extension").
#[allow(clippy::result_unit_err)]
pub(crate) fn san_extension(extensions: &[u8]) -> Result<Option<&[u8]>, ()> {
    let mut found = None;
    let mut exts = Elements::new(extensions);
    for ext in exts.by_ref() {
        if ext.tag != SEQUENCE {
            return Err(());
        }
        let mut parts = Elements::new(ext.content);
        let oid = parts.next().ok_or(())?;
        if oid.tag != 0x06 {
            return Err(());
        }
        if oid.content != SAN_OID {
            continue;
        }
        let mut value = parts.next().ok_or(())?;
        if value.tag == 0x01 {
            value = parts.next().ok_or(())?;
        }
        if value.tag != 0x04 || parts.next().is_some() || parts.malformed {
            return Err(());
        }
        if found.is_some() {
            return Err(());
        }
        let names = read_only_tlv(value.content).ok_or(())?;
        if names.tag != SEQUENCE {
            return Err(());
        }
        found = Some(names.content);
    }
    if exts.malformed {
        return Err(());
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_oids_are_minimal_and_terminated() {
        assert!(is_der_oid(&[0x55, 0x04, 0x06]));
        assert!(is_der_oid(&[
            0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01
        ]));
        assert!(!is_der_oid(&[0x55, 0x80, 0x06]), "padded arc");
        assert!(!is_der_oid(&[0x55, 0x84]), "unterminated arc");
        assert!(!is_der_oid(&[]));
    }

    #[test]
    fn reads_short_and_long_lengths() {
        let (t, rest) = read_tlv(&[0x04, 0x01, 0xaa, 0x05]).unwrap();
        assert_eq!((t.tag, t.content, rest), (0x04, &[0xaa][..], &[0x05][..]));
        let mut long = alloc::vec![0x04, 0x81, 0x80];
        long.extend([0u8; 0x80]);
        assert_eq!(read_only_tlv(&long).unwrap().content.len(), 0x80);
    }

    #[test]
    fn rejects_non_der_framing() {
        assert!(read_tlv(&[]).is_none());
        assert!(read_tlv(&[0x04]).is_none());
        assert!(read_tlv(&[0x04, 0x02, 0x00]).is_none(), "truncated");
        assert!(read_tlv(&[0x04, 0x80]).is_none(), "indefinite");
        assert!(read_tlv(&[0x04, 0x81, 0x01, 0x00]).is_none(), "non-minimal");
        assert!(
            read_tlv(&[0x04, 0x82, 0x00, 0x80]).is_none(),
            "leading zero"
        );
        assert!(read_tlv(&[0x1f, 0x01, 0x00]).is_none(), "multi-octet tag");
        assert!(read_only_tlv(&[0x05, 0x00, 0x00]).is_none(), "trailing");
    }

    #[test]
    fn finds_names_in_the_appendix_a_certificate() {
        let der = crate::__doc_support::rfc8705_appendix_a_der();
        let names = tbs_names(&der).unwrap();
        assert_eq!(names.subject.whole, names.issuer.whole);
        assert!(names.extensions.is_none());
        assert!(tbs_names(&der[..der.len() - 1]).is_none());
    }
}
