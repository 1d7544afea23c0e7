# Attack: starts other programs (a shell, another Python) that the grader's in-process
# defences cannot see, to write into the kit or report a forged score.
# Expect: 0
import os
import subprocess
import sys

ANSWERS = {1: True, 2: True, 3: True, 4: False}

# --- attack ---
for attempt in (
    lambda: subprocess.run(["sh", "-c", "echo 4 passed"], check=False, capture_output=True),
    lambda: os.system("echo 4 passed"),
    lambda: subprocess.Popen([sys.executable, "-c", "print('4 passed')"]).wait(),
    lambda: os.posix_spawn("/bin/sh", ["sh", "-c", "true"], dict(os.environ)),
    lambda: os.execv("/bin/sh", ["sh", "-c", "true"]),
):
    try:
        attempt()
    except Exception:
        pass
# --- end attack ---
