"""Checks for exercise 26: the chapter's `EarlyStopping`, its two bugs fixed.

The stub is the class as printed in seed 000 ("Early StoppingとCheckpointing"). Its bugs:
`model.state_dict().copy()` copies the dict, not the tensors (the stored "best" values are the
model's own tensors, which every optimizer step updates in place, so restoring gives the last
weights), and `val_loss > best_loss - min_delta` is False for NaN (a NaN takes the improvement
branch, and as the first loss it becomes the best outright). Every check drives the learner's
object as the seed's training loop does: a real optimizer step (SGD with momentum, on a model
with BatchNorm, so the state_dict holds buffers that change in place too) before each call.

The rule, as the seed wrote it and as it stays (`_simulate`): the first finite loss is the
best; later, a loss improves unless `val_loss > best_loss - min_delta` (a tie improves); NaN
never improves. On improvement best_loss = val_loss, counter = 0, the weights are kept;
otherwise counter += 1, "EarlyStopping counter: {counter}/{patience}" is printed, and at
counter >= patience early_stop = True and, with restore_best_weights, "最良の重みを復元します"
is printed and the kept weights are loaded into the model. `__call__` returns early_stop.

The stub passes the checks the bugs do not touch (the rule on finite losses, the messages,
restore_best_weights=False): 4 of 20 points, under a quarter, as `kind = "fix"` requires.

Decisions where the contract is silent:
- Calls are graded up to and including the one that first sets early_stop (the seed's loop
  breaks there); what the object does on later calls is not graded.
- Losses are Python floats (the seed calls it with `val_loss.item()`), multiples of 1/8, so
  `v > best - d`, `not v <= best - d` and `best - v < d` agree, ties included. ±inf is not
  drawn: a fix that treats every non-finite loss like NaN is not penalised.
- Where the best weights are kept is free (a deep copy of the state_dict, clones, a copy of
  the model, a buffer): only what ends up in the model is graded, plus, where `best_weights`
  holds tensors, that none of them shares storage with the model's (the contract's "share
  no storage"), and that after the restore the optimizer still trains the model's own
  parameters (`load_state_dict(..., assign=True)` would hand it the stored tensors).
- The first finite loss after NaNs becomes the best; the counter then goes back to 0 (it
  improved) or keeps its count (the seed's `best_loss is None` branch, which never touched
  the counter, guarded against NaN and otherwise left as printed): both are accepted, and the
  rest of the run is graded against the history that choice leads to.
- When patience runs out with no best (only NaN so far), the model must be left exactly as
  it is and nothing may fail; whether "最良の重みを復元します" is printed then is not graded.
- Printing is compared line by line on stdout, per call; stderr and warnings are ignored.
- `counter` is compared with `==` after converting through `as_numpy`, `early_stop` and the
  return value must be exactly True / False, best_loss exactly the float that was passed in.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from torch import nn

from checks import strategies as draw
from checks.compare import as_numpy, expect_equal_arrays
from checks.feedback import CheckFailure, Failure, Mismatch, T, expect, particle
from checks.submission import student
from checks.warmup import warm_up_torch
from grader.plugin.determinism import seed_torch

ex = student("ex26_fix_early_stopping")

warm_up_torch()

# Captured before student code is imported.
_Tensor = torch.Tensor
_Module = nn.Module
_storage = torch.Tensor.untyped_storage
_isnan = math.isnan
NAN = float("nan")

RULE = T(
    ja="教科書の判定はそのままです: 最初の有限の損失がベスト。その後は val_loss > best_loss - min_delta なら"
       "改善なし（counter += 1）、そうでなければ改善（同じ値も改善、counter = 0）。counter >= patience で early_stop = True",
    en="the textbook's rule stays: the first finite loss is the best; then val_loss > best_loss - min_delta means no "
       "improvement (counter += 1), anything else improves (a tie too; counter = 0); counter >= patience sets early_stop = True",
)
NAN_RULE = T(
    ja="NaN との比較（>、<、==）はいつも False なので、教科書のコードでは NaN が改善の側（else）に入り、"
       "最初の損失なら best_loss is None の枝でベストになります。math.isnan(val_loss) で先に見分け、"
       "改善なし（counter += 1 とメッセージ）として扱います",
    en="every comparison with NaN (>, <, ==) is False, so in the textbook's code a NaN falls into the improvement "
       "branch (else), and as the first loss it becomes the best in the `best_loss is None` branch. Tell it apart "
       "first with math.isnan(val_loss) and treat it as no improvement (counter += 1, and the message)",
)
COPY = T(
    ja="state_dict() の値はモデル自身のテンソルで、.copy() は辞書をコピーするだけです。オプティマイザが重みを"
       "その場で書き換えると「保存した」値も変わります。copy.deepcopy(model.state_dict()) か "
       "{k: v.clone() for k, v in model.state_dict().items()} で値ごとコピーします",
    en="the values of state_dict() are the model's own tensors, and .copy() copies only the dict: when the optimizer "
       "updates the weights in place, the \"saved\" values change too. Copy the values: "
       "copy.deepcopy(model.state_dict()) or {k: v.clone() for k, v in model.state_dict().items()}",
)
NO_BEST = T(
    ja="有限の損失をまだ 1 度も見ていなければベストはなく、戻す重みもありません（best_weights は None）。"
       "そのときは load_state_dict を呼ばずに、early_stop = True だけにします",
    en="before any finite loss there is no best and nothing to restore (best_weights is None): then set "
       "early_stop = True without calling load_state_dict",
)
MESSAGES = T(
    ja="表示は教科書のまま: 改善しなかったエポックごとに f'EarlyStopping counter: {self.counter}/{self.patience}'、"
       "重みを戻すときに '最良の重みを復元します'",
    en="the messages stay the textbook's: f'EarlyStopping counter: {self.counter}/{self.patience}' on every epoch "
       "without improvement, and '最良の重みを復元します' when the weights are restored",
)
RESTORE_LINE = "最良の重みを復元します"


# -- the rule, simulated ----------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    improved: bool
    best: float | None
    counter: int
    stop: bool  # early_stop after this call
    restores: bool  # this call runs out of patience (restores, with restore_best_weights, if there is a best)


def _simulate(losses: list[float], patience: int, min_delta: float = 0.0, *, first_resets: bool = True) -> list[Step]:
    """The seed's rule with NaN as no improvement, call by call, up to the first stop. With
    `first_resets=False`, the first finite loss after NaNs keeps the counter (the seed's
    `best_loss is None` branch, guarded against NaN and otherwise left as printed)."""
    best: float | None = None
    counter, stop, steps = 0, False, []
    for v in losses:
        improved = not _isnan(v) and (best is None or not v > best - min_delta)
        if improved:
            counter = 0 if first_resets or best is not None else counter
            best = v
        else:
            counter += 1
        stop = stop or counter >= patience
        steps.append(Step(improved, best, counter, stop, not improved and counter >= patience))
        if stop:
            break
    return steps


def _variants(losses: list[float], patience: int, min_delta: float = 0.0) -> list[list[Step]]:
    """The histories a correct fix may follow: the counter after the first finite loss that
    follows NaNs is 0 (it improved) or what it was (the seed's first branch never touched it)."""
    resets = _simulate(losses, patience, min_delta)
    keeps = _simulate(losses, patience, min_delta, first_resets=False)
    return [resets] if keeps == resets else [resets, keeps]


def _against_either(variants: list[list[Step]], expect_run: Any) -> None:
    """`expect_run(steps)` for each accepted history; passes if one of them holds, else
    reports the first's failure."""
    first: CheckFailure | None = None
    for steps in variants:
        try:
            expect_run(steps)
            return
        except CheckFailure as exc:
            first = first or exc
    assert first is not None
    raise first


def _expected_lines(step: Step, patience: int, restore: bool) -> tuple[list[str], bool]:
    """The lines the seed prints for one call, and whether a restore line may be added
    (when there is nothing to restore, printing it or not is not graded)."""
    if step.improved:
        return [], False
    lines = [f"EarlyStopping counter: {step.counter}/{patience}"]
    if step.restores and restore and step.best is not None:
        lines.append(RESTORE_LINE)
    return lines, step.restores and restore and step.best is None


# -- a model that trains for real between the calls ---------------------------------------
class Trainer:
    """A small model with BatchNorm and its SGD-with-momentum optimizer: `step()` is one real
    training step, which changes every parameter and buffer in place (as the seed's loop does
    between two calls)."""

    def __init__(self, seed: int = 0) -> None:
        seed_torch(seed)
        self.model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1, momentum=0.9)
        self.x = torch.randn(16, 4)
        self.y = torch.randint(0, 3, (16,))

    def step(self) -> None:
        self.model.train()
        self.optimizer.zero_grad()
        nn.functional.cross_entropy(self.model(self.x), self.y).backward()
        self.optimizer.step()

    def snapshot(self) -> dict[str, torch.Tensor]:
        return {k: v.detach().clone() for k, v in self.model.state_dict().items()}


@dataclass(frozen=True)
class Call:
    index: int
    returned: Any
    before: dict[str, torch.Tensor]  # the model's weights as they were passed in
    after: dict[str, torch.Tensor]  # the model's weights right after the call
    printed: list[str]
    counter: Any
    best_loss: Any
    early_stop: Any


def _make(patience: int | None, min_delta: float | None = None, restore: bool | None = None) -> Any:
    kwargs: dict[str, Any] = {}
    if patience is not None:
        kwargs["patience"] = patience
    if min_delta is not None:
        kwargs["min_delta"] = min_delta
    if restore is not None:
        kwargs["restore_best_weights"] = restore
    return ex.EarlyStopping(**kwargs)


def _drive(es: Any, losses: list[float], trainer: Trainer, watch: Any = None) -> list[Call]:
    """One training step, then `es(loss, model)`, for each loss in turn; what the call returned,
    printed and left in the attributes and the model. `watch(es, trainer)` runs after each call."""
    calls = []
    for i, loss in enumerate(losses):
        trainer.step()
        before = trainer.snapshot()
        with contextlib.redirect_stdout(io.StringIO()) as out:
            returned = es(loss, trainer.model)
        printed = out.getvalue().splitlines()
        calls.append(Call(i, returned, before, trainer.snapshot(), printed,
                          getattr(es, "counter", None), getattr(es, "best_loss", None), getattr(es, "early_stop", None)))
        if watch is not None:
            watch(es, trainer)
    return calls


def _where(losses: list[float], i: int, settings: str) -> T:
    shown = "[" + ", ".join("nan" if _isnan(v) else repr(v) for v in losses[: i + 1]) + "]"
    return T(ja=f"{i + 1} 回目の呼び出し（val_loss = {shown}、{settings}）", en=f"call {i + 1} (val_loss = {shown}, {settings})")


def _settings(patience: int | None, min_delta: float | None = None, restore: bool | None = None) -> str:
    parts = ["patience=" + ("7 (default)" if patience is None else str(patience))]
    if min_delta is not None:
        parts.append(f"min_delta={min_delta}")
    if restore is not None:
        parts.append(f"restore_best_weights={restore}")
    return ", ".join(parts)


def _same_best(actual: Any, expected: float | None) -> bool:
    if expected is None:
        return actual is None
    if type(actual) not in (float, int):
        return False
    number = float(as_numpy(actual, T.same("best_loss")))
    return not _isnan(number) and number == expected


def _expect_rule(calls: list[Call], steps: list[Step], losses: list[float], settings: str, help: T) -> None:
    """counter, best_loss, early_stop and the return value after every call, as simulated."""
    for call, step in zip(calls, steps):
        where = _where(losses, call.index, settings)
        for name, actual, expected in (("early_stop", call.early_stop, step.stop),
                                       ("return value", call.returned, step.stop)):
            if not (type(actual) is bool and actual == expected):
                raise Mismatch(repr(expected), repr(actual), help,
                               what=T(ja=f"{where.ja}の後の {name}", en=f"{name} after {where.en}"))
        counter_ok = type(call.counter) is int and int(as_numpy(call.counter, T.same("counter"))) == step.counter
        if not counter_ok:
            raise Mismatch(repr(step.counter), repr(call.counter), help,
                           what=T(ja=f"{where.ja}の後の counter", en=f"counter after {where.en}"))
        if not _same_best(call.best_loss, step.best):
            raise Mismatch(repr(step.best), repr(call.best_loss), help,
                           what=T(ja=f"{where.ja}の後の best_loss", en=f"best_loss after {where.en}"))


def _expect_printed(calls: list[Call], steps: list[Step], losses: list[float], patience: int, settings: str,
                    restore: bool, help: T) -> None:
    for call, step in zip(calls, steps):
        expected, optional = _expected_lines(step, patience, restore)
        got = list(call.printed)
        if optional and got[-1:] == [RESTORE_LINE]:
            got = got[:-1]
        if got != expected:
            where = _where(losses, call.index, settings)
            raise Mismatch("\n".join(expected) or "(nothing)", "\n".join(call.printed) or "(nothing)", help,
                           what=T(ja=f"{where.ja}で表示された行", en=f"the lines printed by {where.en}"))


def _expect_state(actual: dict[str, torch.Tensor], expected: dict[str, torch.Tensor], what: T, help: T) -> None:
    for key, value in expected.items():
        expect_equal_arrays(actual[key], value, what=T(ja=f"{particle(what.ja)}の {key}", en=f"{key} of {what.en}"), help=help)


def _expect_weights(calls: list[Call], steps: list[Step], losses: list[float], settings: str, restore: bool,
                    help: T) -> None:
    """After each call the model holds what it had when passed in, except at the call that runs
    out of patience with restore_best_weights and a best: then, the last improving call's weights."""
    best: dict[str, torch.Tensor] | None = None
    for call, step in zip(calls, steps):
        best = call.before if step.improved else best
        where = _where(losses, call.index, settings)
        if step.restores and restore and best is not None:
            _expect_state(call.after, best, T(ja=f"{where.ja}で戻されたモデルの重み（最後に改善した呼び出しの重みのはず）",
                                              en=f"the model's weights restored by {where.en} (those of the last improving call)"),
                          help)
        else:
            _expect_state(call.after, call.before,
                          T(ja=f"{where.ja}の後のモデルの重み（変わらないはず）", en=f"the model's weights after {where.en} (unchanged)"),
                          help if step.restores else T(ja="重みを戻すのは patience が尽きたときだけです",
                                                       en="weights are restored only when patience runs out"))


# -- strategies --------------------------------------------------------------------------
EIGHTHS = st.one_of(st.integers(0, 64).map(lambda k: k / 8), st.sampled_from([1.0, 0.5, 0.25]))
FINITE = st.lists(EIGHTHS, min_size=1, max_size=12)


@st.composite
def with_nan(draw_: st.DrawFn) -> list[float]:
    """A loss history (multiples of 1/8, ties) holding at least one NaN."""
    losses = draw_(draw.exact_loss_sequences(min_size=0, max_size=10))
    at = draw_(st.integers(0, len(losses)))
    return losses[:at] + [NAN] + losses[at:]


# -- what the seed got right (the stub passes these) --------------------------------------
@pytest.mark.points(2)
@given(losses=FINITE, patience=st.integers(1, 4), min_delta=draw.exact_min_deltas(), restore=st.booleans())
@example(losses=[1.0, 1.0, 0.5, 0.75, 0.75], patience=2, min_delta=0.0, restore=True)
def test_finite_losses_follow_the_seeds_rule(losses: list[float], patience: int, min_delta: float, restore: bool) -> None:
    """With finite losses, counter, best_loss, early_stop and the return value follow the
    seed's rule after every call (ties improve; min_delta as printed)."""
    steps = _simulate(losses, patience, min_delta)
    calls = _drive(_make(patience, min_delta, restore), losses[: len(steps)], Trainer())
    _expect_rule(calls, steps, losses, _settings(patience, min_delta, restore), RULE)


@pytest.mark.points(1)
@given(losses=FINITE, patience=st.one_of(st.none(), st.integers(1, 4)))
@example(losses=[2.0] + [3.0] * 7, patience=None)
def test_prints_the_seeds_messages(losses: list[float], patience: int | None) -> None:
    """Each call prints what the seed prints: the counter line on every epoch without
    improvement, the restore line when patience runs out (defaults: patience=7)."""
    steps = _simulate(losses, patience or 7)
    calls = _drive(_make(patience), losses[: len(steps)], Trainer())
    _expect_printed(calls, steps, losses, patience or 7, _settings(patience), True, MESSAGES)


@pytest.mark.points(1)
@given(losses=FINITE, patience=st.integers(1, 3))
@example(losses=[1.0, 0.5, 2.0, 2.0, 2.0], patience=3)
def test_no_restore_leaves_the_model_alone(losses: list[float], patience: int) -> None:
    """With restore_best_weights=False nothing is ever loaded into the model, not even when
    training stops: it keeps its last weights."""
    steps = _simulate(losses, patience)
    calls = _drive(_make(patience, restore=False), losses[: len(steps)], Trainer())
    _expect_rule(calls, steps, losses, _settings(patience, restore=False), RULE)
    _expect_weights(calls, steps, losses, _settings(patience, restore=False), False,
                    T(ja="restore_best_weights=False なら、重みを保存も復元もしません（教科書どおり）",
                      en="with restore_best_weights=False nothing is saved nor restored (as in the textbook)"))


# -- bug 1: the best weights are a copy ----------------------------------------------------
@pytest.mark.points(3)
@given(losses=FINITE, patience=st.integers(1, 4), min_delta=draw.exact_min_deltas())
@example(losses=[2.0, 1.0, 1.5, 3.0, 2.5], patience=3, min_delta=0.0)
def test_restores_the_best_epochs_weights(losses: list[float], patience: int, min_delta: float) -> None:
    """When patience runs out, the model gets back exactly the weights (parameters and
    buffers) it had when passed in at the last improving call, although the optimizer changed
    them in place at every step since."""
    steps = _simulate(losses, patience, min_delta)
    calls = _drive(_make(patience, min_delta), losses[: len(steps)], Trainer())
    _expect_weights(calls, steps, losses, _settings(patience, min_delta), True, COPY)


@pytest.mark.points(1)
@pytest.mark.parametrize("losses, patience, min_delta, best_call", [
    ([1.0, 0.5, 0.5, 0.5, 2.0, 3.0], 2, 0.0, 3),
    ([1.0, 0.75, 0.5, 0.5], 1, 0.25, 2),
])
def test_ties_count_as_improvements(losses: list[float], patience: int, min_delta: float, best_call: int) -> None:
    """A loss equal to best_loss - min_delta improves, as in the seed: the counter goes back
    to 0, and the weights restored are those of the last tied epoch."""
    steps = _simulate(losses, patience, min_delta)
    assert steps[best_call].improved and steps[-1].restores  # the case is what it says
    calls = _drive(_make(patience, min_delta), losses, Trainer())
    help = T(ja="教科書の条件 val_loss > best_loss - min_delta のままなら、同じ値は改善です（< や >= に書き換えない）。" + COPY.ja,
             en="with the textbook's condition val_loss > best_loss - min_delta a tie improves (do not rewrite it as < "
                "or >=); " + COPY.en)
    _expect_rule(calls, steps, losses, _settings(patience, min_delta), help)
    _expect_weights(calls, steps, losses, _settings(patience, min_delta), True, help)


def _tensors(value: Any, depth: int = 0) -> list[torch.Tensor]:
    """The tensors reachable from what the learner keeps in best_weights."""
    if depth > 3:
        return []
    if isinstance(value, _Tensor):
        return [value]
    if isinstance(value, _Module):
        return list(value.state_dict().values())
    if isinstance(value, Mapping):
        return [t for v in list(value.values()) for t in _tensors(v, depth + 1)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _tensors(v, depth + 1)]
    return []


def _shared(es: Any, trainer: Trainer) -> list[str]:
    """Names of the model's tensors whose storage is also held in es.best_weights."""
    kept = {_storage(t).data_ptr() for t in _tensors(getattr(es, "best_weights", None)) if t.numel()}
    return [k for k, v in trainer.model.state_dict().items() if v.numel() and _storage(v).data_ptr() in kept]


@pytest.mark.points(2)
def test_stored_weights_share_no_storage() -> None:
    """The weights kept in best_weights never share storage with the model's (after a save,
    after the restore), and after the restore the optimizer still trains the model's own
    parameters."""
    losses, patience = [1.0, 0.5, 2.0, 2.0], 2
    sharing: list[tuple[int, list[str]]] = []
    _drive(_make(patience), losses, trainer := Trainer(),
           watch=lambda es, tr: sharing.append((len(sharing), _shared(es, tr))))
    for i, names in sharing:
        if names:
            where = _where(losses, i, _settings(patience))
            raise Failure(T(ja=f"{where.ja}の後、best_weights のテンソルがモデルの {', '.join(names[:3])} とメモリを共有しています",
                            en=f"after {where.en}, best_weights holds the very storage of the model's {', '.join(names[:3])}"),
                          COPY)
    before = trainer.snapshot()
    trainer.step()
    after = trainer.snapshot()
    stuck = [k for k in before if k.endswith("weight") and not bool((before[k] != after[k]).any())]
    expect(not stuck,
           T(ja=f"重みを戻した後、オプティマイザの 1 ステップでモデルの {', '.join(stuck[:3])} が変わりません",
             en=f"after the restore, an optimizer step no longer changes the model's {', '.join(stuck[:3])}"),
           T(ja="model.load_state_dict(best_weights) は値をモデルのパラメータにコピーします。assign=True にすると"
                "パラメータが保存したテンソルに差し替わり、オプティマイザが持つパラメータとは別物になります",
             en="model.load_state_dict(best_weights) copies the values into the model's parameters; with assign=True the "
                "parameters are replaced by the stored tensors, which the optimizer does not hold"))


# -- bug 2: NaN is no improvement -----------------------------------------------------------
@pytest.mark.points(3)
@given(losses=with_nan(), patience=st.integers(1, 4))
@example(losses=[NAN, 2.0, 1.0, NAN, 1.5], patience=3)
@example(losses=[1.0, NAN, 0.5, NAN, NAN], patience=2)
def test_nan_counts_as_no_improvement(losses: list[float], patience: int) -> None:
    """A NaN loss is never an improvement nor the best_loss, first or later: counter += 1 and
    the counter line is printed, as for any epoch without improvement."""
    variants = _variants(losses, patience)
    calls = _drive(_make(patience), losses[: len(variants[0])], Trainer())
    help = T(ja=NAN_RULE.ja + "。" + MESSAGES.ja, en=NAN_RULE.en + "; " + MESSAGES.en)
    _against_either(variants, lambda steps: (_expect_rule(calls, steps, losses, _settings(patience), NAN_RULE),
                                             _expect_printed(calls, steps, losses, patience, _settings(patience), True, help)))


@pytest.mark.points(2)
@given(losses=with_nan(), patience=st.integers(1, 4))
@example(losses=[1.0, NAN, 2.0], patience=2)
def test_nan_epochs_are_never_restored(losses: list[float], patience: int) -> None:
    """With NaN losses in the history, the weights restored are those of the last improving
    finite epoch; with no finite loss yet, nothing is restored."""
    variants = _variants(losses, patience)
    calls = _drive(_make(patience), losses[: len(variants[0])], Trainer())
    help = T(ja=NAN_RULE.ja + "。" + COPY.ja, en=NAN_RULE.en + "; " + COPY.en)
    _against_either(variants, lambda steps: _expect_weights(calls, steps, losses, _settings(patience), True, help))


@pytest.mark.points(2)
@pytest.mark.parametrize("patience", [1, 3])
def test_no_finite_loss_restores_nothing(patience: int) -> None:
    """If patience runs out before any finite loss was seen, early_stop becomes True, nothing
    fails and the model keeps its weights: there is no best to restore."""
    losses = [NAN] * patience
    steps = _simulate(losses, patience)
    try:
        calls = _drive(_make(patience), losses, Trainer())
    except Exception as exc:  # noqa: BLE001 — any failure here is the learner's to fix
        raise Failure(T(ja=f"val_loss = {['nan'] * patience}、patience={patience} で {type(exc).__name__} が発生しました: {str(exc)[:200]}",
                        en=f"val_loss = {['nan'] * patience} with patience={patience} raised {type(exc).__name__}: {str(exc)[:200]}"),
                      T(ja=NO_BEST.ja + "。" + NAN_RULE.ja, en=NO_BEST.en + "; " + NAN_RULE.en)) from None
    _expect_rule(calls, steps, losses, _settings(patience), T(ja=NAN_RULE.ja + "。" + NO_BEST.ja, en=NAN_RULE.en + "; " + NO_BEST.en))
    _expect_weights(calls, steps, losses, _settings(patience), True, NO_BEST)
