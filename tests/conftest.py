import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the learner's progress in .grade/."""
    monkeypatch.setenv("GRADE_STATE_DIR", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("GRADE_LANG", "en")
