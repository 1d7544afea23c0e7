# Attack: writes forged result files where graders and CI tools look for them: the working
# folder, the temp folder, and the submission folder itself (report.json, results.json).
# Expect: 0
import json
import os
from pathlib import Path

ANSWERS = {1: True, 2: True, 3: True, 4: False}

# --- attack ---
fake = {"score": 4.0, "output": "all good", "tests": [{"name": "x", "score": 4, "max_score": 4, "status": "passed"}]}
here = Path(__file__).resolve().parent
tmp = Path(os.environ.get("TMPDIR", "/tmp"))
for target in (Path.cwd() / "results.json", tmp / "results.json", here / "results.json", here / "report.json",
               here.parent / "report.json"):
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(fake))
    except OSError:
        pass
# --- end attack ---
