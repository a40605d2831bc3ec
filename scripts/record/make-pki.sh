#!/usr/bin/env bash
# Makes the TEST-ONLY certificates and keys the sample recordings use, into scripts/record/pki/.
# They are committed so a re-recording presents the same certificates; nothing here protects anything.
# Run it again only to start over (it overwrites every file). Needs: openssl (3.x).
#
#   ca-a.pem / ca-a.key          "tlsdiag test CA A": issues the server certificates
#   ca-b.pem / ca-b.key          "tlsdiag test CA B": issues the client certificate that servers trusting A reject
#   server.pem / server.key      CN=localhost, SAN localhost + 127.0.0.1 + ::1, issued by A, valid 20 years
#   server-expired.pem           same key as server.pem, issued by A, valid 2020-01-01 .. 2021-01-01 only
#   client-a.pem / client-a.key  CN=tlsdiag test client A, clientAuth, issued by A (accepted by servers trusting A)
#   client-b.pem / client-b.key  CN=tlsdiag test client B, clientAuth, issued by B (rejected by them)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pki="$here/pki"
mkdir -p "$pki"
cd "$pki"
rm -f ./*.pem ./*.key ./*.srl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ca() { # name, common name
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 7300 \
    -keyout "$1.key" -out "$1.pem" -subj "/O=tlsdiag test/CN=$2" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
ca ca-a "tlsdiag test CA A"
ca ca-b "tlsdiag test CA B"

cat > "$tmp/server.ext" <<'EXT'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
EXT
cat > "$tmp/client.ext" <<'EXT'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
EXT

openssl req -new -newkey rsa:2048 -nodes -keyout server.key -out "$tmp/server.csr" -subj "/O=tlsdiag test/CN=localhost"
openssl x509 -req -sha256 -days 7300 -in "$tmp/server.csr" -CA ca-a.pem -CAkey ca-a.key \
  -set_serial 0x1001 -extfile "$tmp/server.ext" -out server.pem

# `openssl x509 -req` of OpenSSL 3.0 cannot back-date a certificate; `openssl ca` can (-startdate/-enddate).
mkdir -p "$tmp/ca/new"
: > "$tmp/ca/index.txt"
echo 1002 > "$tmp/ca/serial"
cat > "$tmp/ca.cnf" <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
database = $tmp/ca/index.txt
new_certs_dir = $tmp/ca/new
serial = $tmp/ca/serial
certificate = $pki/ca-a.pem
private_key = $pki/ca-a.key
default_md = sha256
policy = anything
copy_extensions = none
unique_subject = no
[ anything ]
organizationName = optional
commonName = supplied
CNF
openssl ca -batch -config "$tmp/ca.cnf" -in "$tmp/server.csr" -out server-expired.pem -notext \
  -startdate 20200101000000Z -enddate 20210101000000Z -extfile "$tmp/server.ext"

client() { # name, issuing CA, serial, common name
  openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" -out "$tmp/$1.csr" -subj "/O=tlsdiag test/CN=$4"
  openssl x509 -req -sha256 -days 7300 -in "$tmp/$1.csr" -CA "$2.pem" -CAkey "$2.key" \
    -set_serial "$3" -extfile "$tmp/client.ext" -out "$1.pem"
}
client client-a ca-a 0x2001 "tlsdiag test client A"
client client-b ca-b 0x2002 "tlsdiag test client B"

cat > README.md <<'TXT'
# Test-only PKI for the sample recordings

Made by `../make-pki.sh`. These keys are published on purpose and protect nothing: they exist so that
`../record-all.sh` presents the same certificates every time the samples are re-recorded.
Never use them for anything else.

| file | what |
| --- | --- |
| ca-a.pem, ca-a.key | "tlsdiag test CA A", issues the server certificates |
| ca-b.pem, ca-b.key | "tlsdiag test CA B", issues the client certificate that a server trusting only A rejects |
| server.pem, server.key | CN=localhost (SAN localhost, 127.0.0.1, ::1), issued by A |
| server-expired.pem | the same key, issued by A, valid 2020-01-01 to 2021-01-01 only |
| client-a.pem, client-a.key | CN=tlsdiag test client A (clientAuth), issued by A: accepted by servers trusting A |
| client-b.pem, client-b.key | CN=tlsdiag test client B (clientAuth), issued by B: rejected by servers trusting only A |
TXT
chmod 644 ./*.key
echo "pki written to $pki"
