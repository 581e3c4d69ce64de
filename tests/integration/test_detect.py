"""Which backend a root gets when none is named: ``augnetcf.detect.detect`` and ``Config(root)``.

os-release(5) decides first: ``ID``, then the words of ``ID_LIKE``, read from
``etc/os-release`` or else ``usr/lib/os-release``. When it does not decide,
the configuration location that exists does (a ``network-scripts``
directory, an ``interfaces`` file, a ``sysconfig/network`` directory). When
that does not decide either, detection fails naming the choices. A backend
given by the caller always wins.

The os-release files below are what the distributions ship (trimmed of
nothing but blank lines).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import snapshot_tree

import augnetcf
from augnetcf import detect
from augnetcf.errors import ErrorCode, FileError, InvalidOperation

OS_RELEASE = {
    "rhel-9": ("redhat", """\
        NAME="Red Hat Enterprise Linux"
        VERSION="9.4 (Plow)"
        ID="rhel"
        ID_LIKE="fedora"
        VERSION_ID="9.4"
        PLATFORM_ID="platform:el9"
        PRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"
        ANSI_COLOR="0;31"
        LOGO="fedora-logo-icon"
        CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"
        HOME_URL="https://www.redhat.com/"
        DOCUMENTATION_URL="https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/9"
        BUG_REPORT_URL="https://issues.redhat.com/"

        REDHAT_BUGZILLA_PRODUCT="Red Hat Enterprise Linux 9"
        REDHAT_BUGZILLA_PRODUCT_VERSION=9.4
        REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux"
        REDHAT_SUPPORT_PRODUCT_VERSION="9.4"
    """),
    "fedora-40": ("redhat", """\
        NAME="Fedora Linux"
        VERSION="40 (Server Edition)"
        ID=fedora
        VERSION_ID=40
        VERSION_CODENAME=""
        PLATFORM_ID="platform:f40"
        PRETTY_NAME="Fedora Linux 40 (Server Edition)"
        ANSI_COLOR="0;38;2;60;110;180"
        LOGO=fedora-logo-icon
        CPE_NAME="cpe:/o:fedoraproject:fedora:40"
        HOME_URL="https://fedoraproject.org/"
        DOCUMENTATION_URL="https://docs.fedoraproject.org/en-US/fedora/f40/system-administrators-guide/"
        SUPPORT_URL="https://ask.fedoraproject.org/"
        BUG_REPORT_URL="https://bugzilla.redhat.com/"
        REDHAT_BUGZILLA_PRODUCT="Fedora"
        REDHAT_BUGZILLA_PRODUCT_VERSION=40
        REDHAT_SUPPORT_PRODUCT="Fedora"
        REDHAT_SUPPORT_PRODUCT_VERSION=40
        SUPPORT_END=2025-05-13
        VARIANT="Server Edition"
        VARIANT_ID=server
    """),
    "centos-stream-9": ("redhat", """\
        NAME="CentOS Stream"
        VERSION="9"
        ID="centos"
        ID_LIKE="rhel fedora"
        VERSION_ID="9"
        PLATFORM_ID="platform:el9"
        PRETTY_NAME="CentOS Stream 9"
        ANSI_COLOR="0;31"
        LOGO="fedora-logo-icon"
        CPE_NAME="cpe:/o:centos:centos:9"
        HOME_URL="https://centos.org/"
        BUG_REPORT_URL="https://issues.redhat.com/"
        REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux 9"
        REDHAT_SUPPORT_PRODUCT_VERSION="CentOS Stream"
    """),
    "rocky-9": ("redhat", """\
        NAME="Rocky Linux"
        VERSION="9.4 (Blue Onyx)"
        ID="rocky"
        ID_LIKE="rhel centos fedora"
        VERSION_ID="9.4"
        PLATFORM_ID="platform:el9"
        PRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"
        ANSI_COLOR="0;32"
        LOGO="fedora-logo-icon"
        CPE_NAME="cpe:/o:rocky:rocky:9::baseos"
        HOME_URL="https://rockylinux.org/"
        BUG_REPORT_URL="https://bugs.rockylinux.org/"
        SUPPORT_END="2032-05-31"
        ROCKY_SUPPORT_PRODUCT="Rocky-Linux-9"
        ROCKY_SUPPORT_PRODUCT_VERSION="9.4"
        REDHAT_SUPPORT_PRODUCT="Rocky Linux"
        REDHAT_SUPPORT_PRODUCT_VERSION="9.4"
    """),
    "debian-12": ("debian", """\
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        VERSION="12 (bookworm)"
        VERSION_CODENAME=bookworm
        ID=debian
        HOME_URL="https://www.debian.org/"
        SUPPORT_URL="https://www.debian.org/support"
        BUG_REPORT_URL="https://bugs.debian.org/"
    """),
    "ubuntu-24.04": ("debian", """\
        PRETTY_NAME="Ubuntu 24.04.1 LTS"
        NAME="Ubuntu"
        VERSION_ID="24.04"
        VERSION="24.04.1 LTS (Noble Numbat)"
        VERSION_CODENAME=noble
        ID=ubuntu
        ID_LIKE=debian
        HOME_URL="https://www.ubuntu.com/"
        SUPPORT_URL="https://help.ubuntu.com/"
        BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
        PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
        UBUNTU_CODENAME=noble
        LOGO=ubuntu-logo
    """),
    "opensuse-leap-15.6": ("suse", """\
        NAME="openSUSE Leap"
        VERSION="15.6"
        ID="opensuse-leap"
        ID_LIKE="suse opensuse"
        VERSION_ID="15.6"
        PRETTY_NAME="openSUSE Leap 15.6"
        ANSI_COLOR="0;32"
        CPE_NAME="cpe:/o:opensuse:leap:15.6"
        BUG_REPORT_URL="https://bugs.opensuse.org"
        HOME_URL="https://www.opensuse.org/"
        DOCUMENTATION_URL="https://en.opensuse.org/Portal:Leap"
        LOGO="distributor-logo-Leap"
    """),
    "sles-15": ("suse", """\
        NAME="SLES"
        VERSION="15-SP6"
        VERSION_ID="15.6"
        PRETTY_NAME="SUSE Linux Enterprise Server 15 SP6"
        ID="sles"
        ID_LIKE="suse"
        ANSI_COLOR="0;32"
        CPE_NAME="cpe:/o:suse:sles:15:sp6"
        DOCUMENTATION_URL="https://documentation.suse.com/"
    """),
}

#: backend -> (path of its configuration location under the root, is a directory).
LOCATION = {
    "redhat": ("etc/sysconfig/network-scripts", True),
    "debian": ("etc/network/interfaces", False),
    "suse": ("etc/sysconfig/network", True),
}


def make_root(tmp_path: Path, os_release: str | None = None, at: str = "etc/os-release",
              locations: tuple[str, ...] = ()) -> Path:
    root = tmp_path / "root"
    root.mkdir(exist_ok=True)
    if os_release is not None:
        path = root / at
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(os_release))
    for backend in locations:
        add_location(root, backend)
    return root


def add_location(root: Path, backend: str) -> None:
    rel, is_dir = LOCATION[backend]
    path = root / rel
    if is_dir:
        path.mkdir(parents=True, exist_ok=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")


def detected(root: Path) -> str:
    """The backend detection picks, asked both ways; they must agree."""
    name = detect.detect(str(root))
    with augnetcf.Config(str(root)) as cfg:
        assert cfg.backend.name == name
    return name


def assert_undecided(root: Path) -> InvalidOperation:
    with pytest.raises(InvalidOperation) as exc:
        detect.detect(str(root))
    for choice in ("redhat", "debian", "suse"):
        assert choice in exc.value.message
    assert exc.value.code is ErrorCode.INVALID_OP
    with pytest.raises(InvalidOperation):
        augnetcf.Config(str(root))
    return exc.value


# -- os-release decides ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "want"), [pytest.param(t, w, id=k) for k, (w, t) in OS_RELEASE.items()])
def test_os_release_decides(tmp_path, text, want):
    assert detected(make_root(tmp_path, text)) == want


@pytest.mark.parametrize(("text", "want"), [pytest.param(t, w, id=k) for k, (w, t) in OS_RELEASE.items()])
def test_os_release_in_usr_lib_only(tmp_path, text, want):
    assert detected(make_root(tmp_path, text, at="usr/lib/os-release")) == want


@pytest.mark.parametrize(("text", "want"), [pytest.param(t, w, id=k) for k, (w, t) in OS_RELEASE.items()])
def test_etc_os_release_as_the_relative_symlink_distributions_ship(tmp_path, text, want):
    root = make_root(tmp_path, text, at="usr/lib/os-release")
    (root / "etc").mkdir()
    os.symlink("../usr/lib/os-release", root / "etc" / "os-release")
    assert detected(root) == want


def test_etc_os_release_wins_over_usr_lib(tmp_path):
    root = make_root(tmp_path, OS_RELEASE["debian-12"][1])
    make_root(tmp_path, OS_RELEASE["fedora-40"][1], at="usr/lib/os-release")
    assert detected(root) == "debian"


@pytest.mark.parametrize(("text", "want"), [pytest.param(t, w, id=k) for k, (w, t) in OS_RELEASE.items()])
def test_os_release_wins_over_another_backends_location(tmp_path, text, want):
    others = [b for b in LOCATION if b != want]
    assert detected(make_root(tmp_path, text, locations=tuple(others))) == want


@pytest.mark.parametrize(("text", "want"), [
    pytest.param('NAME="Pop!_OS"\nID=pop\nID_LIKE="ubuntu debian"\n', "debian", id="pop-os"),
    pytest.param('NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\n', "debian", id="mint"),
    pytest.param('NAME="Nobara Linux"\nID=nobara\nID_LIKE="rhel centos fedora"\n', "redhat", id="nobara"),
    pytest.param('NAME="Oracle Linux Server"\nID="ol"\nID_LIKE="fedora"\n', "redhat", id="oracle"),
    pytest.param('NAME="AlmaLinux"\nID="almalinux"\nID_LIKE="rhel centos fedora"\n', "redhat", id="alma"),
    pytest.param('NAME="openSUSE Tumbleweed"\nID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n', "suse",
                 id="tumbleweed"),
    pytest.param('NAME="GeckoLinux"\nID=geckolinux\nID_LIKE="opensuse suse"\n', "suse", id="gecko"),
    pytest.param('NAME="Ubuntu"\nID=UBUNTU\n', "debian", id="id-in-upper-case"),
])
def test_unknown_id_but_known_id_like(tmp_path, text, want):
    assert detected(make_root(tmp_path, text)) == want


@pytest.mark.parametrize("backend", list(LOCATION))
def test_unknown_os_release_falls_back_to_the_location(tmp_path, backend):
    root = make_root(tmp_path, 'NAME="Gentoo"\nID=gentoo\n', locations=(backend,))
    assert detected(root) == backend


def test_unknown_os_release_and_no_location_is_undecided(tmp_path):
    assert_undecided(make_root(tmp_path, 'NAME="Arch Linux"\nID=arch\nBUILD_ID=rolling\n'))


# -- no os-release: the configuration location decides ----------------------------------------

@pytest.mark.parametrize("backend", list(LOCATION))
def test_location_decides_without_os_release(tmp_path, backend):
    assert detected(make_root(tmp_path, locations=(backend,))) == backend


def test_red_hat_root_with_its_plain_sysconfig_network_file(tmp_path):
    """On Red Hat etc/sysconfig/network is a FILE (NETWORKING=yes); SUSE's is a directory."""
    root = make_root(tmp_path, locations=("redhat",))
    (root / "etc/sysconfig/network").write_text("NETWORKING=yes\nHOSTNAME=host.example.com\n")
    assert detected(root) == "redhat"


def test_a_plain_sysconfig_network_file_alone_is_not_suse(tmp_path):
    root = make_root(tmp_path)
    (root / "etc/sysconfig").mkdir(parents=True)
    (root / "etc/sysconfig/network").write_text("NETWORKING=yes\n")
    assert_undecided(root)


def test_an_interfaces_directory_is_not_debian(tmp_path):
    root = make_root(tmp_path)
    (root / "etc/network/interfaces").mkdir(parents=True)
    assert_undecided(root)


def test_an_empty_root_is_undecided(tmp_path):
    err = assert_undecided(make_root(tmp_path))
    assert "no known configuration" in err.message


@pytest.mark.parametrize("found", [
    ("redhat", "debian"), ("debian", "suse"), ("redhat", "suse"), ("redhat", "debian", "suse"),
], ids="+".join)
def test_several_locations_are_undecided(tmp_path, found):
    err = assert_undecided(make_root(tmp_path, locations=found))
    for name in found:
        assert name in err.message.split("present")[0]


# -- the caller's choice wins ------------------------------------------------------------------

@pytest.mark.parametrize("backend", ["redhat", "debian", "suse"])
def test_config_backend_argument_wins(tmp_path, backend):
    root = make_root(tmp_path, OS_RELEASE["fedora-40"][1], locations=("redhat", "debian", "suse"))
    with augnetcf.Config(str(root), backend) as cfg:
        assert cfg.backend.name == backend


def test_cli_backend_option_wins(tmp_path):
    root = make_root(tmp_path, OS_RELEASE["fedora-40"][1])
    (root / "etc/network").mkdir(parents=True)
    (root / "etc/network/interfaces").write_text(textwrap.dedent("""\
        auto lo
        iface lo inet loopback

        auto eth0
        iface eth0 inet dhcp
    """))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "augnetcf", "--root", str(root), *args],
                              capture_output=True, text=True, timeout=60)

    r = run("--backend", "debian", "list", "--all")
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.split() == ["eth0", "lo"]
    r = run("list", "--all")  # os-release says fedora: the redhat backend, which finds nothing here
    assert (r.returncode, r.stderr, r.stdout) == (0, "", "")


def test_an_unknown_backend_is_refused(tmp_path):
    with pytest.raises(InvalidOperation, match="redhat, debian, suse"):
        augnetcf.Config(str(make_root(tmp_path, locations=("debian",))), "gentoo")


# -- os-release that cannot be parsed ----------------------------------------------------------

#: os-release files that say nothing usable (a line that is not an assignment
#: alone does not count: see test_a_bad_line_does_not_hide_the_id).
MALFORMED = {
    "id-on-a-bad-line": "NAME=Debian\nID debian\n",
    "unterminated-quote": "NAME=\"Debian\nID=debian\n",
    "space-around-equals": "NAME = Debian\nID = debian\n",
    "binary": "\x00\x01\x02ID=debian\xff\n",
    "empty": "",
}


@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_os_release_falls_back_to_the_location(tmp_path, text):
    root = make_root(tmp_path, locations=("suse",))
    (root / "etc").mkdir(exist_ok=True)
    (root / "etc/os-release").write_bytes(text.encode("utf-8", "surrogateescape"))
    assert detected(root) == "suse"


@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_os_release_and_no_location_is_undecided(tmp_path, text):
    root = make_root(tmp_path)
    (root / "etc").mkdir()
    (root / "etc/os-release").write_bytes(text.encode("utf-8", "surrogateescape"))
    assert_undecided(root)


def test_an_os_release_that_is_a_directory_does_not_crash(tmp_path):
    root = make_root(tmp_path, locations=("debian",))
    (root / "etc/os-release").mkdir()
    assert detected(root) == "debian"


def test_an_os_release_symlink_leading_outside_the_root_is_not_followed(tmp_path):
    outside = tmp_path / "os-release"
    outside.write_text("ID=fedora\n")
    root = make_root(tmp_path, locations=("debian",))
    os.symlink(outside, root / "etc/os-release")
    assert detected(root) == "debian"


def test_a_bad_line_does_not_hide_the_id(tmp_path):
    """os-release readers (Python's platform.freedesktop_os_release, systemd)
    skip lines that are not assignments and keep the rest; so does detection."""
    root = make_root(tmp_path, "NAME=Debian\nthis is not an assignment\nID=debian\n")
    assert detected(root) == "debian"


# -- today's backends: the family from os-release, then the files present -----------------------

KEYFILE = ("etc/NetworkManager/system-connections/eth0.nmconnection",
           "[connection]\nid=eth0\ntype=ethernet\ninterface-name=eth0\n")
IFCFG = ("etc/sysconfig/network-scripts/ifcfg-eth0", "DEVICE=eth0\nBOOTPROTO=dhcp\n")
IFCFG_LO = ("etc/sysconfig/network-scripts/ifcfg-lo", "DEVICE=lo\nIPADDR=127.0.0.1\n")
NETWORK = ("etc/systemd/network/10-eth0.network", "[Match]\nName=eth0\n[Network]\nDHCP=yes\n")
NETDEV = ("etc/systemd/network/20-br0.netdev", "[NetDev]\nName=br0\nKind=bridge\n")
INTERFACES = ("etc/network/interfaces", "auto eth0\niface eth0 inet dhcp\n")
INTERFACES_LO = ("etc/network/interfaces", "source /etc/network/interfaces.d/*\n\nauto lo\n"
                 "iface lo inet loopback\n")


def with_files(root: Path, *files: tuple[str, str]) -> Path:
    for rel, text in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.mark.parametrize(("release", "files", "want"), [
    ("fedora-40", [KEYFILE], "nm-keyfile"),
    ("rhel-9", [KEYFILE, IFCFG_LO], "nm-keyfile"),  # ifcfg-lo alone is no ifcfg configuration
    ("centos-stream-9", [IFCFG], "redhat"),
    ("fedora-40", [], "redhat"),  # nothing yet: the classic backend, as before
    ("debian-12", [NETWORK], "networkd"),
    ("debian-12", [NETDEV, INTERFACES_LO], "networkd"),  # Debian's loopback-only interfaces file
    ("ubuntu-24.04", [INTERFACES], "debian"),
    ("debian-12", [], "debian"),
    ("sles-15", [KEYFILE], "suse"),  # not a family with a modern backend here
], ids=lambda v: v if isinstance(v, str) else "+".join(f[0].rsplit("/", 1)[-1] for f in v) or "none")
def test_the_family_then_the_files_decide(tmp_path, release, files, want):
    root = with_files(make_root(tmp_path, OS_RELEASE[release][1]), *files)
    assert detected(root) == want


@pytest.mark.parametrize(("release", "files"), [
    ("fedora-40", [KEYFILE, IFCFG]),
    ("debian-12", [NETWORK, INTERFACES]),
])
def test_both_kinds_of_files_in_one_family_are_undecided(tmp_path, release, files):
    root = with_files(make_root(tmp_path, OS_RELEASE[release][1]), *files)
    with pytest.raises(InvalidOperation, match="--backend"):
        detect.detect(str(root))


@pytest.mark.parametrize(("files", "want"), [
    ([KEYFILE], "nm-keyfile"), ([NETWORK], "networkd"), ([NETDEV], "networkd"),
])
def test_without_os_release_files_of_a_modern_backend_decide(tmp_path, files, want):
    assert detected(with_files(make_root(tmp_path), *files)) == want


def test_an_empty_systemd_network_directory_decides_nothing(tmp_path):
    root = make_root(tmp_path, locations=("debian",))
    (root / "etc/systemd/network").mkdir(parents=True)
    (root / "etc/NetworkManager/system-connections").mkdir(parents=True)
    assert detected(root) == "debian"


def test_a_modern_backend_beside_a_classic_location_is_undecided(tmp_path):
    root = with_files(make_root(tmp_path, locations=("redhat",)), NETWORK)
    err = assert_undecided(root)
    assert "redhat" in err.message and "networkd" in err.message


# -- Ubuntu and netplan: never a guess into a file nothing reads ---------------------------------

NETPLAN = ("etc/netplan/50-cloud-init.yaml", "network:\n  version: 2\n  ethernets:\n    eth0:\n"
           "      dhcp4: true\n")
NETPLAN_LIB = ("lib/netplan/00-network-manager-all.yaml", "network:\n  version: 2\n"
               "  renderer: NetworkManager\n")
#: The interfaces file of every Ubuntu since 17.10: ifupdown is not installed.
INTERFACES_UBUNTU = ("etc/network/interfaces", "# ifupdown has been replaced by netplan(5) on this system.  "
                     "See\n# /etc/netplan for current configuration.\n# To re-enable ifupdown on this "
                     "system, you can run:\n#    sudo apt install ifupdown\n")
IF_UP_D = ("etc/network/if-up.d/ethtool", "#!/bin/sh\n")
SUSE_IFCFG = ("etc/sysconfig/network/ifcfg-eth0", "BOOTPROTO='dhcp'\nSTARTMODE='auto'\n")


@pytest.mark.parametrize(("release", "files", "want"), [
    ("ubuntu-24.04", [NETPLAN], "netplan"),
    ("ubuntu-24.04", [NETPLAN, INTERFACES_UBUNTU, IF_UP_D], "netplan"),
    ("ubuntu-24.04", [NETPLAN_LIB], "netplan"),  # a desktop: only the distribution's file
    ("ubuntu-24.04", [INTERFACES_UBUNTU], "debian"),  # no netplan here either: the family's classic
    ("ubuntu-24.04", [INTERFACES], "debian"),  # a server that went back to ifupdown
    ("debian-12", [NETPLAN], "netplan"),  # Debian 13's cloud images use netplan too
    ("debian-12", [INTERFACES, IF_UP_D], "debian"),
    ("fedora-40", [KEYFILE, NETPLAN], "nm-keyfile"),  # not the family netplan belongs to here
    ("sles-15", [SUSE_IFCFG], "suse"),
], ids=lambda v: v if isinstance(v, str) else "+".join(f[0].rsplit("/", 1)[-1] for f in v) or "none")
def test_ubuntu_and_netplan_roots(tmp_path, release, files, want):
    root = with_files(make_root(tmp_path, OS_RELEASE[release][1]), *files)
    assert detected(root) == want


def test_ubuntu_with_netplan_installed_and_no_file_yet_is_netplan(tmp_path):
    root = with_files(make_root(tmp_path, OS_RELEASE["ubuntu-24.04"][1]), INTERFACES_UBUNTU, IF_UP_D)
    (root / "etc/netplan").mkdir()
    assert detected(root) == "netplan"


@pytest.mark.parametrize(("release", "files"), [
    ("ubuntu-24.04", [NETPLAN, INTERFACES]),  # ifupdown stanzas and netplan: which one runs?
    ("debian-12", [NETPLAN, NETWORK]),  # netplan renders into /run; a .network of one's own beside it
])
def test_netplan_beside_another_live_format_is_undecided(tmp_path, release, files):
    root = with_files(make_root(tmp_path, OS_RELEASE[release][1]), *files)
    with pytest.raises(InvalidOperation, match="--backend") as e:
        detect.detect(str(root))
    assert "netplan" in e.value.message


def test_no_netplan_file_means_no_bridge_in_a_dead_interfaces_file(tmp_path):
    """The issue's Ubuntu root: netplan installed, a cloud-init netplan file;
    a define goes into netplan, never into /etc/network/interfaces."""
    root = with_files(make_root(tmp_path, OS_RELEASE["ubuntu-24.04"][1]), NETPLAN, IF_UP_D)
    with augnetcf.Config(str(root)) as cfg:
        assert cfg.backend.name == "netplan"
        assert cfg.list_interfaces() == ["eth0"]
        cfg.define('<interface type="bridge" name="br0"><start mode="onboot"/><bridge/></interface>')
    assert not (root / "etc/network/interfaces").exists()
    assert "br0" in (root / "etc/netplan/60-augnetcf.yaml").read_text()


@pytest.mark.parametrize(("backend", "rel", "text"), [
    ("debian", "etc/network/interfaces.d/50-cloud-init",
     "# This file is generated from information provided by the datasource.  Changes\n"
     "# to it will not persist across an instance reboot.\nauto eth0\niface eth0 inet dhcp\n"),
    ("redhat", "etc/sysconfig/network-scripts/ifcfg-eth0",
     "# Created by cloud-init on instance boot automatically, do not edit.\n#\nBOOTPROTO=dhcp\n"
     "DEVICE=eth0\nONBOOT=yes\nTYPE=Ethernet\n"),
    ("debian", "etc/network/interfaces",
     "# This file is managed by Puppet. DO NOT EDIT.\nauto eth0\niface eth0 inet dhcp\n"),
])
def test_a_file_something_else_writes_is_not_written(tmp_path, backend, rel, text):
    root = with_files(make_root(tmp_path, "ID=debian\n" if backend == "debian" else "ID=rhel\n"), (rel, text))
    if rel.startswith("etc/network/interfaces.d"):
        with_files(root, ("etc/network/interfaces", "source /etc/network/interfaces.d/*\n"))
    before = snapshot_tree(root)
    xml = '<interface type="ethernet" name="eth0"><start mode="onboot"/><mtu size="9000"/>' \
          '<protocol family="ipv4"><dhcp/></protocol></interface>'
    with augnetcf.Config(str(root), backend) as cfg, pytest.raises(FileError) as e:
        cfg.define(xml)
    assert e.value.file == str(root / rel)
    assert "cloud-init" in e.value.message or "another tool" in e.value.message
    assert snapshot_tree(root) == before
