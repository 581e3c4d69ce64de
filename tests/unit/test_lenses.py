"""The lenses we ship pass their augparse tests, and are the ones augnetcf loads."""

import random
import re
import shutil
import string
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


# -- Ifupdown's option names and methods, spelled out ---------------------------------------------
# lenses/ifupdown.aug writes "a word that is no keyword" as a trie rather than
# as a regular-expression difference, which libaugeas would compile again on
# every load and every written file (about 25 ms each). These build the same
# expressions from the keyword lists and compare them with the lens' text,
# and their meaning with the differences they replace.
_ANY = r"[^ \t\n\\]"


def _trie(words: list[str]) -> dict:
    top: dict = {}
    for w in words:
        n = top
        for c in w:
            n = n.setdefault(c, {})
        n["$"] = {}
    return top


def _class(excluded: set[str], first: str | None) -> str:
    if first is not None:  # the first character of a name: a letter, digit or underscore
        return "[" + "".join(c for c in first if c not in excluded) + "]"
    rest = "".join(sorted(c for c in excluded if c != "-")) + ("-" if "-" in excluded else "")
    return r"[^ \t\n\\" + rest + "]"


def _node(n: dict, path: str, allow: str | None, first: str | None = None) -> str:
    if allow is not None and path == allow:  # below "allow-": a character allow-[a-z-]+ lacks, or nothing
        return r"([a-z-]*[^ \t\n\\a-z-]" + _ANY + "*)?"
    kids = {c: k for c, k in sorted(n.items()) if c != "$"}
    alts = [_class(set(kids), first) + _ANY + "*"] + [c + _node(k, path + c, allow) for c, k in kids.items()]
    body = "(" + "|".join(alts) + ")"
    return body if ("$" in n or not path) else body + "?"


def _not_among(words: list[str], allow: str | None, first: str | None) -> str:
    """A regular expression for the words (a first character from *first*, or
    any but a blank or backslash; then any of those) that are not *words*,
    nor *allow* followed by [a-z-]+."""
    top = _trie(words + ([allow] if allow else []))
    if allow:
        n = top
        for c in allow:
            n = n[c]
        n.clear()
    return _node(top, "", allow, first)


def _python(rx: str) -> re.Pattern:
    """An Augeas regular expression as Python's (its \\t, \\n and \\\\)."""
    escapes = {"t": "\t", "n": "\n"}
    return re.compile(re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), "\\" + m.group(1)), rx))


def _ifupdown() -> tuple[str, dict[str, str]]:
    text = (LENSES / "ifupdown.aug").read_text()
    lets = dict(re.findall(r"let (\w+) = /((?:[^/\\\n]|\\.)*)/", text))
    lets["meth"] = re.search(r'label "method" \. store /((?:[^/\\\n]|\\.)*)/', text).group(1)
    return text, lets


def _samples(words: list[str], seed: int) -> set[str]:
    out = set(words) | {"allow-", "allow-hotplug", "allow-Hot", "allow-a1", "address", "bridge_ports", "x\\y",
                        "pre-up", "vlan-raw-device", "é", "_x", "9", "-x", "static", "dhcp", "inet7"}
    for w in [*words, "allow-hotplug"]:
        for i in range(len(w) + 1):
            out |= {w[:i], w[:i] + "x", w[:i] + "-", w[:i] + "6", w + "s", w[:i] + "\\", "x" + w}
    rnd = random.Random(seed)
    alphabet = "aefilmnostuwy-_x16A\\é "
    out |= {"".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 9))) for _ in range(50000)}
    return out - {""}


def test_ifupdown_option_names_are_the_words_that_are_no_keyword():
    _text, lets = _ifupdown()
    keywords = lets["keyword"].split("|")
    assert "allow-[a-z-]+" in keywords
    finite = [k for k in keywords if k != "allow-[a-z-]+"] + ["family", "method", "inherits", "no-defaults"]
    first = string.ascii_letters + string.digits + "_"
    assert lets["name"] == _not_among(finite, "allow-", first)
    got = _python(lets["name"])
    word, kw = re.compile(r"[A-Za-z0-9_][^ \t\n\\]*"), _python(lets["keyword"])
    for w in _samples(finite, 1):
        want = bool(word.fullmatch(w)) and not kw.fullmatch(w) and w not in finite
        assert bool(got.fullmatch(w)) == want, w


def test_ifupdown_methods_are_the_words_that_are_no_family():
    _text, lets = _ifupdown()
    excluded = ["inet", "inet6", "ipx", "can", "link", "meta", "inherits", "no-defaults"]
    assert _python(lets["family"]).pattern and all(_python(lets["family"]).fullmatch(f) for f in excluded[:6])
    assert lets["meth"] == _not_among(excluded, None, None)
    got, word, family = _python(lets["meth"]), re.compile(r"[^ \t\n\\]+"), _python(lets["family"])
    for w in _samples(excluded, 2):
        want = bool(word.fullmatch(w)) and not family.fullmatch(w) and w not in ("inherits", "no-defaults")
        assert bool(got.fullmatch(w)) == want, w
