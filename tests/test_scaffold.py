"""`grade new` scaffolds an exercise that `grade verify` proves sound at once, and the
authoring guide's worked example, written over the scaffold as the guide says, verifies."""

from __future__ import annotations

import ast
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from grader.catalog import discover
from grader.scaffold import new_exercise, todo_markers
from kit_copy import KIT, grade_in, make_kit

GUIDE = KIT / "docs" / "authoring.md"
FAST = {"GRADE_MAX_EXAMPLES": "12"}  # hypothesis examples per check: enough for these mutants


def _guide_files() -> dict[str, str]:
    """The files of the guide's worked example: each fenced block after `<!-- file: PATH -->`."""
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- file: (\S+) -->\n```[a-z]*\n(.*?)\n```", text, flags=re.S)
    return {path: body + "\n" for path, body in blocks}


def test_new_torch_exercise_verifies_sound_as_scaffolded(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    made = grade_in(kit, "new", "ex13", "relu_demo", "--framework", "torch")
    assert made.returncode == 0, made.stderr
    for path in ("exercises/ex13_relu_demo.py", "checks/test_ex13_relu_demo.py", "checks/ex13_relu_demo.toml",
                 "reference/ex13_relu_demo.py"):
        assert (kit / path).is_file() and path in made.stdout
    mutants = sorted(p.name for p in (kit / "checks" / "mutants" / "ex13").glob("*.py"))
    assert mutants == ["abs_value.py", "always_float32.py", "in_place.py"]
    assert "grade verify ex13" in made.stdout
    assert [e.id for e in discover(kit)] == ["ex1", "ex13"]

    proc = grade_in(kit, "verify", "ex13", "-j", "2", env=FAST)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert out.rstrip().endswith("verify: all sound")
    # The catch matrix: one row per check, a column per subject, the count of mutants caught.
    for check in ("matches_max_with_zero (2)", "keeps_shape_and_dtype (1)", "input_unchanged (1)"):
        row = next(line for line in out.splitlines() if check in line)
        assert row.count("●") == 1 and row.rstrip(" │").endswith("1")
    assert "1 abs_value 2/4: uses abs(x)" in out
    assert "TODO(author) markers left in" in out and "checks/ex13_relu_demo.toml" in out
    assert "catch no mutant" not in out

    stub = grade_in(kit, "ex13", "--format", "json")
    assert '"score": 0.0' in stub.stdout  # the scaffolded stub scores 0


def test_new_fix_exercise_verifies_sound_as_scaffolded(tmp_path: Path) -> None:
    """`grade new --kind fix`: the stub is a buggy listing that runs; as scaffolded, verify
    finds it sound (reference full, the stub above 0 and at most a quarter, mutants caught)."""
    kit = make_kit(tmp_path / "kit")
    made = grade_in(kit, "new", "ex13", "fix_demo", "--kind", "fix")
    assert made.returncode == 0, made.stderr
    [ex] = [e for e in discover(kit) if e.number == 13]
    assert ex.is_fix and ex.framework == "torch"
    assert "raise NotImplementedError" not in ex.stub_path.read_text()
    assert sorted(p.name for p in ex.mutants()) == ["column_means.py", "global_mean.py", "keepdim.py"]

    proc = grade_in(kit, "verify", "ex13", "-j", "2", env=FAST)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("verify: all sound")
    assert "score: ref 4/4  stub 1/4" in proc.stdout and "may score up to 25%" in proc.stdout
    assert "catch no mutant" not in proc.stdout

    stub = grade_in(kit, "ex13")
    assert stub.returncode == 1 and "not fixed yet" in stub.stdout
    refused = grade_in(kit, "new", "ex14", "keras_fix", "--kind", "fix", "--framework", "keras")
    assert refused.returncode == 2 and "torch only" in refused.stderr


def test_new_keras_exercise_is_complete_and_parses(tmp_path: Path) -> None:
    """The Keras template (verified sound by hand; TensorFlow makes a verify run slow here)."""
    kit = make_kit(tmp_path / "kit")
    made = new_exercise("14", "tiny_classifier", "keras", kit)
    ex = made.exercise
    assert ex.framework == "keras" and len(ex.hints) == 2 and ex.title.en.endswith("tiny classifier")
    assert len(ex.mutants()) == 3
    for path in made.files:
        text = path.read_text()
        assert "__STEM__" not in text and "__ID__" not in text
        if path.suffix == ".py":
            ast.parse(text)
    with open(ex.meta_path, "rb") as f:
        assert tomllib.load(f)["framework"] == "keras"
    assert 'student("ex14_tiny_classifier")' in ex.check_path.read_text()
    assert "raise NotImplementedError" in ex.stub_path.read_text()


@pytest.mark.parametrize("args, message", [
    (("new", "ex1", "again"), "ex1 exists already"),
    (("new", "ex13", "Bad-Slug!"), "must be lower-case"),
    (("new", "thirteen", "ok"), "cannot read the number"),
])
def test_new_refuses_what_it_cannot_do(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    kit = make_kit(tmp_path / "kit")
    proc = grade_in(kit, *args)
    assert proc.returncode == 2 and message in proc.stderr
    assert [e.id for e in discover(kit)] == ["ex1"]


def test_new_never_overwrites(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    (kit / "reference" / "ex13_mine.py").write_text("# my work\n")
    proc = grade_in(kit, "new", "13", "mine", "--lang", "ja")
    assert proc.returncode == 2 and "上書きはしません" in proc.stderr and "reference/ex13_mine.py" in proc.stderr
    assert (kit / "reference" / "ex13_mine.py").read_text() == "# my work\n"
    assert not (kit / "exercises" / "ex13_mine.py").exists()


def test_verify_names_missing_files(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")  # ex1: no torch, so this stays quick
    (kit / "reference" / "ex01_true_or_false.py").unlink()
    shutil.rmtree(kit / "checks" / "mutants" / "ex01")
    proc = grade_in(kit, "verify", "ex1")
    assert proc.returncode == 1
    assert "missing files: reference/ex01_true_or_false.py, checks/mutants/ex01/*.py" in proc.stdout
    assert "no mutants" in proc.stdout and "the reference does not get full marks" in proc.stdout
    assert proc.stdout.rstrip().endswith("verify: problems found")


def test_the_guides_worked_example_verifies_as_the_guide_says(tmp_path: Path) -> None:
    files = _guide_files()
    assert set(files) >= {"exercises/ex13_stable_softmax.py", "reference/ex13_stable_softmax.py",
                          "checks/test_ex13_stable_softmax.py", "checks/ex13_stable_softmax.toml"}
    mutants = [p for p in files if p.startswith("checks/mutants/ex13/")]
    assert len(mutants) >= 5
    kit = make_kit(tmp_path / "kit")
    assert grade_in(kit, "new", "ex13", "stable_softmax", "--framework", "torch").returncode == 0
    for old in (kit / "checks" / "mutants" / "ex13").glob("*.py"):  # the guide: rm checks/mutants/ex13/*.py
        old.unlink()
    for path, body in files.items():
        (kit / path).parent.mkdir(parents=True, exist_ok=True)
        (kit / path).write_text(body, encoding="utf-8")
    [ex] = [e for e in discover(kit) if e.number == 13]
    assert todo_markers(ex) == []

    proc = grade_in(kit, "verify", "ex13", "-j", "2", env=FAST)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("verify: all sound")
    assert "catch no mutant" not in proc.stdout and "TODO(author)" not in proc.stdout
    assert proc.stdout.count(": ") >= len(mutants)  # every mutant's mistake is listed

    wrong = tmp_path / "wrong"
    wrong.mkdir()
    shutil.copy2(kit / "checks" / "mutants" / "ex13" / "naive_exp.py", wrong / "ex13_stable_softmax.py")
    ja = grade_in(kit, "ex13", "--submission", str(wrong), "--lang", "ja", env=FAST)
    assert ja.returncode == 1
    assert "✗ large_logits_stay_finite" in ja.stdout and "最小の反例" in ja.stdout
    assert "行ごとの）最大値を先に引きます" in ja.stdout
