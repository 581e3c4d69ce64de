"""What an installation of augnetcf is: the wheel built from this tree carries
the stylesheets, schemas and lenses and needs no extra for any command, the
copy installed from it defines an interface, and the augnetcf these tests use
is an installed one, never the checkout."""

import email.parser
import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CHECKOUT, RUN_CWD, augnetcf_command

import augnetcf

REPO = CHECKOUT
DATA_FILES = [
    "augnetcf/xslt/interface.rng",
    "augnetcf/xslt/forest.rng",
    "augnetcf/xslt/redhat-to-forest.xsl",
    "augnetcf/xslt/redhat-from-forest.xsl",
    "augnetcf/lenses/ifcfg.aug",
    "augnetcf/lenses/nm_keyfile.aug",
    "augnetcf/lenses/systemd_network.aug",
    "augnetcf/xslt/nm-keyfile-to-forest.xsl",
    "augnetcf/xslt/nm-keyfile-from-forest.xsl",
    "augnetcf/xslt/networkd-to-forest.xsl",
    "augnetcf/xslt/networkd-from-forest.xsl",
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of this tree, built offline with the installed hatchling: by
    pip where the interpreter has it (a venv), else by python-build (Debian's
    pybuild and autopkgtest environments, which have no pip)."""
    out = tmp_path_factory.mktemp("wheel")
    if importlib.util.find_spec("pip"):
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
               "--disable-pip-version-check", "-q", "-w", str(out), str(REPO)]
    else:
        cmd = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--skip-dependency-check",
               "--outdir", str(out), str(REPO)]
    subprocess.run(cmd, check=True, capture_output=True, cwd=out)
    [whl] = out.glob("augnetcf-*.whl")
    return whl


def test_wheel_carries_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f for f in DATA_FILES if f not in names]
    assert not missing, f"not in the wheel: {missing}"
    assert any(n.endswith("entry_points.txt") for n in names)


def test_every_command_needs_no_extra(wheel):
    """``pip install augnetcf`` brings pyroute2: list, ifup, share and the rest
    work without naming an extra (the old ``kernel`` extra is an empty alias)."""
    with zipfile.ZipFile(wheel) as z:
        [meta] = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")]
        msg = email.parser.Parser().parsestr(z.read(meta).decode())
    requires = msg.get_all("Requires-Dist")
    plain = {r.split(";")[0].replace(" ", "") for r in requires if "extra" not in r}
    for dep in ("python-augeas>=0.5", "lxml>=4.9.2", "netaddr>=0.8", "pyroute2>=0.7.2"):
        assert dep in plain, (dep, requires)
    assert "kernel" in msg.get_all("Provides-Extra")
    assert not [r for r in requires if "extra == 'kernel'" in r or 'extra == "kernel"' in r]


def test_installed_wheel_defines_an_interface(wheel, tmp_path):
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:  # a pure-Python wheel: unpacking it is installing it
        z.extractall(target)
    root = tmp_path / "root"
    shutil.copytree(REPO / "examples" / "redhat-root", root)
    # Run from a directory without the checkout, with the installed copy first on the path.
    script = (
        "import augnetcf, augnetcf.resources as r, sys\n"
        "assert augnetcf.__file__.startswith(sys.argv[1]), augnetcf.__file__\n"
        "assert str(r.data_dir('xslt')).startswith(sys.argv[1])\n"
        "assert str(r.lenses_dir()).startswith(sys.argv[1])\n"
        "from augnetcf.cli import main\n"
        "sys.exit(main(['--root', sys.argv[2], 'define', sys.argv[3]]))\n"
    )
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-c", script, str(target), str(root), str(REPO / "examples/br0.xml")],
                       capture_output=True, text=True, cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "Defined interface br0"
    ifcfg = (root / "etc/sysconfig/network-scripts/ifcfg-br0").read_text()
    assert "TYPE=Bridge\n" in ifcfg  # written bare: the shipped Ifcfg lens was used


def test_the_tests_use_an_installed_augnetcf():
    """In this process and in the commands the tests start (from RUN_CWD, with
    this environment), augnetcf is the installed package with its data inside."""
    here = Path(augnetcf.__file__).resolve().parent
    assert here != CHECKOUT / "augnetcf"
    assert (here / "xslt" / "interface.rng").is_file() and (here / "lenses" / "ifcfg.aug").is_file()
    assert Path.cwd() == RUN_CWD
    r = subprocess.run([sys.executable, "-c", "import augnetcf; print(augnetcf.__file__)"],
                       capture_output=True, text=True, check=True)
    assert Path(r.stdout.strip()).resolve().parent == here
    cmd = augnetcf_command()
    assert os.access(cmd[0], os.X_OK)
    assert subprocess.run([*cmd, "help"], capture_output=True, text=True).returncode == 0


def test_the_distribution_packages_have_the_package_version():
    """debian/changelog and augnetcf.spec name the version augnetcf says it is
    (docs/develop/releasing.md lists them among what a release changes)."""
    changelog = (REPO / "debian" / "changelog").read_text().splitlines()[0]
    assert changelog.startswith(f"augnetcf ({augnetcf.__version__}) "), changelog
    spec = (REPO / "augnetcf.spec").read_text()
    assert f"\nVersion:        {augnetcf.__version__}\n" in spec
    assert f"> - {augnetcf.__version__}-" in spec  # the %changelog entry
