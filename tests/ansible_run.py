"""Run the augnetcf.net collection for real: ``ansible-playbook`` from the
test interpreter's own environment, against localhost with ``connection: local``.

Results are read through a small JSON stdout callback (tests/ansible/callback_plugins),
so tests assert on
the modules' return values and the per-host stats rather than on screen text
(one test reads the default callback's diff as a human sees it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

#: the directory holding ``ansible_collections/`` (the repository)
COLLECTIONS = Path(__file__).resolve().parent.parent
COLLECTION = COLLECTIONS / "ansible_collections" / "augnetcf" / "net"


def tool(name: str) -> str:
    """An ansible command beside the interpreter running the tests (the venv's), else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    assert found, f"{name} not found: install the test extra (pip install '.[test]')"
    return found


def ansible_env(tmp_path: Path, callback: str = "record") -> dict[str, str]:
    home = tmp_path / "ansible-home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS),
        ANSIBLE_HOME=str(home),
        ANSIBLE_LOCAL_TEMP=str(home / "tmp"),
        ANSIBLE_REMOTE_TEMP=str(home / "remote-tmp"),
        ANSIBLE_STDOUT_CALLBACK=callback,
        ANSIBLE_CALLBACK_PLUGINS=str(Path(__file__).resolve().parent / "ansible" / "callback_plugins"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        ANSIBLE_HOST_KEY_CHECKING="0",
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
    )
    env.setdefault("LC_ALL", "C.UTF-8")  # ansible-core refuses to start under a non-UTF-8 locale
    return env


def inventory(tmp_path: Path, hosts: dict[str, dict[str, str]]) -> Path:
    """A YAML inventory: each host local, run by this interpreter, with its own vars."""
    path = tmp_path / "inventory.yml"
    entries = {h: {"ansible_connection": "local", "ansible_python_interpreter": sys.executable, **v}
               for h, v in hosts.items()}
    path.write_text(yaml.safe_dump({"all": {"hosts": entries}}))
    return path


def playbook(tmp_path: Path, tasks: list[dict], hosts: str = "all", **play: object) -> Path:
    path = tmp_path / "playbook.yml"
    path.write_text(yaml.safe_dump([{"hosts": hosts, "gather_facts": False, **play, "tasks": tasks}],
                                   sort_keys=False))
    return path


def run(tmp_path: Path, book: Path, inv: Path, *args: str, callback: str = "record",
        prefix: list[str] | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """ansible-playbook, run after *prefix* (``ip netns exec NS``) with *env* added."""
    return subprocess.run([*(prefix or []), tool("ansible-playbook"), "-i", str(inv), str(book), *args],
                          capture_output=True, text=True,
                          env={**ansible_env(tmp_path, callback), **(env or {})},
                          cwd=tmp_path, timeout=300)


class Outcome:
    """The record callback's report of one ansible-playbook run."""

    def __init__(self, proc: subprocess.CompletedProcess):
        self.proc = proc
        try:
            self.data = json.loads(proc.stdout)
        except ValueError:
            raise AssertionError(f"no JSON from ansible-playbook (rc {proc.returncode}):\n"
                                 f"{proc.stdout}\n{proc.stderr}") from None

    @property
    def rc(self) -> int:
        return self.proc.returncode

    def result(self, host: str, task: int = 0) -> dict:
        return self.data["plays"][0]["tasks"][task]["hosts"][host]

    def stats(self, host: str) -> dict:
        return self.data["stats"][host]


def play(tmp_path: Path, tasks: list[dict], hosts: dict[str, dict[str, str]], *args: str,
         prefix: list[str] | None = None, env: dict[str, str] | None = None, **playargs: object) -> Outcome:
    return Outcome(run(tmp_path, playbook(tmp_path, tasks, **playargs), inventory(tmp_path, hosts), *args,
                       prefix=prefix, env=env))
