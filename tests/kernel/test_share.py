"""share and unshare end to end, on every backend, in network namespaces.

"lan" holds the peer 192.0.2.1; "host" holds eth0 (a veth to the lan) with
192.0.2.10/24 and a default route, described in the backend's files (define,
ifup). share turns eth0 into the port of br0; a "guest" namespace plugged
into br0 then reaches the lan, which is the point of sharing. unshare, and a
share whose verification fails, put files (byte for byte) and kernel back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import RUN_STATE_LEFT
from txn_roots import BACKENDS, make_root

from .conftest import KERNEL, Netns, augnetcf_command, kernel_has
from .test_kernel_dhcp import dnsmasq

pytestmark = KERNEL

STATIC = """<interface type="ethernet" name="eth0">
  <start mode="onboot"/>
  <protocol family="ipv4">
    <ip address="192.0.2.10" prefix="24"/>
    <route gateway="192.0.2.1"/>
  </protocol>
</interface>
"""
DHCP = """<interface type="ethernet" name="eth0">
  <start mode="onboot"/>
  <protocol family="ipv4">
    <dhcp/>
  </protocol>
</interface>
"""
BOND = """<interface type="bond" name="bond0">
  <start mode="onboot"/>
  <protocol family="ipv4">
    <ip address="192.0.2.10" prefix="24"/>
    <route gateway="192.0.2.1"/>
  </protocol>
  <bond mode="active-backup">
    <miimon freq="100"/>
    <interface type="ethernet" name="eth0"/>
  </bond>
</interface>
"""
MAC = "52:54:00:aa:00:07"


class Site:
    """The three namespaces and the host's configuration root."""

    def __init__(self, host: Netns, lan: Netns, root: Path, backend: str):
        self.host, self.lan, self.root, self.backend = host, lan, root, backend

    def augnetcf(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return self.host.run(*augnetcf_command(), "--root", str(self.root), "--backend", self.backend, *args,
                             stdin=stdin)

    def ok(self, *args: str, stdin: str | None = None) -> str:
        proc = self.augnetcf(*args, stdin=stdin)
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        return proc.stdout

    def files(self) -> dict[str, bytes]:
        """Every configuration file under the root (not augnetcf's state), by content."""
        return {str(p.relative_to(self.root)): p.read_bytes() for p in sorted(self.root.rglob("*"))
                if p.is_file() and not str(p.relative_to(self.root)).startswith("var/lib/augnetcf")}


@pytest.fixture(params=BACKENDS)
def site(request, make_netns, tmp_path: Path) -> Site:
    host, lan = make_netns(), make_netns()
    host.ip("link", "add", "eth0", "type", "veth", "peer", "name", "p0", "netns", lan.name)
    host.ip("link", "set", "eth0", "address", MAC)
    lan.ip("link", "set", "p0", "up")
    lan.ip("addr", "add", "192.0.2.1/24", "dev", "p0")
    return Site(host, lan, make_root(tmp_path / "root", request.param), request.param)


@pytest.fixture
def static(site: Site) -> Site:
    site.ok("define", "-", stdin=STATIC)
    site.ok("ifup", "eth0")
    site.host.run("ping", "-c1", "-W5", "192.0.2.1", check=True)
    return site


def guest(site: Site, make_netns) -> Netns:
    """A guest plugged into br0 by a veth, with 192.0.2.20/24."""
    g = make_netns()
    site.host.ip("link", "add", "vnet0", "type", "veth", "peer", "name", "eth0", "netns", g.name)
    site.host.ip("link", "set", "vnet0", "master", "br0", "up")
    g.ip("addr", "add", "192.0.2.20/24", "dev", "eth0")
    g.ip("link", "set", "eth0", "up")
    return g


def assert_eth0_as_before(site: Site) -> None:
    ns = site.host
    assert ns.link("br0") is None
    assert "master" not in ns.link("eth0") and "UP" in ns.link("eth0")["flags"]
    assert ns.addresses("eth0") == {"192.0.2.10/24"}
    assert [(r["gateway"], r["dev"]) for r in ns.default_routes()] == [("192.0.2.1", "eth0")]
    ns.run("ping", "-c1", "-W5", "192.0.2.1", check=True)
    assert site.augnetcf("diff", "eth0").returncode == 0


def test_share_then_unshare(static: Site, make_netns) -> None:
    site, ns = static, static.host
    before = site.files()
    out = site.ok("share", "eth0", "--bridge", "br0", "--yes")
    assert "Shared eth0" in out and "192.0.2.1 answers" in out
    bridge = ns.link("br0")
    assert bridge["linkinfo"]["info_kind"] == "bridge" and "UP" in bridge["flags"]
    assert ns.link("eth0")["master"] == "br0"
    assert ns.addresses("br0") == {"192.0.2.10/24"} and ns.addresses("eth0") == set()
    assert [(r["gateway"], r["dev"]) for r in ns.default_routes()] == [("192.0.2.1", "br0")]
    ns.run("ping", "-c1", "-W5", "192.0.2.1", check=True)
    # the configuration says what the kernel has
    listed = site.ok("list", "--all").split()
    assert "br0" in listed and "eth0" not in listed  # eth0 is a port now, not an interface of its own
    assert site.augnetcf("diff", "br0").returncode == 0
    g = guest(site, make_netns)
    g.run("ping", "-c1", "-W5", "192.0.2.1", check=True)  # the guest is on the host's LAN
    site.lan.run("ping", "-c1", "-W5", "192.0.2.20", check=True)
    assert site.files() != before

    ns.ip("link", "del", "vnet0")
    site.ok("unshare", "br0", "--yes")
    assert site.files() == before  # byte for byte
    assert_eth0_as_before(site)
    assert not (site.root / "var/lib/augnetcf/shared/br0").exists()


def test_failed_verification_rolls_back(static: Site) -> None:
    site = static
    before = site.files()
    proc = site.augnetcf("share", "eth0", "--bridge", "br0", "--yes", "--verify", "192.0.2.99",
                         "--timeout", "2")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "192.0.2.99 did not answer" in proc.stderr
    assert site.files() == before
    assert_eth0_as_before(site)
    assert not (site.root / "var/lib/augnetcf/shared/br0").exists()
    assert site.augnetcf("change-commit").returncode != 0  # no transaction left open


def test_sigterm_rolls_back(static: Site) -> None:
    """Interrupted while waiting for the verification: everything goes back."""
    site = static
    before = site.files()
    proc = subprocess.Popen(["ip", "netns", "exec", site.host.name, *augnetcf_command(), "--root",
                             str(site.root), "--backend", site.backend, "share", "eth0", "--bridge", "br0",
                             "--yes", "--verify", "192.0.2.99", "--timeout", "60"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=site.host.env, text=True)
    deadline = time.monotonic() + 60
    while site.host.link("br0") is None and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert site.host.link("br0") is not None, "share never created br0"
    time.sleep(0.3)  # inside the ping now
    for pid in site.host.pids():  # the augnetcf process (python), not ping
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        if b"share" in cmdline and b"ping" not in cmdline.split(b"\0")[0]:
            subprocess.run(["kill", "-TERM", str(pid)], check=False)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert site.files() == before
    assert_eth0_as_before(site)


@pytest.fixture
def dhcp_site(site: Site, tmp_path: Path) -> Iterator[Site]:
    if not (shutil.which("dnsmasq") and shutil.which("dhclient")):
        pytest.skip("needs dnsmasq and dhclient (scripts/setup.sh)")

    class Peer:  # what test_kernel_dhcp.dnsmasq needs of a Lan
        peer = site.lan

    with dnsmasq(Peer, tmp_path, "--dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,1h",  # type: ignore
                 "--dhcp-option=option:router,192.0.2.1"):
        site.ok("define", "-", stdin=DHCP)
        site.ok("ifup", "eth0")
        yield site
        site.augnetcf("ifdown", "br0")
        site.augnetcf("ifdown", "eth0")


def test_dhcp_nic_keeps_its_address(dhcp_site: Site, make_netns) -> None:
    site, ns = dhcp_site, dhcp_site.host
    [lease] = ns.addresses("eth0")
    before = site.files()
    out = site.ok("share", "eth0", "--bridge", "br0", "--yes")
    assert "192.0.2.1 answers" in out  # the gateway DHCP gave
    assert ns.addresses("br0") == {lease} and ns.addresses("eth0") == set()
    assert [(r["gateway"], r["dev"]) for r in ns.default_routes()] == [("192.0.2.1", "br0")]
    g = guest(site, make_netns)
    g.run("ping", "-c1", "-W5", "192.0.2.1", check=True)
    ns.ip("link", "del", "vnet0")
    site.ok("unshare", "br0", "--yes")
    assert site.files() == before
    assert ns.link("br0") is None
    assert ns.addresses("eth0") == {lease}
    ns.run("ping", "-c1", "-W5", "192.0.2.1", check=True)


def test_refuses_a_nic_missing_from_the_kernel(site: Site) -> None:
    site.ok("define", "-", stdin=STATIC.replace("eth0", "eth7"))
    before = site.files()
    proc = site.augnetcf("share", "eth7", "--yes")
    assert proc.returncode == 3 and "kernel has no such device" in proc.stderr
    assert site.files() == before


def test_refuses_a_bridge_name_the_kernel_has(static: Site) -> None:
    static.host.ip("link", "add", "br0", "type", "veth", "peer", "name", "x0")
    before = static.files()
    proc = static.augnetcf("share", "eth0", "--bridge", "br0", "--yes")
    assert proc.returncode == 1 and "the kernel has a device of that name" in proc.stderr
    assert static.files() == before
    # the default name skips it
    out = static.ok("share", "eth0", "--dry-run")
    assert '<interface type="bridge" name="br1">' in out



def test_share_a_bond(site: Site, make_netns) -> None:
    """The shared device may be a bond: it becomes the bridge's port with its slaves."""
    why = kernel_has("bond", make_netns)
    if why:
        pytest.skip(why)
    ns = site.host
    site.ok("define", "-", stdin=BOND)
    site.ok("ifup", "bond0")
    before = site.files()
    site.ok("share", "bond0", "--bridge", "br0", "--yes")
    assert ns.link("bond0")["master"] == "br0" and ns.link("eth0")["master"] == "bond0"
    assert ns.addresses("br0") == {"192.0.2.10/24"} and ns.addresses("bond0") == set()
    g = guest(site, make_netns)
    g.run("ping", "-c1", "-W5", "192.0.2.1", check=True)
    ns.ip("link", "del", "vnet0")
    site.ok("unshare", "br0", "--yes")
    assert site.files() == before
    assert ns.link("br0") is None and ns.addresses("bond0") == {"192.0.2.10/24"}
    ns.run("ping", "-c1", "-W5", "192.0.2.1", check=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_example_script_runs(backend: str) -> None:
    """examples/share-in-netns.sh, the README's way to watch share work, does
    what it says and leaves no namespace behind."""
    script = Path(__file__).resolve().parents[2] / "examples" / "share-in-netns.sh"
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "AUGNETCF": " ".join(augnetcf_command())}
    proc = subprocess.run(["sh", str(script), backend], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [run_dir] = re.findall(r"^# augnetcf's state for the host namespace: (\S+)", proc.stdout, re.M)
    if Path(run_dir).exists():  # the script removes it before it deletes the namespace
        RUN_STATE_LEFT.append(run_dir)
    assert not Path(run_dir).exists(), f"{run_dir} left behind"
    assert "Shared eth0" in proc.stdout and "Unshared eth0" in proc.stdout
    assert "1 received" in proc.stdout  # the guest reached the lan
    assert proc.stdout.count("files: byte-identical to before share") == 2
    assert "did not answer through br0" in proc.stderr
    assert "ancfdemo" not in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
