"""The processes a test run leaves behind: extraction workers, fork servers and resource
trackers (Python's multiprocessing helpers), found through /proc (Linux)."""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True, slots=True)
class Process:
    pid: int
    parent: int
    role: str
    """forkserver, worker (a process forked by a fork server, or spawned), resource_tracker,
    or other."""
    command: str


def _read(pid: int) -> tuple[int, str, str] | None:
    """(parent, state, command line) of a process, None if it is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
        command = (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], command.strip()


def _role(command: str, parent_command: str) -> str:
    if "multiprocessing.resource_tracker" in command:
        return "resource_tracker"
    if "multiprocessing.forkserver" in command:
        return "worker" if "multiprocessing.forkserver" in parent_command else "forkserver"
    if "multiprocessing.spawn" in command:
        return "worker"
    return "other"


def processes() -> list[Process]:
    """Every live process (not zombies) on the machine."""
    found: dict[int, tuple[int, str]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            read = _read(int(entry.name))
            if read is not None and read[1] != "Z":
                found[int(entry.name)] = (read[0], read[2])
    return [
        Process(pid, parent, _role(command, found.get(parent, (0, ""))[1]), command)
        for pid, (parent, command) in sorted(found.items())
    ]


def children_of(pid: int, containing: str = "", *, deep: bool = False) -> list[Process]:
    """The live children of `pid` (all its descendants with `deep`) whose command line
    contains `containing`."""
    everything = processes()
    family = {pid}
    found: list[Process] = []
    changed = True
    while changed:
        changed = False
        for process in everything:
            if process.parent in family and process.pid not in family:
                if deep:
                    family.add(process.pid)
                    changed = True
                if containing in process.command and process not in found:
                    found.append(process)
    return sorted(found, key=lambda process: process.pid)


def multiprocessing_family(pid: int) -> list[Process]:
    return children_of(pid, "multiprocessing", deep=True)


def wait_until_gone(pids: list[int], seconds: float) -> list[int]:
    """Wait up to `seconds` for the processes to exit; those still running."""
    deadline = time.monotonic() + seconds
    while True:
        alive = [pid for pid in pids if (read := _read(pid)) is not None and read[1] != "Z"]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def become_subreaper() -> bool:
    """Have orphaned descendants re-parented to this process instead of to init, so a
    process left behind by a subprocess the tests started is still found (Linux)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def reap_zombies(parent: int) -> None:
    """Collect the exit status of `parent`'s children that have exited (orphans re-parented
    to it), so they do not stay in the process table."""
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            read = _read(int(entry.name))
            if read is not None and read[0] == parent and read[1] == "Z":
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(int(entry.name), os.WNOHANG)


__all__ = [
    "Process",
    "become_subreaper",
    "children_of",
    "multiprocessing_family",
    "processes",
    "reap_zombies",
    "wait_until_gone",
]
