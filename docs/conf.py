"""Sphinx configuration for augnetcf's documentation.

The site documents the *installed* package (autodoc imports ``augnetcf`` the
way a user would), builds offline (no intersphinx, nothing fetched) and must
build with ``-W``: ``python -m sphinx -W -b html docs OUT`` (what
``tests/unit/test_docs.py`` runs).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "_ext"))

import augnetcf  # noqa: E402

project = "augnetcf"
author = "the augnetcf authors"
copyright = "the augnetcf authors; LGPL-2.1-or-later"
release = augnetcf.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "augnetcf_cli",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "augnetcf.1", "augnetcf.bash-completion"]

# Markdown: heading anchors so that [x](#heading) and page.md#heading links resolve.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
# Cross-references to lxml, augeas and pyroute2 types cannot resolve offline
# (no intersphinx); do not let a type hint's target turn into a warning.
nitpicky = False

html_theme = "alabaster"
html_title = f"augnetcf {release}"
html_static_path: list = []
