# Copyright: augnetcf contributors
# GNU Lesser General Public License v2.1 or later (see https://www.gnu.org/licenses/lgpl-2.1.txt)
"""Interface XML <-> plain data for the augnetcf.net modules.

The modules accept a structured ``config`` dict so that playbooks need not
embed XML; it is turned into the same libvirt-style interface XML the library
validates (so every check the library makes still applies). Facts go the other
way: XML into a dict that Jinja can walk.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    from lxml import etree
    HAS_LXML = True
except ImportError:  # reported by the module with missing_required_lib
    etree = None
    HAS_LXML = False

TYPES = ("ethernet", "bridge", "bond", "vlan")


class ConfigError(ValueError):
    """A ``config`` dict that cannot be turned into interface XML."""


def _sub(parent, tag, **attrs):
    return etree.SubElement(parent, tag, {k: str(v) for k, v in attrs.items() if v is not None})


def _onoff(value):
    if isinstance(value, bool):
        return "on" if value else "off"
    return value


def _port(parent, port):
    """A bridge port or bond slave: a name (an ethernet NIC) or a dict."""
    if isinstance(port, str):
        port = {"name": port}
    if not isinstance(port, dict) or not port.get("name"):
        raise ConfigError("each port needs a name (a string, or a dict with name)")
    kind = port.get("type", "ethernet")
    el = _sub(parent, "interface", type=kind, name=port["name"])
    if kind == "ethernet":
        if port.get("mac"):
            _sub(el, "mac", address=port["mac"])
    elif kind == "vlan":
        _vlan(el, port)
    elif kind == "bond":
        _bond(el, port)
    else:
        raise ConfigError("port %s: type %s cannot be a port" % (port["name"], kind))


def _vlan(el, conf):
    if conf.get("tag") is None or not conf.get("device"):
        raise ConfigError("a vlan needs tag and device")
    vlan = _sub(el, "vlan", tag=conf["tag"])
    _sub(vlan, "interface", name=conf["device"])


def _bond(el, conf):
    bond = _sub(el, "bond", mode=conf.get("mode"))
    if conf.get("miimon") is not None:
        _sub(bond, "miimon", freq=conf["miimon"])
    for port in conf.get("ports") or []:
        _port(bond, port)


def _protocol(root, family, conf):
    if not conf:
        return
    proto = _sub(root, "protocol", family=family)
    if family == "ipv6" and conf.get("autoconf"):
        _sub(proto, "autoconf")
    if conf.get("dhcp"):
        peerdns = conf.get("peerdns")
        if isinstance(peerdns, bool):
            peerdns = "yes" if peerdns else "no"
        _sub(proto, "dhcp", peerdns=peerdns)
    for address in conf.get("addresses") or []:
        address = str(address)
        ip, _, prefix = address.partition("/")
        _sub(proto, "ip", address=ip, prefix=prefix or None)
    if conf.get("gateway"):
        _sub(proto, "route", gateway=conf["gateway"])


def config_to_xml(name, conf):
    """The interface XML (a string) the ``config`` dict *conf* describes for *name*.

    Keys: type (ethernet, bridge, bond, vlan), start (onboot, none, hotplug),
    mtu, mac, ipv4/ipv6 ({dhcp, peerdns, addresses: [ADDR/PREFIX], gateway,
    autoconf (ipv6)}), ports (bridge ports / bond slaves: names or dicts),
    stp and delay (bridge), mode and miimon (bond), tag and device (vlan).
    """
    kind = conf.get("type", "ethernet")
    if kind not in TYPES:
        raise ConfigError("config.type must be one of %s, not %r" % (", ".join(TYPES), kind))
    root = etree.Element("interface", type=kind, name=name)
    if conf.get("start"):
        _sub(root, "start", mode=conf["start"])
    if conf.get("mtu") is not None:
        _sub(root, "mtu", size=conf["mtu"])
    if conf.get("mac"):
        if kind != "ethernet":
            raise ConfigError("config.mac is for ethernet interfaces (give the ports their mac)")
        _sub(root, "mac", address=conf["mac"])
    _protocol(root, "ipv4", conf.get("ipv4"))
    _protocol(root, "ipv6", conf.get("ipv6"))
    if kind == "bridge":
        bridge = _sub(root, "bridge", stp=_onoff(conf.get("stp")), delay=conf.get("delay"))
        for port in conf.get("ports") or []:
            _port(bridge, port)
    elif kind == "bond":
        _bond(root, conf)
    elif kind == "vlan":
        _vlan(root, conf)
    elif conf.get("ports"):
        raise ConfigError("config.ports is for bridges and bonds, not %s" % kind)
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def element_to_dict(el):
    """An XML element as a dict: its attributes as keys, and each child tag as a
    key holding the list of those children (as dicts), in document order."""
    out = dict(el.attrib)
    for child in el:
        if not isinstance(child.tag, str):  # comments, processing instructions
            continue
        out.setdefault(child.tag, []).append(element_to_dict(child))
    return out


def xml_to_dict(xml):
    """Interface XML (a string) as a dict, see :func:`element_to_dict`."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    return element_to_dict(etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True)))
