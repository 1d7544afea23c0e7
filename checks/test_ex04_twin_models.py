"""Checks for exercise 4: the same MLP (784 → 256 → 128 → 10, ReLU and Dropout(0.3) after
each hidden layer, logits out) written in PyTorch and in Keras.

Decisions where the contract is silent:
- Layers are found by the shapes of their parameters, never by attribute names: for each
  of 784→256, 256→128, 128→10 one weight stored (out, in) (nn.Linear's layout) or
  (in, out) (a Keras kernel, or a raw parameter used as `x @ W`) and one bias (out,). So
  nn.Sequential, named attributes, nn.ModuleList or raw nn.Parameter all work. The order
  of the layers is then established by behaviour: the output must equal our own float64
  computation of the chain 784→256→128→10 from those parameters.
- Dropout before or after ReLU is accepted: inverted dropout multiplies by a non-negative
  scale, which commutes with ReLU, so both orders are the same function in training and
  in inference.
- The dropout rate is measured, not read: with weights we set, every output element shows
  whether the second dropout dropped it and whether the first one did. About 5,000 × 9
  masks per layer give the rate within ±0.01; the tolerance ±0.04 cannot fail a correct
  rate 0.3 (> 10 standard errors) and catches 0.2, 0.5, 0.7, a missing or an extra dropout.
- Scaling is checked as inverted dropout's defining property, whatever the rate: the mean
  of many training outputs equals the inference output (kept units × 1/(1−p)).
- Inputs are float32 of shape (batch, 784); batch 1 included. Other input shapes are not
  required. The Keras model is called directly (`model(x, training=...)`), eagerly.
- Properties that a model computing nothing also has — identical outputs on repeated
  inference calls, on every device, in both frameworks — are graded together with the
  logits the architecture gives (our float64 computation from the model's own weights): a
  model whose output ignores its input and weights earns none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import keras
import numpy as np
import pytest
import torch
from hypothesis import given, settings

from checks import strategies as draw
from checks.compare import as_numpy, expect_close, expect_equal_arrays, expect_shape, expect_tensor
from checks.devices import expect_parity, on_every_device
from checks.feedback import CheckFailure, Failure, T, expect, expect_equal
from checks.modules import expect_param_count
from checks.submission import student

ex = student("ex04_twin_models")

# Captured before student code is imported (a submission cannot patch them afterwards).
_Module = torch.nn.Module
_KerasModel = keras.Model
_keras_to_numpy = keras.ops.convert_to_numpy
_no_grad = torch.no_grad
_from_numpy = torch.from_numpy

LAYERS = ((784, 256), (256, 128), (128, 10))
N_PARAMS = 235_146
P_DROP = 0.3
RATE_TOL = 0.04
WHOLE_ROW_MAX = 0.5  # fraction of samples with an all-kept or all-dropped mask (independent units: ~0.1)
LARGE_SCALE = 10.0  # inputs scaled up so hidden units exceed 6: ReLU has no upper bound (ReLU6 / max_value do)
PROBE_BATCH = 5000

PARAMS_HELP = T(
    ja="784×256+256 + 256×128+128 + 128×10+10 = 235,146。各全結合層は重みとバイアスを持ちます",
    en="784×256+256 + 256×128+128 + 128×10+10 = 235,146; every fully connected layer has a weight and a bias",
)
ARCH_HELP = T(
    ja="784 → 全結合 256 → ReLU → Dropout → 全結合 128 → ReLU → Dropout → 全結合 10 の順に計算します",
    en="compute 784 → Linear 256 → ReLU → Dropout → Linear 128 → ReLU → Dropout → Linear 10, in this order",
)
LOGITS_HELP = T(
    ja="出力層は全結合層そのもの（ロジット）です。softmax は CrossEntropyLoss / from_logits=True の損失が内部で行います",
    en="the output is the last fully connected layer itself (logits); CrossEntropyLoss / a from_logits=True loss applies softmax internally",
)
TRAIN_HELP = T(
    ja="Dropout は学習時だけ働きます: nn.Dropout か F.dropout(x, p, training=self.training)、Keras では training 引数に従う layers.Dropout",
    en="dropout acts only in training: nn.Dropout or F.dropout(x, p, training=self.training); in Keras a layers.Dropout that follows the training argument",
)
RATE_HELP = T(
    ja="Dropout(0.3) は各隠れ層の出力の 30% を 0 にします（p は「落とす」確率で、残す確率ではありません）。"
       "入力や出力層には掛けません",
    en="Dropout(0.3) zeroes 30% of each hidden layer's units (p is the probability to drop, not to keep); "
       "it is not applied to the input nor to the output layer",
)
SCALE_HELP = T(
    ja="逆ドロップアウト: 学習時に残したユニットを 1/(1−p) 倍し、推論時の出力と期待値を揃えます（nn.Dropout / layers.Dropout はそうします）",
    en="inverted dropout: in training, kept units are multiplied by 1/(1−p) so the expectation equals the inference output (nn.Dropout / layers.Dropout do this)",
)


# ---------------------------------------------------------------------------------------
# Finding the layers by the shapes of their parameters
# ---------------------------------------------------------------------------------------
@dataclass
class Layer:
    weight: Any  # the stored parameter / variable
    bias: Any
    kernel_layout: bool  # True: stored (in, out) like a Keras kernel; False: (out, in) like nn.Linear


@dataclass
class Framework:
    name: T
    params: Callable[[Any], list[tuple[str, tuple[int, ...], Any]]]
    get: Callable[[Any], np.ndarray]
    set: Callable[[Any, np.ndarray], None]
    kernel_first: bool  # how this framework usually stores a weight: (in, out) (Keras) or (out, in) (PyTorch)

    def weight_text(self, n_in: int, n_out: int) -> T:
        if self.kernel_first:
            return T(ja=f"カーネル ({n_in}, {n_out})", en=f"kernel ({n_in}, {n_out})")
        return T(ja=f"重み ({n_out}, {n_in})", en=f"weight ({n_out}, {n_in})")


def _torch_params(model: Any) -> list[tuple[str, tuple[int, ...], Any]]:
    return [(name, tuple(p.shape), p) for name, p in model.named_parameters()]


def _torch_get(p: Any) -> np.ndarray:
    return as_numpy(p, T.same("parameter")).astype(np.float64)


def _torch_set(p: Any, value: np.ndarray) -> None:
    with _no_grad():
        p.copy_(_from_numpy(np.ascontiguousarray(value, dtype=np.float32)))


def _keras_params(model: Any) -> list[tuple[str, tuple[int, ...], Any]]:
    return [(getattr(v, "path", None) or v.name, tuple(int(d) for d in v.shape), v) for v in model.weights]


def _keras_get(v: Any) -> np.ndarray:
    return np.asarray(_keras_to_numpy(v), dtype=np.float64)


def _keras_set(v: Any, value: np.ndarray) -> None:
    v.assign(np.ascontiguousarray(value, dtype=np.float32))


TORCH = Framework(T.same("PyTorch"), _torch_params, _torch_get, _torch_set, kernel_first=False)
KERAS = Framework(T.same("Keras"), _keras_params, _keras_get, _keras_set, kernel_first=True)


def _describe(params: list[tuple[str, tuple[int, ...], Any]]) -> str:
    return ", ".join(f"{name} {shape}" for name, shape, _ in params) or "-"


def _find_layers(fw: Framework, model: Any) -> list[Layer]:
    """The three fully connected layers, found by parameter shape (not by name)."""
    params = fw.params(model)
    found = []
    for n_in, n_out in LAYERS:
        weights = [(p, shape == (n_in, n_out)) for _, shape, p in params if shape in ((n_out, n_in), (n_in, n_out))]
        biases = [p for _, shape, p in params if shape == (n_out,)]
        if len(weights) != 1 or len(biases) != 1:
            problem = T(ja="が見つかりません", en="is missing") if not weights or not biases else \
                T(ja="が複数あり、どれか決められません", en="is ambiguous (several candidates)")
            w = fw.weight_text(n_in, n_out)
            raise Failure(
                T(ja=f"{fw.name.ja}: {n_in}→{n_out} の全結合層（{w.ja} とバイアス ({n_out},)）{problem.ja}。"
                     f"見つかったパラメータ: {_describe(params)}",
                  en=f"{fw.name.en}: the {n_in}→{n_out} fully connected layer ({w.en} and bias "
                     f"({n_out},)) {problem.en}. Parameters found: {_describe(params)}"),
                PARAMS_HELP,
            )
        found.append(Layer(weights[0][0], biases[0], weights[0][1]))
    return found


def _kernels(fw: Framework, layers: list[Layer]) -> list[tuple[np.ndarray, np.ndarray]]:
    """(kernel (in, out), bias) per layer, in float64."""
    out = []
    for layer in layers:
        w = fw.get(layer.weight)
        out.append((w if layer.kernel_layout else w.T, fw.get(layer.bias)))
    return out


def _set_kernels(fw: Framework, layers: list[Layer], values: list[tuple[np.ndarray, np.ndarray]]) -> None:
    for layer, (kernel, bias) in zip(layers, values):
        fw.set(layer.weight, kernel if layer.kernel_layout else kernel.T)
        fw.set(layer.bias, bias)


def _expected_logits(values: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray) -> np.ndarray:
    """Our own float64 forward pass of the architecture (inference: no dropout)."""
    h = x.astype(np.float64)
    for i, (kernel, bias) in enumerate(values):
        h = h @ kernel + bias
        if i < len(values) - 1:
            h = np.maximum(h, 0.0)
    return h


# ---------------------------------------------------------------------------------------
# Building and calling the two models
# ---------------------------------------------------------------------------------------
def _torch_model() -> Any:
    model = ex.PyTorchModel()
    if not isinstance(model, _Module):
        raise Failure(T(ja=f"PyTorchModel() が nn.Module ではありません（{type(model).__name__}）",
                        en=f"PyTorchModel() is not an nn.Module ({type(model).__name__})"),
                      T(ja="class PyTorchModel(nn.Module) と書き、__init__ で super().__init__() を呼びます",
                        en="write class PyTorchModel(nn.Module) and call super().__init__() in __init__"))
    return model


def _torch_run(model: Any, x: np.ndarray, *, train: bool) -> np.ndarray:
    if train:
        model.train()
    else:
        model.eval()
    with _no_grad():
        out = model(_from_numpy(np.ascontiguousarray(x, dtype=np.float32)))
    return as_numpy(expect_tensor(out, T(ja="PyTorchModel の出力", en="the output of PyTorchModel")),
                    T(ja="PyTorchModel の出力", en="the output of PyTorchModel"))


def _keras_model(*, build: bool = True) -> Any:
    model = ex.build_keras_model()
    if not isinstance(model, _KerasModel):
        raise Failure(T(ja=f"build_keras_model() が keras.Model ではなく {type(model).__name__} を返しました",
                        en=f"build_keras_model() returned {type(model).__name__}, not a keras.Model"),
                      T(ja="keras.Sequential([...]) か keras.Model(inputs, outputs) を return します",
                        en="return keras.Sequential([...]) or keras.Model(inputs, outputs)"))
    if build and not (model.built and model.weights):
        model(np.zeros((1, 784), np.float32))  # so the other checks do not depend on the build check
    return model


def _keras_run(model: Any, x: np.ndarray, *, training: bool | None) -> np.ndarray:
    x = np.ascontiguousarray(x, dtype=np.float32)
    call = "model(x)" if training is None else f"model(x, training={training})"
    try:
        out = model(x) if training is None else model(x, training=training)
    except (CheckFailure, NotImplementedError):
        raise
    except Exception as exc:  # raised inside Keras (shape mismatch...): say what input was given
        raise Failure(T(ja=f"形 {x.shape} の入力で {call} を呼ぶと {type(exc).__name__} になりました: {str(exc)[:300]}",
                        en=f"{call} on an input of shape {x.shape} raised {type(exc).__name__}: {str(exc)[:300]}"),
                      T(ja="モデルの入力は (バッチ, 784) のベクトルです: keras.Input(shape=(784,))",
                        en="the model's input is a (batch, 784) vector: keras.Input(shape=(784,))")) from None
    what = T(ja="Keras モデルの出力", en="the output of the Keras model")
    try:
        arr = np.asarray(_keras_to_numpy(out))
    except Exception:
        raise Failure(T(ja=f"{what.ja}: テンソルを期待しましたが {type(out).__name__} でした",
                        en=f"{what.en}: expected a tensor, got {type(out).__name__}"),
                      T(ja="出力は 1 つのテンソル (バッチ, 10) にします", en="output a single (batch, 10) tensor")) from None
    return as_numpy(arr, what)


def _inputs(seed: int, batch: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((batch, 784)).astype(np.float32)


# ---------------------------------------------------------------------------------------
# Shared properties, checked for each framework
# ---------------------------------------------------------------------------------------
def _check_param_count(fw: Framework, count: int) -> None:
    expect_equal(count, N_PARAMS, what=T(ja=f"{fw.name.ja} モデルのパラメータ数", en=f"the number of parameters of the {fw.name.en} model"),
                 help=PARAMS_HELP)


def _check_layer_shapes(fw: Framework, model: Any) -> None:
    _find_layers(fw, model)
    params = fw.params(model)
    expected = sorted(s for n_in, n_out in LAYERS for s in ((n_in, n_out), (n_out,)))
    actual = sorted(shape if len(shape) != 2 or shape in {(i, o) for i, o in LAYERS} else shape[::-1]
                    for _, shape, _ in params)
    if actual != expected:
        raise Failure(T(ja=f"{fw.name.ja}: 3 つの全結合層以外のパラメータがあります: {_describe(params)}",
                        en=f"{fw.name.en}: there are parameters besides the three fully connected layers: {_describe(params)}"),
                      PARAMS_HELP)


def _check_logits(fw: Framework, model: Any, run: Callable[[np.ndarray], np.ndarray]) -> None:
    """With the last layer's weight zeroed, the output must be exactly its bias."""
    layers = _find_layers(fw, model)
    values = _kernels(fw, layers)
    bias = np.linspace(-3.0, 6.0, 10)
    values[2] = (np.zeros_like(values[2][0]), bias)
    _set_kernels(fw, layers, values)
    x = _inputs(0, 4)
    out = run(x)
    expected = np.tile(bias, (4, 1))
    expect_shape(out, (4, 10), T(ja=f"{fw.name.ja} モデルの出力", en=f"the output of the {fw.name.en} model"), LOGITS_HELP)
    if np.allclose(out, expected, rtol=1e-5, atol=1e-5):
        return
    shifted = bias - bias.max()
    softmax = np.exp(shifted) / np.exp(shifted).sum()
    if np.allclose(out, softmax, rtol=1e-4, atol=1e-6):
        why = T(ja="出力が softmax（確率）になっています", en="the output is a softmax (probabilities)")
    elif np.allclose(out, np.log(softmax), rtol=1e-4, atol=1e-5):
        why = T(ja="出力が log_softmax になっています", en="the output is a log_softmax")
    else:
        why = T(ja="出力層の後に何かの処理（活性化など）が掛かっています",
                en="something (an activation?) is applied after the output layer")
    b, got = np.round(bias, 4).tolist(), np.round(out[0], 4).tolist()
    raise Failure(
        T(ja=f"{fw.name.ja}: 出力がロジットではありません — {why.ja}。出力層の重みを 0、バイアスを b にすると、"
             f"ロジットは b そのもの {b} のはずですが、{got} でした",
          en=f"{fw.name.en}: the output is not the logits — {why.en}. With the last layer's weight set to 0 and its "
             f"bias to b, the logits are b itself, {b}, but the output was {got}"),
        LOGITS_HELP, counterexample=f"b = {b}",
    )


def _expect_architecture_output(fw: Framework, model: Any, x: np.ndarray, out: Any, counterexample: str) -> None:
    """`out`, the model's inference output for `x`, is the logits of the architecture computed
    in float64 from the model's own parameters."""
    expected = _expected_logits(_kernels(fw, _find_layers(fw, model)), x)
    expect_close(out, expected.astype(np.float32),
                 T(ja=f"{fw.name.ja} モデルの推論時の出力（自分のパラメータで計算した float64 の値と比較）",
                   en=f"the {fw.name.en} model's inference output (against a float64 computation from its own parameters)"),
                 ARCH_HELP, counterexample=counterexample)


def _check_forward(fw: Framework, model: Any, run: Callable[[np.ndarray], np.ndarray], seed: int, batch: int) -> None:
    layers = _find_layers(fw, model)
    x = _inputs(seed, batch)
    _expect_architecture_output(fw, model, x, run(x), counterexample=f"seed={seed}, batch={batch}")
    big = x * np.float32(LARGE_SCALE)
    expect_close(run(big), _expected_logits(_kernels(fw, layers), big).astype(np.float32),
                 T(ja=f"{fw.name.ja} モデルの推論時の出力（入力を {LARGE_SCALE:g} 倍して隠れ層の値を大きくしたとき）",
                   en=f"the {fw.name.en} model's inference output with the input scaled by {LARGE_SCALE:g} (large hidden values)"),
                 T(ja=ARCH_HELP.ja + "。ReLU には上限がありません（ReLU6 や max_value で切らない）",
                   en=ARCH_HELP.en + "; ReLU has no upper bound (no ReLU6, no max_value)"),
                 rtol=1e-4, atol=1e-5 * LARGE_SCALE, counterexample=f"seed={seed}, batch={batch}, x * {LARGE_SCALE:g}")


def _probe_values() -> list[tuple[np.ndarray, np.ndarray]]:
    """Weights that make the masks visible. With an all-ones input:
    hidden 1: h1[j] = 1 (j < 256), then dropout 1 → d1[j] ∈ {0, s1}
    hidden 2: h2[k] = 1 + d1[k] for k ≥ 1 and h2[0] = 1, then dropout 2 → × {0, s2}
    output:   out[k] = h2[k] after dropout 2 (k < 10).
    So out[:, 0] ∈ {0, s2} and out[:, k ≥ 1] ∈ {0, s2, s2·(1 + s1)}; in inference 1 and 2."""
    k1 = np.zeros((784, 256))
    k1[np.arange(256), np.arange(256)] = 1.0
    k2 = np.zeros((256, 128))
    k2[np.arange(1, 128), np.arange(1, 128)] = 1.0
    k3 = np.zeros((128, 10))
    k3[np.arange(10), np.arange(10)] = 1.0
    return [(k1, np.zeros(256)), (k2, np.ones(128)), (k3, np.zeros(10))]


@dataclass
class DropoutProbe:
    train: np.ndarray  # (PROBE_BATCH, 10)
    infer: np.ndarray  # (1, 10)

    def rates(self) -> tuple[float, float]:
        """(first, second) fraction of units dropped."""
        kept2 = np.abs(self.train) > 1e-6
        p2 = 1.0 - float(kept2.mean())
        scale2 = self.train[:, 0][kept2[:, 0]]
        if scale2.size == 0:
            return float("nan"), p2
        s2 = float(np.median(scale2))
        rest = self.train[:, 1:][kept2[:, 1:]] / s2
        p1 = float(np.mean(np.abs(rest - 1.0) < 1e-3)) if rest.size else float("nan")
        return p1, p2

    def whole_row_fractions(self) -> tuple[float, float]:
        """(first, second) fraction of samples whose dropout mask is all-kept or all-dropped. Independent
        units (nn.Dropout, layers.Dropout) give about 0.1 and 0.03; a mask per sample instead of per
        unit (nn.Dropout1d/2d on a (batch, features) input, noise_shape=(None, 1)) gives 1."""
        kept2 = np.abs(self.train) > 1e-6
        whole2 = float(np.mean(kept2.all(axis=1) | (~kept2).all(axis=1)))
        scale2 = self.train[:, 0][kept2[:, 0]]
        if scale2.size == 0:
            return float("nan"), whole2
        units = kept2[:, 1:]
        dropped1 = (np.abs(self.train[:, 1:] / float(np.median(scale2)) - 1.0) < 1e-3) & units
        seen, n_dropped = units.sum(axis=1), dropped1.sum(axis=1)
        rows = seen >= 4  # enough units seen in the row to tell
        if not rows.any():
            return float("nan"), whole2
        whole1 = float(np.mean((n_dropped[rows] == 0) | (n_dropped[rows] == seen[rows])))
        return whole1, whole2

    def mean_ratio(self) -> float:
        """Mean training output / inference output (1 for inverted dropout)."""
        return float(self.train.mean() / self.infer.mean())


def _probe(fw: Framework, model: Any, run: Callable[[np.ndarray, bool], np.ndarray]) -> DropoutProbe:
    layers = _find_layers(fw, model)
    _set_kernels(fw, layers, _probe_values())
    infer = run(np.ones((1, 784), np.float32), False)
    train = run(np.ones((PROBE_BATCH, 784), np.float32), True)
    what = T(ja=f"{fw.name.ja} モデルの出力", en=f"the output of the {fw.name.en} model")
    expect_shape(train, (PROBE_BATCH, 10), what)
    expect_shape(infer, (1, 10), what)
    return DropoutProbe(train.astype(np.float64), infer.astype(np.float64))


def _check_rates(fw: Framework, probe: DropoutProbe) -> None:
    for which, p in zip((1, 2), probe.rates()):
        if np.isnan(p):  # every probe output was 0: the masks cannot be read
            raise Failure(
                T(ja=f"{fw.name.ja}: 学習時の出力がほぼすべて 0 になり、第 {which} 隠れ層の Dropout の割合を測れませんでした",
                  en=f"{fw.name.en}: in training almost every output was 0, so the dropout rate after hidden layer {which} could not be measured"),
                RATE_HELP,
            )
        if not abs(p - P_DROP) <= RATE_TOL:
            raise Failure(
                T(ja=f"{fw.name.ja}: 学習時、第 {which} 隠れ層の後で 0 にされたユニットの割合が {p:.3f} でした"
                     f"（期待値 {P_DROP} ± {RATE_TOL}、{PROBE_BATCH} サンプルで測定）",
                  en=f"{fw.name.en}: in training, the fraction of units zeroed after hidden layer {which} is {p:.3f} "
                     f"(expected {P_DROP} ± {RATE_TOL}, measured on {PROBE_BATCH} samples)"),
                RATE_HELP,
            )
    for which, whole in zip((1, 2), probe.whole_row_fractions()):
        if whole > WHOLE_ROW_MAX:
            raise Failure(
                T(ja=f"{fw.name.ja}: 学習時、第 {which} 隠れ層の後の Dropout が、サンプルの {whole:.0%} で"
                     f"全ユニットをまとめて残すか落としていました（ユニットごとに独立なら約 10% 以下）。"
                     f"サンプル単位で落としています",
                  en=f"{fw.name.en}: in training, the dropout after hidden layer {which} kept or dropped all units "
                     f"together in {whole:.0%} of the samples (about 10% or less when units are independent): "
                     f"it drops whole samples"),
                T(ja="全結合層の後には要素ごとの nn.Dropout / layers.Dropout を使います。nn.Dropout1d / Dropout2d "
                     "（や noise_shape）はチャネル単位で落とすもので、(バッチ, 特徴) の入力ではサンプルごと消えます",
                  en="after a fully connected layer use element-wise nn.Dropout / layers.Dropout; nn.Dropout1d / "
                     "Dropout2d (or a noise_shape) drop whole channels, which on a (batch, features) input are "
                     "whole samples"),
            )


def _check_scaling(fw: Framework, probe: DropoutProbe) -> None:
    ratio = probe.mean_ratio()
    if not abs(ratio - 1.0) <= 0.05:
        raise Failure(
            T(ja=f"{fw.name.ja}: 学習時の出力の平均（{PROBE_BATCH} サンプル）が推論時の出力の {ratio:.3f} 倍でした（期待: 1.0 倍）",
              en=f"{fw.name.en}: the mean training output ({PROBE_BATCH} samples) is {ratio:.3f} times the inference output (expected 1.0)"),
            SCALE_HELP,
        )


# ---------------------------------------------------------------------------------------
# PyTorch
# ---------------------------------------------------------------------------------------
@pytest.mark.points(1)
def test_pytorch_parameter_count() -> None:
    """PyTorchModel() has 235,146 parameters."""
    oracle = torch.nn.Sequential(*(torch.nn.Linear(n_in, n_out) for n_in, n_out in LAYERS))
    expect_param_count(_torch_model(), oracle, help=PARAMS_HELP,
                       what=T(ja=f"{TORCH.name.ja} モデルのパラメータ数", en=f"the number of parameters of the {TORCH.name.en} model"))


@pytest.mark.points(1)
def test_pytorch_layer_shapes() -> None:
    """Its parameters are exactly three fully connected layers 784→256, 256→128, 128→10 with biases."""
    _check_layer_shapes(TORCH, _torch_model())


@pytest.mark.points(1)
@settings(max_examples=12)
@given(batch=draw.batch_sizes(1, 64))
def test_pytorch_output_shape_for_any_batch_size(batch: int) -> None:
    """forward maps a (batch, 784) float32 input to (batch, 10) logits, batch 1 included."""
    out = _torch_run(_torch_model(), _inputs(batch, batch), train=False)
    what = T(ja="PyTorchModel の出力", en="the output of PyTorchModel")
    expect_shape(out, (batch, 10), what, ARCH_HELP, counterexample=f"x.shape = ({batch}, 784)")


@pytest.mark.points(1)
def test_pytorch_outputs_are_logits() -> None:
    """The output is the last Linear layer itself: no softmax, log_softmax or activation after it."""
    model = _torch_model()
    _check_logits(TORCH, model, lambda x: _torch_run(model, x, train=False))


@pytest.mark.points(2)
@settings(max_examples=8)
@given(seed=draw.seeds(), batch=draw.batch_sizes(1, 16))
def test_pytorch_forward_matches_architecture(seed: int, batch: int) -> None:
    """In eval mode the output equals Linear→ReLU→Linear→ReLU→Linear computed in float64 from its parameters."""
    model = _torch_model()
    _check_forward(TORCH, model, lambda x: _torch_run(model, x, train=False), seed, batch)


@pytest.mark.points(1)
def test_pytorch_dropout_active_in_training() -> None:
    """After model.train(), two calls on the same input give different outputs (dropout is sampled)."""
    model = _torch_model()
    x = _inputs(1, 8)
    first = _torch_run(model, x, train=True)
    second = _torch_run(model, x, train=True)
    expect(bool(np.any(first != second)),
           T(ja="model.train() のあと、同じ入力で 2 回呼んだ出力が同一でした（Dropout が働いていません）",
             en="after model.train(), two calls on the same input gave identical outputs (dropout is not active)"),
           TRAIN_HELP, counterexample="x: 8 × 784, model.train()")


@pytest.mark.points(1)
def test_pytorch_inference_is_deterministic() -> None:
    """After model.train() then model.eval(), repeated calls on the same input give identical
    outputs: the logits, without dropout."""
    model = _torch_model()
    x = _inputs(2, 8)
    _torch_run(model, x, train=True)
    first = _torch_run(model, x, train=False)
    _expect_architecture_output(TORCH, model, x, first, counterexample="x: 8 × 784, model.train() then model.eval()")
    second = _torch_run(model, x, train=False)
    expect_equal_arrays(second, first,
                        T(ja="model.eval() のあと、同じ入力で 2 回目に呼んだ出力（1 回目と同じはず）",
                          en="the second output after model.eval() on the same input (should equal the first)"),
                        TRAIN_HELP, counterexample="x: 8 × 784, model.eval()")


def _torch_probe() -> DropoutProbe:
    model = _torch_model()
    return _probe(TORCH, model, lambda x, train: _torch_run(model, x, train=train))


@pytest.mark.points(2)
def test_pytorch_dropout_rate() -> None:
    """In training, each hidden layer's dropout zeroes a fraction 0.3 ± 0.04 of its units, each unit independently."""
    _check_rates(TORCH, _torch_probe())


@pytest.mark.points(1)
def test_pytorch_dropout_scaling() -> None:
    """In training, kept units are scaled by 1/(1−p): the mean output equals the inference output."""
    _check_scaling(TORCH, _torch_probe())


@on_every_device
@pytest.mark.points(1)
def test_pytorch_matches_cpu_on_every_device(device: torch.device) -> None:
    """In eval mode the model gives the same logits on this device as on the CPU, where they
    are the architecture's."""
    model = _torch_model().eval()
    inputs = _inputs(3, 8)
    _expect_architecture_output(TORCH, model, inputs, _torch_run(model, inputs, train=False),
                                counterexample="x: 8 × 784, model.eval(), on the CPU")
    x = _from_numpy(inputs)

    def compute(d: torch.device) -> Any:
        model.to(d)
        with _no_grad():
            return expect_tensor(model(x.to(d)), T(ja="PyTorchModel の出力", en="the output of PyTorchModel"))

    expect_parity(compute, device, what=T(ja="推論時の出力", en="the inference output"),
                  help=T(ja="デバイスに依存しない書き方にし、推論時は出力が毎回同じになるようにします（model.to(device)、Dropout は学習時だけ）",
                         en="write device-agnostic code whose inference output is the same on every call (model.to(device), dropout only in training)"))


# ---------------------------------------------------------------------------------------
# Keras
# ---------------------------------------------------------------------------------------
@pytest.mark.points(1)
def test_keras_model_built_on_return() -> None:
    """build_keras_model() returns a keras.Model that is already built: count_params() works before any call."""
    model = _keras_model(build=False)
    built = bool(model.built) and len(model.weights) > 0
    if built:
        try:
            model.count_params()
        except ValueError:
            built = False
    expect(built,
           T(ja="返されたモデルはまだビルドされていません（count_params() が使えず、重みがまだありません）",
             en="the returned model is not built yet (count_params() fails, it has no weights yet)"),
           T(ja="最初に keras.Input(shape=(784,)) を置くと、その場で重みが作られます",
             en="start with keras.Input(shape=(784,)) so the weights are created at once"))


@pytest.mark.points(1)
def test_keras_parameter_count() -> None:
    """The Keras model has 235,146 parameters."""
    _check_param_count(KERAS, int(_keras_model().count_params()))


@pytest.mark.points(1)
def test_keras_layer_shapes() -> None:
    """Its weights are exactly three Dense layers 784→256, 256→128, 128→10 with biases."""
    _check_layer_shapes(KERAS, _keras_model())


@pytest.mark.points(1)
def test_keras_output_shape_for_any_batch_size() -> None:
    """model(x) maps a (batch, 784) input to (batch, 10), batch 1 included."""
    model = _keras_model()

    @settings(max_examples=12)
    @given(batch=draw.batch_sizes(1, 64))
    def check(batch: int) -> None:
        out = _keras_run(model, _inputs(batch, batch), training=False)
        expect_shape(out, (batch, 10), T(ja="Keras モデルの出力", en="the output of the Keras model"), ARCH_HELP,
                     counterexample=f"x.shape = ({batch}, 784)")

    check()


@pytest.mark.points(1)
def test_keras_outputs_are_logits() -> None:
    """The output is the last Dense layer itself: no softmax or other activation on it."""
    model = _keras_model()
    _check_logits(KERAS, model, lambda x: _keras_run(model, x, training=False))


@pytest.mark.points(2)
def test_keras_forward_matches_architecture() -> None:
    """In inference the output equals Dense→ReLU→Dense→ReLU→Dense computed in float64 from its weights."""
    model = _keras_model()

    @settings(max_examples=8)
    @given(seed=draw.seeds(), batch=draw.batch_sizes(1, 16))
    def check(seed: int, batch: int) -> None:
        _check_forward(KERAS, model, lambda x: _keras_run(model, x, training=False), seed, batch)

    check()


@pytest.mark.points(1)
def test_keras_dropout_active_in_training() -> None:
    """With training=True, two calls on the same input give different outputs."""
    model = _keras_model()
    x = _inputs(1, 8)
    first = _keras_run(model, x, training=True)
    second = _keras_run(model, x, training=True)
    expect(bool(np.any(first != second)),
           T(ja="training=True で同じ入力を 2 回渡した出力が同一でした（Dropout が働いていません）",
             en="with training=True, two calls on the same input gave identical outputs (dropout is not active)"),
           TRAIN_HELP, counterexample="x: 8 × 784, training=True")


@pytest.mark.points(1)
def test_keras_inference_is_deterministic() -> None:
    """With training=False, or no training argument, every call on the same input gives the
    same output: the logits, without dropout."""
    model = _keras_model()
    x = _inputs(2, 8)
    first = _keras_run(model, x, training=False)
    _expect_architecture_output(KERAS, model, x, first, counterexample="x: 8 × 784, training=False")
    for training in (False, None):
        again = _keras_run(model, x, training=training)
        call = "model(x)" if training is None else "model(x, training=False)"
        expect_equal_arrays(again, first,
                            T(ja=f"もう一度 {call} を呼んだ出力（最初の training=False の出力と同じはず）",
                              en=f"the output of another {call} (should equal the first training=False output)"),
                            TRAIN_HELP, counterexample="x: 8 × 784")


def _keras_probe() -> DropoutProbe:
    model = _keras_model()
    return _probe(KERAS, model, lambda x, train: _keras_run(model, x, training=train))


@pytest.mark.points(2)
def test_keras_dropout_rate() -> None:
    """With training=True, each hidden layer's dropout zeroes a fraction 0.3 ± 0.04 of its units, each unit independently."""
    _check_rates(KERAS, _keras_probe())


@pytest.mark.points(1)
def test_keras_dropout_scaling() -> None:
    """With training=True, kept units are scaled by 1/(1−p): the mean output equals the inference output."""
    _check_scaling(KERAS, _keras_probe())


# ---------------------------------------------------------------------------------------
# Both
# ---------------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_cross_framework_parity() -> None:
    """After copying the PyTorch weights into the Keras model (kernel = weight.T), inference outputs agree within 1e-4."""
    torch_model = _torch_model()
    keras_model = _keras_model()
    values = _kernels(TORCH, _find_layers(TORCH, torch_model))
    _set_kernels(KERAS, _find_layers(KERAS, keras_model), values)
    x = _inputs(4, 16)
    torch_out = _torch_run(torch_model, x, train=False)
    _expect_architecture_output(TORCH, torch_model, x, torch_out, counterexample="x: 16 × 784, inference")
    expect_close(_keras_run(keras_model, x, training=False), torch_out,
                 T(ja="同じ重みの Keras モデルの出力（PyTorch モデルの出力と比較）",
                   en="the Keras model's output with the same weights (against the PyTorch model's output)"),
                 T(ja="2 つのモデルは層・活性化・出力（ロジット）まで同じ計算にします", en="make both models compute the same thing: layers, activations, logits out"),
                 rtol=1e-4, atol=1e-4, counterexample="x: 16 × 784, inference")
