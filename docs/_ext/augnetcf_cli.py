"""The ``augnetcf-cli`` directive: the command's reference, generated from its parser.

``docs/augnetcf.1`` and the bash completion are generated from
:func:`augnetcf.cli.build_parser` by :mod:`augnetcf.clidoc`; this directive
does the same for the site, so a new verb or option shows up in the man page,
the completion and the site without anyone editing any of them. It writes
reStructuredText (usage, description and options of the command and of each
verb, then the exit status) and lets Sphinx parse it.
"""

from __future__ import annotations

import argparse

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles


def _options(parser: argparse.ArgumentParser) -> list[str]:
    """One definition-list item per option or positional argument of *parser*."""
    from augnetcf.clidoc import arguments

    out = []
    for action, names in arguments(parser):
        help_ = action.help or ""
        if action.choices:
            help_ = (help_ + " " if help_ else "") + "One of: " + ", ".join(map(str, action.choices)) + "."
        if isinstance(action.default, (int, float)) and not isinstance(action.default, bool) \
                and action.nargs != 0:
            help_ += f" Default: {action.default}."
        out += [f"``{names}``", f"   {_escape(help_) or '(no description)'}", ""]
    return out


def _escape(text: str) -> str:
    """Text from the parser, made safe for reStructuredText."""
    return " ".join(text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`")
                    .replace("|", "\\|").replace("_", "\\_").split())


def _usage(parser: argparse.ArgumentParser) -> str:
    usage = parser.format_usage().strip()
    return usage[len("usage: "):] if usage.startswith("usage: ") else usage


def _block(text: str) -> list[str]:
    return ["::", "", *("   " + line for line in text.splitlines()), ""]


def reference() -> list[str]:
    """The command reference as reStructuredText lines."""
    from augnetcf.cli import EXIT_STATUS, build_parser, verbs

    parser = build_parser()
    out = ["Synopsis", "--------", "", *_block(_usage(parser)),
           _escape(parser.description or ""), "", "Global options", "--------------", "",
           *_options(parser), "Verbs", "-----", ""]
    for name, sub in verbs(parser).items():
        out += [f".. _verb-{name}:", "", f"``{name}``", "~" * (len(name) + 4), "",
                *_block(_usage(sub)), _escape(sub.description or ""), ""]
        opts = _options(sub)
        if opts:
            out += opts
    out += ["Exit status", "-----------", "", _escape(EXIT_STATUS), ""]
    return out


class CommandReference(SphinxDirective):
    has_content = False

    def run(self) -> list:
        self.env.note_dependency(__file__)
        holder = nodes.section()
        holder.document = self.state.document
        nested_parse_with_titles(self.state, StringList(reference(), "augnetcf-cli"), holder)
        return holder.children


def setup(app) -> dict:
    app.add_directive("augnetcf-cli", CommandReference)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
