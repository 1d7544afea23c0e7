# Attack: looks for the channel's secret and the grader's state in memory: gc.get_objects,
# gc.get_referrers, sys._current_frames, ctypes raw memory reads, /proc/self/mem.
# Expect: 0
import gc
import sys

ANSWERS = {1: True, 2: True, 3: True, 4: False}

# --- attack ---
found = []
for probe in (
    lambda: [o for o in gc.get_objects() if isinstance(o, bytearray) and len(o) == 32],
    lambda: gc.get_referrers(sys.modules),
    lambda: list(sys._current_frames().values()),
    lambda: __import__("ctypes").string_at(id(sys), 64),
    lambda: __import__("ctypes").c_char.from_address(id(sys)).value,
    lambda: open("/proc/self/mem", "rb").read(1),
):
    try:
        found.append(probe())
    except Exception:
        pass
# --- end attack ---
