#!/bin/sh
# Installs what the container test needs: Debian's docker engine and debootstrap.
# Idempotent: does nothing when both are already present.
set -eu

have() { command -v "$1" >/dev/null 2>&1; }

if have dockerd && have debootstrap; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "setup.sh: installing docker.io and debootstrap needs root" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends docker.io debootstrap
