"""Benchmark augnetcf at host scale: whole commands, API calls, peak memory.

    python bench/run.py                              # every backend, N = 10 100 1000 4000
    python bench/run.py --backends redhat --sizes 10 4000 --runs 5 --json out.json
    python bench/run.py --compare before.json after.json

For each backend and size it builds a synthetic root (bench/roots.py) and
measures, after one warm-up run:

- the median wall time of ``augnetcf --root R --backend B`` running ``list --all``,
  ``dumpxml`` of one bridge, ``define`` of one new bridge (over a new VLAN)
  and ``undefine`` of it again (so every run starts from the same root);
- the median in-process time of the same API calls (a fresh ``Config`` each);
- the peak RSS of the timed commands (``wait4``'s ``ru_maxrss``; the warm-up
  run, which may fill the index, is recorded apart as ``cold_s``), and their median
  CPU time (user + system), which a busy machine disturbs less than wall time.

``--netcf`` adds netcf's small test roots (tests/data/netcf) for ``list --all``
and ``dumpxml``. ``--no-cache`` builds roots without ``var/cache/augnetcf``,
so augnetcf keeps no index and parses what each command needs every time.
Every command is timed against a floor measured in the same run, one floor
run before each command run: ``python -c "import lxml.etree"`` with the same
interpreter, what any command that prints XML must pay. The goals (issue 23)
are ratios to that floor, so that a busy or a fast machine moves both alike:

- ``augnetcf --version`` <= 1x; warm ``list --all`` <= 1.7x; ``dumpxml`` <= 2.2x;
  ``define`` and ``undefine`` <= 2.8x where each interface has its own files,
  <= 4.2x and <= 80 MB where one file holds every stanza (Debian);
- in process, a Config kept by a tool that embeds augnetcf: ``xml_desc``
  <= 5 ms and ``define`` <= 50 ms at 4,000 interfaces.

After the times, the report gives each row's ratio against its goal, where
the time of each command goes (``--phases``: one more run of it in a process
that times, exclusively, imports, the index, Augeas loading and reading
trees, the stylesheets and schema, Augeas printing and the fsyncs), and the
curve from the smallest size to the largest. The backends are those of
``augnetcf.backends.NAMES`` that ``bench/roots.py`` can build a host for: a
new backend gets its rows by adding a maker there.

It is a benchmark, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from phases import BUCKETS  # noqa: E402
from roots import BACKENDS as ROOT_BACKENDS  # noqa: E402
from roots import bridge_xml, make_root  # noqa: E402

DATA = HERE.parent / "tests" / "data"
#: netcf's small test roots (its SUSE one holds Red Hat files, so ours stands in), and what to dump
NETCF_ROOTS = {"redhat": DATA / "netcf/redhat/fsroot", "debian": DATA / "netcf/debian/fsroot",
               "suse": DATA / "suse-fsroot"}
NETCF_DUMP = {"redhat": "br0", "debian": "br0", "suse": "br0"}
COMMANDS = ("list", "dumpxml", "define", "undefine")
#: The floor: what any command that prints XML pays (see the module docstring).
FLOOR = [sys.executable, "-c", "import lxml.etree"]
#: Goals, as multiples of the floor (whole-command wall medians).
GOALS = {"version": 1.0, "list": 1.7, "dumpxml": 2.2, "define": 2.8, "undefine": 2.8}
#: Where one file holds every interface's stanza (``define``/``undefine``), and the memory goal there.
SHARED_FILE_BACKENDS = ("debian",)
SHARED_FILE_GOALS = {"define": 4.2, "undefine": 4.2}
MEMORY_GOAL_MB = 80.0
#: In process, with one Config kept across calls, at 4,000 interfaces (seconds).
API_GOALS = {"dumpxml": 0.005, "define": 0.050}


def known_backends() -> list[str]:
    """augnetcf's backends (``augnetcf.backends.NAMES``) that bench/roots.py can build a host for."""
    from augnetcf.backends import NAMES

    missing = [n for n in NAMES if n not in ROOT_BACKENDS]
    if missing:
        print(f"note: bench/roots.py cannot build a host for {', '.join(missing)} yet; no rows for it",
              file=sys.stderr)
    return [n for n in NAMES if n in ROOT_BACKENDS]


def _command() -> list[str]:
    script = Path(sys.executable).with_name("augnetcf")
    return [str(script)] if script.exists() else [sys.executable, "-m", "augnetcf"]


def run_once(argv: list[str]) -> tuple[float, int, float]:
    """(wall seconds, peak RSS in KiB, CPU seconds) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {err.strip()}")
    return wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def settle() -> None:
    """Wait until the new root's files are older than the index's racy window:
    on a host, files are old; the index never records one changed moments ago."""
    time.sleep(2.2)


def bench_commands(root: Path, backend: str, runs: int, dump: str, tag: int | None,
                   only: tuple[str, ...]) -> dict[str, dict[str, float]]:
    base = [*_command(), "--root", str(root), "--backend", backend]
    out: dict[str, dict[str, float]] = {}

    floors: dict[str, list[tuple[float, int, float]]] = {}

    def measure(name: str, argv_for: list[list[str]]) -> None:
        walls, rss, cpus = [], [], []
        for i, argv in enumerate(argv_for):
            if i:  # the floor, next to every timed run
                floors.setdefault(name, []).append(run_once(FLOOR))
            w, r, c = run_once(argv)
            walls.append(w)
            rss.append(r)
            cpus.append(c)
        # the first run warms caches (a cold index parses every file): reported apart
        out[name] = {"median_s": statistics.median(walls[1:]), "min_s": min(walls[1:]),
                     "cpu_s": statistics.median(cpus[1:]), "max_rss_mb": max(rss[1:]) / 1024,
                     "runs": len(walls) - 1, "cold_s": walls[0], "cold_rss_mb": rss[0] / 1024,
                     **_floor(floors[name])}

    if "list" in only:
        measure("list", [base + ["list", "--all"]] * (runs + 1))
    if "dumpxml" in only:
        measure("dumpxml", [base + ["dumpxml", dump]] * (runs + 1))
    if tag is not None and ("define" in only or "undefine" in only):
        xml = root.parent / "new-bridge.xml"
        xml.write_text(bridge_xml(tag))
        got: dict[str, list[tuple[float, int, float]]] = {"define": [], "undefine": []}
        for i in range(runs + 1):  # define then undefine: every run starts from the same root
            if i:
                floors.setdefault("define", []).append(run_once(FLOOR))
            got["define"].append(run_once(base + ["define", str(xml)]))
            if i:
                floors.setdefault("undefine", []).append(run_once(FLOOR))
            got["undefine"].append(run_once(base + ["undefine", f"br{tag}"]))
        for name, results in got.items():
            if name in only:
                walls = [w for w, _r, _c in results[1:]]
                out[name] = {"median_s": statistics.median(walls), "min_s": min(walls),
                             "cpu_s": statistics.median(c for _w, _r, c in results[1:]),
                             "max_rss_mb": max(r for _w, r, _c in results[1:]) / 1024, "runs": runs,
                             **_floor(floors[name])}
    return out


def _floor(samples: list[tuple[float, int, float]]) -> dict[str, float]:
    return {"floor_s": statistics.median(w for w, _r, _c in samples),
            "floor_cpu_s": statistics.median(c for _w, _r, c in samples)}


def bench_version(runs: int) -> dict[str, float]:
    """``augnetcf --version`` against the floor, interleaved."""
    walls, cpus, floors = [], [], []
    for _ in range(runs + 1):
        floors.append(run_once(FLOOR))
        w, _r, c = run_once([*_command(), "--version"])
        walls.append(w)
        cpus.append(c)
    return {"median_s": statistics.median(walls[1:]), "cpu_s": statistics.median(cpus[1:]),
            **_floor(floors[1:])}


def bench_phases(root: Path, backend: str, dump: str, tag: int | None, only: tuple[str, ...]) -> dict:
    """Where each command's time goes: one run of it, in a child process
    that times the buckets of :data:`PHASES` (see bench/phases.py)."""
    base = ["--root", str(root), "--backend", backend]
    argvs = {"list": base + ["list", "--all"], "dumpxml": base + ["dumpxml", dump]}
    if tag is not None:
        xml = root.parent / "new-bridge.xml"
        xml.write_text(bridge_xml(tag))
        argvs["define"] = base + ["define", str(xml)]
        argvs["undefine"] = base + ["undefine", f"br{tag}"]
    out = {}
    for name, argv in argvs.items():  # define before undefine: the root ends as it began
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(HERE / "phases.py"), json.dumps(argv)],
                              check=True, capture_output=True, text=True)
        wall = time.perf_counter() - start
        spent = json.loads(proc.stdout.splitlines()[-1])
        spent["python"] = max(0.0, wall - spent.pop("total"))  # start-up and exit, outside main()
        if name in only:
            out[name] = spent
    return out


def bench_api(root: Path, backend: str, runs: int, dump: str, tag: int | None,
              only: tuple[str, ...]) -> dict[str, float]:
    """Median in-process seconds of each call, a fresh Config each time (like a command).

    Runs in a child process of its own: a forked child's peak RSS counts the
    parent's pages, so the process that starts the commands must stay small."""
    argv = [sys.executable, __file__, "--api-child", json.dumps([str(root), backend, runs, dump, tag, only])]
    return json.loads(subprocess.run(argv, check=True, capture_output=True, text=True).stdout)


def _api_child(root: Path, backend: str, runs: int, dump: str, tag: int | None,
               only: tuple[str, ...]) -> dict[str, float]:
    import augnetcf

    def timed(fn) -> float:
        times = []
        for _ in range(runs + 1):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return statistics.median(times[1:])

    def call(method: str, *args: object) -> None:
        with augnetcf.Config(str(root), backend) as cfg:
            getattr(cfg, method)(*args)

    out = {}
    # a tool that embeds augnetcf keeps one Config and calls it many times
    with augnetcf.Config(str(root), backend) as kept:
        kept.interfaces()
        out["kept_dumpxml"] = timed(lambda: kept.xml_desc(dump))
        if tag is not None and ("define" in only or "undefine" in only):
            xml = bridge_xml(tag)
            d, u = [], []
            for _ in range(runs + 1):
                start = time.perf_counter()
                kept.define(xml)
                d.append(time.perf_counter() - start)
                start = time.perf_counter()
                kept.undefine(f"br{tag}")
                u.append(time.perf_counter() - start)
            out["kept_define"], out["kept_undefine"] = statistics.median(d[1:]), statistics.median(u[1:])
    if "list" in only:
        out["list"] = timed(lambda: call("interfaces"))
    if "dumpxml" in only:
        out["dumpxml"] = timed(lambda: call("xml_desc", dump))
    if tag is not None and ("define" in only or "undefine" in only):
        xml = bridge_xml(tag)
        d, u = [], []
        for _ in range(runs + 1):
            start = time.perf_counter()
            call("define", xml)
            d.append(time.perf_counter() - start)
            start = time.perf_counter()
            call("undefine", f"br{tag}")
            u.append(time.perf_counter() - start)
        out["define"], out["undefine"] = statistics.median(d[1:]), statistics.median(u[1:])
    return out


def bench_synthetic(backend: str, n: int, runs: int, cache: bool, only: tuple[str, ...],
                    api: bool, phases: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"augnetcf-bench-{backend}-{n}-") as tmp:
        root = Path(tmp) / "root"
        tenants = make_root(root, backend, n, cache=cache)
        settle()
        dump = f"br{(tenants + 1) // 2}"  # a bridge in the middle of the host
        tag = 4000 + 1 if tenants < 4001 else tenants + 1
        row = {"backend": backend, "n": 3 + 2 * tenants, "cache": cache,
               "commands": bench_commands(root, backend, runs, dump, tag, only)}
        if api:
            row["api"] = bench_api(root, backend, runs, dump, tag, only)
        if phases:
            row["phases"] = bench_phases(root, backend, dump, tag, only)
        return row


def bench_netcf(backend: str, runs: int, cache: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"augnetcf-bench-netcf-{backend}-") as tmp:
        root = Path(tmp) / "root"
        shutil.copytree(NETCF_ROOTS[backend], root)
        if cache:
            (root / "var/cache/augnetcf").mkdir(parents=True, exist_ok=True)
        settle()
        return {"backend": backend, "n": "netcf", "cache": cache,
                "commands": bench_commands(root, backend, runs, NETCF_DUMP[backend], None,
                                           ("list", "dumpxml"))}


def table(rows: list[dict]) -> str:
    head = f"{'backend':<8} {'N':>6} {'cache':<5} " + " ".join(f"{c:>9}" for c in COMMANDS) \
        + f" {'peak MB':>8}   cpu: " + " ".join(f"{c:>9}" for c in COMMANDS) \
        + "   api: " + " ".join(f"{c:>9}" for c in COMMANDS)
    lines = [head, "-" * len(head)]
    for r in rows:
        cmds = r["commands"]
        cells = " ".join(f"{cmds[c]['median_s']:>8.3f}s" if c in cmds else f"{'-':>9}" for c in COMMANDS)
        rss = max((v["max_rss_mb"] for v in cmds.values()), default=0)
        ccells = " ".join(f"{cmds[c]['cpu_s']:>8.3f}s" if "cpu_s" in cmds.get(c, {}) else f"{'-':>9}"
                          for c in COMMANDS)
        api = r.get("api", {})
        acells = " ".join(f"{api[c]:>8.3f}s" if c in api else f"{'-':>9}" for c in COMMANDS)
        lines.append(f"{r['backend']:<8} {r['n']!s:>6} {'yes' if r['cache'] else 'no':<5} {cells} "
                     f"{rss:>8.1f}        {ccells}        {acells}")
    return "\n".join(lines)


def _goal(row: dict, command: str) -> float:
    if command in SHARED_FILE_GOALS and row["backend"] in SHARED_FILE_BACKENDS:
        return SHARED_FILE_GOALS[command]
    return GOALS[command]


def goals_report(rows: list[dict], version: dict | None) -> str:
    """Each row's ratio to the floor measured beside it (wall, and CPU in
    parentheses, which a busy machine disturbs less), against its goal."""
    lines = ["ratio to the floor (python -c 'import lxml.etree', measured beside each run): wall (cpu)"]
    fails: list[str] = []
    if version:
        r, rc = version["median_s"] / version["floor_s"], version["cpu_s"] / version["floor_cpu_s"]
        ok = r <= GOALS["version"]
        lines.append(f"  --version: {r:.2f}x ({rc:.2f}x) goal {GOALS['version']}x "
                     f"{'met' if ok else 'NOT met'}   floor {version['floor_s'] * 1e3:.0f} ms")
        if not ok:
            fails.append("--version")
    head = f"  {'backend':<11} {'N':>5} " + " ".join(f"{c:>19}" for c in COMMANDS) + f" {'peak MB':>8}"
    lines += [head, "  " + "-" * (len(head) - 2)]
    for row in rows:
        cells = []
        for c in COMMANDS:
            m = row["commands"].get(c)
            if not m or "floor_s" not in m:
                cells.append(f"{'-':>19}")
                continue
            r, rc, goal = m["median_s"] / m["floor_s"], m["cpu_s"] / m["floor_cpu_s"], _goal(row, c)
            mark = "" if r <= goal else "!"
            if mark:
                fails.append(f"{row['backend']} {row['n']} {c}")
            cells.append(f"{r:>6.2f}x ({rc:4.2f}x)/{goal:<3}{mark:1}")
        rss = max((v["max_rss_mb"] for v in row["commands"].values()), default=0.0)
        rss_mark = "!" if row["backend"] in SHARED_FILE_BACKENDS and rss > MEMORY_GOAL_MB else ""
        if rss_mark:
            fails.append(f"{row['backend']} {row['n']} memory")
        lines.append(f"  {row['backend']:<11} {row['n']!s:>5} " + " ".join(cells) + f" {rss:>7.1f}{rss_mark}")
    api_lines = []
    for row in rows:
        api = row.get("api", {})
        if not isinstance(row["n"], int) or row["n"] < 3999 or not api:
            continue
        for c, goal in API_GOALS.items():
            got = api.get(f"kept_{c}")
            if got is not None:
                ok = got <= goal
                api_lines.append(f"  {row['backend']:<11} {row['n']:>5} {c:<8} {got * 1e3:7.1f} ms  goal "
                                 f"{goal * 1e3:.0f} ms {'met' if ok else 'NOT met'}")
                if not ok:
                    fails.append(f"{row['backend']} {row['n']} api {c}")
    if api_lines:
        lines += ["in process, one Config kept across calls:", *api_lines]
    lines.append("every goal met" if not fails else f"not met ({len(fails)}; marked !): " + "; ".join(fails))
    return "\n".join(lines)


def phases_report(rows: list[dict]) -> str:
    """Milliseconds per bucket of one run of each command (see bench/phases.py)."""
    head = f"{'backend':<11} {'N':>5} {'command':<9} " + " ".join(f"{b:>12}" for b in BUCKETS)
    lines = ["where the time goes (ms, one run each; buckets exclusive of each other)", head, "-" * len(head)]
    for row in rows:
        for c, spent in row.get("phases", {}).items():
            lines.append(f"{row['backend']:<11} {row['n']!s:>5} {c:<9} "
                         + " ".join(f"{spent.get(b, 0.0) * 1e3:>12.1f}" for b in BUCKETS))
    return "\n".join(lines)


def curve_report(rows: list[dict]) -> str:
    """Each command's wall median from the smallest size to the largest, per backend."""
    lines = ["the curve (wall ms by N)"]
    for backend in dict.fromkeys(r["backend"] for r in rows):
        mine = [r for r in rows if r["backend"] == backend and isinstance(r["n"], int)]
        if not mine:
            continue
        lines.append(f"  {backend}: N = " + ", ".join(str(r["n"]) for r in mine))
        for c in COMMANDS:
            if all(c in r["commands"] for r in mine):
                lines.append(f"    {c:<9} " + " -> ".join(f"{r['commands'][c]['median_s'] * 1e3:.0f}"
                                                         for r in mine))
    return "\n".join(lines)


def compare(before: Path, after: Path) -> str:
    a = {(r["backend"], str(r["n"]), r["cache"]): r for r in json.loads(before.read_text())["rows"]}
    lines = [f"{'backend':<8} {'N':>6} {'command':<9} {'before':>9} {'after':>9} {'speed-up':>9}"]
    for r in json.loads(after.read_text())["rows"]:
        old = a.get((r["backend"], str(r["n"]), r["cache"])) or a.get((r["backend"], str(r["n"]), False))
        if not old:
            continue
        for c in COMMANDS:
            if c in r["commands"] and c in old["commands"]:
                x, y = old["commands"][c]["median_s"], r["commands"][c]["median_s"]
                lines.append(f"{r['backend']:<8} {r['n']!s:>6} {c:<9} {x:>8.3f}s {y:>8.3f}s {x / y:>8.1f}x")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backends", nargs="+", default=None, choices=ROOT_BACKENDS,
                   help="default: every backend of augnetcf.backends.NAMES that bench/roots.py can build")
    p.add_argument("--sizes", nargs="+", type=int, default=[10, 100, 1000, 4000])
    p.add_argument("--runs", type=int, default=5, help="timed runs after the warm-up (default 5)")
    p.add_argument("--commands", nargs="+", default=list(COMMANDS), choices=COMMANDS)
    p.add_argument("--no-cache", action="store_true", help="roots without var/cache/augnetcf")
    p.add_argument("--no-api", action="store_true", help="skip the in-process measurements")
    p.add_argument("--no-phases", action="store_true", help="skip the breakdown of where the time goes")
    p.add_argument("--netcf", action="store_true", help="also netcf's small test roots")
    p.add_argument("--json", type=Path, help="write the results here")
    p.add_argument("--api-child", help=argparse.SUPPRESS)
    p.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"),
                   help="print the speed-up between two JSON results and exit")
    args = p.parse_args()
    if args.api_child:
        root, backend, runs, dump, tag, only = json.loads(args.api_child)
        print(json.dumps(_api_child(Path(root), backend, runs, dump, tag, tuple(only))))
        return 0
    if args.compare:
        print(compare(*args.compare))
        return 0
    rows = []
    only = tuple(args.commands)
    version = bench_version(args.runs * 2)
    print(f"--version {version['median_s'] * 1e3:.1f} ms, floor {version['floor_s'] * 1e3:.1f} ms",
          flush=True)
    for backend in args.backends or known_backends():
        if args.netcf and backend in NETCF_ROOTS:  # netcf had no keyfile or networkd backend
            rows.append(bench_netcf(backend, args.runs, not args.no_cache))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
        for n in args.sizes:
            rows.append(bench_synthetic(backend, n, args.runs, not args.no_cache, only, not args.no_api,
                                        not args.no_phases))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    print()
    print(table(rows))
    print()
    print(goals_report(rows, version))
    if not args.no_phases:
        print()
        print(phases_report(rows))
    print()
    print(curve_report(rows))
    if args.json:
        meta = {"python": platform.python_version(), "machine": platform.machine(),
                "cpus": os.cpu_count(), "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        args.json.write_text(json.dumps({"meta": meta, "version": version, "rows": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
