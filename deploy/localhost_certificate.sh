#!/usr/bin/env bash
# deploy/localhost_certificate.sh: sourced by deploy/quickstart.sh and tests/e2e/run.sh.
#
# MakeLocalhostCertificate DIR DAYS: writes DIR/server.crt and DIR/server.key, a self-signed EC
# P-256 certificate for localhost and 127.0.0.1 valid for DAYS days; the key is made under umask
# 077, so only its owner can read it. Returns openssl's status.
MakeLocalhostCertificate()
{
    local dir=$1 days=$2
    mkdir -p "$dir" || return
    (
        umask 077
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" \
            -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
            -keyout "$dir/server.key" -out "$dir/server.crt" 2>"$dir/openssl.log"
    ) || {
        local status=$?
        # openssl's reasons, which its progress output would otherwise bury.
        echo "making the certificate in $dir failed (openssl status $status):" >&2
        cat "$dir/openssl.log" >&2
        return "$status"
    }
    rm -f "$dir/openssl.log"
}
