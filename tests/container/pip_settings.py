"""Print a pip.conf that lets pip inside the test base image reach the package index this machine uses.

Reads `pip config list` (files and PIP_* variables alike) and keeps the settings that still mean
something inside the image: index URLs over the network, trusted hosts, proxy, timeouts, retries.
Local paths (find-links directories, file:// indexes, constraint files) do not exist in the image
and are left out; the certificate bundle is pointed at the one copied into the image.
"""

from __future__ import annotations

import configparser
import io
import subprocess
import sys

# pip options that name a network location or tune the connection, and so carry over as they are.
NETWORK_OPTIONS = {"index-url", "extra-index-url", "trusted-host", "proxy", "timeout", "default-timeout", "retries"}
IMAGE_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def machine_settings(pip: list[str]) -> dict[str, str]:
    """`pip config list` as {option: value}; a PIP_* variable wins over the same option in a file."""
    listing = subprocess.run([*pip, "config", "list"], capture_output=True, text=True, check=False).stdout
    from_files: dict[str, str] = {}
    from_env: dict[str, str] = {}
    for line in listing.splitlines():
        key, sep, value = line.partition("=")
        if not sep:
            continue
        value = value.strip().strip("'\"")
        if key.startswith(":env:."):
            from_env[key.removeprefix(":env:.")] = value
        else:
            from_files[key.split(".", 1)[-1]] = value
    return from_files | from_env


def image_settings(settings: dict[str, str]) -> dict[str, str]:
    kept: dict[str, str] = {}
    for option, value in settings.items():
        if option in NETWORK_OPTIONS:
            urls = [word for word in value.split() if not word.startswith("file:")]
            if urls:
                kept[option] = " ".join(urls)
    kept["cert"] = IMAGE_CA_BUNDLE
    kept["disable-pip-version-check"] = "1"
    return kept


def pip_conf(settings: dict[str, str]) -> str:
    parser = configparser.ConfigParser()
    parser["global"] = settings
    out = io.StringIO()
    parser.write(out)
    return out.getvalue()


def main() -> int:
    pip = sys.argv[1:] or [sys.executable, "-m", "pip"]
    sys.stdout.write(pip_conf(image_settings(machine_settings(pip))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
