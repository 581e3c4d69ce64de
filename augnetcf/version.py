"""augnetcf's version: one place, read by the package, the build and the index.

A module of its own, so that what needs the version (the command's
``--version``, the man page, the index's cache stamp) imports neither the
package's façade nor the engine behind it.
"""

__version__ = "0.2.0"
