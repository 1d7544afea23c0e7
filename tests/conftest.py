import pytest


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the learner's progress in .grade/."""
    monkeypatch.setenv("GRADE_STATE_DIR", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("GRADE_LANG", "en")
