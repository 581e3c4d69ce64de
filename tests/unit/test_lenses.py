"""The lenses we ship pass their augparse tests, and are the ones augnetcf loads."""

import contextlib
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


# -- Systemd_Network: the stock Systemd lens without its two differences --------------------------
# lenses/systemd_network.aug spells out the stock lens' entry_multi_kw
# (/[A-Za-z][A-Za-z0-9._-]+/ minus Description, Environment and Exec keys) and
# IniFile's record_re (/[^]\r\n\/]+/ minus "#comment"). These build both
# expressions from what they exclude and compare them with the lens' text, with
# the differences (exactly, on libfa's automata; and word by word, on samples),
# and read and write every networkd file of the corpus with both lenses.
_KEY_FIRST = string.ascii_uppercase + string.ascii_lowercase
_KEY_CHARS = _KEY_FIRST + string.digits + "._-"


def _key_class(chars: str, minus: str = "") -> str:
    """A bracket expression for *chars* but *minus*, letters and digits in ranges."""
    keep = [c for c in _KEY_CHARS if c in chars and c not in minus]
    out, i = "", 0
    while i < len(keep):
        j = i
        while j + 1 < len(keep) and keep[j + 1].isalnum() and ord(keep[j + 1]) == ord(keep[j]) + 1:
            j += 1
        out += keep[i] if j == i else keep[i] + keep[j] if j == i + 1 else f"{keep[i]}-{keep[j]}"
        i = j + 1
    return "[" + out + "]"


def _title_class(minus: str = "") -> str:
    return r"[^]\r\n\/" + minus + "]"


def _spelled_out(words: list[str], first, other, least: int, prefix: str | None = None,
                 leave: str | None = None, stay: str | None = None) -> str:
    """A regular expression for the words at least *least* (1 or 2) characters
    long, with a first character from ``first(m)`` and the others from
    ``other(m)`` (bracket expressions without the characters *m*), but not
    *words* and not *prefix* followed by anything that neither starts with a
    character of *leave* nor matches *stay*. Spelled as a trie: a start that
    leaves the path of every excluded word, then anything; or a start of an
    excluded word that stops early."""
    assert least in (1, 2)
    top = _trie([*words, *([prefix] if prefix else [])])

    def group(alts: list[str], optional: bool = False) -> str:
        return alts[0] if len(alts) == 1 and not optional else "(" + "|".join(alts) + ")" + "?" * optional

    def leaves(n: dict, path: str) -> str:
        if path == prefix:
            return leave
        kids = "".join(sorted(c for c in n if c != "$"))
        head = first(kids) + other("") * (least - 1) if not path else other(kids)
        return group([head] + [c + leaves(n[c], path + c) for c in kids])

    def stops(n: dict, path: str) -> str | None:
        if path == prefix:
            return stay
        alts = [c + r for c in sorted(c for c in n if c != "$") if (r := stops(n[c], path + c)) is not None]
        here = len(path) >= least and path not in words
        if not alts:
            return "" if here else None
        return group(alts, here)

    alts = [leaves(top, "") + other("") + "*"]
    if (s := stops(top, "")) is not None:
        alts.append(s)
    return "(" + "|".join(alts) + ")"


def _systemd_network() -> dict[str, str]:
    text = (LENSES / "systemd_network.aug").read_text()
    return dict(re.findall(r"let (\w+) = /((?:[^/\\\n]|\\.)*)/", text))


def _unescape(rx: str) -> str:
    """An Augeas regular-expression literal as libaugeas hands it on (its
    internal.c: unescape with RX_ESCAPES): \\t, \\n, \\r... become the
    characters, \\/ and \\\\ lose the backslash, other escapes stay."""
    names = dict(zip("abtnvfr", "\a\b\t\n\v\f\r"))

    def one(m: re.Match) -> str:
        c = m.group(1)
        return names.get(c) or (c if c in "/\\" else m.group(0))

    return re.sub(r"\\(.)", one, rx)


#: the lens' name for each -> (its generator, the stock difference as (minuend, subtrahend))
_SPELLED = {
    "entry_multi_kw": (lambda: _spelled_out(
        ["Description", "Environment"], lambda m: _key_class(_KEY_FIRST, m),
        lambda m: _key_class(_KEY_CHARS, m), 2,
        "Exec", _key_class(_KEY_CHARS, _KEY_FIRST), _key_class(_KEY_FIRST) + "?"),
        ("[A-Za-z][A-Za-z0-9._-]+", "Description|Exec[A-Za-z][A-Za-z0-9._-]+|Environment")),
    "record_re": (lambda: _spelled_out(["#comment"], _title_class, _title_class, 1),
                  (r"[^]\r\n\/]+", "#comment")),
}


@pytest.mark.parametrize("name", sorted(_SPELLED))
def test_systemd_network_spells_out_what_the_stock_difference_says(name):
    generate, _stock = _SPELLED[name]
    assert _systemd_network()[name] == generate()


def _libfa():
    """libfa, the automaton library libaugeas computes differences with, or a skip."""
    import ctypes
    import ctypes.util

    fa = None
    for lib in filter(None, (ctypes.util.find_library("fa"), "libfa.so.1")):
        try:
            fa = ctypes.CDLL(lib)
            break
        except OSError:
            pass
    if fa is None:
        pytest.skip("libfa (Augeas' automaton library, beside libaugeas) is not loadable")
    fa.fa_compile.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_void_p)]
    fa.fa_minus.restype = ctypes.c_void_p
    fa.fa_minus.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    fa.fa_equals.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    fa.fa_free.argtypes = [ctypes.c_void_p]

    def compile_(rx: str):
        out = ctypes.c_void_p()
        assert fa.fa_compile(rx.encode(), len(rx.encode()), ctypes.byref(out)) == 0, rx
        return out.value

    return fa, compile_


@pytest.mark.parametrize("name", sorted(_SPELLED))
def test_systemd_network_expressions_equal_the_stock_differences_on_libfa(name):
    """Exactly: libfa, which libaugeas computes the difference with, finds the
    automata of the lens' expression and of the stock difference equal."""
    fa, compile_ = _libfa()
    _generate, (whole, less) = _SPELLED[name]
    ours, whole_fa, less_fa = (compile_(_unescape(r)) for r in (_systemd_network()[name], whole, less))
    stock = fa.fa_minus(whole_fa, less_fa)
    try:
        assert fa.fa_equals(ours, stock) == 1
    finally:
        for f in (ours, whole_fa, less_fa, stock):
            fa.fa_free(f)


def _near_misses(words: list[str], seed: int, alphabet: str, extra: str) -> set[str]:
    """The excluded words, their starts, each with a character more, with one
    changed, with a letter's case changed; and random words over *alphabet*."""
    out = set(words)
    for w in words:
        for i in range(len(w) + 1):
            out |= {w[:i], w[:i] + w[i:].swapcase(), w + "s", "x" + w, w[:i] + w[i + 1:]}
            out |= {w[:i] + c for c in extra} | {w[:i] + c + w[i + 1:] for c in extra}
            if i < len(w):
                out.add(w[:i] + w[i].swapcase() + w[i + 1:])
    rnd = random.Random(seed)
    while len(out) < 50_000:
        w = rnd.choice(words)
        cut = rnd.randint(0, len(w))
        tail = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 6)))
        out.add(w[:cut] + tail if rnd.random() < 0.7 else tail)
    return out


def test_systemd_network_keys_are_the_stock_keys_on_samples():
    got = re.compile(_unescape(_systemd_network()["entry_multi_kw"]))
    word = re.compile(r"[A-Za-z][A-Za-z0-9._-]+")
    command = re.compile(r"Exec[A-Za-z][A-Za-z0-9._-]+")
    words = ["Description", "Environment", "ExecStart", "Exec"]
    samples = _near_misses(words, 3, "DescriptonEvmxSaXz019._- #=é", "xXS1._- #")
    samples |= {"De", "En", "Ex", "Exe", "Execx", "ExecS", "Exec1", "Exec-", "Descriptio", "Descriptionx",
                "Environmen", "Environments", "DESCRIPTION", "description", "EXECSTART", "D", "E", ""}
    assert len(samples) >= 50_000
    for w in samples:
        excluded = w in ("Description", "Environment") or command.fullmatch(w)
        want = bool(word.fullmatch(w)) and not excluded
        assert bool(got.fullmatch(w)) == want, w


def test_systemd_network_section_names_are_the_stock_names_on_samples():
    got = re.compile(_unescape(_systemd_network()["record_re"]))
    name = re.compile("[^]\r\n/]+")
    samples = _near_misses(["#comment", "Network"], 4, "#comentCx]/\r\n [\\", "xC]/\r\n#")
    for w in samples:
        want = bool(name.fullmatch(w)) and w != "#comment"
        assert bool(got.fullmatch(w)) == want, w


def _networkd_files() -> dict[str, str]:
    """Every networkd file of the test data (corpus, goldens), and a few
    made up to hit the keys and section names the lens spells out, by a
    name under etc/systemd/network that keeps the file's suffix."""
    out = {}
    for i, path in enumerate(sorted(CORPUS.glob("corpus/networkd/**/*"))):
        if path.is_file() and path.suffix in (".network", ".netdev", ".link", ".conf"):
            out[f"{i:03}-{path.name}"] = path.read_text()
    for path in sorted(CORPUS.glob("goldens/networkd/*.txt")):
        for block in path.read_text().split("== ")[1:]:
            head, _, body = block.partition("\n")
            out[f"{path.stem}-{head.rsplit('/', 1)[1]}"] = body
    keys = ["De", "Descriptio", "Descriptions", "En", "Environmen", "Environments", "Ex", "Exe", "Exec",
            "Execx", "Exec1", "Exec_x", "ExecStart", "Description", "Environment", "description", "D"]
    values = {"ExecStart": "-/bin/true a b", "Environment": "A=1 B='x y'"}
    for i, k in enumerate(keys):
        out[f"keys-{i:02}.network"] = f"[Network]\n{k}={values.get(k, '1 2')}\n"
    for i, s in enumerate(["#", "#commen", "#comment", "#commentx", "# comment", "a/b", "Route"]):
        out[f"sections-{i}.network"] = f"# top\n[{s}]\nAddress=10.0.0.1/24\n"
    return out


def _networkd_on(lens: str, loadpath: str | None, files: dict[str, str], root: Path) -> tuple:
    """What *lens* makes of *files*: the tree, the files it could not read
    (with where and why), and the bytes of every file after edits of every
    kind (words changed, a key removed, a key and a section added, a
    comment added), with the files it could not write."""
    import augeas

    where = root / "etc/systemd/network"
    where.mkdir(parents=True)
    for name, text in files.items():
        (where / name).write_text(text)
    aug = augeas.Augeas(root=str(root), loadpath=loadpath,
                        flags=augeas.Augeas.NO_MODL_AUTOLOAD | augeas.Augeas.NO_LOAD)
    try:
        aug.set("/augeas/load/x/lens", lens)
        aug.set("/augeas/load/x/incl", "/etc/systemd/network/*")
        aug.load()

        def errors() -> list:
            out = []
            for e in aug.match("/augeas/files//error"):
                details = [(p.rsplit("/", 1)[1], aug.get(p)) for p in aug.match(e + "/*")]
                out.append((e, aug.get(e), sorted(d for d in details if d[0] != "lens")))
            return sorted(out)

        tree = [(p, aug.get(p)) for p in aug.match("/files//*")]
        unread = errors()
        for name in files:
            base = f"/files/etc/systemd/network/{name}"
            for p in aug.match(f"{base}/*/*/value")[:3]:
                aug.set(p, "changed")
            sections = [p for p in aug.match(f"{base}/*") if p.rsplit("/", 1)[1][:1] not in "#."]
            if sections:
                keys = aug.match(f"{sections[0]}/*")
                if len(keys) > 2:
                    aug.remove(keys[1])
                aug.set(f"{sections[0]}/#comment[last()+1]", "added")
            aug.set(f"{base}/Network/Augnetcf/value", "new")
            aug.set(f"{base}/AugnetcfSection/Key/value", "x")
        with contextlib.suppress(OSError):  # the same files fail on both lenses, or the test says so
            aug.save()
        written = {name: (where / name).read_text() for name in files}
        return tree, unread, written, errors()
    finally:
        aug.close()


def test_systemd_network_reads_and_writes_as_the_stock_lens(tmp_path):
    files = _networkd_files()
    assert len(files) > 100
    ours = _networkd_on("Systemd_Network.lns", str(INSTALLED), files, tmp_path / "ours")
    stock = _networkd_on("Systemd.lns", None, files, tmp_path / "stock")
    assert len(ours[0]) > 1000 and ours[2] != files
    assert {e[0] for e in ours[1]} == {f"/augeas/files/etc/systemd/network/{n}/error" for n in
                                       ("keys-16.network", "sections-2.network", "sections-5.network")}
    for what, a, b in zip(("tree", "unread", "written", "unwritten"), ours, stock):
        if what == "written":
            for name in files:
                assert a[name] == b[name], name
        assert a == b, what


def test_augeas_own_systemd_tests_pass_on_systemd_network(tmp_path):
    """Augeas' augparse tests of its Systemd lens (where the distribution ships
    them, as Debian's augeas-lenses does), run on ours, with the typecheck."""
    stock = Path("/usr/share/augeas/lenses/dist/tests/test_systemd.aug")
    if not stock.is_file():
        pytest.skip(f"{stock} is not installed")
    text = re.sub(r"\bSystemd\.", "Systemd_Network.", stock.read_text())
    text = re.sub(r"^module Test_Systemd\b", "module Test_stock_systemd", text, flags=re.M)
    assert text.count("Systemd_Network.") >= 10
    (tmp_path / "test_stock_systemd.aug").write_text(text)
    augparse = shutil.which("augparse")
    assert augparse, "augparse is missing: install augeas-tools (Debian) or augeas (Fedora)"
    r = subprocess.run([augparse, "-I", str(INSTALLED), str(tmp_path / "test_stock_systemd.aug")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
