#!/bin/sh
# Install what augnetcf needs, then the package (from a built wheel) into .venv.
# Debian/Ubuntu use apt, Fedora/RHEL/CentOS use dnf. Safe to run again: it only
# installs what is missing. Run as root (or with sudo) for the system packages.
set -eu
cd "$(dirname "$0")/.."

# iproute2, a DHCP client (dhclient), and for the kernel tests dnsmasq (only its binary:
# dnsmasq-base, so no DNS service starts on the host) and ping.
DEB_PKGS="libaugeas0 augeas-lenses augeas-tools libaugeas-dev pkg-config gcc python3-dev python3-venv iproute2
          isc-dhcp-client dnsmasq-base iputils-ping"
# The judges of the nm-keyfile and networkd tests: systemd-networkd, and what the
# nmcli unpacked from Debian's network-manager package links against.
DEB_PKGS="$DEB_PKGS systemd libglib2.0-0 libgnutls30 libreadline8 libudev1"
RPM_PKGS="augeas-libs augeas augeas-devel pkgconf-pkg-config gcc python3-devel iproute
          dhcp-client dnsmasq iputils"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    missing=""
    for p in $DEB_PKGS; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        echo "setup: installing$missing"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq $missing >/dev/null
    fi
elif command -v dnf >/dev/null 2>&1; then
    rpm -q $RPM_PKGS >/dev/null 2>&1 || as_root dnf install -y -q $RPM_PKGS
else
    echo "setup: neither apt-get nor dnf found; install libaugeas (>= 1.12) and its headers yourself" >&2
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# Dependencies first (only what is missing), then augnetcf itself from a freshly
# built wheel, so what runs is what `pip install .` installs.
.venv/bin/python -m pip install -q --disable-pip-version-check ".[test,kernel]"
.venv/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps .
