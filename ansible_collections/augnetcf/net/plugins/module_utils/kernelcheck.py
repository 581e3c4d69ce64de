# Copyright: augnetcf contributors
# GNU Lesser General Public License v2.1 or later (see https://www.gnu.org/licenses/lgpl-2.1.txt)
"""Whether the files under a root describe the kernel the module runs against.

The modules refuse to touch the kernel otherwise, so that a task on a copy of a
system (an image, a test tree) never brings the host's own interfaces up or
down. The library's own test is used when it has one (augnetcf >= the
transaction rollback restart); older libraries get the same test from here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os


def _same(a, b):
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _fallback(root):
    """The real root, or a process in a network namespace other than init's."""
    if os.path.realpath(root) == "/":
        return True
    try:
        mine = os.stat("/proc/self/ns/net")
    except OSError:
        return False
    try:
        return not _same(mine, os.stat("/proc/1/ns/net"))
    except OSError:  # /proc/1 hidden from us: a namespace made by ip netns is named in /run/netns
        pass
    try:
        names = os.listdir("/run/netns")
    except OSError:
        return False
    for name in names:
        try:
            if _same(mine, os.stat(os.path.join("/run/netns", name))):
                return True
        except OSError:
            continue
    return False


try:
    from augnetcf.kernel import kernel_is_ours
except ImportError:
    try:  # augnetcf before 0.2.0 kept it private
        from augnetcf.config import _kernel_is_ours as kernel_is_ours
    except ImportError:
        kernel_is_ours = _fallback
