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
        // Every path that reads names and SANs from DER accepts what `from_der` accepts,
        // and sees the same values.
        let subject = rfc8705::dn::NameRef::subject_of_der(data).expect("subject");
        assert_eq!(subject.to_string(), cert.subject().to_string());
        let issuer = rfc8705::dn::NameRef::issuer_of_der(data).expect("issuer");
        assert_eq!(issuer.to_string(), cert.issuer().to_string());
        let sans = rfc8705::san::PresentedSans::of_der(data).expect("sans");
        assert!(sans.iter().eq(cert.sans().iter()));
        let _ = cert.spki().der();
    } else {
        assert!(rfc8705::dn::NameRef::subject_of_der(data).is_err());
        assert!(rfc8705::san::PresentedSans::of_der(data).is_err());
    }
    if let Ok(cert) = ClientCertificate::from_pem(data) {
        // PEM decodes to DER that the DER reader accepts on its own.
        let again = ClientCertificate::from_der(cert.der()).map(|c| c.thumbprint());
        assert_eq!(again.ok(), Some(cert.thumbprint()));
    }
    // The auto-detecting reader is DER for a leading SEQUENCE tag, PEM otherwise.
    let auto = ClientCertificate::from_pem_or_der(data).map(|c| c.thumbprint());
    let expected = if data.first() == Some(&0x30) {
        ClientCertificate::from_der(data).map(|c| c.thumbprint())
    } else {
        ClientCertificate::from_pem(data).map(|c| c.thumbprint())
    };
    assert_eq!(auto, expected);
});
