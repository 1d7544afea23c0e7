"""Checks for exercise 5: EarlyStoppingWithCheckpoint.

The rule is simulated here (`_simulate`) and the learner's object is driven with the same
validation-loss histories, drawn by hypothesis (ties, plateaus and NaN included).

Decisions where the contract is silent (as the usual tools do, and leniently):
- After `early_stop` has been set, only that it stays True (attribute and return value)
  is graded; what `counter` / `best_loss` do on later calls is not (a solution may keep
  applying the rule, or ignore calls once stopped).
- +/-inf losses are not drawn: a solution that treats every non-finite value like NaN is
  not penalised.
- With a min_delta, losses are multiples of 1/8 and min_delta one of 0, 1/8, 1/4, 1/2, 1, so
  `v < best - d`, `best - v > d` and `v + d < best` give the same answer (exact arithmetic).
- `load_best_model` may read the file or an in-memory copy of the best weights: only the
  weights it puts into the model (and the identity of what it returns) are graded. The text
  of the FileNotFoundError is not graded (torch.load's own error is clear enough).
- "Prints nothing" is checked on stdout and stderr (print, sys.std*.write, logging, fds 1
  and 2); Python warnings are filtered out first (a library's notice is not the learner's print).
- Where the file is written before the first improvement (or whether a leftover one is
  there) is not graded; the file's content after every call up to the stop is.
- `early_stop` and what `__call__` returns are exactly `True` / `False` (`type(x) is bool`,
  as the contract's `bool`): not 1 / 0, np.bool_ or a tensor. `counter` is exactly an int.
- "Prints nothing" (verbose=False) and "verbose=True works" are graded on a whole run whose
  return values and restored weights are right: an object that does nothing also prints
  nothing, and earns neither point.
"""

from __future__ import annotations

import math
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from checks import strategies as draw
from checks.compare import as_numpy, expect_equal_arrays
from checks.devices import on_every_device
from checks.feedback import Failure, Mismatch, T, expect, expect_equal, expect_raises, particle
from checks.submission import student
from checks.warmup import warm_up_torch
from grader.plugin.determinism import seed_torch

ex = student("ex05_early_stopping_checkpoint")


warm_up_torch()

# -- ideas to revisit (shown with failures) ----------------------------------------------
RULE = T(
    ja="改善の判定は `best_loss is None or val_loss < best_loss - min_delta`（厳密な <）です。"
       "NaN は改善でもベストでもありません",
    en="an epoch improves iff `best_loss is None or val_loss < best_loss - min_delta` (strict <); "
       "NaN is never an improvement nor the best",
)
COUNTER = T(
    ja="改善したら counter = 0、改善しなければ counter += 1 です",
    en="on improvement counter = 0; otherwise counter += 1",
)
STOP = T(
    ja="counter >= patience になったら early_stop = True にし、それを返します。一度 True になったら戻しません",
    en="set early_stop = True when counter >= patience and return it; once True it stays True",
)
STATE_DICT = T(
    ja="改善したその時点で torch.save(model.state_dict(), checkpoint_path) を呼びます"
       "（モデル本体ではなく state_dict を、改善したエポックにだけ保存）",
    en="call torch.save(model.state_dict(), checkpoint_path) at the moment of improvement "
       "(the state_dict, not the model object; only on improving epochs)",
)
FLOAT = T(
    ja="0 次元テンソルは float(val_loss) や val_loss.item() で Python の float にします",
    en="turn a 0-d tensor into a Python float with float(val_loss) or val_loss.item()",
)


# -- the rule, simulated ----------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    improved: bool
    best: float | None
    counter: int
    stop: bool


def _simulate(losses: list[float], patience: int, min_delta: float = 0.0) -> list[Step]:
    best: float | None = None
    counter, stop, steps = 0, False, []
    for v in losses:
        improved = not math.isnan(v) and (best is None or v < best - min_delta)
        if improved:
            best, counter = v, 0
        else:
            counter += 1
            stop = stop or counter >= patience
        steps.append(Step(improved, best, counter, stop))
    return steps


def _first_stop(steps: list[Step]) -> int:
    """Index of the call that first sets early_stop (len(steps) when none does)."""
    return next((i for i, s in enumerate(steps) if s.stop), len(steps))


_np_floating = np.floating  # captured before student code runs


def _plain_number(value: Any) -> float | None:
    """`value` as a plain float when it is a real number (a Python float or int, or a numpy
    float such as np.float64, which subclasses float); None for anything else (a tensor, a
    bool, a float subclass with its own __eq__). Converted through `as_numpy`, so the
    comparison that follows is Python's, not the submission's."""
    if type(value) in (float, int) or isinstance(value, _np_floating):
        return float(as_numpy(value, T(ja="best_loss", en="best_loss")).reshape(()))
    return None


def _same_best(actual: Any, expected: float | None) -> bool:
    """best_loss is None when no epoch has improved, otherwise exactly the expected float."""
    if expected is None:
        return actual is None
    number = _plain_number(actual)
    return number is not None and number == expected


# -- models and files -------------------------------------------------------------------
def _model(seed: int = 0) -> nn.Module:
    # BatchNorm: the state_dict holds buffers too (running stats, an int64 counter).
    seed_torch(seed)
    return nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 2))


def _snapshot(model: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}


def _shift(model: nn.Module, amount: float) -> None:
    """Change every parameter and buffer in place (what an optimizer step would do)."""
    with torch.no_grad():
        for v in model.state_dict().values():
            v.add_(amount if v.is_floating_point() else 1)


def _make(path: str | os.PathLike, patience: int = 3, min_delta: float = 0.0, verbose: bool = False) -> Any:
    return ex.EarlyStoppingWithCheckpoint(patience=patience, checkpoint_path=path, verbose=verbose,
                                          min_delta=min_delta)


def _read_checkpoint(path: str | os.PathLike, when: T) -> Mapping:
    if not os.path.isfile(path):
        raise Failure(
            T(ja=f"{when.ja}: {path} にチェックポイントのファイルがありません",
              en=f"{when.en}: there is no checkpoint file at {path}"),
            STATE_DICT,
        )
    try:
        obj = torch.load(path, weights_only=True)
    except Exception as exc:  # noqa: BLE001 — any failure to load is the learner's to fix
        raise Failure(
            T(ja=f"{when.ja}: チェックポイントを torch.load(path, weights_only=True) で読み込めません"
                 f"（{type(exc).__name__}: {str(exc)[:200]}）",
              en=f"{when.en}: the checkpoint does not load with torch.load(path, weights_only=True) "
                 f"({type(exc).__name__}: {str(exc)[:200]})"),
            T(ja="torch.save(model) はモデルのオブジェクトごと pickle します。"
                 "保存するのは model.state_dict()（テンソルの辞書）です",
              en="torch.save(model) pickles the whole object; save model.state_dict() (a dict of tensors)"),
        ) from None
    if not isinstance(obj, Mapping):
        raise Failure(
            T(ja=f"{when.ja}: ファイルの中身は state_dict（辞書）であるべきですが {type(obj).__name__} でした",
              en=f"{when.en}: the file should hold a state_dict (a dict), but it holds a {type(obj).__name__}"),
            STATE_DICT,
        )
    return obj


def _expect_same_state(actual: Mapping, expected: dict[str, torch.Tensor], what: T, help: T,
                       counterexample: Any = None) -> None:
    got, want = sorted(map(str, actual.keys())), sorted(expected)
    if got != want:
        raise Mismatch(want, got, help, what=T(ja=f"{what.ja} のキー", en=f"the keys of {what.en}"),
                       counterexample=counterexample)
    for key, value in expected.items():
        expect_equal_arrays(actual[key], value, what=T(ja=f"{particle(what.ja)}の {key}", en=f"{key} in {what.en}"),
                            help=help, counterexample=counterexample)


def _history(losses: list[float], i: int) -> str:
    return f"val_loss = {losses[: i + 1]!r}"


def _expect_each(got: list, expected: list, what: T, help: T) -> None:
    """expect_equal for a list of values the learner's code returned, one by one: each has the
    expected exact type (True, not 1 nor np.True_ nor an object that equals anything), and the
    lists are shown whole. (A list's == would ask each of the learner's objects.)"""
    same_length = len(got) == len(expected)
    same_types = same_length and all(type(g) is type(e) for g, e in zip(got, expected))
    if same_length and not same_types:
        kind = " / ".join(sorted({type(e).__name__ for e in expected}))
        help = T(ja=f"値は Python の {kind} そのものにします（テンソル、numpy の値、0 / 1 ではなく）。{help.ja}",
                 en=f"each value is a plain Python {kind} (not a tensor, a numpy value nor 0 / 1); {help.en}")
    if not (same_types and got == expected):
        raise Mismatch(expected, got, help, what=what)


# -- driving the learner's object --------------------------------------------------------
@dataclass(frozen=True)
class Call:
    """One call made by `_drive`: its index, what it returned, and (when training goes on)
    the model's weights as they were just before it."""
    index: int
    returned: Any
    before: dict[str, torch.Tensor] | None


def _drive(es: Any, losses: list, model: nn.Module, shift: float = 0.0) -> Iterator[Call]:
    """Call `es(loss, model)` for each loss in turn, yielding after each call: read `es`'s
    attributes then, before the next one. With `shift`, training goes on between calls: the
    weights are kept before each call and moved by shift · (index + 1) after it.

        returned = [call.returned for call in _drive(es, [1.0, 2.0], model)]
        best = list(_drive(es, losses, model, shift=0.25))[1].before   # the weights of epoch 2
    """
    for i, loss in enumerate(losses):
        before = _snapshot(model) if shift else None
        returned = es(loss, model)
        if shift:
            _shift(model, shift * (i + 1))
        yield Call(i, returned, before)


def _same_best_value(actual: Any, expected: float | None) -> bool:
    """Like `_same_best`, but a 0-d tensor or array holding the value is accepted too (for
    checks of the rule, not of best_loss's type)."""
    if expected is None:
        return actual is None
    return actual is not None and bool(as_numpy(actual, T(ja="best_loss", en="best_loss")) == expected)


_GRADED = {  # what `_expect_rule` can grade after a call: how it is named, and its simulated value
    "best_loss": (T(ja=" best_loss", en="best_loss"), lambda step: step.best),  # ja: a space only before a Latin name
    "counter": (T(ja=" counter", en="counter"), lambda step: step.counter),
    "early_stop": (T(ja=" early_stop", en="early_stop"), lambda step: step.stop),
    "returned": (T(ja="戻り値", en="the return value"), lambda step: step.stop),
}


def _after_call(shown: T, index: int, context: list[str], note: T | None) -> T:
    """"counter after call 3 (val_loss = [...], patience=2, <note>)", in ja and en."""
    ja, en = "、".join(context + ([note.ja] if note else [])), ", ".join(context + ([note.en] if note else []))
    return T(ja=f"{index + 1} 回目の呼び出し後の{shown.ja}（{ja}）", en=f"{shown.en} after call {index + 1} ({en})")


def _expect_rule(losses: list[float], patience: int, graded: dict[str, T], *, min_delta: float | None = None,
                 fed: list | None = None, note: T | None = None, after_stop: bool = False,
                 same_best: Callable[[Any, float | None], bool] = _same_best) -> None:
    """Drive a new object (`patience`, `min_delta`) with `losses` (or `fed`: the same values as
    the learner receives them, e.g. tensors) and, after every call until the stop (every call
    with `after_stop`), compare each of `graded` with the simulated rule, failing with its help:
    "best_loss" (by `same_best`), "counter", "early_stop" (attributes) or "returned". `note` is
    added to where a failure happened.

        _expect_rule([1.0, 1.0, 0.5], patience=10, graded={"counter": T(ja="< を使います", en="use <")})
    """
    steps = _simulate(losses, patience, min_delta or 0.0)
    calls = len(steps) if after_stop else _first_stop(steps) + 1
    settings = [f"patience={patience}"] + ([f"min_delta={min_delta}"] if min_delta is not None else [])
    with tempfile.TemporaryDirectory() as tmp:
        es = _make(Path(tmp) / "best.pth", patience=patience, min_delta=min_delta or 0.0)
        for call, step in zip(_drive(es, (losses if fed is None else fed)[:calls], _model()), steps):
            for name, help in graded.items():
                shown, expected_of = _GRADED[name]
                what = _after_call(shown, call.index, [_history(losses, call.index), *settings], note)
                actual, expected = (call.returned if name == "returned" else getattr(es, name)), expected_of(step)
                if name != "best_loss":
                    expect_equal(actual, expected, what=what, help=help)
                elif not same_best(actual, expected):
                    raise Mismatch(expected, actual, help, what=what)


# -- construction -----------------------------------------------------------------------
@pytest.mark.points(1)
def test_initial_state() -> None:
    """Right after construction: best_loss is None, counter is 0, early_stop is False."""
    with tempfile.TemporaryDirectory() as tmp:
        es = _make(Path(tmp) / "best.pth")
        expect(es.best_loss is None,
               T(ja=f"作った直後の best_loss は None のはずですが {es.best_loss!r} でした",
                 en=f"best_loss should be None right after construction, got {es.best_loss!r}"),
               T(ja="まだ 1 エポックも見ていないので、ベストはありません", en="no epoch seen yet, so there is no best"))
        expect_equal(es.counter, 0, what=T(ja="作った直後の counter", en="counter right after construction"))
        expect_equal(es.early_stop, False, what=T(ja="作った直後の early_stop", en="early_stop right after construction"))


@pytest.mark.points(1)
def test_invalid_arguments_raise_value_error() -> None:
    """patience < 1 and min_delta < 0 are rejected with ValueError."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "best.pth"
        help = T(ja="__init__ の最初で引数を確かめ、不正なら raise ValueError(...) します",
                 en="check the arguments first thing in __init__ and raise ValueError(...) when invalid")
        for patience in (0, -2):
            expect_raises(ValueError, ex.EarlyStoppingWithCheckpoint, patience=patience, checkpoint_path=path,
                          verbose=False, what=T(ja=f"patience={patience}", en=f"patience={patience}"), help=help)
        expect_raises(ValueError, ex.EarlyStoppingWithCheckpoint, patience=3, checkpoint_path=path,
                      verbose=False, min_delta=-0.125, what=T(ja="min_delta=-0.125", en="min_delta=-0.125"), help=help)


@pytest.mark.points(1)
def test_smallest_valid_arguments_work() -> None:
    """patience=1 and min_delta=0 are valid: one epoch without improvement stops training."""
    with tempfile.TemporaryDirectory() as tmp:
        es = _make(Path(tmp) / "best.pth", patience=1, min_delta=0.0)
        model = _model()
        got = [es(v, model) for v in (1.0, 2.0)]
        _expect_each(got, [False, True],
                     what=T(ja="patience=1、val_loss = [1.0, 2.0] での戻り値", en="the return values for patience=1, val_loss = [1.0, 2.0]"),
                     help=T(ja="patience は 1 以上なら有効で、min_delta=0 も有効です。" + STOP.ja,
                            en="patience >= 1 and min_delta = 0 are valid; " + STOP.en))


@pytest.mark.points(1)
def test_default_patience_and_min_delta() -> None:
    """The defaults are patience=5 and min_delta=0.0."""
    with tempfile.TemporaryDirectory() as tmp:
        es = ex.EarlyStoppingWithCheckpoint(checkpoint_path=Path(tmp) / "best.pth", verbose=False)
        model = _model()
        losses = [1.0, 0.875, 2.0, 2.0, 2.0, 2.0, 2.0]
        got = [es(v, model) for v in losses]
        _expect_each(got, [False] * 6 + [True],
                     what=T(ja=f"既定の引数で val_loss = {losses} を与えたときの戻り値",
                            en=f"the return values with default arguments for val_loss = {losses}"),
                     help=T(ja="既定値は patience=5、min_delta=0.0 です（0.875 < 1.0 は改善）",
                            en="the defaults are patience=5 and min_delta=0.0 (0.875 < 1.0 is an improvement)"))


@pytest.mark.points(1)
def test_default_checkpoint_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the default checkpoint_path the best model goes to best_model.pth in the current folder."""
    with tempfile.TemporaryDirectory() as tmp:
        monkeypatch.chdir(tmp)
        model = _model()
        es = ex.EarlyStoppingWithCheckpoint(verbose=False)
        es(1.0, model)
        _expect_same_state(_read_checkpoint(os.path.join(tmp, "best_model.pth"),
                                            T(ja="既定の checkpoint_path で 1 回呼んだ後", en="after one call with the default checkpoint_path")),
                           _snapshot(model), T(ja="best_model.pth", en="best_model.pth"),
                           T(ja="既定値は \"best_model.pth\"（カレントフォルダ）です。"
                                "os.path.dirname(\"best_model.pth\") は \"\" で、os.makedirs(\"\") はエラーになります",
                             en="the default is \"best_model.pth\" (current folder); note that "
                                "os.path.dirname(\"best_model.pth\") is \"\" and os.makedirs(\"\") raises"))


# -- the rule ---------------------------------------------------------------------------
@pytest.mark.points(2)
@given(losses=draw.loss_sequences(), patience=st.integers(1, 4))
def test_best_loss_follows_the_rule(losses: list[float], patience: int) -> None:
    """After every call (until the stop), best_loss is the best loss by the strict rule; NaN never becomes best."""
    _expect_rule(losses, patience, graded={"best_loss": RULE})


@pytest.mark.points(2)
@given(losses=draw.loss_sequences(), patience=st.integers(1, 4))
def test_counter_follows_the_rule(losses: list[float], patience: int) -> None:
    """After every call (until the stop), counter is the number of epochs since the last improvement."""
    _expect_rule(losses, patience, graded={"counter": T(ja=COUNTER.ja + "。" + RULE.ja, en=COUNTER.en + "; " + RULE.en)})


@pytest.mark.points(2)
@given(losses=draw.loss_sequences(), patience=st.integers(1, 4))
@example(losses=[1.0, 2.0, 0.5, 2.0], patience=2)  # whatever is drawn: an improvement resets the count
def test_early_stop_when_patience_runs_out(losses: list[float], patience: int) -> None:
    """Each call returns early_stop (also the attribute): True from the patience-th epoch without improvement on."""
    _expect_rule(losses, patience, graded={"returned": STOP, "early_stop": STOP}, after_stop=True)


@pytest.mark.points(1)
def test_early_stop_stays_true() -> None:
    """Once early_stop is True it stays True, even if a later epoch improves."""
    with tempfile.TemporaryDirectory() as tmp:
        es, model = _make(Path(tmp) / "best.pth", patience=2), _model()
        losses = [1.0, 2.0, 2.0, 0.5, 0.25, 3.0]
        got = [es(v, model) for v in losses]
        _expect_each(got, [False, False, True, True, True, True],
                     what=T(ja=f"patience=2、val_loss = {losses} での戻り値", en=f"the return values for patience=2, val_loss = {losses}"),
                     help=T(ja="改善したときに early_stop を False に戻したり、counter >= patience から毎回計算し直したりしないこと",
                            en="do not reset early_stop on improvement nor recompute it from counter >= patience each call"))
        expect_equal(es.early_stop, True, what=T(ja="最後の呼び出し後の early_stop", en="early_stop after the last call"), help=STOP)


@pytest.mark.points(1)
def test_ties_are_not_improvements() -> None:
    """A loss equal to the best is not an improvement (strict <)."""
    _expect_rule([1.0, 1.0, 0.5, 0.5], patience=10,
                 graded={"counter": T(ja="同じ値は改善ではありません: < を使い、<= は使いません",
                                      en="an equal value is not an improvement: use <, not <=")})


@pytest.mark.points(1)
def test_nan_never_improves() -> None:
    """A NaN loss is never an improvement and never becomes best_loss, even as the first loss."""
    help = T(ja="NaN との比較は常に False です。`best_loss is None` のときも NaN はベストにせず、"
                "math.isnan などで先に除外します",
             en="any comparison with NaN is False; even when best_loss is None, a NaN must not become "
                "the best — rule it out first (math.isnan)")
    _expect_rule([float("nan"), 2.0, float("nan"), 1.0], patience=10, graded={"best_loss": help, "counter": help})


@pytest.mark.points(2)
@given(losses=draw.exact_loss_sequences(), patience=st.integers(1, 4), min_delta=draw.exact_min_deltas())
def test_min_delta_threshold(losses: list[float], patience: int, min_delta: float) -> None:
    """An improvement must beat the best by more than min_delta; best_loss, counter and early_stop follow."""
    help = T(ja="改善は val_loss < best_loss - min_delta のときだけです（min_delta を超えて下がったとき）。"
                "改善したら best_loss は val_loss そのものにします",
             en="an improvement needs val_loss < best_loss - min_delta (a drop of more than min_delta); "
                "then best_loss becomes val_loss itself")
    _expect_rule(losses, patience, graded={"best_loss": help, "counter": help, "returned": help}, min_delta=min_delta)


@pytest.mark.points(2)
@given(losses=draw.exact_loss_sequences(), patience=st.integers(1, 4),
       dtype=st.sampled_from([torch.float32, torch.float64]))
def test_tensor_losses_follow_the_rule(losses: list[float], patience: int, dtype: torch.dtype) -> None:
    """0-d tensor losses (as criterion(...) returns them) follow the same rule as floats."""
    _expect_rule(losses, patience, graded={"best_loss": RULE, "counter": RULE, "returned": STOP},
                 fed=[torch.tensor(v, dtype=dtype) for v in losses], same_best=_same_best_value,
                 note=T(ja=f"0 次元テンソル、dtype={dtype}", en=f"as 0-d tensors, dtype={dtype}"))


@pytest.mark.points(1)
def test_best_loss_is_a_python_float() -> None:
    """best_loss is stored as a Python float, also when the loss was a 0-d tensor."""
    with tempfile.TemporaryDirectory() as tmp:
        es, model = _make(Path(tmp) / "best.pth"), _model()
        es(torch.tensor(0.5), model)
        best = es.best_loss
        expect(isinstance(best, float) and not isinstance(best, torch.Tensor),
               T(ja=f"テンソル torch.tensor(0.5) を与えた後の best_loss は float のはずですが {type(best).__name__} ({best!r}) でした",
                 en=f"after the tensor torch.tensor(0.5), best_loss should be a float, got {type(best).__name__} ({best!r})"),
               T(ja=FLOAT.ja + "。テンソルのまま持つと計算グラフや GPU メモリを抱え込みます",
                 en=FLOAT.en + "; keeping the tensor holds on to its graph and device memory"))
        expect(_same_best(best, 0.5),
               T(ja=f"best_loss は 0.5 のはずですが {best!r} でした", en=f"best_loss should be 0.5, got {best!r}"), FLOAT)


@pytest.mark.points(1)
@settings(max_examples=10)
@given(losses=st.lists(st.floats(1e-3, 1e3, allow_nan=False, allow_infinity=False), min_size=1, max_size=6),
       as_tensor=st.booleans())
def test_best_loss_is_the_loss_itself(losses: list[float], as_tensor: bool) -> None:
    """best_loss is the improving val_loss itself, to the last digit (not rounded): for a
    float32 0-d tensor, the float it holds (float(t), t.item())."""
    given = [torch.tensor(v, dtype=torch.float32) if as_tensor else v for v in losses]
    values = [float(v) for v in given]  # what float(val_loss) gives, computed before student code runs
    _expect_rule(values, patience=len(values) + 1, fed=given,
                 note=T(ja="float32 の 0 次元テンソル", en="as float32 0-d tensors") if as_tensor else None,
                 graded={"best_loss": T(ja="改善したら best_loss = float(val_loss) をそのまま保存します（round などで丸めない。"
                                           "表示を短くしたいときは print の書式 {:.4f} で）",
                                        en="on improvement store best_loss = float(val_loss) as it is (no round(); to shorten "
                                           "what is shown, format it when printing, e.g. {:.4f})")})


# -- the checkpoint file ----------------------------------------------------------------
@pytest.mark.points(1)
def test_checkpoint_is_a_state_dict() -> None:
    """The file loads with torch.load(path, weights_only=True) and is the model's state_dict (buffers included)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "best.pth"
        es, model = _make(path), _model()
        es(1.0, model)
        state = _read_checkpoint(path, T(ja="最初の呼び出し（val_loss = 1.0）の後", en="after the first call (val_loss = 1.0)"))
        _expect_same_state(state, _snapshot(model), T(ja="保存された state_dict", en="the saved state_dict"),
                           T(ja="model.state_dict() にはパラメータだけでなくバッファ（BatchNorm の running_mean など）も入ります。"
                                "named_parameters() ではなく state_dict() を保存します",
                             en="model.state_dict() holds buffers (BatchNorm's running_mean, ...) as well as parameters: "
                                "save state_dict(), not named_parameters()"))


@pytest.mark.points(3)
@settings(max_examples=20)
@given(losses=draw.loss_sequences(max_size=10), patience=st.integers(1, 4))
@example(losses=[float("nan"), 1.0], patience=4)  # whatever is drawn: a NaN first is not the best
def test_checkpoint_holds_the_best_epoch(losses: list[float], patience: int) -> None:
    """After every call, the file holds the weights as they were at the last improving epoch
    (the model is changed after each call, as training would)."""
    steps = _simulate(losses, patience)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "best.pth"
        es, best = _make(path, patience=patience), None
        # training goes on after each call: the saved file must not follow
        for call, step in zip(_drive(es, losses[: _first_stop(steps) + 1], _model(), shift=0.25), steps):
            best = call.before if step.improved else best
            if best is None:
                continue
            i = call.index
            when = T(ja=f"{i + 1} 回目の呼び出し後（{_history(losses, i)}）", en=f"after call {i + 1} ({_history(losses, i)})")
            _expect_same_state(
                _read_checkpoint(path, when), best,
                T(ja=f"{when.ja}のチェックポイント", en=f"the checkpoint {when.en}"),
                T(ja=STATE_DICT.ja + "。ファイルには最後に改善したエポックの重みが残っているはずです",
                  en=STATE_DICT.en + "; the file must hold the weights of the last improving epoch"))


@pytest.mark.points(1)
@pytest.mark.parametrize("kind", ["str", "Path"])
def test_missing_folders_are_created(kind: str) -> None:
    """A checkpoint_path (str or os.PathLike) whose parent folders do not exist yet works: they are created."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "runs" / "exp1" / "best.pth"
        es, model = _make(str(path) if kind == "str" else path), _model()
        try:
            es(1.0, model)
        except (FileNotFoundError, RuntimeError) as exc:
            raise Failure(
                T(ja=f"まだ無いフォルダの中の checkpoint_path（{kind}）に保存できませんでした: {type(exc).__name__}: {str(exc)[:200]}",
                  en=f"saving to a checkpoint_path ({kind}) inside folders that do not exist yet failed: {type(exc).__name__}: {str(exc)[:200]}"),
                T(ja="保存の前に os.makedirs(親フォルダ, exist_ok=True) または Path(p).parent.mkdir(parents=True, exist_ok=True) を呼びます",
                  en="before saving, call os.makedirs(parent, exist_ok=True) or Path(p).parent.mkdir(parents=True, exist_ok=True)"),
            ) from None
        _expect_same_state(_read_checkpoint(path, T(ja="最初の呼び出しの後", en="after the first call")),
                           _snapshot(model), T(ja="保存された state_dict", en="the saved state_dict"), STATE_DICT)


# -- load_best_model --------------------------------------------------------------------
@pytest.mark.points(2)
@on_every_device
def test_load_best_model_restores_the_best_weights(device: torch.device) -> None:
    """load_best_model puts the best epoch's weights into a fresh model on its own device."""
    with tempfile.TemporaryDirectory() as tmp:
        es, model = _make(Path(tmp) / "best.pth", patience=5), _model().to(device)
        losses = [2.0, 1.0, 1.5, 3.0]
        calls = list(_drive(es, losses, model, shift=0.5))
        fresh = _model(seed=1).to(device)
        es.load_best_model(fresh)
        _expect_same_state(_snapshot(fresh), calls[1].before,
                           T(ja=f"load_best_model 後の新しいモデル（{device.type}、val_loss = {losses}、ベストは 2 エポック目）",
                             en=f"the fresh model after load_best_model ({device.type}, val_loss = {losses}, best at epoch 2)"),
                           T(ja="model.load_state_dict(torch.load(path, map_location=...)) で、渡された model に読み込みます",
                             en="load into the model you were given: model.load_state_dict(torch.load(path, map_location=...))"))
        devices = {str(t.device) for t in fresh.state_dict().values()}
        expect(all(t.device.type == device.type for t in fresh.state_dict().values()),
               T(ja=f"読み込み後のパラメータは {device} 上にあるはずですが {sorted(devices)} でした",
                 en=f"after loading, the parameters should stay on {device}, found {sorted(devices)}"),
               T(ja="load_state_dict は値をコピーするだけで、モデルのデバイスは変えません",
                 en="load_state_dict copies values; it does not move the model"))


@pytest.mark.points(1)
def test_load_best_model_returns_the_model() -> None:
    """load_best_model returns the model it was given, holding the best weights (so
    `model = es.load_best_model(model)` gives the best model)."""
    with tempfile.TemporaryDirectory() as tmp:
        es, model = _make(Path(tmp) / "best.pth"), _model()
        es(1.0, model)
        fresh = _model(seed=1)
        returned = es.load_best_model(fresh)
        expect(returned is fresh,
               T(ja=f"load_best_model(model) は渡された model を返すはずですが {type(returned).__name__} が返されました",
                 en=f"load_best_model(model) should return the model it was given, got {type(returned).__name__}"),
               T(ja="最後に return model と書きます（load_state_dict の戻り値ではありません）",
                 en="end with `return model` (not the result of load_state_dict)"))
        _expect_same_state(_snapshot(returned), _snapshot(model),
                           T(ja="load_best_model が返したモデル（val_loss = [1.0] の後）",
                             en="the model load_best_model returned (after val_loss = [1.0])"),
                           T(ja="返す前に model.load_state_dict(...) でベストの重みを読み込みます",
                             en="load the best weights with model.load_state_dict(...) before returning it"))


@pytest.mark.points(1)
def test_load_before_any_checkpoint_raises() -> None:
    """Before any checkpoint exists (nothing seen yet, or only NaN losses), load_best_model raises FileNotFoundError."""
    help = T(ja="まだ保存していないときは raise FileNotFoundError(\"...\") で知らせます（黙ってモデルをそのまま返さない）",
             en="when nothing has been saved yet, raise FileNotFoundError(\"...\") (do not silently return the model)")
    with tempfile.TemporaryDirectory() as tmp:
        es = _make(Path(tmp) / "best.pth")
        expect_raises(FileNotFoundError, es.load_best_model, _model(),
                      what=T(ja="一度も呼んでいないときの load_best_model", en="load_best_model before any call"), help=help)
        es, model = _make(Path(tmp) / "nan" / "best.pth"), _model()
        es(float("nan"), model)
        es(float("nan"), model)
        expect_raises(FileNotFoundError, es.load_best_model, _model(seed=1),
                      what=T(ja="val_loss が NaN だけだった後の load_best_model", en="load_best_model after only NaN losses"),
                      help=help)


# -- printing ---------------------------------------------------------------------------
WHOLE_RUN = [float("nan"), torch.tensor(1.0), 0.5, torch.tensor(float("nan")), 0.75, 2.0]
WHOLE_RUN_TEXT = "[nan, tensor(1.0), 0.5, tensor(nan), 0.75, 2.0]"


def _expect_whole_run(es: Any, verbose: bool) -> None:
    """Drive `es` (patience=2) through WHOLE_RUN — NaN first, tensor losses, the stop — training
    on after each call, then load_best_model: the return values and the loaded weights must be
    right, so the printing checks grade a working run, not one that merely did not raise."""
    calls = list(_drive(es, WHOLE_RUN, _model(), shift=0.25))
    where = T(ja=f"verbose={verbose}、patience=2、val_loss = {WHOLE_RUN_TEXT}",
              en=f"verbose={verbose}, patience=2, val_loss = {WHOLE_RUN_TEXT}")
    _expect_each([call.returned for call in calls], [False, False, False, False, True, True],
                 what=T(ja=f"{where.ja} での戻り値", en=f"the return values for {where.en}"),
                 help=T(ja="表示の処理で best_loss が None の場合（最初のエポックや NaN の後）に気をつけます。" + STOP.ja,
                        en="mind the printing when best_loss is still None (first epoch, after NaN); " + STOP.en))
    fresh = _model(seed=1)
    es.load_best_model(fresh)
    _expect_same_state(_snapshot(fresh), calls[2].before,
                       T(ja=f"{where.ja} の後、load_best_model で読み込んだ重み（ベストは 3 エポック目）",
                         en=f"the weights load_best_model loaded after {where.en} (best at epoch 3)"),
                       STATE_DICT)


@pytest.mark.points(1)
def test_silent_when_verbose_is_false(capfd: pytest.CaptureFixture[str]) -> None:
    """With verbose=False a whole run works and prints nothing, on stdout or stderr: not on
    improvement, not while counting, not on stop, not on load. (Python warnings, e.g. a
    library's deprecation notice, are not printing by the submission and are ignored.)"""
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _expect_whole_run(_make(Path(tmp) / "best.pth", patience=2, verbose=False), verbose=False)
        out, err = capfd.readouterr()
    for stream, text in (("stdout", out), ("stderr", err)):
        expect(text == "",
               T(ja=f"verbose=False なのに {stream} に次の出力がありました: {text[:300]!r}",
                 en=f"verbose=False, yet this was printed on {stream}: {text[:300]!r}"),
               T(ja="print（file=sys.stderr も）や logging の出力はすべて if self.verbose: の中に入れます",
                 en="put every print (file=sys.stderr too) and every logging call under `if self.verbose:`"))


@pytest.mark.points(1)
def test_verbose_mode_follows_the_same_rule() -> None:
    """With the default verbose=True, a whole run (NaN first, tensor losses, the stop,
    load_best_model) returns the same values and restores the same weights as a quiet one."""
    with tempfile.TemporaryDirectory() as tmp:
        _expect_whole_run(ex.EarlyStoppingWithCheckpoint(patience=2, checkpoint_path=Path(tmp) / "best.pth"),
                          verbose=True)
