"""Small roots for the transaction tests, one per backend, and a change that
touches several files on each.

Every root has ``lo`` and ``eth0`` (DHCP); the Debian one keeps ``eth0`` in a
file pulled in with ``source-directory``, so a change spans the main file and
an included one. :data:`BRIDGE` turns ``eth0`` into the port of a new bridge
``br0`` with a static address and a gateway: on Red Hat it edits ``ifcfg-eth0``
and creates ``ifcfg-br0``; on Debian it edits ``interfaces`` and
``interfaces.d/eth0``; on SUSE it edits ``ifcfg-eth0`` and creates
``ifcfg-br0`` and a ``routes`` line.
"""

from __future__ import annotations

from pathlib import Path

BACKENDS = ("redhat", "debian", "suse")

FILES: dict[str, dict[str, str]] = {
    "redhat": {
        "etc/sysconfig/network-scripts/ifcfg-lo": "DEVICE=lo\nIPADDR=127.0.0.1\nNETMASK=255.0.0.0\n"
                                                  "ONBOOT=yes\n",
        "etc/sysconfig/network-scripts/ifcfg-eth0": "# the LAN\nDEVICE=eth0\nBOOTPROTO=dhcp\nONBOOT=yes\n",
        "etc/sysconfig/network-scripts/README": "not configuration\n",
    },
    "debian": {
        "etc/network/interfaces": "# managed by hand and by augnetcf\nauto lo\niface lo inet loopback\n\n"
                                  "source-directory interfaces.d\n",
        "etc/network/interfaces.d/eth0": "auto eth0\niface eth0 inet dhcp\n",
    },
    "suse": {
        "etc/sysconfig/network/ifcfg-lo": "STARTMODE=auto\nBOOTPROTO=static\nIPADDR=127.0.0.1/8\n",
        "etc/sysconfig/network/ifcfg-eth0": "# the LAN\nSTARTMODE=auto\nBOOTPROTO=dhcp\n",
        "etc/sysconfig/network/ifcfg-eth0.bak": "STARTMODE=manual\n",
        "etc/sysconfig/network/routes": "# static routes\n",
    },
}

#: Files each backend owns in its root (not README, not a .bak).
OWNED = {
    "redhat": ["etc/sysconfig/network-scripts/ifcfg-eth0", "etc/sysconfig/network-scripts/ifcfg-lo"],
    "debian": ["etc/network/interfaces", "etc/network/interfaces.d/eth0"],
    "suse": ["etc/sysconfig/network/ifcfg-eth0", "etc/sysconfig/network/ifcfg-lo",
             "etc/sysconfig/network/routes"],
}

BRIDGE = b"""<interface type="bridge" name="br0">
  <start mode="onboot"/>
  <protocol family="ipv4">
    <ip address="192.0.2.10" prefix="24"/>
    <route gateway="192.0.2.1"/>
  </protocol>
  <bridge stp="off" delay="0">
    <interface type="ethernet" name="eth0"/>
  </bridge>
</interface>
"""


def ethernet(name: str, address: str | None = None) -> bytes:
    """A plain ethernet interface, DHCP or with a static /24 *address*."""
    proto = f'<ip address="{address}" prefix="24"/>' if address else "<dhcp/>"
    return (f'<interface type="ethernet" name="{name}"><start mode="onboot"/>'
            f'<protocol family="ipv4">{proto}</protocol></interface>').encode()


def make_root(where: Path, backend: str) -> Path:
    for rel, text in FILES[backend].items():
        path = where / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return where
