"""The command line: build the parser, dispatch to `commands/`, map errors to exit 2."""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import importlib
import io
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn, TypeAlias

from plankeeper import __version__
from plankeeper.errors import PlankeeperError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line and exit 2, as for every other error a user causes.
        sys.stderr.write(f"plankeeper: error: {message} (see `{self.prog} --help`)\n")
        raise SystemExit(2)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """One-line paragraphs (descriptions) are wrapped; examples and tables kept as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        filled = []
        for paragraph in text.split("\n\n"):
            if "\n" in paragraph.strip("\n"):
                filled.append(super()._fill_text(paragraph, width, indent))
            else:
                filled.append(argparse.HelpFormatter._fill_text(self, paragraph, width, indent))
        return "\n\n".join(filled)


def _reporters() -> list[str]:
    from plankeeper.report import REPORTERS

    return list(REPORTERS)


def _codes_epilog() -> str:
    from plankeeper.findings import CODES

    rows = [
        f"  {code.code}  {code.check:<16} {code.default_severity.value:<8} {code.summary}"
        for code in CODES.values()
    ]
    return "codes:\n" + "\n".join(rows)


def _examples(*lines: str) -> str:
    return "examples:\n" + "".join(f"  {line}\n" for line in lines)


if TYPE_CHECKING:
    _Commands: TypeAlias = argparse._SubParsersAction[_Parser]


def _output_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--format", default="text", choices=_reporters(), help="output format (default: text)"
    )
    sub.add_argument(
        "--mode",
        default="block",
        choices=("block", "annotate"),
        help="annotate: report errors but exit 0 (default: block)",
    )
    sub.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")


def _add_check(commands: _Commands, config: _Parser) -> None:
    check = commands.add_parser(
        "check",
        parents=[config],
        help="run the checks on a change set",
        description="Run the checks (all by default) on a change set. Positional words that name "
        "a check select it; the others are FILEs to scan for TODOs.",
        epilog=_examples(
            "plankeeper check                      # the staged change, as the hook does",
            "plankeeper check --base main          # the work of this branch",
            "plankeeper check todos-tracked --all-files",
        )
        + "\n"
        + _codes_epilog(),
        formatter_class=_Formatter,
    )
    check.add_argument("words", nargs="*", metavar="CHECK|FILE")
    scope = check.add_mutually_exclusive_group()
    scope.add_argument("--staged", action="store_true", help="the index against HEAD (default)")
    scope.add_argument(
        "--base", metavar="REF", help="merge-base(REF, head) to head; `auto` reads the GitHub event"
    )
    scope.add_argument(
        "--all-files", action="store_true", help="the whole working tree, state checks only"
    )
    check.add_argument("--head", metavar="REF", help="the new state with --base (default: HEAD)")
    _output_options(check)


def _add_hook(commands: _Commands, config: _Parser) -> None:
    hook = commands.add_parser(
        "hook",
        parents=[config],
        help="what the pre-commit and native git hooks run",
        description="What the pre-commit framework and the native git hooks run. At commit "
        "time it checks the staged change; in pre-commit's pre-push stage "
        "(PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF set) the pushed commits; with nothing "
        "staged (`pre-commit run --all-files`) the state checks on the whole tree.",
        epilog=_examples(
            "pre-commit run plankeeper            # through .pre-commit-config.yaml",
            "plankeeper install-hooks             # or as native git hooks",
        ),
        formatter_class=_Formatter,
    )
    hook.add_argument("words", nargs="*", metavar="CHECK|FILE")
    _output_options(hook)


def _add_verify(commands: _Commands, config: _Parser) -> None:
    verify = commands.add_parser(
        "verify",
        parents=[config],
        help="every check on your work, then progress",
        description="Run every check on the work since the default branch (its merge-base "
        "with HEAD, up to the working tree, untracked files included), then print each "
        "plan's progress and the next task. Run it before you hand the work over.",
        epilog=_examples("plankeeper verify", "plankeeper verify --base origin/release"),
        formatter_class=_Formatter,
    )
    verify.add_argument(
        "--base",
        metavar="REF",
        help="compare with merge-base(REF, HEAD) (default: the default branch)",
    )
    _output_options(verify)


def _add_status(commands: _Commands, config: _Parser) -> None:
    status = commands.add_parser(
        "status",
        parents=[config],
        help="each plan's phases, progress and next task",
        description="Show each plan of the working tree with its phases (done/total), the "
        "current phase and the next task. With Phase headings, the current phase is the "
        "first Phase section with an open task; other sections come after every phase.",
        epilog=_examples("plankeeper status", "plankeeper status --json | jq '.plans[0]'"),
        formatter_class=_Formatter,
    )
    status.add_argument("--json", action="store_true", help="machine-readable output")


def _add_next(commands: _Commands, config: _Parser) -> None:
    next_task = commands.add_parser(
        "next",
        parents=[config],
        help="the next task to work on",
        description="Print the next task of the first plan that has one, as "
        "`path:line: [id] text`; `all tasks done` (exit 0) when none is left.",
        epilog=_examples("plankeeper next", "plankeeper next --json"),
        formatter_class=_Formatter,
    )
    next_task.add_argument("--json", action="store_true", help="machine-readable output")


def _add_todos(commands: _Commands, config: _Parser) -> None:
    todos = commands.add_parser(
        "todos",
        parents=[config],
        help="list TODOs and whether a plan tracks them",
        description="List every TODO of the FILEs (else of the whole working tree) with the "
        "task that tracks it, or `untracked`; exit 1 if one is untracked. --fix appends "
        "each untracked TODO as an open task under the inbox heading of the first "
        "masterplan.",
        epilog=_examples("plankeeper todos", "plankeeper todos --fix src/"),
        formatter_class=_Formatter,
    )
    todos.add_argument(
        "--fix", action="store_true", help="append untracked TODOs to the first masterplan"
    )
    todos.add_argument(
        "--yes",
        action="store_true",
        help="with --fix: add the tasks even when there are more than 50",
    )
    todos.add_argument("files", nargs="*", metavar="FILE")


def _add_baseline(commands: _Commands, config: _Parser) -> None:
    commands.add_parser(
        "baseline",
        parents=[config],
        help="record the untracked TODOs of today, so that only new ones are findings",
        description="Record every TODO that no open task tracks today in the baseline file "
        "(todo.baseline, default .plankeeper-baseline), keyed by content, not line: those "
        "TODOs are no findings, new ones are. Run it again to drop entries whose TODO is "
        "gone (PK204); commit the file.",
        epilog=_examples("plankeeper baseline && git add .plankeeper-baseline"),
        formatter_class=_Formatter,
    )


def _add_handoff(commands: _Commands, config: _Parser) -> None:
    handoff = commands.add_parser(
        "handoff",
        parents=[config],
        help="create or refresh the handoff notes",
        description="Create (SESSION_HANDOFF.md) or refresh the first handoff notes file: "
        "its `## Changed files` list names the files changed from the handoff base (or "
        "REF) to the working tree. Every line a person wrote is kept.",
        epilog=_examples("plankeeper handoff", "plankeeper handoff --base main"),
        formatter_class=_Formatter,
    )
    handoff.add_argument("--base", metavar="REF", help="list the files changed since REF")
    handoff.add_argument(
        "--prune",
        action="store_true",
        help="remove changed-files lines that name a file that did not change (never prose)",
    )
    handoff.add_argument(
        "--print",
        action="store_true",
        dest="print_only",
        help="write the notes to stdout and leave the file as it is",
    )


def _add_init(commands: _Commands, config: _Parser) -> None:
    init = commands.add_parser(
        "init",
        parents=[config],
        help="scaffold a masterplan, resume file and config",
        description="Scaffold docs/plans/NAME_MASTERPLAN.md, skills/name-resume.md and "
        ".plankeeper.yaml (and with --ci a GitHub workflow). Existing files are left "
        "untouched and named; the scaffold passes every check.",
        epilog=_examples("plankeeper init", "plankeeper init shop-front --ci"),
        formatter_class=_Formatter,
    )
    init.add_argument(
        "name", nargs="?", metavar="NAME", help="project name (default: the folder's name)"
    )
    init.add_argument("--ci", action="store_true", help="also add .github/workflows/plankeeper.yml")
    init.add_argument(
        "--agent",
        action="append",
        choices=_runtimes(),
        metavar="RUNTIME",
        help="also install the session hooks of a coding agent (repeatable): "
        + ", ".join(_runtimes()),
    )


def _add_install_hooks(commands: _Commands, config: _Parser) -> None:
    install = commands.add_parser(
        "install-hooks",
        parents=[config],
        help="install native pre-commit and pre-push hooks",
        description="Install pre-commit and pre-push hooks that run `plankeeper hook` into "
        "the repository's hooks folder, for repositories that do not use the pre-commit "
        "framework. A hook there that plankeeper did not install is left alone (exit 1) "
        "unless --force.",
        epilog=_examples("plankeeper install-hooks", "plankeeper install-hooks --force"),
        formatter_class=_Formatter,
    )
    install.add_argument(
        "--force", action="store_true", help="replace hooks that plankeeper did not install"
    )
    install.add_argument(
        "--agent",
        action="append",
        choices=_runtimes(),
        metavar="RUNTIME",
        help="install the session-start and stop hooks of a coding agent in the repository's "
        f"config file for it instead (repeatable): {', '.join(_runtimes())}",
    )
    install.add_argument(
        "--check", action="store_true", help="say which agent hooks are installed (exit 1 if not)"
    )
    install.add_argument(
        "--remove", action="store_true", help="take exactly plankeeper's agent hooks out again"
    )
    install.add_argument(
        "--executable",
        default="plankeeper",
        metavar="PATH",
        help="the plankeeper the agent hooks run (default: plankeeper on PATH); "
        "the hooks do nothing where it is missing",
    )


def _runtimes() -> list[str]:
    from plankeeper.agent.runtimes import RUNTIMES

    return list(RUNTIMES)


def _add_agent(commands: _Commands, config: _Parser) -> None:
    agent = commands.add_parser(
        "agent",
        parents=[config],
        help="the session-start and stop hooks of coding agents",
        description="What a coding agent's hooks run: `context` at session start (the plan's "
        "state as data), `stop` when the agent stops (blocks once while the session's work "
        "fails the checks). Reads the hook's JSON on stdin; always exits 0.",
        epilog=_examples(
            "plankeeper install-hooks --agent claude",
            'echo \'{"session_id": "s1", "source": "startup"}\' | plankeeper agent context',
        ),
        formatter_class=_Formatter,
    )
    agent.add_argument("event", choices=("context", "stop"), help="the hook's moment")
    agent.add_argument(
        "--runtime",
        default="claude",
        choices=_runtimes(),
        help="whose hook protocol stdin and stdout follow (default: claude)",
    )


def _add_explain(commands: _Commands, config: _Parser) -> None:
    explain = commands.add_parser(
        "explain",
        help="what a code or check means and how to fix it",
        description="Print the rule behind a code, why it exists, an example finding and "
        "the fixes. A check's name explains each of its codes.",
        epilog=_examples("plankeeper explain PK101", "plankeeper explain plan-updated")
        + "\n"
        + _codes_epilog(),
        formatter_class=_Formatter,
    )
    explain.add_argument("name", metavar="CODE|CHECK", help="a code (PK101) or a check name")


# Every subcommand, in the order `--help` lists them.
_COMMANDS: dict[str, Callable[[_Commands, _Parser], None]] = {
    "check": _add_check,
    "hook": _add_hook,
    "verify": _add_verify,
    "status": _add_status,
    "next": _add_next,
    "todos": _add_todos,
    "baseline": _add_baseline,
    "handoff": _add_handoff,
    "init": _add_init,
    "install-hooks": _add_install_hooks,
    "agent": _add_agent,
    "explain": _add_explain,
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or of `command` alone.

    The hook runs on every commit, and argparse spends milliseconds on each subparser:
    a command line that names its subcommand gets only that one.
    """
    parser = _Parser(
        prog="plankeeper",
        description="Keep a project's plan honest: the plan, the TODOs and the handoff notes "
        "move with the code.",
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"plankeeper {__version__}")
    config = _Parser(add_help=False)
    config.add_argument(
        "--config",
        metavar="PATH",
        help="configuration file (default: .plankeeper.yaml, "
        "else [tool.plankeeper] in pyproject.toml)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    for name, add in _COMMANDS.items():
        if command is None or name == command:
            add(commands, config)
    return parser


def command_named(argv: Sequence[str]) -> str | None:
    """The subcommand `argv` names, when its first word that is no option is one."""
    word = next((word for word in argv if not word.startswith("-")), None)
    return word if word in _COMMANDS else None


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM (a CI job cancelled, a hook timed out) unwinds like Ctrl-C, so that an
    # edit in progress removes its temporary file and leaves the original untouched.
    raise SystemExit(128 + signum)


def _tolerant_streams() -> None:
    """Output that cannot show a character (cp1252 on Windows runners) shows its escape."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def _drop_output() -> None:
    """Send what stdout still holds nowhere: its reader is gone, or its disk is full."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


# A full disk or quota: the output cannot be written, a one-line error as for any other.
_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def main(argv: Sequence[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    _tolerant_streams()
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(command_named(argv))
    try:
        args = parser.parse_args(argv)
        module = importlib.import_module(f"plankeeper.commands.{args.command.replace('-', '_')}")
        code = int(module.run(args))
        # Written now, while an error can still be reported as one.
        sys.stdout.flush()
        return code
    except PlankeeperError as error:
        from plankeeper.text import break_commands, one_line

        # One line, whatever a file name or revision in the message holds; no `##[`
        # command for GitHub's runner (see report/text.py), no terminal escape.
        message = one_line(str(error))
        sys.stderr.write(f"plankeeper: error: {break_commands(message)}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed: not an error of ours, and nothing to say.
        _drop_output()
        return 1
    except OSError as error:
        if error.errno not in _NO_SPACE:
            raise
        _drop_output()
        sys.stderr.write(f"plankeeper: error: cannot write the output: {error.strerror}\n")
        return 2


def entry() -> NoReturn:
    """The `plankeeper` command and `python -m plankeeper`: main() in a process of its own."""
    # A run is short and frees what it allocates by reference counting. The cyclic
    # collector found next to nothing to free in the benchmarks, yet its passes over
    # GitPython's import cost about 8 ms of a 100 ms hook, and its passes at exit 12 ms
    # more: collect rarely, and leave what is alive at exit out of the final passes.
    gc.set_threshold(50_000)
    try:
        code = main()
    finally:
        gc.freeze()
    raise SystemExit(code)
