"""The check vocabulary and the outcome classifier (what a learner reads)."""

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

from checks.compare import as_numpy, expect_close, tolerance_for
from checks.feedback import CheckFailure, Failure, Mismatch, T, expect, expect_equal, expect_raises
from grader.plugin.outcome import classify


class AlwaysEqual:
    def __eq__(self, other: object) -> bool:
        return True

    def __bool__(self) -> bool:
        return True


def test_mismatch_carries_expected_and_actual() -> None:
    exc = Mismatch(3, 4, T(ja="ヒント", en="hint"), what=T(ja="長さ", en="the length"))
    out = classify(exc)
    assert out["status"] == "failed"
    assert out["expected"] == "3" and out["actual"] == "4"
    assert "the length" in out["message"]["en"] and "長さ" in out["message"]["ja"]
    assert out["help"] == {"ja": "ヒント", "en": "hint"}


def test_messages_must_be_bilingual() -> None:
    with pytest.raises(TypeError):
        Failure("only english")  # type: ignore[arg-type]


def test_always_equal_objects_do_not_pass() -> None:
    with pytest.raises(CheckFailure):
        expect_equal(AlwaysEqual(), 3, what=T.same("x"))
    with pytest.raises(Failure):
        expect(AlwaysEqual(), T.same("x"))
    with pytest.raises(Failure):
        as_numpy(AlwaysEqual(), T.same("x"))
    with pytest.raises(CheckFailure):
        expect_equal(True, 1, what=T.same("a count"))


def test_tensor_subclasses_are_not_believed() -> None:
    class Liar(torch.Tensor):
        pass

    fake = torch.zeros(3).as_subclass(Liar)
    with pytest.raises(Failure):
        expect_close(fake, torch.ones(3), what=T.same("x"))


def test_tolerance_follows_the_less_precise_dtype() -> None:
    assert tolerance_for(torch.float64) < tolerance_for(torch.float32) < tolerance_for(torch.float16)
    assert tolerance_for(np.float64, torch.float32) == tolerance_for(torch.float32)
    expect_close(torch.tensor([1.0 + 1e-6]), np.array([1.0]), what=T.same("x"))
    with pytest.raises(Mismatch):
        expect_close(torch.tensor([1.0 + 1e-6], dtype=torch.float64), np.array([1.0]), what=T.same("x"))


def test_close_names_the_worst_element_and_shape() -> None:
    with pytest.raises(Mismatch) as info:
        expect_close(np.array([1.0, 2.0, 9.0]), np.array([1.0, 2.0, 3.0]), what=T(ja="出力", en="the output"))
    assert "[2]" in info.value.rationale.en
    with pytest.raises(Mismatch) as info:
        expect_close(np.zeros((2, 3)), np.zeros((3, 2)), what=T.same("x"))
    assert "shape" in info.value.rationale.en
    expect_close(np.array([np.nan, np.inf]), np.array([np.nan, np.inf]), what=T.same("x"))
    with pytest.raises(Mismatch):
        expect_close(np.array([np.nan]), np.array([0.0]), what=T.same("x"))


def test_expect_raises() -> None:
    def bad(x: int) -> None:
        raise ValueError("no")

    assert isinstance(expect_raises(ValueError, bad, 1, what=T.same("x")), ValueError)
    with pytest.raises(Failure):
        expect_raises(ValueError, lambda: None, what=T.same("x"))
    with pytest.raises(Failure):
        expect_raises(ValueError, lambda: {}["k"], what=T.same("x"))


def test_not_implemented_reads_as_not_implemented() -> None:
    out = classify(NotImplementedError())
    assert "not implemented yet" in out["message"]["en"]
    assert "まだ実装されていません" in out["message"]["ja"]


def test_hypothesis_counterexample_is_attached() -> None:
    @given(st.integers(min_value=0, max_value=1000))
    def prop(n: int) -> None:
        if n >= 10:
            raise Mismatch(0, n, what=T.same("n"))

    with pytest.raises(Mismatch) as info:
        prop()
    out = classify(info.value)
    assert out["counterexample"] is not None and "n=10" in out["counterexample"]


def test_parameters_that_differ_from_the_task_are_named_not_blamed_on_the_value(tmp_path, monkeypatch) -> None:
    """A TypeError raised by calling the learner's code with the task's parameters (a
    textbook answer without `mean=`) says so; it is not "the check could not use the value"."""
    import importlib.util
    import sys

    (tmp_path / "ex03_normalized_dataset.py").write_text(
        "class NormalizedDataset:\n    def __init__(self, data, labels):\n        self.data = data\n", encoding="utf-8")
    monkeypatch.setenv("GRADE_SUBMISSION", str(tmp_path))
    spec = importlib.util.spec_from_file_location("ex03_normalized_dataset", tmp_path / "ex03_normalized_dataset.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setitem(sys.modules, "ex03_normalized_dataset", module)
    try:
        module.NormalizedDataset([[1.0]], [0], mean=None)
    except TypeError as exc:
        out = classify(exc)
    assert out["cause"] == "signature" and out["counterexample"] is None
    assert "NormalizedDataset.__init__" in out["message"]["en"] and "parameters" in out["message"]["en"]
    assert "could not use" not in out["message"]["en"]
    try:
        len(3)  # a TypeError of the check's own making is not the learner's signature
    except TypeError as exc:
        assert "cause" not in classify(exc) or classify(exc)["cause"] == ""


def test_an_always_equal_object_inside_a_tuple_does_not_pass() -> None:
    with pytest.raises(CheckFailure):
        expect_equal((3, AlwaysEqual()), (3, 0.5), what=T.same("x"))
    with pytest.raises(CheckFailure):
        expect_equal([True], [1], what=T.same("x"))  # a bool is not a count, at any depth
    with pytest.raises(CheckFailure):
        expect_equal({"a": AlwaysEqual()}, {"a": 1}, what=T.same("x"))
    expect_equal((3, 0.5, ["a", {"k": False}]), (3, 0.5, ["a", {"k": False}]), what=T.same("x"))
