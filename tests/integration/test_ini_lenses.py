"""How well the lenses of the nm-keyfile and networkd backends keep hand-written files.

networkd reads with Systemd_Network.lns, ours: stock Systemd.lns made
cheaper to load, with the same trees (lenses/systemd_network.aug; the two
are compared on every networkd test file in tests/unit/test_lenses.py).
NM_Keyfile.lns is ours too (stock NetworkManager.lns read ``key = value``
wrongly, see lenses/nm_keyfile.aug). On real libaugeas: a file with
comments, blank lines, ``;`` comments, several values on a line and
continued lines loads, saves back byte for byte, and a changed value
touches only its line. What the Systemd lens gets wrong is pinned here
too, on ours and on the stock one, so that a change in Augeas shows up.
"""

from __future__ import annotations

from pathlib import Path

import augeas
import pytest

from augnetcf import resources

NETWORK = """\
# by hand
[Match]
Name=eth0

; a semicolon comment
[Network]
Address=10.0.0.5/24
DNS=1.1.1.1 \\
    8.8.8.8
Domains=example.com  example.org
LLMNR=no

[Link]
MTUBytes=9000
"""

KEYFILE = """\
# by hand

[connection]
id=Wired connection 1
interface-name = eth0
permissions=

[ipv4]
method=manual
address1=10.0.0.5/24,10.0.0.1
"""


#: networkd's lens, and the stock one it must read and write as
SYSTEMD = ["Systemd_Network.lns", "Systemd.lns"]


def session(root: Path, lens: str, glob: str) -> augeas.Augeas:
    aug = augeas.Augeas(root=str(root), loadpath=str(resources.lenses_dir()),
                        flags=augeas.Augeas.NO_MODL_AUTOLOAD)
    aug.set("/augeas/load/x/lens", lens)
    aug.set("/augeas/load/x/incl", glob)
    aug.load()
    assert aug.match("/augeas//error") == []
    return aug


@pytest.mark.parametrize(("lens", "rel", "text", "key", "value", "line"), [
    *((lens, "etc/systemd/network/10-eth0.network", NETWORK, "Link/MTUBytes/value", "1500",
       "MTUBytes=1500") for lens in SYSTEMD),
    ("NM_Keyfile.lns", "etc/NetworkManager/system-connections/a.nmconnection", KEYFILE,
     "connection/interface-name", "eth1", "interface-name = eth1"),
])
def test_a_hand_written_file_round_trips_and_a_change_touches_one_line(tmp_path, lens, rel, text, key,
                                                                       value, line):
    path = tmp_path / rel
    path.parent.mkdir(parents=True)
    path.write_text(text)
    aug = session(tmp_path, lens, "/" + rel)
    aug.set("/files/" + rel + "/" + key.split("/")[0] + "/#comment[last()+1]", "x")
    aug.remove("/files/" + rel + "/" + key.split("/")[0] + "/#comment[last()]")
    aug.save()
    assert path.read_text() == text
    aug.set(f"/files/{rel}/{key}", value)
    aug.save()
    old, new = text.splitlines(), path.read_text().splitlines()
    changed = [(a, b) for a, b in zip(old, new) if a != b]
    assert len(old) == len(new) and len(changed) == 1 and changed[0][1] == line
    aug.close()


@pytest.mark.parametrize("lens", SYSTEMD)
def test_the_systemd_lens_splits_values_into_words(tmp_path, lens):
    path = tmp_path / "etc/systemd/network/x.network"
    path.parent.mkdir(parents=True)
    path.write_text(NETWORK)
    aug = session(tmp_path, lens, "/etc/systemd/network/*")
    base = "/files/etc/systemd/network/x.network/Network"
    assert [aug.get(p) for p in aug.match(f"{base}/DNS/value")] == ["1.1.1.1", "8.8.8.8"]
    assert [aug.get(p) for p in aug.match(f"{base}/Domains/value")] == ["example.com", "example.org"]
    aug.close()


@pytest.mark.parametrize("lens", SYSTEMD)
def test_what_the_systemd_lens_gets_wrong(tmp_path, lens):
    """systemd takes '#' after a value as part of it; the lens makes it a comment. No key
    augnetcf reads holds a '#', and the file is written back unchanged either way."""
    path = tmp_path / "etc/systemd/network/x.netdev"
    path.parent.mkdir(parents=True)
    path.write_text("[NetDev]\nDescription=uplink # rack 4\n")
    aug = session(tmp_path, lens, "/etc/systemd/network/*")
    assert aug.get("/files/etc/systemd/network/x.netdev/NetDev/Description/value") == "uplink"
    aug.close()
