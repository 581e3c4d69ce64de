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
    # the kernel is asked only when the answer depends on it
    status = cfg.statuses([i.name for i in ifaces]) if args.which != "all" or args.json else {}
    if args.which != "all":
        wanted = "inactive" if args.which == "inactive" else "active"
        ifaces = [i for i in ifaces if status[i.name] == wanted]
    if args.json:
        print(json.dumps([{"name": i.name, "mac": i.mac, "status": status[i.name]} for i in ifaces],
                         indent=2))
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
    sys.stdout.write(cfg.xml_state(name) if args.live else cfg.xml_desc(name))
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


def cmd_ifup(cfg: Config, args: argparse.Namespace) -> int:
    for warning in cfg.ifup(args.name, args.timeout):
        print(f"augnetcf: warning: {warning}", file=sys.stderr)
    print(f"Interface {args.name} successfully brought up")
    return EXIT_OK


def cmd_ifdown(cfg: Config, args: argparse.Namespace) -> int:
    cfg.ifdown(args.name)
    print(f"Interface {args.name} successfully brought down")
    return EXIT_OK


def cmd_diff(cfg: Config, args: argparse.Namespace) -> int:
    diffs = cfg.diff(args.name)
    for line in diffs:
        print(line)
    return EXIT_ERROR if diffs else EXIT_OK


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds from 0 to 3600")
    return value


def _add_kernel_verbs(sub: argparse._SubParsersAction) -> None:
    """ifup, ifdown and diff: the verbs that change or compare the kernel."""
    s = sub.add_parser("ifup", help="bring an interface up as configured",
                       description="Bring NAME up from its configuration, without distro scripts: "
                                   "create its bridge, bond or vlan, add ports, set mtu, mac and "
                                   "addresses, run DHCP, then check that the kernel matches.")
    s.add_argument("--timeout", type=_timeout, default=10.0, metavar="SECONDS",
                   help="how long to wait for carrier and for a DHCP lease (default: 10)")
    s.add_argument("name", metavar="NAME")
    s.set_defaults(func=cmd_ifup)

    s = sub.add_parser("ifdown", help="bring an interface down",
                       description="Bring NAME down: release its DHCP lease, remove its addresses, "
                                   "release its ports, delete the devices ifup created.")
    s.add_argument("name", metavar="NAME")
    s.set_defaults(func=cmd_ifdown)

    s = sub.add_parser("diff", help="show how the kernel differs from an interface's configuration",
                       description="Print one line for each way the kernel differs from NAME's "
                                   "configuration. Exit status 1 when anything differs.")
    s.add_argument("name", metavar="NAME")
    s.set_defaults(func=cmd_diff)


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
                       description="List defined top-level interfaces (not bridge ports or bond "
                                   "slaves). Plain 'list' shows the active ones: the kernel has them "
                                   "and they are up.")
    s.add_argument("--macs", action="store_true", help="show each interface's MAC too")
    which = s.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_const", const="all", dest="which",
                       help="active and inactive interfaces")
    which.add_argument("--inactive", action="store_const", const="inactive", dest="which",
                       help="only the interfaces that are not active")
    s.add_argument("--json", action="store_true", help="print a JSON list of {name, mac, status}")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("dumpxml", help="print an interface's XML description",
                       description="Print the interface XML of NAME (or, with --mac, of the "
                                   "interface that has MAC address MAC).")
    s.add_argument("--mac", action="store_true", help="NAME is a MAC address")
    s.add_argument("--live", action="store_true",
                   help="describe the interface as the kernel has it now, not its configuration")
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
    _add_kernel_verbs(sub)
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
