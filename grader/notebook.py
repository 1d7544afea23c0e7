"""Grading from a notebook: `from grader import check; check("ex3")`.

Most learners of the textbook write code in Jupyter or Colab, so the kit grades what the
notebook defines, the way otter's `grader.check("q1")` does:

1. The names the exercise asks for are read from its stub (top-level functions, classes
   and assignments, e.g. `NormalizedDataset`, `ANSWERS`).
2. Those the notebook defines (functions and classes created in the notebook, values such
   as `ANSWERS` that can be written back as Python literals) replace the matching
   definitions of the exercise file; what the notebook does not define is taken from the
   file. Helpers the notebook's code uses are carried along: modules (`import torch.nn
   as nn`), things imported from a module, literal constants and the notebook's own
   helper functions and classes. If the notebook defines none of the names, the exercise
   file itself is graded.
3. That source is written to a temporary folder and graded by the same isolated grader as
   `grade exN` (same checks, same score), and the result is recorded in the progress file,
   marked as the notebook's (`grade list` says "(notebook)" next to it).
4. A name the session defines but whose source cannot be read (a class typed at a plain
   `python` prompt) is refused (`CannotGrade`): grading the file in its place would grade
   something else than the learner means.

The result renders as an HTML table in Jupyter and as the usual text elsewhere, in the
learner's language (`lang=`, else GRADE_LANG, else the locale); called from a script,
check() also prints it (nothing else would show the returned report).
"""

from __future__ import annotations

import ast
import builtins
import html
import importlib
import inspect
import linecache
import shutil
import sys
import tempfile
import textwrap
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from grader import catalog
from grader.catalog import Exercise
from grader.i18n import Lang, T, detect_lang
from grader.results import ExerciseResult, Report, full_message

UI = {
    "from_notebook": T(ja="ノートブックの定義（{names}）を採点しました", en="graded the notebook's definitions ({names})"),
    "from_file": T(ja="{path} を採点しました（ノートブックには {names} の定義がありません）",
                   en="graded {path} (the notebook defines none of {names})"),
    "not_copied": T(ja="`{name}` はノートブックから採点用ファイルに移せませんでした（{why}）。"
                       "関数の中で定義するか、リテラル（数値・文字列・リストなど）にしてください",
                    en="`{name}` could not be carried from the notebook into the graded file ({why}); "
                       "define it inside your function, or make it a literal (number, string, list, ...)"),
    "no_source": T(ja="`{name}` のソースコードが見つかりません（{why}）", en="the source of `{name}` was not found ({why})"),
    "refuse": T(ja="このセッションで定義された {names} のソースコードを読めないため、採点しませんでした"
                   "（ファイル {path} を代わりに採点すると、別のものを採点することになります）。"
                   "Jupyter / IPython で定義するか、コードを {path} に書いて grade {id} を実行してください",
                en="not graded: {names} is defined in this session, but its source cannot be read (grading "
                   "{path} instead would grade something else). Define it in Jupyter / IPython, or write it in "
                   "{path} and run grade {id}"),
    "check": T(ja="チェック", en="check"),
    "points": T(ja="点", en="points"),
    "feedback": T(ja="フィードバック", en="feedback"),
    "all_passed": T(ja="すべてのチェックに合格しました！", en="All checks passed!"),
    "hint": T(ja="行き詰まったら: ターミナルで grade hint {id}", en="stuck? run grade hint {id} in a terminal"),
}
_MARK = {"passed": ("✓", "#1a7f37"), "failed": ("✗", "#cf222e"), "error": ("!", "#cf222e"), "skipped": ("-", "#9a6700")}


# ------------------------------------------------------------- the exercise's names


def _top_level_names(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return list(dict.fromkeys(names))


def exercise_names(ex: Exercise) -> list[str]:
    """What the exercise asks the learner to define, read from its stub (or reference)."""
    for path in (ex.stub_path, ex.reference_path):
        try:
            return [n for n in _top_level_names(ast.parse(path.read_text(encoding="utf-8")))
                    if not (n.startswith("__") and n.endswith("__"))]
        except (OSError, SyntaxError):
            continue
    return []


# ------------------------------------------------------------ sources from a notebook


def _cells(ns: dict[str, Any]) -> list[str]:
    """IPython's input history (`In`), newest first; empty outside IPython."""
    history = ns.get("In")
    return [c for c in reversed(history) if isinstance(c, str) and c] if isinstance(history, list) else []


def _segment(lines: list[str], node: ast.stmt) -> str:
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return textwrap.dedent("".join(lines[start - 1:node.end_lineno]))


def _definition_in(source: str, name: str, kinds: tuple[type, ...]) -> str | None:
    """The last top-level definition of `name` in `source` (a cell), or None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    lines = source.splitlines(keepends=True)
    found = None
    for node in tree.body:
        if isinstance(node, kinds) and getattr(node, "name", None) == name:
            found = _segment(lines, node)
    return found


def _class_source(cls: type, ns: dict[str, Any]) -> str:
    """A class's source. `inspect.getsource` cannot find classes defined in a notebook on
    Python < 3.13, so: a method's code object tells the cell, the cell's AST the class."""
    try:
        return textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        pass
    for member in vars(cls).values():
        fn = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
        code = getattr(fn, "__code__", None)
        if code is None:
            continue
        lines = linecache.getlines(code.co_filename)
        try:
            tree = ast.parse("".join(lines))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == cls.__name__ and \
                    node.lineno <= code.co_firstlineno <= (node.end_lineno or 0):
                return _segment(lines, node)
    for cell in _cells(ns):  # a class without methods: the newest cell that defines it
        found = _definition_in(cell, cls.__name__, (ast.ClassDef,))
        if found:
            return found
    raise OSError("no cell defines it")


def _function_source(fn: types.FunctionType, ns: dict[str, Any]) -> str:
    try:
        return textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        for cell in _cells(ns):
            found = _definition_in(cell, fn.__name__, (ast.FunctionDef, ast.AsyncFunctionDef))
            if found:
                return found
        raise


def _literal(value: Any) -> str | None:
    """`repr(value)` when it reads back as an equal literal of the same type, else None."""
    try:
        text = repr(value)
        back = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
        return None
    try:
        same = type(back) is type(value) and bool(back == value)
    except Exception:  # noqa: BLE001  (an __eq__ that raises: not a literal)
        return None
    return text if same else None


def _import_line(name: str, obj: Any) -> str | None:
    """An import statement that binds `name` to `obj` in a fresh module, or None."""
    if isinstance(obj, types.ModuleType):
        module = obj.__name__
        if module == name:
            return f"import {module}"
        if "." in module and module.rsplit(".", 1)[1] == name:
            parent, leaf = module.rsplit(".", 1)
            return f"from {parent} import {leaf}"
        return f"import {module} as {name}"
    module = getattr(obj, "__module__", None)
    if not isinstance(module, str) or module == "__main__":
        return None
    # torch's builtins have a dotted __qualname__ (_VariableFunctionsClass.clamp): try __name__ too
    for attr in (getattr(obj, "__qualname__", None), getattr(obj, "__name__", None)):
        if not isinstance(attr, str) or "." in attr:
            continue
        try:
            if getattr(importlib.import_module(module), attr) is obj:
                return f"from {module} import {attr}" + ("" if attr == name else f" as {name}")
        except Exception:  # noqa: BLE001  (not importable that way)
            continue
    return None


def _used_names(source: str) -> list[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    used = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    return list(dict.fromkeys(used))


@dataclass
class NotebookCode:
    """What the notebook contributes: definitions of the exercise's names, and helpers."""

    definitions: dict[str, str] = field(default_factory=dict)  # exercise name -> source
    helpers: dict[str, str] = field(default_factory=dict)      # helper name -> source
    imports: dict[str, str] = field(default_factory=dict)      # name -> import statement
    warnings: list[T] = field(default_factory=list)


def collect(ex: Exercise, ns: dict[str, Any], names: list[str] | None = None,
            base_names: set[str] | None = None) -> NotebookCode:
    """The notebook's definitions of the exercise's names, with the helpers they use.

    `base_names`: what the exercise file binds at top level (definitions and imports); a
    helper the file defines too is replaced by the notebook's version, an import or a
    constant the file has already is not repeated."""
    module_name = ns.get("__name__", "__main__")
    names = names if names is not None else exercise_names(ex)
    code = NotebookCode()

    def source_of(name: str, obj: Any) -> str | None:
        """The notebook's own source of `obj` (None: not defined in the notebook); a
        definition whose source cannot be read is a warning."""
        try:
            if inspect.isfunction(obj) and obj.__module__ == module_name:
                return _function_source(obj, ns)
            if inspect.isclass(obj) and obj.__module__ == module_name:
                return _class_source(obj, ns)
        except (OSError, TypeError) as exc:
            code.warnings.append(UI["no_source"].format(name=name, why=str(exc) or type(exc).__name__))
            raise LookupError(name) from exc
        return None

    for name in (n for n in names if n in ns):
        obj = ns[name]
        try:
            src = source_of(name, obj)
        except LookupError:
            continue
        if src is None and not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismodule(obj)):
            lit = _literal(obj)  # not the learner's literal (or not writable): the file's version is graded
            src = None if lit is None else f"{name} = {lit}\n"
        if src is not None:
            code.definitions[name] = src
    if code.definitions:
        _collect_helpers(code, ns, set(names), set(base_names or ()), source_of)
    return code


def _collect_helpers(code: NotebookCode, ns: dict[str, Any], seen: set[str], in_file: set[str],
                     source_of: Callable[[str, Any], str | None]) -> None:
    """What the notebook's definitions use: its own helpers, imports, literals."""
    todo = [n for src in code.definitions.values() for n in _used_names(src)]
    while todo:
        name = todo.pop(0)
        if name in seen or name not in ns or hasattr(builtins, name):
            continue
        seen.add(name)
        obj = ns[name]
        try:
            src = source_of(name, obj)
        except LookupError:
            continue
        if src is not None:  # the notebook's own helper: its version wins over the file's
            (code.definitions if name in in_file else code.helpers)[name] = src
            todo += _used_names(src)
        elif name in in_file:
            continue  # the file imports or assigns it already
        elif (line := _import_line(name, obj)) is not None:
            code.imports[name] = line
        elif (lit := _literal(obj)) is not None:
            code.helpers[name] = f"{name} = {lit}\n"
        else:
            code.warnings.append(UI["not_copied"].format(name=name, why=type(obj).__name__))


def assemble(base: str, code: NotebookCode) -> str:
    """The exercise file `base` with the notebook's definitions in place of its own, and the
    notebook's imports and helpers after the file's leading imports."""
    try:
        tree = ast.parse(base)
    except SyntaxError:
        tree, base = ast.parse(""), ""
    lines = base.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    # Where the prelude goes: after the docstring and the leading imports.
    insert_at = 0
    for i, node in enumerate(tree.body):
        docstring = i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if docstring or isinstance(node, (ast.Import, ast.ImportFrom)):
            insert_at = node.end_lineno or insert_at
        else:
            break
    replaced: set[str] = set()
    edits: list[tuple[int, int, str]] = []  # (start line index, end line index, text)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            targets = [node.name]
        elif isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
        else:
            continue
        hits = [t for t in targets if t in code.definitions]
        if not hits:
            continue
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        text = "".join(code.definitions[t] for t in hits if t not in replaced)
        replaced.update(hits)
        edits.append((start - 1, node.end_lineno or start, text))
    for start, end, text in sorted(edits, reverse=True):
        lines[start:end] = [text if text.endswith("\n") else text + "\n"]
    prelude = [line + "\n" for line in dict.fromkeys(code.imports.values())]
    prelude += [src if src.endswith("\n") else src + "\n" for src in code.helpers.values()]
    if prelude:
        prelude = ["\n# --- from the notebook ---\n", *prelude, "\n"]
        lines[insert_at:insert_at] = prelude  # edits all lie after the leading imports
    rest = [code.definitions[n] for n in code.definitions if n not in replaced]
    text = "".join(lines)
    for src in rest:
        text += ("\n\n" if text else "") + src
    return text if text.endswith("\n") else text + "\n"


# ----------------------------------------------------------------------- the report


@dataclass
class CheckReport:
    """What `check()` returns: rich display in Jupyter (`_repr_html_`), text elsewhere."""

    result: ExerciseResult
    lang: Lang
    source: T
    warnings: list[T] = field(default_factory=list)
    graded_file: str = ""

    @property
    def score(self) -> float:
        return self.result.score

    @property
    def max_score(self) -> float:
        return self.result.max_score

    @property
    def passed(self) -> bool:
        return self.result.passed

    def text(self) -> str:
        from grader.reports.text import render

        head = [self.source.render(self.lang)] + [w.render(self.lang) for w in self.warnings]
        return "\n".join(head) + "\n" + render(Report([self.result]), self.lang, False, color=False)

    def __repr__(self) -> str:
        return self.text()

    __str__ = __repr__

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.text())

    def _repr_html_(self) -> str:
        lang, r = self.lang, self.result
        colour = "#1a7f37" if r.passed else ("#9a6700" if r.score > 0 else "#cf222e")
        out = [
            '<div class="grade-report">',
            f'<p><b>{html.escape(r.id)}</b> {html.escape(r.title.render(lang))} — '
            f'<b style="color:{colour}">{r.score:g}/{r.max_score:g}</b></p>',
            f'<p style="color:#57606a;font-size:90%">{html.escape(self.source.render(lang))}</p>',
        ]
        for w in self.warnings:
            out.append(f'<p style="color:#9a6700">{html.escape(w.render(lang))}</p>')
        if r.message is not None:
            out.append(f'<pre style="color:#cf222e;white-space:pre-wrap">{html.escape(r.message.render(lang))}</pre>')
        out.append('<table><thead><tr><th></th>'
                   f'<th style="text-align:left">{html.escape(UI["check"].render(lang))}</th>'
                   f'<th>{html.escape(UI["points"].render(lang))}</th>'
                   f'<th style="text-align:left">{html.escape(UI["feedback"].render(lang))}</th></tr></thead><tbody>')
        for c in r.checks:
            mark, mark_colour = _MARK.get(c.status, ("?", "#cf222e"))
            message = full_message(c, lang) if c.status != "passed" else ""
            out.append(
                f'<tr><td style="color:{mark_colour};font-weight:bold">{mark}</td>'
                f'<td style="text-align:left"><code>{html.escape(c.name)}</code>'
                + (f'<br><small>{html.escape(said)}</small>' if (said := c.described(lang)) else "") + '</td>'
                f'<td>{c.points:g}/{c.counted_max:g}</td>'
                f'<td style="text-align:left"><pre style="white-space:pre-wrap;margin:0">{html.escape(message or "")}</pre></td></tr>')
        out.append("</tbody></table>")
        if r.passed:
            out.append(f'<p style="color:#1a7f37"><b>{html.escape(UI["all_passed"].render(lang))}</b></p>')
        else:
            out.append(f'<p style="color:#57606a">{html.escape(UI["hint"].format(id=r.id).render(lang))}</p>')
        out.append("</div>")
        return "\n".join(out)


# ------------------------------------------------------------------------ check()


def check(exercise: str, *, lang: str | None = None, submission: str | Path | None = None,
          namespace: dict[str, Any] | None = None, timeout: float | None = None,
          record: bool = True) -> CheckReport:
    """Grade an exercise from a notebook: `check("ex3")`.

    The notebook's own definitions of the exercise's names are graded (see the module
    docstring); without any, the exercise file in `submission` (default `exercises/`).
    `namespace` defaults to the notebook's globals (`__main__`)."""
    from grader.isolation.host import GraderFailure
    from grader.learner import GRADER_FAILED, grade_for_learner

    language = detect_lang(lang)
    ex = catalog.resolve(exercise)
    ns = namespace if namespace is not None else vars(sys.modules["__main__"])
    folder = Path(submission) if submission is not None else catalog.KIT_ROOT / "exercises"
    names = exercise_names(ex)
    file_path = folder / ex.filename
    base = file_path.read_text(encoding="utf-8") if file_path.is_file() else ""
    try:
        tree = ast.parse(base)
        base_names = set(_top_level_names(tree)) | {
            (alias.asname or alias.name).split(".")[0]
            for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
    except SyntaxError:
        base_names = set()
    code = collect(ex, ns, names, base_names)
    unreadable = [n for n in names if n in ns and n not in code.definitions and _defined_here(ns[n], ns)]
    if unreadable:  # never grade the file in place of what the learner defined here
        raise CannotGrade("\n".join([w.render(language) for w in code.warnings] +
                                     [UI["refuse"].format(names=", ".join(unreadable), path=str(file_path),
                                                          id=ex.id).render(language)]))
    tmp = Path(tempfile.mkdtemp(prefix="grade-notebook-"))
    try:
        if code.definitions:
            (tmp / ex.filename).write_text(assemble(base, code), encoding="utf-8")
            graded = tmp
            source = UI["from_notebook"].format(names=", ".join(code.definitions))
        else:
            graded = folder
            source = UI["from_file"].format(path=str(file_path), names=", ".join(names) or "-")
        try:  # recorded as the learner's progress, saying whether the notebook or the file was graded
            result = grade_for_learner([ex], graded, timeout=timeout, record=record and submission is None,
                                       source="notebook" if code.definitions else "file")[0]
        except GraderFailure as exc:
            raise RuntimeError(f"{GRADER_FAILED.render(language)}\n{exc}") from None
        graded_file = (tmp / ex.filename).read_text(encoding="utf-8") if code.definitions else ""
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report = CheckReport(result, language, source, code.warnings, graded_file)
    if not _shows_results():  # a script: nothing would display the returned report
        print(report.text())
    return report


class CannotGrade(RuntimeError):
    """The session defines the exercise's names, but their source cannot be read (a plain
    Python prompt keeps none): grading the file instead would grade something else."""


def _defined_here(obj: Any, ns: dict[str, Any]) -> bool:
    return (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == ns.get("__name__", "__main__")


def _shows_results() -> bool:
    """Whether the caller's session displays a returned value (a prompt, IPython, Jupyter)."""
    return hasattr(sys, "ps1") or bool(sys.flags.interactive) or "IPython" in sys.modules
