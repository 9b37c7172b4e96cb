//! The certificate extensions the chain checks read (RFC 5280 section 4.2): key usage, basic
//! constraints and the rfc822Name subtrees of name constraints, located in the `Extensions`
//! that [`Parts::read`] checked, with the crate's DER reader.

use alloc::vec::Vec;

use super::{CertificateError, CertificateField as F, Parts};
use crate::der::{Elements, Tlv, tag};

/// id-ce-keyUsage, 2.5.29.15.
const KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
/// id-ce-basicConstraints, 2.5.29.19.
const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
/// id-ce-nameConstraints, 2.5.29.30.
const NAME_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x1e];
/// id-emailAddress, 1.2.840.113549.1.9.1 (RFC 5280 section 4.1.2.6, PKCS #9).
const EMAIL_ADDRESS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];
/// `rfc822Name [1] IA5String` in a GeneralName (implicit tagging).
const RFC822_NAME: u8 = 0x81;

/// The rfc822Name subtrees of a NameConstraints extension (RFC 5280 section 4.2.1.10), as
/// the constraint texts (`example.com`, `.example.com`, `root@example.com`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EmailSubtrees {
    pub(crate) permitted: Vec<Vec<u8>>,
    pub(crate) excluded: Vec<Vec<u8>>,
}

impl EmailSubtrees {
    /// Whether the extension constrains rfc822Names at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.permitted.is_empty() && self.excluded.is_empty()
    }
}

impl<'a> Parts<'a> {
    /// The extnValue (the DER inside the OCTET STRING) of the extension `oid`, if present.
    /// RFC 5280 section 4.2: "A certificate MUST NOT include more than one instance of a
    /// particular extension": a second one is malformed.
    fn extension(&self, oid: &[u8]) -> Result<Option<&'a [u8]>, CertificateError> {
        let mut found = None;
        for ext in Elements::new(self.extensions) {
            let mut parts = Elements::new(ext.content);
            let is_it = parts.next().is_some_and(|o| o.content == oid);
            if !is_it {
                continue;
            }
            // Checked by `Parts::read`: an optional BOOLEAN, then the OCTET STRING.
            let value = parts.find(|v| v.tag == tag::OCTET_STRING);
            if found.is_some() || value.is_none() {
                return Err(CertificateError::Malformed(F::Extensions));
            }
            found = value.map(|v| v.content);
        }
        Ok(found)
    }

    /// Whether the key usage allows keyCertSign; `None` without a keyUsage extension.
    ///
    /// RFC 5280 section 4.2.1.3: "KeyUsage ::= BIT STRING { digitalSignature (0), …
    /// keyCertSign (5), … }".
    pub(crate) fn key_cert_sign(&self) -> Result<Option<bool>, CertificateError> {
        let Some(value) = self.extension(KEY_USAGE)? else {
            return Ok(None);
        };
        let bits = Tlv::read_only_tagged(value, tag::BIT_STRING)
            .ok_or(CertificateError::Malformed(F::Extensions))?;
        // The first content octet counts the unused bits; bit 5 is 0x04 of the next one.
        Ok(Some(bits.content.get(1).is_some_and(|b| b & 0x04 != 0)))
    }

    /// Whether this is a version 3 certificate whose basicConstraints says `cA` TRUE.
    ///
    /// RFC 5280 section 4.2.1.9: "BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
    /// pathLenConstraint INTEGER (0..MAX) OPTIONAL }"; "If the basic constraints extension
    /// is not present in a version 3 certificate, or the extension is present but the cA
    /// boolean is not asserted, then the certified public key MUST NOT be used to verify
    /// certificate signatures."
    pub(crate) fn is_ca(&self) -> Result<bool, CertificateError> {
        if self.version != 2 {
            return Ok(false);
        }
        let Some(value) = self.extension(BASIC_CONSTRAINTS)? else {
            return Ok(false);
        };
        let seq = Tlv::read_only_tagged(value, tag::SEQUENCE)
            .ok_or(CertificateError::Malformed(F::Extensions))?;
        Ok(Elements::new(seq.content)
            .next()
            .is_some_and(|b| b.tag == tag::BOOLEAN && b.content == [0xff]))
    }

    /// The rfc822Name subtrees of the nameConstraints extension (empty without one).
    ///
    /// RFC 5280 section 4.2.1.10: "NameConstraints ::= SEQUENCE { permittedSubtrees [0]
    /// GeneralSubtrees OPTIONAL, excludedSubtrees [1] GeneralSubtrees OPTIONAL }";
    /// "GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] BaseDistance DEFAULT 0,
    /// maximum [1] BaseDistance OPTIONAL }".
    pub(crate) fn email_subtrees(&self) -> Result<EmailSubtrees, CertificateError> {
        let mut out = EmailSubtrees::default();
        let Some(value) = self.extension(NAME_CONSTRAINTS)? else {
            return Ok(out);
        };
        read_email_subtrees(value, &mut out).ok_or(CertificateError::Malformed(F::Extensions))?;
        Ok(out)
    }

    /// Whether the subjectAltName holds an rfc822Name.
    pub(crate) fn has_rfc822_san(&self) -> bool {
        Elements::new(self.sans).any(|n| n.tag == RFC822_NAME)
    }

    /// The values (content octets, any string type) of the subject's emailAddress
    /// attributes. A subject that cannot be walked yields nothing: `Parts::read` checked it.
    pub(crate) fn subject_emails(&self) -> impl Iterator<Item = Tlv<'a>> + 'a {
        Elements::new(self.subject)
            .flat_map(|rdn| Elements::new(rdn.content))
            .filter_map(|ava| {
                let mut parts = Elements::new(ava.content);
                let oid = parts.next()?;
                (oid.tag == tag::OID && oid.content == EMAIL_ADDRESS)
                    .then(|| parts.next())
                    .flatten()
            })
    }
}

/// Reads the rfc822Name bases of a DER NameConstraints value into `out`; `None` when it is
/// not one.
fn read_email_subtrees(value: &[u8], out: &mut EmailSubtrees) -> Option<()> {
    let nc = Tlv::read_only_tagged(value, tag::SEQUENCE)?;
    let mut trees = Elements::new(nc.content);
    for subtrees in trees.by_ref() {
        let list = match subtrees.tag {
            0xa0 => &mut out.permitted,
            0xa1 => &mut out.excluded,
            _ => return None,
        };
        let mut items = Elements::new(subtrees.content);
        for subtree in items.by_ref() {
            let base = Elements::new(subtree.content).next()?;
            if subtree.tag != tag::SEQUENCE {
                return None;
            }
            if base.tag == RFC822_NAME {
                list.push(base.content.to_vec());
            }
        }
        if items.malformed {
            return None;
        }
    }
    (!trees.malformed).then_some(())
}
