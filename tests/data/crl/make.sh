#!/bin/sh
# Makes the revocation test files of tests/crl.rs with openssl (3.0 or later) and records
# openssl's verdicts on them in openssl-verdicts.txt. Run from this directory:
#   sh make.sh
# A root CA, an intermediate CA below it, client leaves below that (ECDSA P-256), and CRLs:
#   root.crl                the root's CRL, revoking nothing
#   root-revokes-int.crl    the root's CRL, revoking the intermediate (cACompromise)
#   int.crl                 the intermediate's CRL, revoking leaf-revoked (keyCompromise),
#                           with 1,000 more entries
#   int-expired.crl         the intermediate's CRL, nextUpdate 2022 (before the validation time)
#   int-forged.crl          a CRL with the intermediate's name, signed by another key
#   other.crl               the CRL of another CA (another name)
# and v1-root.pem, a version 1 root.
# Validation time: 2030-01-01T00:00:00Z (every certificate is valid 2020 to 2040).
set -eu
umask 022
rm -rf work && mkdir work
cat > work/ext.cnf <<'CNF'
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid:always
CNF

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "work/$1.key" 2>/dev/null; }
# cert NAME CN ISSUER EXT SERIAL
cert() {
  key "$1"
  openssl req -new -key "work/$1.key" -subj "/O=Example/CN=$2" -out "work/$1.csr" 2>/dev/null
  if [ "$3" = self ]; then
    openssl x509 -req -in "work/$1.csr" -signkey "work/$1.key" -out "$1.pem" \
      -extfile work/ext.cnf -extensions "$4" -set_serial "$5" \
      -not_before 20200101000000Z -not_after 20400101000000Z 2>/dev/null ||
    openssl x509 -req -in "work/$1.csr" -signkey "work/$1.key" -out "$1.pem" \
      -extfile work/ext.cnf -extensions "$4" -set_serial "$5" -days 7300
  else
    openssl x509 -req -in "work/$1.csr" -CA "$3.pem" -CAkey "work/$3.key" -out "$1.pem" \
      -extfile work/ext.cnf -extensions "$4" -set_serial "$5" \
      -not_before 20200101000000Z -not_after 20400101000000Z 2>/dev/null ||
    openssl x509 -req -in "work/$1.csr" -CA "$3.pem" -CAkey "work/$3.key" -out "$1.pem" \
      -extfile work/ext.cnf -extensions "$4" -set_serial "$5" -days 7300
  fi
}

# crl OUT ISSUER_CERT ISSUER_KEY LAST NEXT [SERIAL:REASON ...]
crl() {
  out=$1 cert=$2 key=$3 last=$4 next=$5
  shift 5
  d=work/ca-$out
  mkdir -p "$d"
  : > "$d/index.txt"
  for entry in "$@"; do
    serial=${entry%%:*} reason=${entry#*:}
    printf 'R\t400101000000Z\t250101000000Z,%s\t%s\tunknown\t/CN=revoked\n' "$reason" "$serial" >> "$d/index.txt"
  done
  echo 01 > "$d/crlnumber"
  cat > "$d/ca.cnf" <<CNF
[ca]
default_ca = this
[this]
database = $d/index.txt
crlnumber = $d/crlnumber
default_md = sha256
crl_extensions = crl_ext
[crl_ext]
authorityKeyIdentifier = keyid:always
CNF
  openssl ca -config "$d/ca.cnf" -gencrl -cert "$cert" -keyfile "$key" \
    -crl_lastupdate "$last" -crl_nextupdate "$next" -out "$out.pem" 2>/dev/null
  openssl crl -in "$out.pem" -outform DER -out "$out"
  rm "$out.pem"
}

cert root "Test Root CA" self ca_ext 01
cert int "Test Intermediate CA" root ca_ext 02
cert leaf "client-a" int leaf_ext 0x1001
cert leaf-revoked "client-a" int leaf_ext 0x1002
# A CA with the intermediate's name and another key (it signs int-forged.crl), and another CA.
cert twin "Test Intermediate CA" self ca_ext 04
mv twin.pem work/twin.pem
cert other "Other CA" self ca_ext 03

# A version 1 root (no extensions), which must not be accepted as a trust anchor.
key v1
openssl req -new -key work/v1.key -subj "/O=Example/CN=Version 1 Root" -out work/v1.csr 2>/dev/null
openssl x509 -req -in work/v1.csr -signkey work/v1.key -out v1-root.pem -days 7300 2>/dev/null

many=""
i=0
while [ $i -lt 1000 ]; do
  many="$many $(printf '%06X' $((0x200000 + i))):superseded"
  i=$((i + 1))
done

crl root.crl root.pem work/root.key 20250101000000Z 20390101000000Z
crl root-revokes-int.crl root.pem work/root.key 20250101000000Z 20390101000000Z 02:CACompromise
# shellcheck disable=SC2086
crl int.crl int.pem work/int.key 20250101000000Z 20390101000000Z 1002:keyCompromise $many
crl int-expired.crl int.pem work/int.key 20210101000000Z 20220101000000Z 1002:keyCompromise
crl int-forged.crl work/twin.pem work/twin.key 20250101000000Z 20390101000000Z
crl other.crl other.pem work/other.key 20250101000000Z 20390101000000Z
# The same CRLs as PEM, two in one file.
{ openssl crl -inform DER -in root.crl; openssl crl -inform DER -in int.crl; } > root-and-int.pem

AT=1893456000 # 2030-01-01T00:00:00Z
verdict() {
  name=$1 leaf=$2
  shift 2
  set -- $(for c in "$@"; do printf -- '-CRLfile %s.pem ' "work/$c"; done)
  out=$(openssl verify -crl_check_all -attime $AT -CAfile root.pem -untrusted int.pem "$@" "$leaf.pem" 2>&1 | grep -v '^C = \|^O = ' | tr '\n' ' ') || true
  printf '%s\t%s\n' "$name" "$out"
}
for c in root.crl root-revokes-int.crl int.crl int-expired.crl int-forged.crl other.crl; do
  openssl crl -inform DER -in "$c" -out "work/$c.pem"
done
{
  verdict good leaf root.crl int.crl
  verdict revoked-leaf leaf-revoked root.crl int.crl
  verdict revoked-intermediate leaf root-revokes-int.crl int.crl
  verdict unknown-leaf leaf root.crl
  verdict unknown-intermediate leaf int.crl
  verdict expired-crl leaf root.crl int-expired.crl
  verdict forged-crl leaf root.crl int-forged.crl
  verdict other-issuer leaf root.crl other.crl
} > openssl-verdicts.txt
rm -rf work
cat openssl-verdicts.txt
