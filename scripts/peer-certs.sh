#!/usr/bin/env bash
# Makes a certificate authority and one certificate per member for mutual TLS between members, as PEM
# files in the layout docs/operations.md#tls and docker-compose.tls.yml use:
#
#   scripts/peer-certs.sh <dir> <member> [<member>...]
#
#   <dir>/ca.crt, <dir>/ca.key             the CA (keep ca.key away from the members)
#   <dir>/<member>.crt, <dir>/<member>.key  subject CN=<member>; SANs: <member>, localhost, 127.0.0.1
#
# Extra SANs for every member certificate: PEER_CERT_SANS="DNS:roster.example,IP:10.0.0.4". The CA is
# reused when <dir>/ca.key exists, so running it again for new members (or a rotation) keeps the trust.
# For trying Roster out; production clusters use their own CA (cert-manager, Vault, an internal PKI).
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
command -v openssl >/dev/null || { echo "peer-certs.sh needs openssl (apt-get install openssl)" >&2; exit 1; }

dir=$1
shift
mkdir -p "$dir"
days=${PEER_CERT_DAYS:-365}

if [[ ! -f "$dir/ca.key" ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days $((days * 2)) \
    -subj "/CN=roster-peer-ca" -keyout "$dir/ca.key" -out "$dir/ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
fi

for member in "$@"; do
  sans="DNS:$member,DNS:localhost,IP:127.0.0.1${PEER_CERT_SANS:+,$PEER_CERT_SANS}"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$member" \
    -keyout "$dir/$member.key.new" -out "$dir/$member.csr" 2>/dev/null
  openssl x509 -req -in "$dir/$member.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days "$days" \
    -out "$dir/$member.crt.new" -extfile <(printf '%s\n' \
      "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth,clientAuth" \
      "subjectAltName=$sans") 2>/dev/null
  # The key first: a member re-reading the files takes a new pair only once both match.
  mv "$dir/$member.key.new" "$dir/$member.key"
  mv "$dir/$member.crt.new" "$dir/$member.crt"
  rm -f "$dir/$member.csr"
  chmod 0644 "$dir/$member.key" # read by the container's roster user; keep the directory private
  echo "$dir/$member.crt ($sans)"
done
