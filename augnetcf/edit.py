"""How a define or an undefine edits the files: the write path in Augeas.

:class:`augnetcf.config.Config` holds what a change needs (the lock, the
snapshot of the files with their elements loaded into Augeas, the new
forest from the stylesheets, the save or dry run) and hands it to
:func:`define` or :func:`undefine`. This module does the editing in
between, on the Augeas handle of the change: the refusals that come
first, naming a file and line (:func:`refuse_units`, which dumpxml
shares), which element of the files each new unit or mark replaces
(:func:`matches`), keeping the files' own spelling where the meaning
allows (:func:`conserve`), writing the new forest in place (:func:`write`),
creating nodes and files next to the interface's others, and removing
what goes (:func:`remove`). Plain functions of the backend's data, the
snapshot and the Augeas handle: they hold no state between calls.

Imported on first use only (it loads lxml): listing from the index needs none of it.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable

from lxml import etree

from . import backends, resolve, xslt
from ._lazy import lazy
from .errors import AugnetcfError, FileError, InvalidOperation, Unsupported
from .index import xpath as _xpath
from .resolve import XPATH_NS

# Only a change asks these (dumpxml comes through here too, and reads the
# index's trees without libaugeas; see augnetcf._lazy).
augmod = lazy("augnetcf.aug", globals())
detect = lazy("augnetcf.detect", globals())
forest = lazy("augnetcf.forest", globals())
minimal = lazy("augnetcf.minimal", globals())

TYPE_CHECKING = False
if TYPE_CHECKING:
    import augeas

    from .aug import AugeasSession
    from .backends import Backend
    from .index import Index


def identify(el: etree._Element, kind: str, b: Backend) -> tuple[str, str]:
    """(interface name, key) of a unit or mark, as the backend's data says."""
    if kind == "mark":
        name = str(_xpath(el, b.mark_name))
        if not name and b.mark_addr:
            # a mark without a name (SUSE's '-' route) is, within its own
            # forest, the interface the engine's rule gives: a new
            # description's route line that says '-' is still that
            # interface's, and is matched with the line it replaces
            units = el.getroottree().getroot().xpath(b.unit, namespaces=XPATH_NS)
            nets = [(identify(u, "unit", b)[0], str(_xpath(u, b.unit_nets)).split())
                    for u in units] if b.unit_nets else []
            name = resolve.mark_owner(name, str(_xpath(el, b.mark_addr)), nets)
        return name, _xpath(el, b.mark_key)
    name = _xpath(el, b.unit_name)
    if not name and b.name_from_path:
        m = b.name_from_path.search(el.get("path", ""))
        name = m.group(1) if m else ""
    return name, _xpath(el, b.unit_key)


def subforest(elements: list[etree._Element], b: Backend | None = None) -> etree._Element:
    """A forest of copies of *elements*, each inside copies of its ancestors
    (its file's ``<tree>``, an ``auto`` container), in the order given; with
    backend *b*, with copies of the nodes outside each that say what it
    means (``Backend.mark_context``)."""
    out = etree.Element("forest")
    copies: dict[etree._Element, etree._Element] = {}

    def container(orig: etree._Element) -> etree._Element:
        if orig not in copies:
            parent = out if orig.tag == "tree" else container(orig.getparent())
            copies[orig] = etree.SubElement(parent, orig.tag, dict(orig.attrib))
        return copies[orig]

    for el in elements:
        parent = out if el.tag == "tree" else container(el.getparent())
        for extra in _context(el, b) if b is not None else []:
            if extra not in copies:
                copies[extra] = copy.deepcopy(extra)
                container(extra.getparent()).append(copies[extra])
        copies[el] = copy.deepcopy(el)
        parent.append(copies[el])
    return out


def _context(el: etree._Element, b: Backend) -> list[etree._Element]:
    """Nodes outside *el* that say what it means (``Backend.mark_context``)."""
    return list(_xpath(el, b.mark_context)) if b.mark_context and el.tag != "tree" else []


def already(snap: resolve.Snapshot, name: str, new: etree._Element, b: Backend) -> bool:
    """Whether the files already say what forest *new* says, in their own
    spelling (PREFIX for NETMASK, ``address A/P``, quotes...). Then a define
    is a no-op: redefining what dumpxml printed changes no byte."""
    owned = snap.owned(name)
    if not owned:
        return False
    try:
        have = xslt.from_forest(subforest(owned, b), b, name)
        want = xslt.from_forest(new, b, name)
    except AugnetcfError:
        return False
    return minimal.canonical(have) == minimal.canonical(want)


# -- a define and an undefine ----------------------------------------------------------------------
def define(snap: resolve.Snapshot, new: etree._Element, doc: etree._ElementTree, names: set[str], source: str,
           session: AugeasSession, b: Backend, root: str, index: Index | None,
           save: Callable[..., None]) -> bool:
    """Write forest *new* (from description *doc*, which defines *names*)
    over snapshot *snap* in *session*, and *save* (``Config._save``);
    False, with nothing written, when the files already say it
    (:func:`already`). Refused first, naming a file or a line: what
    interface XML cannot describe, a drop-in that would override it, a file
    that would hide it, an interface it needs that nothing defines."""
    name = doc.getroot().get("name")
    aug = session.aug
    if already(snap, name, new, b):
        return False
    # What the new description replaces: the interface as it is now, and
    # the current configuration of every interface it names as a port.
    defined = [el.get("name") for el in doc.getroot().iter("interface")
               if el.getparent() is None or el.getparent().tag != "vlan"]
    old: list[etree._Element] = []
    for n in defined:
        old.extend(el for el in snap.owned(n, extras=False) if el not in old)
    refuse_units(snap, defined, Unsupported, session.fs_path, b, root, index)
    refuse_overriding_extras(snap, defined, session, b)
    refuse_shadowed(snap, new, session, b)
    refuse_missing(snap, new, doc, source, b)
    touched = old + [el for n in defined for el in snap.units.get(n, []) + snap.marks.get(n, [])]
    pins = forest.pin(aug, dict.fromkeys(touched))
    try:
        conserve(snap, new, old, doc, names, b)
        save(write(snap, new, old, aug, b), new_mode=b.new_file_mode)
    finally:
        forest.unpin(aug, pins)
    return True


def undefine(owned: list[etree._Element], aug: augeas.Augeas, b: Backend, save: Callable[..., None]) -> None:
    """Remove the elements *owned* (an interface's, its ports' and slaves')
    from Augeas, and *save*, deleting the files that go with them."""
    pins = forest.pin(aug, owned)
    try:
        save(remove(owned, aug, b))
    finally:
        forest.unpin(aug, pins)


def guard(paths: list[str], root: str, b: Backend) -> None:
    """Refuse to write or delete any of *paths* (under the root) that is
    not augnetcf's to change: read-only to the backend (netplan's
    ``run/netplan``), or written by something else (:func:`augnetcf.detect.not_ours`)."""
    read_only = b.read_only
    for path in paths:
        tree = "/files/" + os.path.relpath(path, root).replace(os.sep, "/")
        if read_only is not None and read_only.search(tree):
            raise FileError(f"cannot be written: the {b.name} backend only reads it "
                            "(a distribution default or a runtime file); change the definition "
                            "under etc/ instead", file=path)
        why = detect.not_ours(root, path)
        if why:
            raise FileError(f"cannot be written: it {why}", file=path)


# -- refusals -------------------------------------------------------------------------------------
def refuse_units(snap: resolve.Snapshot, names: list[str], error: type[AugnetcfError],
                 fs_path: Callable[[str], str], b: Backend, root: str, index: Index | None) -> None:
    """Raise *error* for the first unit of *names* (and of their ports and
    slaves) that interface XML cannot describe (``Backend.refuse``),
    naming its file (*fs_path*: ``AugeasSession.fs_path``, asked only for
    a message) and line. Dumpxml must not print it as something
    simpler, and a define must neither rewrite it nor remove it, even
    when no new unit replaces it (an ``inet6 v4tunnel`` stanza beside
    the ``inet`` one a define writes)."""
    units = [u for n in names for m in snap.names(n) for u in snap.units.get(m, [])
             if isinstance(u, etree._Element)]
    if b.merged:
        for n in names:
            spread = [u for u in snap.units.get(n, []) if isinstance(u, etree._Element)]
            files = list(dict.fromkeys(next(u.iterancestors("tree")).get("path") for u in spread))
            if len(files) > 1:
                raise error(f"{n} is defined in several {b.name} files ("
                            f"{', '.join(fs_path(f) for f in files)}), which "
                            f"{b.name} merges; augnetcf edits a definition in one file only",
                            file=fs_path(files[1]))
    for unit, why in xslt.refused(units, b)[:1]:
        raise xslt.refusal(error, unit, why, b, _line_of(unit, b, root, index))


def _line_of(unit: etree._Element, b: Backend, root: str, index: Index | None) -> int | None:
    """The line (from 1) of its file where forest *unit* starts, from its
    Augeas span; None when that cannot be known. A session of its own
    reads just that file with spans: the engine's may not hold it (the
    index reads without Augeas) or may hold it without spans. Only a
    refusal asks, so the extra parse costs nothing otherwise."""
    tree = next(unit.iterancestors("tree"), None)
    path = unit.get("path", "")
    if tree is None or not path.startswith("/files/"):
        return None
    file = tree.get("path", "").removeprefix("/files")
    i = index.transform_for(file) if index is not None else None
    t = b.transforms[i or 0]
    try:
        with augmod.AugeasSession(root, (backends.Transform(t.lens, (augmod.escape_glob(file),), t.excl),),
                                  spans=True) as s:
            disk, label_start, *_rest = s.aug.span(path)
            with open(disk, "rb") as f:
                return f.read(label_start).count(b"\n") + 1
    except (AugnetcfError, OSError, ValueError, RuntimeError):
        return None


def refuse_limits(doc: etree._ElementTree, source: str, b: Backend) -> None:
    """Refuse description *doc* where it says what the backend cannot
    express (``Backend.limits``), naming the element and its line."""
    for expr, why in b.limits:
        for el in doc.xpath(expr, namespaces=XPATH_NS):
            attrs = " ".join(f"{k}={v!r}" for k, v in el.attrib.items())
            what = f"<{el.tag}{' ' + attrs if attrs else ''}>"
            raise Unsupported(f"{what}: the {b.name} backend cannot express this: {why}",
                              file=source, line=el.sourceline)


def refuse_missing(snap: resolve.Snapshot, new: etree._Element, doc: etree._ElementTree, source: str,
                   b: Backend) -> None:
    """Refuse forest *new* when it needs an interface that neither it nor
    the files define (``Backend.requires``: a netplan VLAN's link),
    naming the element of the description that asks for it."""
    if not b.requires:
        return
    have = {identify(el, "unit", b)[0] for el in new.xpath(b.unit)}
    for name in dict.fromkeys(str(v) for v in new.xpath(b.requires)):
        if name not in have and not snap.units.get(name):
            el = next(iter(doc.xpath("//interface[@name=$n]", n=name)), doc.getroot())
            raise Unsupported(f"<interface name={name!r}>: the {b.name} backend writes an interface "
                              f"on {name} only where the files define {name} (netplan refuses a link "
                              f"it has no definition for); define {name} first",
                              file=source, line=el.sourceline)


def refuse_shadowed(snap: resolve.Snapshot, new: etree._Element, session: AugeasSession, b: Backend) -> None:
    """A new file that another file would hide from its reader (an earlier
    ``.network`` matching the name) would change nothing: refuse, naming it."""
    if not b.matches:
        return
    for el in new.xpath(b.unit):
        name, key = identify(el, "unit", b)
        if el.tag != "tree" or any(identify(u, "unit", b)[1] == key for u in snap.units.get(name, [])):
            continue
        first = resolve.shadowed_by(snap.matches, name, el.get("path"))
        if first:
            raise InvalidOperation(
                f"is read before {session.fs_path(el.get('path'))} and also applies to {name}, "
                "so a new file for it would be ignored; rename or edit it first",
                file=session.fs_path(first))


def refuse_overriding_extras(snap: resolve.Snapshot, names: list[str], session: AugeasSession,
                             b: Backend) -> None:
    """A drop-in that sets a key the backend writes would override the
    define: refuse, naming it, rather than write what would not apply."""
    aug = session.aug
    for name in names:
        for extra in snap.extras.get(name, []):
            for key in extra.xpath("node/node"):
                label = key.get("label")
                value = aug.get(key.get("path")) or ""
                if b.owned.match(f"{label}={value}"):
                    raise InvalidOperation(
                        f"drop-in sets {key.getparent().get('label')}/{label}, which augnetcf writes for "
                        f"{name}; it would override the define (move it into the main file or remove it)",
                        file=session.fs_path(extra.get("path")))


# -- the new forest against the files --------------------------------------------------------------
def matches(snap: resolve.Snapshot, new: etree._Element, b: Backend
            ) -> list[tuple[etree._Element, str, etree._Element | None]]:
    """(element, kind, the element of the files it replaces or None) for
    every unit and mark of forest *new*, in document order."""
    kinds = {el: "unit" for el in new.xpath(b.unit)}
    kinds.update({el: "mark" for el in new.xpath(b.mark)} if b.mark else {})
    kept: set[etree._Element] = set()
    out = []
    for el in (e for e in new.iter() if e in kinds):  # document order
        kind = kinds[el]
        el_name, key = identify(el, kind, b)
        match = next((e for e in (snap.units if kind == "unit" else snap.marks).get(el_name, [])
                      if e not in kept and identify(e, kind, b)[1] == key), None)
        if match is not None:
            kept.add(match)
        out.append((el, kind, match))
    return out


def conserve(snap: resolve.Snapshot, new: etree._Element, old: list[etree._Element],
             doc: etree._ElementTree, names: set[str], b: Backend) -> None:
    """Move forest *new* towards what the files say, wherever that keeps
    its meaning (see :mod:`augnetcf.minimal`): explicit defaults, the
    files' spellings and a port's bare stanza stay as they are written.
    Only the units of interfaces the new description names are kept
    this way; a former port's configuration still goes."""
    name = doc.getroot().get("name")
    matched = matches(snap, new, b)
    pairs = [(el, match) for el, _kind, match in matched if match is not None]
    for el, match in pairs:
        if b.respell is not None:
            b.respell(el, match)
    replaced = {match for _el, match in pairs}
    # The top interface's own marks say its start mode: a changed one replaces them.
    gone = [el for el in old if el not in replaced and owner(snap, el, b) in names
            and (owner(snap, el, b) != name
                 or any(u is el for u in snap.units.get(name, [])))]
    # What the files lack; the top interface's first unit is the description itself.
    top = next((el for el, kind, _m in matched if kind == "unit" and identify(el, kind, b)[0] == name),
               None)
    fresh = [el for el, _kind, match in matched if match is None and el is not top]
    instead = [el for el in old
               if el not in replaced and el not in gone and owner(snap, el, b) == name]
    if not pairs and not gone:
        return

    def facts(el: etree._Element) -> tuple[str, str, list[str]]:
        ports = [p for p in str(_xpath(el, b.unit_ports)).split() if p not in b.port_keywords]
        return identify(el, "unit", b)[0], str(_xpath(el, b.unit_master)), ports

    described = {el.get("name"): {c.tag for c in el} for el in doc.getroot().iter("interface")
                 if el.get("name") in names and el.get("name") != name}
    def alone(forest_: etree._Element, n: str) -> etree._Element | None:
        own = [el for el in forest_.xpath(b.unit) if identify(el, "unit", b)[0] == n]
        if b.mark:
            own += [el for el in forest_.xpath(b.mark) if identify(el, "mark", b)[0] == n]
        return subforest(own, b) if own else None

    # ports that were ports of the same master before, and still are
    settled = {port.get("name") for port in doc.getroot().iter("interface")
               if port.get("name") in described and snap.masters.get(port.get("name"))
               == next(port.iterancestors("interface")).get("name")}
    meaning = minimal.reading(b, name, described, facts, alone, settled)

    def before() -> bytes | None:
        """What the files mean now (minimal.conserve takes one element out at a time)."""
        attached = [el for el in old if any(a.tag == "forest" for a in el.iterancestors())]
        return meaning(subforest(attached, b))

    moved = [match for _el, match in pairs if owner(snap, match, b) != name]
    minimal.conserve(new, pairs, gone, meaning, b, fresh, instead, before, moved)


def owner(snap: resolve.Snapshot, el: etree._Element, b: Backend) -> str:
    """The interface a unit or mark of the files belongs to."""
    name = identify(el, "unit", b)[0]
    return name if any(u is el for u in snap.units.get(name, [])) else identify(el, "mark", b)[0]


# -- editing Augeas -------------------------------------------------------------------------------
def write(snap: resolve.Snapshot, new: etree._Element, old: list[etree._Element], aug: augeas.Augeas,
          b: Backend) -> list[str]:
    """Write forest *new* over the snapshot, replacing the elements *old*;
    return the files the save must delete (see :func:`remove`)."""
    kept: set[etree._Element] = set()
    written: set[str] = set()
    whole: set[etree._Element] = set()  # new elements written with all they contain
    for el, kind, match in matches(snap, new, b):
        el_name = identify(el, kind, b)[0]
        if any(a in whole for a in el.iterancestors()):
            if match is not None:  # a mark inside a unit (VLAN= in its parent's file): written with it
                kept.add(match)
            continue
        if match is not None:
            kept.add(match)
            target = match.get("path")
        elif kind == "mark" and b.mark_home:
            target = _place_mark(snap, el, whole, aug, b)
            if target is None:
                continue
        else:
            near = [u.get("path") for u in snap.units.get(el_name, []) if u.tag == "node"]
            tree = next(el.iterancestors("tree"), None)
            if b.nested_units and tree is not None and not aug.match(tree.get("path")):
                skeleton = copy.deepcopy(tree)  # the new file without its units: version: 2
                for unit in skeleton.xpath(f"({b.unit.replace('tree/', 'self::tree/', 1)})"):
                    unit.getparent().remove(unit)
                forest.write_node(aug, tree.get("path"), skeleton, b)
            if kind == "mark":
                target = create(el, aug, b, before=near[0] if near else None)
            else:
                target = create(el, aug, b, after=near[-1] if near else None)
        forest.write_node(aug, target, el, b)
        written.add(target)
        whole.add(el)
    gone = [el for el in old if el not in kept and el.get("path") not in written]
    return remove(gone, aug, b)


def _place_mark(snap: resolve.Snapshot, el: etree._Element, whole: set[etree._Element], aug: augeas.Augeas,
                b: Backend) -> str | None:
    """Where new mark *el* goes: into the file of the interface it belongs
    on (``Backend.mark_home``), else into its own tree's file, created
    whole (with what gives it meaning) when it does not exist yet. Returns
    the new node's path, or None when the whole tree was written."""
    tree = next(el.iterancestors("tree"))
    suffix = os.path.splitext(tree.get("path"))[1]
    for home in snap.homes.get(str(_xpath(el, b.mark_home)), []):
        path = home.get("path") if home.tag == "tree" else next(home.iterancestors("tree")).get("path")
        if os.path.splitext(path)[1] == suffix:
            return _create_in(el, home.get("path"), aug)
    if not aug.match(tree.get("path")):
        forest.write_node(aug, tree.get("path"), tree, b)
        whole.add(tree)
        return None
    return _create_in(el, tree.get("path"), aug)


def _create_in(el: etree._Element, base: str, aug: augeas.Augeas) -> str:
    """Create new forest node *el* under the Augeas node *base*, inside
    containers like its own ancestors (a ``[Network]`` section), reusing
    the first existing one with the same label and value."""
    for anc in reversed([a for a in el.iterancestors("node")]):
        label = forest.step(anc.get("label"))
        same = [p for p in aug.match(f"{base}/{label}") if aug.get(p) == anc.get("value")]
        if same:
            base = same[0]
        else:
            aug.set(f"{base}/{label}[last()+1]", anc.get("value"))
            base = aug.match(f"{base}/{label}")[-1]
    label = forest.step(el.get("label"))
    aug.set(f"{base}/{label}[last()+1]", el.get("value"))
    return aug.match(f"{base}/{label}")[-1]


def create(el: etree._Element, aug: augeas.Augeas, b: Backend, before: str | None = None,
           after: str | None = None) -> str:
    """Create the Augeas node (or file) for new forest element *el*, and
    every new container between it and its file; return its path.

    A node goes at the end of its file, or next to an existing node of the
    same interface (*before* or *after* that node's path), so that an
    interface kept in an included file stays there in one piece.
    """
    if el.tag == "tree":
        return el.get("path")
    parent = el.getparent()
    label = forest.step(el.get("label"))
    if parent.tag != "tree" and b.nested_units:
        base = _container(parent, aug)
    elif parent.tag != "tree":
        base = create(parent, aug, b, before, after)
    elif before or after:
        anchor = before or after
        aug.insert(anchor, label, before=bool(before))
        path = aug.match(f"{anchor}/{'preceding' if before else 'following'}-sibling::*[1]")[0]
        aug.set(path, el.get("value"))
        return path
    else:
        base = parent.get("path")
    aug.set(f"{base}/{label}[last()+1]", el.get("value"))
    return aug.match(f"{base}/{label}")[-1]


def _container(el: etree._Element, aug: augeas.Augeas) -> str:
    """The Augeas path of new forest element *el* as a container: the
    file's own node of that label and value if it has one (netplan's
    ``network:`` and ``ethernets:``), else a new one at the end of its own container."""
    if el.tag == "tree":
        return el.get("path")
    base = _container(el.getparent(), aug)
    label = forest.step(el.get("label"))
    same = [p for p in aug.match(f"{base}/{label}") if (aug.get(p) or None) == (el.get("value") or None)]
    if same:
        return same[0]
    aug.set(f"{base}/{label}[last()+1]", el.get("value"))
    return aug.match(f"{base}/{label}")[-1]


def remove(elements: list[etree._Element], aug: augeas.Augeas, b: Backend) -> list[str]:
    """Drop *elements* from Augeas; return the files that must go with them.

    A unit that is a whole file is deleted by :meth:`AugeasSession.save`
    only once everything else is written, so a failure deletes nothing.
    """
    files = []
    shared = set()
    label = b.stanza_comments
    stanzas = [el for el in elements if el.tag == "node" and el.getparent().tag == "tree"]
    # Decide which comments go before anything moves: the decision reads positions.
    plans = forest.stanza_comments(aug, [el.get("path") for el in stanzas], label) if label else []
    for plan in plans:
        forest.rehome_comments(aug, plan)
    for el in elements:
        if el.tag == "tree":
            files.append(el.get("path"))
        else:
            shared.add(next(el.iterancestors("tree")).get("path"))
            forest.remove_node(aug, el.get("path"))
    for plan in plans:
        forest.remove_comments(aug, plan)
    disposable = b.disposable
    residue = b.residue
    files += [p for p in sorted(shared) if disposable and disposable.search(p)
              and not [q for q in aug.match(f"{p}/{'/' if b.residue_deep else ''}*")
                       if not residue.match(aug.label(q))]]
    return files
