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
