"""A Config kept across calls answers from its last look only while inotify
says nothing changed (augnetcf/watch.py), and never serves a stale answer.

Each test keeps one Config, asks it until the watches are armed (the first
refresh arms none; the second arms them; from the third on, a quiet queue
lets the index skip its look), then changes the files behind its back in
every way a host's files change and asks again. ``Index._expand`` is
counted (not replaced) to see whether the index looked at the files.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import snapshot_tree
from test_index import host, rewrite_unnoticed, with_cache

import augnetcf
from augnetcf import index, watch

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="inotify is Linux's")

SCRIPTS = "etc/sysconfig/network-scripts"


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch):
    monkeypatch.setattr(index, "RACY_SECONDS", 0.0)


@pytest.fixture
def looks(monkeypatch) -> list[str]:
    """The globs Index._expand was asked to list, call by call."""
    seen: list[str] = []
    real = index.Index._expand

    def counted(self, pattern, xfm, out, dirs=None):
        seen.append(pattern)
        return real(self, pattern, xfm, out, dirs)

    monkeypatch.setattr(index.Index, "_expand", counted)
    return seen


@pytest.fixture
def glances(monkeypatch) -> list[set[str]]:
    """The files Index._look_at was asked to look at again (inotify named
    them), call by call: a look at a few files rather than at every one."""
    seen: list[set[str]] = []
    real = index.Index._look_at

    def counted(self, changed):
        seen.append(set(changed))
        return real(self, changed)

    monkeypatch.setattr(index.Index, "_look_at", counted)
    return seen


def armed(cfg: augnetcf.Config, name: str) -> None:
    """Ask until the watches stand (see the module docstring)."""
    for _ in range(3):
        cfg.xml_desc(name)
    assert isinstance(cfg.index._watcher, watch.Watcher) and cfg.index._watcher.sound


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The tricky Red Hat host of test_index, without its symbolic links
    (a file reached through one is looked at every time)."""
    made = with_cache(host(tmp_path / "root", "redhat"))
    for path in (made / SCRIPTS).iterdir():
        if path.is_symlink():
            path.unlink()
    return made


def test_a_quiet_root_is_not_looked_at_again(root, looks):
    with augnetcf.Config(str(root), "redhat") as cfg:
        armed(cfg, "br2")
        looks.clear()
        xml = cfg.xml_desc("br2")
        assert cfg.list_interfaces() and cfg.xml_desc("br2") == xml
    assert looks == []


def test_a_file_rewritten_in_place_with_its_old_mtime_is_seen(root, looks, glances):
    with augnetcf.Config(str(root), "redhat") as cfg:
        armed(cfg, "br2")
        rewrite_unnoticed(root / SCRIPTS / "ifcfg-br2", b"10.0.2.1", b"10.0.2.9")
        looks.clear()
        assert 'address="10.0.2.9"' in cfg.xml_desc("br2")
        # it looked at that file again, and only at it
        assert glances == [{str(root / SCRIPTS / "ifcfg-br2")}] and looks == []
        # and once it has looked, quiet again
        glances.clear()
        assert 'address="10.0.2.9"' in cfg.xml_desc("br2")
        assert looks == [] and glances == []


def test_a_new_file_a_removed_file_and_a_renamed_file_are_seen(root):
    text = "DEVICE=eth9\nBOOTPROTO=dhcp\nONBOOT=yes\n"
    with augnetcf.Config(str(root), "redhat") as cfg:
        armed(cfg, "br2")
        (root / SCRIPTS / "ifcfg-eth9").write_text(text)
        assert "eth9" in cfg.list_interfaces()
        (root / SCRIPTS / "ifcfg-eth9").rename(root / SCRIPTS / "ifcfg-eth8")
        (root / SCRIPTS / "ifcfg-eth8").write_text(text.replace("eth9", "eth8"))
        names = cfg.list_interfaces()
        assert "eth8" in names and "eth9" not in names
        (root / SCRIPTS / "ifcfg-eth8").unlink()
        assert "eth8" not in cfg.list_interfaces()


def test_a_file_replaced_by_rename_as_editors_do_is_seen(root):
    path = root / SCRIPTS / "ifcfg-br2"
    with augnetcf.Config(str(root), "redhat") as cfg:
        armed(cfg, "br2")
        tmp = path.with_name(".ifcfg-br2.swp")
        tmp.write_bytes(path.read_bytes().replace(b"10.0.2.1", b"10.0.2.7"))
        os.replace(tmp, path)
        assert 'address="10.0.2.7"' in cfg.xml_desc("br2")


def test_the_whole_directory_replaced_is_seen(root):
    folder = root / SCRIPTS
    with augnetcf.Config(str(root), "redhat") as cfg:
        armed(cfg, "br2")
        shutil.copytree(folder, folder.with_name("new"))
        (folder.with_name("new") / "ifcfg-br2").write_bytes(
            (folder / "ifcfg-br2").read_bytes().replace(b"10.0.2.1", b"10.0.2.5"))
        folder.rename(folder.with_name("old"))
        folder.with_name("new").rename(folder)
        assert 'address="10.0.2.5"' in cfg.xml_desc("br2")
        # a parent directory renamed away and back with other contents
        sysconfig = root / "etc/sysconfig"
        sysconfig.rename(root / "etc/sysconfig.old")
        shutil.copytree(root / "etc/sysconfig.old", sysconfig)
        text = (folder / "ifcfg-br2").read_bytes()
        (folder / "ifcfg-br2").write_bytes(text.replace(b"10.0.2.5", b"10.0.2.4"))
        assert 'address="10.0.2.4"' in cfg.xml_desc("br2")


def test_a_file_reached_through_a_symlink_is_looked_at_every_time(tmp_path, looks):
    made = with_cache(host(tmp_path / "root", "redhat"))
    link = made / SCRIPTS / "ifcfg-eth7"
    assert link.is_symlink()
    target = link.resolve()
    target.write_text("DEVICE=eth7\nBOOTPROTO=dhcp\nONBOOT=yes\nMTU=1400\n")
    with augnetcf.Config(str(made), "redhat") as cfg:
        for _ in range(3):
            assert '<mtu size="1400"/>' in cfg.xml_desc("eth7")
        target.write_text("DEVICE=eth7\nBOOTPROTO=dhcp\nONBOOT=yes\nMTU=1300\n")
        looks.clear()
        assert '<mtu size="1300"/>' in cfg.xml_desc("eth7")
        assert looks


def test_a_debian_file_a_source_line_takes_in_later_is_watched(tmp_path):
    root = with_cache(host(tmp_path / "root", "debian"))
    with augnetcf.Config(str(root), "debian") as cfg:
        armed(cfg, "br2")
        before = set(cfg.list_interfaces())
        (root / "etc/network/interfaces.d/extra").write_text("auto eth5\niface eth5 inet dhcp\n")
        assert set(cfg.list_interfaces()) == before | {"eth5"}
        (root / "etc/network/interfaces.d/extra").write_text("auto eth6\niface eth6 inet dhcp\n")
        assert set(cfg.list_interfaces()) == before | {"eth6"}


def test_a_networkd_drop_in_directory_made_later_is_watched(tmp_path):
    root = with_cache(tmp_path / "root")
    units = root / "etc/systemd/network"
    units.mkdir(parents=True)
    (units / "40-br3.netdev").write_text("[NetDev]\nName=br3\nKind=bridge\n")
    (units / "40-br3.network").write_text("[Match]\nName=br3\n\n[Network]\nAddress=10.0.3.1/24\n")
    with augnetcf.Config(str(root), "networkd") as cfg:
        armed(cfg, "br3")
        dropin = root / "etc/systemd/network/40-br3.network.d"
        dropin.mkdir()
        (dropin / "mtu.conf").write_text("[Link]\nMTUBytes=1234\n")
        assert '<mtu size="1234"/>' in cfg.xml_desc("br3")
        (dropin / "mtu.conf").write_text("[Link]\nMTUBytes=1235\n")
        assert '<mtu size="1235"/>' in cfg.xml_desc("br3")


def test_our_own_define_and_undefine_are_seen_by_the_next_read(root, looks, glances):
    eth5 = str(root / SCRIPTS / "ifcfg-eth5")
    with augnetcf.Config(str(root), "redhat") as cfg:
        armed(cfg, "br2")
        looks.clear()
        cfg.define('<interface type="ethernet" name="eth5"><start mode="onboot"/>'
                   '<protocol family="ipv4"><dhcp/></protocol></interface>')
        assert "eth5" in cfg.list_interfaces()
        cfg.undefine("eth5")
        assert "eth5" not in cfg.list_interfaces()
        # each save made the next read look again at the file it wrote (and
        # at the names Augeas staged it under), never at every file
        assert looks == [] and glances and all(eth5 in g for g in glances)
        assert all(os.path.basename(p).startswith("ifcfg-eth5") for g in glances for p in g)
        with augnetcf.Config(str(root), "redhat") as fresh:
            assert cfg.list_interfaces() == fresh.list_interfaces()
            assert cfg.xml_desc("br2") == fresh.xml_desc("br2")


def test_a_look_at_a_few_files_answers_as_a_full_look_would(root, looks, glances):
    """Files made, rewritten, renamed and removed by someone else: the kept
    Config looks at just those, and agrees with a fresh one each time."""
    text = "DEVICE={0}\nBOOTPROTO=dhcp\nONBOOT=yes\nMTU={1}\n"
    with augnetcf.Config(str(root), "redhat") as kept:
        armed(kept, "br2")
        looks.clear()
        steps = [
            lambda: (root / SCRIPTS / "ifcfg-eth9").write_text(text.format("eth9", 1400)),
            lambda: (root / SCRIPTS / "ifcfg-eth9").write_text(text.format("eth9", 1300)),
            lambda: (root / SCRIPTS / "ifcfg-eth9").rename(root / SCRIPTS / "ifcfg-eth8"),
            lambda: (root / SCRIPTS / "ifcfg-eth8").write_text(text.format("eth8", 1200)),
            # names no glob takes: an editor's swap file, a hidden file
            lambda: (root / SCRIPTS / ".ifcfg-eth8.swp").write_text(text.format("eth7", 1100)),
            lambda: (root / SCRIPTS / "ifcfg-eth8").unlink(),
        ]
        for step in steps:
            step()
            names = kept.list_interfaces()
            descs = {name: kept.xml_desc(name) for name in {"eth8", "eth9"} & set(names)}
            assert looks == []  # (a fresh Config's looks are counted too)
            with augnetcf.Config(str(root), "redhat") as fresh:
                assert fresh.list_interfaces() == names
                assert descs == {name: fresh.xml_desc(name) for name in descs}
            looks.clear()
        assert len(glances) == len(steps)
        assert "eth7" not in kept.list_interfaces()


def test_a_directory_made_among_the_files_means_a_full_look(root, looks, glances):
    with augnetcf.Config(str(root), "redhat") as cfg:
        armed(cfg, "br2")
        looks.clear()
        (root / SCRIPTS / "ifcfg-eth9").mkdir()
        assert "eth9" not in cfg.list_interfaces()
        assert looks and glances == []


def test_turned_off_there_is_no_watcher_and_every_call_looks(root, looks, monkeypatch):
    monkeypatch.setenv("AUGNETCF_WATCH", "off")
    with augnetcf.Config(str(root), "redhat") as cfg:
        for _ in range(3):
            cfg.xml_desc("br2")
        assert cfg.index._watcher is False
        looks.clear()
        cfg.xml_desc("br2")
        assert looks


def test_a_forked_child_never_trusts_its_parents_watches(root):
    with augnetcf.Config(str(root), "redhat") as cfg:
        armed(cfg, "br2")
        assert cfg.index._watcher.quiet()
        pid = os.fork()
        if pid == 0:  # the child: exit status 0 only if it refuses to trust the queue
            os._exit(0 if not cfg.index._watcher.quiet() else 1)
        _pid, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0


def test_a_name_is_taken_as_glob_takes_it():
    assert index._globbed("/etc/x/ifcfg-eth0", "/etc/x/ifcfg-*")
    assert not index._globbed("/etc/x/.ifcfg-eth0", "/etc/x/*")  # * takes no hidden name
    assert index._globbed("/etc/x/.hidden", "/etc/x/.*")
    assert not index._globbed("/etc/x/y/ifcfg-eth0", "/etc/x/ifcfg-*")  # nor a slash
    assert index._globbed("/etc/n/a.network.d/b.conf", "/etc/n/*.network.d/*.conf")
    assert not index._globbed("/etc/n/a.conf", "/etc/n/*.network.d/*.conf")
    assert index._globbed("/etc/network/interfaces", "/etc/network/interfaces")


def test_the_directories_are_the_folders_their_ancestors_and_the_nearest_existing_one(tmp_path):
    root = tmp_path / "r"
    (root / "etc/systemd/network/a.network.d").mkdir(parents=True)
    (root / "etc/systemd/network/b.netdev.d").mkdir()
    got = watch.directories(str(root), ["/etc/systemd/network/*.network",
                                        "/etc/systemd/network/*.network.d/*.conf",
                                        "/etc/netplan/*.yaml"])
    r = str(root)
    assert got == {f"{r}/etc/systemd/network": True, f"{r}/etc/systemd/network/a.network.d": True,
                   f"{r}/etc": True,  # etc/netplan does not exist: its parent may gain it
                   f"{r}/etc/systemd": False, r: False}


def test_a_watch_on_a_remote_filesystem_is_not_sound(monkeypatch, tmp_path):
    w = watch.Watcher()
    try:
        monkeypatch.setattr(watch, "_mounts", lambda: [("/", "nfs4")])
        w.arm({str(tmp_path): True})
        assert not w.sound and not w.quiet()
    finally:
        w.close()


def test_the_answers_match_a_fresh_config_after_each_change(root):
    """After each change, the kept Config's answers are a fresh one's."""
    with augnetcf.Config(str(root), "redhat") as kept:
        armed(kept, "br2")
        for n in (3, 4, 5):
            rewrite_unnoticed(root / SCRIPTS / f"ifcfg-br{n}", f"10.0.{n}.1".encode(), f"10.0.{n}.8".encode())
            with augnetcf.Config(str(root), "redhat") as fresh:
                assert kept.list_interfaces() == fresh.list_interfaces()
                assert kept.xml_desc(f"br{n}") == fresh.xml_desc(f"br{n}")
    assert snapshot_tree(root)


def test_without_watches_a_kept_session_never_rereads_an_old_tree(root, monkeypatch):
    """Augeas re-reads a file only when its mtime (in seconds) changed: a
    file rewritten in place with its mtime put back must still be read again
    (its ctime tells), and no stale tree may reach the index's cache."""
    monkeypatch.setenv("AUGNETCF_WATCH", "off")
    with augnetcf.Config(str(root), "redhat") as cfg:
        for _ in range(3):
            cfg.xml_desc("br2")
        rewrite_unnoticed(root / SCRIPTS / "ifcfg-br2", b"10.0.2.1", b"10.0.2.9")
        assert 'address="10.0.2.9"' in cfg.xml_desc("br2")
    with augnetcf.Config(str(root), "redhat") as fresh:
        assert 'address="10.0.2.9"' in fresh.xml_desc("br2")
