"""Documents generated from the command's own parser: the man page and the
bash completion script. Generating them means a new verb or option shows up in
both without anyone remembering to edit them.

    augnetcf help --man > docs/augnetcf.1
    augnetcf completion bash > docs/augnetcf.bash-completion

Pure functions of an :class:`argparse.ArgumentParser`: this module knows
nothing of :mod:`augnetcf.cli`, which imports it (no import cycle).
"""

from __future__ import annotations

import argparse

from .version import __version__

EXIT_STATUS = ("Exit status: 0 success, 1 error, 2 usage error, 3 interface not found, "
               "70 a bug in augnetcf (run with --verbose for the traceback).")


def verbs(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Verb -> its subparser, in the order they were added; verbs without
    help (change-watch, the detached watcher) are internal and left out."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            documented = {a.dest for a in action._choices_actions}
            return {name: sub for name, sub in action.choices.items() if name in documented}
    return {}


# The parts of the man page that are prose rather than parser data.
_SHELL = """\
With no VERB, augnetcf starts a shell, as ncftool did. On a terminal it
offers line editing, history (~/.augnetcf_history) and tab completion of
verbs, options and interface names. When standard input is not a terminal it
reads one command per line, prints each answer, and stops at quit, exit or the
end of input; its exit status is that of the last command that failed. The
global options given on the command line apply to every command of the shell."""

_EXAMPLES = [
    ("List the interfaces of a Red Hat root kept in a directory, with their MACs:",
     "augnetcf --root /srv/host1 --backend redhat list --macs"),
    ("See what defining a bridge would change, then define it:",
     "augnetcf define --dry-run br0.xml\naugnetcf define br0.xml"),
    ("Check a description without touching anything:", "augnetcf validate br0.xml"),
    ("Run several commands from a script:", "printf 'list\\ndumpxml eth0\\n' | augnetcf"),
]

_FILES = [
    ("etc/sysconfig/network-scripts/ifcfg-*", "Red Hat interface files (backend redhat)."),
    ("etc/network/interfaces", "Debian ifupdown interfaces, and the files it sources (backend debian)."),
    ("etc/sysconfig/network/ifcfg-*, routes, ifsysctl-*", "SUSE interface files (backend suse)."),
    ("etc/os-release", "Read to pick the backend when --backend is not given."),
]


def _roff(text: str) -> str:
    """Escape text for roff: backslashes, leading dots/quotes, and hyphens
    that must stay hyphens (options) rather than become dashes."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    lines = []
    for line in text.split("\n"):
        lines.append("\\&" + line if line.startswith((".", "'")) else line)
    return "\n".join(lines)


def _usage(parser: argparse.ArgumentParser) -> str:
    usage = parser.format_usage().strip()
    return usage[len("usage: "):] if usage.startswith("usage: ") else usage


def arguments(parser: argparse.ArgumentParser) -> list[tuple[argparse.Action, str]]:
    """Every option and positional argument of *parser* a reader is told
    about, with how it is written (``--root DIR``, ``VERB``); for the man page
    and the docs site's command reference alike."""
    out = []
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        if action.option_strings:
            names = ", ".join(action.option_strings)
            if action.nargs != 0:
                names += " " + (action.metavar or action.dest.upper())
        else:
            names = action.metavar or action.dest
        out.append((action, names))
    return out


def _options(parser: argparse.ArgumentParser) -> list[str]:
    out = []
    for action, names in arguments(parser):
        help_ = action.help or ""
        if action.choices and not action.option_strings:
            help_ = (help_ + " " if help_ else "") + "One of: " + ", ".join(map(str, action.choices)) + "."
        elif action.choices:
            help_ += " (" + ", ".join(map(str, action.choices)) + ")"
        out.append(f".TP\n.B {_roff(names)}\n{_roff(help_)}")
    return out


def man_page(parser: argparse.ArgumentParser) -> str:
    """The man page (section 1) of the command *parser* describes."""
    out = [
        f'.TH AUGNETCF 1 "" "augnetcf {__version__}" "User Commands"',
        ".SH NAME",
        "augnetcf \\- read and change network interface configuration through Augeas",
        ".SH SYNOPSIS",
        ".B augnetcf",
        "[\\fB\\-\\-root\\fR \\fIDIR\\fR] [\\fB\\-\\-backend\\fR \\fINAME\\fR] [\\fB\\-v\\fR] "
        "[\\fIVERB\\fR [\\fIARGS\\fR...]]",
        ".SH DESCRIPTION",
        _roff(parser.description or ""),
        ".PP",
        _roff("Interfaces are described in libvirt-style interface XML (types ethernet, bridge, bond "
              "and vlan). augnetcf turns a description into the distribution's own files and back, "
              "editing the files in place: comments, ordering, quoting and keys it does not own "
              "survive every change."),
        ".SH OPTIONS",
        *_options(parser),
        ".SH VERBS",
    ]
    for name, sub in verbs(parser).items():
        out += [f".SS {_roff(name)}", ".nf", _roff(_usage(sub)), ".fi", _roff(sub.description or "")]
        opts = _options(sub)
        if opts:
            out += [".RS", *opts, ".RE"]
    out += [".SH SHELL", _roff(_SHELL), ".SH EXIT STATUS", _roff(EXIT_STATUS), ".SH FILES"]
    for path, what in _FILES:
        out += [".TP", f".I {_roff(path)}", _roff(what + " Paths are relative to --root.")]
    out.append(".SH EXAMPLES")
    for what, command in _EXAMPLES:
        out += [".PP", _roff(what), ".PP", ".RS", ".nf", _roff(command), ".fi", ".RE"]
    out += [".SH SEE ALSO", "\\fBncftool\\fR(1), \\fBvirsh\\fR(1), \\fBaugtool\\fR(1)", ""]
    return "\n".join(out)


def bash_completion(parser: argparse.ArgumentParser) -> str:
    """A bash completion script: verbs, each verb's options, and interface
    names (asked of augnetcf itself, under the --root being typed)."""
    cases = []
    for name, sub in verbs(parser).items():
        opts = " ".join(o for a in sub._actions for o in a.option_strings if o.startswith("--"))
        positional = [a for a in sub._actions if not a.option_strings]
        kind = positional[0].dest if positional else ""
        if positional and positional[0].choices and kind not in ("name", "topic", "file"):
            kind = "choices:" + " ".join(positional[0].choices)
        cases.append(f'        {name}) opts="{opts}"; kind="{kind}" ;;')
    globals_ = " ".join(o for a in parser._actions for o in a.option_strings if o.startswith("--"))
    backends_ = next(" ".join(a.choices) for a in parser._actions if "--backend" in a.option_strings)
    verbs_ = " ".join(verbs(parser))
    return f"""\
# bash completion for augnetcf; generated by: augnetcf completion bash
_augnetcf() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    local i verb="" root="" backend="" opts="" kind=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${{COMP_WORDS[i]}} in
            --root) root=${{COMP_WORDS[i+1]}}; ((i++)) ;;
            --backend) backend=${{COMP_WORDS[i+1]}}; ((i++)) ;;
            -*) ;;
            *) verb=${{COMP_WORDS[i]}}; break ;;
        esac
    done
    case $prev in
        --root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --backend) COMPREPLY=($(compgen -W "{backends_}" -- "$cur")); return ;;
    esac
    if [[ -z $verb ]]; then
        COMPREPLY=($(compgen -W "{globals_} {verbs_}" -- "$cur"))
        return
    fi
    case $verb in
{chr(10).join(cases)}
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [[ $kind == name ]]; then
        local names
        names=$(augnetcf ${{root:+--root "$root"}} ${{backend:+--backend "$backend"}} list --all 2>/dev/null)
        COMPREPLY=($(compgen -W "$names" -- "$cur"))
    elif [[ $kind == topic ]]; then
        COMPREPLY=($(compgen -W "{verbs_}" -- "$cur"))
    elif [[ $kind == file ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    elif [[ $kind == choices:* ]]; then
        COMPREPLY=($(compgen -W "${{kind#choices:}}" -- "$cur"))
    fi
}}
complete -F _augnetcf augnetcf
"""
