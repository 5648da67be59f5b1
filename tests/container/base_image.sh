#!/bin/sh
# Builds the root filesystem that stands in for python:3.11-slim when no image can be pulled:
# Debian bookworm (minbase) with python3, its headers (as the official image has them), venv and
# pip, this machine's CA certificates and pip
# index settings, written as a tarball for `docker import`.
#
# usage: base_image.sh OUT.tar
set -eu

out=${1:?usage: base_image.sh OUT.tar}
here=$(cd "$(dirname "$0")" && pwd)
suite=bookworm

# The machine's configured Debian mirror: first URI of a bookworm source, deb822 or one-line style.
mirror() {
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        case "$f" in
        *.sources)
            awk -v suite="$suite" '
                /^[[:space:]]*$/ { if (uri != "" && ok) { print uri; exit } uri = ""; ok = 0; next }
                tolower($1) == "uris:" { uri = $2 }
                tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == suite) ok = 1 }
                END { if (uri != "" && ok) print uri }
            ' "$f" | grep -v -- '-security' | head -n 1
            ;;
        *)
            awk -v suite="$suite" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i == suite) { print $(i - 1); exit } }' "$f" |
                sed 's/^\[.*\]$//' | head -n 1
            ;;
        esac
    done | grep -m 1 . || echo http://deb.debian.org/debian
}

work=$(mktemp -d "${out%/*}/rootfs.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
root="$work/root"

url=$(mirror)
echo "base_image: debootstrap $suite from $url" >&2
debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,python3-dev,ca-certificates \
    "$suite" "$root" "$url" >"$work/debootstrap.log" 2>&1 || {
    tail -n 20 "$work/debootstrap.log" >&2
    exit 1
}

# TLS to the package index may pass through an intercepting proxy whose CA only this machine trusts.
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
if ls /usr/local/share/ca-certificates/* >/dev/null 2>&1; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi

# pip's index settings, so `pip install` in a build reaches the same index as on this machine.
if command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1; then
    python3 "$here/pip_settings.py" python3 -m pip >"$root/etc/pip.conf"
else
    python3 "$here/pip_settings.py" true >"$root/etc/pip.conf" 2>/dev/null || :
fi

# Behave like the official image: `python` and `pip` on PATH, pip free to install system-wide.
ln -sf python3 "$root/usr/bin/python"
ln -sf pip3 "$root/usr/bin/pip"
rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED

# What a slim image leaves out.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/* \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
find "$root" -name __pycache__ -type d -prune -exec rm -rf {} +

tar --numeric-owner -C "$root" -cf "$out.part" .
mv "$out.part" "$out"
echo "base_image: wrote $out ($(du -h "$out" | cut -f1))" >&2
