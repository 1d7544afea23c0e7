"""Checks for exercise 18: `conv2d_output_size(h, w, kernel_size, stride=1, padding=0, dilation=1)`
and `SmallCNN(in_channels, num_classes, image_size)`.

Contract: conv2d_output_size equals the height and width nn.Conv2d produces for every valid
combination (each argument an int or a pair, padding also "valid" / "same"), and raises ValueError
for a non-positive result, a kernel, stride or dilation below 1, a negative padding, or "same" with
a stride above 1. SmallCNN is exactly Conv2d(in, 16, 3, padding=1) → ReLU → MaxPool2d(2) →
Conv2d(16, 32, 3, padding=1) → ReLU → MaxPool2d(2) → Flatten → Linear(32·(H//2//2)·(W//2//2),
num_classes) for any image_size ≥ (4, 4), ValueError below.

Decisions where the contract is silent:
- The expected sizes are read off a real nn.Conv2d run here on a (1, 1, h, w) input, so "same"
  with an even kernel or a dilation (torch pads unevenly and keeps the size) is whatever torch
  does. Inputs h, w are ≥ 1; pairs are tuples (lists are not graded); a padding string other than
  "valid" / "same" is not graded.
- The result must be a tuple of two Python ints (its own 1-point check); the value checks also
  read a list, or floats with integral values, so a wrong container costs only that check.
- "Non-positive result" includes a result of exactly 0, and the cases where the numerator of the
  formula is negative but above −stride (int(a / s) rounds those to 0 and reports a size of 1;
  floor division gives 0).
- SmallCNN is compared with the architecture built here (never the reference): parameter count
  with a layer table, output shape, and identical outputs once these weights are copied in by order
  (module names free; checks.modules). Outputs are compared in eval mode and in train mode: the
  architecture has no layer that differs between them, so a Dropout or BatchNorm added is caught.
  ReLU after the pooling instead of before is the same function (max and ReLU commute) and passes.
  nn.LazyLinear does not: its size is not computed at construction, so the model has no parameter
  count until its first forward pass (a dummy forward pass in __init__ to size a Linear is fine).
- image_size is a tuple (H, W) with H, W drawn from 4 to 33, odd and non-square included; inputs
  are float32 on the CPU with a batch of 1 to 3.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from checks.compare import expect_shape
from checks.differential import expect_same_structure
from checks.feedback import Failure, T, expect_equal, expect_raises, show
from checks.modules import copy_weights, expect_param_count, expect_same_outputs
from checks.submission import student
from grader.plugin.determinism import seed_torch

ex = student("ex18_small_cnn")

_Conv2d = nn.Conv2d
_Uninitialized = nn.parameter.UninitializedParameter

SIZE = T(ja="conv2d_output_size の戻り値 (h_out, w_out)", en="what conv2d_output_size returns, (h_out, w_out)")
HELP_FORMULA = T(ja="高さと幅それぞれ out = (in + 2*padding - dilation*(kernel_size - 1) - 1) // stride + 1。"
                    "int は (v, v) の組として扱い、組なら [0] が高さ、[1] が幅です",
                 en="for height and width each, out = (in + 2*padding - dilation*(kernel_size - 1) - 1) // stride + 1; "
                    "an int stands for the pair (v, v); in a pair, [0] is the height and [1] the width")
HELP_ARCH = T(ja="Conv2d(in, 16, 3, padding=1) → ReLU → MaxPool2d(2) → Conv2d(16, 32, 3, padding=1) → ReLU → "
                 "MaxPool2d(2) → Flatten → Linear(32 * (H // 2 // 2) * (W // 2 // 2), num_classes)。ソフトマックスは付けません",
              en="Conv2d(in, 16, 3, padding=1) → ReLU → MaxPool2d(2) → Conv2d(16, 32, 3, padding=1) → ReLU → "
                 "MaxPool2d(2) → Flatten → Linear(32 * (H // 2 // 2) * (W // 2 // 2), num_classes); no softmax")


def torch_size(h: int, w: int, kernel_size: Any, stride: Any, padding: Any, dilation: Any) -> tuple[int, int]:
    """What nn.Conv2d itself produces (a real convolution on the CPU)."""
    conv = _Conv2d(1, 1, kernel_size, stride=stride, padding=padding, dilation=dilation, bias=False)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's note on "same" with an even kernel: ours, not the learner's
        out = conv(torch.zeros(1, 1, h, w))
    return int(out.shape[-2]), int(out.shape[-1])


def read_size(result: Any) -> tuple[int, int]:
    """The result as (int, int) for the value checks; its exact type has a check of its own."""
    if type(result) in (tuple, list) and len(result) == 2 and all(
            type(v) is int or (isinstance(v, float) and v.is_integer()) or type(v).__name__.startswith("int")
            for v in result):
        return int(result[0]), int(result[1])
    raise Failure(T(ja=f"{SIZE.ja}: 2 つの整数の組を期待しましたが {show(result)} でした",
                    en=f"{SIZE.en}: expected a pair of two whole numbers, got {show(result)}"), HELP_FORMULA)


def ints_or_pairs(low: int, high: int) -> st.SearchStrategy[Any]:
    return st.one_of(st.integers(low, high), st.tuples(st.integers(low, high), st.integers(low, high)))


def _pair(v: Any) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else v


@st.composite
def valid_convolutions(draw_: st.DrawFn) -> dict[str, Any]:
    """Arguments nn.Conv2d accepts, with an output of at least 1 in each direction."""
    args = {"kernel_size": draw_(ints_or_pairs(1, 5)), "stride": draw_(ints_or_pairs(1, 3)),
                "padding": draw_(ints_or_pairs(0, 3)), "dilation": draw_(ints_or_pairs(1, 3))}
    k, p, d = _pair(args["kernel_size"]), _pair(args["padding"]), _pair(args["dilation"])
    least = [max(1, d[i] * (k[i] - 1) + 1 - 2 * p[i]) for i in (0, 1)]  # the smallest input that fits
    return dict(h=draw_(st.integers(least[0], least[0] + 12)), w=draw_(st.integers(least[1], least[1] + 12)), **args)


@pytest.mark.points(3)
@given(args=valid_convolutions())
@example(args={"h": 7, "w": 12, "kernel_size": (3, 5), "stride": (2, 3), "padding": (1, 0), "dilation": (2, 1)})
def test_output_size_matches_conv2d(args: dict[str, Any]) -> None:
    """For ints and pairs of every argument, the size is the one nn.Conv2d produces."""
    expect_equal(read_size(ex.conv2d_output_size(**args)), torch_size(**args), SIZE, HELP_FORMULA)


@st.composite
def string_paddings(draw_: st.DrawFn) -> dict[str, Any]:
    """"same" or "valid" with stride 1 (an int or (1, 1)); inputs large enough for "valid"."""
    padding = draw_(st.sampled_from(["same", "valid"]))
    k, d = draw_(ints_or_pairs(1, 6)), draw_(ints_or_pairs(1, 3))
    least = [1 if padding == "same" else _pair(d)[i] * (_pair(k)[i] - 1) + 1 for i in (0, 1)]
    return {"h": draw_(st.integers(least[0], least[0] + 12)), "w": draw_(st.integers(least[1], least[1] + 12)),
                "kernel_size": k, "stride": draw_(st.sampled_from([1, (1, 1)])), "padding": padding, "dilation": d}


@pytest.mark.points(1)
@given(args=string_paddings())
@example(args={"h": 5, "w": 8, "kernel_size": (4, 2), "stride": 1, "padding": "same", "dilation": (1, 3)})
def test_valid_and_same_padding(args: dict[str, Any]) -> None:
    """padding="same" keeps the size (even kernels and dilations too); "valid" is no padding at all."""
    expect_equal(read_size(ex.conv2d_output_size(**args)), torch_size(**args), SIZE,
                 T(ja='"same" は入力と同じ大きさ（偶数のカーネルでも、torch は左右で違う量を詰めます）、"valid" は padding = 0 です',
                   en='"same" keeps the input size (with an even kernel too: torch pads unevenly), "valid" is padding = 0'))


@pytest.mark.points(1)
@given(args=valid_convolutions())
def test_returns_a_tuple_of_ints(args: dict[str, Any]) -> None:
    """The result is a tuple of two Python ints (// keeps ints; / would give floats)."""
    expect_equal(ex.conv2d_output_size(**args), torch_size(**args), SIZE,
                 T(ja="return (h_out, w_out) と int のタプルで返します。/ ではなく // を使います",
                   en="return (h_out, w_out), a tuple of ints; use //, not /"))


@st.composite
def too_small(draw_: st.DrawFn) -> dict[str, Any]:
    """Arguments whose output would be 0 or negative in one direction: the numerator
    in + 2p − d(k − 1) − 1 is between −3·stride and −1."""
    k, s, d = draw_(st.integers(2, 6)), draw_(st.integers(1, 3)), draw_(st.integers(1, 2))
    extent = d * (k - 1)
    p = draw_(st.integers(0, min(1, (extent - 1) // 2)))
    short = draw_(st.integers(max(1, extent + 1 - 2 * p - 3 * s), extent - 2 * p))
    big = draw_(st.integers(extent + 1, 20))
    h, w = (short, big) if draw_(st.booleans()) else (big, short)
    return {"h": h, "w": w, "kernel_size": k, "stride": s, "padding": p, "dilation": d}


@pytest.mark.points(1)
@given(args=too_small())
@example(args={"h": 4, "w": 9, "kernel_size": 5, "stride": 2, "padding": 0, "dilation": 1})
@example(args={"h": 9, "w": 4, "kernel_size": 5, "stride": 1, "padding": 0, "dilation": 1})
def test_non_positive_output_raises(args: dict[str, Any]) -> None:
    """A kernel that does not fit the padded input (an output of 0 or less) raises ValueError."""
    expect_raises(ValueError, ex.conv2d_output_size, **args, what=T(
        ja=f"出力が 0 以下になる引数 {args}", en=f"arguments whose output would be 0 or less: {args}"),
        help=T(ja="// で計算した出力が 1 未満なら raise ValueError。int(a / b) は負の数を 0 の方向に丸めるので判定を誤ります",
               en="raise ValueError when the output computed with // is below 1; int(a / b) rounds negatives towards "
                  "zero and gets this wrong"))


BAD_ARGUMENTS = [
    {"kernel_size": 0}, {"kernel_size": (3, 0)}, {"kernel_size": -1}, {"stride": 0}, {"stride": (1, 0)},
    {"stride": -2}, {"dilation": 0}, {"dilation": (0, 1)}, {"padding": -1}, {"padding": (0, -1)},
]


@pytest.mark.points(1)
def test_bad_arguments_raise() -> None:
    """A kernel size, stride or dilation below 1, or a negative padding (in either direction), raises ValueError."""
    for bad in BAD_ARGUMENTS:
        args = {"h": 9, "w": 9, "kernel_size": 3, "stride": 1, "padding": 1, "dilation": 1} | bad
        expect_raises(ValueError, ex.conv2d_output_size, **args, what=T(ja=f"不正な引数 {bad}", en=f"an invalid argument {bad}"),
                      help=T(ja="組の両方の値を確かめます: kernel_size・stride・dilation は 1 以上、padding は 0 以上",
                             en="check both values of a pair: kernel_size, stride and dilation at least 1, padding at "
                                "least 0"))


@pytest.mark.points(1)
def test_same_with_a_stride_raises() -> None:
    """padding="same" with a stride above 1 in either direction raises ValueError, as nn.Conv2d does."""
    for stride in (2, (1, 2), (3, 1)):
        expect_raises(ValueError, ex.conv2d_output_size, 9, 9, 3, stride, "same",
                      what=T(ja=f'padding="same" と stride={stride}', en=f'padding="same" with stride={stride}'),
                      help=T(ja='"same" は stride が高さ・幅とも 1 のときだけ使えます',
                             en='"same" works only with stride 1 in both directions'))


# ---------------------------------------------------------------------------------------------- SmallCNN


class Architecture(nn.Module):
    """The contract's CNN, built here."""

    def __init__(self, in_channels: int, num_classes: int, image_size: tuple[int, int]) -> None:
        super().__init__()
        h, w = image_size
        self.conv1, self.conv2 = nn.Conv2d(in_channels, 16, 3, padding=1), nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * (h // 2 // 2) * (w // 2 // 2), num_classes)  # named as the table shows them

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = nn.functional.max_pool2d(nn.functional.relu(self.conv1(x)), 2)
        x = nn.functional.max_pool2d(nn.functional.relu(self.conv2(x)), 2)
        return self.fc(x.flatten(1))


class Net(tuple):
    """(in_channels, num_classes, image_size, batch, seed), shown as the call it stands for."""

    def __repr__(self) -> str:
        c, k, size, b, _ = self
        return f"SmallCNN({c}, {k}, {size}) on x of shape ({b}, {c}, {size[0]}, {size[1]})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def build(self) -> tuple[Any, nn.Module, torch.Tensor]:
        c, k, size, b, seed = self
        seed_torch(seed)
        oracle = Architecture(c, k, size)
        x = torch.randn(b, c, *size, generator=torch.Generator().manual_seed(seed))
        model = ex.SmallCNN(c, k, size)
        if isinstance(model, nn.Module) and any(isinstance(p, _Uninitialized) for p in model.parameters()):
            raise Failure(T(ja=f"{self!r}: 形の決まっていないパラメータ（LazyLinear など）があります",
                            en=f"{self!r}: some parameters have no shape yet (LazyLinear or the like)"),
                          T(ja="Linear の入力サイズ 32 * (H // 2 // 2) * (W // 2 // 2) を __init__ で計算して nn.Linear に渡します",
                            en="compute the Linear's input size 32 * (H // 2 // 2) * (W // 2 // 2) in __init__ and "
                               "pass it to nn.Linear"))
        return model, oracle, x


NETS = st.tuples(st.integers(1, 4), st.integers(1, 10), st.tuples(st.integers(4, 33), st.integers(4, 33)),
                 st.integers(1, 3), st.integers(0, 1000)).map(Net)


@pytest.mark.points(2)
@given(net=NETS)
@settings(max_examples=25)
@example(net=Net((1, 10, (4, 4), 1, 0)))
@example(net=Net((3, 10, (7, 13), 2, 0)))
def test_parameter_count(net: Net) -> None:
    """The model has exactly the parameters of the architecture asked for, for any image size."""
    model, oracle, _ = net.build()
    expect_param_count(model, oracle, T(ja=f"{net!r} のパラメータ数", en=f"the parameter count of {net!r}"), HELP_ARCH)


@pytest.mark.points(1)
@given(net=NETS)
@settings(max_examples=25)
@example(net=Net((3, 4, (9, 6), 1, 0)))
def test_output_shape(net: Net) -> None:
    """The output is (B, num_classes) for odd and non-square images and a batch of one too."""
    model, _, x = net.build()
    expect_shape(model(x), (x.shape[0], net[1]), T(ja="SmallCNN の出力", en="the output of SmallCNN"), HELP_ARCH,
                 counterexample=repr(net))


@pytest.mark.points(3)
@given(net=NETS)
@settings(max_examples=25)
@example(net=Net((2, 5, (11, 6), 2, 0)))
def test_same_outputs_as_the_architecture(net: Net) -> None:
    """With the architecture's weights copied in (by order), the logits are the same (eval mode)."""
    model, oracle, x = net.build()
    expect_same_outputs(model, oracle, x, what=T(ja="SmallCNN の出力（ロジット）", en="the output of SmallCNN (logits)"),
                        help=HELP_ARCH, example=repr(net))


@pytest.mark.points(1)
@given(net=NETS)
@settings(max_examples=10)
def test_same_outputs_in_training_mode(net: Net) -> None:
    """In train mode too the outputs are the architecture's: no Dropout or BatchNorm is added."""
    model, oracle, x = net.build()
    copy_weights(oracle, model, T(ja="SmallCNN", en="SmallCNN"))
    model.train()
    with torch.no_grad():
        expect_same_structure(model(x), oracle(x), T(ja="学習モードの出力", en="the output in train mode"),
                              T(ja="課題の構成にない層（Dropout、BatchNorm など）は加えません",
                                en="add no layer the task does not list (Dropout, BatchNorm, ...)"), example=repr(net))


@pytest.mark.points(1)
def test_images_smaller_than_4x4_raise() -> None:
    """image_size with H < 4 or W < 4 raises ValueError (both poolings need at least 4 pixels)."""
    for size in ((3, 3), (3, 10), (10, 3), (5, 3), (0, 8)):
        expect_raises(ValueError, ex.SmallCNN, 3, 10, size, what=T(ja=f"image_size={size}", en=f"image_size={size}"),
                      help=T(ja="if H < 4 or W < 4: raise ValueError(...)。image_size < (4, 4) はタプルの辞書式比較なので "
                                "(5, 3) を通します",
                             en="if H < 4 or W < 4: raise ValueError(...); image_size < (4, 4) compares tuples "
                                "lexicographically and lets (5, 3) through"))
