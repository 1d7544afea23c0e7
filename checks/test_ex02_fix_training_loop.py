"""Checks for exercise 2: the textbook's training loop, fixed, as `train(model, optimizer, batches)`.

Every check hands the learner's `train` a real `torch.optim.SGD` (a subclass that counts
`step()` calls and records the `.grad` each step used) and float32 models (nn.Linear, or
a small Linear-Tanh-Linear), as in the textbook. The expected run is recomputed here in
float64 from a copy of the initial parameters; values are compared with float32's
tolerance, the precision the model computes in.

Decisions where the contract is silent (made as PyTorch itself would):
- the losses may be any `float` (a Python float, or numpy's float64, which subclasses it);
  a list is required (a tuple, a tensor or a numpy array is not "a list of floats");
- the closure style `optimizer.step(closure)` is accepted: it is one step per batch;
- how `.grad` is cleared is free (optimizer.zero_grad, model.zero_grad, set_to_none or
  not, assigning `p.grad`): only the gradient each step actually uses is checked;
- what `.grad` holds after `train` returns, and train/eval mode, are not checked;
- properties that a function which never trains also has (the losses' type, no batches → [],
  a generator trained like a list) are graded together with the right losses or parameters,
  so that no point goes to a loop that runs without training (the unfixed stub included).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import torch
import torch._dynamo  # noqa: F401  (every optimizer imports it, ~2 s: once here, not once per forked check)
import torch.nn as nn
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from checks.compare import TOLERANCES, as_numpy, expect_close
from checks.feedback import Failure, Mismatch, T, expect, expect_equal, show
from checks.submission import student
from grader.plugin.determinism import seed_torch

ex = student("ex02_fix_training_loop")

F32 = TOLERANCES["float32"]  # the model computes in float32; the expected run in float64
_clone = torch.Tensor.clone  # captured before student code runs
_detach = torch.Tensor.detach


# --------------------------------------------------------------------------- helpers

class RecordingSGD(torch.optim.SGD):
    """A real SGD that counts `step()` calls and records the gradient each step used."""

    def __init__(self, params: Any, lr: float) -> None:
        super().__init__(params, lr=lr)
        self.steps = 0
        self.used_grads: list[list[torch.Tensor | None]] = []

    def step(self, closure: Any = None) -> Any:  # type: ignore[override]
        loss = None
        if closure is not None:  # the closure style computes the gradient inside step()
            with torch.enable_grad():
                loss = closure()
        self.steps += 1
        self.used_grads.append([None if p.grad is None else _clone(_detach(p.grad))
                                for group in self.param_groups for p in group["params"]])
        super().step()
        return loss


@dataclass
class Problem:
    """A model, a learning rate and a sequence of (x, y) batches."""

    in_features: int
    hidden: int  # 0: a single nn.Linear; otherwise Linear-Tanh-Linear
    out_features: int
    lr: float
    seed: int
    batches: list[tuple[np.ndarray, np.ndarray]]

    def model(self) -> nn.Module:
        if self.hidden == 0:
            model: nn.Module = nn.Linear(self.in_features, self.out_features)
        else:
            model = nn.Sequential(nn.Linear(self.in_features, self.hidden), nn.Tanh(),
                                  nn.Linear(self.hidden, self.out_features))
        g = torch.Generator().manual_seed(self.seed)  # initial weights from the drawn seed: U(-1, 1)
        with torch.no_grad():
            for p in model.parameters():
                p.copy_(torch.rand(p.shape, generator=g) * 2 - 1)
        return model

    def tensors(self) -> list[tuple[torch.Tensor, torch.Tensor]]:
        return [(torch.from_numpy(x.copy()), torch.from_numpy(y.copy())) for x, y in self.batches]

    def __repr__(self) -> str:
        arch = (f"nn.Linear({self.in_features}, {self.out_features})" if self.hidden == 0 else
                f"nn.Sequential(nn.Linear({self.in_features}, {self.hidden}), nn.Tanh(), "
                f"nn.Linear({self.hidden}, {self.out_features}))")
        shown = ", ".join(f"(x={x.tolist()}, y={y.tolist()})" for x, y in self.batches)
        return f"model={arch} (weights from seed {self.seed}), SGD(lr={self.lr}), batches=[{shown}]"


_values = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False, width=32)


@st.composite
def problems(draw: Any, min_batches: int = 1, max_batches: int = 3) -> Problem:
    """Small float32 regression problems; batch sizes vary from batch to batch."""
    in_f = draw(st.integers(1, 3))
    out_f = draw(st.integers(1, 3))
    hidden = draw(st.sampled_from([0, 0, 3]))
    n = draw(st.integers(min_batches, max_batches))
    batches = []
    for _ in range(n):
        b = draw(st.integers(1, 4))
        batches.append((draw(hnp.arrays(np.float32, (b, in_f), elements=_values)),
                        draw(hnp.arrays(np.float32, (b, out_f), elements=_values))))
    return Problem(in_f, hidden, out_f, draw(st.sampled_from([0.01, 0.02, 0.05])),
                   draw(st.integers(0, 2**16)), batches)


@dataclass
class Expected:
    losses: list[float]                 # before each update
    losses_after: list[float]           # of the same batch, after its update (a learner's mistake)
    grads: list[list[torch.Tensor]]     # the gradient of each batch, at the parameters it met
    params: list[torch.Tensor]          # after the last update


def expected_run(model: nn.Module, lr: float, batches: list[tuple[torch.Tensor, torch.Tensor]]) -> Expected:
    """Plain SGD on the mean squared error, in float64, on a copy of `model`."""
    twin = copy.deepcopy(model).double()
    params = list(twin.parameters())
    losses, after, grads = [], [], []
    for x, y in batches:
        loss = ((twin(x.double()) - y.double()) ** 2).mean()
        g = torch.autograd.grad(loss, params)
        losses.append(loss.item())
        grads.append([gi.detach().clone() for gi in g])
        with torch.no_grad():
            for p, gi in zip(params, g):
                p -= lr * gi
            after.append(((twin(x.double()) - y.double()) ** 2).mean().item())
    return Expected(losses, after, grads, [p.detach().clone() for p in params])


@dataclass
class Run:
    result: Any
    optimizer: RecordingSGD
    model: nn.Module
    expected: Expected


def run_train(problem: Problem, *, stale: float | None = None, as_generator: bool = False) -> Run:
    """Call the learner's train on `problem`; `stale` pre-fills every .grad with that value."""
    model = problem.model()
    expected = expected_run(model, problem.lr, problem.tensors())
    optimizer = RecordingSGD(model.parameters(), problem.lr)
    if stale is not None:
        for p in model.parameters():
            p.grad = torch.full_like(p, stale)
    batches: Any = problem.tensors()
    if as_generator:
        batches = (pair for pair in problem.tensors())
    result = ex.train(model, optimizer, batches)
    return Run(result, optimizer, model, expected)


LIST_HELP = T(ja="損失を 1 ステップごとに losses.append(loss.item()) で記録し、リストを返します",
              en="record each step's loss with losses.append(loss.item()) and return the list")
MSE_HELP = T(ja="各ステップの損失は、そのバッチの出力と y を型も値も変えずに nn.MSELoss()（reduction は既定の 'mean'）"
                "に渡した値です: criterion = nn.MSELoss(); loss = criterion(output, y)",
             en="each step's loss is nn.MSELoss() (default 'mean' reduction) of the batch's output and y, y passed "
                "as given (no cast, no rounding): criterion = nn.MSELoss(); loss = criterion(output, y)")
ZERO_GRAD_HELP = T(ja="backward() は .grad に勾配を「足し込み」ます。各バッチの backward() の前に "
                      "optimizer.zero_grad() を呼んで古い勾配を消します",
                   en="backward() adds into .grad. Call optimizer.zero_grad() before each batch's "
                      "backward() so that old gradients are cleared")
STEP_HELP = T(ja="各バッチで zero_grad → 順伝播 → MSE（平均）→ backward → step の順に 1 回ずつ行います",
              en="for each batch, once: zero_grad → forward → MSE (mean) → backward → step")


def loss_values(result: Any, n: int) -> np.ndarray:
    """The returned losses as a float64 array of length n (tensors tolerated here: their
    type is the subject of its own check)."""
    if isinstance(result, (list, tuple)):
        values = [as_numpy(v, T(ja="損失", en="a loss")) for v in result]
        if any(v.size != 1 for v in values):
            raise Failure(T(ja="損失のリストの要素が 1 つの値（スカラー）ではありません",
                            en="an element of the list of losses is not a single (scalar) value"), LIST_HELP)
        arr = np.array([float(v.reshape(())) for v in values], dtype=np.float64)
    else:
        arr = as_numpy(result, T(ja="train の戻り値", en="the value train returned")).astype(np.float64).reshape(-1)
    if arr.shape != (n,):
        raise Mismatch(n, int(arr.size), LIST_HELP,
                       what=T(ja=f"損失の個数（バッチ {n} 個につき 1 つずつ）",
                              en=f"the number of losses (one for each of the {n} batches)"))
    return arr


def count_of(result: Any) -> int | None:
    """How many losses `result` holds, whatever its type (the type has its own check)."""
    if isinstance(result, (list, tuple)):
        return len(result)
    if type(result) in (torch.Tensor, np.ndarray):
        return int(np.size(as_numpy(result, T(ja="train の戻り値", en="the value train returned"))))
    return None


def flat(tensors: list[torch.Tensor | None], like: list[torch.Tensor]) -> np.ndarray:
    """Concatenate (None → zeros) into one float64 vector."""
    parts = [np.zeros(l.numel()) if t is None else as_numpy(t, T(ja="勾配", en="a gradient")).reshape(-1)
             for t, l in zip(tensors, like)]
    return np.concatenate(parts).astype(np.float64) if parts else np.zeros(0)


def looks_like(a: np.ndarray, b: np.ndarray) -> bool:
    scale = max(float(np.abs(b).max(initial=0.0)), 1e-6)
    return bool(a.shape == b.shape and np.allclose(a, b, rtol=1e-3, atol=1e-4 * scale))


SUM_HELP = T(ja="値が要素数倍になっています（平均ではなく合計）。MSE は平均（reduction='mean'、nn.MSELoss の既定）で求めます",
             en="the values are multiplied by the number of elements (a sum, not a mean): the MSE uses the "
                "mean (reduction='mean', nn.MSELoss's default)")


def loss_help(actual: np.ndarray, expected: Expected, sizes: np.ndarray) -> T:
    """The idea to revisit for wrong losses, from what they look like."""
    want = np.array(expected.losses)
    if looks_like(actual, want * sizes):
        return SUM_HELP
    if looks_like(actual, np.array(expected.losses_after)):
        return T(ja="損失は更新「後」に計算し直した値ではなく、optimizer.step() の前に計算した値を記録します",
                 en="record the loss computed before optimizer.step(), not one recomputed after the update")
    if len(want) > 1 and looks_like(actual[:1], want[:1]):
        return T(ja="最初の損失は合っていて、2 つ目以降がずれています。つまり更新が違います。各バッチの backward() の前に "
                    "optimizer.zero_grad() を呼び、step() はバッチごとに 1 回だけ呼びます",
                 en="the first loss is right and the later ones drift, so the updates are wrong: call "
                    "optimizer.zero_grad() before each batch's backward(), and step() once per batch")
    return MSE_HELP


def grad_help(actual: np.ndarray, expected: np.ndarray, numel: int, leaked: np.ndarray | None) -> T:
    """The idea to revisit for a wrong gradient at a step; `leaked` is what an un-cleared .grad would add."""
    if not np.any(actual):
        return T(ja="step() の時点で勾配がありません。loss.backward() は zero_grad() の後、step() の前に呼びます",
                 en="there was no gradient at step(): call loss.backward() after zero_grad() and before step()")
    if leaked is not None and looks_like(actual, expected + leaked):
        return ZERO_GRAD_HELP
    if numel > 1 and looks_like(actual, expected * numel):
        return SUM_HELP
    return MSE_HELP


def expect_right_losses(run: Run, problem: Problem, what: T) -> None:
    """The returned losses are the MSE of each batch before its update (float32 tolerance)."""
    actual = loss_values(run.result, len(problem.batches))
    expected = np.array(run.expected.losses)
    rtol, atol = F32
    if np.allclose(actual, expected, rtol=rtol, atol=atol):
        return
    sizes = np.array([x.shape[0] * y.shape[1] for x, y in problem.batches], dtype=np.float64)
    expect_close(actual, expected, rtol=rtol, atol=atol, help=loss_help(actual, run.expected, sizes), what=what)


# --------------------------------------------------------------------------- checks

@pytest.mark.points(1)
@settings(max_examples=10)
@given(problem=problems())
def test_returns_list_of_python_floats(problem: Problem) -> None:
    """train returns a list with one Python float per batch (not tensors): each batch's loss."""
    run = run_train(problem)
    result = run.result
    if not isinstance(result, list):
        raise Failure(T(ja=f"train は list を返す必要がありますが {type(result).__qualname__} が返されました",
                        en=f"train must return a list, but it returned {type(result).__qualname__}"), LIST_HELP)
    expect_equal(len(result), len(problem.batches), what=T(ja="返されたリストの長さ（バッチ数と同じはず）",
                                                            en="the length of the returned list (one per batch)"),
                 help=LIST_HELP)
    for i, value in enumerate(result):
        if not isinstance(value, float):
            raise Failure(
                T(ja=f"losses[{i}] が Python の float ではなく {type(value).__qualname__} です",
                  en=f"losses[{i}] is a {type(value).__qualname__}, not a Python float"),
                T(ja="テンソルのまま保存すると計算グラフごとメモリに残ります。loss.item() で float にします",
                  en="a stored tensor keeps its whole graph in memory; convert with loss.item()"),
            )
    expect_right_losses(run, problem, T(ja="返された float の値（各ステップの損失のはず）",
                                        en="the floats returned (each step's loss)"))


@pytest.mark.points(2)
@settings(max_examples=15)
@given(problem=problems())
def test_losses_are_mse_before_each_update(problem: Problem) -> None:
    """Each returned loss is the mean squared error of its batch, measured before that step's update."""
    expect_right_losses(run_train(problem), problem, T(ja="各ステップの損失", en="the losses of the steps"))


@pytest.mark.points(1)
@settings(max_examples=10)
@given(problem=problems())
def test_one_optimizer_step_per_batch(problem: Problem) -> None:
    """optimizer.step() of the optimizer passed in is called exactly once per batch."""
    run = run_train(problem)
    n = len(problem.batches)
    if run.optimizer.steps != n:
        raise Mismatch(n, run.optimizer.steps,
                       T(ja="渡された optimizer の step() を、バッチごとにちょうど 1 回呼びます"
                            "（新しいオプティマイザを作ったり、パラメータを手で更新したりしない）",
                         en="call step() of the optimizer you were given exactly once per batch "
                            "(do not create another optimizer or update parameters by hand)"),
                       what=T(ja=f"optimizer.step() の呼び出し回数（バッチは {n} 個）",
                              en=f"the number of optimizer.step() calls (for {n} batches)"))


@pytest.mark.points(2)
@settings(max_examples=15)
@given(problem=problems(min_batches=2))
def test_each_step_uses_only_its_batch_gradient(problem: Problem) -> None:
    """At every optimizer.step(), .grad holds the MSE gradient of the current batch only
    (no accumulation across steps)."""
    run = run_train(problem)
    params = list(run.model.parameters())
    steps = run.optimizer.used_grads
    expect(run.optimizer.steps == len(problem.batches),
           T(ja=f"optimizer.step() が {run.optimizer.steps} 回呼ばれました（バッチは {len(problem.batches)} 個）",
             en=f"optimizer.step() was called {run.optimizer.steps} times for {len(problem.batches)} batches"),
           T(ja="バッチごとに 1 回 step() を呼びます", en="call step() once per batch"))
    previous = np.zeros(sum(p.numel() for p in params))  # what the last step left in .grad
    for k, (used, want, (x, y)) in enumerate(zip(steps, run.expected.grads, problem.batches), start=1):
        actual = flat(used, params)
        expected = flat(list(want), params)
        if np.allclose(actual, expected, rtol=F32[0], atol=F32[1]):
            previous = actual
            continue
        help = grad_help(actual, expected, x.shape[0] * y.shape[1], previous)
        expect_close(actual, expected, rtol=F32[0], atol=F32[1], help=help,
                     what=T(ja=f"{k} 回目の step() で使われた勾配（全パラメータを並べたもの）",
                            en=f"the gradient used by step() number {k} (all parameters, flattened)"))


@pytest.mark.points(1)
@settings(max_examples=10)
@given(problem=problems(max_batches=2), stale=st.sampled_from([100.0, -3.0, 0.5]))
def test_stale_gradients_before_the_call_are_ignored(problem: Problem, stale: float) -> None:
    """Gradients already in .grad when train is called do not leak into the first step."""
    run = run_train(problem, stale=stale)
    params = list(run.model.parameters())
    expect(run.optimizer.steps >= 1,
           T(ja="optimizer.step() が呼ばれませんでした", en="optimizer.step() was never called"),
           T(ja="バッチごとに 1 回 step() を呼びます", en="call step() once per batch"))
    actual = flat(run.optimizer.used_grads[0], params)
    expected = flat(list(run.expected.grads[0]), params)
    x, y = problem.batches[0]
    help = grad_help(actual, expected, x.shape[0] * y.shape[1], np.full_like(expected, stale))
    expect_close(actual, expected, rtol=F32[0], atol=F32[1], help=help,
                 what=T(ja=f"呼び出し前から .grad に値 {stale} が入っていたときの、1 回目の step() の勾配",
                        en=f"the gradient used by the first step() when .grad already held {stale} before the call"))


@pytest.mark.points(2)
@settings(max_examples=15)
@given(problem=problems())
def test_parameters_after_training(problem: Problem) -> None:
    """After train, the parameters are those of plain SGD on each batch's mean squared error."""
    run = run_train(problem)
    for (name, p), want in zip(run.model.named_parameters(), run.expected.params):
        expect_close(p, want, help=STEP_HELP,
                     what=T(ja=f"学習後のパラメータ {name}", en=f"parameter {name} after training"))


@pytest.mark.points(1)
@settings(max_examples=8)
@given(problem=problems())
def test_batches_may_be_a_generator(problem: Problem) -> None:
    """batches may be any iterable: a generator (consumed once) gives one loss per batch, one
    step per batch and the parameters of plain SGD, as a list does."""
    run = run_train(problem, as_generator=True)
    help = T(ja="batches は for x, y in batches: で 1 回だけ反復します（len() や添字、2 回目の反復はジェネレータでは使えません）。"
                + STEP_HELP.ja,
             en="iterate over batches once with for x, y in batches: (a generator has no len(), no indexing, "
                "no second pass); " + STEP_HELP.en)
    n = len(problem.batches)
    if count_of(run.result) != n:
        raise Failure(T(ja=f"{n} 個のバッチを出すジェネレータを渡すと、戻り値は {show(run.result)} でした"
                           f"（損失 {n} 個のリストを期待）",
                        en=f"given a generator of {n} batches, train returned {show(run.result)} "
                           f"(expected a list of {n} losses)"), help)
    expect_equal(run.optimizer.steps, n,
                 what=T(ja=f"{n} 個のバッチを出すジェネレータを渡したときの optimizer.step() の呼び出し回数",
                        en=f"the number of optimizer.step() calls given a generator of {n} batches"), help=help)
    for (name, p), want in zip(run.model.named_parameters(), run.expected.params):
        expect_close(p, want, help=help,
                     what=T(ja=f"ジェネレータで学習した後のパラメータ {name}",
                            en=f"parameter {name} after training on a generator"))


@pytest.mark.points(1)
@pytest.mark.parametrize("kind", ["list", "generator"])
def test_no_batches(kind: str) -> None:
    """With no batches, train returns [] and never steps (credited to a train that trains one
    batch right: a loop that never trains also returns [])."""
    one = Problem(2, 0, 1, 0.1, 0, [(np.array([[1.0, -2.0]], np.float32), np.array([[0.5]], np.float32))])
    expect_right_losses(run_train(one), one, T(ja="1 個のバッチでの損失", en="the loss for a single batch"))
    model = nn.Linear(3, 2)
    before = [p.detach().clone() for p in model.parameters()]
    optimizer = RecordingSGD(model.parameters(), 0.1)
    batches: Any = [] if kind == "list" else iter(())
    result = ex.train(model, optimizer, batches)
    what_in = T(ja="空のリスト" if kind == "list" else "空のジェネレータ",
                en="an empty list" if kind == "list" else "an empty generator")
    if count_of(result) != 0:  # [] (that it is a list is the subject of its own check)
        raise Mismatch("[]", result, LIST_HELP,
                       what=T(ja=f"{what_in.ja} を渡したときの戻り値", en=f"the value returned for {what_in.en}"))
    expect_equal(optimizer.steps, 0, what=T(ja=f"{what_in.ja} のときの optimizer.step() の呼び出し回数",
                                            en=f"the number of optimizer.step() calls for {what_in.en}"),
                 help=T(ja="バッチがなければ更新もしません", en="no batch, no update"))
    for p, b in zip(model.parameters(), before):
        expect_close(p, b, what=T(ja="バッチなしで呼んだ後のパラメータ", en="the parameters after a call with no batches"))


@pytest.mark.points(1)
def test_textbook_example() -> None:
    """The textbook's setting: nn.Linear(10, 5), SGD(lr=0.01), ten batches of randn(32, 10) / randn(32, 5)."""
    seed_torch(0)
    model = nn.Linear(10, 5)
    g = torch.Generator().manual_seed(1)
    batches = [(torch.randn(32, 10, generator=g), torch.randn(32, 5, generator=g)) for _ in range(10)]
    expected = expected_run(model, 0.01, batches)
    optimizer = RecordingSGD(model.parameters(), 0.01)
    result = ex.train(model, optimizer, [(x.clone(), y.clone()) for x, y in batches])
    actual = loss_values(result, 10)
    expect_close(actual, np.array(expected.losses), rtol=F32[0], atol=F32[1],
                 help=loss_help(actual, expected, np.full(10, 32.0 * 5)),
                 what=T(ja="教科書の例（10 バッチ）の損失", en="the losses of the textbook example (10 batches)"))
    for (name, p), want in zip(model.named_parameters(), expected.params):
        expect_close(p, want, help=STEP_HELP,
                     what=T(ja=f"教科書の例で学習した後の {name}", en=f"{name} after the textbook example"))
