"""Checks for exercise 15: `train_accumulated(model, optimizer, loss_fn, micro_batches, accum_steps)`.

Contract: one pass over micro_batches (any iterable, consumed once), grouped accum_steps at a
time; per group, gradients start from zero (stale .grad never leaks in), each micro-batch's
loss_fn(model(x), y) is divided by the group's size k and back-propagated, then one
optimizer.step(); a final short group steps too, divided by its own k. Returns each step's
mean of the group's k micro-batch losses as Python floats. accum_steps < 1: ValueError; no
micro-batch: [] and no step. With equal micro-batch sizes and plain SGD the parameters equal
those of one step per group on the concatenated samples (float64, 1e-10); ⌈n / accum_steps⌉
optimizer steps.

Decisions where the contract is silent:
- Two oracles written here, independent of each other: the accumulation rule itself (per
  group, .grad = (1/k) Σ ∇loss_m from torch.autograd.grad, then the learner's own optimizer
  class steps), and, for equal sizes and plain SGD, p -= lr · ∇loss(concatenated group) done
  by hand. Parameters are compared at rtol = atol = 1e-10 (float64), so dividing each loss by
  k, summing then dividing, one backward per group, or rescaling a short final group's
  gradients by accum_steps / k all pass.
- Models are small float64 MLPs (Linear, Tanh) without dropout or batch norm, so train() /
  eval() mode is not graded; the optimizer holds all the model's parameters (model.zero_grad()
  and optimizer.zero_grad() are the same). loss_fn is nn.MSELoss() (a mean).
- The rule check uses SGD with and without momentum, so a missing or extra step shows in the
  parameters; steps are counted with optimizer.register_step_post_hook.
- The returned losses are compared as a list of Python floats at rtol 1e-10 (a tuple is
  accepted: both unpack the same; numpy's float64, a float subclass, counts as a float, as
  in ex2); 0-d tensors and numpy float32 scalars are not floats.
- Stale gradients: every .grad is filled with 100.0 before the call.
- "Consumed once": an iterable without len() whose second iter() fails, and a generator.
  When each micro-batch is fetched (a look-ahead) is not graded.
- accum_steps < 1 is graded with 0 and negative values on a non-empty input; whether the
  error comes before reading any micro-batch is not graded, nor accum_steps < 1 with no
  micro-batch, nor a non-integer accum_steps. What .grad holds after the call is not graded.
- Device: with the model and data on a simulated GPU (meta, checks.devices) no operation may
  mix devices (a loss total kept in a cpu tensor does).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from torch import nn

from checks import strategies as draw
from checks.compare import expect_close
from checks.devices import expect_stays_on_device
from checks.differential import expect_same_structure
from checks.feedback import Failure, T, expect_equal, expect_raises, showing
from checks.submission import student
from checks.warmup import warm_up_torch
from grader.plugin.determinism import seed_torch

ex = student("ex15_grad_accumulation")
warm_up_torch()  # torch's first-use work (the first optimizer step imports torch._dynamo), once: checks/warmup.py

LOSSES = T(ja="train_accumulated が返す損失のリスト", en="the list of losses train_accumulated returns")
HELP_RULE = T(ja="グループごとに: zero_grad、各ミニバッチで (loss_fn(model(x), y) / k).backward()、最後に step を 1 回。"
                 "k はそのグループのミニバッチ数（最後のグループは accum_steps より少ないことがあります）",
              en="per group: zero_grad, then (loss_fn(model(x), y) / k).backward() for each micro-batch, "
                 "then one step; "
                 "k is that group's number of micro-batches (the last group may have fewer than accum_steps)")
HELP_LOSSES = T(ja="記録するのは割る前の loss.item() で、ステップごとにそのグループの k 個の平均を Python の float で返します",
                en="record loss.item() before dividing, and return per step the mean of the group's k values as a "
                   "Python float")
GENERATOR = T(ja="（ジェネレータ）", en=" (a generator)")
FEATURES, LR = 3, 0.1


def setup(seed: int, momentum: float = 0.0) -> tuple[nn.Module, torch.optim.Optimizer]:
    """A small float64 MLP with seeded weights and an SGD optimizer over all its parameters."""
    seed_torch(seed)
    model = nn.Sequential(nn.Linear(FEATURES, 4), nn.Tanh(), nn.Linear(4, 1)).double()
    return model, torch.optim.SGD(model.parameters(), lr=LR, momentum=momentum)


def make_batches(seed: int, sizes: list[int]) -> list[tuple[torch.Tensor, torch.Tensor]]:
    gen = torch.Generator().manual_seed(seed + 1)
    return [(torch.randn(s, FEATURES, generator=gen, dtype=torch.float64),
             torch.randn(s, 1, generator=gen, dtype=torch.float64)) for s in sizes]


def oracle_rule(model: nn.Module, optimizer: torch.optim.Optimizer, batches: list, accum: int) -> list[float]:
    """The contract's rule: per group, .grad = (1/k) Σ ∇loss_m, then one optimizer step."""
    params, means, loss_fn = list(model.parameters()), [], nn.MSELoss()
    for start in range(0, len(batches), accum):
        group = batches[start: start + accum]
        total, values = [torch.zeros_like(p) for p in params], []
        for x, y in group:
            loss = loss_fn(model(x), y)
            for acc, g in zip(total, torch.autograd.grad(loss, params)):
                acc += g
            values.append(loss.item())
        for p, acc in zip(params, total):
            p.grad = acc / len(group)
        optimizer.step()
        means.append(sum(values) / len(values))
    return means


def oracle_concatenated(model: nn.Module, batches: list, accum: int) -> None:
    """The contract's property (equal sizes, plain SGD): one step per group on its concatenated samples."""
    params = list(model.parameters())
    for start in range(0, len(batches), accum):
        x, y = (torch.cat(parts) for parts in zip(*batches[start: start + accum]))
        grads = torch.autograd.grad(nn.MSELoss()(model(x), y), params)
        with torch.no_grad():
            for p, g in zip(params, grads):
                p -= LR * g


def describe(sizes: list[int], accum: int, momentum: float = 0.0, note: T | None = None) -> T:
    setup_text = (f"model = Linear({FEATURES}, 4) → Tanh → Linear(4, 1), float64; optimizer = SGD(lr={LR}, "
                  f"momentum={momentum}); loss_fn = nn.MSELoss()\n")
    return T(ja=f"{setup_text}micro_batches: 大きさ {sizes} の {len(sizes)} 個; accum_steps = {accum}"
                f"{note.ja if note else ''}",
             en=f"{setup_text}micro_batches: {len(sizes)} of sizes {sizes}; accum_steps = {accum}"
                f"{note.en if note else ''}")


def train(seed: int, sizes: list[int], accum: int, momentum: float = 0.0, stale: bool = False,
          wrap: Any = list, note: T | None = None) -> tuple[Any, nn.Module, int, T]:
    """Run the learner's function on a fresh model; returns (its result, the model, steps taken, example)."""
    model, optimizer = setup(seed, momentum)
    if stale:
        for p in model.parameters():
            p.grad = torch.full_like(p, 100.0)
    steps = [0]
    optimizer.register_step_post_hook(lambda *_: steps.__setitem__(0, steps[0] + 1))
    example_text = describe(sizes, accum, momentum, note)
    with showing(example_text):
        out = ex.train_accumulated(model, optimizer, nn.MSELoss(), wrap(make_batches(seed, sizes)), accum)
    return out, model, steps[0], example_text


def expect_same_parameters(model: nn.Module, expected: nn.Module, help: T, example: T) -> None:
    for (name, p), q in zip(model.named_parameters(), expected.parameters()):
        expect_close(p, q, T(ja=f"学習後のパラメータ {name}", en=f"parameter {name} after training"), help,
                     rtol=1e-10, atol=1e-10, counterexample=example)


def plain_floats(out: Any) -> Any:
    """A list of floats (numpy's float64 subclasses float) as plain floats; anything else as it is, to be reported."""
    if type(out) in (list, tuple) and all(isinstance(v, float) for v in out):
        return [float.__float__(v) for v in out]
    return out


def expect_rule(seed: int, sizes: list[int], accum: int, momentum: float = 0.0, **options: Any) -> None:
    """Parameters and returned losses equal the rule oracle's."""
    out, model, _, example_text = train(seed, sizes, accum, momentum, **options)
    reference, optimizer = setup(seed, momentum)
    expected = oracle_rule(reference, optimizer, make_batches(seed, sizes), accum)
    expect_same_parameters(model, reference, HELP_RULE, example_text)
    expect_same_structure(plain_floats(out), expected, LOSSES, HELP_LOSSES, example=example_text,
                          rtol=1e-10, atol=1e-12)


# --------------------------------------------------------------------------- the rule

@pytest.mark.points(1)
def test_worked_example() -> None:
    """5 micro-batches of 2 samples, accum_steps = 2: groups of 2, 2 and 1, three steps, three means."""
    expect_rule(0, [2, 2, 2, 2, 2], 2)


SIZES = st.lists(st.integers(1, 3), min_size=1, max_size=7)


@pytest.mark.points(3)
@given(sizes=SIZES, accum=st.integers(1, 4), momentum=st.sampled_from([0.0, 0.9]), seed=draw.seeds())
@example(sizes=[1, 3, 3, 1], accum=2, momentum=0.0, seed=1)
def test_follows_the_accumulation_rule(sizes: list[int], accum: int, momentum: float, seed: int) -> None:
    """Any sizes, accum_steps and SGD momentum: parameters and returned means equal the rule's (1e-10)."""
    expect_rule(seed, sizes, accum, momentum)


@pytest.mark.points(2)
@given(n=st.integers(1, 7), size=st.integers(1, 3), accum=st.integers(1, 4), seed=draw.seeds())
def test_equals_one_step_on_concatenated_samples(n: int, size: int, accum: int, seed: int) -> None:
    """Equal micro-batch sizes and plain SGD: the same parameters as one step per group on its concatenated samples."""
    _, model, _, example_text = train(seed, [size] * n, accum)
    reference, _ = setup(seed)
    oracle_concatenated(reference, make_batches(seed, [size] * n), accum)
    expect_same_parameters(model, reference, T(
        ja="大きさのそろった k 個のミニバッチの損失（平均）を k で割って足すと、連結した k·b 個のサンプルの平均損失と同じです。"
           "最後の短いグループも自分の k で割ります",
        en="k equal-sized micro-batch losses (means), each divided by k and summed, are the mean loss over the k·b "
           "concatenated samples; the short last group is divided by its own k too"), example_text)


@pytest.mark.points(2)
def test_stale_gradients_never_leak() -> None:
    """Gradients left in .grad before the call (100.0 everywhere) do not reach the first step."""
    expect_rule(3, [2, 2, 2, 2], 2, stale=True, note=T(ja="; 呼ぶ前にすべての p.grad = 100.0",
                                                       en="; every p.grad = 100.0 before the call"))


@pytest.mark.points(2)
@pytest.mark.parametrize("n, accum", [(6, 3), (7, 3), (1, 4), (4, 1), (5, 2)], ids=lambda v: str(v))
def test_steps_once_per_group(n: int, accum: int) -> None:
    """n micro-batches (from a generator) give exactly ⌈n / accum_steps⌉ optimizer steps and as many means."""
    out, _, steps, example_text = train(4, [2] * n, accum, wrap=lambda items: (pair for pair in items),
                                        note=GENERATOR)
    help = T(ja="グループごとに step は 1 回、最後の短いグループでも 1 回、余りが無ければ追加の step はしません",
             en="one step per group, the short last group included; no extra step when nothing is left over")
    expect_equal(steps, math.ceil(n / accum), T(ja="optimizer.step() の回数", en="the number of optimizer.step() calls"),
                 help, counterexample=example_text)
    expect_equal(len(out) if isinstance(out, (list, tuple)) else out, steps,
                 T(ja="返したリストの長さ", en="the length of the returned list"), help, counterexample=example_text)


class OneShot:
    """An iterable that can be iterated once, with no len(): a data stream."""

    def __init__(self, items: list) -> None:
        self.items, self.used = items, False

    def __iter__(self) -> Iterator:
        if self.used:
            raise Failure(T(ja="micro_batches を 2 回反復しようとしました（1 回しか読めないストリームです）",
                            en="micro_batches was iterated a second time (it is a stream that can be read once)"),
                          T(ja="len() や数えるための 1 回目の反復は使わず、グループをリストにためながら 1 回だけ読みます",
                            en="no len() and no first pass to count: read once, collecting each group in a list"))
        self.used = True
        return iter(self.items)


@pytest.mark.points(2)
@pytest.mark.parametrize("kind", ["one_shot_iterable", "generator"])
def test_consumes_any_iterable_once(kind: str) -> None:
    """A stream that can be read once (no len()) or a generator trains exactly like a list."""
    wrap = OneShot if kind == "one_shot_iterable" else (lambda items: (pair for pair in items))
    expect_rule(5, [1, 2, 3, 1, 2], 2, wrap=wrap, note=GENERATOR if kind == "generator" else
                T(ja="（1 回しか反復できず len() の無い iterable）", en=" (an iterable without len() that can be iterated once)"))


@pytest.mark.points(1)
@pytest.mark.parametrize("kind", ["list", "generator"])
def test_no_micro_batch_returns_empty_list(kind: str) -> None:
    """No micro-batch at all: [] comes back, no step is taken and the parameters are unchanged."""
    wrap = list if kind == "list" else (lambda items: (pair for pair in items))
    out, model, steps, example_text = train(6, [], 3, momentum=0.9, stale=True, wrap=wrap,
                                            note=T(ja=f"（空の {kind}）", en=f" (an empty {kind})"))
    help = T(ja="ミニバッチが無ければ step も zero_grad 後の step もせず、空のリストを返します",
             en="with no micro-batch there is nothing to step on: return an empty list, and never call step")
    expect_same_structure(out, [], LOSSES, help, example=example_text)
    expect_equal(steps, 0, T(ja="optimizer.step() の回数", en="the number of optimizer.step() calls"), help,
                 counterexample=example_text)
    expect_same_parameters(model, setup(6, 0.9)[0], help, example_text)


@pytest.mark.points(1)
@pytest.mark.parametrize("accum", [0, -1, -3])
def test_accum_steps_below_one_raises(accum: int) -> None:
    """accum_steps of 0 or below raises ValueError."""
    model, optimizer = setup(7)
    expect_raises(ValueError, ex.train_accumulated, model, optimizer, nn.MSELoss(), make_batches(7, [2, 2, 2]), accum,
                  what=T(ja=f"accum_steps = {accum}（ミニバッチ 3 個）", en=f"accum_steps = {accum} (3 micro-batches)"),
                  help=T(ja="最初に if accum_steps < 1: raise ValueError(...)。== 0 だけでは負の値が通り、"
                            "検査しないと % 0 で ZeroDivisionError になります",
                         en="start with if accum_steps < 1: raise ValueError(...); testing == 0 alone lets negative "
                            "values through, and without a test % 0 raises ZeroDivisionError"))


@pytest.mark.points(1)
def test_nothing_mixes_devices() -> None:
    """With the model and the micro-batches on a GPU (simulated), no operation mixes GPU and cpu tensors."""
    def on_device(*flat: torch.Tensor) -> Any:
        model, optimizer = setup(8)
        model.to(flat[0].device)
        optimizer = torch.optim.SGD(model.parameters(), lr=LR)
        return ex.train_accumulated(model, optimizer, nn.MSELoss(), list(zip(flat[::2], flat[1::2])), 2)

    flat = [t for pair in make_batches(8, [2, 2, 2]) for t in pair]
    expect_stays_on_device(on_device, *flat, what=T(ja="train_accumulated", en="train_accumulated"),
                           example=describe([2, 2, 2], 2, note=T(ja="; model とミニバッチは GPU 上",
                                                                 en="; model and micro-batches on a GPU")),
                           help=T(ja="損失の合計は Python の float（loss.item()）で持つか、入力と同じデバイスのテンソルにします。"
                                     "torch.zeros(1) は cpu 上です",
                                  en="keep the loss total as a Python float (loss.item()) or on the inputs' device; "
                                     "torch.zeros(1) lives on the cpu"))
