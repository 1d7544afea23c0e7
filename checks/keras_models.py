"""Recipes for Keras checks: models compared through their weights, training compared
with `model.fit`, and `tf.data` pipelines read pass by pass.

The Keras side of checks/modules.py. Everything here treats the learner's objects as
untrusted: values are read through `keras.ops.convert_to_numpy` and `checks.compare`
(captured at import, before any student code runs), failures are bilingual `Failure`s,
and Keras' own progress bars and warnings never reach the report (`verbose=0`, warnings
silenced inside the recipes).

    from checks import keras_models as km

    model = km.expect_keras_model(ex.build_model(3), T.same("build_model(3)"))
    km.expect_param_count(model, reference_model, T(ja="モデル", en="the model"))
    km.expect_same_outputs(model, reference_model, x, T(ja="出力", en="the output"))

    losses = km.fit_history(twin, km.sgd(0.1), "mse", batches, epochs=2)  # the oracle
    km.expect_same_weights(model, twin, T(ja="学習後の重み", en="the weights after training"))

    passes = km.read_passes(ds, passes=3, max_batches=5, what=T.same("make_dataset(...)"))
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import keras
import numpy as np
import tensorflow as tf

from checks.compare import as_numpy, expect_close
from checks.feedback import CheckFailure, Failure, T, particle, show

__all__ = [
    "WeightRow", "weight_table", "describe_inputs", "describe_weights", "count_params", "expect_keras_model",
    "expect_param_count", "copy_weights", "predict", "expect_same_outputs", "value_of", "weights_of",
    "expect_same_weights", "fit_history", "sgd", "quiet", "read_passes", "first_batch",
]

# Captured before student code is imported (a submission cannot patch them afterwards).
_KerasModel = keras.Model
_Dataset = tf.data.Dataset
_to_numpy = keras.ops.convert_to_numpy
_Callback = keras.callbacks.Callback
_SGD = keras.optimizers.SGD
_catch_warnings = warnings.catch_warnings
_simplefilter = warnings.simplefilter

STEP_TOL = 1e-6  # "equal (1e-6)": a fit step against a hand-written one, both in float32


@contextmanager
def quiet() -> Iterator[None]:
    """Keras' and TensorFlow's warnings (UserWarning about ignored arguments, deprecation
    notes) stay out of the report while a recipe runs Keras for the check.

        with quiet():
            model.fit(ds, epochs=1, verbose=0)
    """
    with _catch_warnings():
        _simplefilter("ignore")
        yield


# ---------------------------------------------------------------------------------------
# Weight tables
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WeightRow:
    """One weight of a model, as the tables in messages show it."""

    name: str
    shape: tuple[int, ...]
    trainable: bool

    @property
    def count(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))


def weight_table(model: Any) -> list[WeightRow]:
    """The model's weights in `model.weights` order (Keras' layer order), one row each.

        [(r.name, r.shape) for r in weight_table(model)]  # [('dense/kernel', (3, 16)), ...]
    """
    rows = []
    for v in model.weights:
        name = str(getattr(v, "path", None) or getattr(v, "name", "?"))
        rows.append(WeightRow(name, tuple(int(d) for d in v.shape), bool(getattr(v, "trainable", True))))
    return rows


def describe_weights(rows: Sequence[WeightRow], marker: int | None = None) -> str:
    """A table for a message: one line per weight (name, shape, count), `marker` row flagged.

        describe_weights(weight_table(model))
        # '    0  dense/kernel  (3, 16)  48\\n    1  dense/bias  (16,)  16'
    """
    if not rows:
        return "    (no weights)"
    lines = []
    for i, r in enumerate(rows):
        frozen = "" if r.trainable else "  (non-trainable)"
        flag = "  ←" if i == marker else ""
        lines.append(f"    {i}  {r.name}  {r.shape}  {r.count:,}{frozen}{flag}")
    return "\n".join(lines)


def count_params(model: Any, trainable_only: bool = False) -> int:
    """The number of scalars in the model's weights (all of them, or the trainable ones).

        count_params(model)                       # as model.count_params()
        count_params(model, trainable_only=True)  # only what the optimizer updates
    """
    return sum(r.count for r in weight_table(model) if r.trainable or not trainable_only)


def expect_keras_model(obj: Any, what: T, help: T | None = None) -> Any:
    """Fail unless `obj` is a keras.Model; return it.

        model = expect_keras_model(ex.build_model(3), T.same("build_model(3)"))
    """
    if not isinstance(obj, _KerasModel):
        raise Failure(T(ja=f"{particle(what.ja)}が keras.Model ではなく {type(obj).__name__} を返しました",
                        en=f"{what.en} returned {type(obj).__name__}, not a keras.Model"),
                      help or T(ja="keras.Model(inputs, outputs) で作ったモデルを return します",
                                en="return the model made by keras.Model(inputs, outputs)"))
    return obj


def _first_difference(a: Sequence[WeightRow], b: Sequence[WeightRow]) -> int | None:
    for i, (x, y) in enumerate(zip(a, b)):
        if x.shape != y.shape:
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


def expect_param_count(model: Any, expected: int | Any, what: T, help: T | None = None) -> None:
    """Fail unless the model has as many parameters as `expected` (a number, or a model whose
    count it must equal). The message shows the learner's per-weight breakdown, and the
    reference's beside it when a model is given, with the first differing row flagged.

        expect_param_count(model, reference_model, T(ja="モデル", en="the model"), help)
    """
    mine = weight_table(model)
    n = sum(r.count for r in mine)
    if isinstance(expected, int):
        want, theirs = expected, None
    else:
        theirs = weight_table(expected)
        want = sum(r.count for r in theirs)
    if n == want:
        return
    mark = _first_difference(mine, theirs) if theirs is not None else None
    table = describe_weights(mine, mark)
    if theirs is None:
        ja = f"{particle(what.ja)}のパラメータ数は {want:,} のはずですが {n:,} でした。内訳:\n{table}"
        en = f"{what.en} should have {want:,} parameters but has {n:,}. Breakdown:\n{table}"
    else:
        ref = describe_weights(theirs, mark)
        ja = (f"{particle(what.ja)}のパラメータ数は {want:,} のはずですが {n:,} でした。\nあなたのモデル:\n{table}\n"
              f"期待されるモデル:\n{ref}")
        en = (f"{what.en} should have {want:,} parameters but has {n:,}.\nYour model:\n{table}\n"
              f"Expected model:\n{ref}")
    raise Failure(T(ja=ja, en=en), help)


def copy_weights(source: Any, target: Any, what: T, help: T | None = None) -> None:
    """Copy `source`'s weights into `target` by order (`model.weights`; names are free). The
    tables must agree in length and shapes, else a Failure lists both.

        copy_weights(reference_model, model, T(ja="あなたのモデル", en="your model"))
    """
    theirs, mine = weight_table(source), weight_table(target)
    mark = _first_difference(mine, theirs)
    if mark is not None:
        raise Failure(
            T(ja=f"{particle(what.ja)}の重みの並び（層の順、形）が期待されるモデルと一致しないので、重みを写せません。\n"
                 f"あなたのモデル:\n{describe_weights(mine, mark)}\n期待されるモデル:\n{describe_weights(theirs, mark)}",
              en=f"{what.en}: its weights (layer order and shapes) do not line up with the expected model's, so "
                 f"the weights cannot be copied.\nYour model:\n{describe_weights(mine, mark)}\n"
                 f"Expected model:\n{describe_weights(theirs, mark)}"),
            help)
    for v_src, v_dst in zip(source.weights, target.weights):
        v_dst.assign(np.asarray(_to_numpy(v_src)))


# ---------------------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------------------
def describe_inputs(inputs: Any) -> str:
    """Inputs as a message shows them: shapes and dtypes, not values.

        describe_inputs({"numeric": x, "category": c})  # "{'numeric': float32 (4, 3), 'category': int32 (4, 1)}"
    """
    if isinstance(inputs, dict):
        return "{" + ", ".join(f"{k!r}: {describe_inputs(v)}" for k, v in inputs.items()) + "}"
    if isinstance(inputs, (list, tuple)):
        return "[" + ", ".join(describe_inputs(v) for v in inputs) + "]"
    shape, dtype = getattr(inputs, "shape", None), getattr(inputs, "dtype", None)
    return f"{dtype} {tuple(shape)}" if shape is not None else type(inputs).__name__


def predict(model: Any, inputs: Any, what: T, help: T | None = None, *, training: bool = False) -> np.ndarray:
    """`model(inputs, training=training)` as a float64 numpy array. An error Keras raises
    inside the call (a shape or dtype the model refuses) becomes a Failure naming the
    inputs given, not a traceback into Keras.

        probs = predict(model, {"numeric": x, "category": c}, T(ja="出力", en="the output"))
    """
    try:
        with quiet():
            out = model(inputs, training=training)
    except (CheckFailure, NotImplementedError):
        raise
    except Exception as exc:
        shown = describe_inputs(inputs)
        raise Failure(T(ja=f"{what.ja}: 入力 {shown} でモデルを呼ぶと {type(exc).__name__} になりました: {str(exc)[:300]}",
                        en=f"{what.en}: calling the model on {shown} raised {type(exc).__name__}: {str(exc)[:300]}"),
                      help) from None
    try:
        arr = np.asarray(_to_numpy(out))
    except Exception:
        raise Failure(T(ja=f"{what.ja}: テンソルを期待しましたが {type(out).__name__} でした",
                        en=f"{what.en}: expected a tensor, got {type(out).__name__}"), help) from None
    return as_numpy(arr, what).astype(np.float64)


def expect_same_outputs(student_model: Any, reference_model: Any, inputs: Any, what: T, help: T | None = None, *,
                        example: str | T | None = None, rtol: float = 1e-5, atol: float = 1e-6) -> np.ndarray:
    """Copy the reference's weights into the learner's model (by order, `copy_weights`), call
    both in inference (`training=False`) and compare the outputs (float32 tolerance by
    default). Returns the learner's output.

        expect_same_outputs(model, reference_model, x, T(ja="出力", en="the output"), help,
                            example="x: 4 × 3")
    """
    copy_weights(reference_model, student_model, what, help)
    expected = predict(reference_model, inputs, T(ja="期待されるモデル", en="the expected model"))
    actual = predict(student_model, inputs, what, help)
    expect_close(actual, expected, what, help, rtol=rtol, atol=atol, counterexample=example)
    return actual


# ---------------------------------------------------------------------------------------
# Training: one fit step against one hand-written step
# ---------------------------------------------------------------------------------------
def value_of(variable: Any) -> np.ndarray:
    """A float64 numpy copy of one Keras variable (or tensor).

        table = value_of(embedding_layer.embeddings)
    """
    return np.array(_to_numpy(variable), dtype=np.float64)


def weights_of(model: Any) -> list[np.ndarray]:
    """A float64 copy of every weight, in `model.weights` order.

        before = weights_of(model)
    """
    return [value_of(v) for v in model.weights]


def expect_same_weights(actual: Any, expected: Any, what: T, help: T | None = None, *,
                        rtol: float = STEP_TOL, atol: float = STEP_TOL, example: str | T | None = None) -> None:
    """Fail unless two models (or lists from `weights_of`) hold the same weights, weight by
    weight, within rtol/atol (default 1e-6: one fit step against one hand-written step).
    The message names the weight that differs.

        expect_same_weights(model, twin, T(ja="1 ステップ後の重み", en="the weights after one step"))
    """
    names = [r.name for r in weight_table(actual)] if not isinstance(actual, list) else None
    a = actual if isinstance(actual, list) else weights_of(actual)
    e = expected if isinstance(expected, list) else weights_of(expected)
    if len(a) != len(e):
        raise Failure(T(ja=f"{what.ja}: 重みの数が {len(e)} のはずですが {len(a)} でした",
                        en=f"{what.en}: expected {len(e)} weights, got {len(a)}"), help, counterexample=example)
    for i, (x, y) in enumerate(zip(a, e)):
        name = names[i] if names else f"#{i}"
        expect_close(x, y, T(ja=f"{what.ja}（{name}）", en=f"{what.en} ({name})"), help,
                     rtol=rtol, atol=atol, counterexample=example)


def sgd(learning_rate: float = 0.1, momentum: float = 0.0) -> Any:
    """A fresh keras.optimizers.SGD (captured class: a submission cannot swap it).

        opt_a, opt_b = sgd(0.1, momentum=0.9), sgd(0.1, momentum=0.9)   # same state
    """
    return _SGD(learning_rate=learning_rate, momentum=momentum)


class _StepCounter(_Callback):
    def __init__(self) -> None:
        super().__init__()
        self.steps = 0

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.steps += 1


def fit_history(model: Any, optimizer: Any, loss: Any, batches: Sequence[tuple[Any, Any]], epochs: int = 1) -> list[float]:
    """The oracle for hand-written training: `model.fit` over `batches` in this order (one
    step per batch, no shuffling, `epochs` passes), compiled with `optimizer` and `loss`.
    Returns fit's per-epoch loss: the mean of the steps' losses, each measured before its
    update and weighted by its batch size. Runs eagerly (no tracing: the same arithmetic,
    a second instead of several), silently.

        expected = fit_history(twin, sgd(0.1), keras.losses.MeanSquaredError(), [(x1, y1), (x2, y2)])
    """
    xs = tf.data.Dataset.from_generator(
        lambda: iter(batches),
        output_signature=tuple(tf.TensorSpec((None, *np.shape(v)[1:]), tf.as_dtype(np.asarray(v).dtype))
                               for v in batches[0]))
    model.compile(optimizer=optimizer, loss=loss, run_eagerly=True, jit_compile=False)
    counter = _StepCounter()
    with quiet():
        history = model.fit(xs, epochs=epochs, shuffle=False, verbose=0, callbacks=[counter])
    if counter.steps != epochs * len(batches):  # our own oracle, not the learner: a kit bug
        raise RuntimeError(f"fit ran {counter.steps} steps, expected {epochs * len(batches)}")
    return [float(v) for v in history.history["loss"]]


# ---------------------------------------------------------------------------------------
# tf.data: several passes, each bounded
# ---------------------------------------------------------------------------------------
def _as_arrays(element: Any, what: T) -> tuple[np.ndarray, ...]:
    parts = element if isinstance(element, tuple) else (element,)
    out = []
    for p in parts:
        try:
            out.append(as_numpy(np.asarray(_to_numpy(p)), what))
        except CheckFailure:
            raise
        except Exception:
            raise Failure(T(ja=f"{particle(what.ja)}の要素にテンソルでないものがあります: {show(p)}",
                            en=f"{what.en} yields something that is not a tensor: {show(p)}")) from None
    return tuple(out)


def _expect_dataset(dataset: Any, what: T, help: T | None) -> None:
    if not isinstance(dataset, _Dataset):
        raise Failure(T(ja=f"{particle(what.ja)}が tf.data.Dataset ではなく {type(dataset).__name__} でした",
                        en=f"{what.en} is a {type(dataset).__name__}, not a tf.data.Dataset"),
                      help or T(ja="tf.data.Dataset.from_tensor_slices((features, labels)) から始めます",
                                en="start from tf.data.Dataset.from_tensor_slices((features, labels))"))


def first_batch(dataset: Any, what: T, help: T | None = None) -> tuple[np.ndarray, ...]:
    """The first batch of a fresh pass (a new iterator), as numpy arrays: cheap even for a
    large dataset, for properties of the start of an epoch.

        features, labels = first_batch(ds, T.same("make_dataset(...)"))
    """
    _expect_dataset(dataset, what, help)
    with quiet():
        for element in dataset:
            return _as_arrays(element, what)
    raise Failure(T(ja=f"{particle(what.ja)}は 1 つもバッチを出しませんでした", en=f"{what.en} yielded no batch at all"), help)


def read_passes(dataset: Any, passes: int, max_batches: int, what: T, help: T | None = None) -> list[list[tuple[np.ndarray, ...]]]:
    """Iterate a tf.data.Dataset `passes` times (a fresh iterator each, as `fit` does per
    epoch) and collect every batch as a tuple of numpy arrays. A pass yielding more than
    `max_batches` batches fails (a `repeat()` makes one pass endless): the check never hangs.

        [first, second] = read_passes(ds, 2, max_batches=ceil(n / b), what=T.same("make_dataset(...)"))
    """
    _expect_dataset(dataset, what, help)
    out = []
    for _ in range(passes):
        batches = []
        with quiet():
            for element in dataset:
                if len(batches) == max_batches:
                    raise Failure(
                        T(ja=f"{what.ja}: 1 回の走査（1 エポック）が {max_batches} バッチを超えても終わりません"
                             "（repeat() で終わらないデータセットになっていませんか）",
                          en=f"{what.en}: one pass (one epoch) goes on past {max_batches} batches "
                             "(does a repeat() make it endless?)"),
                        help or T(ja="repeat() は付けません。fit(ds, epochs=...) が毎エポック最初から読み直します",
                                  en="leave repeat() out: fit(ds, epochs=...) reads the dataset from the start every epoch"))
                batches.append(_as_arrays(element, what))
        out.append(batches)
    return out

