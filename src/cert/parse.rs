//! The structure of an X.509 certificate (RFC 5280 section 4.1), walked with the crate's DER
//! reader. Every path that reads a certificate ([`ClientCertificate`](super::ClientCertificate),
//! subject and SAN matching, self-signed matching) goes through [`Parts::read`], so they all
//! accept the same certificates.

use core::ops::Range;

use der::Decode;

use super::{CertificateError, CertificateField as F, check_der_framing};
use crate::der::{Elements, Tlv, check_name, is_der_integer, is_der_oid, tag};

/// DER of the subjectAltName OID 2.5.29.17, content octets.
const SAN_OID: &[u8] = &[0x55, 0x1d, 0x11];

/// The parts of a certificate the crate reads, borrowed from its DER.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parts<'a> {
    /// Content of the issuer `Name` SEQUENCE.
    pub(crate) issuer: &'a [u8],
    pub(crate) issuer_rdns: usize,
    /// Content of the subject `Name` SEQUENCE.
    pub(crate) subject: &'a [u8],
    pub(crate) subject_rdns: usize,
    /// The whole `SubjectPublicKeyInfo` element.
    pub(crate) spki: &'a [u8],
    /// Content of the subjectAltName `GeneralNames` SEQUENCE; empty without the extension.
    pub(crate) sans: &'a [u8],
    /// Content of the `Extensions` SEQUENCE, each element checked; empty without extensions.
    pub(crate) extensions: &'a [u8],
    /// Content of the serialNumber INTEGER.
    pub(crate) serial: &'a [u8],
    /// The version: 0 for v1 (absent), 1 for v2, 2 for v3.
    pub(crate) version: u8,
}

/// Where the [`Parts`] lie in the DER, so an owned certificate can hand them out again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    issuer: Range<usize>,
    issuer_rdns: usize,
    subject: Range<usize>,
    subject_rdns: usize,
    spki: Range<usize>,
    sans: Range<usize>,
    extensions: Range<usize>,
    serial: Range<usize>,
    version: u8,
}

fn span(outer: &[u8], inner: &[u8]) -> Range<usize> {
    let start = (inner.as_ptr() as usize).wrapping_sub(outer.as_ptr() as usize);
    start..start.saturating_add(inner.len())
}

impl Layout {
    pub(crate) fn of(der: &[u8], parts: &Parts<'_>) -> Self {
        Self {
            issuer: span(der, parts.issuer),
            issuer_rdns: parts.issuer_rdns,
            subject: span(der, parts.subject),
            subject_rdns: parts.subject_rdns,
            spki: span(der, parts.spki),
            sans: span(der, parts.sans),
            extensions: span(der, parts.extensions),
            serial: span(der, parts.serial),
            version: parts.version,
        }
    }

    /// The parts again, from the same DER the layout was taken of.
    pub(crate) fn parts<'a>(&self, der: &'a [u8]) -> Parts<'a> {
        let get = |r: &Range<usize>| der.get(r.clone()).unwrap_or_default();
        Parts {
            issuer: get(&self.issuer),
            issuer_rdns: self.issuer_rdns,
            subject: get(&self.subject),
            subject_rdns: self.subject_rdns,
            spki: get(&self.spki),
            sans: get(&self.sans),
            extensions: get(&self.extensions),
            serial: get(&self.serial),
            version: self.version,
        }
    }
}

fn next<'a>(fields: &mut Elements<'a>, tag: u8, field: F) -> Result<Tlv<'a>, CertificateError> {
    match fields.next() {
        Some(t) if t.tag == tag => Ok(t),
        _ => Err(CertificateError::Malformed(field)),
    }
}

/// `AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`
fn check_algorithm(alg: Tlv<'_>) -> bool {
    let mut parts = Elements::new(alg.content);
    let oid_ok =
        matches!(parts.next(), Some(oid) if oid.tag == tag::OID && is_der_oid(oid.content));
    let _parameters = parts.next();
    oid_ok && parts.next().is_none() && !parts.malformed
}

/// RFC 5280 section 4.1.2.5: UTCTime is `YYMMDDHHMMSSZ`, GeneralizedTime `YYYYMMDDHHMMSSZ`.
fn check_time(t: Tlv<'_>) -> bool {
    let digits = match t.tag {
        tag::UTC_TIME => 12,
        tag::GENERALIZED_TIME => 14,
        _ => return false,
    };
    t.content.len() == digits + 1
        && t.content.last() == Some(&b'Z')
        && t.content.iter().take(digits).all(u8::is_ascii_digit)
}

/// X.690 section 11.2.1: the unused bits of a DER BIT STRING are zero.
fn check_bit_string(content: &[u8]) -> bool {
    match content {
        [0] => true,
        [unused, .., last] if *unused < 8 => last & ((1u8 << unused) - 1) == 0,
        _ => false,
    }
}

fn name(t: Tlv<'_>, field: F) -> Result<usize, CertificateError> {
    check_name(t).map_err(|_| CertificateError::Malformed(field))
}

impl<'a> Parts<'a> {
    /// Reads a certificate: one DER SEQUENCE filling `der`, with the fields RFC 5280 section
    /// 4.1 lists, in order, each well-formed DER.
    pub(crate) fn read(der: &'a [u8]) -> Result<Self, CertificateError> {
        check_der_framing(der)?;
        let cert = Tlv::read_only(der).map_err(|_| CertificateError::NotDer)?;
        // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
        let mut top = Elements::new(cert.content);
        let tbs = next(&mut top, tag::SEQUENCE, F::TbsCertificate)?;
        let sig_alg = next(&mut top, tag::SEQUENCE, F::SignatureAlgorithm)?;
        if !check_algorithm(sig_alg) {
            return Err(CertificateError::Malformed(F::SignatureAlgorithm));
        }
        let sig = next(&mut top, tag::BIT_STRING, F::SignatureValue)?;
        if !check_bit_string(sig.content) || top.next().is_some() || top.malformed {
            return Err(CertificateError::Malformed(F::SignatureValue));
        }

        let mut fields = Elements::new(tbs.content);
        let mut first = fields.next();
        let mut version = 0;
        // version [0] EXPLICIT Version DEFAULT v1; Version ::= INTEGER { v1(0), v2(1), v3(2) }
        if let Some(v) = first.filter(|t| t.tag == 0xa0) {
            match Tlv::read_only(v.content) {
                // X.690 section 11.5: v1, the DEFAULT, is not encoded.
                Ok(int) if int.tag == tag::INTEGER && matches!(int.content, [1 | 2]) => {
                    version = int.content.first().copied().unwrap_or_default();
                }
                _ => return Err(CertificateError::Malformed(F::Version)),
            }
            first = fields.next();
        }
        let serial = match first {
            Some(serial) if serial.tag == tag::INTEGER && is_der_integer(serial.content) => {
                serial.content
            }
            _ => return Err(CertificateError::Malformed(F::SerialNumber)),
        };
        if !check_algorithm(next(&mut fields, tag::SEQUENCE, F::Signature)?) {
            return Err(CertificateError::Malformed(F::Signature));
        }
        let issuer = next(&mut fields, tag::SEQUENCE, F::Issuer)?;
        let issuer_rdns = name(issuer, F::Issuer)?;
        let validity = next(&mut fields, tag::SEQUENCE, F::Validity)?;
        let mut times = Elements::new(validity.content);
        let valid = times.next().is_some_and(check_time)
            && times.next().is_some_and(check_time)
            && times.next().is_none()
            && !times.malformed;
        if !valid {
            return Err(CertificateError::Malformed(F::Validity));
        }
        let subject = next(&mut fields, tag::SEQUENCE, F::Subject)?;
        let subject_rdns = name(subject, F::Subject)?;
        let spki = next(&mut fields, tag::SEQUENCE, F::SubjectPublicKeyInfo)?;
        // The key is read with the `spki` crate by the JWK code: refuse here what it refuses.
        spki::SubjectPublicKeyInfoRef::from_der(spki.whole)
            .map_err(|_| CertificateError::Malformed(F::SubjectPublicKeyInfo))?;

        let mut sans: &[u8] = &[];
        let mut extensions: &[u8] = &[];
        let mut last = 0u8;
        for field in fields.by_ref() {
            // issuerUniqueID [1] IMPLICIT, subjectUniqueID [2] IMPLICIT, extensions [3]
            // EXPLICIT, each at most once and in that order.
            let order = match field.tag {
                0x81 | 0xa1 => 1,
                0x82 | 0xa2 => 2,
                0xa3 => 3,
                _ => 4,
            };
            if order <= last || order == 4 {
                return Err(CertificateError::Malformed(F::TbsCertificate));
            }
            last = order;
            if order == 3 {
                (extensions, sans) = san_extension(field.content)?;
            }
        }
        if fields.malformed {
            return Err(CertificateError::Malformed(F::TbsCertificate));
        }
        Ok(Self {
            issuer: issuer.content,
            issuer_rdns,
            subject: subject.content,
            subject_rdns,
            spki: spki.whole,
            sans,
            extensions,
            serial,
            version,
        })
    }
}

/// Checks `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension` and returns its content and the
/// content of the subjectAltName `GeneralNames`, or nothing.
///
/// RFC 5280 section 4.2: "A certificate MUST NOT include more than one instance of a
/// particular extension." A second subjectAltName is malformed.
fn san_extension(explicit: &[u8]) -> Result<(&[u8], &[u8]), CertificateError> {
    let bad = CertificateError::Malformed(F::Extensions);
    let exts = Tlv::read_only_tagged(explicit, tag::SEQUENCE).ok_or(bad.clone())?;
    if exts.content.is_empty() {
        return Err(bad);
    }
    let mut found = None;
    let mut list = Elements::new(exts.content);
    for ext in list.by_ref() {
        // Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
        let mut parts = Elements::new(ext.content);
        let oid = parts
            .next()
            .filter(|o| o.tag == tag::OID && is_der_oid(o.content));
        let mut value = parts.next();
        if let Some(critical) = value.filter(|v| v.tag == tag::BOOLEAN) {
            // X.690 section 11.5: a DEFAULT value is not encoded; DER TRUE is 0xff.
            if critical.content != [0xff] {
                return Err(bad);
            }
            value = parts.next();
        }
        let (Some(oid), Some(value)) = (oid, value) else {
            return Err(bad);
        };
        if ext.tag != tag::SEQUENCE
            || value.tag != tag::OCTET_STRING
            || parts.next().is_some()
            || parts.malformed
        {
            return Err(bad);
        }
        if oid.content != SAN_OID {
            continue;
        }
        if found.is_some() {
            return Err(CertificateError::Malformed(F::SubjectAltName));
        }
        found = Some(general_names(value.content)?);
    }
    if list.malformed {
        return Err(bad);
    }
    Ok((exts.content, found.unwrap_or_default()))
}

/// `GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName`, each a context-specific
/// `[0]`..`[8]` (RFC 5280 section 4.2.1.6).
fn general_names(extn_value: &[u8]) -> Result<&[u8], CertificateError> {
    let bad = CertificateError::Malformed(F::SubjectAltName);
    let names = Tlv::read_only_tagged(extn_value, tag::SEQUENCE).ok_or(bad.clone())?;
    let mut list = Elements::new(names.content);
    for name in list.by_ref() {
        if name.tag & 0xc0 != 0x80 || name.tag & 0x1f > 8 {
            return Err(bad);
        }
    }
    if list.malformed {
        return Err(bad);
    }
    Ok(names.content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_strings_are_der() {
        assert!(check_bit_string(&[0]));
        assert!(check_bit_string(&[0, 0xff]));
        assert!(check_bit_string(&[3, 0xf8]));
        assert!(!check_bit_string(&[3, 0xf9]), "non-zero unused bits");
        assert!(!check_bit_string(&[8, 0x00]));
        assert!(!check_bit_string(&[1]));
        assert!(!check_bit_string(&[]));
    }

    #[test]
    fn times_have_the_rfc_5280_forms() {
        let t = |tag, c: &[u8]| {
            check_time(Tlv {
                tag,
                content: c,
                whole: c,
            })
        };
        assert!(t(tag::UTC_TIME, b"250101000000Z"));
        assert!(t(tag::GENERALIZED_TIME, b"20250101000000Z"));
        assert!(!t(tag::UTC_TIME, b"2501010000Z"));
        assert!(!t(tag::UTC_TIME, b"250101000000+0100"));
        assert!(!t(tag::OCTET_STRING, b"250101000000Z"));
    }

    #[test]
    fn the_appendix_a_certificate_has_its_parts() {
        let der = crate::__doc_support::rfc8705_appendix_a_der();
        let parts = Parts::read(&der).unwrap();
        assert_eq!(parts.subject, parts.issuer);
        assert_eq!((parts.subject_rdns, parts.sans.len()), (1, 0));
        let layout = Layout::of(&der, &parts);
        let again = layout.parts(&der);
        assert_eq!(again.spki, parts.spki);
        assert_eq!(again.subject, parts.subject);
    }
}
