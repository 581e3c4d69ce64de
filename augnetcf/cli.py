"""The ``augnetcf`` command: ncftool's verbs over the library.

Exit codes are stable: 0 success, 1 error, 2 usage, 3 not found, 70 a bug
in augnetcf. Errors are one line on stderr naming what went wrong and where;
a traceback appears only for bugs in augnetcf itself, and only with
``--verbose``. With no verb, the command is an interactive shell (ncftool's).

Why one module of about 650 lines: one job, the command line. The verbs are
a few lines each over :class:`~augnetcf.config.Config`, and they, the parser
that names them and the shell that runs them change together; the man page
and completion, which only read the parser, already live in
:mod:`augnetcf.clidoc`. Splitting the verbs from the parser would spread
each verb over two files.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys

from . import _lazy, clidoc
from ._lazy import lazy
from .clidoc import EXIT_STATUS, verbs
from .errors import AugnetcfError, FileError, InvalidOperation, NotFound
from .version import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from .config import Config

# A command imports only what it runs (see augnetcf._lazy): ``--version``
# needs none of these, ``list`` neither lxml nor the schema.
backends = lazy("augnetcf.backends", globals())
config = lazy("augnetcf.config", globals())
etree = lazy("lxml.etree", globals())
json = lazy("json", globals())
schema = lazy("augnetcf.schema", globals())
shlex = lazy("shlex", globals())
traceback = lazy("traceback", globals())


class _BackendNames:
    """``--backend``'s choices, read from :data:`augnetcf.backends.NAMES`
    only when argparse checks a value or prints them: building the parser
    (``--version``, ``help``) must not import the backends."""

    def __contains__(self, name: object) -> bool:
        return name in backends.NAMES

    def __iter__(self):  # an iterator of str
        return iter(backends.NAMES)

    def __len__(self) -> int:
        return len(backends.NAMES)


EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_BUG = 0, 1, 2, 3, 70


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
        out = []
        for i in ifaces:
            doc = etree.fromstring(cfg.xml_desc(i.name).encode())
            out.append({"name": i.name, "mac": i.mac, "type": doc.get("type"), "status": status[i.name]})
        print(json.dumps(out, indent=2))
        return EXIT_OK
    for i in ifaces:
        print(f"{i.name:<16} {i.mac or '-'}" if args.macs else i.name)
    return EXIT_OK


def cmd_dumpxml(cfg: Config, args: argparse.Namespace) -> int:
    if args.mac:
        from .macs import normalize_mac

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
    if args.dry_run:
        sys.stdout.write(config.unified_diff(cfg.plan_define(data, source)))
        return EXIT_OK
    iface = cfg.define(data, source)
    print(f"Defined interface {iface.name}")
    return EXIT_OK


def cmd_undefine(cfg: Config, args: argparse.Namespace) -> int:
    if args.dry_run:
        sys.stdout.write(config.unified_diff(cfg.plan_undefine(args.name)))
        return EXIT_OK
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
    if args.json:
        print(json.dumps({"name": args.name, "status": cfg.status(args.name), "differences": diffs},
                         indent=2))
    else:
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
    s.add_argument("--json", action="store_true",
                   help='print {"name", "status", "differences": [...]} instead')
    s.add_argument("name", metavar="NAME")
    s.set_defaults(func=cmd_diff)


def _confirm(args: argparse.Namespace, warning: str) -> None:
    """Say what is about to happen; go on only on a yes (or --yes)."""
    print(f"augnetcf: warning: {warning}", file=sys.stderr)
    if args.yes or args.dry_run:
        return
    if not sys.stdin.isatty():
        raise InvalidOperation("standard input is not a terminal, so augnetcf cannot ask: "
                               "pass --yes to go ahead")
    print("Continue? [y/N] ", end="", file=sys.stderr, flush=True)
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        raise InvalidOperation("cancelled: nothing was changed")


def cmd_share(cfg: Config, args: argparse.Namespace) -> int:
    from . import share
    plan = share.share(cfg, args.name, args.bridge, args.stp == "on", args.delay, args.verify,
                       args.timeout, dry_run=True)
    _confirm(args, plan.warning)
    if args.dry_run:
        sys.stdout.write(plan.xml)
        sys.stdout.write(config.unified_diff(plan.changes))
        return EXIT_OK
    plan = share.share(cfg, args.name, plan.bridge, args.stp == "on", args.delay, args.verify, args.timeout)
    for note in plan.notes:
        print(f"augnetcf: warning: {note}", file=sys.stderr)
    checked = f"; {plan.verify} answers" if plan.verify else ""
    print(f"Shared {plan.nic}: it is a port of bridge {plan.bridge}, which holds its addresses{checked}")
    return EXIT_OK


def cmd_unshare(cfg: Config, args: argparse.Namespace) -> int:
    from . import share
    plan = share.unshare(cfg, args.name, args.timeout, dry_run=True)
    _confirm(args, plan.warning)
    for note in plan.notes:
        print(f"augnetcf: note: {note}", file=sys.stderr)
    if args.dry_run:
        sys.stdout.write(plan.xml)
        sys.stdout.write(config.unified_diff(plan.changes))
        return EXIT_OK
    plan = share.unshare(cfg, args.name, args.timeout)
    print(f"Unshared {plan.nic}: bridge {plan.bridge} is gone and {plan.nic} holds its addresses again")
    return EXIT_OK


def _add_share_verbs(sub: argparse._SubParsersAction) -> None:
    """share and unshare: a NIC under a bridge for guests, as one transaction."""
    s = sub.add_parser("share", help="make a NIC a bridge port, the bridge taking over its addressing",
                       description="Share NIC (an ethernet NIC or a bond) with guests: define a bridge "
                                   "that takes over all of NIC's addressing (addresses, gateway, DHCP, "
                                   "mtu, start mode) with NIC as its port, move addresses and routes in "
                                   "the kernel, then ping the gateway (or --verify HOST). If that fails or "
                                   "the command is interrupted, files and kernel roll back. The link drops "
                                   "briefly: it asks first, unless --yes.")
    s.add_argument("--bridge", metavar="NAME",
                   help="the bridge's name (default: the first of br0, br1, ... not in use)")
    s.add_argument("--stp", choices=["on", "off"], default="off", help="spanning tree (default: off)")
    s.add_argument("--delay", type=_timeout, default=None, metavar="SECONDS",
                   help="the bridge's forward delay (default: the shortest the backend can write: 0, "
                        "or 2 on nm-keyfile)")
    s.add_argument("--verify", metavar="HOST",
                   help="the host that must answer a ping afterwards (default: the default gateway)")
    s.add_argument("--timeout", type=_timeout, default=30.0, metavar="SECONDS",
                   help="how long HOST has to answer, and the wait for carrier and DHCP (default: 30)")
    s.add_argument("--dry-run", action="store_true",
                   help="change nothing; print the warning, the bridge's XML and a unified diff of the files")
    s.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    s.add_argument("name", metavar="NIC", help="the interface to share")
    s.set_defaults(func=cmd_share)

    s = sub.add_parser("unshare", help="undo share: the NIC takes its addressing back from the bridge",
                       description="Reverse 'share': the configuration files get back their bytes from "
                                   "before share, the bridge goes down and the NIC comes up as configured. "
                                   "Guests on the bridge lose the network: it asks first, unless --yes.")
    s.add_argument("--timeout", type=_timeout, default=30.0, metavar="SECONDS",
                   help="how long to wait for carrier and DHCP (default: 30)")
    s.add_argument("--dry-run", action="store_true",
                   help="change nothing; print the warning, the NIC's XML and a unified diff of the files")
    s.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    s.add_argument("name", metavar="BRIDGE", help="the bridge share created")
    s.set_defaults(func=cmd_unshare)


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

    if txn.wait_for_deadline(txn.check_root(args.root), args.txn_id):
        with config.Config(args.root, args.backend) as cfg:
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
        epilog=EXIT_STATUS + " With no VERB, augnetcf reads commands from an interactive shell "
               "(or one per line from standard input).",
    )
    p.add_argument("--root", default="/", metavar="DIR",
                   help="operate on the configuration under DIR instead of / (default: /)")
    p.add_argument("--backend", default=None, choices=_BackendNames(), metavar="NAME",
                   help="configuration format (default: detected from the root's os-release, "
                        "then from which configuration files exist)")
    p.add_argument("-v", "--verbose", action="store_true", help="log what is loaded and saved")
    p.add_argument("--version", action="version", version=f"augnetcf {__version__}")
    sub = p.add_subparsers(dest="verb", metavar="VERB")

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
    s.add_argument("--json", action="store_true", help="print a JSON list of {name, mac, type, status}")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("dumpxml", help="print an interface's XML description",
                       description="Print the interface XML of NAME (or, with --mac, of the "
                                   "interface that has MAC address MAC).")
    s.add_argument("--mac", action="store_true", help="NAME is a MAC address")
    s.add_argument("--live", action="store_true",
                   help="describe the interface as the kernel has it now, not its configuration")
    s.add_argument("name", metavar="NAME|MAC", help="the interface's name (or MAC, with --mac)")
    s.set_defaults(func=cmd_dumpxml)

    s = sub.add_parser("define", help="define an interface from an XML file",
                       description="Define (or redefine) an interface from interface XML in FILE "
                                   "('-' reads standard input).")
    s.add_argument("--dry-run", action="store_true",
                   help="change nothing; print a unified diff of every file the define would touch")
    s.add_argument("file", metavar="FILE", help="interface XML; '-' reads standard input")
    s.set_defaults(func=cmd_define)

    s = sub.add_parser("undefine", help="remove an interface's configuration",
                       description="Remove the configuration of NAME and of its ports and slaves.")
    s.add_argument("--dry-run", action="store_true",
                   help="change nothing; print a unified diff of every file the undefine would touch")
    s.add_argument("name", metavar="NAME", help="the interface's name")
    s.set_defaults(func=cmd_undefine)

    s = sub.add_parser("validate", help="check an XML description without touching anything",
                       description="Check interface XML in FILE ('-' reads standard input). "
                                   "Problems are printed as FILE:LINE: message.")
    s.add_argument("file", metavar="FILE", help="interface XML; '-' reads standard input")
    s.set_defaults(func=cmd_validate, no_config=True)
    _add_kernel_verbs(sub)
    _add_share_verbs(sub)

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


    s = sub.add_parser("help", help="show help for the command or one verb",
                       description="Show the list of verbs, or the help of VERB.")
    s.add_argument("topic", nargs="?", metavar="VERB")
    s.add_argument("--man", action="store_true",
                   help="print the whole manual as a man page (roff), generated from this parser")
    s.set_defaults(func=cmd_help, no_config=True)

    s = sub.add_parser("completion", help="print a shell completion script",
                       description="Print a completion script generated from this command's parser. "
                                   "Install it with: augnetcf completion bash > "
                                   "/etc/bash_completion.d/augnetcf")
    s.add_argument("shell", choices=["bash"])
    s.set_defaults(func=cmd_completion, no_config=True)
    return p


def cmd_help(_cfg: Config | None, args: argparse.Namespace) -> int:
    parser = build_parser()
    if args.man:
        sys.stdout.write(clidoc.man_page(parser))
        return EXIT_OK
    if args.topic is None:
        parser.print_help()
        return EXIT_OK
    found = verbs(parser).get(args.topic)
    if found is None:
        print(f"augnetcf: no verb {args.topic!r}; verbs: {', '.join(verbs(parser))}", file=sys.stderr)
        return EXIT_USAGE
    found.print_help()
    return EXIT_OK


def cmd_completion(_cfg: Config | None, args: argparse.Namespace) -> int:
    sys.stdout.write(clidoc.bash_completion(build_parser()))
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Carry out one parsed command; errors become a message and an exit code."""
    try:
        if getattr(args, "no_config", False):
            return args.func(None, args)
        with config.Config(args.root, args.backend) as cfg:
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
    except Exception as e:  # a bug in augnetcf, not a user mistake
        if args.verbose:
            traceback.print_exc()
        else:
            print(f"augnetcf: internal error: {type(e).__name__}: {e} (run with --verbose for the "
                  "traceback, and please report it)", file=sys.stderr)
        return EXIT_BUG


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace | int:
    """Parse *argv*; a usage error is an exit code rather than an exit."""
    try:
        return parser.parse_args(argv)
    except SystemExit as e:  # argparse has printed the usage message (or --help/--version)
        return e.code if isinstance(e.code, int) else EXIT_USAGE


class Shell:
    """ncftool's shell: one command per line, the verbs and options of the
    command line, with line editing, history and completion on a terminal."""

    PROMPT = "augnetcf> "

    def __init__(self, parser: argparse.ArgumentParser, globals_: Sequence[str]):
        self.parser = parser
        self.globals = list(globals_)
        self.verbs = verbs(parser)
        self._names: list[str] | None = None

    def run(self, stream=None) -> int:
        """Run until ``quit``/``exit`` or end of input; the status is that of
        the last command that failed (0 when none did)."""
        stream = stream or sys.stdin
        tty = stream.isatty()
        if tty:
            self._readline()
        status = EXIT_OK
        while True:
            try:
                line = input(self.PROMPT) if tty else stream.readline()
            except EOFError:
                print()
                break
            except KeyboardInterrupt:
                print()
                continue
            if not tty and not line:
                break
            rc = self.execute(line)
            if rc is None:
                break
            if rc:
                status = rc
            self._names = None  # a define or undefine may have changed them
        return status

    def execute(self, line: str) -> int | None:
        """Run one line; ``None`` means the shell should stop."""
        try:
            words = shlex.split(line, comments=True)
        except ValueError as e:
            print(f"augnetcf: cannot split the line: {e}", file=sys.stderr)
            return EXIT_USAGE
        if not words:
            return EXIT_OK
        if words[0] in ("quit", "exit"):
            return None
        if words[0] not in self.verbs:
            print(f"augnetcf: unknown verb {words[0]!r}; try 'help'", file=sys.stderr)
            return EXIT_USAGE
        args = _parse(self.parser, self.globals + words)
        if isinstance(args, int):
            return args
        status = run(args)
        sys.stdout.flush()
        return status

    # -- terminal niceties ------------------------------------------------------
    def _readline(self) -> None:
        try:
            import readline
        except ImportError:  # pragma: no cover - Python without readline
            return
        history = os.path.join(os.path.expanduser("~"), ".augnetcf_history")
        with contextlib.suppress(OSError):
            readline.read_history_file(history)
        import atexit

        atexit.register(_write_history, readline, history)
        readline.set_completer_delims(" \t")
        readline.set_completer(self.complete)
        readline.parse_and_bind("tab: complete")

    def candidates(self, words: list[str], current: str) -> list[str]:
        """What may come next after *words* on a line, starting with *current*."""
        if not words:
            options = [*self.verbs, "quit"]
        else:
            sub = self.verbs.get(words[0])
            if sub is None:
                return []
            options = [o for a in sub._actions for o in a.option_strings if o.startswith("--")]
            positional = [a for a in sub._actions if not a.option_strings]
            if not current.startswith("-") and positional:
                dest = positional[0].dest
                if dest == "name":
                    options = self.interface_names()
                elif dest == "topic":
                    options = list(self.verbs)
                elif dest == "file":
                    return _files(current)
        return sorted(o for o in options if o.startswith(current))

    def interface_names(self) -> list[str]:
        if self._names is None:
            args = _parse(self.parser, self.globals + ["list", "--all"])
            self._names = []
            if not isinstance(args, int):
                try:
                    with config.Config(args.root, args.backend) as cfg:
                        self._names = cfg.list_interfaces()
                except AugnetcfError:
                    pass
        return self._names

    def complete(self, text: str, state: int) -> str | None:
        import readline

        line = readline.get_line_buffer()[: readline.get_begidx()]
        try:
            words = shlex.split(line)
        except ValueError:
            return None
        found = self.candidates(words, text)
        if state < len(found):
            return found[state] + ("" if found[state].endswith("/") else " ")
        return None


def _files(prefix: str) -> list[str]:
    folder = os.path.dirname(prefix) or "."
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    out = []
    for n in names:
        path = os.path.join(os.path.dirname(prefix), n)
        out.append(path + "/" if os.path.isdir(path) else path)
    return out


def _write_history(readline: object, path: str) -> None:
    with contextlib.suppress(OSError):
        readline.write_history_file(path)  # type: ignore[attr-defined]


def main(argv: Sequence[str] | None = None) -> int:
    """The command. Run as a process (no *argv*: the console script, ``python
    -m augnetcf``), it collects no cyclic garbage: a command lives for a
    moment, makes tens of thousands of small objects that are no garbage (the
    index's facts), and a collection would walk them all again, a fifth of
    ``dumpxml``'s time at 4,000 files; at its end everything is frozen, so the
    interpreter's last collection at exit walks nothing either. The shell
    (no verb) lives long and collects as usual."""
    if argv is None:
        gc.disable()
        try:
            return _main(sys.argv[1:], process=True)
        finally:
            gc.freeze()
    return _main(list(argv), process=False)


def _main(argv: list[str], process: bool) -> int:
    parser = build_parser()
    args = _parse(parser, argv)
    if isinstance(args, int):
        return args
    level = "DEBUG" if args.verbose else "WARNING"
    if args.verbose:  # loaded now, so that the loggers' debug records are made at all
        import logging  # noqa: F401
    _lazy.when_logging(lambda logging: logging.basicConfig(level=level, format="augnetcf: %(message)s"))
    if args.verb is None:
        # argv holds only global options: the shell puts them before every line
        if process:
            gc.enable()
        return Shell(parser, argv).run()
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
