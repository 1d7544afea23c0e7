"""Checks for exercise 25: `ResidualDense`, `build_model` and `save_and_reload`.

Contract: `ResidualDense(units, activation="relu", **kwargs)` computes
x + Dense(units)(activation(Dense(units)(x))) and raises ValueError when built on inputs whose
width is not `units`; `get_config` returns units and activation with the base config, so
`from_config` rebuilds an equal layer; it is registered as "dlkit>ResidualDense".
`build_model(input_dim, num_classes, depth)`: Input(input_dim) → Dense(32) → depth
ResidualDense(32) → Dense(num_classes, softmax). `save_and_reload(model, path)` saves in the
native `.keras` format and returns `keras.models.load_model(path)`; a path not ending in
`.keras` is refused by the function itself with a ValueError whose message names `.keras` and
why. Values are computed here in float64 numpy from the weights the check sets (checks/
keras_models.py reads them), never with the learner's code; Keras is called directly
(`model(x)`), never `predict` or `fit`, so no progress bar reaches the report.

Decisions where the contract is silent:
- The two Dense layers of a block may be written in any style (two keras.layers.Dense, or
  add_weight), as long as the block holds exactly two (units, units) kernels and two (units,)
  biases; which kernel is the first Dense is found by trying both pairings of the values the
  check sets, so the order in which the weights were created is free.
- In build_model the weights are read in `model.weights` order (the layers' order); inside each
  block both kernels get the same values and both biases the same, so the check does not
  depend on the block's own weight order. The first Dense is linear, as the contract writes it.
- "Equal layer" after from_config: the same config (compared as JSON) and, with the
  original's weights copied in, the same outputs. The activation may come back in the config as
  the name given or as anything keras.activations.get turns into the same function; the config
  must be JSON-serialisable (the .keras file stores it as JSON).
- "A fresh process state": the registry of custom objects is put back as it was right after
  the learner's file was imported (what a new process that imports it has) before the file is
  loaded with keras.saving.load_model and no custom_objects; whatever save_and_reload
  registered while it ran is gone. Predictions must then be identical to the original's
  (float32 rounding only: rtol 1e-6).
- "Raised by the function itself": the ValueError's innermost frame is in the learner's file
  (Keras' own traceback filtering is switched off while checking), and nothing exists at the
  path afterwards. "Why" is any of the usual words for it (SavedModel, Keras 3, legacy, HDF5,
  recommend, 推奨, 旧, ...) besides the path itself; ".keras" must appear. Paths are str.
- Only float32 inputs are used; widths and depths stay small (units ≤ 5, depth ≤ 3).
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Callable

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keras.src.saving import object_registration as _registration

from checks import keras_models as km
from checks.compare import TOLERANCES, expect_close
from checks.feedback import CheckFailure, Failure, Mismatch, T, expect, particle
from checks.submission import student

ex = student("ex25_keras_custom_layer")

# Captured before student code is imported.
_KerasModel = keras.Model
_load_model = keras.saving.load_model
_get_registered_name = keras.saving.get_registered_name
_get_registered_object = keras.saving.get_registered_object
_get_activation = keras.activations.get
_Dense = keras.layers.Dense
_Input = keras.Input
_Functional = keras.Model
_REGISTRY = (_registration.GLOBAL_CUSTOM_OBJECTS, _registration.GLOBAL_CUSTOM_NAMES)
_json_dumps = json.dumps
_is_zip = zipfile.is_zipfile
_ZipFile = zipfile.ZipFile

REGISTERED = "dlkit>ResidualDense"
F32 = TOLERANCES["float32"]  # (rtol, atol): the layers compute in float32, the oracle in float64
ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "linear": lambda z: z,
    "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
}

FORMULA = T(ja="ResidualDense(x) = x + Dense(units)(activation(Dense(units)(x))): activation は 1 つ目の Dense の後だけ、"
               "2 つ目は活性化なし、最後に入力 x をそのまま足します",
            en="ResidualDense(x) = x + Dense(units)(activation(Dense(units)(x))): the activation after the first Dense only, "
               "none after the second, and the input x added unchanged at the end")
CONFIG = T(ja="get_config は {**super().get_config(), \"units\": self.units, \"activation\": self.activation} を返します。"
              "基底クラスの設定（name, trainable, dtype）を落とすと from_config で別の層になります",
           en="get_config returns {**super().get_config(), \"units\": self.units, \"activation\": self.activation}; "
              "without the base config (name, trainable, dtype) from_config builds a different layer")
ARCHITECTURE = T(ja="keras.Input(shape=(input_dim,)) → Dense(32)（活性化なし）→ ResidualDense(32) を depth 個（それぞれ別の層）"
                    "→ Dense(num_classes, activation=\"softmax\")",
                 en="keras.Input(shape=(input_dim,)) → Dense(32) (no activation) → depth separate ResidualDense(32) layers "
                    "→ Dense(num_classes, activation=\"softmax\")")
SAVE = T(ja="model.save(path) で .keras ファイルに保存し、keras.models.load_model(path) で読み戻したモデルを返します。"
            "カスタム層はデコレータ @keras.saving.register_keras_serializable(package=\"dlkit\") で登録されていれば、"
            "custom_objects なしで読み込めます",
         en="save with model.save(path) to the .keras file and return what keras.models.load_model(path) reads back; a "
            "custom layer registered with @keras.saving.register_keras_serializable(package=\"dlkit\") loads with no "
            "custom_objects")
REFUSE = T(ja="保存する前に if not path.endswith(\".keras\"): raise ValueError(\"...\") と関数自身で確かめます。"
              "Keras 3 は .h5 を（警告付きで）書いてしまい、フォルダには Keras 自身の ValueError を出します",
           en="check first, in the function itself: if not path.endswith(\".keras\"): raise ValueError(\"...\"). Keras 3 "
              "writes .h5 (with a warning) and gives its own ValueError for a folder")


# -- helpers -----------------------------------------------------------------------------------
def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _table(obj: Any) -> str:
    return km.describe_weights(km.weight_table(obj))


def _block_weights(layer: Any, units: int, what: T) -> tuple[list[Any], list[Any]]:
    """The block's two kernels and two biases (variables), or a Failure showing its weights."""
    weights = list(layer.weights)
    kernels = [v for v in weights if tuple(int(d) for d in v.shape) == (units, units)]
    biases = [v for v in weights if tuple(int(d) for d in v.shape) == (units,)]
    if len(weights) != 4 or len(kernels) != 2 or len(biases) != 2:
        raise Failure(T(ja=f"{particle(what.ja)}の重みは ({units}, {units}) のカーネル 2 つと ({units},) のバイアス 2 つのはずですが、"
                           f"次のとおりでした:\n{_table(layer)}",
                        en=f"{what.en} should hold two ({units}, {units}) kernels and two ({units},) biases; it holds:\n"
                           f"{_table(layer)}"),
                      T(ja="Dense(units) を 2 つ（どちらもバイアスあり）、__init__ で作って call で使います",
                        en="make two Dense(units) layers (both with a bias) in __init__ and use them in call"))
    return kernels, biases


def _residual(x: np.ndarray, k1: np.ndarray, b1: np.ndarray, k2: np.ndarray, b2: np.ndarray, activation: str) -> np.ndarray:
    return x + ACTIVATIONS[activation](x @ k1 + b1) @ k2 + b2


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _built_layer(units: int, activation: str | None, batch: int) -> Any:
    layer = ex.ResidualDense(units) if activation is None else ex.ResidualDense(units, activation=activation)
    km.predict(layer, np.zeros((batch, units), np.float32), T(ja="ResidualDense の最初の呼び出し", en="the first call of ResidualDense"))
    return layer


# -- ResidualDense ------------------------------------------------------------------------------
@pytest.mark.points(3)
@settings(max_examples=12)
@given(units=st.integers(1, 5), batch=st.integers(1, 4), activation=st.sampled_from([None, *ACTIVATIONS]),
       seed=st.integers(0, 2**16))
def test_layer_computes_the_residual_formula(units: int, batch: int, activation: str | None, seed: int) -> None:
    """For any units, activation and weights, the layer computes x + Dense(activation(Dense(x)))
    (activation defaults to relu)."""
    what = T(ja=f"ResidualDense({units}, activation={activation!r}) の出力", en=f"the output of ResidualDense({units}, activation={activation!r})")
    layer = _built_layer(units, activation, batch)
    kernels, biases = _block_weights(layer, units, what)
    rng = _rng(seed)
    k_values = [rng.uniform(-1, 1, (units, units)).astype(np.float32) for _ in range(2)]
    b_values = [rng.uniform(-1, 1, (units,)).astype(np.float32) for _ in range(2)]
    for var, value in zip(kernels + biases, k_values + b_values):
        var.assign(value)
    x = rng.uniform(-2, 2, (batch, units)).astype(np.float32)
    out = km.predict(layer, x, what, FORMULA)
    act = activation or "relu"
    k, b = [v.astype(np.float64) for v in k_values], [v.astype(np.float64) for v in b_values]
    pairings = [(i, j) for i in (0, 1) for j in (0, 1)]  # which kernel / bias is the first Dense's
    candidates = [_residual(x.astype(np.float64), k[i], b[j], k[1 - i], b[1 - j], act) for i, j in pairings]
    if any(c.shape == out.shape and bool(np.allclose(out, c, rtol=F32[0], atol=F32[1])) for c in candidates):
        return
    expect_close(out, candidates[0], what, FORMULA, rtol=F32[0], atol=F32[1], counterexample=f"x = {x.tolist()}")
    raise Mismatch(candidates[0], out, FORMULA, what=what)  # the first pairing is close, others differ: name it


@pytest.mark.points(1)
@pytest.mark.parametrize("units, width", [(1, 3), (4, 2), (3, 5)])
def test_input_width_must_equal_units(units: int, width: int) -> None:
    """Built on inputs whose width is not `units`, the layer raises ValueError (also where
    broadcasting would hide the mistake: units=1, width 3)."""
    what = T(ja=f"幅 {width} の入力で呼んだ ResidualDense({units})", en=f"ResidualDense({units}) called on inputs of width {width}")
    layer = ex.ResidualDense(units)
    try:
        with km.quiet():
            layer(np.ones((2, width), np.float32))
    except ValueError:
        return
    except (CheckFailure, NotImplementedError):
        raise
    except Exception as exc:  # noqa: BLE001 — the wrong error is the learner's to fix
        raise Failure(T(ja=f"{particle(what.ja)}が ValueError ではなく {type(exc).__name__} になりました",
                        en=f"{what.en} raised {type(exc).__name__}, not ValueError"),
                      T(ja="build(self, input_shape) で if input_shape[-1] != self.units: raise ValueError(...) と確かめます",
                        en="in build(self, input_shape), check if input_shape[-1] != self.units: raise ValueError(...)")) from None
    raise Failure(T(ja=f"{particle(what.ja)}が ValueError を送出しませんでした", en=f"{what.en} did not raise ValueError"),
                  T(ja="x + f(x) は幅が units のときだけ意味を持ちます（幅 1 と 3 はブロードキャストで黙って足されてしまいます）。"
                       "build で input_shape[-1] != self.units なら ValueError",
                    en="x + f(x) only makes sense at width units (widths 1 and 3 would broadcast silently); in build, "
                       "raise ValueError when input_shape[-1] != self.units"))


def _same_activation(given: str, stored: Any) -> bool:
    if isinstance(stored, str) and stored == given:
        return True
    try:
        return _get_activation(stored) is _get_activation(given)
    except Exception:  # noqa: BLE001 — whatever keras cannot read is not the activation
        return False


@pytest.mark.points(2)
@settings(max_examples=6)
@given(units=st.integers(1, 5), activation=st.sampled_from(["tanh", "sigmoid", "linear", "elu"]), seed=st.integers(0, 2**16))
def test_config_round_trip(units: int, activation: str, seed: int) -> None:
    """get_config holds units, activation and the base config (name, trainable, dtype), is
    JSON, and from_config rebuilds a layer with the same config that computes the same."""
    layer = ex.ResidualDense(units, activation=activation, name="block_7", trainable=False)
    cfg = layer.get_config()
    where = T(ja=f"ResidualDense({units}, activation={activation!r}, name=\"block_7\", trainable=False).get_config()",
              en=f"ResidualDense({units}, activation={activation!r}, name=\"block_7\", trainable=False).get_config()")
    expect(type(cfg) is dict, T(ja=f"{particle(where.ja)}が dict ではなく {type(cfg).__name__} を返しました",
                                en=f"{where.en} returned {type(cfg).__name__}, not a dict"), CONFIG)
    for key, expected in (("units", units), ("name", "block_7"), ("trainable", False)):
        if not (key in cfg and type(cfg[key]) is type(expected) and cfg[key] == expected):
            raise Mismatch(repr(expected), repr(cfg.get(key, "(no such key)")), CONFIG,
                           what=T(ja=f"{particle(where.ja)}の \"{key}\"", en=f"\"{key}\" in {where.en}"))
    expect("dtype" in cfg, T(ja=f"{where.ja} に \"dtype\" がありません", en=f"{where.en} has no \"dtype\""), CONFIG)
    expect(_same_activation(activation, cfg.get("activation")),
           T(ja=f"{particle(where.ja)}の \"activation\" は {activation!r} のはずですが {cfg.get('activation', '(なし)')!r} でした",
             en=f"\"activation\" in {where.en} should be {activation!r}, got {cfg.get('activation', '(missing)')!r}"), CONFIG)
    try:
        text = _json_dumps(cfg, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise Failure(T(ja=f"{particle(where.ja)}を JSON にできません（{exc}）", en=f"{where.en} is not JSON-serialisable ({exc})"),
                      T(ja=".keras ファイルは設定を JSON で保存します。activation は関数ではなく名前（文字列）で返します",
                        en="the .keras file stores the config as JSON: return the activation's name (a string), not the function")) from None
    again = ex.ResidualDense.from_config(cfg)
    again_text = _json_dumps(again.get_config(), sort_keys=True)
    if again_text != text:
        raise Mismatch(text, again_text, CONFIG, what=T(ja="from_config で作り直した層の get_config()",
                                                        en="get_config() of the layer rebuilt by from_config"))
    x = _rng(seed).uniform(-2, 2, (3, units)).astype(np.float32)
    for one in (layer, again):
        km.predict(one, np.zeros((1, units), np.float32), T(ja="最初の呼び出し", en="the first call"))
    for source, target in zip(layer.weights, again.weights):
        target.assign(km.value_of(source).astype(np.float32))
    expect_close(km.predict(again, x, T(ja="作り直した層の出力", en="the rebuilt layer's output")),
                 km.predict(layer, x, T(ja="元の層の出力", en="the original layer's output")),
                 T(ja=f"from_config で作り直した層（activation={activation!r}）の出力", en=f"the output of the layer rebuilt by from_config (activation={activation!r})"),
                 CONFIG, rtol=1e-6, atol=1e-7)


@pytest.mark.points(1)
def test_registered_as_dlkit() -> None:
    """The class of a ResidualDense layer is registered for serialization as "dlkit>ResidualDense"."""
    cls = type(ex.ResidualDense(4))
    name = _get_registered_name(cls)
    expect(name == REGISTERED and _get_registered_object(REGISTERED) is cls,
           T(ja=f"ResidualDense の登録名は {REGISTERED!r} のはずですが {name!r} でした",
             en=f"ResidualDense should be registered as {REGISTERED!r}, found {name!r}"),
           T(ja="クラスの直前に @keras.saving.register_keras_serializable(package=\"dlkit\") を付けます。"
                "登録名（package>クラス名）がファイルに書かれ、読み込むときにその名前でクラスを探します",
             en="put @keras.saving.register_keras_serializable(package=\"dlkit\") on the class: the registered name "
                "(package>ClassName) is written into the file, and loading looks the class up by it"))


# -- build_model --------------------------------------------------------------------------------
def _expect_architecture(input_dim: int, num_classes: int, depth: int, seed: int) -> None:
    call = f"build_model({input_dim}, {num_classes}, {depth})"
    what = T.same(call)
    model = km.expect_keras_model(ex.build_model(input_dim, num_classes, depth), what)
    blocks = [layer for layer in model.layers if isinstance(layer, ex.ResidualDense)]
    expect(len(blocks) == depth and len({id(b) for b in blocks}) == depth,
           T(ja=f"{call} の ResidualDense 層は {depth} 個のはずですが {len({id(b) for b in blocks})} 個でした",
             en=f"{call} should hold {depth} ResidualDense layers, found {len({id(b) for b in blocks})}"), ARCHITECTURE)
    expected_count = (input_dim * 32 + 32) + depth * 2 * (32 * 32 + 32) + (32 * num_classes + num_classes)
    km.expect_param_count(model, expected_count, what, ARCHITECTURE)
    weights = list(model.weights)
    shapes = [tuple(int(d) for d in v.shape) for v in weights]
    ends = [(input_dim, 32), (32,), (32, num_classes), (num_classes,)]
    middle = sorted(shapes[2:-2])
    expect(shapes[:2] + shapes[-2:] == ends and middle == sorted([(32, 32), (32,)] * (2 * depth)),
           T(ja=f"{call} の重みの並びが期待と違います:\n{_table(model)}", en=f"the weights of {call} are not as expected:\n{_table(model)}"),
           ARCHITECTURE)
    rng = _rng(seed)
    k0, b0 = rng.uniform(-1, 1, (input_dim, 32)) / np.sqrt(input_dim), rng.uniform(-0.5, 0.5, 32)
    per_block = [(rng.uniform(-1, 1, (32, 32)) / 6.0, rng.uniform(-0.5, 0.5, 32)) for _ in range(depth)]
    kc, bc = rng.uniform(-1, 1, (32, num_classes)) / 6.0, rng.uniform(-0.5, 0.5, num_classes)
    values = [k0, b0]
    for i in range(depth):  # within a block, both kernels alike and both biases alike: their order is free
        values += [per_block[i][0] if len(s) == 2 else per_block[i][1] for s in shapes[2 + 4 * i: 6 + 4 * i]]
    values += [kc, bc]
    values = [v.astype(np.float32).astype(np.float64) for v in values]
    for var, value in zip(weights, values):
        var.assign(value.astype(np.float32))
    x = rng.uniform(-2, 2, (4, input_dim)).astype(np.float32)
    h = x.astype(np.float64) @ values[0] + values[1]
    for i in range(depth):
        k, b = per_block[i][0].astype(np.float32).astype(np.float64), per_block[i][1].astype(np.float32).astype(np.float64)
        h = _residual(h, k, b, k, b, "relu")
    expected = _softmax(h @ values[-2] + values[-1])
    out = km.predict(model, x, T(ja=f"{call} の出力", en=f"the output of {call}"), ARCHITECTURE)
    expect_close(out, expected, T(ja=f"{call} の出力", en=f"the output of {call}"), ARCHITECTURE, rtol=F32[0], atol=F32[1],
                 counterexample=f"x: 4 × {input_dim}")


@pytest.mark.points(3)
@settings(max_examples=6)
@given(input_dim=st.integers(1, 6), num_classes=st.integers(2, 6), depth=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_build_model_architecture(input_dim: int, num_classes: int, depth: int, seed: int) -> None:
    """build_model: Dense(32) (linear), then depth ResidualDense(32) blocks, then a softmax
    Dense(num_classes): the parameter count and the outputs for weights set by the check."""
    _expect_architecture(input_dim, num_classes, depth, seed)


@pytest.mark.points(1)
@pytest.mark.parametrize("input_dim, num_classes", [(3, 2), (6, 4)])
def test_depth_zero_is_allowed(input_dim: int, num_classes: int) -> None:
    """depth = 0 builds Input → Dense(32) → Dense(num_classes, softmax), with no block."""
    _expect_architecture(input_dim, num_classes, 0, seed=input_dim)


# -- save_and_reload ----------------------------------------------------------------------------
def _custom_model(seed: int) -> Any:
    """Built here with the learner's layer: activations other than relu, weights set at random."""
    inputs = _Input(shape=(6,))
    h = _Dense(8)(inputs)
    h = ex.ResidualDense(8, activation="tanh")(h)
    h = ex.ResidualDense(8, activation="sigmoid")(h)
    model = _Functional(inputs, _Dense(3, activation="softmax")(h))
    rng = _rng(seed)
    for var in model.weights:
        var.assign(rng.uniform(-1, 1, tuple(int(d) for d in var.shape)).astype(np.float32))
    return model


MODELS = {
    "custom": (T(ja="ResidualDense(8, activation=\"tanh\") と ResidualDense(8, activation=\"sigmoid\") を含むモデル",
                 en="a model holding ResidualDense(8, activation=\"tanh\") and ResidualDense(8, activation=\"sigmoid\")"),
               lambda: _custom_model(5), 6),
    "build_model": (T.same("build_model(4, 3, 2)"), lambda: ex.build_model(4, 3, 2), 4),
}  # case: (what it is, how to make it, its input width)


def _expect_same_predictions(reloaded: Any, original: Any, x: np.ndarray, what: T, help: T) -> None:
    expected = km.predict(original, x, T(ja="元のモデルの予測", en="the original model's predictions"))
    expect_close(km.predict(reloaded, x, what, help), expected, what, help, rtol=1e-6, atol=1e-7)


@pytest.mark.points(2)
@pytest.mark.parametrize("case", list(MODELS))
def test_save_and_reload_round_trip(case: str) -> None:
    """save_and_reload writes a .keras file at the path and returns a new model, read back from
    it, with predictions identical to the original's and weights of its own."""
    shown, make, width = MODELS[case]
    model = make()
    x = _rng(1).uniform(-2, 2, (5, width)).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        reloaded = ex.save_and_reload(model, path)
        km.expect_keras_model(reloaded, T(ja=f"{shown.ja} での save_and_reload", en=f"save_and_reload of {shown.en}"), SAVE)
        expect(reloaded is not model,
               T(ja="save_and_reload が渡されたモデルそのものを返しました", en="save_and_reload returned the very model it was given"),
               SAVE)
        expect(os.path.isfile(path) and _is_zip(path) and "config.json" in _ZipFile(path).namelist(),
               T(ja=f"{path} に .keras 形式のファイル（config.json を含む zip）がありません",
                 en=f"there is no .keras file (a zip holding config.json) at {path}"), SAVE)
    what = T(ja=f"{particle(shown.ja)}を save_and_reload で読み戻したモデルの予測", en=f"the predictions of {shown.en} read back by save_and_reload")
    _expect_same_predictions(reloaded, model, x, what, SAVE)
    before = km.predict(reloaded, x, what)
    for var in model.weights:  # the model read back has weights of its own
        var.assign(np.zeros(tuple(int(d) for d in var.shape), np.float32))
    expect_close(km.predict(reloaded, x, what), before,
                 T(ja=f"元のモデルの重みを 0 にした後の、読み戻したモデルの予測（{shown.ja}）",
                   en=f"the predictions of the model read back after the original's weights were zeroed ({shown.en})"),
                 T(ja="読み戻したモデルはファイルから作った別のモデルで、元のモデルと重みを共有しません",
                   en="the model read back is a new one made from the file; it shares no weights with the original"),
                 rtol=1e-6, atol=1e-7)


def _root_cause(exc: BaseException) -> BaseException:
    """The innermost exception of a chain: Keras wraps "Could not locate class ..." in errors
    about the whole model."""
    seen = {id(exc)}
    while (inner := exc.__cause__ or exc.__context__) is not None and id(inner) not in seen:
        seen.add(id(inner))
        exc = inner
    return exc


def _registry() -> tuple[dict, dict]:
    return dict(_REGISTRY[0]), dict(_REGISTRY[1])


def _restore_registry(saved: tuple[dict, dict]) -> None:
    for live, kept in zip(_REGISTRY, saved):
        live.clear()
        live.update(kept)


@pytest.mark.points(2)
@pytest.mark.parametrize("case", list(MODELS))
def test_reloads_in_a_fresh_process_state(case: str) -> None:
    """The saved file loads with keras.saving.load_model and no custom_objects, as in a new
    process that only imported the learner's file, and predicts exactly as the original."""
    shown, make, width = MODELS[case]
    cls = ex.ResidualDense  # the learner's file is imported: its registrations are made
    after_import = _registry()
    model = make()
    x = _rng(2).uniform(-2, 2, (5, width)).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        try:
            ex.save_and_reload(model, path)
        finally:
            _restore_registry(after_import)  # what save_and_reload registered while running is gone
        help = T(ja=SAVE.ja + "。get_config に activation が無いと、読み込んだ層は既定の relu になります",
                 en=SAVE.en + "; without activation in get_config, the layer loaded gets the default relu")
        try:
            with km.quiet():
                fresh = _load_model(path)
        except (CheckFailure, NotImplementedError):
            raise
        except Exception as exc:  # noqa: BLE001 — any failure to load is the learner's to fix
            cause = _root_cause(exc)
            text = str(cause).split(" Full object config")[0].splitlines()[0] if str(cause) else ""
            said = f"{type(cause).__name__}: {text[:300]}"
            raise Failure(T(ja=f"{shown.ja}を保存したファイルを、新しいプロセスと同じ状態で keras.saving.load_model(path) で"
                               f"読み込めません（{said}）",
                            en=f"the file saved from {shown.en} does not load with keras.saving.load_model(path) in a fresh "
                               f"process state ({said})"), help) from None
        finally:
            _restore_registry(after_import)
    del cls
    _expect_same_predictions(fresh, model, x, T(ja=f"新しいプロセスの状態で読み込んだ {particle(shown.ja)}の予測",
                                                en=f"the predictions of {shown.en} loaded in a fresh process state"), help)


# -- paths that do not end in .keras ------------------------------------------------------------
WHY_WORDS = ("savedmodel", "saved model", "keras 3", "keras3", "legacy", "hdf5", "recommend", "deprecated", "refuse",
             "not supported", "unsupported", "native", "推奨", "旧", "レガシー", "非推奨", "サポート", "ネイティブ", "拒否", "古い")


def _tiny_model() -> Any:
    inputs = _Input(shape=(3,))
    return _Functional(inputs, _Dense(2)(inputs))


def _refusal(name: str) -> tuple[ValueError, str]:
    """Call save_and_reload with `name` in a fresh folder; return its ValueError and the path,
    failing unless the function itself raised it before anything was written."""
    file = Path(ex.module().__file__).resolve()
    model = _tiny_model()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, name)
        what = T(ja=f"save_and_reload(model, {name!r})", en=f"save_and_reload(model, {name!r})")
        keras.config.disable_traceback_filtering()  # the raising frame as it is, not as Keras trims it
        try:
            with km.quiet():
                ex.save_and_reload(model, path)
        except ValueError as exc:
            error = exc
        except (CheckFailure, NotImplementedError):
            raise
        except Exception as exc:  # noqa: BLE001 — the wrong error is the learner's to fix
            raise Failure(T(ja=f"{particle(what.ja)}が ValueError ではなく {type(exc).__name__} になりました",
                            en=f"{what.en} raised {type(exc).__name__}, not ValueError"), REFUSE) from None
        else:
            raise Failure(T(ja=f"{particle(what.ja)}が ValueError を送出せずに終わりました（.keras で終わらないパス）",
                            en=f"{what.en} returned without raising ValueError (a path not ending in .keras)"), REFUSE)
        finally:
            keras.config.enable_traceback_filtering()
        tb = error.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        raised_in = Path(tb.tb_frame.f_code.co_filename).resolve() if tb is not None else None
        expect(raised_in == file,
               T(ja=f"{particle(what.ja)}の ValueError はあなたの関数ではなく {raised_in.name if raised_in else '?'} の中で送出されました"
                    f"（Keras 自身のエラー: {str(error)[:200]}）",
                 en=f"the ValueError of {what.en} was raised inside {raised_in.name if raised_in else '?'}, not by your function "
                    f"(Keras' own error: {str(error)[:200]})"), REFUSE)
        expect(not os.path.exists(path.rstrip("/")),
               T(ja=f"{particle(what.ja)}は ValueError を送出しましたが、その前に {name} を書いてしまいました",
                 en=f"{what.en} raised ValueError, but only after writing {name}"), REFUSE)
    return error, path


@pytest.mark.points(1)
@pytest.mark.parametrize("name", ["model.h5", "model.hdf5", "model.keras.h5"])
def test_h5_path_is_refused(name: str) -> None:
    """A .h5 path (which Keras 3 would still write, as legacy HDF5) is refused by the function
    itself with ValueError, before anything is written; ".keras" inside the name is not enough."""
    _refusal(name)


@pytest.mark.points(1)
@pytest.mark.parametrize("name", ["saved_model", "saved_model/", "model_keras"])
def test_folder_path_is_refused_by_the_function(name: str) -> None:
    """A bare folder (Keras 2's SavedModel habit), even one whose name ends in "keras" without
    the dot, is refused by the function itself, not left to Keras' own error."""
    _refusal(name)


@pytest.mark.points(1)
@pytest.mark.parametrize("name", ["model.h5", "saved_model"])
def test_refusal_message_says_why(name: str) -> None:
    """The refusal's message names .keras and says why (SavedModel refused by Keras 3; .h5 legacy)."""
    error, path = _refusal(name)
    message = str(error)
    rest = message.replace(path, "").replace(name, "").lower()
    expect(".keras" in message and any(word in rest for word in WHY_WORDS),
           T(ja=f"save_and_reload(model, {name!r}) の ValueError のメッセージ {message[:300]!r} が、.keras を挙げてその理由を説明していません",
             en=f"the message of save_and_reload(model, {name!r})'s ValueError, {message[:300]!r}, does not name .keras and say why"),
           T(ja="例: 「パスは .keras で終わる必要があります（Keras 3 のネイティブ形式）。フォルダは Keras 2 の SavedModel の"
                "書き方で Keras 3 は拒否し、.h5 は旧式の HDF5 形式で推奨されません」",
             en="e.g. \"the path must end in .keras (Keras 3's native format): a folder is Keras 2's SavedModel habit, "
                "which Keras 3 refuses, and .h5 is the legacy HDF5 format, not recommended\""))
