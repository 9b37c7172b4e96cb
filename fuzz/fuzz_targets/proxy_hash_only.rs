//! The hash-only formats (`xfcc-hash`, `fingerprint`): never panic; never give a certificate
//! (`decode` refuses them); an accepted fingerprint is the thumbprint its hex spells, in every
//! spelling; an accepted `xfcc-hash` value is accepted by `xfcc` with the same thumbprint
//! whenever `xfcc` accepts it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::proxy::{ProxyFormat, TrustedProxy};

fuzz_target!(|data: &[u8]| {
    let proxy = TrustedProxy::the_peer_is_my_proxy();
    for format in [ProxyFormat::XfccHash, ProxyFormat::Fingerprint] {
        assert!(proxy.decode(format, data, &[]).is_err());
    }
    if let Ok(t) = proxy.thumbprint(ProxyFormat::Fingerprint, data, &[]) {
        let hex: Vec<String> = t.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        for value in [hex.concat(), hex.join(":").to_uppercase()] {
            assert_eq!(proxy.thumbprint(ProxyFormat::Fingerprint, &value, &[]).ok(), Some(t));
        }
    }
    let hash = proxy.thumbprint(ProxyFormat::XfccHash, data, &[]);
    if let Ok(fwd) = proxy.decode(ProxyFormat::Xfcc, data, &[]) {
        // A Cert with a Hash: the Hash is the Cert's.
        if let Ok(t) = &hash {
            assert_eq!(*t, fwd.thumbprint());
        }
    }
});
