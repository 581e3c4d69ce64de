"""The lenses we ship pass their augparse tests, and are the ones augnetcf loads."""

import shutil
import subprocess
from pathlib import Path

import pytest

from augnetcf import resources

#: the checkout's lenses, and the installed ones that augnetcf loads and augparse tests
LENSES = Path(__file__).resolve().parents[2] / "lenses"
INSTALLED = resources.lenses_dir()
TESTS = sorted((INSTALLED / "tests").glob("test_*.aug"))


def test_every_shipped_lens_has_an_augparse_test():
    lenses = {p.stem for p in INSTALLED.glob("*.aug")}
    tested = {p.stem.removeprefix("test_") for p in TESTS}
    assert lenses and lenses <= tested


@pytest.mark.parametrize("test", TESTS, ids=[p.stem for p in TESTS])
def test_augparse(test):
    augparse = shutil.which("augparse")
    assert augparse, "augparse is missing: install augeas-tools (Debian) or augeas (Fedora)"
    # --notypecheck: the lens typecheck costs a minute of CPU (Shellvars' regexes);
    # lenses/README.md says how to run it, and it passed when the lens last changed.
    r = subprocess.run([augparse, "--notypecheck", "-I", str(INSTALLED), str(test)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_installed_lenses_match_the_checkout():
    """The lens directory augnetcf puts on Augeas' load path holds these files."""
    for lens in LENSES.glob("*.aug"):
        assert (INSTALLED / lens.name).read_bytes() == lens.read_bytes()


#: Ifcfg as it was, on the stock modules (lenses/ifcfg.aug copies what it used
#: from them so that libaugeas need not parse Shellvars on every command).
STOCK_IFCFG = """module Ifcfg =
  let bare = Quote.do_quote_opt_nil (store Sysconfig.bchar+)
  let assign =
    let nothing = del /(""|'')?/ "" . value "" in
    Sysconfig.kv nothing | Sysconfig.kv bare | Sysconfig.kv Sysconfig.quot
    | Sysconfig.kv Sysconfig.dquot | Sysconfig.kv Sysconfig.squot
  let lns = Sysconfig.empty* . (Sysconfig.comment | Sysconfig.source | assign
                                | Sysconfig.unset | Sysconfig.bare_export)*
"""
CORPUS = Path(__file__).resolve().parents[1] / "data"


def _ifcfg_files() -> list[Path]:
    return sorted({*CORPUS.glob("corpus/redhat/**/ifcfg-*"), *CORPUS.glob("corpus/suse/**/ifcfg-*"),
                   *CORPUS.glob("netcf/redhat/fsroot/etc/sysconfig/network-scripts/ifcfg-*"),
                   *CORPUS.glob("suse-fsroot/etc/sysconfig/network/ifcfg-*")})


def _read_and_write(loadpath: Path, src: Path, work: Path) -> tuple[list, list, str | None]:
    """What the Ifcfg lens on *loadpath* makes of *src*: its tree, its
    errors, and the text it prints after edits of every kind (a value made
    to need quotes, a new bare, spaced and quoted value, a comment, a removal)."""
    import augeas

    work.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, work / "ifcfg-x")
    aug = augeas.Augeas(root="/", loadpath=str(loadpath), flags=augeas.Augeas.NO_MODL_AUTOLOAD
                        | augeas.Augeas.NO_LOAD)
    try:
        aug.set("/augeas/load/x/lens", "Ifcfg.lns")
        aug.set("/augeas/load/x/incl", str(work / "ifcfg-x"))
        aug.load()
        base = f"/files{work}/ifcfg-x"
        tree = [(p[len(base):], aug.get(p)) for p in aug.match(f"{base}//*")]
        errors = sorted(aug.get(p) or "" for p in aug.match("/augeas//error//message"))
        if not aug.match(base):
            return tree, errors, None
        for p in aug.match(f"{base}/*")[:3]:
            if p.rsplit("/", 1)[1][0] not in "#@.":
                aug.set(p, "changed value")
        nodes = aug.match(f"{base}/*")
        if len(nodes) > 4:
            aug.remove(nodes[2])
        added = (("NEWKEY", "a b"), ("NEW2", "plain"), ("NEW3", 'q"x'), ("#comment[last()+1]", "hi"))
        for label, value in added:
            aug.set(f"{base}/{label}", value)
        try:
            aug.save()
        except OSError:
            return tree, errors, "save failed"
        return tree, errors, (work / "ifcfg-x").read_text()
    finally:
        aug.close()


def test_ifcfg_reads_and_writes_as_on_the_stock_modules(tmp_path):
    stock = tmp_path / "stock"
    stock.mkdir()
    (stock / "ifcfg.aug").write_text(STOCK_IFCFG)
    files = _ifcfg_files()
    assert len(files) > 100
    for i, src in enumerate(files):
        ours = _read_and_write(INSTALLED, src, tmp_path / f"ours{i}")
        theirs = _read_and_write(stock, src, tmp_path / f"stock{i}")
        assert ours == theirs, src
