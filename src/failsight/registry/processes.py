"""Tell whether the process that owns or runs a training job still exists."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

PROC = Path("/proc")
START_TIME_SLACK_SECONDS = 2.0
"""Tolerance between a process's start time as /proc reports it (in clock
ticks since boot) and the wall-clock time recorded on a job."""


def process_alive(pid: int, recorded_at: datetime | None = None) -> bool:
    """Check that ``pid`` is a running process that existed at ``recorded_at``.

    A zombie counts as dead: in a container whose init does not reap orphans, a
    killed worker stays a zombie. A process that started after ``recorded_at``
    counts as dead too, because its pid was reused, which is common when a
    container restarts and gives the server the same small pid again. Both
    checks read /proc, so on systems without it only existence is checked.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        stat = (PROC / str(pid) / "stat").read_text()
        boot = _boot_time()
    except (OSError, ValueError):
        return True
    # The command name, in brackets, may hold spaces, so fields count from ")".
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] == "Z":
        return False
    if recorded_at is None or boot is None:
        return True
    ticks = int(fields[19])
    started = boot + ticks / os.sysconf("SC_CLK_TCK")
    return started <= recorded_at.astimezone(UTC).timestamp() + START_TIME_SLACK_SECONDS


def _boot_time() -> float | None:
    for line in (PROC / "stat").read_text().splitlines():
        if line.startswith("btime "):
            return float(line.split()[1])
    return None
