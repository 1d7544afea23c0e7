"""Runaway submissions cost seconds, not minutes, whatever framework the exercise uses.

For each framework kind (none, torch, keras, both) one exercise is graded with a file that
imports that kind's frameworks and then, at import, runs away: hangs swallowing every
exception, allocates until refused and sleeps, forks without end, leaves a detached child
behind, or ignores SIGTERM and hangs. Each must be reported with score 0 within 30 s of
the exercise starting, and nothing it started may be left running. The attacks are
bounded (a fork bomb stops at 300 processes, sleeps end) so that a broken defence cannot
take the machine down.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from helpers import alive

from grader import catalog
from grader.isolation.host import GradeOptions, Job, grade

KINDS = {"none": "ex1", "torch": "ex9", "keras": "ex12", "both": "ex4"}
IMPORTS = {"none": "", "torch": "import torch\n", "keras": "import keras\n", "both": "import torch\nimport keras\n"}
# every process an attack starts writes its pid to $RUNAWAY_PIDS, so the test can prove none is left
# (the pid as the host's /proc names it: inside a PID namespace os.getpid() is another number)
CONFESS = ("import os\ndef confess():\n    with open(os.environ['RUNAWAY_PIDS'], 'a') as f:\n"
           "        f.write(os.readlink('/proc/self') + '\\n')\n")
ATTACKS = {
    "hang": "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n    except BaseException:\n        pass\n",
    "memory_bomb": ("import time\nkept = []\ntry:\n    while len(kept) < 400:\n        kept.append(bytearray(64 << 20))\n"
                    "except MemoryError:\n    pass\ntime.sleep(120)\n"),
    "fork_bomb": ("import time\nfor _ in range(300):\n    try:\n        if os.fork() == 0:\n            confess()\n"
                  "            time.sleep(120)\n            os._exit(0)\n    except OSError:\n        break\ntime.sleep(120)\n"),
    "detached_child": ("import time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        confess()\n"
                       "        time.sleep(120)\n    os._exit(0)\ntime.sleep(120)\n"),
    "ignores_sigterm": ("import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n"
                        "    try:\n        time.sleep(0.05)\n    except BaseException:\n        pass\n"),
}
LIMIT_S = 30.0


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("runaway")
    pids = root / "pids"
    pids.touch()
    jobs, keys = [], []
    for kind, ex_id in KINDS.items():
        ex = catalog.resolve(ex_id)
        for name, body in ATTACKS.items():
            folder = root / f"{kind}-{name}"
            folder.mkdir()
            (folder / ex.filename).write_text(IMPORTS[kind] + CONFESS + body, encoding="utf-8")
            jobs.append(Job(ex, folder))
            keys.append((kind, name))
    os.environ["RUNAWAY_PIDS"] = str(pids)
    try:
        results = grade(jobs, GradeOptions(submission=root, timeout=120), workers=2)
    finally:
        os.environ.pop("RUNAWAY_PIDS", None)
    time.sleep(0.5)
    started = [int(p) for p in pids.read_text().split()]
    left = [pid for pid in started if alive(pid)]
    for pid in left:  # never leave them behind, even when the test fails
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return {"results": dict(zip(keys, results)), "started": started, "left": left}



@pytest.mark.parametrize("name", sorted(ATTACKS))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_runaway_is_reported_in_seconds_with_score_zero(kind: str, name: str, graded: dict) -> None:
    r = graded["results"][(kind, name)]
    assert r.checks and r.score == 0, f"{kind}/{name}: {r.score}/{r.max_score} {r.status}"
    assert r.max_score > 0
    assert r.duration_s < LIMIT_S, f"{kind}/{name}: reported after {r.duration_s:.1f} s"


def test_no_runaway_process_is_left(graded: dict) -> None:
    assert len(graded["started"]) > 8, "the fork bomb and the detached child did not start (nothing was tested)"
    assert not graded["left"], f"left running: {graded['left']}"
