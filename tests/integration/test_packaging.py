"""`pip install .` gives a working augnetcf: the stylesheets, schemas and lenses
travel inside the wheel, and the installed copy defines an interface."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA_FILES = [
    "augnetcf/xslt/interface.rng",
    "augnetcf/xslt/forest.rng",
    "augnetcf/xslt/redhat-to-forest.xsl",
    "augnetcf/xslt/redhat-from-forest.xsl",
    "augnetcf/lenses/ifcfg.aug",
    "augnetcf/lenses/nm_keyfile.aug",
    "augnetcf/xslt/nm-keyfile-to-forest.xsl",
    "augnetcf/xslt/nm-keyfile-from-forest.xsl",
    "augnetcf/xslt/networkd-to-forest.xsl",
    "augnetcf/xslt/networkd-from-forest.xsl",
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "-q", "-w", str(out), str(REPO)], check=True)
    [whl] = out.glob("augnetcf-*.whl")
    return whl


def test_wheel_carries_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f for f in DATA_FILES if f not in names]
    assert not missing, f"not in the wheel: {missing}"
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_defines_an_interface(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--disable-pip-version-check",
                    "-q", "--target", str(target), str(wheel)], check=True)
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
