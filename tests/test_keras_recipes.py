"""checks/keras_models.py: the Keras recipes the check modules build on, each shown to pass
what it should and to fail, with a message that says why, what it should not."""

from __future__ import annotations

import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

from checks import keras_models as km
from checks.feedback import CheckFailure, T

WHAT = T(ja="モデル", en="the model")


def mlp(hidden: int = 4, activation: str = "relu", n_in: int = 3, seed: int = 0, frozen: bool = False) -> keras.Model:
    model = keras.Sequential([keras.Input((n_in,)), keras.layers.Dense(hidden, activation=activation), keras.layers.Dense(2)])
    rng = np.random.default_rng(seed)
    for v in model.weights:
        v.assign(rng.normal(size=tuple(v.shape)).astype(np.float32))
    model.layers[0].trainable = not frozen
    return model


def failure_text(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.rationale.en + "\n" + (excinfo.value.expected or "") + (excinfo.value.actual or "")


def test_weight_table_and_count_agree_with_keras() -> None:
    model = mlp(frozen=True)
    rows = km.weight_table(model)
    assert [r.shape for r in rows] == [(3, 4), (4,), (4, 2), (2,)]
    assert [r.trainable for r in rows] == [False, False, True, True]
    assert km.count_params(model) == model.count_params() == 26
    assert km.count_params(model, trainable_only=True) == 10
    table = km.describe_weights(rows, marker=2)
    assert "(non-trainable)" in table and table.splitlines()[2].endswith("←")


def test_param_count_message_shows_both_breakdowns_and_the_first_difference() -> None:
    km.expect_param_count(mlp(), mlp(seed=1), WHAT)
    km.expect_param_count(mlp(), 26, WHAT)
    with pytest.raises(CheckFailure) as excinfo:
        km.expect_param_count(mlp(hidden=5), mlp(), WHAT)
    text = failure_text(excinfo)
    assert "should have 26 parameters but has 32" in text
    assert "Your model:" in text and "Expected model:" in text
    assert text.count("←") == 2  # the first differing row, flagged in both tables
    with pytest.raises(CheckFailure) as excinfo:
        km.expect_param_count(mlp(), 30, WHAT)
    assert "Breakdown:" in failure_text(excinfo) and excinfo.value.rationale.ja


def test_copy_weights_by_order_and_refuses_other_shapes() -> None:
    source, target = mlp(seed=1), mlp(seed=2)
    km.copy_weights(source, target, WHAT)
    assert all(np.array_equal(a, b) for a, b in zip(km.weights_of(source), km.weights_of(target)))
    with pytest.raises(CheckFailure) as excinfo:
        km.copy_weights(source, mlp(hidden=5), WHAT)
    text = failure_text(excinfo)
    assert "cannot be copied" in text and "(3, 5)" in text and "(3, 4)" in text


def test_same_outputs_passes_a_twin_and_catches_another_activation() -> None:
    x = np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32)
    out = km.expect_same_outputs(mlp(seed=3), mlp(seed=4), x, WHAT)
    assert out.shape == (5, 2) and out.dtype == np.float64
    with pytest.raises(CheckFailure) as excinfo:
        km.expect_same_outputs(mlp(activation="tanh"), mlp(), x, WHAT)
    assert "elements differ" in excinfo.value.rationale.en


def test_predict_turns_a_keras_error_into_a_failure_naming_the_inputs() -> None:
    with pytest.raises(CheckFailure) as excinfo:
        km.predict(mlp(), np.zeros((2, 7), np.float32), WHAT)
    assert "float32 (2, 7)" in excinfo.value.rationale.en
    assert km.describe_inputs({"a": np.zeros((1, 2), np.int32)}) == "{'a': int32 (1, 2)}"


def test_fit_history_is_fit_with_losses_weighted_by_batch_size() -> None:
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(5, 3)).astype(np.float32), rng.normal(size=(5, 2)).astype(np.float32)
    model = mlp()
    mse = keras.losses.MeanSquaredError()
    per_sample = np.mean((km.predict(model, x, WHAT) - y) ** 2, axis=1)
    [loss] = km.fit_history(model, km.sgd(0.0), mse, [(x[:3], y[:3]), (x[3:], y[3:])])
    assert loss == pytest.approx(per_sample.mean(), rel=1e-6)  # not the mean of the two batch means
    assert loss != pytest.approx((per_sample[:3].mean() + per_sample[3:].mean()) / 2, rel=1e-6)


def test_one_fit_step_equals_one_hand_written_step() -> None:
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(4, 3)).astype(np.float32), rng.normal(size=(4, 2)).astype(np.float32)
    by_hand, by_fit = mlp(seed=5), mlp(seed=5)
    mse, opt = keras.losses.MeanSquaredError(), km.sgd(0.1)
    with tf.GradientTape() as tape:
        loss = mse(y, by_hand(x, training=True))
    opt.apply_gradients(zip(tape.gradient(loss, by_hand.trainable_variables), by_hand.trainable_variables))
    assert km.fit_history(by_fit, km.sgd(0.1), mse, [(x, y)]) == [pytest.approx(float(loss), rel=1e-6)]
    km.expect_same_weights(by_hand, by_fit, WHAT)
    with pytest.raises(CheckFailure) as excinfo:
        km.expect_same_weights(by_hand, mlp(seed=5), WHAT)
    assert "dense" in excinfo.value.rationale.en  # names the weight that differs


def test_read_passes_collects_every_pass_and_bounds_an_endless_one() -> None:
    ds = tf.data.Dataset.from_tensor_slices((np.arange(5.0), np.arange(5))).shuffle(5, seed=0).batch(2)
    passes = km.read_passes(ds, 2, max_batches=3, what=WHAT)
    assert [len(p) for p in passes] == [3, 3]
    assert sorted(np.concatenate([b[1] for b in passes[0]]).tolist()) == [0, 1, 2, 3, 4]
    assert len(km.first_batch(ds, WHAT)[0]) == 2
    with pytest.raises(CheckFailure) as excinfo:
        km.read_passes(ds.repeat(), 1, max_batches=3, what=WHAT)
    assert "repeat()" in excinfo.value.rationale.en
    with pytest.raises(CheckFailure) as excinfo:
        km.read_passes([(1, 2)], 1, max_batches=3, what=WHAT)
    assert "not a tf.data.Dataset" in excinfo.value.rationale.en


def test_quiet_keeps_warnings_out() -> None:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with km.quiet():
            warnings.warn("from keras", UserWarning)
    assert seen == []


def test_expect_keras_model_refuses_other_objects() -> None:
    assert km.expect_keras_model(mlp(), WHAT).count_params() == 26
    with pytest.raises(CheckFailure) as excinfo:
        km.expect_keras_model(lambda x: x, WHAT)
    assert "not a keras.Model" in excinfo.value.rationale.en
