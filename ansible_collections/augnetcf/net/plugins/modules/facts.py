#!/usr/bin/python
# Copyright: augnetcf contributors
# GNU Lesser General Public License v2.1 or later (see https://www.gnu.org/licenses/lgpl-2.1.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: facts
short_description: Gather the interfaces augnetcf sees on a host
version_added: "0.1.0"
description:
  - Reads every interface defined in the managed host's network files through augnetcf and
    returns each as interface XML and as a dict, in the C(ansible_facts.augnetcf) fact.
  - Adds the live state (C(active) or C(inactive)) of each interface when the kernel layer
    (pyroute2) can be imported and O(root) is C(/), or when O(live=true).
author:
  - augnetcf contributors
requirements:
  - augnetcf (Python library) on the managed host
  - pyroute2 on the managed host, for the live state
options:
  root:
    description: The root directory whose files are read.
    type: path
    default: /
  backend:
    description: The file format. Detected from the root when omitted.
    type: str
    choices: [redhat, debian, suse, nm-keyfile, networkd, netplan]
  live:
    description:
      - Whether to add the kernel's state. Omitted, it is added only for O(root=/).
      - V(true) fails when the kernel layer cannot be imported.
    type: bool
attributes:
  check_mode:
    support: full
  facts:
    support: full
notes:
  - Supports C(check_mode); it changes nothing in any mode.
seealso:
  - module: augnetcf.net.interface
"""

EXAMPLES = r"""
- name: Gather interface facts
  augnetcf.net.facts:

- name: Show the bridges
  ansible.builtin.debug:
    msg: "{{ ansible_facts.augnetcf.interfaces | dict2items | selectattr('value.dict.type', 'eq', 'bridge')
             | map(attribute='key') }}"

- name: Facts of an image, no kernel state
  augnetcf.net.facts:
    root: /srv/images/web
    live: false
"""

RETURN = r"""
ansible_facts:
  description: Facts to add to the host's ansible_facts.
  returned: always
  type: dict
  contains:
    augnetcf:
      description: What augnetcf sees.
      type: dict
      contains:
        backend:
          description: The backend used.
          type: str
          sample: redhat
        root:
          description: The root read.
          type: str
          sample: /
        names:
          description: The defined top-level interfaces, sorted.
          type: list
          elements: str
          sample: [br0, lo]
        interfaces:
          description:
            - Interface name to C(xml) (its interface XML), C(dict) (the XML as a dict, attributes
              as keys and each child element's tag as a key holding a list of dicts) and, with
              live state, C(status) (C(active) or C(inactive)).
          type: dict
          sample:
            br0:
              xml: "<interface type=\"bridge\" name=\"br0\">...</interface>"
              dict: {type: bridge, name: br0, start: [{mode: onboot}], bridge: [{stp: "off"}]}
              status: active
        live:
          description: Whether C(status) is filled in.
          type: bool
"""

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    import augnetcf
    HAS_AUGNETCF = True
    IMPORT_ERROR = None
except ImportError:
    HAS_AUGNETCF = False
    IMPORT_ERROR = traceback.format_exc()

from ansible_collections.augnetcf.net.plugins.module_utils.ifxml import xml_to_dict


def _kernel_available():
    try:
        import augnetcf.kernel  # noqa: F401  (pulls in pyroute2)
    except ImportError:
        return False
    return True


def main():
    module = AnsibleModule(
        argument_spec=dict(
            root=dict(type="path", default="/"),
            backend=dict(type="str",
                         choices=["redhat", "debian", "suse", "nm-keyfile", "networkd", "netplan"]),
            live=dict(type="bool"),
        ),
        supports_check_mode=True,
    )
    if not HAS_AUGNETCF:
        module.fail_json(msg=missing_required_lib("augnetcf"), exception=IMPORT_ERROR)
    p = module.params
    try:
        with augnetcf.Config(root=p["root"], backend=p["backend"]) as cfg:
            live = p["live"]
            if live is None:
                live = cfg.root.rstrip("/") == "" and _kernel_available()
            elif live and not _kernel_available():
                module.fail_json(msg=missing_required_lib("pyroute2"))
            names = sorted(cfg.list_interfaces())
            interfaces = {}
            for name in names:
                xml = cfg.xml_desc(name)
                interfaces[name] = dict(xml=xml, dict=xml_to_dict(xml))
            if live and names:
                for name, status in cfg.statuses(names).items():
                    interfaces[name]["status"] = status
            facts = dict(backend=cfg.backend.name, root=cfg.root, names=names, interfaces=interfaces,
                         live=bool(live))
    except augnetcf.AugnetcfError as e:
        module.fail_json(msg=str(e), code=e.code.value, file=e.file, line=e.line)
    module.exit_json(changed=False, ansible_facts=dict(augnetcf=facts))


if __name__ == "__main__":
    main()
