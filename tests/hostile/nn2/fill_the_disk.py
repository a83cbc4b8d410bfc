# attack: writes files in a loop to fill the disk (its folder, its home, /tmp, /dev/shm)
# defence: writes are confined to the scratch folder (Landlock; autograder-student has no other writable place but /tmp, swept after), RLIMIT_FSIZE caps each file, and a watchdog kills the child past the rubric's disk_mb
# without landlock: autograder-student can also write /tmp, /var/tmp and /dev/shm: RLIMIT_FSIZE caps each file at 8 MB, the call's time limit caps how many, and every file of the account there is removed after each child
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: wrote more than 64 MB of files
def Mix(nn):
    import os
    chunk = b"\0" * (4 * 2**20)
    n = 0
    while True:
        for folder in (".", os.environ.get("HOME", "."), "/tmp", "/dev/shm", "/var/tmp"):
            try:
                with open(os.path.join(folder, f"nn2-fill-{os.getpid()}-{n}"), "wb") as f:
                    f.write(chunk)
            except OSError:
                pass
        n += 1
