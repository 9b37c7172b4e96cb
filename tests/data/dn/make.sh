#!/bin/sh
# Regenerates the DN test vectors: certificates whose subjects exercise multi-valued RDNs,
# repeated types, escaping and non-ASCII values, and each subject as rendered by OpenSSL
# (-nameopt RFC2253), Python cryptography (rfc4514_string()) and Java X500Principal
# (getName(), getName("CANONICAL")). tests/dn_vectors.rs checks that every rendering
# matches its certificate. Needs openssl, python3 with cryptography, and java 17+.
# Usage: sh tests/data/dn/make.sh   (from the crate root or anywhere)
set -eu
cd "$(dirname "$0")"
key=$(mktemp)
trap 'rm -f "$key"' EXIT
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key" 2>/dev/null

mk() { # name subject [extra openssl req args]
    name=$1; subj=$2; shift 2
    openssl req -new -x509 -key "$key" -days 3650 -multivalue-rdn -utf8 \
        -subj "$subj" -set_serial 1 -out "$name.pem" "$@"
}

# D-3 (specs.md): C PrintableString, O with a comma, {OU, CN} multi-valued, emailAddress
# IA5String, CN with leading space, '#', '+' and a trailing space.
mk d3 '/C=US/O=Example, Inc./OU=Sales+CN=J. Smith/emailAddress=J.Smith@Example.COM/CN= #lead\+trail '
# RFC 4514 section 4 shape: repeated DC, a multi-valued RDN with the same type twice, UID.
mk dc '/DC=net/DC=example/OU=Sales+OU=EMEA/CN=J.  Smith/UID=jsmith'
# Non-ASCII UTF8String values, quotes, semicolons and angle brackets.
mk utf8 '/C=HR/ST=Grad Zagreb/O=Lučić d.o.o./OU=Ölçü <Test>; "R&D"/CN=Łódź Żółć'
# Less common registered types (Python and Java print them as OIDs).
mk types '/C=DE/serialNumber=1234/title=Dr./GN=Anna/SN=Meier/CN=Anna Meier'

: > vectors.tsv
for c in d3 dc utf8 types; do
    printf '%s\topenssl\t%s\n' "$c" "$(openssl x509 -in "$c.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')" >> vectors.tsv
    printf '%s\tpython\t%s\n' "$c" "$(python3 render.py "$c.pem")" >> vectors.tsv
    java Render.java "$c.pem" > java.out
    printf '%s\tjava\t%s\n' "$c" "$(sed -n 1p java.out)" >> vectors.tsv
    printf '%s\tjava-canonical\t%s\n' "$c" "$(sed -n 2p java.out)" >> vectors.tsv
    rm -f java.out
done
