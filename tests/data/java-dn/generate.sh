#!/bin/sh
# Regenerates names.tsv: the subject of every certificate in a CA bundle (default: this
# machine's, /etc/ssl/certs/ca-certificates.crt) and of the certificates in tests/data/dn/,
# as Java's X500Principal renders it (getName(RFC1779), getName(), getName(CANONICAL)), with
# the subject's DER so that tests can match each rendering against the name it came from.
# tests/dn_java_legacy.rs reads it. Needs java 17+ (run as a single-file source program).
# Usage: sh tests/data/java-dn/generate.sh [BUNDLE]   (from anywhere)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bundle=${1:-/etc/ssl/certs/ca-certificates.crt}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
{
    printf '# sha256(cert)\tsubject DER\tgetName(RFC1779)\tgetName()\tgetName(CANONICAL)\n'
    java "$here/JavaNames.java" "$bundle" "$here"/../dn/*.pem
} > "$out"
cp "$out" "$here/names.tsv"
echo "$(($(wc -l < "$here/names.tsv") - 1)) certificates written to $here/names.tsv"
