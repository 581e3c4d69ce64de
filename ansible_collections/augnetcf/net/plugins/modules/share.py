#!/usr/bin/python
# Copyright: augnetcf contributors
# GNU Lesser General Public License v2.1 or later (see https://www.gnu.org/licenses/lgpl-2.1.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: share
short_description: Share a host NIC with guests through a bridge (augnetcf share)
version_added: "0.1.0"
description:
  - With O(state=present), makes O(nic) the only port of a new bridge that takes over all its
    addressing, as C(augnetcf share) does, as one transaction. The files are written, the kernel
    moves the addresses and routes to the bridge, and the gateway (or O(verify)) must answer
    within O(timeout) seconds. Otherwise files and kernel are rolled back and the task fails.
  - With O(state=absent), reverses it (C(augnetcf unshare) O(bridge)).
  - Idempotent. A NIC that already is a port of a bridge is left alone, and so is a bridge that
    is not defined for O(state=absent).
  - Meant for one host at a time. Set the play's C(serial) to 1, so that a host that loses its
    network stops the rollout.
  - A thin wrapper around C(augnetcf.share.share) and C(augnetcf.share.unshare). It fails with a clear
    message when the augnetcf on the host has no C(share).
author:
  - augnetcf contributors
requirements:
  - augnetcf (Python library, with share) and pyroute2 on the managed host
options:
  nic:
    description: The NIC (or bond) to share. Required for O(state=present).
    type: str
  bridge:
    description:
      - The bridge's name. For O(state=present), the first free C(brN) when omitted.
      - Required for O(state=absent).
    type: str
  state:
    description: V(present) shares, V(absent) unshares.
    type: str
    choices: [present, absent]
    default: present
  stp:
    description: Spanning tree on the new bridge.
    type: bool
    default: false
  delay:
    description:
      - Forward delay of the new bridge in seconds.
      - When omitted, the shortest the backend can write (0, or 2 on nm-keyfile).
    type: float
  verify:
    description: The host that must answer a ping through the bridge. The default gateway when omitted.
    type: str
  timeout:
    description: Seconds to wait for the verification (and carrier).
    type: float
    default: 30
  root:
    description:
      - The root whose files are configured. Sharing changes the kernel, so outside check mode
        it must describe the kernel the module runs against. That is C(/), or any root when the
        module runs in a network namespace of its own.
    type: path
    default: /
  backend:
    description: The file format. Detected from the root when omitted.
    type: str
    choices: [redhat, debian, suse, nm-keyfile, networkd, netplan]
notes:
  - Supports C(check_mode) (nothing is changed and the kernel is not asked) and C(diff_mode).
seealso:
  - module: augnetcf.net.interface
"""

EXAMPLES = r"""
- name: Bridge the uplink of each hypervisor, one host at a time
  hosts: hypervisors
  serial: 1
  tasks:
    - name: Share eth0 through br0
      augnetcf.net.share:
        nic: eth0
        bridge: br0

- name: Undo it
  augnetcf.net.share:
    bridge: br0
    state: absent
"""

RETURN = r"""
nic:
  description: The shared NIC.
  returned: when changed
  type: str
  sample: eth0
bridge:
  description: The bridge.
  returned: always
  type: str
  sample: br0
xml:
  description: The bridge's interface XML (O(state=present)) or the NIC's (O(state=absent)).
  returned: when changed
  type: str
files:
  description: The files (paths under O(root)) changed, or that would be in check mode.
  returned: always
  type: list
  elements: str
verify:
  description: The host that answered (or would be asked).
  returned: when changed
  type: str
notes:
  description: Warnings from bringing the bridge up.
  returned: when changed
  type: list
  elements: str
diff:
  description: The unified diff of the files.
  returned: in diff mode
  type: dict
  contains:
    prepared:
      description: The diff, paths relative to O(root).
      type: str
"""

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    import augnetcf
    from augnetcf.config import unified_diff
    HAS_AUGNETCF = True
    IMPORT_ERROR = None
except ImportError:
    HAS_AUGNETCF = False
    IMPORT_ERROR = traceback.format_exc()

from ansible_collections.augnetcf.net.plugins.module_utils.ifxml import xml_to_dict
from ansible_collections.augnetcf.net.plugins.module_utils.kernelcheck import kernel_is_ours


def _bridge_of(cfg, nic):
    """The defined bridge *nic* is a port of, or None."""
    for name in cfg.list_interfaces():
        desc = xml_to_dict(cfg.xml_desc(name))
        if desc.get("type") != "bridge":
            continue
        for holder in desc.get("bridge", []):
            if any(port.get("name") == nic for port in holder.get("interface", [])):
                return name
    return None


class _Methods(object):
    """augnetcf before 0.2.0: share and unshare were methods of Config."""

    @staticmethod
    def share(cfg, *args, **kwargs):
        return cfg.share(*args, **kwargs)

    @staticmethod
    def unshare(cfg, *args, **kwargs):
        return cfg.unshare(*args, **kwargs)


def _has_share_module():
    try:
        from augnetcf import share
    except ImportError:
        return False
    return hasattr(share, "unshare")


def share_of(cfg):
    """What has share and unshare: the module augnetcf.share (0.2.0 on, where
    they take the Config), or the Config's methods of older libraries."""
    try:
        from augnetcf import share
    except ImportError:
        return _Methods
    return share if hasattr(share, "unshare") and not hasattr(cfg, "share") else _Methods


def run(module, cfg):
    p = module.params
    result = dict(changed=False, bridge=p["bridge"], files=[])
    if p["state"] == "present":
        if not p["nic"]:
            module.fail_json(msg="state=present needs nic")
        already = _bridge_of(cfg, p["nic"])
        if already is not None:
            if p["bridge"] and p["bridge"] != already:
                module.fail_json(msg="%s is already a port of bridge %s, not %s" % (p["nic"], already,
                                                                                  p["bridge"]))
            result.update(bridge=already)
            module.exit_json(**result)

        def act(dry_run):
            return share_of(cfg).share(cfg, p["nic"], p["bridge"], p["stp"], p["delay"], p["verify"],
                                       p["timeout"], dry_run=dry_run)
    else:
        if not p["bridge"]:
            module.fail_json(msg="state=absent needs bridge")
        if p["bridge"] not in cfg.list_interfaces():
            module.exit_json(**result)

        def act(dry_run):
            return share_of(cfg).unshare(cfg, p["bridge"], p["timeout"], dry_run=dry_run)

    plan = act(True)
    if not module.check_mode:
        if not kernel_is_ours(cfg.root):
            module.fail_json(msg="the files under %s do not describe this kernel: share and unshare change "
                                 "it (use root=/ or run in a network namespace of its own)" % cfg.root)
        plan = act(False)
    result.update(changed=True, nic=plan.nic, bridge=plan.bridge, xml=plan.xml,
                  files=[c.path for c in plan.changes], verify=plan.verify, notes=list(plan.notes))
    if module._diff:
        result["diff"] = dict(prepared=unified_diff(plan.changes))
    module.exit_json(**result)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            nic=dict(type="str"),
            bridge=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            stp=dict(type="bool", default=False),
            delay=dict(type="float"),
            verify=dict(type="str"),
            timeout=dict(type="float", default=30),
            root=dict(type="path", default="/"),
            backend=dict(type="str",
                         choices=["redhat", "debian", "suse", "nm-keyfile", "networkd", "netplan"]),
        ),
        required_if=[("state", "present", ("nic",)), ("state", "absent", ("bridge",))],
        supports_check_mode=True,
    )
    if not HAS_AUGNETCF:
        module.fail_json(msg=missing_required_lib("augnetcf"), exception=IMPORT_ERROR)
    if not hasattr(augnetcf.Config, "share") and not _has_share_module():
        module.fail_json(msg="the augnetcf library on this host (%s) has no share: upgrade it"
                             % augnetcf.__version__)
    p = module.params
    try:
        with augnetcf.Config(root=p["root"], backend=p["backend"]) as cfg:
            run(module, cfg)
    except augnetcf.AugnetcfError as e:
        # share/unshare have rolled files and kernel back by now.
        module.fail_json(msg=str(e), code=e.code.value, file=e.file, line=e.line)


if __name__ == "__main__":
    main()
