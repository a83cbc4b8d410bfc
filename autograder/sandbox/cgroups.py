"""How much of the machine a grading may use: CPUs and memory, read from the affinity mask and the cgroup.

Gradescope's default container grants half a CPU and 768 MB through its cgroup (v1 or v2); a
cluster job its own share. Off Linux (the students' self-check on macOS or Windows) there is no
cgroup, and every CPU counts.
"""

from __future__ import annotations

from pathlib import Path

from autograder.sandbox.host import cpu_count


def usable_cpus() -> int:
    """Whole CPUs this process may use: the affinity mask, capped by a cgroup CPU quota (containers)."""
    count = cpu_count()
    quota = cgroup_cpu_quota()
    if quota is not None:
        count = min(count, int(quota))
    return max(1, count)


# Resident memory, measured with margin: a child with torch during a training peaks near 300 MB,
# the grader near 150 MB (bench/gradescope_box.py prints both).
CHILD_MB = 400
GRADER_MB = 250


def children_at_once() -> int:
    """Children side by side: one per usable CPU, and no more than the cgroup's memory holds
    (Gradescope's default container has 768 MB: one child, whatever the CPUs)."""
    limit = cgroup_memory_limit()
    if limit is None:
        return usable_cpus()
    return max(1, min(usable_cpus(), (limit // (1024 * 1024) - GRADER_MB) // CHILD_MB))


def cgroup_cpu_quota() -> float | None:
    """CPUs granted by the cgroup (v2 cpu.max, or v1 cfs quota and period), None when unlimited."""
    try:
        v2 = cgroup_file("", "cpu.max")
        if v2:
            quota, period = v2.read_text().split()
            return None if quota == "max" else int(quota) / int(period)
        v1 = cgroup_file("cpu", "cpu.cfs_quota_us")
        if v1:
            quota = int(v1.read_text())
            period = int((v1.parent / "cpu.cfs_period_us").read_text())
            return None if quota < 0 else quota / period
    except (OSError, ValueError):
        return None
    return None


def cgroup_memory_limit() -> int | None:
    """Bytes the cgroup may use (v2 memory.max, or v1 memory.limit_in_bytes), None when unlimited."""
    try:
        v2 = cgroup_file("", "memory.max")
        text = v2.read_text().strip() if v2 else None
        if text is None:
            v1 = cgroup_file("memory", "memory.limit_in_bytes")
            text = v1.read_text().strip() if v1 else None
        if text is None or text == "max" or int(text) >= 1 << 60:  # v1 writes "unlimited" as almost 2**63
            return None
        return int(text)
    except (OSError, ValueError):
        return None


def cgroup_file(controller: str, name: str) -> Path | None:
    """The file `name` of this process's cgroup: for v1 the `controller`'s hierarchy, for v2 (controller
    "") the unified one. A container without a cgroup namespace sees its own group at the mount's root
    while /proc/self/cgroup names the host's path, so the root is tried when the path is absent."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controllers != controller and controller not in controllers.split(","):
            continue
        mount = Path("/sys/fs/cgroup") if controller == "" else Path("/sys/fs/cgroup", controller)
        for folder in (mount / path.lstrip("/"), mount):
            if (folder / name).exists():
                return folder / name
    return None

