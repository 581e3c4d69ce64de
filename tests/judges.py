"""Judges from outside augnetcf: the distributions' own readers of the files it writes.

- Debian: ``ifquery`` from the ``ifupdown`` package, which parses
  ``/etc/network/interfaces`` exactly as ``ifup`` does. It is not installed
  (that would pull in a network setup); :func:`ifquery` fetches the package
  with ``apt-get download`` and unpacks it into a cache the first time.
- Red Hat and SUSE: ifcfg files are shell, read by sourcing them;
  :func:`source_ifcfg` asks a POSIX shell what a file sets.

What ``ifquery`` prints (ifupdown 0.8.41, Debian 12), for ``ifquery -i FILE NAME``:

- one ``option: value`` line per option, for every ``iface NAME`` stanza of
  the file in order (``inet`` and ``inet6`` alike, nothing says which
  family a line came from); ``iface NAME inet dhcp`` without options prints
  nothing; ``up``/``down`` and the like repeat, once per line;
- defaults and conversions of the method, not only what the file says:
  ``address 10.0.0.5/24`` prints ``address: 10.0.0.5``, ``broadcast:
  10.0.0.255`` and ``netmask: 255.255.255.0``; an ``inet6 static`` stanza adds
  ``autoconf: 0``, ``preferred-lifetime:`` (empty), ``dad-attempts: 60``,
  ``dad-interval: 0.1`` and, for ``address A/64``, ``netmask: 64`` and
  ``accept_ra: 0``; ``inet6 auto``/``dhcp`` print ``accept_ra``,
  ``request_prefix``, ``ll-attempts`` and ``ll-interval``;
- only the first ``address`` of a stanza: a second one is dropped silently
  (``ifup`` ignores it too; several addresses take several stanzas).

The flags used make it a pure reader: ``-i FILE`` instead of
``/etc/network/interfaces``; ``--state-dir`` in a fresh temporary directory
(else it creates ``/run/network``); ``--no-mappings`` (else it *runs* the
scripts of ``mapping`` stanzas); ``--no-loopback`` (else it lists and knows
``lo`` whether or not the file has it). Traced with strace, it then opens
nothing for writing and only creates the state directory. ``source`` paths
that are relative are relative to the including file's directory.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

#: Where the unpacked ifupdown package is kept between runs.
CACHE = Path.home() / ".cache" / "augnetcf-tests" / "ifupdown"

#: The environment the judges' programs run in.
ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C"}


class JudgeError(RuntimeError):
    """A judge refused its input (the message is the program's own)."""


def _runs(path: Path) -> bool:
    try:
        r = subprocess.run([str(path), "--version"], capture_output=True, env=ENV, timeout=30)
    except OSError:
        return False
    return r.returncode == 0


def _run(cmd: list[str], cwd: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, cwd=cwd, timeout=300)


def _download(cache: Path) -> str | None:
    """Unpack ifupdown's .deb into *cache*; the reason it failed, or None."""
    if not shutil.which("apt-get", path=ENV["PATH"]) or not shutil.which("dpkg", path=ENV["PATH"]):
        return "neither /sbin/ifquery nor apt-get and dpkg (to fetch Debian's ifupdown) are here"
    cache.parent.mkdir(parents=True, exist_ok=True)
    # Everything happens in a private directory beside the cache, which is
    # then renamed into place in one step: concurrent callers each unpack
    # their own copy, the first rename wins, the others find the cache there.
    with tempfile.TemporaryDirectory(dir=cache.parent, prefix=".ifupdown-") as tmp:
        r = _run(["apt-get", "download", "-q", "ifupdown"], cwd=tmp)
        if r.returncode != 0 and os.geteuid() == 0:
            # A machine whose package lists were never fetched knows no ifupdown.
            _run(["apt-get", "update", "-qq"])
            r = _run(["apt-get", "download", "-q", "ifupdown"], cwd=tmp)
        debs = sorted(Path(tmp).glob("ifupdown_*.deb"))
        if r.returncode != 0 or not debs:
            return f"`apt-get download ifupdown` failed: {(r.stderr or r.stdout).strip()}"
        unpacked = Path(tmp) / "root"
        r = _run(["dpkg", "-x", str(debs[-1]), str(unpacked)])
        if r.returncode != 0:
            return f"`dpkg -x {debs[-1].name}` failed: {r.stderr.strip()}"
        try:
            os.rename(unpacked, cache)
        except OSError:
            if not cache.is_dir():  # not a lost race: a real failure
                raise
    return None


@functools.cache
def _find_ifquery() -> tuple[str | None, str]:
    system = Path("/sbin/ifquery")
    if system.exists() and _runs(system):
        return str(system), ""
    cached = CACHE / "sbin" / "ifquery"
    if not cached.exists():
        try:
            problem = _download(CACHE)
        except (OSError, subprocess.SubprocessError) as exc:
            problem = f"fetching ifupdown failed: {exc}"
        if problem:
            return None, problem
    if not cached.exists():
        return None, f"{cached} is missing after unpacking ifupdown (remove {CACHE} to fetch it again)"
    if not _runs(cached):
        return None, f"{cached} --version failed"
    return str(cached), ""


def ifquery() -> str | None:
    """A runnable ``ifquery`` from Debian's ifupdown, or None (:func:`ifquery_problem` says why).

    ``/sbin/ifquery`` if the package is installed; otherwise the package is
    downloaded (not installed) and unpacked into :data:`CACHE`, once.
    """
    return _find_ifquery()[0]


def ifquery_problem() -> str:
    """Why :func:`ifquery` returned None ("" if it did not)."""
    return _find_ifquery()[1]


def _ifquery(interfaces_file: str | os.PathLike, *args: str) -> str:
    prog = ifquery()
    if prog is None:
        raise JudgeError(f"no ifquery: {ifquery_problem()}")
    with tempfile.TemporaryDirectory(prefix="ifquery-state-") as state:
        r = _run([prog, f"--state-dir={state}/run", "--no-mappings", "--no-loopback",
                  "-i", os.fspath(interfaces_file), *args])
    if r.returncode != 0:
        raise JudgeError(f"ifquery {' '.join(args)} on {os.fspath(interfaces_file)} exited "
                         f"{r.returncode}: {r.stderr.strip()}")
    return r.stdout


def ifquery_list(interfaces_file: str | os.PathLike, allow: str = "auto") -> list[str]:
    """The interfaces marked ``auto`` (or ``allow-ALLOW``) in the file and what it sources.

    ``lo`` only if the file marks it. Raises :class:`JudgeError` where ifquery
    refuses the file, e.g. a parse error, or an ``allow-`` line naming an
    interface without an ``iface`` stanza.
    """
    return _ifquery(interfaces_file, "--list", f"--allow={allow}").split()


def ifquery_options(interfaces_file: str | os.PathLike, name: str) -> dict[str, list[str]]:
    """The options of every ``iface NAME`` stanza, as ``ifquery NAME`` prints them.

    Each option maps to its values in the order printed (all stanzas, both
    families, with ifupdown's defaults; see the module's docstring). Raises
    :class:`JudgeError` if the file has no stanza for *name*.
    """
    options: dict[str, list[str]] = {}
    for line in _ifquery(interfaces_file, name).splitlines():
        key, sep, value = line.partition(": ")
        if not sep:
            raise JudgeError(f"ifquery printed a line without ': ': {line!r}")
        options.setdefault(key, []).append(value)
    return options


@functools.cache
def _shell_baseline(cwd: str) -> dict[str, str]:
    return _shell_env("/dev/null", cwd)


def _shell_env(path: str, cwd: str) -> dict[str, str]:
    # env -i: nothing inherited; set -a: every assignment is exported, so env
    # shows it; "$1" is absolute because ". name" would search $PATH.
    r = subprocess.run(["env", "-i", "sh", "-c", 'set -a; . "$1"; env -0', "sh", path],
                       capture_output=True, cwd=cwd, env=ENV, timeout=60)
    if r.returncode != 0:
        raise JudgeError(f"sh could not source {path}: {r.stderr.decode(errors='replace').strip()}")
    out = {}
    for item in r.stdout.split(b"\0"):
        if item:
            key, _, value = item.decode("utf-8", errors="surrogateescape").partition("=")
            out[key] = value
    return out


def source_ifcfg(path: str | os.PathLike) -> dict[str, str]:
    """The variables a POSIX shell (``sh``) sets when it sources *path*.

    The variables an empty file leaves (``PWD``) are left out unless the file
    changes them. Used to judge ifcfg files: initscripts, NetworkManager's
    ifcfg reader and SUSE's ifup all treat them as shell.
    """
    path = os.path.abspath(os.fspath(path))
    cwd = os.path.dirname(path)
    base = _shell_baseline(cwd)
    return {k: v for k, v in _shell_env(path, cwd).items() if base.get(k) != v}


# -- NetworkManager: nmcli --offline ------------------------------------------------------------
#
# ``nmcli --offline connection modify`` (NetworkManager >= 1.42, Debian 12 has
# 1.42.4) reads a keyfile on stdin, checks it the way NetworkManager checks a
# connection before using it (``nm_connection_verify``: a manual method needs
# an address, a port needs a master, bond options must fit the mode...) and
# prints it back normalised, with every default filled in. It talks to no
# daemon and writes nothing. The package is not installed (that would start a
# network manager); like ifupdown, network-manager and libnm0 are fetched
# with ``apt-get download`` and unpacked into a cache the first time.

NM_CACHE = Path.home() / ".cache" / "augnetcf-tests" / "network-manager"
_NM_PACKAGES = ("network-manager", "libnm0")


def _download_debs(cache: Path, packages: tuple[str, ...]) -> str | None:
    """Unpack *packages* into *cache* (one tree); the reason it failed, or None."""
    if not shutil.which("apt-get", path=ENV["PATH"]) or not shutil.which("dpkg", path=ENV["PATH"]):
        return f"apt-get and dpkg (to fetch Debian's {' '.join(packages)}) are not here"
    cache.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache.parent, prefix=".fetch-") as tmp:
        r = _run(["apt-get", "download", "-q", *packages], cwd=tmp)
        if r.returncode != 0 and os.geteuid() == 0:
            _run(["apt-get", "update", "-qq"])
            r = _run(["apt-get", "download", "-q", *packages], cwd=tmp)
        if r.returncode != 0:
            return f"`apt-get download {' '.join(packages)}` failed: {(r.stderr or r.stdout).strip()}"
        unpacked = Path(tmp) / "root"
        for deb in sorted(Path(tmp).glob("*.deb")):
            r = _run(["dpkg", "-x", str(deb), str(unpacked)])
            if r.returncode != 0:
                return f"`dpkg -x {deb.name}` failed: {r.stderr.strip()}"
        try:
            os.rename(unpacked, cache)
        except OSError:
            if not cache.is_dir():
                raise
    return None


def _nm_env(root: Path) -> dict[str, str]:
    libs = [str(p) for p in (root / "usr" / "lib").glob("*-linux-gnu")]
    return {**ENV, "LD_LIBRARY_PATH": ":".join(libs)}


@functools.cache
def _find_nmcli() -> tuple[str | None, dict[str, str], str]:
    system = shutil.which("nmcli", path=ENV["PATH"])
    candidates = [(system, ENV)] if system else []
    cached = NM_CACHE / "usr" / "bin" / "nmcli"
    if not system and not cached.exists():
        try:
            problem = _download_debs(NM_CACHE, _NM_PACKAGES)
        except (OSError, subprocess.SubprocessError) as exc:
            problem = f"fetching network-manager failed: {exc}"
        if problem:
            return None, ENV, problem
    candidates.append((str(cached), _nm_env(NM_CACHE)))
    for prog, env in candidates:
        if prog and Path(prog).exists():
            r = subprocess.run([prog, "--version"], capture_output=True, text=True, env=env, timeout=30)
            if r.returncode == 0:
                return prog, env, ""
    return None, ENV, f"no runnable nmcli (remove {NM_CACHE} to fetch it again)"


def nmcli() -> str | None:
    """A runnable ``nmcli`` (>= 1.42, for --offline), or None (:func:`nmcli_problem` says why)."""
    return _find_nmcli()[0]


def nmcli_problem() -> str:
    return _find_nmcli()[2]


def nmcli_check(keyfile: str | os.PathLike) -> dict[str, dict[str, str]]:
    """The connection in *keyfile* as NetworkManager normalises it: section ->
    key -> value, defaults filled in. Raises :class:`JudgeError` with nmcli's
    message when NetworkManager would refuse the connection."""
    prog, env, problem = _find_nmcli()
    if prog is None:
        raise JudgeError(f"no nmcli: {problem}")
    with open(keyfile, "rb") as f:
        r = subprocess.run([prog, "--offline", "connection", "modify"], stdin=f, capture_output=True,
                           env=env, timeout=60)
    if r.returncode != 0:
        raise JudgeError(f"nmcli refused {os.fspath(keyfile)}: {r.stderr.decode(errors='replace').strip()}")
    settings: dict[str, dict[str, str]] = {}
    section: dict[str, str] = {}
    for line in r.stdout.decode().splitlines():
        if line.startswith("[") and line.endswith("]"):
            section = settings.setdefault(line[1:-1], {})
        elif "=" in line:
            key, _, value = line.partition("=")
            section[key] = value
    return settings


# -- systemd-networkd, in namespaces of its own ----------------------------------------------------
#
# systemd-networkd itself is the judge of .network/.netdev files: it reports
# every key it cannot use as ``FILE:LINE: ...ignoring`` and creates the
# virtual devices the .netdev files describe. It runs in a new network
# namespace (only loopback: the host's links are out of reach) and a new
# mount namespace, where the files under test are bind-mounted over
# /etc/systemd/network, a tmpfs hides the vendor files and /run/systemd, and
# D-Bus is unreachable. It is stopped after a few seconds; the namespaces
# die with it. Without udev it does not configure links (it waits for them
# to be initialised), so what it judges is parsing and device creation.

NETWORKD = Path("/lib/systemd/systemd-networkd")

_NETWORKD_SCRIPT = r"""
set -e
mkdir -p /run/systemd
mount -t tmpfs tmpfs /run/systemd
mount -t tmpfs tmpfs /usr/lib/systemd/network
mount --bind "$1" /etc/systemd/network
ip link set lo up
SYSTEMD_LOG_LEVEL=info SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_COLOR=0 \
DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent timeout "$2" "$3" >"$4/log" 2>&1 || true
ip -d -j link show >"$4/links.json"
"""


def networkd_problem() -> str:
    """Why :func:`networkd_check` cannot run here ("" if it can)."""
    if not NETWORKD.exists():
        return f"{NETWORKD} is missing (Debian's systemd package has it)"
    if os.geteuid() != 0:
        return "systemd-networkd needs root to run in namespaces of its own"
    if not shutil.which("unshare", path=ENV["PATH"]):
        return "unshare (util-linux) is missing"
    if not Path("/etc/systemd/network").is_dir() or not Path("/usr/lib/systemd/network").is_dir():
        return "/etc/systemd/network or /usr/lib/systemd/network is missing (mount points)"
    return ""


def networkd_check(config_dir: str | os.PathLike, seconds: int = 3) -> tuple[list[str], list[dict]]:
    """Run systemd-networkd on the files in *config_dir*: (its complaints about
    them, one ``FILE:LINE: message`` each, paths as /etc/systemd/network/NAME;
    the links it created, as ``ip -d -j link show`` gives them)."""
    import json

    problem = networkd_problem()
    if problem:
        raise JudgeError(f"no systemd-networkd judge: {problem}")
    with tempfile.TemporaryDirectory(prefix="networkd-judge-") as out:
        r = subprocess.run(["unshare", "--net", "--mount", "--fork", "sh", "-c", _NETWORKD_SCRIPT, "sh",
                            os.path.abspath(config_dir), str(seconds), str(NETWORKD), out],
                           capture_output=True, text=True, env=ENV, timeout=60 + seconds)
        if r.returncode != 0:
            raise JudgeError(f"running systemd-networkd in namespaces failed: {r.stderr.strip()}")
        log = Path(out, "log").read_text(errors="replace").splitlines()
        links = json.loads(Path(out, "links.json").read_text() or "[]")
    complaints = [line for line in log if line.startswith("/etc/systemd/network/")]
    return complaints, links


# -- ifupdown-ng (Alpine's ifupdown; Debian 12 packages it) ---------------------
# Its ``ifparse`` reads an interfaces file with ifupdown-ng's own parser and
# prints it back, stanza by stanza, as ifupdown-ng understands it (``iface
# NAME`` then ``use EXECUTOR`` lines and the options). With ``-i FILE`` it
# reads that file instead of /etc/network/interfaces, ``-S`` points its state
# file into a temporary directory and ``-l`` takes no lock: traced with
# strace it opens nothing for writing. It reports what it cannot parse as
# ``FILE:LINE: message`` on stderr and still exits 0, so any stderr is a
# refusal here. ifupdown2's ifquery is not a judge: it is a Python program
# that loads its addons, which query and may change the kernel's links, and
# it takes its lock and state under /run/network; it cannot be kept from
# the host as surely.

NG_CACHE = Path.home() / ".cache" / "augnetcf-tests" / "ifupdown-ng"


@functools.cache
def _find_ifparse() -> tuple[str | None, str]:
    cached = NG_CACHE / "sbin" / "ifparse"
    if not cached.exists():
        try:
            problem = _download_debs(NG_CACHE, ("ifupdown-ng",))
        except (OSError, subprocess.SubprocessError) as exc:
            problem = f"fetching ifupdown-ng failed: {exc}"
        if problem:
            return None, problem
    if not _runs(cached):
        return None, f"{cached} --version failed"
    return str(cached), ""


def ifparse_problem() -> str:
    """Why ifupdown-ng's ``ifparse`` cannot run here ("" if it can)."""
    return _find_ifparse()[1]


def ifparse(interfaces_file: str | os.PathLike) -> dict[str, list[str]]:
    """Every stanza ifupdown-ng reads in *interfaces_file*: NAME -> its lines
    as ``ifparse --all`` prints them (``auto``, ``use ...``, ``KEY VALUE``).
    Raises :class:`JudgeError` when ifupdown-ng complains about the file."""
    prog, problem = _find_ifparse()
    if prog is None:
        raise JudgeError(f"no ifparse: {problem}")
    with tempfile.TemporaryDirectory(prefix="ifparse-state-") as state:
        r = _run([prog, "-l", "-i", os.fspath(interfaces_file), "-S", os.path.join(state, "ifstate"),
                  "--all"])
    if r.returncode != 0 or r.stderr.strip():
        raise JudgeError(f"ifparse on {os.fspath(interfaces_file)} exited {r.returncode}: {r.stderr.strip()}")
    out: dict[str, list[str]] = {}
    current: list[str] = []
    pending_auto = False
    for line in r.stdout.splitlines():
        if line.startswith("auto "):
            pending_auto = True
        elif line.startswith("iface "):
            current = out.setdefault(line.split()[1], [])
            if pending_auto:
                current.append("auto")
            pending_auto = False
        elif line.strip():
            current.append(line.strip())
    return out


# -- netplan (Ubuntu's; Debian 12 packages netplan.io 0.106) ----------------------
# netplan's own parser judges the YAML: ``generate --root-dir ROOT`` reads
# ROOT/{lib,etc,run}/netplan/*.yaml exactly as at boot and renders them into
# ROOT/run/systemd/network (for networkd) or refuses them with
# ``FILE:LINE:COL: Error in network definition: ...``; ``netplan get
# --root-dir ROOT KEY`` prints what the merged files say at KEY, as YAML. The
# packages are not installed (netplan.io pulls in a network setup): they and
# the Python modules its command imports are fetched with ``apt-get
# download`` and unpacked into a cache the first time. Each call copies the
# YAML into a temporary root of its own, so nothing is rendered into the
# root under test.

NETPLAN_CACHE = Path.home() / ".cache" / "augnetcf-tests" / "netplan"
_NETPLAN_PACKAGES = ("netplan.io", "libnetplan0", "python3-netifaces", "python3-rich", "python3-pygments",
                     "python3-markdown-it", "python3-mdurl", "python3-dbus", "python3-yaml")


@functools.cache
def _find_netplan() -> tuple[dict[str, str] | None, str]:
    generate = NETPLAN_CACHE / "usr" / "libexec" / "netplan" / "generate"
    if not generate.exists():
        try:
            problem = _download_debs(NETPLAN_CACHE, _NETPLAN_PACKAGES)
        except (OSError, subprocess.SubprocessError) as exc:
            problem = f"fetching netplan.io failed: {exc}"
        if problem:
            return None, problem
    libs = sorted((NETPLAN_CACHE / "usr" / "lib").glob("*-linux-gnu"))
    for lib in libs:  # ctypes.util.find_library looks for the unversioned name
        so = lib / "libnetplan.so"
        if not so.exists() and (lib / "libnetplan.so.0.0").exists():
            with contextlib.suppress(FileExistsError):
                so.symlink_to("libnetplan.so.0.0")
            with contextlib.suppress(FileExistsError):
                (lib / "libnetplan.so.0").symlink_to("libnetplan.so.0.0")
    env = {**ENV, "LD_LIBRARY_PATH": ":".join(str(p) for p in libs),
           "PYTHONPATH": f"{NETPLAN_CACHE}/usr/share/netplan:{NETPLAN_CACHE}/usr/lib/python3/dist-packages"}
    with tempfile.TemporaryDirectory(prefix="netplan-judge-") as root:
        r = subprocess.run([str(generate), "--root-dir", root], capture_output=True, text=True, env=env,
                           timeout=60)
    if r.returncode != 0:
        return None, f"{generate} does not run: {r.stderr.strip()}"
    return env, ""


def netplan_problem() -> str:
    """Why the netplan judges cannot run here ("" if they can)."""
    return _find_netplan()[1]


def _netplan_root(root: str | os.PathLike, into: str) -> None:
    for d in ("lib/netplan", "etc/netplan", "run/netplan"):
        src = Path(root, d)
        if src.is_dir():
            shutil.copytree(src, Path(into, d))


def netplan_generate(root: str | os.PathLike) -> tuple[dict[str, str], str]:
    """What ``netplan generate`` renders from the netplan files under *root*:
    (file name -> text of each networkd unit, its stderr: warnings). Raises
    :class:`JudgeError` with netplan's message when it refuses the files."""
    env, problem = _find_netplan()
    if env is None:
        raise JudgeError(f"no netplan: {problem}")
    generate = NETPLAN_CACHE / "usr" / "libexec" / "netplan" / "generate"
    with tempfile.TemporaryDirectory(prefix="netplan-judge-") as tmp:
        _netplan_root(root, tmp)
        r = subprocess.run([str(generate), "--root-dir", tmp], capture_output=True, text=True, env=env,
                           timeout=60)
        if r.returncode != 0:
            raise JudgeError(f"netplan generate refused the files: {r.stderr.strip()}")
        out = Path(tmp, "run", "systemd", "network")
        units = {p.name: p.read_text() for p in sorted(out.glob("*"))} if out.is_dir() else {}
    return units, r.stderr


def netplan_get(root: str | os.PathLike, key: str = "all") -> str:
    """What ``netplan get --root-dir ROOT KEY`` prints (YAML): netplan's own
    reading of the merged files at *key* (``ethernets.eth0.mtu``, say)."""
    env, problem = _find_netplan()
    if env is None:
        raise JudgeError(f"no netplan: {problem}")
    script = NETPLAN_CACHE / "usr" / "share" / "netplan" / "netplan.script"
    with tempfile.TemporaryDirectory(prefix="netplan-judge-") as tmp:
        _netplan_root(root, tmp)
        r = subprocess.run(["/usr/bin/python3", str(script), "get", "--root-dir", tmp, key],
                           capture_output=True, text=True, env=env, timeout=60)
    if r.returncode != 0:
        raise JudgeError(f"netplan get {key} failed: {r.stderr.strip()}")
    return r.stdout
