"""Where one augnetcf command's time goes: ``python bench/phases.py '["ARGV", ...]'``.

Runs ``augnetcf ARGV`` in this process with the functions of :data:`PHASES`
wrapped in timers, and prints a JSON object: seconds per bucket, each
exclusive of the buckets called inside it (an import made while the index
refreshes counts as import), ``other`` for the rest of ``main()``, and
``total``. bench/run.py adds ``python``: the process' wall time outside
``main()`` (interpreter start-up and exit). This module imports only what
it must, so that ``python`` stays what a command pays too.
"""

from __future__ import annotations

import json
import sys
import time

#: Buckets of ``--phases``: (module, attribute, bucket). Each bucket's time
#: excludes the buckets called inside it (an import inside the index is import).
PHASES = (
    ("builtins", "__import__", "import"), ("importlib", "import_module", "import"),
    ("augnetcf.index", "Index.refresh", "index"), ("augnetcf.index", "Index.listing", "index"),
    ("augnetcf.resolve", "from_index", "index"),
    ("augnetcf.aug", "AugeasSession.__init__", "augeas load"),
    ("augnetcf.aug", "AugeasSession.load", "augeas load"),
    ("augnetcf.forest", "read", "augeas load"),
    ("augnetcf.xslt", "to_forest", "xslt+schema"), ("augnetcf.xslt", "from_forest", "xslt+schema"),
    ("augnetcf.schema", "load", "xslt+schema"), ("augnetcf.schema", "validate", "xslt+schema"),
    ("augnetcf.aug", "AugeasSession._stage", "save (print)"),
    ("augnetcf.window", "WindowSession._stage", "save (print)"), ("augnetcf.index", "Index.learn", "index"),
    ("augnetcf.aug", "AugeasSession.preview", "save (print)"),
    ("augnetcf.txn", "fsync_file", "fsync"), ("augnetcf.txn", "fsync_dir", "fsync"),
)
BUCKETS = ("python", "import", "index", "augeas load", "xslt+schema", "save (print)", "fsync", "other")


def run(argv: list[str]) -> dict[str, float]:
    """Run ``augnetcf ARGV`` in this process with the functions of
    :data:`PHASES` timed, each bucket exclusive of those called inside it.
    Modules are patched as they are imported: augnetcf imports them on first
    use, and importing them here first would move their import out of the command."""
    import contextlib
    import importlib  # noqa: F401  (loaded, so that PHASES can time importlib.import_module)
    import io

    spent = dict.fromkeys(BUCKETS[1:], 0.0)
    nested: list[float] = []
    patched: set[tuple[str, str]] = set()

    def timed(bucket: str, fn):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            nested.append(0.0)
            try:
                return fn(*args, **kwargs)
            finally:
                inner = nested.pop()
                total = time.perf_counter() - start
                spent[bucket] += total - inner
                if nested:
                    nested[-1] += total
                if bucket == "import" and len(patched) < len(PHASES):
                    patch()
        return wrapper

    def patch() -> None:
        for module, attr, bucket in PHASES:
            if (module, attr) in patched or module not in sys.modules:
                continue
            owner = sys.modules[module]
            *path, name = attr.split(".")
            try:
                for part in path:
                    owner = getattr(owner, part)
                fn = getattr(owner, name)
            except AttributeError:  # still being imported
                continue
            patched.add((module, attr))
            setattr(owner, name, timed(bucket, fn))

    patch()
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        from augnetcf.cli import main

        rc = main(argv)
    spent["total"] = time.perf_counter() - start
    if rc:
        raise SystemExit(f"augnetcf {' '.join(argv)} failed ({rc})")
    spent["other"] = spent["total"] - sum(v for k, v in spent.items() if k != "total")
    return spent


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
