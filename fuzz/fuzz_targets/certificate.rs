//! Certificate input: DER, PEM and the auto-detecting reader must never panic, and every
//! reader that accepts the bytes must agree with the others on the certificate; the name and
//! SAN readers on raw DER accept exactly the certificates `from_der` accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rfc8705::{ClientCertificate, Thumbprint};

fuzz_target!(|data: &[u8]| {
    if let Ok(cert) = ClientCertificate::from_der(data) {
        // A parsed DER certificate keeps its bytes exactly, and its thumbprint is the
        // hash-only path's.
        assert_eq!(cert.der(), data);
        assert_eq!(Thumbprint::from_der(data).ok(), Some(cert.thumbprint()));
        // The views read without failing.
        let _ = cert.subject().to_string();
        let _ = cert.issuer().to_string();
        let _ = cert.sans().count();
        let _ = cert.spki();
    }
    if let Ok(cert) = ClientCertificate::from_pem(data) {
        // PEM decodes to DER that the DER reader accepts on its own.
        let again = ClientCertificate::from_der(cert.der()).map(|c| c.thumbprint());
        assert_eq!(again.ok(), Some(cert.thumbprint()));
    }
});
