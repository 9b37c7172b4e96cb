//! A memo of CRL signature verifications, so that a CRL's signature (a hash over the whole
//! list, and a public-key operation) is verified once, not at every chain validation.
//!
//! `rustls-webpki` verifies the signature of a CRL each time it consults it, through the
//! signature algorithms the caller passes. [`Memo`] wraps each algorithm: when the message to
//! verify is byte for byte the signed part of one of the [`RevocationLists`]' CRLs (the first
//! element of its outer SEQUENCE, located with the crate's DER reader; `webpki` parses the
//! CRL), and the same algorithm already verified the same signature with the same key over
//! it, the answer is the one recorded. Verification is a pure function of (algorithm, key,
//! message, signature), so the memo answers exactly as the algorithm would. Every other
//! message (certificates) goes to the algorithm unchanged.
//!
//! A CRL whose signature fails is noted (for this validation only: another issuer with the
//! same name may have signed it), so that the validation can be run again without it: a CRL
//! that does not verify with its issuer's key gives no status.
//!
//! [`RevocationLists`]: super::RevocationLists

use alloc::vec::Vec;
use std::sync::{Mutex, OnceLock};

use rustls_pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};

use crate::der::Tlv;

/// The signed part of one CRL, and the one verification recorded for it.
#[derive(Debug)]
pub(super) struct SignedPart {
    tbs: Vec<u8>,
    verified: OnceLock<Verified>,
}

/// A verification that succeeded.
#[derive(Debug, PartialEq, Eq)]
struct Verified {
    public_key_alg: Vec<u8>,
    signature_alg: Vec<u8>,
    public_key: Vec<u8>,
    signature: Vec<u8>,
}

impl SignedPart {
    /// The signed part of a DER CRL (`CertificateList ::= SEQUENCE { tbsCertList, … }`), or
    /// nothing to memoize when the DER is not framed so.
    pub(super) fn of(der: &[u8]) -> Self {
        let tbs = Tlv::read_only(der)
            .ok()
            .and_then(|outer| Tlv::read(outer.content).ok())
            .map(|(tbs, _)| tbs.whole.to_vec())
            .unwrap_or_default();
        Self {
            tbs,
            verified: OnceLock::new(),
        }
    }
}

/// One of the caller's algorithms, with the memo of the CRLs' verifications.
#[derive(Debug)]
pub(super) struct Memo<'a> {
    inner: &'a dyn SignatureVerificationAlgorithm,
    crls: &'a [SignedPart],
    /// The positions of the CRLs whose signature failed during this validation.
    failed: &'a Mutex<Vec<usize>>,
}

impl<'a> Memo<'a> {
    pub(super) fn new(
        inner: &'a dyn SignatureVerificationAlgorithm,
        crls: &'a [SignedPart],
        failed: &'a Mutex<Vec<usize>>,
    ) -> Self {
        Self {
            inner,
            crls,
            failed,
        }
    }

    fn record(&self, public_key: &[u8], signature: &[u8]) -> Verified {
        Verified {
            public_key_alg: self.inner.public_key_alg_id().as_ref().to_vec(),
            signature_alg: self.inner.signature_alg_id().as_ref().to_vec(),
            public_key: public_key.to_vec(),
            signature: signature.to_vec(),
        }
    }

    fn is_recorded(&self, seen: &Verified, public_key: &[u8], signature: &[u8]) -> bool {
        seen.public_key == public_key
            && seen.signature == signature
            && seen.public_key_alg == self.inner.public_key_alg_id().as_ref()
            && seen.signature_alg == self.inner.signature_alg_id().as_ref()
    }
}

impl SignatureVerificationAlgorithm for Memo<'_> {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let at = self
            .crls
            .iter()
            .position(|c| !c.tbs.is_empty() && c.tbs.as_slice() == message);
        let Some((index, crl)) = at.and_then(|i| Some((i, self.crls.get(i)?))) else {
            return self.inner.verify_signature(public_key, message, signature);
        };
        if crl
            .verified
            .get()
            .is_some_and(|seen| self.is_recorded(seen, public_key, signature))
        {
            return Ok(());
        }
        if let Err(e) = self.inner.verify_signature(public_key, message, signature) {
            if let Ok(mut failed) = self.failed.lock() {
                failed.push(index);
            }
            return Err(e);
        }
        // Only a success is recorded; the first one stays.
        let _ = crl.verified.set(self.record(public_key, signature));
        Ok(())
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.inner.public_key_alg_id()
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.inner.signature_alg_id()
    }

    fn fips(&self) -> bool {
        self.inner.fips()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use core::sync::atomic::{AtomicUsize, Ordering};

    /// A fake algorithm: a signature is valid when it equals the key followed by the first
    /// byte of the message; counts its calls.
    #[derive(Debug, Default)]
    struct Counting(AtomicUsize);

    impl SignatureVerificationAlgorithm for Counting {
        fn verify_signature(
            &self,
            key: &[u8],
            message: &[u8],
            sig: &[u8],
        ) -> Result<(), InvalidSignature> {
            self.0.fetch_add(1, Ordering::Relaxed);
            let mut expected = key.to_vec();
            expected.extend(message.first());
            if sig == expected.as_slice() {
                Ok(())
            } else {
                Err(InvalidSignature)
            }
        }
        fn public_key_alg_id(&self) -> AlgorithmIdentifier {
            AlgorithmIdentifier::from_slice(&[1])
        }
        fn signature_alg_id(&self) -> AlgorithmIdentifier {
            AlgorithmIdentifier::from_slice(&[2])
        }
    }

    #[test]
    fn only_a_verified_crl_signature_is_remembered_and_only_for_the_same_inputs() {
        // A "CRL": SEQUENCE { SEQUENCE { 0x41 }, … }; its signed part is 30 01 41.
        let der = [0x30, 0x05, 0x30, 0x01, 0x41, 0x05, 0x00];
        let tbs = [0x30, 0x01, 0x41];
        let parts = vec![SignedPart::of(&der)];
        let inner = Counting::default();
        let failed = Mutex::new(Vec::new());
        let memo = Memo::new(&inner, &parts, &failed);
        let calls = || inner.0.load(Ordering::Relaxed);
        // A wrong signature is refused and not remembered.
        assert!(memo.verify_signature(b"k", &tbs, b"bad").is_err());
        assert!(memo.verify_signature(b"k", &tbs, b"bad").is_err());
        assert_eq!(calls(), 2);
        assert_eq!(*failed.lock().unwrap(), [0, 0]);
        // A good one is verified once, then answered from the memo.
        assert!(memo.verify_signature(b"k", &tbs, b"k\x30").is_ok());
        assert!(memo.verify_signature(b"k", &tbs, b"k\x30").is_ok());
        assert_eq!(calls(), 3);
        // Another key, another signature, another message: the algorithm decides.
        assert!(memo.verify_signature(b"j", &tbs, b"k\x30").is_err());
        assert!(memo.verify_signature(b"k", &tbs, b"k\x30\x00").is_err());
        assert!(
            memo.verify_signature(b"k", &[0x30, 0x01, 0x42], b"k\x30")
                .is_ok()
        );
        assert!(
            memo.verify_signature(b"k", &[0x31, 0x01, 0x41], b"k\x30")
                .is_err()
        );
        assert_eq!(calls(), 7);
    }
}
