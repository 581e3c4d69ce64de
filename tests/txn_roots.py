"""Small roots for the transaction tests, one per backend, and a change that
touches several files on each.

Every root has ``eth0`` (DHCP), and ``lo`` where the backend describes it
(NetworkManager and networkd leave the loopback alone); the Debian one keeps
``eth0`` in a file pulled in with ``source-directory``, so a change spans the
main file and an included one. The NetworkManager root also holds a Wi-Fi
connection (read, never an interface of ours) and the networkd root a drop-in.
:data:`BRIDGE` turns ``eth0`` into the port of a new bridge
``br0`` with a static address and a gateway: on Red Hat it edits ``ifcfg-eth0``
and creates ``ifcfg-br0``; on Debian it edits ``interfaces`` and
``interfaces.d/eth0``; on SUSE it edits ``ifcfg-eth0`` and creates
``ifcfg-br0`` and a ``routes`` line; on nm-keyfile it edits eth0's keyfile
(found by interface-name, not by its file name) and creates ``br0.nmconnection``;
on networkd it edits ``10-eth0.network`` and creates ``50-augnetcf-br0.netdev``
and ``.network``; on netplan it edits the installer's ``00-installer-config.yaml``
(four spaces a level, as Ubuntu's installer writes) and creates ``60-augnetcf.yaml``.
"""

from __future__ import annotations

from pathlib import Path

BACKENDS = ("redhat", "debian", "suse", "nm-keyfile", "networkd", "netplan")

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
    "nm-keyfile": {
        "etc/NetworkManager/system-connections/Wired connection 1.nmconnection":
            "# the LAN\n[connection]\nid=Wired connection 1\nuuid=0b6e8a4e-3c55-4d3b-9a57-5b0a3e7f0c01\n"
            "type=ethernet\ninterface-name=eth0\nautoconnect=true\n\n[ipv4]\nmethod=auto\n\n"
            "[ipv6]\nmethod=ignore\n",
        "etc/NetworkManager/system-connections/home.nmconnection":
            "[connection]\nid=home\nuuid=0b6e8a4e-3c55-4d3b-9a57-5b0a3e7f0c02\ntype=wifi\n"
            "interface-name=wlan0\n\n[wifi]\nssid=home\n",
        "etc/NetworkManager/NetworkManager.conf": "[main]\nplugins=keyfile\n",
    },
    "networkd": {
        "etc/systemd/network/10-eth0.network": "# the LAN\n[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\n",
        "etc/systemd/network/10-eth0.network.d/llmnr.conf": "[Network]\nLLMNR=no\n",
        "etc/systemd/network/README": "not configuration\n",
    },
    "netplan": {
        "etc/netplan/00-installer-config.yaml": "# the LAN\nnetwork:\n    ethernets:\n        eth0:\n"
                                                "            dhcp4: true\n    version: 2\n",
        "etc/netplan/90-lab.yaml": "network:\n  version: 2\n  ethernets:\n    eth3:\n      dhcp4: true\n"
                                   "      optional: true\n",
        "etc/netplan/README": "not configuration\n",
    },
}

#: Files each backend owns in its root (not README, not a .bak).
OWNED = {
    "redhat": ["etc/sysconfig/network-scripts/ifcfg-eth0", "etc/sysconfig/network-scripts/ifcfg-lo"],
    "debian": ["etc/network/interfaces", "etc/network/interfaces.d/eth0"],
    "suse": ["etc/sysconfig/network/ifcfg-eth0", "etc/sysconfig/network/ifcfg-lo",
             "etc/sysconfig/network/routes"],
    "nm-keyfile": ["etc/NetworkManager/system-connections/Wired connection 1.nmconnection",
                   "etc/NetworkManager/system-connections/home.nmconnection"],
    "networkd": ["etc/systemd/network/10-eth0.network", "etc/systemd/network/10-eth0.network.d/llmnr.conf"],
    "netplan": ["etc/netplan/00-installer-config.yaml", "etc/netplan/90-lab.yaml"],
}

BRIDGE = b"""<interface type="bridge" name="br0">
  <start mode="onboot"/>
  <protocol family="ipv4">
    <ip address="192.0.2.10" prefix="24"/>
    <route gateway="192.0.2.1"/>
  </protocol>
  <bridge stp="off" delay="2">
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
        if path.suffix in (".nmconnection", ".yaml"):
            path.chmod(0o600)  # NetworkManager ignores keyfiles others can read; netplan warns
    return where
