import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader import catalog
from helpers import KIT, run_grade


def test_discovers_exercises_by_convention() -> None:
    exercises = catalog.discover()
    assert exercises, "no exercise found"
    assert [e.number for e in exercises] == sorted(e.number for e in exercises)
    for ex in exercises:
        assert ex.stub_path.is_file(), ex.stub_path
        assert ex.reference_path.is_file(), ex.reference_path
        assert ex.framework in catalog.FRAMEWORKS
        assert ex.difficulty in catalog.DIFFICULTIES
        assert ex.title.ja and ex.title.en
        assert 2 <= len(ex.hints) <= 4, f"{ex.id}: 2-4 hints"
        assert len(ex.mutants()) >= 8, f"{ex.id}: at least 8 mutants (docs/authoring.md)"


@pytest.mark.parametrize("ex", catalog.discover(), ids=lambda e: e.id)
def test_every_check_has_a_japanese_description(ex: catalog.Exercise) -> None:
    """`--lang ja` shows each check's name with what it verifies: one phrase per check function, none left over."""
    tree = ast.parse(ex.check_path.read_text(encoding="utf-8"))
    checks = [n.name.removeprefix("test_") for n in tree.body
              if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]
    described = [name for name, _ in ex.meta.check_descriptions]
    assert sorted(described) == sorted(checks), (
        f"{ex.meta_path.name} [check_descriptions]: missing {sorted(set(checks) - set(described))}, "
        f"unknown {sorted(set(described) - set(checks))}")
    assert ex.meta.description_ja(f"{checks[0]}[cpu]") == ex.meta.description_ja(checks[0])


@pytest.mark.parametrize("query", ["ex1", "1", "ex01", "01", "true_or_false", "ex01_true_or_false",
                                   "exercises/ex01_true_or_false.py", "EX1"])
def test_resolves_every_spelling(query: str) -> None:
    assert catalog.resolve(query).id == "ex1"


def test_unknown_exercise_lists_what_exists() -> None:
    with pytest.raises(catalog.UnknownExercise) as info:
        catalog.resolve("ex999")
    assert "ex1" in info.value.known
    proc = run_grade("ex999")
    assert proc.returncode == 2
    assert "ex1" in proc.stderr and "ex999" in proc.stderr


def test_list_imports_no_framework() -> None:
    code = ("import sys; from click.testing import CliRunner; from grader.cli import main; "
            "r = CliRunner().invoke(main, ['list']); assert r.exit_code == 0, r.output; "
            "bad = [m for m in ('torch', 'tensorflow', 'keras', 'pytest', 'hypothesis') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=KIT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_list_shows_every_exercise() -> None:
    proc = run_grade("list", "--lang", "en")
    assert proc.returncode == 0
    for ex in catalog.discover():
        assert ex.id in proc.stdout


TORCH_ONLY = [ex for ex in catalog.discover() if ex.framework == "torch"]  # new exercises join by themselves
_TF_MODULES = ("tensorflow", "keras", "tf_keras", "checks.keras_models")


def _tf_imports(source: Path) -> list[str]:
    """The TensorFlow-side modules a file imports anywhere (inside functions too), from its syntax tree."""
    names = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return [n for n in names if any(n == m or n.startswith(m + ".") for m in _TF_MODULES)]


def test_torch_exercises_never_import_tensorflow() -> None:
    """Every exercise whose framework is torch (all of them, found by discovery): no file of it
    imports TensorFlow or Keras, not even inside a function, and importing its check module,
    as the worker does, loads neither (a shared `checks` module that imports TensorFlow shows
    here). Otherwise the worker would load TensorFlow for it (seconds, and memory every check
    process inherits)."""
    assert {"ex6", "ex14", "ex26"} <= {ex.id for ex in TORCH_ONLY}  # fix exercises too
    found = {}
    for ex in TORCH_ONLY:
        files = [ex.check_path, ex.stub_path, ex.reference_path, *ex.mutants(),
                 *sorted((KIT / "tests" / "alternatives" / f"ex{ex.number:02d}").glob("*.py"))]
        found.update({str(f.relative_to(KIT)): bad for f in files if (bad := _tf_imports(f))})
    assert not found, found
    code = ("import importlib, sys\n"
            "for stem in sys.argv[1:]:\n"
            "    importlib.import_module('checks.test_' + stem)\n"
            "    loaded = [m for m in ('tensorflow', 'keras') if m in sys.modules]\n"
            "    if loaded:\n"
            "        sys.exit(f'importing checks/test_{stem}.py loaded {loaded}')\n")
    proc = subprocess.run([sys.executable, "-c", code, *(ex.stem for ex in TORCH_ONLY)], cwd=KIT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_torch_exercises_are_graded_without_tensorflow(tmp_path: Path) -> None:
    """End to end, the worker that grades a torch exercise never imports TensorFlow: a spy in
    ex6's submission reports what is loaded while a check runs (~3.5 s)."""
    assert catalog.resolve("ex6") in TORCH_ONLY
    reference = (KIT / "reference" / "ex06_last_tokens.py").read_text()
    spy = reference.replace("def last_tokens(", "import sys as _sys\n\n\ndef last_tokens(", 1)
    spy = spy.replace('    """', '    print("TF LOADED" if "tensorflow" in _sys.modules else "TF ABSENT")\n    """', 1)
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "ex06_last_tokens.py").write_text(spy)
    proc = run_grade("ex6", "--submission", str(folder), "--format", "json")
    outputs = " ".join(c["output"] for c in json.loads(proc.stdout)["exercises"][0]["checks"])
    assert "TF ABSENT" in outputs and "TF LOADED" not in outputs


@pytest.mark.parametrize("line, field", [
    ('framework = "pytorch"', "framework"), ('difficulty = "expert"', "difficulty"),
    ("check_timeout = 0", "check_timeout"), ('check_timeout = "60"', "check_timeout"),
    ('titel = "typo"', "titel"), ('seed = 3', "seed"),
])
def test_bad_metadata_fails_list_naming_file_and_field(tmp_path: Path, line: str, field: str) -> None:
    from kit_copy import grade_in, make_kit

    kit = make_kit(tmp_path / "kit")
    meta = kit / "checks" / "ex01_true_or_false.toml"
    text = meta.read_text(encoding="utf-8")
    key = line.split("=")[0].strip()
    kept = [ln for ln in text.splitlines() if not ln.startswith(f"{key} ")]
    meta.write_text(line + "\n" + "\n".join(kept) + "\n", encoding="utf-8")
    proc = grade_in(kit, "list")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "ex01_true_or_false.toml" in proc.stderr and f"[{field}]" in proc.stderr


def test_a_title_without_both_languages_is_refused(tmp_path: Path) -> None:
    meta = tmp_path / "ex01_demo.toml"
    meta.write_text('title = { en = "only English" }\n', encoding="utf-8")
    with pytest.raises(catalog.MetadataError, match=r"\[title\] needs both ja and en"):
        catalog.Metadata.load(meta)


def test_a_check_budget_comes_from_the_calibrated_reference(tmp_path: Path) -> None:
    import shutil

    source = catalog.resolve("ex3")
    (tmp_path / "checks").mkdir()
    shutil.copy(source.meta_path, tmp_path / "checks" / source.meta_path.name)
    ex = catalog.Exercise(source.number, source.slug, tmp_path)
    timeout = ex.check_timeout
    text = ex.meta_path.read_text(encoding="utf-8").replace("\n[calibration]", "\n[old]")
    ex.meta_path.write_text(text.split("\n[old]")[0] + "\n", encoding="utf-8")
    ex.__dict__.pop("meta", None)
    assert ex.check_budget == timeout  # not calibrated: the toml's limit
    catalog.write_calibration(ex, 0.3)
    assert ex.check_budget == catalog.BUDGET_FLOOR_S  # a fast reference: the floor
    catalog.write_calibration(ex, 1.5)
    assert ex.check_budget == min(timeout, catalog.BUDGET_FACTOR * 1.5)
    catalog.write_calibration(ex, 99.0)
    assert ex.check_budget == timeout  # never above the toml's limit
    assert ex.meta_path.read_text(encoding="utf-8").count("[calibration]") == 1
    assert ex.meta.title.en == source.title.en  # the rest of the file is kept


def test_kind_is_exercise_by_default_and_fix_when_the_toml_says_so(tmp_path: Path) -> None:
    """`kind` is read into the typed metadata: "exercise" unless the toml says "fix"; any other
    value fails at load with the file and the field named."""
    path = tmp_path / "ex01_demo.toml"
    path.write_text('title = { ja = "デモ", en = "demo" }\n', encoding="utf-8")
    assert catalog.Metadata.load(path).kind == "exercise"
    path.write_text('title = { ja = "デモ", en = "demo" }\nkind = "fix"\n', encoding="utf-8")
    assert catalog.Metadata.load(path).kind == "fix"
    path.write_text('title = { ja = "デモ", en = "demo" }\nkind = "bugfix"\n', encoding="utf-8")
    with pytest.raises(catalog.MetadataError) as info:
        catalog.Metadata.load(path)
    assert info.value.field == "kind" and "'bugfix'" in str(info.value) and "exercise, fix" in str(info.value)
    assert [e.id for e in catalog.discover() if e.is_fix] == ["ex26"]  # the chapter's EarlyStopping
