"""The grader's hold on a child: resource limits, then Landlock and the network filter (Linux).

Imported only when the request asks for confinement: the grader's children (Gradescope, a TA's
batch). The students' self-check runs their own code on their own computer, on any system, and
asks for none of it (sandbox/runner.py, Guard.TIME): `resource` does not exist on Windows, and an
address-space limit stops a CUDA build of torch from even importing.
"""

def set_limits(limits: dict) -> dict:
    """Resource limits, then Landlock and the network filter; returns what confinement is in force."""
    import resource  # POSIX only; imported here so that no module of the student bundle needs it to load

    def cap(which, value):
        hard = resource.getrlimit(which)[1]
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (value, value))

    # Core files would fill the scratch folder with hundreds of MB of torch memory.
    cap(resource.RLIMIT_CORE, 0)
    # Caps one file the student writes (prints go to pipes, which this does not limit).
    cap(resource.RLIMIT_FSIZE, int(limits["file_bytes"]))
    # A busy loop that escapes the wall-clock timeout still ends here.
    cpu = int(limits["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    # A memory bomb gets MemoryError instead of the machine's (or the container's) OOM killer.
    cap(resource.RLIMIT_AS, int(limits["memory_bytes"]))
    # Fork and thread bombs: RLIMIT_NPROC counts the user's tasks (not enforced for root).
    cap(resource.RLIMIT_NPROC, int(limits["processes"]))
    cap(resource.RLIMIT_NOFILE, int(limits["open_files"]))
    from autograder.child import landlock, seccomp

    rules = limits["confinement"]
    abi = 0
    if rules.get("landlock", True):  # AUTOGRADER_LANDLOCK=off: as on a kernel without it
        try:
            abi = landlock.restrict(rules["readable"], rules["writable"], rules["hidden"])
        except OSError:  # the parent records "no Landlock"; the limits above still hold
            abi = 0
    # No sockets but unix ones, on any kernel: Landlock covers TCP only, and only from 6.7.
    return {"landlock": abi, "network_filter": seccomp.deny_network()}
