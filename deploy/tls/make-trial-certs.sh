#!/bin/sh
# Certificates for a TRIAL of TLS and mutual TLS: a throw-away CA, a server certificate and
# client certificates signed by it. Not for production (use your organisation's CA there).
#
#   deploy/tls/make-trial-certs.sh DIR SERVER_NAME [CLIENT_CN ...]
#   deploy/tls/make-trial-certs.sh ./certs dispatch.example.org boec-cad-1 console-floor-1
#
# Writes DIR/ca.pem (give it to clients as --ca, and to the server as [tls] client_ca),
# DIR/ca.key (keep it offline), DIR/server.pem + server.key ([tls] cert and key), and for
# each CLIENT_CN DIR/<cn>.pem + <cn>.key (--cert and --key; map the subject "CN=<cn>" to a
# role with [[auth.certs]]). Needs openssl 1.1.1 or later.
set -eu
[ $# -ge 2 ] || { sed -n '2,12p' "$0"; exit 2; }
dir=$1; server=$2; shift 2
mkdir -p "$dir"; cd "$dir"
umask 077

if [ ! -f ca.key ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 \
    -subj "/CN=dispatch trial CA" -keyout ca.key -out ca.pem \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
fi

issue() { # name cn extensions
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$2" \
    -keyout "$1.key" -out "$1.csr"
  printf '%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 90 \
    -extfile "$1.ext" -out "$1.pem"
  rm -f "$1.csr" "$1.ext"
}

case $server in
  *[!0-9.]*) san="DNS:$server,DNS:localhost,IP:127.0.0.1" ;;
  *) san="IP:$server,DNS:localhost,IP:127.0.0.1" ;;
esac
issue server "$server" "subjectAltName=$san
extendedKeyUsage=serverAuth
keyUsage=critical,digitalSignature"
for cn in "$@"; do
  issue "$cn" "$cn" "extendedKeyUsage=clientAuth
keyUsage=critical,digitalSignature"
done
chmod 644 ca.pem server.pem
echo "wrote $(pwd): ca.pem server.pem server.key $(for cn in "$@"; do printf '%s.pem %s.key ' "$cn" "$cn"; done)"
