//! `tls_client_auth` chain validation over presented chains: `MtlsClientAuth::validate_chain`
//! then `authenticate`, against the RFC 9440 Appendix A root as the anchor. Input: 4 bytes,
//! big-endian seconds after 2020-01-01T00:00:00Z (the validation time), then certificates,
//! each as a 2-byte big-endian length and that many bytes of DER: the leaf, then
//! intermediates. The fuzzed certificates are also tried as trust anchors.
//!
//! Asserts:
//! - nothing panics, whatever the chain, the time or the anchors;
//! - a chain that validates has a leaf with a well-framed DER, and authenticates (or not) by
//!   its subject exactly as the same leaf taken as validated by the TLS stack does;
//! - a registration whose issuer pin no CA holds never validates a chain;
//! - with no certificate, the answer is `NoCertificate`.
#![no_main]

#[path = "shared/algorithms.rs"]
mod algorithms;

use algorithms::ALGORITHMS;
use libfuzzer_sys::fuzz_target;
use rfc8705::client_auth::{
    ChainError, ClientAuthError, MtlsClientAuth, TrustAnchors, ValidatedChain,
};
use rfc8705::metadata::ClientMetadata;
use rustls_pki_types::{CertificateDer, UnixTime};

const ROOT: &[u8] = include_bytes!("../corpus/certificate/rfc9440-root.der");
/// 2020-01-01T00:00:00Z.
const EPOCH_2020: u64 = 1_577_836_800;

fn registration(extra: &str) -> MtlsClientAuth {
    let json = format!(
        r#"{{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"CN=BC"{extra}}}"#
    );
    let metadata = ClientMetadata::from_json(json.as_bytes()).expect("metadata");
    MtlsClientAuth::from_metadata(&metadata)
        .expect("registration")
        .expect("tls_client_auth")
}

fuzz_target!(|data: &[u8]| {
    let Some((time, mut rest)) = data.split_first_chunk::<4>() else {
        return;
    };
    let at = UnixTime::since_unix_epoch(std::time::Duration::from_secs(
        EPOCH_2020 + u64::from(u32::from_be_bytes(*time)),
    ));
    let mut chain = Vec::new();
    while let Some((len, tail)) = rest.split_first_chunk::<2>() {
        let len = usize::from(u16::from_be_bytes(*len)).min(tail.len());
        let (der, tail) = tail.split_at(len);
        chain.push(CertificateDer::from(der));
        rest = tail;
    }
    let algorithms = ALGORITHMS;
    let root = TrustAnchors::from_der([ROOT]).expect("the RFC 9440 root");
    let plain = registration("");
    // A pin that no key hashes to.
    let pinned = registration(
        r#","tls_client_auth_issuer_spki_s256":["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]"#,
    );
    assert_eq!(
        plain.validate_chain(Some(&[]), Some(&root), at, algorithms).err(),
        Some(ClientAuthError::NoCertificate)
    );
    let fuzzed_anchors = TrustAnchors::from_der(chain.iter().map(|c| c.as_ref())).ok();
    for anchors in [Some(&root), fuzzed_anchors.as_ref()].into_iter().flatten() {
        match plain.validate_chain(Some(&chain), Some(anchors), at, algorithms) {
            Ok(validated) => {
                let leaf = chain.first().expect("a leaf");
                assert!(rfc8705::Thumbprint::from_der(leaf.as_ref()).is_ok());
                let by_crate = plain.authenticate(&validated, Default::default());
                let stated = ValidatedChain::tls_stack_validated_this_chain(leaf.as_ref());
                let by_statement = plain.authenticate(&stated, Default::default());
                assert_eq!(by_crate, by_statement);
            }
            Err(ClientAuthError::Chain(_) | ClientAuthError::NoCertificate) => {}
            Err(other) => panic!("validate_chain: {other}"),
        }
        match pinned.validate_chain(Some(&chain), Some(anchors), at, algorithms) {
            Ok(_) => panic!("an unpinned issuer validated"),
            Err(ClientAuthError::Chain(ChainError::IssuerNotRegistered)) => {}
            Err(_) => {}
        }
    }
});
