#!/usr/bin/env bash
# Makes a private CA for one bridge-db-adapter cluster and a certificate and key per member, for the
# event bus's mutual TLS (cluster.tls). Each certificate serves its member as TLS server and as client.
#   scripts/make-cluster-certs.sh [-d DIR] [--days N] MEMBER...
#   MEMBER    a member's host name or IP address; several names of one member joined by commas
#             (adapter-1,10.0.0.5) go into one certificate, whose files take the first name
#   -d DIR    where the files go (default: cluster-certs); run again with the same DIR to add members
#             or renew their certificates: the CA there is reused
#   --days N  how long member certificates are valid (default 825; the CA: 3650)
# Files, all PEM: DIR/ca.pem (every member's cluster.tls_ca), DIR/ca.key (keep it off the members: whoever
# holds it can make members), DIR/MEMBER.pem and DIR/MEMBER.key (that member's cluster.tls_cert and tls_key).
# Only openssl is needed (OpenSSL 1.1+, or the LibreSSL of macOS).
set -euo pipefail

die() { printf 'error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

DIR=cluster-certs
DAYS=825
CA_DAYS=3650
MEMBERS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -d) [[ $# -ge 2 ]] || usage; DIR="$2"; shift 2 ;;
    --days) [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || usage; DAYS="$2"; shift 2 ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) MEMBERS+=("$1"); shift ;;
  esac
done
[[ ${#MEMBERS[@]} -gt 0 ]] || usage
command -v openssl >/dev/null || die "openssl is not installed (Debian: apt-get install openssl)"
for member in "${MEMBERS[@]}"; do
  [[ "$member" =~ ^[A-Za-z0-9._:-]+(,[A-Za-z0-9._:-]+)*$ ]] || die "'$member' is not a host name or an IP address"
done

umask 077
mkdir -p "$DIR"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# EC P-256 as PKCS#8 ("BEGIN PRIVATE KEY"): the form every PEM reader takes, Vert.x's included
new_key() { openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$1"; }
serial() { echo "0x$(openssl rand -hex 16)"; }
is_ip() { [[ "$1" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ || "$1" == *:* ]]; }

if [[ ! -f "$DIR/ca.pem" || ! -f "$DIR/ca.key" ]]; then
  new_key "$DIR/ca.key"
  # a name of its own, so that two clusters' CAs are never mistaken for each other
  cat > "$TMP/ca.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
x509_extensions = ca
[dn]
CN = bridge-db-adapter cluster CA $(openssl rand -hex 4)
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF
  openssl req -new -x509 -sha256 -key "$DIR/ca.key" -config "$TMP/ca.cnf" -days "$CA_DAYS" -set_serial "$(serial)" \
    -out "$DIR/ca.pem"
  chmod 644 "$DIR/ca.pem"
  printf 'made CA %s\n' "$(openssl x509 -in "$DIR/ca.pem" -noout -subject)"
else
  printf 'reusing CA %s\n' "$(openssl x509 -in "$DIR/ca.pem" -noout -subject)"
fi

for member in "${MEMBERS[@]}"; do
  IFS=, read -r -a names <<< "$member"
  name="${names[0]}"
  alt=""
  for one in "${names[@]}"; do
    if is_ip "$one"; then alt="$alt${alt:+, }IP:$one"; else alt="$alt${alt:+, }DNS:$one"; fi
  done
  cat > "$TMP/member.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
CN = $name
[member]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = $alt
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  new_key "$DIR/$name.key"
  openssl req -new -sha256 -key "$DIR/$name.key" -config "$TMP/member.cnf" -out "$TMP/member.csr"
  openssl x509 -req -sha256 -in "$TMP/member.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" -set_serial "$(serial)" \
    -days "$DAYS" -extfile "$TMP/member.cnf" -extensions member -out "$DIR/$name.pem" 2>"$TMP/x509.err" \
    || { cat "$TMP/x509.err" >&2; exit 1; }
  chmod 644 "$DIR/$name.pem"
  openssl verify -CAfile "$DIR/ca.pem" -purpose sslserver "$DIR/$name.pem" >/dev/null
  openssl verify -CAfile "$DIR/ca.pem" -purpose sslclient "$DIR/$name.pem" >/dev/null
  printf 'made %s (%s); on that member:\n' "$DIR/$name.pem" "$alt"
  printf '  BRIDGE_CLUSTER_TLS=true BRIDGE_CLUSTER_TLS_CERT=%s BRIDGE_CLUSTER_TLS_KEY=%s BRIDGE_CLUSTER_TLS_CA=%s\n' \
    "$DIR/$name.pem" "$DIR/$name.key" "$DIR/ca.pem"
done
