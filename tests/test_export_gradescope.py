"""`grade export gradescope`: the zip, and the zip run as Gradescope runs it.

The bundle is unzipped into a temporary folder laid out as Gradescope's container is
(`source/`, `submission/`, `results/`, `run_autograder` copied beside them) and run with
AUTOGRADER_ROOT pointing there and AUTOGRADER_PYTHON at the kit's interpreter (setup.sh's
.venv is what Gradescope builds; its pins are tested on the requirements files). Every
results.json is validated against Gradescope's documented fields
(docs/gradescope-results-schema.json) and against itself (score = sum of the tests).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from helpers import KIT, run_grade

from grader import catalog
from grader.export.collect import collect
from grader.export.gradescope import build
from grader.export.settings import AutograderSettings, SettingsError

SCHEMA = json.loads((KIT / "docs" / "gradescope-results-schema.json").read_text(encoding="utf-8"))
EX1, EX6 = catalog.resolve("ex1"), catalog.resolve("ex6")
WRONG_EX1 = "ANSWERS = {1: False, 2: False, 3: False, 4: True}\n"  # every statement wrong


def _zip_names(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as zf:
        return set(zf.namelist())


# -- the zip ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "autograder.zip"
    proc = run_grade("export", "gradescope", "--exercise", "ex1", "--exercise", "ex6", "--output", str(out),
                     "--lang", "en", "--hide", "ex6:worked_example")
    assert proc.returncode == 0, proc.stderr
    assert "autograder.zip" in proc.stdout and "TensorFlow: yes" in proc.stdout
    return out


def test_zip_has_gradescope_entry_points_at_its_root_executable(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as zf:
        for name in ("setup.sh", "run_autograder"):
            info = zf.getinfo(name)
            assert stat.S_IMODE(info.external_attr >> 16) == 0o755, name
            assert zf.read(name).startswith(b"#!/usr/bin/env bash\n")
    for name in ("setup.sh", "run_autograder"):
        script = bundle.parent / name
        script.write_bytes(zipfile.ZipFile(bundle).read(name))
        assert subprocess.run(["bash", "-n", str(script)]).returncode == 0, f"{name} is not valid bash"


def test_zip_ships_only_what_grades_this_assignment(bundle: Path) -> None:
    names = _zip_names(bundle)
    assert {"checks/test_ex01_true_or_false.py", "checks/ex06_last_tokens.toml", "exercises/ex06_last_tokens.py",
            "grader/isolation/host.py", "grader/export/autograder.py", "conftest.py", "pyproject.toml",
            "constraints.txt", "autograder.json"} <= names
    assert not [n for n in names if n.startswith(("reference/", "tests/", "benchmarks/", "grader/templates/"))]
    assert not [n for n in names if "mutants" in n or "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in names if "ex03_" in n or "ex12_" in n], "another exercise's checks are shipped"
    assert len(EX6.mutants()) >= 8  # the kit has them: the zip leaves them out on purpose


def test_solutions_only_when_asked(tmp_path: Path) -> None:
    settings = AutograderSettings(exercises=("ex6",), solutions=True)
    names = _zip_names(build(settings, tmp_path / "a.zip").path)
    assert "reference/ex06_last_tokens.py" in names
    assert not [n for n in names if n.startswith("reference/") and "ex06" not in n]


def test_the_same_zip_twice_is_byte_identical(tmp_path: Path) -> None:
    settings = AutograderSettings(exercises=("ex1",), lang="ja")
    assert build(settings, tmp_path / "a.zip").path.read_bytes() == build(settings, tmp_path / "b.zip").path.read_bytes()


def _requirements(path: Path) -> tuple[list[str], list[str]]:
    with zipfile.ZipFile(path) as zf:
        read = lambda n: [l for l in zf.read(n).decode().splitlines() if l and not l.startswith("#")]  # noqa: E731
        return read("requirements-torch.txt"), read("requirements.txt")


def test_requirements_are_pinned_from_constraints_tensorflow_only_where_needed(tmp_path: Path) -> None:
    pins = dict(l.split("==") for l in (KIT / "constraints.txt").read_text().splitlines() if "==" in l and not l.startswith("#"))
    torch_only = _requirements(build(AutograderSettings(exercises=("ex6",)), tmp_path / "t.zip").path)
    keras = _requirements(build(AutograderSettings(exercises=("ex4",)), tmp_path / "k.zip").path)
    assert torch_only[0] == keras[0] == [f"torch=={pins['torch']}"]
    assert not [l for l in torch_only[1] if l.startswith(("tensorflow", "keras"))]
    assert f"tensorflow-cpu=={pins['tensorflow-cpu']}" in keras[1] and f"keras=={pins['keras']}" in keras[1]
    for line in torch_only[1] + keras[1]:
        name, _, version = line.partition("==")
        assert version == pins[name], f"{line} is not the tested version"
    setup = (KIT / "grader" / "export" / "files" / "setup.sh").read_text()
    assert "download.pytorch.org/whl/cpu -r requirements-torch.txt" in setup  # torch's CPU build


@pytest.mark.parametrize("kw, field", [
    ({"hide": ("ex9",)}, "hide"),
    ({"hide": ("ex1:answer*",), "view": "per-exercise"}, "hide"),
    ({"visibility": "sometimes"}, "visibility"),
    ({"lang": "fr"}, "lang"),
])
def test_settings_fail_when_made_with_the_field_named(kw: dict[str, Any], field: str) -> None:
    with pytest.raises(SettingsError) as exc:
        AutograderSettings(exercises=("ex1",), **kw)
    assert exc.value.field == field


def test_cli_refuses_a_hide_pattern_of_another_assignment(tmp_path: Path) -> None:
    proc = run_grade("export", "gradescope", "--exercise", "ex1", "--hide", "ex6", "--output", str(tmp_path / "a.zip"))
    assert proc.returncode == 2 and "hide" in proc.stderr and not (tmp_path / "a.zip").exists()


# -- finding the student's files -------------------------------------------------------------
def test_collect_finds_files_in_a_folder_a_zip_and_a_repository(tmp_path: Path) -> None:
    sub = tmp_path / "submission"
    (sub / "my-homework").mkdir(parents=True)
    (sub / "my-homework" / EX1.filename).write_text("ANSWERS = 1\n")
    with zipfile.ZipFile(sub / "hw.zip", "w") as zf:
        zf.writestr(f"hw/{EX6.filename}", "from_zip = True\n")
        zf.writestr(f"../../{EX6.filename}", "escaped = True\n")  # never outside the target
    found = collect(sub, [EX1, EX6], tmp_path / "graded")
    assert [f.shown for f in found] == [f"my-homework/{EX1.filename}", f"hw.zip:hw/{EX6.filename}"]
    assert (tmp_path / "graded" / EX6.filename).read_text() == "from_zip = True\n"
    assert not (tmp_path / EX6.filename).exists() and not (tmp_path.parent / EX6.filename).exists()


def test_collect_in_a_repository_forked_from_the_kit_takes_exercises_not_reference(tmp_path: Path) -> None:
    repo = tmp_path / "submission"
    for folder, text in (("reference", "ref\n"), ("checks/mutants/ex06", "mutant\n"), ("exercises", "mine\n")):
        (repo / folder).mkdir(parents=True)
        (repo / folder / EX6.filename).write_text(text)
    (repo / EX1.filename).symlink_to(KIT / "reference" / EX1.filename)  # a link to an oracle is no file
    found = collect(repo, [EX1, EX6], tmp_path / "graded")
    assert [f.shown for f in found] == [None, f"exercises/{EX6.filename}"]
    assert (tmp_path / "graded" / EX6.filename).read_text() == "mine\n"


def test_collect_bounds_what_an_archive_may_unpack(tmp_path: Path) -> None:
    sub = tmp_path / "submission"
    sub.mkdir()
    with zipfile.ZipFile(sub / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"big/{EX1.filename}", b"#" * (100 * 1024 * 1024))  # 100 MB of one byte: ~100 kB zipped
        zf.writestr(f"small/{EX6.filename}", "x = 1\n")
        zf.writestr("notes/readme.txt", "not python")
    assert (sub / "bomb.zip").stat().st_size < 1024 * 1024
    found = collect(sub, [EX1, EX6], tmp_path / "graded")
    assert [f.shown for f in found] == [None, f"bomb.zip:small/{EX6.filename}"]
    assert sum(p.stat().st_size for p in (tmp_path / "graded").rglob("*") if p.is_file()) < 1024


def test_collect_takes_a_browser_renamed_copy_when_no_exact_name_is_there(tmp_path: Path) -> None:
    sub = tmp_path / "submission"
    sub.mkdir()
    (sub / f"{EX1.stem} (1).py").write_text("x = 1\n")
    (sub / f"{EX1.stem}_old_notes.py").write_text("y = 2\n")  # another name, not a copy
    assert [f.shown for f in collect(sub, [EX1], tmp_path / "graded")] == [f"{EX1.stem} (1).py"]


def test_a_file_importing_tensorflow_where_it_is_not_installed_is_graded_by_a_torch_worker(tmp_path: Path) -> None:
    from grader.export.autograder import only_installed_frameworks
    from grader.isolation.host import Job

    (tmp_path / EX6.filename).write_text("import tensorflow as tf\nimport torch\n")
    job = Job(EX6, tmp_path)
    assert job.framework == "both"  # what the worker would import
    assert only_installed_frameworks([job], installed=lambda name: True)[0].framework == "both"
    assert only_installed_frameworks([job], installed=lambda name: False)[0].framework == "torch"


# -- running the bundle as Gradescope does ----------------------------------------------------
def run_bundle(bundle: Path, root: Path, files: dict[str, str | Path], python: str = sys.executable) -> dict[str, Any]:
    """Unzip `bundle` into root/source, put `files` in root/submission, run run_autograder the
    way Gradescope does; return results.json after validating it."""
    (root / "source").mkdir(parents=True)
    (root / "submission").mkdir()
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(root / "source")
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    for name, content in files.items():
        target = root / "submission" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copy2(content, target)
        else:
            target.write_text(content, encoding="utf-8")
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": python, "GRADE_CHECK_JOBS": "1"}
    proc = subprocess.run(["bash", str(root / "run_autograder")], cwd=root, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    validate(results)
    return results


def validate(results: dict[str, Any]) -> None:
    jsonschema.validate(results, SCHEMA)
    tests = results["tests"]
    assert results["score"] == pytest.approx(sum(t["score"] for t in tests))
    for t in tests:
        assert 0 <= t["score"] <= t["max_score"] or t["max_score"] == 0 == t["score"], t
        assert (t["status"] == "passed") == (t["score"] == t["max_score"]), t


def direct_score(ex: catalog.Exercise, source: Path, tmp: Path) -> tuple[float, float]:
    """The score `grade --submission` gives the same file: what the bundle must give too."""
    from grader.isolation.host import GradeOptions, Job, grade

    folder = tmp / "direct"
    folder.mkdir()
    shutil.copy2(source, folder / ex.filename)
    result = grade([Job(ex, folder)], GradeOptions(submission=folder, check_jobs=1))[0]
    return result.score, result.max_score


def test_reference_gets_full_marks_and_hidden_checks_are_after_due_date(bundle: Path, tmp_path: Path) -> None:
    results = run_bundle(bundle, tmp_path, {f"upload/{EX1.filename}": EX1.reference_path,
                                            f"upload/{EX6.filename}": EX6.reference_path})
    maximum = sum(t["max_score"] for t in results["tests"])
    assert results["score"] == maximum > 20
    assert {t["name"].split()[0] for t in results["tests"]} == {"ex1", "ex6"}
    hidden = [t["name"] for t in results["tests"] if t["visibility"] == "after_due_date"]
    assert hidden == ["ex6 worked_example"]
    assert f"graded upload/{EX1.filename}" in results["output"]


def test_a_mutant_gets_the_partial_score_grade_gives_it(bundle: Path, tmp_path: Path) -> None:
    mutant = EX6.mutants_dir / "off_by_one.py"
    score, maximum = direct_score(EX6, mutant, tmp_path)
    assert 0 < score < maximum
    with zipfile.ZipFile(tmp_path / "repo.zip", "w") as zf:  # handed in as a zip of a repository
        zf.write(mutant, f"repo-main/exercises/{EX6.filename}")
    results = run_bundle(bundle, tmp_path / "gs", {"repo.zip": tmp_path / "repo.zip"})
    ex6 = [t for t in results["tests"] if t["name"].startswith("ex6 ")]
    assert sum(t["score"] for t in ex6) == score and sum(t["max_score"] for t in ex6) == maximum
    assert results["score"] == score  # ex1 not handed in: 0
    failed = [t for t in ex6 if t["status"] == "failed"]
    assert failed and all(t["output"].strip() for t in failed), "a failed check says why"


def test_an_empty_submission_gets_zero_and_is_told_what_to_hand_in(bundle: Path, tmp_path: Path) -> None:
    results = run_bundle(bundle, tmp_path, {})
    assert results["score"] == 0 and results["tests"]
    assert all(t["status"] == "failed" and t["max_score"] > 0 for t in results["tests"] if t["max_score"])
    assert EX1.filename in results["output"] and EX6.filename in results["output"]
    assert "holds no files" in results["output"]


FORGE_GRADESCOPE = '''
ANSWERS = {1: False, 2: False, 3: False, 4: True}
import json, os
from pathlib import Path
fake = {"score": 999.0, "output": "forged", "tests": []}
for root in (os.environ.get("AUTOGRADER_ROOT", "/autograder"), "/autograder"):
    try:
        Path(root, "results").mkdir(parents=True, exist_ok=True)
        Path(root, "results", "results.json").write_text(json.dumps(fake))
    except OSError:
        pass
'''


@pytest.mark.parametrize("attack", ["forged_results", "kit_writer", "exit_at_import", "monkeypatch_pytest",
                                    "gradescope_results"])
def test_adversarial_submissions_get_zero(bundle: Path, tmp_path: Path, attack: str) -> None:
    if attack == "gradescope_results":
        source: str | Path = FORGE_GRADESCOPE
    else:
        source = KIT / "tests" / "adversarial" / "ex01" / f"{attack}.py"
        assert "# Expect: 0" in source.read_text()
    results = run_bundle(bundle, tmp_path, {EX1.filename: source})
    assert results["score"] == 0 and "forged" not in results["output"]
    assert sum(t["max_score"] for t in results["tests"] if t["name"].startswith("ex1 ")) == 4  # nothing dodged
    with zipfile.ZipFile(bundle) as zf:  # the kit in source/ is as unzipped, byte for byte
        changed = [n for n in zf.namelist() if (tmp_path / "source" / n).read_bytes() != zf.read(n)]
    assert not changed, f"the submission changed the autograder's files: {changed}"


def test_per_exercise_view_one_test_per_exercise(tmp_path: Path) -> None:
    zipped = build(AutograderSettings(exercises=("ex1",), lang="ja", view="per-exercise", hide=("ex1",)),
                   tmp_path / "a.zip").path
    results = run_bundle(zipped, tmp_path / "gs", {EX1.filename: WRONG_EX1 + "ANSWERS[1] = True\n"})
    assert len(results["tests"]) == 1
    test = results["tests"][0]
    assert test["name"].startswith("ex1 ") and test["max_score"] == 4 and test["score"] == results["score"]
    assert 0 < test["score"] < 4 and test["visibility"] == "after_due_date"
    assert "見直すポイント" in test["output"] or "期待" in test["output"]  # the learner's feedback, in Japanese


def test_results_say_why_when_the_autograder_itself_fails(bundle: Path, tmp_path: Path) -> None:
    results = run_bundle(bundle, tmp_path / "a", {EX1.filename: WRONG_EX1}, python="/bin/false")
    assert results["score"] == 0 and "exit status 1" in results["output"]
    root = tmp_path / "b"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(root / "source")
    (root / "source" / "autograder.json").write_text("{not json")
    (root / "submission").mkdir()
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, check=True, timeout=120)
    results = json.loads((root / "results" / "results.json").read_text())
    validate(results)
    assert results["score"] == 0 and "autograder.json" in results["output"] and "failed" in results["output"]
