"""Prints a certificate subject as Python cryptography renders it (rfc4514_string()). Used by make.sh."""
import sys
from cryptography import x509

with open(sys.argv[1], "rb") as f:
    cert = x509.load_pem_x509_certificate(f.read())
print(cert.subject.rfc4514_string())
