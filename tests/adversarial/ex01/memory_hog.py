# Attack: allocates 10 GiB at once, then grows a list until memory runs out (bounded by the
# grader's address-space limit), swallowing the MemoryError and answering honestly after.
# Expect: clean
ANSWERS = {1: True, 2: True, 3: True, 4: False}  # honest score 2

# --- attack ---
try:
    big = bytearray(10 * 1024**3)
except MemoryError:
    big = None
hog = []
try:
    for _ in range(256):  # at most 16 GiB if nothing stops it
        hog.append(bytes(64 * 1024**2))
except MemoryError:
    pass
del hog, big
# --- end attack ---
