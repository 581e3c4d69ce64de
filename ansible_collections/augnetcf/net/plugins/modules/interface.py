#!/usr/bin/python
# Copyright: augnetcf contributors
# GNU Lesser General Public License v2.1 or later (see https://www.gnu.org/licenses/lgpl-2.1.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: interface
short_description: Define or undefine a network interface with augnetcf
version_added: "0.1.0"
description:
  - Writes one interface's configuration into the managed host's own network files
    (Red Hat ifcfg, Debian C(/etc/network/interfaces), SUSE ifcfg, NetworkManager keyfiles,
    systemd-networkd) through the augnetcf library, editing them in place so that comments and
    keys augnetcf does not own survive.
  - The interface is described in libvirt-style interface XML (O(xml)) or a structured O(config)
    dict that the module turns into the same XML.
  - Idempotent. The task reports C(changed) only when a file or the kernel actually changed.
  - In check mode it computes the file changes and changes nothing. In diff mode it returns the
    unified diff of the files, the one C(augnetcf define --dry-run) prints.
  - The work runs inside an augnetcf transaction. When anything fails, every file is put back
    as it was and the task fails with augnetcf's message, which names the file and line.
author:
  - augnetcf contributors
requirements:
  - augnetcf (Python library) on the managed host
  - pyroute2 on the managed host, for O(up)
options:
  name:
    description:
      - The interface's name (C(eth0), C(br0)).
      - With O(xml), it must be the name the XML gives.
    type: str
    required: true
  xml:
    description:
      - The interface described as libvirt-style interface XML.
      - Mutually exclusive with O(config). One of them is required for O(state=present).
    type: str
  config:
    description:
      - The interface as a dict, turned into interface XML.
      - Mutually exclusive with O(xml).
    type: dict
    suboptions:
      type:
        description: The kind of interface.
        type: str
        choices: [ethernet, bridge, bond, vlan]
        default: ethernet
      start:
        description: When the interface comes up.
        type: str
        choices: [onboot, none, hotplug]
      mtu:
        description: The MTU in bytes.
        type: int
      mac:
        description: The hardware address (ethernet only).
        type: str
      ipv4:
        description:
          - IPv4 addressing. Keys C(dhcp) (bool), C(peerdns) (bool), C(addresses) (list of
            C(ADDRESS/PREFIX)), C(gateway).
        type: dict
      ipv6:
        description:
          - IPv6 addressing. The keys of O(config.ipv4), plus C(autoconf) (bool).
        type: dict
      ports:
        description:
          - Bridge ports or bond slaves, in order. Each a NIC name, or a dict with C(name),
            C(type) (C(ethernet), C(vlan), C(bond)), C(mac), and for a vlan C(tag) and C(device).
        type: list
        elements: raw
      stp:
        description: Spanning tree on the bridge.
        type: bool
      delay:
        description: Bridge forward delay in seconds.
        type: int
      mode:
        description: Bonding mode (C(active-backup), C(802.3ad), ...).
        type: str
      miimon:
        description: Bond MII link monitoring interval in milliseconds.
        type: int
      tag:
        description: VLAN id.
        type: int
      device:
        description: The device a VLAN sits on.
        type: str
  state:
    description:
      - V(present) defines the interface as described; V(absent) removes its configuration and
        that of its ports and slaves.
    type: str
    choices: [present, absent]
    default: present
  root:
    description:
      - The root directory whose files are configured. Anything but C(/) is a copy of a system
        (an image, a chroot, a test tree).
    type: path
    default: /
  backend:
    description:
      - The file format. Detected from the root when omitted.
    type: str
    choices: [redhat, debian, suse, nm-keyfile, networkd, netplan]
  up:
    description:
      - V(true) brings the interface up from its configuration (again, when it is up but differs
        from it); V(false) brings it down. Omitted, the kernel is left alone.
      - Only where the configuration describes the kernel the module runs against, O(root=/) or
        a network namespace of its own; refused otherwise, so that a copy of a system never
        touches the host's interfaces.
    type: bool
  timeout:
    description: Seconds to wait for carrier when bringing the interface up.
    type: float
    default: 10
notes:
  - Supports C(check_mode) and C(diff_mode). Kernel changes are predicted, not made, in check mode.
seealso:
  - module: augnetcf.net.facts
"""

EXAMPLES = r"""
- name: Bridge eth0 as br0, taking over its address
  augnetcf.net.interface:
    name: br0
    config:
      type: bridge
      start: onboot
      stp: false
      delay: 0
      ipv4:
        addresses: [192.0.2.10/24]
        gateway: 192.0.2.1
      ports:
        - name: eth0
          mac: "52:54:00:12:34:56"

- name: The same from interface XML, and bring it up
  augnetcf.net.interface:
    name: br0
    xml: "{{ lookup('file', 'br0.xml') }}"
    up: true

- name: DHCP on a NIC of an image under /srv/images/web
  augnetcf.net.interface:
    name: eth1
    root: /srv/images/web
    backend: debian
    config:
      start: onboot
      ipv4: {dhcp: true}

- name: Remove the bridge's configuration
  augnetcf.net.interface:
    name: br0
    state: absent
"""

RETURN = r"""
name:
  description: The interface's name.
  returned: always
  type: str
  sample: br0
backend:
  description: The backend used.
  returned: always
  type: str
  sample: redhat
files:
  description: The files (paths under O(root)) that were changed, or would be in check mode.
  returned: always
  type: list
  elements: str
  sample: [etc/sysconfig/network-scripts/ifcfg-br0, etc/sysconfig/network-scripts/ifcfg-eth0]
kernel:
  description: What was done to the kernel (C(up), C(down), C(restart)), or would be in check mode.
  returned: always
  type: list
  elements: str
  sample: [up]
xml:
  description: The interface XML as the files describe it after the task (before it in check mode).
  returned: when O(state=present) and the interface is defined
  type: str
warnings:
  description: Warnings from bringing the interface up (no carrier).
  returned: when O(up=true)
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
    from augnetcf import schema
    from augnetcf.config import unified_diff
    HAS_AUGNETCF = True
    IMPORT_ERROR = None
except ImportError:
    HAS_AUGNETCF = False
    IMPORT_ERROR = traceback.format_exc()

from ansible_collections.augnetcf.net.plugins.module_utils.ifxml import ConfigError, config_to_xml
from ansible_collections.augnetcf.net.plugins.module_utils.kernelcheck import kernel_is_ours

CONFIG_OPTIONS = dict(
    type=dict(type="str", choices=["ethernet", "bridge", "bond", "vlan"], default="ethernet"),
    start=dict(type="str", choices=["onboot", "none", "hotplug"]),
    mtu=dict(type="int"),
    mac=dict(type="str"),
    ipv4=dict(type="dict"),
    ipv6=dict(type="dict"),
    ports=dict(type="list", elements="raw"),
    stp=dict(type="bool"),
    delay=dict(type="int"),
    mode=dict(type="str"),
    miimon=dict(type="int"),
    tag=dict(type="int"),
    device=dict(type="str"),
)


def _defined(cfg, name):
    return name in cfg.list_interfaces()


def _plan_kernel(cfg, name, up, defined_after):
    """What *up* asks of the kernel now: [] or one of up / down / restart."""
    if up is None:
        return []
    status = cfg.status(name)
    if not up:
        return ["down"] if status == "active" else []
    if status != "active":
        return ["up"]
    return ["restart"] if defined_after and cfg.diff(name) else []


def run(module):
    p = module.params
    name, state, up = p["name"], p["state"], p["up"]
    if state == "present" and not (p["xml"] or p["config"]):
        module.fail_json(msg="state=present needs xml or config")
    if state == "absent" and up:
        module.fail_json(msg="up=true with state=absent: nothing would be left to bring up")
    xml = p["xml"]
    if p["config"] is not None:
        try:
            xml = config_to_xml(name, p["config"])
        except ConfigError as e:
            module.fail_json(msg="config: %s" % e)

    result = dict(changed=False, name=name, files=[], kernel=[])
    with augnetcf.Config(root=p["root"], backend=p["backend"]) as cfg:
        result["backend"] = cfg.backend.name
        if up is not None and not kernel_is_ours(cfg.root):
            module.fail_json(msg="up: the files under %s do not describe this kernel (use root=/ or run "
                                 "in a network namespace of its own)" % cfg.root, **result)
        if state == "present":
            source = "%s (task)" % name
            given = schema.load(xml, source).getroot().get("name")
            if given != name:
                module.fail_json(msg="the XML describes %r, not %r" % (given, name), **result)
            changes = cfg.plan_define(xml, source)
        else:
            changes = cfg.plan_undefine(name) if _defined(cfg, name) else []
        result["files"] = [c.path for c in changes]
        if module._diff:
            result["diff"] = dict(prepared=unified_diff(changes))

        if module.check_mode:
            # The kernel's part, predicted: the files as they will be are not written yet.
            if up is not None:
                active = cfg.status(name) == "active"
                if not up:
                    result["kernel"] = ["down"] if active and _defined(cfg, name) else []
                elif not active:
                    result["kernel"] = ["up"]
                elif changes or cfg.diff(name):
                    result["kernel"] = ["restart"]
            result["changed"] = bool(changes or result["kernel"])
            if state == "present" and _defined(cfg, name):
                result["xml"] = cfg.xml_desc(name)
            module.exit_json(**result)

        if not changes and up is None:
            if state == "present":
                result["xml"] = cfg.xml_desc(name)
            module.exit_json(**result)

        with cfg.transaction():
            if state == "absent":
                if up is False and _defined(cfg, name) and cfg.status(name) == "active":
                    cfg.ifdown(name)
                    result["kernel"] = ["down"]
                if changes:
                    cfg.undefine(name)
            else:
                if changes:
                    cfg.define(xml, "%s (task)" % name)
                actions = _plan_kernel(cfg, name, up, True)
                if actions in (["down"], ["restart"]):
                    cfg.ifdown(name)
                if actions in (["up"], ["restart"]):
                    result["warnings"] = cfg.ifup(name, p["timeout"])
                result["kernel"] = actions
        if state == "present":
            result["xml"] = cfg.xml_desc(name)
        result["changed"] = bool(changes or result["kernel"])
        module.exit_json(**result)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            xml=dict(type="str"),
            config=dict(type="dict", options=CONFIG_OPTIONS),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            root=dict(type="path", default="/"),
            backend=dict(type="str",
                         choices=["redhat", "debian", "suse", "nm-keyfile", "networkd", "netplan"]),
            up=dict(type="bool"),
            timeout=dict(type="float", default=10),
        ),
        mutually_exclusive=[("xml", "config")],
        supports_check_mode=True,
    )
    if not HAS_AUGNETCF:
        module.fail_json(msg=missing_required_lib("augnetcf"), exception=IMPORT_ERROR)
    try:
        run(module)
    except augnetcf.AugnetcfError as e:
        # The transaction (if one was open) has rolled the files back by now.
        module.fail_json(msg=str(e), code=e.code.value, file=e.file, line=e.line)


if __name__ == "__main__":
    main()
