"""`plankeeper agent context|stop`: the session-start and stop hooks of coding agents.

Both read the runtime's JSON on stdin and answer in its shape (agent/runtimes.py). Both
fail open: whatever goes wrong, the hook exits 0, allows, and says so in one line on
stderr, because a hook that errs must never wedge an agent's session.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import BinaryIO

from plankeeper.agent.runtimes import RUNTIMES, HookInput, Output, Runtime


def run(
    args: argparse.Namespace,
    environ: Mapping[str, str] | None = None,
    stdin: BinaryIO | None = None,
) -> int:
    environ = os.environ if environ is None else environ
    runtime = RUNTIMES[args.runtime]
    stream = sys.stdin.buffer if stdin is None else stdin
    try:
        raw = stream.read()
        payload = runtime.parse(raw)
        if args.event == "context":
            output = _context(runtime, payload, args, environ)
        else:
            output = _stop(runtime, payload, args, environ)
    # The one place that catches everything: a hook that fails must let the agent go on.
    # A malformed payload, an unreadable repository, a bad configuration and a bug in
    # plankeeper all end here, as one line on stderr and the runtime's "nothing to say".
    except Exception as error:
        reason = str(error).replace("\r", " ").replace("\n", " ") or type(error).__name__
        output = Output(runtime.nothing, f"plankeeper: agent {args.event}: allowed ({reason})\n")
    _write(output)
    return 0


def _write(output: Output) -> None:
    if output.stdout:
        sys.stdout.write(output.stdout)
        sys.stdout.flush()
    if output.stderr:
        sys.stderr.write(output.stderr)
        sys.stderr.flush()


def _context(
    runtime: Runtime, payload: HookInput, args: argparse.Namespace, environ: Mapping[str, str]
) -> Output:
    from plankeeper.agent import session, work
    from plankeeper.agent.context import lines_of, render

    repo, config = work.open_repository(payload.cwd, args.config)
    record = session.load(repo.git_dir, payload.session_id) if payload.session_id else None
    lines = lines_of(work.facts(repo, config, environ))
    fresh = [line for line in lines if record is None or line not in record.injected]
    if record is not None:
        started = record if record.exists else session.Session(record.session_id, repo.head())
        # Every line counts as told, those the cap left out too: a resume repeats nothing.
        updated = started.with_injected(lines)
        if updated != record or not record.exists:
            session.save(repo.git_dir, updated)
    if not fresh:
        return runtime.silent()
    return Output(runtime.context(render(fresh, config.agent.context_max_bytes)))


def _stop(
    runtime: Runtime, payload: HookInput, args: argparse.Namespace, environ: Mapping[str, str]
) -> Output:
    from plankeeper.agent import session, work
    from plankeeper.agent.stop import decide

    repo, config = work.open_repository(payload.cwd, args.config)
    agent = config.agent
    if agent.stop == "off":
        return runtime.silent()
    record = session.load(repo.git_dir, payload.session_id) if payload.session_id else None
    change_set = work.session_work(repo, config, record.head if record else None, agent.baseline)
    if not change_set.changed:
        return runtime.silent()
    result = work.check_work(repo, config, change_set, environ)
    decision = decide(
        result.findings,
        agent,
        stop_hook_active=payload.stop_hook_active,
        blocks_spent=record.blocks if record else 0,
    )
    if decision.action == "block":
        if record is not None:
            # Counted before the answer is printed: a runtime that kills the hook after
            # reading it still cannot make plankeeper block more often than configured.
            session.save(repo.git_dir, record.with_block())
        return runtime.block(decision.reason)
    if decision.message:
        return runtime.tell_user(decision.message)
    return runtime.silent()
