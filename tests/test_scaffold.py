"""`grade new` scaffolds an exercise that `grade verify` proves sound at once, and the
authoring guide quotes its worked example (the real ex14) verbatim and gives only commands
that exist."""

from __future__ import annotations

import ast
import re
import shlex
import shutil
import tomllib
from pathlib import Path

import pytest
from kit_copy import KIT, grade_in, make_kit

from grader.catalog import discover
from grader.scaffold import new_exercise

GUIDE = KIT / "docs" / "authoring.md"
FAST = {"GRADE_MAX_EXAMPLES": "12"}  # hypothesis examples per check: enough for these mutants


def _guide_quotes() -> list[tuple[str, str]]:
    """The guide's excerpts: (path, text) for each fenced block after `<!-- quote: PATH -->`."""
    text = GUIDE.read_text(encoding="utf-8")
    return re.findall(r"<!-- quote: (\S+) -->\n```[a-z]*\n(.*?)\n```", text, flags=re.DOTALL)


def _guide_commands() -> list[list[str]]:
    """The `grade` commands of the guide's bash blocks, as argument lists (comments dropped)."""
    text = GUIDE.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```bash\n(.*?)\n```", text, flags=re.DOTALL):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == [".venv/bin/grade"]:
                commands.append(words[1:])
    return commands


def test_new_torch_exercise_verifies_sound_as_scaffolded(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    made = grade_in(kit, "new", "ex13", "relu_demo", "--framework", "torch")
    assert made.returncode == 0, made.stderr
    for path in ("exercises/ex13_relu_demo.py", "checks/test_ex13_relu_demo.py", "checks/ex13_relu_demo.toml",
                 "reference/ex13_relu_demo.py"):
        assert (kit / path).is_file() and path in made.stdout
    mutants = sorted(p.name for p in (kit / "checks" / "mutants" / "ex13").glob("*.py"))
    assert mutants == ["abs_value.py", "always_float32.py", "cpu_zeros.py", "in_place.py", "numpy_round_trip.py"]
    assert "grade verify ex13" in made.stdout
    assert [e.id for e in discover(kit)] == ["ex1", "ex13"]

    proc = grade_in(kit, "verify", "ex13", "-j", "2", env=FAST)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert out.rstrip().endswith("verify: all sound")
    # The catch matrix: one row per check (each written with a recipe), a column per subject,
    # the count of mutants caught; the device check alone catches cpu_zeros.
    for check, caught in (("matches_max_with_zero (2)", 3), ("gradient_passes_where_positive (1)", 3),
                          ("stays_on_the_inputs_device (1)", 2)):
        row = next(line for line in out.splitlines() if check in line)
        assert row.count("●") == caught and row.rstrip(" │").endswith(str(caught)), row
    assert "1 abs_value 1/4: uses abs(x)" in out and "3 cpu_zeros 3/4:" in out
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


def test_the_guide_quotes_its_worked_example_verbatim() -> None:
    """Every excerpt of the guide is in the file it names, as written: ex14's stub, checks,
    metadata and a mutant (ex14 itself is proved sound by tests/test_soundness.py)."""
    quotes = _guide_quotes()
    assert {path for path, _ in quotes} >= {"exercises/ex14_pairwise_distances.py",
                                            "checks/test_ex14_pairwise_distances.py",
                                            "checks/ex14_pairwise_distances.toml", "checks/mutants/ex14/no_clamp.py"}
    for path, excerpt in quotes:
        assert excerpt in (KIT / path).read_text(encoding="utf-8"), f"the guide's excerpt of {path} is not in it"


def test_the_guides_grade_commands_exist() -> None:
    """Each `.venv/bin/grade ...` line of the guide parses: the command and its options exist."""
    import click

    from grader.cli import main

    commands = _guide_commands()
    assert ["verify", "ex14", "--calibrate", "-j", "1"] in commands and any(c[:1] == ["new"] for c in commands)
    for args in commands:
        name, rest = (args[0], args[1:]) if args[0] in main.commands else ("exercise", args)  # `grade ex14`
        try:
            main.commands[name].make_context(f"grade {name}", list(rest))
        except click.UsageError as error:
            raise AssertionError(f"grade {' '.join(args)}: {error}") from None
