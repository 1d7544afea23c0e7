"""Checks for exercise 23: `train_step(model, optimizer, loss_fn, x, y)` and
`fit_manual(model, optimizer, loss_fn, dataset, epochs)`, model.fit's step written by hand
with tf.GradientTape (the Keras twin of exercise 2).

The oracle is `model.fit` itself (checks.keras_models.fit_history): a twin of the learner's
model, with the same weights and a fresh optimizer of the same configuration, is fitted on
the same batches in the same order; the learner's losses and weights must equal fit's
within 1e-6. Fit runs eagerly (`run_eagerly=True`: the same arithmetic, no tracing).

Decisions where the contract is silent:
- Models are small float32 Sequentials built here (Dense → ReLU → Dense, sometimes a
  Dropout or a frozen first layer), with no regularisation losses: the contract's loss is
  `loss_fn(y, prediction)` alone, so `model.losses` is neither required nor forbidden.
- `loss_fn` is a keras.losses.Loss instance returning a scalar: MeanSquaredError, and
  SparseCategoricalCrossentropy(from_logits=True), which is not symmetric, so `loss_fn(y,
  prediction)` and `loss_fn(prediction, y)` differ (the swapped call even fails on shapes).
- Equality with fit is graded with plain SGD on one batch and with SGD momentum 0.9 over
  three batches of different sizes (the optimizer's state carries over between calls).
- "Returns a Python float": any `float` (numpy's float64 subclasses it) passes; a tensor, a
  numpy float32 or a 0-d array does not.
- Dropout is judged by its effect: with SGD(learning_rate=0.0) nothing moves, and the loss
  train_step returns for a model with Dropout(0.5) must differ from the inference loss on the
  same batch (all units kept), which it does for any dropout mask but the all-kept one.
- Frozen layers: a Dense with trainable=False must keep its weights bitwise; the others must
  move as fit moves them.
- fit_manual's datasets are re-iterable (a list of numpy batches, or a tf.data.Dataset) and
  not empty; the per-epoch mean is fit's: Σ loss_b · n_b / Σ n_b.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from checks import keras_models as km
from checks.compare import expect_close
from checks.feedback import Failure, T, expect, expect_equal, expect_raises
from checks.submission import student

ex = student("ex23_gradient_tape")

# Captured before student code is imported.
_Sequential = keras.Sequential
_Input = keras.Input
_Dense = keras.layers.Dense
_Dropout = keras.layers.Dropout
_MSE = keras.losses.MeanSquaredError
_SparseCE = keras.losses.SparseCategoricalCrossentropy
_from_tensor_slices = tf.data.Dataset.from_tensor_slices

N_IN, HIDDEN, N_OUT = 4, 8, 3
TAPE_HELP = T(
    ja="with tf.GradientTape() as tape: の中で pred = model(x, training=True) と loss = loss_fn(y, pred) を計算し、"
       "tape.gradient(loss, model.trainable_variables) を optimizer.apply_gradients(zip(grads, model.trainable_variables)) に渡します",
    en="inside with tf.GradientTape() as tape: compute pred = model(x, training=True) and loss = loss_fn(y, pred); "
       "pass tape.gradient(loss, model.trainable_variables) to optimizer.apply_gradients(zip(grads, model.trainable_variables))",
)
FLOAT_HELP = T(ja="float(loss) で Python の float にして返します（テンソルや np.float32 のままではなく）",
               en="return float(loss), a Python float (not a tensor, not an np.float32)")
MEAN_HELP = T(
    ja="エポックの平均はサンプルあたり: Σ (バッチの損失 × バッチの大きさ) / サンプル数。バッチの損失をそのまま平均すると、"
       "小さい最後のバッチが重く数えられます。合計はエポックごとに 0 から始めます",
    en="an epoch's mean is per sample: Σ (batch loss × batch size) / number of samples. Averaging the batch losses "
       "counts a small last batch too heavily. Start the sums from 0 every epoch",
)


# ---------------------------------------------------------------------------------------
# Models, data and the fit oracle
# ---------------------------------------------------------------------------------------
def make_model(seed: int, *, dropout: bool = False, frozen: bool = False) -> Any:
    """Dense(8, relu) [→ Dropout(0.5)] → Dense(3), weights drawn from `seed`; the first
    Dense frozen when `frozen`."""
    layers = [_Input((N_IN,)), _Dense(HIDDEN, activation="relu")]
    if dropout:
        layers.append(_Dropout(0.5))
    layers.append(_Dense(N_OUT))
    model = _Sequential(layers)
    rng = np.random.default_rng(seed)
    for v in model.weights:
        v.assign(rng.normal(scale=0.7, size=tuple(int(d) for d in v.shape)).astype(np.float32))
    if frozen:
        model.layers[0].trainable = False
    return model


LOSSES = {"mse": _MSE, "sparse_ce": lambda: _SparseCE(from_logits=True)}


def batch(kind: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed + 1000)
    x = rng.normal(size=(n, N_IN)).astype(np.float32)
    if kind == "mse":
        return x, rng.normal(size=(n, N_OUT)).astype(np.float32)
    return x, rng.integers(0, N_OUT, size=n).astype(np.int64)


def batches(kind: str, sizes: list[int], seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    return [batch(kind, n, seed + i) for i, n in enumerate(sizes)]


def call_step(model: Any, optimizer: Any, loss: Any, x: np.ndarray, y: np.ndarray, example: str,
              *, exact_type: bool = False) -> float:
    """The learner's train_step; its loss as a float. Only `exact_type` checks demand a
    Python float: elsewhere a 0-d tensor is read, so one mistake costs one check."""
    value = ex.train_step(model, optimizer, loss, x.copy(), y.copy())
    if isinstance(value, float):
        return value
    if not exact_type:
        try:
            arr = km.value_of(value)
        except Exception:
            arr = None
        if arr is not None and arr.size == 1:
            return float(arr.reshape(()))
    raise Failure(T(ja=f"train_step の戻り値が Python の float ではなく {type(value).__name__} でした",
                    en=f"train_step returned a {type(value).__name__}, not a Python float"),
                  FLOAT_HELP, counterexample=example)


def describe(kind: str, sizes: list[int], opt: str) -> str:
    return f"loss {kind}, batches of sizes {sizes}, {opt}"


# ---------------------------------------------------------------------------------------
# train_step
# ---------------------------------------------------------------------------------------
@pytest.mark.points(2)
@settings(max_examples=3)
@given(n=st.integers(1, 6), seed=st.integers(0, 2**16), kind=st.sampled_from(sorted(LOSSES)))
def test_step_returns_the_loss_before_the_update(n: int, seed: int, kind: str) -> None:
    """train_step returns, as a Python float, the batch's loss measured before the update (fit's loss)."""
    x, y = batch(kind, n, seed)
    model, twin = make_model(seed), make_model(seed)
    example = describe(kind, [n], "SGD(learning_rate=0.1)")
    loss = call_step(model, km.sgd(0.1), LOSSES[kind](), x, y, example, exact_type=True)
    [expected] = km.fit_history(twin, km.sgd(0.1), LOSSES[kind](), [(x, y)])
    expect_close(loss, expected, T(ja="train_step が返した損失", en="the loss train_step returned"),
                 T(ja="損失は更新の前、同じ tape の中で計算した値を返します（apply_gradients の後に計算し直さない）",
                   en="return the loss computed in the tape, before the update (not recomputed after apply_gradients)"),
                 rtol=km.STEP_TOL, atol=km.STEP_TOL, counterexample=example)


@pytest.mark.points(2)
@settings(max_examples=3)
@given(n=st.integers(1, 6), seed=st.integers(0, 2**16), lr=st.sampled_from([0.05, 0.3]))
def test_one_step_equals_one_fit_step(n: int, seed: int, lr: float) -> None:
    """After one train_step the weights equal those after one model.fit step on the same batch (SGD), for MSE and cross-entropy."""
    for kind in sorted(LOSSES):
        x, y = batch(kind, n, seed)
        model, twin = make_model(seed), make_model(seed)
        example = describe(kind, [n], f"SGD(learning_rate={lr})")
        call_step(model, km.sgd(lr), LOSSES[kind](), x, y, example)
        km.fit_history(twin, km.sgd(lr), LOSSES[kind](), [(x, y)])
        km.expect_same_weights(model, twin, T(ja="1 ステップ後の重み（model.fit の 1 ステップと比較）",
                                              en="the weights after one step (against one model.fit step)"),
                               TAPE_HELP, example=example)


@pytest.mark.points(1)
@settings(max_examples=2)
@given(seed=st.integers(0, 2**16), sizes=st.lists(st.integers(1, 5), min_size=3, max_size=3))
def test_optimizer_state_carries_over(seed: int, sizes: list[int]) -> None:
    """Three train_step calls with one SGD(momentum=0.9) equal three fit steps: the optimizer's state carries over."""
    kind = "mse"
    data = batches(kind, sizes, seed)
    model, twin = make_model(seed), make_model(seed)
    example = describe(kind, sizes, "one SGD(learning_rate=0.1, momentum=0.9) for the three calls")
    optimizer, loss_fn = km.sgd(0.1, momentum=0.9), LOSSES[kind]()
    for x, y in data:
        call_step(model, optimizer, loss_fn, x, y, example)
    km.fit_history(twin, km.sgd(0.1, momentum=0.9), LOSSES[kind](), data)
    km.expect_same_weights(model, twin, T(ja="3 ステップ後の重み（model.fit の 3 ステップと比較）",
                                          en="the weights after three steps (against three model.fit steps)"),
                           T(ja="更新は渡された optimizer の apply_gradients に任せます。v.assign_sub(lr * g) のような手書きの更新では"
                                "モーメンタムなど optimizer の状態が使われません",
                             en="leave the update to the optimizer you are given (apply_gradients); a hand-written "
                                "v.assign_sub(lr * g) ignores its state, such as momentum"),
                           example=example)


@pytest.mark.points(1)
def test_frozen_layers_stay_unchanged() -> None:
    """A layer with trainable=False keeps its weights bitwise; the other layers move as one fit step moves them."""
    x, y = batch("mse", 5, 3)
    model, twin = make_model(3, frozen=True), make_model(3, frozen=True)
    frozen_before = km.weights_of(model)[:2]
    example = describe("mse", [5], "SGD(learning_rate=0.2), first Dense layer trainable=False")
    call_step(model, km.sgd(0.2), LOSSES["mse"](), x, y, example)
    km.fit_history(twin, km.sgd(0.2), LOSSES["mse"](), [(x, y)])
    after = km.weights_of(model)
    frozen_help = T(ja="勾配は model.trainable_variables について取り、同じリストに適用します。model.weights や model.variables には"
                       "trainable=False の層の重みも含まれます",
                    en="take the gradients with respect to model.trainable_variables and apply them to that same list; "
                       "model.weights and model.variables also hold the weights of layers with trainable=False")
    for name, before, now in zip(("kernel", "bias"), frozen_before, after[:2]):
        expect(bool(np.array_equal(before, now)),
               T(ja=f"trainable=False の層の {name} が変わりました", en=f"the {name} of the layer with trainable=False changed"),
               frozen_help, counterexample=example)
    km.expect_same_weights(model, twin, T(ja="1 ステップ後の重み", en="the weights after one step"), frozen_help, example=example)


@pytest.mark.points(1)
def test_dropout_is_active_in_the_step() -> None:
    """With a Dropout(0.5) layer, the loss of the step is the training-mode loss, not the inference loss."""
    x, y = batch("mse", 6, 5)
    model = make_model(5, dropout=True)
    loss_fn = LOSSES["mse"]()
    inference = float(loss_fn(y, model(x, training=False)))
    example = describe("mse", [6], "SGD(learning_rate=0.0), a Dropout(0.5) after the hidden layer")
    loss = call_step(model, km.sgd(0.0), loss_fn, x, y, example)
    expect(not bool(np.isclose(loss, inference, rtol=1e-6, atol=1e-7)),
           T(ja=f"train_step の損失 {loss:.6g} が推論時（Dropout なし）の損失 {inference:.6g} と同じです: 順伝播が学習モードではありません",
             en=f"train_step's loss {loss:.6g} equals the inference loss (no dropout) {inference:.6g}: the forward pass is not in training mode"),
           T(ja="Keras では model(x) の既定は推論モードです。model(x, training=True) と書くと Dropout や BatchNorm が学習時の動作になります",
             en="in Keras model(x) runs in inference mode by default; model(x, training=True) makes dropout and batch norm behave as in training"),
           counterexample=example)


# ---------------------------------------------------------------------------------------
# fit_manual
# ---------------------------------------------------------------------------------------
def run_fit_manual(model: Any, dataset: Any, epochs: int, example: str) -> list[float]:
    history = ex.fit_manual(model, km.sgd(0.1, momentum=0.5), LOSSES["mse"](), dataset, epochs)
    ok = isinstance(history, list) and all(isinstance(v, float) for v in history)
    expect(ok, T(ja=f"fit_manual の戻り値が float のリストではありません: {type(history).__name__} "
                    f"{[type(v).__name__ for v in history][:5] if isinstance(history, (list, tuple)) else ''}",
                 en=f"fit_manual did not return a list of floats: {type(history).__name__} "
                    f"{[type(v).__name__ for v in history][:5] if isinstance(history, (list, tuple)) else ''}"),
           FLOAT_HELP, counterexample=example)
    expect_equal(len(history), epochs, what=T(ja="fit_manual が返したリストの長さ", en="the length of the list fit_manual returned"),
                 help=T(ja="エポックごとに 1 つ、平均損失を追加します", en="append one mean loss per epoch"), counterexample=example)
    return history


@pytest.mark.points(2)
@settings(max_examples=2)
@given(seed=st.integers(0, 2**16), sizes=st.sampled_from([[4, 4, 1], [3, 5, 2], [5, 2]]), epochs=st.integers(2, 3))
def test_fit_manual_matches_fit(seed: int, sizes: list[int], epochs: int) -> None:
    """On a list of batches of different sizes, fit_manual returns fit's per-epoch losses (weighted by batch size) and ends with fit's weights."""
    data = batches("mse", sizes, seed)
    model, twin = make_model(seed), make_model(seed)
    example = describe("mse", sizes, f"SGD(learning_rate=0.1, momentum=0.5), epochs={epochs}, a list of numpy batches")
    history = run_fit_manual(model, data, epochs, example)
    expected = km.fit_history(twin, km.sgd(0.1, momentum=0.5), LOSSES["mse"](), data, epochs=epochs)
    expect_close(history, expected, T(ja="エポックごとの平均損失（model.fit の history と比較）",
                                      en="the mean loss of each epoch (against model.fit's history)"),
                 MEAN_HELP, rtol=km.STEP_TOL, atol=km.STEP_TOL, counterexample=example)
    km.expect_same_weights(model, twin, T(ja="学習後の重み（model.fit と比較）", en="the weights after training (against model.fit)"),
                           TAPE_HELP, example=example)


@pytest.mark.points(1)
def test_fit_manual_reads_a_tf_data_dataset() -> None:
    """fit_manual trains on a tf.data.Dataset (7 samples in batches of 3), reading it again every epoch."""
    x, y = batch("mse", 7, 11)
    dataset = _from_tensor_slices((x, y)).batch(3)
    model, twin = make_model(11), make_model(11)
    example = "tf.data.Dataset.from_tensor_slices((x, y)).batch(3) with 7 samples, epochs=2"
    history = run_fit_manual(model, dataset, 2, example)
    data = [(x[i:i + 3], y[i:i + 3]) for i in range(0, 7, 3)]
    expected = km.fit_history(twin, km.sgd(0.1, momentum=0.5), LOSSES["mse"](), data, epochs=2)
    expect_close(history, expected, T(ja="エポックごとの平均損失（model.fit の history と比較）",
                                      en="the mean loss of each epoch (against model.fit's history)"),
                 MEAN_HELP, rtol=km.STEP_TOL, atol=km.STEP_TOL, counterexample=example)
    km.expect_same_weights(model, twin, T(ja="学習後の重み（model.fit と比較）", en="the weights after training (against model.fit)"),
                           T(ja="for x, y in dataset: をエポックのループの中に書くと、毎エポック最初から読み直せます",
                             en="write for x, y in dataset: inside the epoch loop, so each epoch reads it from the start"),
                           example=example)


@pytest.mark.points(1)
def test_epochs_below_one_raise() -> None:
    """epochs=0 or a negative number of epochs raises ValueError."""
    data = batches("mse", [2], 0)
    for bad in (0, -1):
        expect_raises(ValueError, ex.fit_manual, make_model(0), km.sgd(0.1), LOSSES["mse"](), data, bad,
                      what=T(ja=f"epochs={bad}", en=f"epochs={bad}"),
                      help=T(ja="最初に if epochs < 1: raise ValueError(...) と確かめます", en="check first: if epochs < 1: raise ValueError(...)"))
