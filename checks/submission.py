"""Which implementation the checks import: the learner's file, a reference, or a mutant.

Check modules never import student code at module level; they hold a lazy handle

    from checks.submission import student
    ex = student("ex03_normalized_dataset")
    ...
    ds = ex.NormalizedDataset(data, labels)     # the file is imported here, on first use

so collecting checks runs no student code, and under the grader each check imports the
file afresh in its own process. The folder comes from `GRADE_SUBMISSION` (set by the
grader, or by `pytest --submission DIR`); default `exercises/`.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

from checks.feedback import CheckFailure, Failure, T

SUBMISSION_ENV = "GRADE_SUBMISSION"
KIT_ROOT = Path(__file__).resolve().parent.parent


def submission_dir() -> Path:
    return Path(os.environ.get(SUBMISSION_ENV) or KIT_ROOT / "exercises").resolve()


class SubmissionMissing(CheckFailure):
    """The exercise file is not in the submission folder."""


class SubmissionImportError(CheckFailure):
    """Importing the exercise file raised (syntax error, missing import, exception at import)."""


def describe_import_error(exc: BaseException, path: Path) -> T:
    """'SyntaxError at line 12: …' pointing into the learner's own file."""
    line = None
    if isinstance(exc, SyntaxError) and exc.lineno:
        line = exc.lineno
        code = (exc.text or "").strip()
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if Path(frame.filename).resolve() == path.resolve():
                line, code = frame.lineno, (frame.line or "").strip()
                break
    what = f"{type(exc).__name__}: {exc}"
    if line is not None:
        return T(
            ja=f"{path.name} を読み込めませんでした — {line} 行目で {what}\n    {code}",
            en=f"could not import {path.name} — {what} at line {line}\n    {code}",
        )
    return T(ja=f"{path.name} を読み込めませんでした — {what}", en=f"could not import {path.name} — {what}")


class _SourceOnlyLoader(importlib.machinery.SourceFileLoader):
    """Compiles the `.py` itself: a `.pyc` handed in beside it (in `__pycache__`, with a
    matching timestamp and size) is never what runs, so the graded code is the code shown."""

    def get_code(self, fullname: str) -> Any:
        path = self.get_filename(fullname)
        return self.source_to_code(self.get_data(path), path)


def import_submission(stem: str, folder: Path | None = None) -> ModuleType:
    """Import `<folder>/<stem>.py` as module `stem` (registered in sys.modules so that
    pickling and `torch.save` of its classes work). Raises SubmissionMissing or
    SubmissionImportError with a bilingual message."""
    path = (folder or submission_dir()) / f"{stem}.py"
    if not path.is_file():
        raise SubmissionMissing(
            T(ja=f"{path.name} が見つかりません（{path.parent}）", en=f"{path.name} was not found in {path.parent}"),
            T(ja="ファイル名は exercises/ と同じにしてください", en="keep the file name as in exercises/"),
        )
    spec = importlib.util.spec_from_file_location(stem, path, loader=_SourceOnlyLoader(stem, str(path)))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[stem] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:  # SystemExit at import is a failed import, not an exit of the grader
        sys.modules.pop(stem, None)
        raise SubmissionImportError(describe_import_error(exc, path)) from None
    return module


class StudentModule:
    """Lazy handle on the learner's module; attribute access imports it once."""

    def __init__(self, stem: str) -> None:
        self._stem = stem
        self._module: ModuleType | None = None

    @property
    def stem(self) -> str:
        return self._stem

    def module(self) -> ModuleType:
        if self._module is None or sys.modules.get(self._stem) is not self._module:
            self._module = import_submission(self._stem)
        return self._module

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # pytest and others probe private names: never import for those
            raise AttributeError(name)
        module = self.module()
        try:
            return module.__dict__[name]
        except KeyError:
            raise Failure(
                T(ja=f"{self._stem}.py に `{name}` が定義されていません",
                  en=f"`{name}` is not defined in {self._stem}.py"),
                T(ja="名前と綴りは課題文のとおりにしてください", en="use the exact name given in the task"),
            ) from None


def student(stem: str) -> StudentModule:
    """The lazy handle a check module uses: `ex = student("ex03_normalized_dataset")`."""
    return StudentModule(stem)
