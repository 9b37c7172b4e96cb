//! Revocation lists on `tls_client_auth` chains: `RevocationLists::read` over fuzzed CRL
//! inputs (DER or PEM), then `MtlsClientAuth::validate_chain_with_revocation` of the
//! tests/data/crl chain (leaf, intermediate, root; see its make.sh) against them. Input: one
//! policy byte (bit 0: leaf only; bit 1: allow unknown status; bit 2: accept expired CRLs),
//! then CRL inputs, each as a 2-byte big-endian length and that many bytes.
//!
//! Asserts:
//! - nothing panics, whatever the CRLs;
//! - reading fails only with `ChainError::Crl`, naming an input that exists;
//! - a chain that validates with the CRLs validates without them, and with any more lenient
//!   policy (revocation only ever refuses);
//! - every refusal is a chain error.
#![no_main]

#[path = "shared/algorithms.rs"]
mod algorithms;

use algorithms::ALGORITHMS;
use libfuzzer_sys::fuzz_target;
use rfc8705::client_auth::{
    ChainError, ClientAuthError, ExpirationPolicy, MtlsClientAuth, RevocationCheckDepth,
    RevocationLists, RevocationPolicy, TrustAnchors, UnknownStatusPolicy,
};
use rfc8705::metadata::ClientMetadata;
use rustls_pki_types::{CertificateDer, UnixTime};

const ROOT: &[u8] = include_bytes!("../../tests/data/crl/root.pem");
const INT: &[u8] = include_bytes!("../../tests/data/crl/int.pem");
const LEAF: &[u8] = include_bytes!("../../tests/data/crl/leaf.pem");
/// 2030-01-01T00:00:00Z, the validation time of make.sh.
const AT: u64 = 1_893_456_000;

fn der(pem: &[u8]) -> CertificateDer<'static> {
    rfc8705::ClientCertificate::from_pem(pem).expect("test certificate").der().to_vec().into()
}

fn policy(bits: u8) -> RevocationPolicy {
    let mut p = RevocationPolicy::default();
    if bits & 1 != 0 {
        p.depth = RevocationCheckDepth::EndEntity;
    }
    if bits & 2 != 0 {
        p.unknown_status = UnknownStatusPolicy::Allow;
    }
    if bits & 4 != 0 {
        p.expired_crl = ExpirationPolicy::Ignore;
    }
    p
}

fuzz_target!(|data: &[u8]| {
    let Some((&bits, mut rest)) = data.split_first() else {
        return;
    };
    let mut inputs = Vec::new();
    while let Some((len, tail)) = rest.split_first_chunk::<2>() {
        let len = usize::from(u16::from_be_bytes(*len)).min(tail.len());
        let (input, tail) = tail.split_at(len);
        inputs.push(input);
        rest = tail;
    }
    let strict = policy(bits);
    let lists = match RevocationLists::read(inputs.iter().copied(), strict) {
        Ok(lists) => lists,
        Err(ChainError::Crl { index, .. }) => {
            assert!(index < inputs.len().max(1));
            return;
        }
        Err(other) => panic!("read: {other}"),
    };
    let anchors = TrustAnchors::from_der([der(ROOT).as_ref()]).expect("the test root");
    let chain = [der(LEAF), der(INT)];
    let json = br#"{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"CN=client-a,O=Example"}"#;
    let auth = MtlsClientAuth::from_metadata(&ClientMetadata::from_json(json).expect("metadata"))
        .expect("registration")
        .expect("tls_client_auth");
    let at = UnixTime::since_unix_epoch(std::time::Duration::from_secs(AT));
    let verdict = auth.validate_chain_with_revocation(Some(&chain), Some(&anchors), &lists, at, ALGORITHMS);
    match &verdict {
        Ok(validated) => {
            assert!(auth.authenticate(validated, Default::default()).is_ok());
            assert!(auth.validate_chain(Some(&chain), Some(&anchors), at, ALGORITHMS).is_ok());
            let lenient = RevocationLists::read(inputs.iter().copied(), policy(bits | 7)).expect("read once");
            assert!(
                auth.validate_chain_with_revocation(Some(&chain), Some(&anchors), &lenient, at, ALGORITHMS)
                    .is_ok()
            );
        }
        Err(ClientAuthError::Chain(_)) => {}
        Err(other) => panic!("validate_chain_with_revocation: {other}"),
    }
});
