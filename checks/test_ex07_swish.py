"""Checks for exercise 7: Swish as a custom autograd Function (SwishFunction, swish, Swish).

Contract: /work/shared/design/exercises.md, ex7. Where it is silent, these checks decide:
- Expected values are computed here in float64 numpy with a stable sigmoid (functions
  captured at import, before student code runs), and compared with dtype tolerances.
- "grad_fn comes from SwishFunction": the autograd graph of `swish(x)` must contain a node
  of SwishFunction's backward class (normally `swish(x).grad_fn` itself, named
  `SwishFunctionBackward`). A one-input wrapper such as `.view_as(x)` after `apply` is
  accepted; a sum with another path (`F.silu(x) + 0 * SwishFunction.apply(x)`) is not, since
  autograd's own gradient would flow past the learner's backward.
- "The backward is the student's" also rules out a backward that hands the derivative back to
  autograd: recomputing x * sigmoid(x) under `torch.enable_grad()` and calling
  `torch.autograd.grad`, or `torch.func.vjp(F.silu, x)`. While the engine runs
  SwishFunction's backward (create_graph=False), an op dispatched with grad mode on, or one of
  autograd's own derivative kernels (`aten.*_backward`, e.g. sigmoid_backward, silu_backward),
  shows it. Hand-written maths dispatches neither. A recomputation differentiated by a
  torch.func transform (vjp, jvp, grad) or by forward-mode AD (dual numbers) can use only plain
  ops (exp, where, mul), so the backward is also called once directly, under a torch function
  mode that sees whether a functorch transform or a dual level is active around any call.
- backward must work for any layout of grad_output (expanded by `.sum(dim)`, transposed) and
  must not modify grad_output in place (autograd may hand the same tensor to several nodes).
- Numerical hazards are the real ones: exp(x) overflows to inf for x > 88.7 in float32 and
  x > 709.8 in float64, so `x * exp(x) / (1 + exp(x))` gives NaN for large positive x and
  `exp(-x) / (1 + exp(-x))**2` gives NaN for large negative x. Inputs reach |x| = 1e4 in
  both dtypes; forward and backward must be finite and right there.
- Shapes include 0-d tensors, empty tensors and non-contiguous (transposed) tensors.
  float16 is not checked (the contract names float32 and float64).
- Double backward (gradients of gradients) is not required.
- `Swish()` takes no arguments; extra parameters or buffers are not checked.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.autograd import forward_ad as _forward_ad
from torch.autograd.gradcheck import GradcheckError
from torch.overrides import TorchFunctionMode

from checks import strategies as draw
from checks.compare import as_numpy, expect_close, expect_dtype, expect_equal_arrays, expect_finite, expect_shape, \
    expect_tensor
from checks.devices import on_every_device, parity_tolerance
from checks.feedback import Failure, T, expect, show, showing
from checks.opcount import OpCounter
from checks.submission import student
from grader.plugin.determinism import seed_torch

ex = student("ex07_swish")

# Captured before any student code runs (a submission cannot patch the expected values).
_exp, _where, _abs, _errstate = np.exp, np.where, np.abs, np.errstate
_gradcheck = torch.autograd.gradcheck
_autograd_grad = torch.autograd.grad
_is_grad_enabled = torch.is_grad_enabled
_no_grad = torch.no_grad
_peek_interpreter_stack = torch._C._functorch.peek_interpreter_stack


OUTPUT = T(ja="swish(x)", en="swish(x)")
GRAD = T(ja="x の勾配（grad_output × swish'(x)）", en="the gradient of x (grad_output × swish'(x))")
HELP_FORWARD = T(
    ja="Swish の定義：swish(x) = x * sigmoid(x)（F.silu と同じ）。torch.sigmoid は大きな |x| でも安定です",
    en="the definition: swish(x) = x * sigmoid(x) (same as F.silu); torch.sigmoid is stable for large |x|",
)
HELP_BACKWARD = T(
    ja="積の微分：s = sigmoid(x) として d/dx (x·s) = s + x·s·(1 - s) = s·(1 + x·(1 - s))。"
       "連鎖律により backward は grad_output にこれを掛けて返します",
    en="the product rule: with s = sigmoid(x), d/dx (x·s) = s + x·s·(1 - s) = s·(1 + x·(1 - s)); "
       "by the chain rule backward returns grad_output times this",
)
HELP_STABLE = T(
    ja="数値安定性：float32 では x > 88 で exp(x) が inf になり、inf / inf や inf * 0 は NaN です。"
       "exp を直接使わず torch.sigmoid(x) を使い、微分も s·(1 + x·(1 - s)) の形で書きます",
    en="numerical stability: in float32 exp(x) is inf for x > 88, and inf / inf or inf * 0 is NaN; "
       "use torch.sigmoid(x) rather than exp by hand, and write the derivative as s·(1 + x·(1 - s))",
)
HELP_FUNCTION = T(
    ja="カスタム autograd 関数：swish は SwishFunction.apply(x) を返します（forward を直接呼んだり、"
       "x * torch.sigmoid(x) を autograd に任せたりしない）。Swish.forward も swish を使います",
    en="a custom autograd Function: swish returns SwishFunction.apply(x) (do not call forward directly, "
       "nor leave x * torch.sigmoid(x) to autograd); Swish.forward uses swish too",
)

class AutogradInBackward(OpCounter):
    """Counts ops (as OpCounter) and also records the signs of a backward that delegates to
    autograd: ops dispatched with grad mode on, and autograd's own derivative kernels."""

    def __init__(self) -> None:
        super().__init__()
        self.delegated: list[str] = []

    def __torch_dispatch__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        name = str(func)  # "aten.sigmoid_backward.default"
        if _is_grad_enabled() or _is_derivative_kernel(name):
            self.delegated.append(name)
        return super().__torch_dispatch__(func, types, args, kwargs)


def _is_derivative_kernel(op_name: str) -> bool:
    """aten.sigmoid_backward, aten.silu_backward, ...: the kernels autograd's own formulas call."""
    parts = op_name.split(".")
    return len(parts) >= 2 and parts[1].endswith("_backward")


def expect_own_backward(watcher: AutogradInBackward, example: str) -> None:
    """Fail if SwishFunction's backward handed the derivative back to autograd."""
    if not watcher.delegated:
        return
    seen = ", ".join(sorted(set(watcher.delegated)))
    raise Failure(
        T(ja=f"SwishFunction.backward が微分を autograd に任せています（backward の中で {seen}）",
          en=f"SwishFunction.backward leaves the derivative to autograd (inside backward: {seen})"),
        T(ja="backward では微分を自分の式で書きます（torch.enable_grad() の下で計算し直して "
             "torch.autograd.grad を呼んだり、torch.func.vjp を使ったりしない）。" + HELP_BACKWARD.ja,
          en="write the derivative yourself in backward (no torch.autograd.grad on a recomputation under "
             "torch.enable_grad(), no torch.func.vjp); " + HELP_BACKWARD.en),
        counterexample=example,
    )


class TransformWatch(TorchFunctionMode):
    """Records every torch function called inside a torch.func transform (vjp, jvp, grad, ...) or
    inside a forward-mode AD level (torch.autograd.forward_ad.dual_level). A torch function mode sees
    only what runs in this thread, so the learner's backward is called directly, not by the engine."""

    def __init__(self) -> None:
        super().__init__()
        self.inside: list[str] = []

    def __torch_function__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        if _peek_interpreter_stack() is not None or _forward_ad._current_level >= 0:
            self.inside.append(getattr(func, "__name__", str(func)))
        return func(*args, **(kwargs or {}))


def expect_no_transform_in_backward(node: Any, x: torch.Tensor, example: str) -> None:
    """Fail if SwishFunction's backward (the graph node `node`, fresh) differentiates with torch.func or
    forward-mode AD: that is autograd's derivative of a recomputed forward, whatever ops it uses."""
    watch = TransformWatch()
    with showing(example), _no_grad(), watch:  # as the engine runs it (create_graph=False)
        node.apply(torch.ones(x.shape, dtype=x.dtype))
    if watch.inside:
        raise Failure(
            T(ja=f"SwishFunction.backward の中で torch.func の変換（vjp, jvp, grad）か順方向モードの自動微分を使って"
                 f"います（その中で {', '.join(watch.inside[:4])}）。微分を autograd に任せています",
              en=f"SwishFunction.backward uses a torch.func transform (vjp, jvp, grad) or forward-mode AD "
                 f"(inside it: {', '.join(watch.inside[:4])}): the derivative is left to autograd"),
            T(ja="backward では微分を自分の式で書きます。" + HELP_BACKWARD.ja,
              en="write the derivative yourself in backward; " + HELP_BACKWARD.en),
            counterexample=example)


# Beyond exp's overflow in each dtype (88.7 for float32, 709.8 for float64), and far beyond.
EXTREMES = {
    "float32": [-1e4, -1e3, -100.0, -89.0, -50.0, -20.0, -0.0, 0.0, 20.0, 50.0, 89.0, 100.0, 1e3, 1e4],
    "float64": [-1e4, -1e3, -710.0, -100.0, -37.0, 0.0, 37.0, 100.0, 710.0, 1e3, 1e4],
}
DTYPES = {"float32": torch.float32, "float64": torch.float64}


# --------------------------------------------------------------------------- expected values

def sigmoid64(x: np.ndarray) -> np.ndarray:
    """A sigmoid that never overflows: exp(-|x|) is in (0, 1]."""
    x = np.asarray(x, dtype=np.float64)
    z = _exp(-_abs(x))
    return _where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def swish64(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return x * sigmoid64(x)


def dswish64(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    s = sigmoid64(x)
    return s * (1.0 + x * (1.0 - s))


# --------------------------------------------------------------------------- helpers

def arrays_of_any_shape(dtype: Any, magnitude: float, min_side: int = 0, max_side: int = 4,
                        min_dims: int = 0) -> st.SearchStrategy[np.ndarray]:
    """Any shape (0-d and empty included unless asked otherwise) with finite values."""
    shape = draw.shapes(min_dims=min_dims, max_dims=4, min_side=min_side, max_side=max_side)
    return draw.float_arrays(shape, dtype, magnitude)


def swish_function_node(out: torch.Tensor, function_cls: Any) -> Any:
    """The node made by `function_cls` (its backward class) through which every gradient reaching
    `out` goes, or None: `out.grad_fn` is that node, or a chain of one-input nodes (`.view_as(x)`,
    `.clone()`, `* 1.0`) leads to it. A sum such as `F.silu(x) + 0 * SwishFunction.apply(x)`
    has two inputs: autograd's own silu gradient would flow past the learner's backward."""
    node = out.grad_fn
    for _ in range(20):
        if node is None:
            return None
        forward_cls = getattr(type(node), "_forward_cls", None)
        if isinstance(forward_cls, type) and isinstance(function_cls, type) and issubclass(forward_cls, function_cls):
            return node
        inputs = [fn for fn, _ in getattr(node, "next_functions", ()) if fn is not None]
        if len(inputs) != 1:
            return None
        node = inputs[0]
    return None


def call(x: torch.Tensor, example: str | None) -> torch.Tensor:
    """swish(x) from the learner's file, with `example` shown if it raises."""
    with showing(example):
        out = ex.swish(x)
    return expect_tensor(out, OUTPUT)


def grad_of(x_np: np.ndarray, dtype: torch.dtype, example: str | None, grad_output: torch.Tensor | None = None,
            device: torch.device | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """(swish(x), d<grad_output, swish(x)>/dx) for a fresh leaf x built from x_np."""
    x = torch.tensor(x_np, dtype=dtype, device=device, requires_grad=True)
    out = call(x, example)
    expect_shape(out, tuple(x.shape), OUTPUT, HELP_FORWARD, counterexample=example)
    expect(out.requires_grad is True and out.grad_fn is not None,
           T(ja="swish(x) が x の計算グラフにつながっていません（requires_grad=True の x でも勾配を計算できません）",
             en="swish(x) is not connected to x's graph (no gradient even for an x with requires_grad=True)"),
           HELP_FUNCTION, counterexample=example)
    if grad_output is None:
        grad_output = torch.ones_like(out)
    with showing(example):  # runs the learner's backward
        (grad,) = _autograd_grad(out, x, grad_outputs=grad_output.to(out.device, out.dtype), allow_unused=True)
    if grad is None:
        raise Failure(T(ja="backward が x に勾配を返しませんでした（None）", en="backward returned no gradient for x (None)"),
                      HELP_BACKWARD, counterexample=example)
    return out, expect_tensor(grad, GRAD)


# --------------------------------------------------------------------------- forward

@pytest.mark.points(3)
@given(x=st.sampled_from((np.float32, np.float64)).flatmap(lambda d: arrays_of_any_shape(d, 30.0)))
def test_forward_equals_silu(x: np.ndarray) -> None:
    """swish(x) equals x * sigmoid(x) (F.silu) for any shape, in float32 and float64."""
    out = call(torch.from_numpy(x.copy()), None)  # hypothesis shows x
    expect_shape(out, x.shape, OUTPUT, HELP_FORWARD)
    expect_close(out, swish64(x).astype(x.dtype), OUTPUT, HELP_FORWARD)


@pytest.mark.points(1)
def test_seed_example() -> None:
    """swish([-2, -1, 0, 1, 2]) = [-0.2384, -0.2689, 0, 0.7311, 1.7616]."""
    values = [-2.0, -1.0, 0.0, 1.0, 2.0]
    example = f"x = torch.tensor({values})"
    out = call(torch.tensor(values), example)
    expect_close(out, swish64(np.array(values)).astype(np.float32), OUTPUT, HELP_FORWARD, counterexample=example)


@pytest.mark.points(2)
@pytest.mark.parametrize("dtype_name", list(EXTREMES))
def test_forward_stable_at_large_magnitudes(dtype_name: str) -> None:
    """No NaN or inf, and the right values, for |x| up to 1e4 (past exp's overflow)."""
    values = EXTREMES[dtype_name]
    x = torch.tensor(values, dtype=DTYPES[dtype_name])
    example = f"x = torch.tensor({values}, dtype=torch.{dtype_name})"
    out = call(x.clone(), example)
    expect_finite(out, OUTPUT, HELP_STABLE, counterexample=example)
    expect_close(out, swish64(np.array(values)), OUTPUT, HELP_STABLE, counterexample=example)


@pytest.mark.points(1)
def test_dtype_and_shape_preserved() -> None:
    """float32 stays float32, float64 stays float64; 0-d, empty and transposed inputs keep their shape."""
    base = torch.linspace(-3, 3, 12)
    cases = {
        "0-d": lambda d: torch.tensor(0.75, dtype=d),
        "(0,)": lambda d: torch.empty(0, dtype=d),
        "(2, 0, 3)": lambda d: torch.empty(2, 0, 3, dtype=d),
        "(3, 4).T": lambda d: base.to(d).reshape(3, 4).T,  # non-contiguous
        "(2, 3, 1, 2)": lambda d: base.to(d).reshape(2, 3, 1, 2),
    }
    for dtype in (torch.float32, torch.float64):
        for label, make in cases.items():
            x = make(dtype)
            example = f"x: shape {label}, dtype={dtype}"
            expected = swish64(as_numpy(x, OUTPUT))
            out = call(x, example)
            expect_dtype(out, dtype, OUTPUT,
                         T(ja="入力と同じ dtype で計算します（.float() や .double() で変換しない）",
                           en="compute in the input's dtype (no .float() / .double())"), counterexample=example)
            expect_shape(out, tuple(x.shape), OUTPUT,
                         T(ja="要素ごとの関数なので形は変わりません（view(-1) などで平らにしたままにしない）",
                           en="an elementwise function keeps the shape (do not leave it flattened by view(-1))"),
                         counterexample=example)
            expect_close(out, expected, OUTPUT, HELP_FORWARD, counterexample=example)


# --------------------------------------------------------------------------- autograd wiring

@pytest.mark.points(2)
def test_result_comes_from_swish_function() -> None:
    """swish(x).grad_fn is SwishFunction's backward node: backprop runs the learner's backward, which
    computes the derivative itself (no autograd.grad or torch.func.vjp inside)."""
    function_cls = ex.SwishFunction
    expect(isinstance(function_cls, type) and issubclass(function_cls, torch.autograd.Function),
           T(ja=f"SwishFunction は torch.autograd.Function のサブクラスではありません（{function_cls!r}）",
             en=f"SwishFunction is not a subclass of torch.autograd.Function ({function_cls!r})"),
           HELP_FUNCTION)
    example = "x = torch.linspace(-2, 2, 5, dtype=torch.float64, requires_grad=True)"
    x = torch.linspace(-2, 2, 5, dtype=torch.float64, requires_grad=True)
    out = call(x, example)
    node = type(out.grad_fn).__name__ if out.grad_fn is not None else "None"
    expect(swish_function_node(out, function_cls) is not None,
           T(ja=f"swish(x) の grad_fn は {node} で、SwishFunction の逆伝播（SwishFunctionBackward）を通っていません",
             en=f"swish(x).grad_fn is {node}: backpropagation does not go through SwishFunction "
                f"(expected SwishFunctionBackward)"),
           HELP_FUNCTION, counterexample=example)
    ones = torch.ones_like(out)  # made here: only what backward dispatches is watched
    watcher = AutogradInBackward()
    with showing(example), watcher:  # runs the learner's backward, nothing else
        _autograd_grad(out, x, grad_outputs=ones, allow_unused=True)
    expect_own_backward(watcher, example)
    expect_no_transform_in_backward(swish_function_node(call(x, example), function_cls), x, example)


@pytest.mark.points(2)
def test_swish_module() -> None:
    """Swish() is an nn.Module with no required arguments; Swish()(x) == swish(x), through SwishFunction."""
    with showing("Swish()"):
        module = ex.Swish()
    expect(isinstance(module, torch.nn.Module),
           T(ja=f"Swish() が nn.Module ではありません（{type(module).__name__}）",
             en=f"Swish() is not an nn.Module ({type(module).__name__})"),
           T(ja="class Swish(nn.Module) として定義し、forward(self, x) を書きます",
             en="define class Swish(nn.Module) with forward(self, x)"))
    values = [-3.0, -0.5, 0.0, 0.5, 3.0]
    x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    example = f"Swish()(torch.tensor({values}, dtype=torch.float64, requires_grad=True))"
    with showing(example):
        out = module(x)
    out = expect_tensor(out, T(ja="Swish()(x)", en="Swish()(x)"))
    expect_close(out, swish64(np.array(values)), T(ja="Swish()(x)", en="Swish()(x)"), HELP_FORWARD,
                 counterexample=example)
    node = type(out.grad_fn).__name__ if out.grad_fn is not None else "None"
    expect(swish_function_node(out, ex.SwishFunction) is not None,
           T(ja=f"Swish()(x) の grad_fn は {node} で、SwishFunction を通っていません",
             en=f"Swish()(x).grad_fn is {node}: it does not go through SwishFunction"),
           HELP_FUNCTION, counterexample=example)


@pytest.mark.points(1)
def test_swish_module_trains_in_a_network() -> None:
    """In nn.Sequential(Linear, Swish(), Linear) the weight gradients equal those with nn.SiLU."""
    seed_torch(7)
    first, last = torch.nn.Linear(3, 4).double(), torch.nn.Linear(4, 2).double()
    inputs = torch.randn(5, 3, dtype=torch.float64)

    example = "nn.Sequential(nn.Linear(3, 4), Swish(), nn.Linear(4, 2)), float64; loss = net(x).pow(2).mean()"

    def weight_grads(activation: torch.nn.Module) -> list[torch.Tensor]:
        net = torch.nn.Sequential(first, activation, last)
        net.zero_grad()
        with showing(example):
            net(inputs).pow(2).mean().backward()
        if first.weight.grad is None:  # the graph was cut inside the activation
            raise Failure(
                T(ja="Swish() より前の Linear 層に勾配が届きません（グラフが Swish で切れています）",
                  en="no gradient reaches the Linear layer before Swish() (the graph is cut at Swish)"),
                HELP_FUNCTION, counterexample=example)
        return [first.weight.grad.clone(), last.weight.grad.clone()]

    expected = weight_grads(torch.nn.SiLU())
    with showing("Swish()"):
        activation = ex.Swish()
    actual = weight_grads(activation)
    for name, a, e in zip(("0.weight", "2.weight"), actual, expected):
        expect_close(a, e, T(ja=f"Linear 層 {name} の勾配（nn.SiLU を使ったときとの比較）",
                             en=f"the gradient of Linear {name} (compared with nn.SiLU)"), HELP_BACKWARD,
                     counterexample=example)


# --------------------------------------------------------------------------- backward

@pytest.mark.points(3)
@settings(max_examples=25)
@given(x=arrays_of_any_shape(np.float64, 20.0), seed=draw.seeds())
def test_backward_is_the_derivative(x: np.ndarray, seed: int) -> None:
    """For any grad_output g, the gradient of x is g * s(x) * (1 + x * (1 - s(x))) (float64)."""
    g = torch.randn(x.shape, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    example = f"x = {show(torch.from_numpy(x))}\ngrad_output = {show(g)}"
    expected = as_numpy(g, GRAD) * dswish64(x)  # before the call: grad_output in-place is checked elsewhere
    _, grad = grad_of(x, torch.float64, example, g)
    expect_dtype(grad, torch.float64, GRAD, HELP_BACKWARD, counterexample=example)
    expect_close(grad, expected, GRAD, HELP_BACKWARD, counterexample=example)


def _layout_cases() -> dict[str, tuple[str, Any, Any]]:
    """name -> (the loss as the learner would write it, loss(base) with swish, expected d loss / d base)."""
    base = np.linspace(-3.0, 3.0, 12).reshape(3, 4)
    rows = np.array([1.0, -2.0, 0.5])
    cols = np.linspace(-1.0, 1.0, 12).reshape(4, 3)
    d = dswish64(base)
    return {
        "sum": ("swish(x).sum()", lambda x: ex.swish(x).sum(), d),
        "sum(dim=1)": (f"(swish(x).sum(dim=1) * torch.tensor({rows.tolist()})).sum()",
                       lambda x: (ex.swish(x).sum(dim=1) * torch.from_numpy(rows)).sum(), rows[:, None] * d),
        ".T": ("(swish(x).T * w).sum()  # w of shape (4, 3)",
               lambda x: (ex.swish(x).T * torch.from_numpy(cols)).sum(), cols.T * d),
        "input .T": ("(swish(x.T) * w).sum()  # x.T is not contiguous",
                     lambda x: (ex.swish(x.T) * torch.from_numpy(cols)).sum(), cols.T * d),
    }


@pytest.mark.points(1)
def test_backward_any_grad_output_layout() -> None:
    """backward works whatever the layout of grad_output and x: expanded by .sum() / .sum(dim=1),
    transposed by .T, a non-contiguous input; the gradient is right in each case."""
    base = np.linspace(-3.0, 3.0, 12).reshape(3, 4)
    for label, (loss_text, loss_of, expected) in _layout_cases().items():
        x = torch.tensor(base, dtype=torch.float64, requires_grad=True)
        example = f"x = torch.linspace(-3, 3, 12, dtype=torch.float64).reshape(3, 4).requires_grad_()\nloss = {loss_text}"
        with showing(example):
            loss = loss_of(x)
            (grad,) = _autograd_grad(loss, x, allow_unused=True)
        if grad is None:
            raise Failure(T(ja="backward が x に勾配を返しませんでした（None）", en="backward returned no gradient for x (None)"),
                          HELP_BACKWARD, counterexample=example)
        expect_close(expect_tensor(grad, GRAD), expected, GRAD,
                     T(ja="grad_output は連続とは限りません（.sum() の後は expand、.T の後は転置されたテンソル）。"
                          "view(-1) ではなく要素ごとの演算（grad_output * ...）か reshape を使います。" + HELP_BACKWARD.ja,
                       en="grad_output need not be contiguous (expanded after .sum(), transposed after .T): use "
                          "elementwise ops (grad_output * ...) or reshape, not view(-1). " + HELP_BACKWARD.en),
                     counterexample=example)


@pytest.mark.points(1)
def test_backward_leaves_grad_output_alone() -> None:
    """With y = swish(x) + swish(x) and grad_outputs g, the gradient is 2 * g * swish'(x) and g is
    unchanged: autograd hands the same grad_output tensor to both SwishFunction nodes."""
    values = np.linspace(-3.0, 3.0, 7)
    g = torch.linspace(-1.0, 2.0, 7, dtype=torch.float64)
    g_before = as_numpy(g, GRAD)
    example = (f"x = torch.tensor({values.round(3).tolist()}, dtype=torch.float64, requires_grad=True)\n"
               f"y = swish(x) + swish(x); torch.autograd.grad(y, x, grad_outputs=torch.linspace(-1, 2, 7, dtype=torch.float64))")
    x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    with showing(example):
        y = ex.swish(x) + ex.swish(x)
        (grad,) = _autograd_grad(y, x, grad_outputs=g, allow_unused=True)
    help = T(ja="backward の中で grad_output を in-place で書き換えない（grad_output.mul_(...)、grad_output *= ...）。"
                "autograd は同じ grad_output を複数のノードに渡すことがあるので、他の勾配まで狂います。"
                "grad_output * ... で新しいテンソルを返します",
             en="do not modify grad_output in place in backward (grad_output.mul_(...), grad_output *= ...): "
                "autograd may pass the same tensor to several nodes, so other gradients go wrong too; return a "
                "new tensor, grad_output * ...")
    expect_equal_arrays(g, g_before, T(ja="backward の後の grad_outputs（変わってはいけない）",
                                       en="grad_outputs after backward (must be unchanged)"), help,
                        counterexample=example)
    if grad is None:
        raise Failure(T(ja="backward が x に勾配を返しませんでした（None）", en="backward returned no gradient for x (None)"),
                      HELP_BACKWARD, counterexample=example)
    expect_close(expect_tensor(grad, GRAD), 2.0 * g_before * dswish64(values), GRAD, help, counterexample=example)


@pytest.mark.points(2)
@settings(max_examples=12)
@given(x=arrays_of_any_shape(np.float64, 8.0, min_side=1, max_side=3, min_dims=1))
def test_gradcheck_float64(x: np.ndarray) -> None:
    """torch.autograd.gradcheck passes for SwishFunction.apply and for swish (float64)."""
    for name, fn in (("SwishFunction.apply", ex.SwishFunction.apply), ("swish", ex.swish)):
        leaf = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        try:
            ok = _gradcheck(fn, (leaf,), eps=1e-6, atol=1e-6, rtol=1e-4)
        except GradcheckError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise Failure(
                T(ja=f"gradcheck({name}) が失敗しました：数値微分と backward の結果が一致しません（{first}）",
                  en=f"gradcheck({name}) failed: backward disagrees with the numerical derivative ({first})"),
                HELP_BACKWARD,
            ) from None
        expect(ok is True, T(ja=f"gradcheck({name}) が True を返しませんでした",
                             en=f"gradcheck({name}) did not return True"), HELP_BACKWARD)


@pytest.mark.points(2)
@pytest.mark.parametrize("dtype_name", list(EXTREMES))
def test_backward_finite_at_extremes(dtype_name: str) -> None:
    """The gradient is finite and right (≈ 0 far left, ≈ 1 far right) for |x| up to 1e4."""
    values = np.array(EXTREMES[dtype_name])
    example = f"x = torch.tensor({EXTREMES[dtype_name]}, dtype=torch.{dtype_name}, requires_grad=True); swish(x).sum().backward()"
    _, grad = grad_of(values, DTYPES[dtype_name], example)
    expect_finite(grad, GRAD, HELP_STABLE, counterexample=example)
    expect_close(grad, dswish64(values), GRAD, HELP_STABLE, counterexample=example)


# --------------------------------------------------------------------------- without autograd, side effects

@pytest.mark.points(1)
def test_works_without_grad() -> None:
    """swish works under torch.no_grad() and on inputs with requires_grad=False."""
    values = [-4.0, -1.0, 0.0, 1.0, 4.0]
    expected = swish64(np.array(values))
    example = f"with torch.no_grad(): swish(torch.tensor({values}, requires_grad=True))"
    with torch.no_grad():
        x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
        out = call(x, example)
    expect_close(out, expected, OUTPUT, HELP_FORWARD, counterexample=example)
    example = f"swish(torch.tensor({values}))  # requires_grad=False"
    plain = torch.tensor(values, dtype=torch.float64)
    out = call(plain, example)
    expect_close(out, expected, OUTPUT, HELP_FORWARD, counterexample=example)
    expect(plain.requires_grad is False,
           T(ja="swish が入力の requires_grad を True に変えました", en="swish turned on the input's requires_grad"),
           T(ja="入力テンソルの設定は変えずに、SwishFunction.apply(x) を返すだけにします",
             en="leave the input's flags alone: just return SwishFunction.apply(x)"), counterexample=example)


@pytest.mark.points(1)
def test_input_not_modified() -> None:
    """swish(x) leaves x unchanged (no in-place x.mul_ / sigmoid_ on the input)."""
    values = [-2.0, -0.5, 0.0, 0.5, 2.0]
    help = T(ja="in-place 演算（x.mul_()、x *= ...、torch.sigmoid(x, out=x)）は呼び出し元のテンソルを書き換え、"
                "保存した x も変わるので勾配まで狂います。新しいテンソルを返します",
             en="in-place ops (x.mul_(), x *= ..., torch.sigmoid(x, out=x)) change the caller's tensor, and the "
                "saved x with it, so the gradient goes wrong too: return a new tensor")
    for requires_grad in (False, True):
        x = torch.tensor(values, dtype=torch.float64, requires_grad=requires_grad)
        before = as_numpy(x, OUTPUT)
        example = f"x = torch.tensor({values}, dtype=torch.float64, requires_grad={requires_grad}); swish(x)"
        call(x, example)
        expect_equal_arrays(x, before,
                            T(ja=f"swish を呼んだ後の x（requires_grad={requires_grad}、変わってはいけない）",
                              en=f"x after swish(x) (requires_grad={requires_grad}; must be unchanged)"), help,
                            counterexample=example)


# --------------------------------------------------------------------------- devices

@pytest.mark.points(1)
@on_every_device
def test_same_result_on_device(device: torch.device) -> None:
    """On every device, forward and gradient stay on the device and match the expected values."""
    values = np.array([-1e4, -100.0, -3.0, -0.5, 0.0, 0.5, 3.0, 100.0, 1e4])
    example = f"x = torch.tensor({values.tolist()}, device='{device.type}', requires_grad=True)"
    out, grad = grad_of(values, torch.float32, example, device=device)
    for name, value in (("swish(x)", out), ("x.grad", grad)):
        expect(value.device.type == device.type,
               T(ja=f"{name} が {value.device} にあります（x は {device.type} 上）",
                 en=f"{name} is on {value.device}, but x is on {device.type}"),
               T(ja="入力と同じデバイスで計算します（新しいテンソルは device=x.device で作る）",
                 en="compute on the input's device (create new tensors with device=x.device)"),
               counterexample=example)
    rtol, atol = parity_tolerance(device, torch.float32)  # accelerators round differently
    expect_close(out, swish64(values), OUTPUT, HELP_FORWARD, counterexample=example, rtol=rtol, atol=atol)
    expect_close(grad, dswish64(values), GRAD, HELP_BACKWARD, counterexample=example, rtol=rtol, atol=atol)
