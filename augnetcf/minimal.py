"""The smallest edit: a new forest moved towards what the files say, as far
as its meaning allows.

A stylesheet writes one spelling of a description. The files may say the
same thing in another: an explicit default (``IPV6INIT="no"``), another
spelling of a value (``PREFIX=24`` for ``NETMASK=255.255.255.0``,
``IPv6AcceptRA=false`` for ``no``, ``method=disabled`` for ``ignore``),
another name for an option (``bridge-ports`` for ``bridge_ports``), a
bridge port's bare ``iface eno1 inet manual`` stanza. Writing the
stylesheet's spelling over them would change lines whose meaning does not
change, and a reader whose defaults differ from ours would then read a
different configuration.

:func:`conserve` rewrites the new forest, in place, one node at a time:
it gives back a value the files have, puts back a node the files have,
takes the files' label for a node, or drops a node the files never had.
Each step is kept only when the forest still reads as the same interface
XML (the *meaning* callable: the backend's from-forest stylesheet, made
canonical). So the rule needs no knowledge of any backend: the reader
decides what is equivalent. The backends' ``alias``, ``respell`` and
``defaults`` data remain as the fast, common cases.

Pure lxml: no Augeas, no files.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Iterable

from lxml import etree

from . import xslt
from .backends import Backend
from .errors import AugnetcfError

#: What a forest means: canonical interface XML, or None when it cannot be read.
Meaning = Callable[[etree._Element], "bytes | None"]


_RANK = {"start": 0, "mac": 1, "mtu": 2, "protocol": 3, "link": 4, "autoconf": 0, "dhcp": 1, "ip": 2,
         "route": 3, "miimon": 0, "arpmon": 0}


def canonical(doc: etree._Element) -> bytes:
    """Interface XML in a form where equal meaning gives equal bytes: no
    whitespace, and bridge ports and bond slaves sorted (except the first
    slave of a bond whose mode has a primary, since its place says so)."""
    doc = copy.deepcopy(doc)
    for el in list(doc.iter()):
        el.text = el.tail = None
        # the schema interleaves children: only same-named siblings keep their order
        children = sorted(el, key=lambda c: (_RANK.get(c.tag, 9), c.get("family", "")))
        el[:] = children
    for parent in reversed(list(doc.iter("bridge", "bond"))):  # innermost first: keys include them
        keep = 1 if parent.tag == "bond" and parent.get("mode") in ("active-backup", "balance-tlb",
                                                                      "balance-alb") else 0
        ports = parent.findall("interface")
        for port in ports:
            parent.remove(port)
        rest = sorted(ports[keep:], key=lambda e: etree.tostring(e, method="c14n"))
        parent.extend(ports[:keep] + rest)
    return etree.tostring(doc, method="c14n")


def _picks_by_name(backend: Backend) -> bool:
    """Whether the backend's from-forest stylesheet finds ``$name`` among
    the units (Debian, SUSE, networkd) rather than reading the first file
    as the interface (Red Hat, NetworkManager): asked of an empty forest."""
    if backend.name not in _PICKS_BY_NAME:
        try:
            doc = xslt.from_forest(etree.Element("forest"), backend, "probe0")
            _PICKS_BY_NAME[backend.name] = doc.get("name") == "probe0"
        except AugnetcfError:
            _PICKS_BY_NAME[backend.name] = False
    return _PICKS_BY_NAME[backend.name]


_PICKS_BY_NAME: dict[str, bool] = {}


#: Parts of another interface's XML that count only where the description gives them.
_OPTIONAL = frozenset({"start", "mtu", "mac"})


def reading(backend: Backend, name: str, described: dict[str, set[str]],
            facts: Callable[[etree._Element], tuple[str, str, list[str]]],
            alone: Callable[[etree._Element, str], etree._Element | None],
            settled: Collection[str] = ()) -> Meaning:
    """What a forest means for a description of *name*.

    Three things: *name*'s interface XML; what the engine itself reads from
    each unit to relate interfaces (*facts*: its name, its master, its
    ports), since a port file saying ``MASTER=bond0`` beside ``BRIDGE=br0``
    may read as the same bridge and still be another host; and, for each
    other interface the description names (*described*: name -> the child
    elements its own ``<interface>`` element has), its own XML, read from
    its own units and marks alone (*alone*: a forest of them, or None).
    Alone, because a bridge's XML shows neither the MTU its ports' files
    get with it nor an address or route a port's file would keep, and a
    reader may ignore what a port's file says because it is a port (wicked
    does): the description says the port has no address, so its file must not.

    Of another interface's own XML, its start mode, MTU and MAC count only
    where its element in the description has them, or the stylesheet's
    forest gives them (a bridge's MTU on Red Hat ports; never a start
    mode). Otherwise the description does not speak of them (an ``auto
    eno1`` line, a port's own ``MTUBytes=``), so they are the admin's to
    keep. Everything else counts: a port without ``<protocol>`` has no
    address, except on a backend whose reader ignores a port's addresses
    (``Backend.port_addresses_ignored``), for the *settled* names: ports
    that were ports of the same master before the define. Their addresses
    meant nothing before and mean nothing after, so they stay as written.
    The first forest read decides what the stylesheet
    gives: :func:`conserve` reads the stylesheet's forest first.
    """
    ignored = set(settled) if backend.port_addresses_ignored else set()
    counted: dict[str, set[str]] = {}

    def read(forest: etree._Element, n: str) -> bytes:
        if n == name:
            return canonical(xslt.from_forest(forest, backend, n))
        own = alone(forest, n)
        if own is None:
            if not _picks_by_name(backend):
                return b""  # a stylesheet that reads the first file as the interface: none is n's
            own = etree.Element("forest")  # a stylesheet that picks $name out reads a bare n
        doc = xslt.from_forest(own, backend, n)
        if n not in counted:
            counted[n] = _OPTIONAL & (described[n] | {c.tag for c in doc} - {"start"})
        for child in list(doc):
            if (child.tag in _OPTIONAL and child.tag not in counted[n]) or (
                    child.tag == "protocol" and n in ignored):
                doc.remove(child)
        return canonical(doc)

    def meaning(forest: etree._Element) -> bytes | None:
        try:
            edges = set()
            for el in forest.xpath(backend.unit):
                n, master, ports = facts(el)
                edges.update([(master, n)] if master else [])
                edges.update((n, port) for port in ports)
            return b"\n".join([repr(sorted(edges)).encode(), *(read(forest, n) for n in [name, *described])])
        except AugnetcfError:
            return None

    return meaning


def conserve(forest: etree._Element, pairs: Iterable[tuple[etree._Element, etree._Element]],
             gone: Iterable[etree._Element], meaning: Meaning, backend: Backend,
             fresh: Iterable[etree._Element] = (), instead: Iterable[etree._Element] = (),
             before: Callable[[], bytes | None] | None = None, moved: Iterable[etree._Element] = ()) -> int:
    """Move *forest* towards the files without changing what it means.

    *pairs* are (new element in *forest*, the element of the files it
    replaces); *gone* are elements of the files that *forest* does not
    replace and that a define would remove (a port's own stanza). Each of
    those is copied into *forest* when that changes nothing, so it stays.
    *fresh* are elements of *forest* that the files do not have (a port's
    new stanza, a sysctl file stating a default): each is dropped when that
    changes nothing, so it is not added; a new file that must stay keeps
    only the keys whose absence would change the meaning. *instead* are
    elements of the files that no new one replaces but that may say what a
    fresh one says, in the files' own words (``allow-auto eth0`` for ``auto
    eth0``): each takes the place of a fresh element of its kind when that
    changes nothing.
    The backend's data bounds the steps: a node it does not own is left to
    the define anyway; a label that may occur once (not ``Backend.multi``)
    is never doubled, except where the files already say it more than once
    (those lines stay, in their order); a node ``Backend.keep`` names (a
    connection's UUID) is never dropped, since the format needs it whatever
    it means.
    *before* reads what the files mean now (the elements of *pairs* and
    *gone* as they are). In the units *moved* (of *pairs*: a port's, whose
    settings a bridge may have taken over) and in *gone*, an old node is
    put back, or an old unit kept, only if it says nothing there either (an
    explicit default, a bare stanza) or is still needed once the rest is
    back. One that said something there but says nothing now is what is
    left of a setting that moved (``PREFIX=`` and ``GATEWAY=`` of a port
    whose address went to its bridge): it goes with it.
    Returns how many steps were kept.
    """
    target = meaning(forest)
    if target is None:
        return 0

    def same() -> bool:
        return meaning(forest) == target

    base: list[bytes | None] = []

    def idle(o: etree._Element) -> bool:
        """Whether the files would mean the same without *o*."""
        if before is None:
            return True
        if not base:
            base.append(before())
        parent, after = o.getparent(), o.getnext()
        parent.remove(o)
        try:
            return before() == base[0]
        finally:
            _put_back(o, parent, after)

    kept = 0
    moved = set(moved)
    for new, old in pairs:
        kept += _conserve(new, old, same, backend, idle if old in moved else lambda _o: True)
    for old in gone:
        if not idle(old):
            continue
        added = _graft(forest, old)
        if same():
            kept += 1
        else:
            _prune(added)
    fresh = list(fresh)
    for old in instead:  # the files' own mark for what a new one says (allow-auto for auto)
        for el in [f for f in fresh if f.tag == old.tag]:
            lifted = _lift(forest, el)
            if lifted is None:
                continue
            added = _graft(forest, old)
            if same():
                fresh.remove(el)
                kept += 1
                break
            _prune(added)
            _put_back(*lifted)
    for el in fresh:
        lifted = _lift(forest, el)
        if lifted is None:
            continue
        if same():
            kept += 1
            continue
        _put_back(*lifted)
        if lifted[0].tag == "tree":  # a new file the meaning needs (a port's MTU): only the keys it needs
            kept += _trim(lifted[0], same, backend)
    return kept


def _trim(el: etree._Element, same: Callable[[], bool], backend: Backend) -> int:
    """Drop each child of *el*, a node the files do not have yet, that only
    restates what its absence means (a bridge port's new file needs its MTU,
    not a start mode or a boot protocol the port's reading does not count);
    a section that must stay is trimmed the same way. A node ``Backend.keep``
    names stays. Returns how many were dropped."""
    kept = 0
    parent = el.get("label", "")
    for child in list(el.iterchildren("node")):
        if backend.keep.match(f"{parent}/{child.get('label')}"):
            continue
        at = el.index(child)
        el.remove(child)
        if same():
            kept += 1
            continue
        el.insert(at, child)
        if len(child) and child.get("value") is None and any(len(c) for c in child):
            kept += _trim(child, same, backend)  # a section: its keys one by one
    return kept


def _lift(forest: etree._Element, el: etree._Element
          ) -> tuple[etree._Element, etree._Element, etree._Element | None] | None:
    """Take *el* out of *forest*, with its containers that would be left
    with nothing; return (what was taken, its parent, its next sibling)."""
    top = el
    while top.getparent() is not None and top.getparent() is not forest and len(top.getparent()) == 1:
        top = top.getparent()
    parent = top.getparent()
    if parent is None:
        return None
    after = top.getnext()
    parent.remove(top)
    return top, parent, after


def _put_back(top: etree._Element, parent: etree._Element, after: etree._Element | None) -> None:
    if after is None:
        parent.append(top)
    else:
        after.addprevious(top)


def _key(el: etree._Element) -> tuple[str | None, str | None]:
    return el.get("label"), el.get("value")


def _words(el: etree._Element) -> tuple[tuple[str | None, str | None], ...]:
    """What a node's children say when they are all leaves (the words of a
    Systemd key, kept in ``value`` children); empty for a section or a leaf."""
    if any(len(c) for c in el):
        return ()
    return tuple(_key(c) for c in el.iterchildren("node"))


def _conserve(new: etree._Element, old: etree._Element, same: Callable[[], bool], backend: Backend,
              idle: Callable[[etree._Element], bool]) -> int:
    """Move the children of *new* towards those of *old* (see :func:`conserve`)."""
    kept = 0
    fresh = list(new.iterchildren("node"))  # new children with no identical old one (yet)
    left: list[etree._Element] = []  # old children with no identical new one
    olds = [o for o in old.iterchildren("node") if not (o.get("label") or "").startswith("#")]
    # Twins: a new child that says exactly what an old one says first (of
    # several ``Address=`` keys, the one with the same address), then one
    # with its label and value (a section, to be moved towards the old one).
    twins: dict[etree._Element, etree._Element] = {}
    for o in olds:
        twin = next((n for n in fresh if _key(n) == _key(o) and _words(n) == _words(o)), None)
        if twin is not None:
            twins[o] = twin
            fresh.remove(twin)
    for o in olds:
        twin = twins.get(o)
        if twin is None:
            twin = next((n for n in fresh if _key(n) == _key(o)), None)
            if twin is None:
                left.append(o)
                continue
            fresh.remove(twin)
            twins[o] = twin
    left = [o for o in left if len(o) or backend.owned.match(f"{o.get('label')}={o.get('value') or ''}")]
    provisional: list[etree._Element] = []
    while left:  # again while one step makes room for another (address1= once gateway= is back)
        settled = [o for o in left if _settle(new, o, fresh, same, backend, idle, provisional)]
        kept += len(settled)
        left = [o for o in left if o not in settled]
        if not settled:
            break
    # What said something in the files and says nothing now, once everything
    # else is back, is what is left of a setting the edit removes (a port's
    # PREFIX= and GATEWAY= when its address moved to the bridge): it goes.
    for twin in provisional:
        parent, after = twin.getparent(), twin.getnext()
        parent.remove(twin)
        if same():
            kept -= 1
        else:
            _put_back(twin, parent, after)
    # Sections last: a section put back above ([Route] Gateway=) may make
    # a key of another (a new [Network] Gateway=) unneeded.
    for o, twin in twins.items():
        if len(o) or len(twin):
            kept += _conserve(twin, o, same, backend, idle)
    old_labels = {c.get("label") for c in old.iterchildren("node")}
    parent = new.get("label", "")
    for n in list(fresh):
        if n.get("label") in old_labels:
            continue  # a key the files have, with another value: a real change
        if backend.keep.match(f"{parent}/{n.get('label')}"):
            continue  # the format needs it
        at = new.index(n)
        new.remove(n)
        if same():  # it only restated what its absence means
            fresh.remove(n)
            kept += 1
        else:
            new.insert(at, n)
    return kept


def _settle(new: etree._Element, o: etree._Element, fresh: list[etree._Element],
            same: Callable[[], bool], backend: Backend, idle: Callable[[etree._Element], bool],
            provisional: list[etree._Element]) -> bool:
    """Find *o* (an old child with no identical new one) a place in *new*:
    its value on the new node of its label, its label and value on another
    new node, or itself added. One added that said something in the files
    (not *idle*) goes on *provisional*. True when one of them keeps the
    meaning."""
    label, value = _key(o)
    leaf = not len(o)
    for n in [n for n in fresh if n.get("label") == label and not len(n)] if leaf else []:
        before = n.get("value")
        _set(n, label, value)
        if same():
            fresh.remove(n)
            return True
        _set(n, label, before)
    single = not backend.multi.match(label or "")
    taken = any(c.get("label") == label for c in new.iterchildren("node"))
    if single and taken and _twice(o):
        return _keep_repeat(new, o, same)
    for n in [n for n in fresh if not len(n)] if leaf else []:
        if single and taken and n.get("label") != label:
            continue  # a second node of a label that occurs once: a second line saying it
        before_label, before_value = _key(n)
        _set(n, label, value)
        if same():
            fresh.remove(n)
            return True
        _set(n, before_label, before_value)
    if single and taken:
        return False  # the label occurs once: a second node would be a second line saying it
    # In the file it stays where it is, before every node the define adds
    # (the file order can matter: ``BRIDGE`` or ``MASTER``, whichever is first).
    twin = _copy(o)
    if fresh:
        fresh[0].addprevious(twin)
    else:
        new.append(twin)
    if same():
        if not idle(o):
            provisional.append(twin)  # it said something in the files: kept only if still needed
        return True
    new.remove(twin)
    return False


def _twice(o: etree._Element) -> bool:
    """Whether the files already say *o*'s label more than once in its container."""
    parent = o.getparent()
    label = o.get("label")
    return parent is not None and sum(c.get("label") == label for c in parent.iterchildren("node")) > 1


def _keep_repeat(new: etree._Element, o: etree._Element, same: Callable[[], bool]) -> bool:
    """Keep *o*, one of the lines that set a label which occurs once more than
    once (``IPV6INIT=no`` ... ``IPV6INIT=yes``: a shell reads the last), as the
    files already have it. Not a second line the define adds: one the files
    have, which a redefine that leaves its meaning alone must not drop.

    Its copy goes where *o* stands among the lines of its label, so that the
    forest has them in the file's order and a reader that takes the last one
    reads what the file means. True when that keeps the meaning."""
    label = o.get("label")
    k = sum(c.get("label") == label for c in o.itersiblings("node", preceding=True))
    mates = [c for c in new.iterchildren("node") if c.get("label") == label]
    twin = _copy(o)
    if k < len(mates):
        mates[k].addprevious(twin)
    else:
        mates[-1].addnext(twin)
    if same():
        return True
    new.remove(twin)
    return False


def _set(el: etree._Element, label: str | None, value: str | None) -> None:
    el.set("label", label or "")
    if value is None:
        el.attrib.pop("value", None)
    else:
        el.set("value", value)


def _copy(el: etree._Element) -> etree._Element:
    """A copy of a forest element without the Augeas paths of its nodes."""
    twin = copy.deepcopy(el)
    for node in twin.iter("node"):
        node.attrib.pop("path", None)
    return twin


def _graft(forest: etree._Element, old: etree._Element) -> etree._Element:
    """Copy *old* into *forest*, inside copies of its containers (its file's
    ``<tree>``, reused when *forest* has it; an ``auto`` line). Returns the
    outermost element added."""
    if old.tag == "tree":
        twin = copy.deepcopy(old)
        for node in twin.iter("node"):
            node.attrib.pop("path", None)
        forest.append(twin)
        return twin
    chain = [a for a in old.iterancestors() if a.tag in ("node", "tree")]
    tree = chain[-1]
    home = next((t for t in forest.iterchildren("tree") if t.get("path") == tree.get("path")), None)
    top: etree._Element | None = None
    if home is None:
        home = etree.SubElement(forest, "tree", path=tree.get("path"))
        top = home
    for anc in reversed(chain[:-1]):  # a fresh container, with only what is grafted
        attrs = {k: v for k, v in anc.attrib.items() if k != "path"}
        home = etree.SubElement(home, "node", attrs)
        top = top if top is not None else home
    twin = _copy(old)
    home.append(twin)
    return top if top is not None else twin


def _prune(el: etree._Element) -> None:
    el.getparent().remove(el)
