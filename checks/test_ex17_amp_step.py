"""Checks for exercise 17: `amp_train_step(model, optimizer, loss_fn, x, y, scaler, device_type="cpu",
dtype=torch.bfloat16, max_norm=None) -> float`, one mixed-precision training step.

Contract: zero_grad; forward and loss under `torch.autocast(device_type, dtype=dtype)`;
`scaler.scale(loss).backward()`; when max_norm is given, `scaler.unscale_(optimizer)` before
`clip_grad_norm_`; `scaler.step(optimizer)`; `scaler.update()`; the unscaled loss returned as a
Python float. An inf/NaN gradient leaves the parameters unchanged and shrinks the scale.

Decisions where the contract is silent:
- The oracle is a plain float32 step written here (zero_grad, loss, backward, clip_grad_norm_,
  step) on an identical model. A bfloat16 step differs from it by bfloat16 rounding, so the
  parameter *updates* (after − before) are compared, within 5% plus 5% of the largest update
  (parameters themselves would hide a missing step); every mistake caught here is off by a
  factor (the scale, max_norm / scale, zero, several times the clip). The optimizer is SGD
  (lr 0.5, momentum 0.9), so the update is the gradient itself; the model a Linear–Tanh–Linear (smooth, so bfloat16
  rounding cannot flip a ReLU and change the gradient by more than rounding).
- "Under autocast" is seen from inside: the Linear layers' outputs have the autocast dtype
  (bfloat16, or float16 when the check asks for it on the CPU), and loss_fn is called while
  autocast is enabled on that device. Calling backward inside the autocast block, unscale_ on
  every step, model.zero_grad(), set_to_none either way, and clipping the optimizer's parameters
  instead of model.parameters() (the same ones here) are all accepted.
- The scaler is the caller's, built by the check with growth_interval=1, so `update()` is seen on
  every step: the scale doubles after a finite step and halves after an inf/NaN one (a scaler made
  inside the step, or a missing update, leaves the caller's scale as it was). max_norm = 0.0 is a
  given max_norm (every gradient is clipped to zero), not "no clipping".
- The inf/NaN step is driven two ways: a loss whose scaled value overflows float32 (the loss
  itself finite, about 1e36) and a NaN loss. The returned loss is then that value (NaN for NaN).
- Stale gradients are planted before the call as a scaled backward leaves them (3 × the scale):
  unscaled ones would be divided by the scale and vanish in rounding even when zero_grad is missing.
- The optional arguments are passed by keyword (device_type=, dtype=, max_norm=), the first six by
  position, as a caller writes them.
- The returned loss must be a float (a float subclass such as numpy.float64 is accepted); its
  value is also checked apart from its type, so returning a tensor costs only the type check.
- On CUDA the step runs with float16 and GradScaler("cuda") and is compared with the float32 CPU
  step at float16 tolerance (skipped without a GPU, like MPS).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from checks import strategies as draw
from checks.compare import expect_close, expect_equal_arrays
from checks.devices import on_every_device
from checks.feedback import Failure, T, expect, show
from checks.submission import student
from checks.warmup import warm_up_torch

ex = student("ex17_amp_step")

# Captured before any student code runs.
_GradScaler = torch.amp.GradScaler
_cross_entropy = F.cross_entropy
_clip = torch.nn.utils.clip_grad_norm_
_autocast_enabled = torch.is_autocast_enabled
_autocast_dtype = torch.get_autocast_dtype
CPU = torch.device("cpu")
INIT_SCALE = 2.0 ** 12

UPDATE = T(ja="1 ステップでのパラメータの変化（後 − 前）", en="the change of the parameters in one step (after − before)")
LOSS = T(ja="amp_train_step の戻り値（損失）", en="the loss amp_train_step returned")
HELP_STEP = T(ja="zero_grad → autocast の中で loss → scaler.scale(loss).backward() → scaler.step(optimizer) → "
                 "scaler.update() の順です。loss.backward() や optimizer.step() を直接呼ぶと、スケールが戻りません",
              en="zero_grad → loss inside autocast → scaler.scale(loss).backward() → scaler.step(optimizer) → "
                 "scaler.update(); calling loss.backward() or optimizer.step() directly leaves the scale in")
HELP_CLIP = T(ja="backward 直後の勾配は scale 倍されています。scaler.unscale_(optimizer) で戻してから "
                 "clip_grad_norm_(model.parameters(), max_norm) を呼びます。max_norm = 0.0 も与えられた値です（is not None）",
              en="right after backward the gradients are multiplied by the scale: call scaler.unscale_(optimizer) first, "
                 "then clip_grad_norm_(model.parameters(), max_norm); max_norm = 0.0 is a given value too (is not None)")
HELP_SCALER = T(ja="引数の scaler をそのまま使い、毎ステップの最後に scaler.update() を呼びます。inf / NaN のステップは "
                   "scaler.step が飛ばし、scaler.update がスケールを小さくします",
                en="use the scaler passed in and call scaler.update() at the end of every step; scaler.step skips an "
                   "inf / NaN step and scaler.update shrinks the scale")


def _model(seed: int, device: torch.device = CPU) -> nn.Module:
    g = torch.Generator().manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))  # smooth: no ReLU kink for rounding to flip
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g))
    return model.to(device)


def _data(seed: int, batch: int, device: torch.device = CPU) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed + 1)
    return torch.randn(batch, 4, generator=g).to(device), torch.randint(0, 3, (batch,), generator=g).to(device)


def _sgd(model: nn.Module) -> torch.optim.Optimizer:
    return torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)


def _scaler(device_type: str = "cpu") -> torch.amp.GradScaler:
    return _GradScaler(device_type, init_scale=INIT_SCALE, growth_interval=1)


def _float32_step(seed: int, batch: int, max_norm: float | None, loss_fn: Callable = _cross_entropy
                  ) -> tuple[list[torch.Tensor], float]:
    """The oracle: the same step in float32 on the CPU; returns the parameters after it and the loss."""
    model = _model(seed)
    opt = _sgd(model)
    x, y = _data(seed, batch)
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    if max_norm is not None:
        _clip(model.parameters(), max_norm)
    opt.step()
    return [p.detach().clone() for p in model.parameters()], loss.item()


def _grad_norm(seed: int, batch: int) -> float:
    model = _model(seed)
    x, y = _data(seed, batch)
    _cross_entropy(model(x), y).backward()
    return float(torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in model.parameters()])))


def _warm_up_amp() -> None:
    """The first autocast region and GradScaler step fill lazy caches: done once, here."""
    warm_up_torch()
    model = _model(0)
    opt = _sgd(model)
    scaler = _scaler()
    for dtype in (torch.bfloat16, torch.float16):
        with torch.autocast("cpu", dtype=dtype):
            loss = _cross_entropy(model(torch.zeros(1, 4)), torch.zeros(1, dtype=torch.long))
        scaler.scale(loss).backward()
        scaler.unscale_(opt)
        _clip(model.parameters(), 1.0)
        scaler.step(opt)
        scaler.update()


_warm_up_amp()


def run_step(seed: int, batch: int, *, max_norm: float | None = None, loss_fn: Callable = _cross_entropy,
             scaler: torch.amp.GradScaler | None = None, stale_grads: bool = False, dtype: torch.dtype = torch.bfloat16,
             device: torch.device = CPU) -> tuple[nn.Module, list[torch.Tensor], Any, torch.amp.GradScaler]:
    """One call of the learner's step on a fresh model; returns (model, parameters before, result, scaler)."""
    model = _model(seed, device)
    opt = _sgd(model)
    x, y = _data(seed, batch, device)
    scaler = scaler or _scaler(device.type)
    if stale_grads:  # left over from an earlier scaled backward (as large as scaled gradients are)
        for p in model.parameters():
            p.grad = torch.full_like(p, 3.0 * INIT_SCALE)
    before = [p.detach().cpu().clone() for p in model.parameters()]
    result = ex.amp_train_step(model, opt, loss_fn, x, y, scaler, device_type=device.type, dtype=dtype,
                               max_norm=max_norm)
    return model, before, result, scaler


def expect_update(model: nn.Module, before: list[torch.Tensor], expected: list[torch.Tensor], help: T,
                  rtol: float = 0.05, share: float = 0.05) -> None:
    """The learner's update matches the float32 one within bfloat16 rounding (see the docstring)."""
    deltas = [e - b for e, b in zip(expected, before)]
    atol = share * max(float(d.abs().max()) for d in deltas) + 1e-7
    for (name, p), b, d in zip(model.named_parameters(), before, deltas):
        what = T(ja=f"{UPDATE.ja}: {name}", en=f"{UPDATE.en}: {name}")
        expect_close(p.detach().cpu().float() - b, d, what, help, rtol=rtol, atol=atol)


def loss_value(result: Any) -> float:
    """The returned loss as a number, for the value checks (its type has a check of its own)."""
    if isinstance(result, float) or (type(result) is torch.Tensor and result.numel() == 1):
        return float(result)
    raise Failure(T(ja=f"amp_train_step は損失を float で返す必要がありますが {show(result)} が返されました",
                    en=f"amp_train_step must return the loss as a float, but returned {show(result)}"),
                  T(ja="return loss.item()", en="return loss.item()"))


class Step(tuple):
    """(seed, batch) of a drawn step, shown to the learner with the setting it stands for."""

    def __repr__(self) -> str:
        return (f"seed={self[0]}, batch={self[1]}: Sequential(Linear(4, 8), Tanh(), Linear(8, 3)), "
                f"SGD(lr=0.5, momentum=0.9), GradScaler('cpu', init_scale={INIT_SCALE:g}), F.cross_entropy")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


STEPS = st.tuples(draw.seeds(), st.integers(1, 8)).map(Step)


@pytest.mark.points(3)
@given(case=STEPS)
@settings(max_examples=15)
def test_step_matches_a_float32_step(case: tuple[int, int]) -> None:
    """One step changes the parameters as a float32 step does (within bfloat16 rounding)."""
    seed, batch = case
    model, before, _, _ = run_step(seed, batch)
    expect_update(model, before, _float32_step(seed, batch, None)[0], HELP_STEP)


@pytest.mark.points(1)
@given(case=STEPS)
@settings(max_examples=10)
def test_stale_gradients_do_not_leak_in(case: tuple[int, int]) -> None:
    """Gradients left in .grad before the call are cleared (zero_grad) before the backward pass."""
    seed, batch = case
    model, before, _, _ = run_step(seed, batch, stale_grads=True)
    expect_update(model, before, _float32_step(seed, batch, None)[0],
                  T(ja="backward は .grad に足し込みます。ステップの最初に optimizer.zero_grad() を呼びます",
                    en="backward adds into .grad: call optimizer.zero_grad() at the start of the step"))


@pytest.mark.points(1)
@given(case=STEPS)
@settings(max_examples=10)
def test_returns_the_unscaled_loss(case: tuple[int, int]) -> None:
    """The value returned is the loss of this batch before the step, not multiplied by the scale."""
    seed, batch = case
    _, _, result, _ = run_step(seed, batch)
    expect_close(loss_value(result), _float32_step(seed, batch, None)[1], LOSS,
                 T(ja="scaler.scale(loss) はスケール倍された値です。返すのは loss.item() です",
                   en="scaler.scale(loss) is multiplied by the scale; return loss.item()"), rtol=0.03, atol=0.01)


@pytest.mark.points(1)
def test_the_loss_is_a_python_float() -> None:
    """The loss is returned as a Python float (loss.item()), not as a tensor."""
    _, _, result, _ = run_step(3, 4)
    expect(isinstance(result, float), T(ja=f"戻り値の型が float ではありません: {show(result)}",
                                        en=f"the value returned is not a float: {show(result)}"),
           T(ja="loss.item() で Python の float にします", en="turn it into a Python float with loss.item()"))
    loss_value(result)


def _probed() -> tuple[list[Any], list[Any], Callable]:
    """Hooks on the Linear layers record their output dtypes; the loss records autocast's state."""
    outputs: list[Any] = []
    states: list[Any] = []

    def loss_fn(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        states.append((_autocast_enabled("cpu"), _autocast_dtype("cpu")))
        return _cross_entropy(out, y)

    return outputs, states, loss_fn


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16], ids=["bfloat16", "float16"])
def test_forward_runs_under_autocast(dtype: torch.dtype) -> None:
    """The forward pass runs under torch.autocast("cpu", dtype=dtype): the Linear layers compute in dtype."""
    outputs, _, loss_fn = _probed()
    model = _model(5)
    for layer in (model[0], model[2]):
        layer.register_forward_hook(lambda module, args, out: outputs.append(out.dtype))
    x, y = _data(5, 4)
    ex.amp_train_step(model, _sgd(model), loss_fn, x, y, _scaler(), device_type="cpu", dtype=dtype)
    seen = sorted({str(d).removeprefix("torch.") for d in outputs})
    expect(bool(outputs) and set(outputs) == {dtype},
           T(ja=f"Linear 層の出力の dtype が {seen} でした（autocast の {str(dtype)[6:]} を期待）",
             en=f"the Linear layers' outputs had dtype {seen} (expected autocast's {str(dtype)[6:]})"),
           T(ja="with torch.autocast(device_type, dtype=dtype): の中で model(x) を呼びます。torch.cuda.amp.autocast() "
                "は CPU では効きません。dtype は引数のものを渡します",
             en="call model(x) inside `with torch.autocast(device_type, dtype=dtype):`; torch.cuda.amp.autocast() "
                "does nothing on the CPU; pass the dtype argument on"),
           counterexample=f'amp_train_step(model, optimizer, loss_fn, x, y, scaler, device_type="cpu", '
                          f'dtype=torch.{str(dtype)[6:]})')


@pytest.mark.points(1)
def test_loss_is_computed_under_autocast() -> None:
    """loss_fn is called inside the same autocast region as the forward pass."""
    _, states, loss_fn = _probed()
    model = _model(6)
    x, y = _data(6, 4)
    ex.amp_train_step(model, _sgd(model), loss_fn, x, y, _scaler(), device_type="cpu", dtype=torch.bfloat16)
    expect(bool(states), T(ja="渡された loss_fn が一度も呼ばれませんでした", en="the loss_fn passed in was never called"),
           T(ja="損失は引数の loss_fn(model(x), y) で計算します", en="compute the loss with the loss_fn argument: loss_fn(model(x), y)"))
    expect(all(on and d == torch.bfloat16 for on, d in states),
           T(ja=f"loss_fn が autocast の外で呼ばれました（autocast の状態 (有効, dtype): {states}）",
             en=f"loss_fn was called outside autocast (autocast state (enabled, dtype): {states})"),
           T(ja="順伝播と損失の計算を両方 with torch.autocast(...): のブロックに入れます",
             en="put both the forward pass and the loss inside the `with torch.autocast(...):` block"))


@pytest.mark.points(2)
@given(case=STEPS, max_norm_over_grad_norm=st.floats(0.1, 0.6))
@settings(max_examples=12)
@example(case=Step((0, 4)), max_norm_over_grad_norm=0.0)
def test_clips_the_unscaled_gradients(case: tuple[int, int], max_norm_over_grad_norm: float) -> None:
    """With max_norm (a fraction of the gradient norm, 0.0 included), the unscaled gradients are clipped."""
    seed, batch = case
    max_norm = max_norm_over_grad_norm * _grad_norm(seed, batch)
    model, before, _, scaler = run_step(seed, batch, max_norm=max_norm)
    expect_update(model, before, _float32_step(seed, batch, max_norm)[0], HELP_CLIP)
    expect_close(scaler.get_scale(), INIT_SCALE * 2, T(ja="クリップしたステップ後のスケール", en="the scale after a clipped step"),
                 HELP_SCALER)


def _overflowing(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return _cross_entropy(out, y) * 1e36  # finite, but its scaled value and gradients overflow float32


def _nan_loss(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return _cross_entropy(out, y) * float("nan")


@pytest.mark.points(2)
@given(case=STEPS, loss=st.sampled_from([_overflowing, _nan_loss]))
@settings(max_examples=8)
def test_inf_or_nan_gradients_skip_the_step(case: tuple[int, int], loss: Callable) -> None:
    """When the gradients are inf/NaN the parameters stay exactly as they were and the scale halves."""
    seed, batch = case
    model, before, result, scaler = run_step(seed, batch, loss_fn=loss)
    for (name, p), b in zip(model.named_parameters(), before):
        expect_equal_arrays(p.detach(), b, T(ja=f"inf / NaN のステップ後の {name}", en=f"{name} after an inf / NaN step"),
                            HELP_SCALER)
    expect_close(scaler.get_scale(), INIT_SCALE / 2, T(ja="inf / NaN のステップ後のスケール", en="the scale after an inf / NaN step"),
                 HELP_SCALER)
    expect_close(loss_value(result), _float32_step(seed, batch, None, loss)[1], LOSS, rtol=0.03)


@pytest.mark.points(1)
def test_the_callers_scaler_is_updated() -> None:
    """Two finite steps with the caller's scaler (growth_interval=1): its scale doubles twice."""
    scaler = _scaler()
    for _ in range(2):
        run_step(7, 4, scaler=scaler)
    expect_close(scaler.get_scale(), INIT_SCALE * 4, T(ja="2 ステップ後のスケール", en="the scale after two steps"),
                 HELP_SCALER, counterexample="GradScaler('cpu', growth_interval=1); two calls of amp_train_step")


@on_every_device
@pytest.mark.points(1)
def test_same_step_on_every_device(device: torch.device) -> None:
    """On every device (float16 autocast on a GPU, bfloat16 on the CPU) the step matches the float32 CPU step."""
    dtype = torch.bfloat16 if device.type == "cpu" else torch.float16
    model, before, _, _ = run_step(11, 6, max_norm=0.5, dtype=dtype, device=device)
    expect_update(model, before, _float32_step(11, 6, 0.5)[0],
                  T(ja="device_type を引数から autocast と GradScaler に渡し、デバイスに依存しないコードにします",
                    en="pass device_type on to autocast and keep the code device-agnostic"))
