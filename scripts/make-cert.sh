#!/usr/bin/env bash
# Makes a self-signed certificate and its key for a TLS chat server: DIR/cert.pem and DIR/key.pem (mode 600, as
# the server requires of a key its own user owns), valid for HOST (a name or an IP address) and localhost.
# Usage: scripts/make-cert.sh DIR [HOST] [DAYS]   (defaults: localhost, 365)
set -euo pipefail
if [ $# -lt 1 ]; then
    echo "usage: scripts/make-cert.sh DIR [HOST] [DAYS]" >&2
    exit 2
fi
dir=$1
host=${2:-localhost}
days=${3:-365}
if [[ "$host" =~ ^[0-9.]+$ || "$host" == *:* ]]; then names="IP:$host,DNS:localhost"; else names="DNS:$host,DNS:localhost"; fi
mkdir -p "$dir"
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -days "$days" -subj "/CN=$host" -addext "subjectAltName=$names" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
chmod 600 "$dir/key.pem"
chmod 644 "$dir/cert.pem"
echo "certificate: $dir/cert.pem" >&2
echo "key:         $dir/key.pem" >&2
openssl x509 -noout -fingerprint -sha256 -in "$dir/cert.pem" | sed 's/^.*=/fingerprint: SHA256:/' >&2
