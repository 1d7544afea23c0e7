"""Checks for exercise 22: `build_two_input_model(num_numeric, vocab_size, embed_dim=8,
num_classes=3)`, a two-input classifier built with the Keras Functional API.

Contract: inputs `keras.Input((num_numeric,), name="numeric")` (float32) and
`keras.Input((1,), dtype="int32", name="category")`; Embedding(vocab_size, embed_dim) of the
category, flattened, concatenated with the numeric input (either order) → Dense(16, relu) →
Dense(num_classes, softmax, name="probs"); called with a dict, `fit` on dicts works;
arguments < 1 → ValueError.

The oracle is a float64 numpy forward pass written here (`expected_probs`), fed with weights
drawn here and copied into the learner's model by order (checks.keras_models.copy_weights):
the reference solution is never imported.

Decisions where the contract is silent:
- "Functional" is judged by what it gives: a keras.Model (not a Sequential) whose symbolic
  `inputs` are exactly the two named inputs with the contract's shapes and dtypes, and whose
  output is named "probs". A subclassed model has no symbolic inputs and fails there.
- The inputs may be given to keras.Model as a dict, a list or a tuple, in any order: every
  such model accepts the dict call.
- Both concatenation orders are accepted: the output is compared with the oracle computed
  for [numeric, embedding] and for [embedding, numeric], and must match one of them.
- Flatten, Reshape((embed_dim,)) or any other way of dropping the length-1 axis passes;
  layers without weights that do not change the inference output (a Dropout) are not
  detected and not required absent.
- The embedding check finds the embedding as the one weight of shape (vocab_size,
  embed_dim), with sizes chosen so no other weight has that shape.
- `fit` on dicts is run for one epoch, eagerly (`run_eagerly=True`: the same data path,
  without seconds of tracing), with sparse categorical cross-entropy; it must run and change
  the weights.
- ValueError is required for each argument at 0 and at -1, whichever raises it (Keras itself
  refuses Dense(0) and Embedding(0, ...); nothing refuses Input((0,)) but the function).
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks import keras_models as km
from checks.compare import expect_close, expect_finite, expect_shape
from checks.feedback import Failure, T, expect, expect_equal, expect_raises
from checks.submission import student

ex = student("ex22_functional_api")

# Captured before student code is imported.
_Sequential = keras.Sequential
_Input = keras.Input
_Model = keras.Model
_layers = keras.layers

HIDDEN = 16
MODEL = T(ja="build_two_input_model の戻り値", en="the model build_two_input_model returned")
OUTPUT = T(ja="モデルの出力", en="the model's output")
ARCH_HELP = T(
    ja="category → Embedding(vocab_size, embed_dim) → Flatten、numeric と Concatenate → Dense(16, relu) → "
       "Dense(num_classes, softmax, name=\"probs\") の順につなぎます",
    en="wire category → Embedding(vocab_size, embed_dim) → Flatten, Concatenate with numeric → Dense(16, relu) → "
       "Dense(num_classes, softmax, name=\"probs\")",
)
FUNCTIONAL_HELP = T(
    ja="Functional API では入力ごとに keras.Input(形, dtype=..., name=...) を作り、層を関数のように呼んでつなぎ、"
       "最後に keras.Model(inputs=..., outputs=...) でモデルにします。Sequential は入力を 1 つしか持てません",
    en="with the Functional API, make one keras.Input(shape, dtype=..., name=...) per input, call layers on tensors "
       "like functions, and finish with keras.Model(inputs=..., outputs=...). A Sequential has a single input",
)
EMBED_HELP = T(
    ja="カテゴリ ID は Embedding で「ID ごとの学習可能なベクトル」に変えます。ID をそのまま数値として Dense に入れると、"
       "ID 3 が ID 1 の「3 倍」という意味のない順序を持ち込みます",
    en="an Embedding turns each category id into a learned vector of its own. Feeding the id to a Dense as a number "
       "would claim that id 3 is 'three times' id 1, an order that means nothing",
)


# ---------------------------------------------------------------------------------------
# The oracle
# ---------------------------------------------------------------------------------------
def reference_model(num_numeric: int, vocab_size: int, embed_dim: int, num_classes: int) -> Any:
    """The contract's architecture, built here (weight order: embedding, hidden, probs)."""
    numeric = _Input((num_numeric,), name="numeric")
    category = _Input((1,), dtype="int32", name="category")
    embedded = _layers.Flatten()(_layers.Embedding(vocab_size, embed_dim)(category))
    hidden = _layers.Dense(HIDDEN, activation="relu")(_layers.Concatenate()([numeric, embedded]))
    probs = _layers.Dense(num_classes, activation="softmax", name="probs")(hidden)
    return _Model({"numeric": numeric, "category": category}, probs)


def expected_probs(weights: list[np.ndarray], numeric: np.ndarray, category: np.ndarray,
                   embedding_first: bool) -> np.ndarray:
    """The forward pass in float64 from the reference's weights, for one concatenation order."""
    table, k1, b1, k2, b2 = (np.asarray(w, np.float64) for w in weights)
    embedded = table[category[:, 0]]
    if embedding_first:  # the same kernel, its rows read as [embedding; numeric]
        joined = np.concatenate([embedded, numeric.astype(np.float64)], axis=1)
    else:
        joined = np.concatenate([numeric.astype(np.float64), embedded], axis=1)
    h = np.maximum(joined @ k1 + b1, 0.0)
    z = h @ k2 + b2
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def draw_weights(model: Any, seed: int) -> list[np.ndarray]:
    """Weights for the reference model, large enough that ReLU and softmax both matter."""
    rng = np.random.default_rng(seed)
    values = [rng.normal(scale=0.8, size=tuple(int(d) for d in v.shape)).astype(np.float32) for v in model.weights]
    for v, value in zip(model.weights, values):
        v.assign(value)
    return values


def inputs_for(num_numeric: int, vocab_size: int, batch: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed + 1)
    return {"numeric": rng.normal(size=(batch, num_numeric)).astype(np.float32),
            "category": rng.integers(0, vocab_size, size=(batch, 1)).astype(np.int32)}


# ---------------------------------------------------------------------------------------
# The learner's model
# ---------------------------------------------------------------------------------------
def build(*args: int) -> Any:
    shown = ", ".join(map(str, args))
    return km.expect_keras_model(ex.build_two_input_model(*args),
                                 T.same(f"build_two_input_model({shown})"), FUNCTIONAL_HELP)


def _symbolic_inputs(model: Any) -> list[Any]:
    inputs = getattr(model, "inputs", None) if not isinstance(model, _Sequential) else None
    if not inputs:
        kind = "Sequential" if isinstance(model, _Sequential) else type(model).__name__
        raise Failure(T(ja=f"{MODEL.ja}（{kind}）は Functional API のモデルではありません: 記号的な入力 (model.inputs) がありません",
                        en=f"{MODEL.en} ({kind}) is not a Functional API model: it has no symbolic inputs (model.inputs)"),
                      FUNCTIONAL_HELP)
    return list(inputs.values()) if isinstance(inputs, dict) else list(inputs)


def _describe_input(t: Any) -> str:
    return f"{getattr(t, 'name', '?')!r} shape={tuple(getattr(t, 'shape', ()))} dtype={getattr(t, 'dtype', '?')}"


SIZES = st.tuples(st.integers(1, 4), st.integers(1, 6), st.integers(1, 5), st.integers(1, 4))


@pytest.mark.points(2)
@settings(max_examples=4)
@given(sizes=SIZES)
def test_two_named_inputs(sizes: tuple[int, int, int, int]) -> None:
    """A Functional model whose inputs are "numeric" (None, num_numeric) float32 and "category" (None, 1) int32."""
    n, vocab, embed, classes = sizes
    model = build(n, vocab, embed, classes)
    found = {getattr(t, "name", None): t for t in _symbolic_inputs(model)}
    wanted = {"numeric": ((None, n), "float32"), "category": ((None, 1), "int32")}
    got = sorted(_describe_input(t) for t in found.values())
    want = sorted(f"{name!r} shape={shape} dtype={dtype}" for name, (shape, dtype) in wanted.items())
    ok = set(found) == set(wanted) and all(
        tuple(found[name].shape) == shape and str(found[name].dtype) == dtype for name, (shape, dtype) in wanted.items())
    expect(ok,
           T(ja=f"モデルの入力が期待と異なります。期待: {want}、実際: {got}",
             en=f"the model's inputs are not the expected ones. Expected: {want}, got: {got}"),
           T(ja="keras.Input((num_numeric,), name=\"numeric\") と keras.Input((1,), dtype=\"int32\", name=\"category\") "
                "の 2 つを作り、両方を keras.Model の inputs に渡します（ID は整数なので dtype=\"int32\"）",
             en="make keras.Input((num_numeric,), name=\"numeric\") and keras.Input((1,), dtype=\"int32\", "
                "name=\"category\"), and pass both as keras.Model's inputs (ids are integers: dtype=\"int32\")"))


@pytest.mark.points(1)
def test_output_named_probs() -> None:
    """The model's single output is the Dense layer named "probs"."""
    model = build(3, 5)
    names = list(getattr(model, "output_names", None) or [])
    expect_equal(names, ["probs"], what=T(ja="model.output_names（出力の名前）", en="model.output_names (the output's name)"),
                 help=T(ja="出力層を Dense(num_classes, activation=\"softmax\", name=\"probs\") にします。"
                           "名前があると fit に y を {\"probs\": y} と渡せます",
                        en="make the output layer Dense(num_classes, activation=\"softmax\", name=\"probs\"); "
                           "with the name, fit also takes y as {\"probs\": y}"))


@pytest.mark.points(2)
@settings(max_examples=6)
@given(sizes=SIZES)
def test_parameter_count(sizes: tuple[int, int, int, int]) -> None:
    """vocab·embed + (num_numeric + embed)·16 + 16 + 16·num_classes + num_classes parameters, layer by layer."""
    n, vocab, embed, classes = sizes
    km.expect_param_count(build(n, vocab, embed, classes), reference_model(n, vocab, embed, classes), MODEL,
                          T(ja=f"Embedding は vocab_size×embed_dim、隠れ層は (num_numeric+embed_dim)×16+16、"
                               f"出力層は 16×num_classes+num_classes のパラメータを持ちます",
                            en=f"the Embedding has vocab_size×embed_dim parameters, the hidden layer "
                               f"(num_numeric+embed_dim)×16+16, the output layer 16×num_classes+num_classes"))


@pytest.mark.points(1)
def test_default_sizes() -> None:
    """Without embed_dim and num_classes, the embedding has 8 dimensions and there are 3 classes."""
    model = build(2, 4)
    km.expect_param_count(model, reference_model(2, 4, 8, 3), T.same("build_two_input_model(2, 4)"),
                          T(ja="既定値は embed_dim=8、num_classes=3 です（シグネチャのとおり）",
                            en="the defaults are embed_dim=8 and num_classes=3 (as in the signature)"))
    out = km.predict(model, inputs_for(2, 4, 2, 0), OUTPUT, ARCH_HELP)
    expect_shape(out, (2, 3), OUTPUT, T(ja="既定で 3 クラスの確率を出します", en="by default it outputs 3 class probabilities"),
                 counterexample="build_two_input_model(2, 4) on a batch of 2")


@pytest.mark.points(1)
@settings(max_examples=6)
@given(sizes=SIZES, batch=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_rows_are_probabilities(sizes: tuple[int, int, int, int], batch: int, seed: int) -> None:
    """Called with the dict of inputs, every output row is non-negative and sums to 1."""
    n, vocab, embed, classes = sizes
    model = build(n, vocab, embed, classes)
    draw_weights(model, seed)
    x = inputs_for(n, vocab, batch, seed)
    out = km.predict(model, x, OUTPUT, FUNCTIONAL_HELP)
    expect_shape(out, (batch, classes), OUTPUT, ARCH_HELP)
    expect_finite(out, OUTPUT, ARCH_HELP)
    softmax = T(ja="出力層に activation=\"softmax\" を付けると各行が和 1 の確率になります（sigmoid では和は 1 になりません）",
                en="activation=\"softmax\" on the output layer makes each row sum to 1 (sigmoid does not)")
    expect_close(out.sum(axis=1), np.ones(batch), T(ja="出力の各行の和", en="the sum of each output row"), softmax,
                 rtol=1e-5, atol=1e-5)
    expect(bool((out >= 0).all()), T(ja="出力に負の値があります", en="some outputs are negative"), softmax)


def _embedding_weight(model: Any, vocab: int, embed: int) -> Any:
    found = [v for v in model.weights if tuple(int(d) for d in v.shape) == (vocab, embed)]
    if len(found) != 1:
        raise Failure(T(ja=f"形 ({vocab}, {embed}) の埋め込みの重みが{'見つかりません' if not found else '複数あります'}。"
                           f"重み:\n{km.describe_weights(km.weight_table(model))}",
                        en=f"{'no' if not found else 'more than one'} embedding weight of shape ({vocab}, {embed}). "
                           f"Weights:\n{km.describe_weights(km.weight_table(model))}"),
                      EMBED_HELP)
    return found[0]


@pytest.mark.points(2)
@settings(max_examples=4)
@given(seed=st.integers(0, 2**16), ids=st.lists(st.integers(0, 6), min_size=2, max_size=2, unique=True))
def test_category_acts_only_through_its_embedding_row(seed: int, ids: list[int]) -> None:
    """Two ids whose embedding rows are equal give equal outputs; changing id a's row changes
    only the outputs of samples with id a."""
    a, b = ids
    model = build(3, 7, 5, 4)  # no other weight is (7, 5)
    draw_weights(model, seed)
    table = _embedding_weight(model, 7, 5)
    rows = km.value_of(table).astype(np.float32)
    rows[b] = rows[a]
    table.assign(rows)
    numeric = np.random.default_rng(seed).normal(size=(1, 3)).astype(np.float32).repeat(2, axis=0)
    x = {"numeric": numeric, "category": np.array([[a], [b]], np.int32)}
    example = f"ids {a} and {b} with equal embedding rows, the same numeric features"
    out = km.predict(model, x, OUTPUT, ARCH_HELP)
    expect_close(out[1], out[0], T(ja=f"埋め込みの行が同じ ID {b} と ID {a} の出力", en=f"the outputs for ids {b} and {a}, whose embedding rows are equal"),
                 EMBED_HELP, rtol=1e-6, atol=1e-7, counterexample=example)
    rows[a] = rows[a] + 1.5
    table.assign(rows)
    after = km.predict(model, x, OUTPUT, ARCH_HELP)
    expect_close(after[1], out[1], T(ja=f"ID {a} の行だけを変えた後の ID {b} の出力", en=f"the output for id {b} after changing only id {a}'s row"),
                 EMBED_HELP, rtol=1e-6, atol=1e-7, counterexample=example)
    expect(not bool(np.allclose(after[0], out[0], rtol=1e-6, atol=1e-7)),
           T(ja=f"ID {a} の埋め込みの行を変えても ID {a} の出力が変わりません",
             en=f"changing id {a}'s embedding row does not change the output for id {a}"),
           EMBED_HELP, counterexample=example)


@pytest.mark.points(3)
@settings(max_examples=6)
@given(sizes=SIZES, batch=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_same_outputs_with_reference_weights(sizes: tuple[int, int, int, int], batch: int, seed: int) -> None:
    """With the reference's weights copied in (by order), the outputs equal the architecture's, in float64."""
    n, vocab, embed, classes = sizes
    model = build(n, vocab, embed, classes)
    ref = reference_model(n, vocab, embed, classes)
    weights = draw_weights(ref, seed)
    km.copy_weights(ref, model, MODEL, ARCH_HELP)
    x = inputs_for(n, vocab, batch, seed)
    out = km.predict(model, x, OUTPUT, ARCH_HELP)
    candidates = [expected_probs(weights, x["numeric"], x["category"], first) for first in (False, True)]
    if any(c.shape == out.shape and bool(np.allclose(out, c, rtol=1e-4, atol=1e-6)) for c in candidates):
        return
    expect_close(out, candidates[0], OUTPUT, ARCH_HELP, rtol=1e-4, atol=1e-6,
                 counterexample=T(ja=f"入力: {km.describe_inputs(x)}（連結は [numeric, 埋め込み] の順で比較）",
                                  en=f"inputs: {km.describe_inputs(x)} (compared as [numeric, embedding])"))


@pytest.mark.points(1)
def test_fit_on_dicts() -> None:
    """model.fit takes a dict of inputs with integer labels and trains: one epoch changes the weights."""
    model = build(3, 5, 4, 3)
    x = inputs_for(3, 5, 12, 7)
    y = np.arange(12) % 3
    before = km.weights_of(model)
    model.compile(optimizer=km.sgd(0.5), loss="sparse_categorical_crossentropy", run_eagerly=True)
    try:
        with km.quiet():
            history = model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    except Exception as exc:
        raise Failure(T(ja=f"model.fit(辞書, ラベル) が {type(exc).__name__} になりました: {str(exc)[:300]}",
                        en=f"model.fit(dict, labels) raised {type(exc).__name__}: {str(exc)[:300]}"),
                      FUNCTIONAL_HELP, counterexample="model.fit({'numeric': 12 × 3, 'category': 12 × 1}, y, batch_size=4)") from None
    loss = [float(v) for v in history.history.get("loss", [])]
    expect(len(loss) == 1 and bool(np.isfinite(loss).all()),
           T(ja=f"fit の損失が有限の値 1 つになりません: {loss}", en=f"fit's loss is not one finite value: {loss}"), ARCH_HELP)
    moved = any(not np.array_equal(a, b) for a, b in zip(before, km.weights_of(model)))
    expect(moved, T(ja="fit の後も重みが変わっていません", en="the weights did not change during fit"),
           T(ja="学習される層（Embedding、Dense）は trainable のままにします", en="keep the layers (Embedding, Dense) trainable"))


@pytest.mark.points(1)
def test_arguments_below_one_raise() -> None:
    """Each argument at 0 or below raises ValueError."""
    good = {"num_numeric": 3, "vocab_size": 5, "embed_dim": 4, "num_classes": 2}
    for bad in (0, -1):
        for name in good:
            expect_raises(ValueError, ex.build_two_input_model, **{**good, name: bad},
                          what=T(ja=f"{name}={bad}", en=f"{name}={bad}"),
                          help=T(ja="引数を最初に確かめ、1 未満なら raise ValueError(...) します（Keras は Input((0,)) を拒みません）",
                                 en="check the arguments first and raise ValueError(...) below 1 (Keras accepts Input((0,)) silently)"))
