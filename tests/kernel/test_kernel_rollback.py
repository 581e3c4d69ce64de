"""A rollback restarts the interfaces it changed, so a change that cut the
host off gives the old network back (issue: transactions). Run inside a
network namespace, where the kernel is the configuration's own."""

from __future__ import annotations

import time

import pytest

from .conftest import KERNEL, Lan

pytestmark = KERNEL


def static(address: str) -> str:
    return f"""<interface type="ethernet" name="nic0">
  <start mode="onboot"/>
  <protocol family="ipv4"><ip address="{address}" prefix="24"/></protocol>
</interface>
"""


@pytest.fixture
def changed(lan: Lan) -> Lan:
    """nic0 up with 192.0.2.10, then, inside a transaction, redefined and up with 192.0.2.99."""
    lan.nic("nic0", "p0")
    lan.define(static("192.0.2.10"))
    lan.ok("ifup", "nic0")
    return lan


def test_change_rollback_brings_the_old_addresses_back(changed: Lan) -> None:
    changed.ok("change-begin")
    changed.define(static("192.0.2.99"))
    changed.ok("ifup", "nic0")
    assert changed.ns.addresses("nic0") == {"192.0.2.99/24"}
    changed.ok("change-rollback")
    assert changed.ns.addresses("nic0") == {"192.0.2.10/24"}
    assert changed.augnetcf("diff", "nic0").returncode == 0


def test_a_timed_rollback_restarts_the_interface_too(changed: Lan) -> None:
    # Long enough that ifup finishes before the watcher rolls back, even on a
    # loaded machine: with 1 s, the rollback once restarted nic0 while ifup
    # was still checking it, and ifup rightly said nic0 differed.
    changed.ok("change-begin", "--timeout", "5")
    changed.define(static("192.0.2.99"))
    changed.ok("ifup", "nic0")
    deadline = time.monotonic() + 60  # a bounded wait for the detached watcher, not a timing check
    while changed.ns.addresses("nic0") != {"192.0.2.10/24"} and time.monotonic() < deadline:
        time.sleep(0.5)
    assert changed.ns.addresses("nic0") == {"192.0.2.10/24"}
