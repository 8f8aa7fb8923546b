"""CPU seconds of a command and every process it starts, by kind of process.

    python -m excom_tools.process_cpu -- make test

Runs the command, reads /proc/<pid>/stat of each process of its tree every quarter of a second
(Linux only) and prints, when it ends, the CPU seconds of each kind: the pytest workers, the
`excom serve` processes, Chromium, the build children, LibreOffice... `time` gives only the
total, and only of the processes that were waited for; this says where the suite's CPU goes
(docs/performance.md, "The test suite in five minutes"). A process that lives less than a quarter
of a second is missed; PostgreSQL's backends are not children of the command and are not counted.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")

# (what a command line holds, the kind it is counted as), the first match wins
KINDS = [
    ("exec(eval", "pytest-xdist worker"),
    ("pytest", "pytest"),
    ("governance.serve", "excom serve"),
    ("excom serve", "excom serve"),
    ("governance.apart", "memorandum build child"),
    (" bench ", "excom bench"),
    ("init-db", "excom init-db"),
    (" demo", "excom demo"),
    ("chrom", "Chromium"),
    ("/proc/self/exe", "Chromium"),
    ("soffice", "LibreOffice"),
    ("playwright", "Playwright driver"),
    ("node", "Playwright driver"),
]


def kind(command: str) -> str:
    return next((name for part, name in KINDS if part in command), "other")


def stat_fields(pid: int | str) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command's name (the state first: proc(5)
    numbers it 3), or None for a process that is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()


def cpu_seconds(pid: int, *, children: bool = False) -> float | None:
    """User + system CPU time the process has used so far; with `children`, that of its
    children that have ended and been waited for. None for a process that is gone."""
    fields = stat_fields(pid)
    if fields is None:
        return None
    first = 13 if children else 11
    return (int(fields[first]) + int(fields[first + 1])) / TICKS


def _tree(root: int) -> list[tuple[int, float]]:
    """(pid, CPU seconds so far) of every descendant of `root`."""
    children: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or (fields := stat_fields(entry.name)) is None:
            continue
        children[int(fields[1])].append((int(entry.name), (int(fields[11]) + int(fields[12])) / TICKS))
    found, waiting = [], [root]
    while waiting:
        for pid, seconds in children.get(waiting.pop(), []):
            found.append((pid, seconds))
            waiting.append(pid)
    return found


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "--" or len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    started = time.monotonic()
    process = subprocess.Popen(argv[1:])
    seen: dict[int, tuple[str, float]] = {}
    while process.poll() is None:
        for pid, seconds in _tree(os.getpid()):  # the command and all it started
            if pid not in seen:
                try:
                    command = (Path("/proc") / str(pid) / "cmdline").read_text().replace("\0", " ")
                except OSError:
                    continue
                seen[pid] = (command, seconds)
            else:
                seen[pid] = (seen[pid][0], max(seen[pid][1], seconds))
        time.sleep(0.25)
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for command, seconds in seen.values():
        totals[kind(command)] += seconds
        counts[kind(command)] += 1
    print(f"\n{time.monotonic() - started:.0f} s wall; CPU seconds by kind of process:")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"{seconds:9.1f}  {counts[name]:4d} process(es)  {name}")
    print(f"{sum(totals.values()):9.1f}  in all")
    return process.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
