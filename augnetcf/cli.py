"""The ``augnetcf`` command: ncftool's verbs over the library.

Exit codes are stable: 0 success, 1 error, 2 usage, 3 not found.
Errors are one line on stderr naming what went wrong and where; a traceback
appears only for bugs in augnetcf itself.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence

from . import __version__, backends, schema
from .aug import check_root
from .config import Config
from .errors import AugnetcfError, FileError, NotFound
from .xslt import normalize_mac

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_NOT_FOUND = 0, 1, 2, 3


def _read_input(path: str) -> tuple[bytes, str]:
    if path == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    try:
        with open(path, "rb") as f:
            return f.read(schema.MAX_DOCUMENT_BYTES + 1), path
    except OSError as e:
        raise FileError(f"cannot read: {e.strerror}", file=path) from None


def cmd_list(cfg: Config, args: argparse.Namespace) -> int:
    ifaces = cfg.interfaces()
    if args.json:
        print(json.dumps([{"name": i.name, "mac": i.mac} for i in ifaces], indent=2))
        return EXIT_OK
    for i in ifaces:
        print(f"{i.name:<16} {i.mac or '-'}" if args.macs else i.name)
    return EXIT_OK


def cmd_dumpxml(cfg: Config, args: argparse.Namespace) -> int:
    if args.mac:
        if normalize_mac(args.name) is None:
            raise NotFound(f"{args.name!r} is not a MAC address")
        found = cfg.lookup_by_mac(args.name)
        if not found:
            raise NotFound(f"no interface has MAC {args.name}", file=cfg.root)
        if len(found) > 1:
            others = ", ".join(i.name for i in found[1:])
            print(f"augnetcf: note: {others} also ha{'ve' if len(found) > 2 else 's'} this MAC",
                  file=sys.stderr)
        name = found[0].name
    else:
        name = args.name
    sys.stdout.write(cfg.xml_desc(name))
    return EXIT_OK


def cmd_define(cfg: Config, args: argparse.Namespace) -> int:
    data, source = _read_input(args.file)
    iface = cfg.define(data, source)
    print(f"Defined interface {iface.name}")
    return EXIT_OK


def cmd_undefine(cfg: Config, args: argparse.Namespace) -> int:
    cfg.undefine(args.name)
    print(f"{args.name} undefined")
    return EXIT_OK


def cmd_validate(_cfg: Config | None, args: argparse.Namespace) -> int:
    data, source = _read_input(args.file)
    doc = schema.load(data, source)
    print(f"{source}: valid {doc.getroot().get('type')} interface {doc.getroot().get('name')}")
    return EXIT_OK


def cmd_change_begin(cfg: Config, args: argparse.Namespace) -> int:
    t = cfg.change_begin(timeout=args.timeout)
    note = (f"; it rolls back in {args.timeout:g} s unless change-commit comes first"
            if args.timeout is not None else "")
    print(f"Transaction started: {len(t.files)} file(s) saved{note}")
    return EXIT_OK


def cmd_change_commit(cfg: Config, _args: argparse.Namespace) -> int:
    cfg.change_commit()
    print("Transaction committed")
    return EXIT_OK


def cmd_change_rollback(cfg: Config, _args: argparse.Namespace) -> int:
    changed = cfg.change_rollback()
    print(f"Transaction rolled back: {len(changed)} file(s) restored or removed")
    return EXIT_OK


def cmd_change_recover(cfg: Config, _args: argparse.Namespace) -> int:
    journal, archive = cfg.change_recover()
    if journal:
        print(f"An interrupted change was {journal}")
    if archive:
        print(f"An open transaction was rolled back; the discarded files are in {archive}")
    if not journal and not archive:
        print("Nothing to recover")
    return EXIT_OK


def cmd_change_watch(_cfg: None, args: argparse.Namespace) -> int:
    """The detached watcher of ``change-begin --timeout`` (not for users)."""
    from . import txn

    if txn.wait_for_deadline(check_root(args.root), args.txn_id):
        with Config(args.root, args.backend) as cfg:
            if cfg.change_rollback_expired(args.txn_id):
                print(f"augnetcf: transaction {args.txn_id} timed out and was rolled back", file=sys.stderr)
    return EXIT_OK


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"not a positive number of seconds: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="augnetcf",
        description="Read and change network interface configuration through Augeas, "
                    "described in libvirt-style interface XML (ncftool's verbs).",
        epilog="Exit status: 0 success, 1 error, 2 usage error, 3 interface not found.",
    )
    p.add_argument("--root", default="/", metavar="DIR",
                   help="operate on the configuration under DIR instead of / (default: /)")
    p.add_argument("--backend", default=None, choices=backends.NAMES,
                   help="configuration format (default: detected from the root's os-release, "
                        "then from which configuration files exist)")
    p.add_argument("-v", "--verbose", action="store_true", help="log what is loaded and saved")
    p.add_argument("--version", action="version", version=f"augnetcf {__version__}")
    sub = p.add_subparsers(dest="verb", metavar="VERB")
    sub.required = True

    s = sub.add_parser("list", help="list defined top-level interfaces",
                       description="List top-level interfaces (not bridge ports or bond slaves). "
                                   "Until the kernel layer lands, plain 'list' lists every defined "
                                   "interface, exactly like --all.")
    s.add_argument("--macs", action="store_true", help="show each interface's MAC too")
    s.add_argument("--all", action="store_true", help="active and inactive interfaces")
    s.add_argument("--json", action="store_true", help="print a JSON list of {name, mac}")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("dumpxml", help="print an interface's XML description",
                       description="Print the interface XML of NAME (or, with --mac, of the "
                                   "interface that has MAC address MAC).")
    s.add_argument("--mac", action="store_true", help="NAME is a MAC address")
    s.add_argument("name", metavar="NAME|MAC")
    s.set_defaults(func=cmd_dumpxml)

    s = sub.add_parser("define", help="define an interface from an XML file",
                       description="Define (or redefine) an interface from interface XML in FILE "
                                   "('-' reads standard input).")
    s.add_argument("file", metavar="FILE")
    s.set_defaults(func=cmd_define)

    s = sub.add_parser("undefine", help="remove an interface's configuration",
                       description="Remove the configuration of NAME and of its ports and slaves.")
    s.add_argument("name", metavar="NAME")
    s.set_defaults(func=cmd_undefine)

    s = sub.add_parser("validate", help="check an XML description without touching anything",
                       description="Check interface XML in FILE ('-' reads standard input). "
                                   "Problems are printed as FILE:LINE: message.")
    s.add_argument("file", metavar="FILE")
    s.set_defaults(func=cmd_validate, no_config=True)

    s = sub.add_parser("change-begin", help="start a transaction: snapshot every configuration file",
                       description="Snapshot every file the backend owns, so that change-rollback can put "
                                   "them back. With --timeout, the change rolls back by itself unless "
                                   "change-commit comes within SECONDS.")
    s.add_argument("--timeout", type=_seconds, metavar="SECONDS",
                   help="roll back automatically unless change-commit comes in time")
    s.set_defaults(func=cmd_change_begin)
    s = sub.add_parser("change-commit", help="keep the changes made since change-begin",
                       description="Keep the changes made since change-begin and drop the snapshot.")
    s.set_defaults(func=cmd_change_commit)
    s = sub.add_parser("change-rollback", help="undo every change made since change-begin",
                       description="Put back every file as it was at change-begin (bytes, mode and owner) "
                                   "and remove the files created since.")
    s.set_defaults(func=cmd_change_rollback)
    s = sub.add_parser("change-recover", help="at boot: finish an interrupted change, roll back an open one",
                       description="Finish or undo a change a crash interrupted, then roll back a "
                                   "transaction left open, archiving the files it discards under "
                                   "var/lib/augnetcf/archive. systemd/augnetcf-recover.service runs this "
                                   "before the network starts.")
    s.set_defaults(func=cmd_change_recover)
    s = sub.add_parser("change-watch")  # no help: the detached watcher of change-begin --timeout
    s.add_argument("txn_id")
    s.set_defaults(func=cmd_change_watch, no_config=True)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="augnetcf: %(message)s")
    try:
        if getattr(args, "no_config", False):
            return args.func(None, args)
        with Config(args.root, args.backend) as cfg:
            status = args.func(cfg, args)
            for err in cfg.broken_files:  # read past them; say so once the answer is out
                print(f"augnetcf: warning: {err} (left out)", file=sys.stderr)
            return status
    except NotFound as e:
        print(f"augnetcf: {e}", file=sys.stderr)
        return EXIT_NOT_FOUND
    except AugnetcfError as e:
        print(f"augnetcf: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("augnetcf: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
