# Attack: a double-forked, setsid daemon that outlives the check, waits, and would then
# write a forged result and keep burning CPU. Its pids go to $ADV_PIDS_FILE (set by the test)
# so the test can prove none is left.
# Expect: clean
import os
import time

ANSWERS = {1: True, 2: True, 3: True, 4: False}  # honest score 2

# --- attack ---
log = os.environ.get("ADV_PIDS_FILE")
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        if log:
            with open(log, "a") as f:  # the pid as /proc sees it (os.getpid() may be a namespace's)
                f.write(f"{os.readlink('/proc/self')}\n")
        time.sleep(60)
        with open(os.path.join(os.environ.get("TMPDIR", "/tmp"), "results.json"), "w") as f:
            f.write('{"score": 4}')
        while True:
            pass
    os._exit(0)
time.sleep(0.2)
# --- end attack ---
