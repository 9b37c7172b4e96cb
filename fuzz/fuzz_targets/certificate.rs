//! Certificate input: DER, PEM and the auto-detecting reader must never panic, and a parsed
//! certificate's thumbprint must equal the thumbprint of its DER.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::{ClientCertificate, Thumbprint};

fuzz_target!(|data: &[u8]| {
    if let Ok(cert) = ClientCertificate::from_der(data) {
        assert_eq!(Thumbprint::from_der(data).ok(), Some(cert.thumbprint()));
    }
    let _ = ClientCertificate::from_pem(data);
    let _ = ClientCertificate::from_pem_or_der(data);
    let _ = Thumbprint::from_der(data);
});
