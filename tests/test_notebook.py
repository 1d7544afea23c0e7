"""`from grader import check; check("exN")` grades what a notebook defines, with the same
score as `grade exN`, and shows an HTML table in Jupyter. A real notebook
(tests/notebooks/check_ex01.ipynb) is executed headlessly on the venv's own kernel."""

from __future__ import annotations

import ast
import json
import linecache
import os
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
import torch
from nbclient import NotebookClient

from grader import catalog
from grader.notebook import assemble, check, collect, exercise_names
from grader.scaffold import new_exercise
from helpers import grade_json, submission
from kit_copy import EX1_ONE_WRONG, KIT, make_kit

NOTEBOOK = Path(__file__).resolve().parent / "notebooks" / "check_ex01.ipynb"


def _execute(nb: Any) -> Any:
    # kernel "python3" is the venv's ipykernel: jupyter_client starts it with this very interpreter
    NotebookClient(nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(KIT)}}).execute()
    return nb


def _outputs(cell: Any, mime: str) -> str:
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream":
            parts.append(out.text if mime == "stream" else "")
        elif mime in out.get("data", {}):
            parts.append(out["data"][mime])
    return "".join(parts)


def test_real_notebook_grades_its_own_answers_like_grade(tmp_path: Path) -> None:
    nb = _execute(nbformat.read(NOTEBOOK, as_version=4))
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert _outputs(code[0], "stream").strip() == sys.prefix  # the kernel is the venv's python

    html, text = _outputs(code[3], "text/html"), _outputs(code[3], "text/plain")
    assert "<table>" in html and "3/4" in html and "the answer to statement 3 is wrong" in html
    assert "graded the notebook&#x27;s definitions (ANSWERS)" in html
    assert "✗ answer[statement_3] (0/1)" in text and "3/4" in text
    assert _outputs(code[4], "stream").split() == ["3.0", "4.0", "False"]
    fixed = _outputs(code[5], "text/html")
    assert "4/4" in fixed and "すべてのチェックに合格しました！" in fixed  # lang="ja"

    # The same answers graded by `grade ex1` get the same score.
    _, report = grade_json("ex1", "--submission", str(submission(tmp_path / "s", "ex01_true_or_false", EX1_ONE_WRONG)))
    assert report["score"] == 3.0 and report["max_score"] == 4.0


@pytest.mark.parametrize("ex_id", ["ex3"])
def test_notebook_class_definitions_grade_like_grade(ex_id: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A mutant of the exercise typed into notebook cells (imports, then one cell per
    definition) gets exactly the partial score `grade` gives the same code as a file."""
    try:
        ex = catalog.resolve(ex_id)
    except catalog.UnknownExercise:
        pytest.skip(f"{ex_id} is not in the kit yet")
    source = ex.mutants()[0].read_text()
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    imports, cells = [], []
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        segment = "".join(lines[start - 1:node.end_lineno])
        (imports if isinstance(node, (ast.Import, ast.ImportFrom)) else cells).append(segment)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in
                ["from grader import check", "".join(imports), *cells,
                 f'r = check("{ex_id}", lang="en")\nprint("SCORE", r.score, r.max_score)\nprint(r.source.en)']]
    monkeypatch.setenv("GRADE_MAX_EXAMPLES", "10")  # the kernel and `grade` below both inherit it
    _execute(nb)
    printed = _outputs(nb.cells[-1], "stream")
    score_line = next(line for line in printed.splitlines() if line.startswith("SCORE"))
    _, report = grade_json(ex_id, "--submission", str(submission(tmp_path / "s", ex.stem, ex.mutants()[0])))
    assert score_line.split()[1:] == [str(report["score"]), str(report["max_score"])]
    assert report["score"] < report["max_score"]
    assert "graded the notebook's definitions" in printed


# ------------------------------------------------------------ in-process: what is carried


def _cell(ns: dict[str, Any], source: str, n: int) -> None:
    """Run `source` as IPython runs a cell: compiled under a name linecache can read back."""
    filename = f"<ipython-input-{n}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), ns)
    ns.setdefault("In", [""]).append(source)


@pytest.fixture()
def relu_exercise(tmp_path: Path) -> catalog.Exercise:
    kit = make_kit(tmp_path / "kit")
    return new_exercise("13", "relu_demo", "torch", kit).exercise


def test_functions_helpers_modules_and_constants_are_carried(relu_exercise: catalog.Exercise) -> None:
    ns: dict[str, Any] = {"__name__": "__main__"}
    _cell(ns, "import torch\nimport torch.nn.functional as F\nfrom torch import clamp as clip\nFLOOR = 0.0", 1)
    _cell(ns, "def _positive(x):\n    return clip(F.relu(x), min=FLOOR)", 2)
    _cell(ns, "def relu(x):\n    return _positive(x)", 3)
    _cell(ns, "unused = torch.zeros(3)", 4)
    assert exercise_names(relu_exercise) == ["relu"]
    base = relu_exercise.stub_path.read_text()
    code = collect(relu_exercise, ns, base_names={"torch"})
    assert list(code.definitions) == ["relu"]
    assert set(code.helpers) == {"_positive", "FLOOR"} and code.helpers["FLOOR"] == "FLOOR = 0.0\n"
    assert code.imports == {"F": "import torch.nn.functional as F", "clip": "from torch import clamp as clip"}
    assert code.warnings == []
    text = assemble(base, code)
    assert "raise NotImplementedError" not in text and text.startswith('"""演習 13')
    module: dict[str, Any] = {}
    exec(compile(text, "graded.py", "exec"), module)
    x = torch.tensor([-1.0, 2.0])
    assert module["relu"](x).tolist() == [0.0, 2.0]


def test_classes_are_found_without_inspect_and_uncopiable_values_are_named(relu_exercise: catalog.Exercise) -> None:
    ns: dict[str, Any] = {"__name__": "__main__"}
    _cell(ns, "import torch\nSCALE = torch.tensor(2.0)", 1)
    _cell(ns, "class Clamp:\n    def __call__(self, x):\n        return x.clamp(min=0) * SCALE / SCALE", 2)
    _cell(ns, "class Marker:\n    pass", 3)
    _cell(ns, "def relu(x):\n    Marker()\n    return Clamp()(x)", 4)
    code = collect(relu_exercise, ns, base_names={"torch"})
    assert code.helpers["Clamp"].startswith("class Clamp:") and "def __call__" in code.helpers["Clamp"]
    assert code.helpers["Marker"] == "class Marker:\n    pass"  # no methods: found in the cell history
    assert [w.en.split("`")[1] for w in code.warnings] == ["SCALE"]  # a tensor is no literal: said, not hidden


def test_literal_answers_from_the_namespace_grade_like_the_file(tmp_path: Path) -> None:
    report = check("ex1", namespace={"__name__": "__main__", "ANSWERS": {1: True, 2: True, 3: False, 4: True}})
    assert (report.score, report.max_score, report.passed) == (4.0, 4.0, True)
    assert "graded the notebook's definitions (ANSWERS)" in str(report)
    assert "<table>" in report._repr_html_() and "All checks passed!" in report._repr_html_()

    folder = submission(tmp_path / "s", "ex01_true_or_false", EX1_ONE_WRONG)
    from_file = check("ex1", namespace={"__name__": "__main__"}, submission=folder, lang="ja")
    assert (from_file.score, from_file.max_score) == (3.0, 4.0)
    assert "を採点しました" in str(from_file) and "文 3 の答えが違います" in str(from_file)
    _, graded = grade_json("ex1", "--submission", str(folder))
    assert graded["score"] == from_file.score
    progress = json.loads((Path(os.environ["GRADE_STATE_DIR"]) / "progress.json").read_text())
    assert progress["exercises"]["ex1"]["passed"] is True  # recorded for the notebook's own work only
