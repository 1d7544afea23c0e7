# Attack: kills the processes above it (the exercise process, the grading worker, the grader
# itself), found through os.getppid() and /proc, hoping the grader crashes or reports nothing.
# Expect: 0
import os
import signal

ANSWERS = {1: True, 2: True, 3: True, 4: False}

# --- attack ---


def parent_of(pid):
    with open(f"/proc/{pid}/stat", "rb") as f:
        stat = f.read()
    return int(stat[stat.rindex(b")") + 2:].split()[1])


try:
    pid = int(os.readlink("/proc/self"))
except OSError:
    pid = os.getpid()
for _ in range(3):  # never further up: a broken defence must not take the test runner's shell down
    try:
        pid = parent_of(pid)
    except (OSError, ValueError):
        break
    if pid <= 1:
        break
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except OSError:
            pass
try:
    os.kill(os.getppid(), signal.SIGKILL)
except OSError:
    pass
# --- end attack ---
