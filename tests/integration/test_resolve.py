"""The rules that decide across files (augnetcf/resolve.py), tested directly.

Each rule is a function of plain facts, so it is checked here on facts
written out by hand: which unit wins a name, a master named by alias, the
owner of a mark without a name, which drop-ins and homes are whose, which
earlier file shadows a new one. Then both ways of reading, on real roots
through real Augeas: :func:`resolve.from_forest` on the forest of every file
and :func:`resolve.from_index` on the index's facts must say the same about
every interface (units, marks, masters, MACs, drop-ins, homes, patterns).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from augnetcf import backends, forest, resolve
from augnetcf.aug import AugeasSession
from augnetcf.index import Index

KERNEL = {"eth0": "52:54:00:00:00:01", "eth1": "52:54:00:00:00:02"}


# -- the rules, on facts -------------------------------------------------------------------------
def test_a_claim_with_the_nics_mac_beats_one_without_which_beats_a_wrong_mac():
    right = resolve.claim("eth0", KERNEL["eth0"], None, KERNEL)
    none = resolve.claim("eth0", "", None, KERNEL)
    wrong = resolve.claim("eth0", "52:54:00:00:00:99", None, KERNEL)
    assert right > none > wrong
    # a file named after the interface breaks a tie, never an order
    assert resolve.claim("eth0", "", "eth0", KERNEL) == none + 1
    assert resolve.claim("eth0", "", "eth0", KERNEL) < right


def test_the_strongest_claim_wins_and_the_first_of_equals():
    snap = resolve.Snapshot()
    resolve.keep_winners({("eth0", ""): [(2, "first"), (5, "best"), (5, "later")],
                          ("eth1", ""): [(2, "a"), (2, "b")]}, snap)
    assert snap.units == {"eth0": ["best"], "eth1": ["a"]}


def test_a_merging_backend_keeps_every_claim_in_file_order():
    snap = resolve.Snapshot()
    resolve.keep_winners({("eth0", ""): [(0, "a"), (5, "b"), (2, "c")]}, snap, merged=True)
    assert snap.units == {"eth0": ["a", "b", "c"]}


def test_a_master_named_by_alias_is_the_first_other_element_that_has_a_name():
    table = resolve.alias_table([
        ("wifi", "", ["shared"]),              # has the alias but no interface name: passed over
        ("me", "eth4", ["selfish", "u-4"]),    # the port itself: never its own master
        ("br-a", "br-a", ["shared", "u-a"]),
        ("br-b", "br-b", ["shared"]),
        ("br-self", "br-self", ["selfish"]),
    ])
    assert table["shared"] == [("wifi", ""), ("br-a", "br-a"), ("br-b", "br-b")]
    assert resolve.master_of("shared", "eth3", table) == "br-a"
    assert resolve.master_of("selfish", "me", table) == "br-self"
    assert resolve.master_of("u-a", "eth3", table) == "br-a"
    assert resolve.master_of("u-4", "me", table) == "u-4"  # only itself: the reference stays
    assert resolve.master_of("bond0", "eth0", table) == "bond0"  # named by its interface name
    assert resolve.master_of("", "eth0", table) == ""


def test_relations_go_both_ways_and_skip_the_backends_keywords():
    debian = backends.get("debian")
    assert "none" in debian.port_keywords
    snap = resolve.Snapshot()
    resolve.relate(snap, debian, "br0", "", "eth0 none eth1")
    resolve.relate(snap, debian, "eth0", "bond0", "")  # the first relation recorded stays
    resolve.relate(snap, debian, "vlan5", "br0", "")
    assert snap.masters == {"eth0": "br0", "eth1": "br0", "vlan5": "br0"}
    snap.units = {n: ["u"] for n in ("br0", "eth0", "eth1", "vlan5", "lo")}
    assert snap.names("br0") == ["br0", "eth0", "eth1", "vlan5"]
    assert snap.top_level() == ["br0", "lo"]


def test_a_mark_without_a_name_goes_to_the_single_interface_whose_net_holds_its_address():
    nets = [("eth0", ["10.0.0.1/24"]), ("br1", ["10.0.1.1/24", "fd00::1/64"]), ("br2", ["10.0.1.200/25"])]
    assert resolve.mark_owner("eth9", "10.0.0.254", nets) == "eth9"  # a name decides
    assert resolve.mark_owner("", "10.0.0.254", nets) == "eth0"
    assert resolve.mark_owner("", "fd00::fe", nets) == "br1"
    assert resolve.mark_owner("", "10.0.1.254", nets) == ""  # br1 and br2: no guess
    assert resolve.mark_owner("", "192.0.2.1", nets) == ""
    assert resolve.mark_owner("", "10.1", nets) == ""  # not an address
    assert resolve.mark_owner("", "", nets) == ""


def test_drop_ins_and_homes_go_to_the_interface_whose_unit_won():
    snap = resolve.Snapshot()
    by_path = {"/files/n/05-br1.network": "br1"}
    resolve.assign_extras(snap, by_path, [("dns", "/files/n/05-br1.network"),
                                          ("loser", "/files/n/40-br1.network"),
                                          ("mtu", "/files/n/05-br1.network")])
    resolve.assign_homes(snap, [("h1", "bond0"), ("nameless", ""), ("h2", "bond0")])
    assert snap.extras == {"br1": ["dns", "mtu"]}
    assert snap.homes == {"bond0": ["h1", "h2"]}


def test_a_new_file_is_shadowed_by_an_earlier_file_of_its_kind_that_takes_the_name():
    matches = [("/files/n/00-en.network", ["en*"]),
               ("/files/n/01-some.network", ["eth[5-7]", "!eth6"]),
               ("/files/n/02-two.network", ["eth8", "eth9"]),
               ("/files/n/03-eth4.netdev", ["eth4"]),
               ("/files/n/60-late.network", ["br9"])]

    def first(name: str, path: str = "/files/n/50-augnetcf-x.network") -> str | None:
        return resolve.shadowed_by(matches, name, path)

    assert first("enp1s0") == "/files/n/00-en.network"
    assert first("eth5") == "/files/n/01-some.network"
    assert first("eth6") is None  # negated
    assert first("eth9") == "/files/n/02-two.network"
    assert first("eth4") is None  # another kind of file
    assert first("br9") is None  # read after the new file
    assert first("br9", "/files/n/70-br9.network") == "/files/n/60-late.network"


# -- both ways of reading, on real roots -----------------------------------------------------------
def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        path.chmod(0o600)
    for nic, mac in KERNEL.items():
        (root / "sys/class/net" / nic).mkdir(parents=True, exist_ok=True)
        (root / "sys/class/net" / nic / "address").write_text(mac + "\n")
    return root


ND = "etc/systemd/network"
NETWORKD = {
    f"{ND}/10-eth0.network": "[Match]\nName=eth0\n\n[Network]\nBond=bond0\n",
    f"{ND}/10-eth1.network": "[Match]\nName=eth1\n\n[Network]\nBond=bond0\n",
    f"{ND}/20-bond0.netdev": "[NetDev]\nName=bond0\nKind=bond\n",
    f"{ND}/20-bond0.network": "[Match]\nName=bond0\n\n[Network]\nVLAN=bond0.5\n",
    f"{ND}/30-bond0.5.netdev": "[NetDev]\nName=bond0.5\nKind=vlan\n\n[VLAN]\nId=5\n",
    f"{ND}/30-bond0.5.network": "[Match]\nName=bond0.5\n\n[Network]\nBridge=br1\n",
    f"{ND}/40-br1.netdev": "[NetDev]\nName=br1\nKind=bridge\n",
    # one name, two files: the first in lexical order wins, with its drop-ins only
    f"{ND}/05-br1.network": "[Match]\nName=br1\n\n[Network]\nAddress=10.9.1.1/24\n",
    f"{ND}/05-br1.network.d/dns.conf": "[Network]\nDNS=9.9.9.9\n",
    f"{ND}/40-br1.network": "[Match]\nName=br1\n\n[Network]\nAddress=10.0.1.1/24\n",
    f"{ND}/40-br1.network.d/mtu.conf": "[Link]\nMTUBytes=1400\n",
    f"{ND}/00-en.network": "[Match]\nName=en*\n\n[Network]\nDHCP=yes\n",
}

NM = "etc/NetworkManager/system-connections"


def _conn(cid: str, kind: str, ifname: str | None, uuid: str, master: str | None = None) -> str:
    lines = ["[connection]", f"id={cid}", f"uuid={uuid}", f"type={kind}"]
    lines += [f"interface-name={ifname}"] if ifname else []
    lines += [f"master={master}", "slave-type=bridge"] if master else []
    return "\n".join(lines) + "\n[ipv4]\nmethod=disabled\n[ipv6]\nmethod=ignore\n"


def _uid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


NM_KEYFILE = {
    f"{NM}/br0.nmconnection": _conn("Bridge zero", "bridge", "br0", _uid(1)),
    f"{NM}/eth0.nmconnection": _conn("eth0", "ethernet", "eth0", _uid(2), _uid(1)),  # by uuid
    f"{NM}/eth1.nmconnection": _conn("eth1", "ethernet", "eth1", _uid(3), "Bridge zero"),  # by id
    f"{NM}/dup-0.nmconnection": _conn("shared", "wifi", None, _uid(10)),
    f"{NM}/dup-a.nmconnection": _conn("shared", "bridge", "br-a", _uid(11)),
    f"{NM}/dup-b.nmconnection": _conn("shared", "bridge", "br-b", _uid(12)),
    f"{NM}/eth3.nmconnection": _conn("eth3", "ethernet", "eth3", _uid(13), "shared"),
}

SUSE_DIR = "etc/sysconfig/network"
SUSE = {
    f"{SUSE_DIR}/ifcfg-eth0": "STARTMODE=auto\nBOOTPROTO=static\nIPADDR=10.0.0.1/24\n",
    f"{SUSE_DIR}/ifcfg-br1": "STARTMODE=auto\nBOOTPROTO=static\nIPADDR=10.0.1.1/24\nBRIDGE=yes\n"
                             "BRIDGE_PORTS=eth1\n",
    f"{SUSE_DIR}/ifcfg-eth1": "STARTMODE=hotplug\nBOOTPROTO=none\n",
    # the second route names no interface: its gateway's subnet decides (br1)
    f"{SUSE_DIR}/routes": "default 10.0.0.254 - eth0\ndefault 10.0.1.254 - -\n",
}


def _both_ways(root: Path, name: str) -> tuple[resolve.Snapshot, resolve.Snapshot, Index]:
    """The snapshot of *root* read whole into one forest (the backend with
    its index switched off), and from the index's facts."""
    backend = dataclasses.replace(backends.get(name), index=False)
    with AugeasSession(str(root), backend.transforms) as session:  # these roots include no file
        full = resolve.from_forest(forest.read(session.aug, sorted(session.files())), backend, dict(KERNEL))
    backend = backends.get(name)
    with AugeasSession(str(root), backend.transforms, lazy=True) as session:
        idx = Index(str(root), backend, lambda: session)
        idx.refresh()
        indexed = resolve.from_index(idx.entries, backend, dict(KERNEL))
    return full, indexed, idx


def _file_of(el) -> str:
    return el.get("path") if el.tag == "tree" else next(el.iterancestors("tree")).get("path")


def _places(snap: resolve.Snapshot, idx: Index | None) -> dict[str, dict[str, list[str]]]:
    """Per table (units, marks, extras, homes), name -> the files of its entries in order."""
    out = {}
    for label, table in zip(("units", "marks", "extras", "homes"), snap.tables(), strict=True):
        if idx is None:
            out[label] = {n: [_file_of(el) for el in els] for n, els in table.items()}
        else:
            out[label] = {n: [idx.entries[ref[1]].aug_path for ref in refs] for n, refs in table.items()}
    return out


@pytest.mark.parametrize("name,files", [("networkd", NETWORKD), ("nm-keyfile", NM_KEYFILE), ("suse", SUSE)])
def test_the_full_load_and_the_index_resolve_alike(tmp_path, name, files):
    root = _write(tmp_path / "root", files)
    full, indexed, idx = _both_ways(root, name)
    assert _places(full, None) == _places(indexed, idx)
    assert full.masters == indexed.masters
    assert full.macs == indexed.macs
    assert full.matches == indexed.matches
    assert full.top_level() == indexed.top_level()
    assert indexed.kernel == KERNEL


def test_networkd_the_lexical_winner_its_drop_ins_and_the_shadowing_file(tmp_path):
    root = _write(tmp_path / "root", NETWORKD)
    full, indexed, idx = _both_ways(root, "networkd")
    places = _places(indexed, idx)
    nd = f"/files/{ND}"
    assert places["units"]["br1"] == [f"{nd}/05-br1.network", f"{nd}/40-br1.netdev"]
    assert places["extras"]["br1"] == [f"{nd}/05-br1.network.d/dns.conf"]  # not the loser's drop-in
    assert places["marks"]["bond0.5"] == [f"{nd}/20-bond0.network"]
    assert indexed.masters == {"eth0": "bond0", "eth1": "bond0", "bond0.5": "br1"}
    assert indexed.names("bond0") == ["bond0", "eth0", "eth1"]
    assert indexed.top_level() == ["bond0", "br1"]
    assert resolve.shadowed_by(indexed.matches, "enp1s0", f"{nd}/50-augnetcf-enp1s0.network") == \
        f"{nd}/00-en.network"
    assert resolve.shadowed_by(indexed.matches, "br7", f"{nd}/50-augnetcf-br7.network") is None


def test_nm_keyfile_masters_by_uuid_by_id_and_by_a_shared_id(tmp_path):
    root = _write(tmp_path / "root", NM_KEYFILE)
    full, indexed, _idx = _both_ways(root, "nm-keyfile")
    assert indexed.masters == {"eth0": "br0", "eth1": "br0", "eth3": "br-a"}
    assert indexed.top_level() == ["br-a", "br-b", "br0"]
    assert indexed.macs["eth0"] == KERNEL["eth0"]  # the kernel's, the file gives none


def test_suse_a_route_without_an_interface_belongs_to_the_subnet_holding_its_gateway(tmp_path):
    root = _write(tmp_path / "root", SUSE)
    full, indexed, idx = _both_ways(root, "suse")
    places = _places(indexed, idx)
    routes = f"/files/{SUSE_DIR}/routes"
    assert places["marks"]["eth0"] == [routes]
    assert places["marks"]["br1"] == [routes]
    assert "" not in indexed.marks
    assert indexed.masters == {"eth1": "br1"}
    # the gateway moves to another subnet: the line follows it, though the
    # file that holds the line did not change
    (root / SUSE_DIR / "ifcfg-eth0").write_text("STARTMODE=auto\nBOOTPROTO=static\nIPADDR=10.0.1.9/32\n"
                                                "IPADDR_2=10.0.5.1/24\n")
    (root / SUSE_DIR / "routes").write_text("default 10.0.5.254 - -\n")
    full, indexed, idx = _both_ways(root, "suse")
    assert _places(indexed, idx)["marks"] == {"eth0": [routes]} == _places(full, None)["marks"]


# -- the kept resolution -------------------------------------------------------------------------
@pytest.mark.parametrize("name,files", [("networkd", NETWORKD), ("nm-keyfile", NM_KEYFILE), ("suse", SUSE)])
def test_a_kept_resolution_is_reused_only_for_the_same_entries_and_kernel(tmp_path, name, files):
    root = _write(tmp_path, files)
    _full, fresh, idx = _both_ways(root, name)
    backend = backends.get(name)
    kept = resolve.Kept()
    first = kept.snapshot(idx.entries, backend, KERNEL)
    assert first == fresh
    # a copy each time: filling one in changes neither the next nor the kept one
    for table in first.tables():
        table.clear()
    again = kept.snapshot(list(idx.entries), backend, KERNEL)  # another list of the same entries
    assert again == fresh and again is not first
    # a changed file is a new entry: resolved afresh; so is another kernel
    changed = [dataclasses.replace(e) for e in idx.entries]
    assert kept.snapshot(changed, backend, KERNEL) == fresh
    assert kept._last[0] is changed
    other = dict(KERNEL, eth0="52:54:00:00:00:99")
    assert kept.snapshot(changed, backend, other) == resolve.from_index(changed, backend, other)
    assert kept._last[1] == other
