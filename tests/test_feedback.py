"""The check vocabulary and the outcome classifier (what a learner reads)."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from checks.compare import as_numpy, expect_close, expect_shape, tolerance_for
from checks.feedback import (
    CheckFailure,
    Failure,
    Mismatch,
    T,
    expect,
    expect_equal,
    expect_raises,
    readable,
    show,
)
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


def test_numbers_read_as_numbers() -> None:
    assert readable("eta_min=np.float64(0.010000000000000002), ok=np.True_, n=np.int64(3)") == "eta_min=0.01, ok=True, n=3"
    assert show([np.float64(0.02), np.float32(1.5)]) == "[0.02, 1.5]"
    assert readable("lr=0.1, shape=(3, 4)") == "lr=0.1, shape=(3, 4)"  # nothing else changes


def test_japanese_particles_follow_without_a_stray_space() -> None:
    with pytest.raises(Mismatch) as info:
        expect_shape(np.zeros(3), (4,), what=T(ja="batch", en="batch"))
    assert "batch の形が期待と異なります" in info.value.rationale.ja
    with pytest.raises(Mismatch) as info:
        expect_equal(1, 2, what=T(ja="best_loss", en="best_loss"))
    assert info.value.rationale.ja == "best_loss が期待と異なります"


def test_close_values_are_rounded_but_still_differ_and_expected_is_said_once() -> None:
    with pytest.raises(Mismatch) as info:
        expect_close(np.array([-0.0]), np.array([0.28777172645142457]), what=T(ja="損失", en="the loss"))
    ja, en = info.value.rationale.ja, info.value.rationale.en
    assert ja == "損失が 1/1 個の要素で違います（例えば [0]: 正しくは 0.287772、実際は -0.0）"
    assert en == "the loss: 1 of 1 elements differ (e.g. [0]: expected 0.287772, got -0.0)"
    assert ja.count("期待") == 0
    with pytest.raises(Mismatch) as info:
        expect_close(np.array([1.0000001]), np.array([1.0]), what=T.same("x"), rtol=0, atol=0)
    assert "expected 1.0, got 1.0000001" in info.value.rationale.en  # as many digits as tell them apart


def test_a_wrapped_counter_example_keeps_its_inner_commas() -> None:
    exc = AssertionError()
    exc.add_note("Falsifying example: test_x(\n    problem=Problem(a=1,\n     b=np.float64(0.5)),\n    seed=0,\n)")
    out = classify(exc)
    assert out["counterexample"] == "problem=Problem(a=1,\n b=0.5)\nseed=0"
