"""Checks for exercise 12: EarlyStoppingCheckpoint, exercise 5's early stopping with a
best-weights checkpoint, as a Keras callback.

Two ways of driving the callback:
- scripted: a real small Keras model is attached (`cb.set_model(model)`, and `cb.params` set
  as `fit` sets them: verbose, epochs, steps) and the hooks are called as `fit` calls them
  (on_train_begin, on_epoch_begin/on_epoch_end per epoch, on_train_end), with
  `logs[monitor]` taken from a drawn sequence and the model's weights set to values unique
  to each epoch, so a checkpoint shows which epoch it holds;
- a real `model.fit`, where a callback placed before the learner's writes the scripted
  `logs["val_loss"]` (Keras 3 passes one logs dict through the callbacks in order) and
  records each epoch's weights.
The expected behaviour is computed by `predict` below: ex5's rule (an epoch improves iff
best is None or v < best - min_delta, strictly; NaN never improves; no improvement:
wait += 1, stop when wait >= patience).

Decisions where the contract is silent:
- `best` is compared by value (a Python float or a numpy float both pass); `wait` and the
  epochs are integers.
- A missing monitor key must produce a warning through `warnings.warn` (any category, as
  keras.callbacks.EarlyStopping does) or a WARNING record of the `logging` module; once
  per run is enough. The epoch changes nothing: it neither improves nor counts.
- If no epoch ever improved (every value NaN), nothing was saved and on_train_end must
  not fail (keras.callbacks.EarlyStopping restores nothing in that case either); the state
  must still follow the rule (best and best_epoch None, wait growing), so a callback that does
  nothing does not pass.
- With min_delta > 0 the values are multiples of 1/8, exact in binary, so `v < best -
  min_delta`, `best - v > min_delta` and `v + min_delta < best` all agree, ties included.
- Not required: creating missing parent folders of checkpoint_path, argument validation,
  what is printed with verbose=True.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import tempfile
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks import strategies as draw
from checks.compare import as_numpy
from checks.feedback import Failure, Mismatch, T, expect
from checks.submission import student

ex = student("ex12_keras_early_stopping")

# Captured before student code is imported.
_Callback = keras.callbacks.Callback
_isnan = math.isnan

MISSING = None  # an epoch whose logs lack the monitor key

RULE_HELP = T(
    ja="改善の判定: best が None か v < best - min_delta（厳密な不等号）。NaN は決して改善ではありません。"
       "改善なら best = v、wait = 0、best_epoch = epoch。改善しなければ wait += 1",
    en="an epoch improves iff best is None or v < best - min_delta (strict); NaN never improves. "
       "Improvement: best = v, wait = 0, best_epoch = epoch. Otherwise wait += 1",
)
STOP_HELP = T(
    ja="wait が patience に達したエポック（wait >= patience）で self.model.stop_training = True、stopped_epoch = epoch にします",
    en="at the epoch where wait reaches patience (wait >= patience) set self.model.stop_training = True and stopped_epoch = epoch",
)
SAVE_HELP = T(
    ja="改善したエポックでだけ self.model.save_weights(checkpoint_path) を呼びます",
    en="call self.model.save_weights(checkpoint_path) on improving epochs only",
)
RESTORE_HELP = T(
    ja="on_train_end で self.model.load_weights(checkpoint_path) を呼び、最良エポックの重みに戻します"
       "（早期終了したときだけでなく、最後のエポックまで学習したときも）",
    en="in on_train_end call self.model.load_weights(checkpoint_path) to go back to the best epoch's weights "
       "(also when training ran to the last epoch without stopping early)",
)
RESET_HELP = T(
    ja="状態（best, wait, best_epoch, stopped_epoch）は __init__ だけでなく on_train_begin でもリセットします",
    en="reset the state (best, wait, best_epoch, stopped_epoch) in on_train_begin, not only in __init__",
)


# ---------------------------------------------------------------------------------------
# The rule (ex5's), as the checks expect it
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class State:
    best: float | None
    wait: int
    best_epoch: int | None
    stopped_epoch: int | None


def predict(values: list[float | None], patience: int, min_delta: float = 0.0) -> list[State]:
    """The state after each epoch, up to and including the epoch that stops training."""
    best, wait, best_epoch, stopped = None, 0, None, None
    states = []
    for epoch, v in enumerate(values):
        if v is not MISSING:
            if not _isnan(v) and (best is None or v < best - min_delta):
                best, wait, best_epoch = v, 0, epoch
            else:
                wait += 1
                if wait >= patience:
                    stopped = epoch
        states.append(State(best, wait, best_epoch, stopped))
        if stopped is not None:
            break
    return states


def _show(values: list[float | None]) -> str:
    return "[" + ", ".join("<missing>" if v is MISSING else repr(v) for v in values) + "]"


# ---------------------------------------------------------------------------------------
# Driving the learner's callback
# ---------------------------------------------------------------------------------------
def _tiny_model() -> Any:
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    model.stop_training = False
    return model


def _epoch_weights(epoch: int) -> list[np.ndarray]:
    """Weights unique to each epoch (exact in float32)."""
    return [np.array([[epoch + 1.0], [-(epoch + 0.5)]], np.float32), np.array([epoch * 0.25], np.float32)]


def _weights(model: Any) -> list[np.ndarray]:
    return [as_numpy(np.asarray(w), T.same("weights")) for w in model.get_weights()]


def _same_weights(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return len(a) == len(b) and all(x.shape == y.shape and bool(np.array_equal(x, y)) for x, y in zip(a, b))


def _which_epoch(weights: list[np.ndarray], n_epochs: int) -> T:
    for e in range(n_epochs):
        if _same_weights(weights, _epoch_weights(e)):
            return T(ja=f"エポック {e} の重み", en=f"the weights of epoch {e}")
    return T(ja="どのエポックのものでもない重み", en="weights of no epoch")


@contextmanager
def _workdir() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="ex12-") as d:
        yield d


def _callback(path: str, **kwargs: Any) -> Any:
    cb = ex.EarlyStoppingCheckpoint(path, **kwargs)
    if not isinstance(cb, _Callback):
        raise Failure(T(ja=f"EarlyStoppingCheckpoint が keras.callbacks.Callback を継承していません（{type(cb).__mro__[1].__name__}）",
                        en=f"EarlyStoppingCheckpoint does not subclass keras.callbacks.Callback ({type(cb).__mro__[1].__name__})"),
                      T(ja="class EarlyStoppingCheckpoint(keras.callbacks.Callback) と書き、super().__init__() を呼びます",
                        en="write class EarlyStoppingCheckpoint(keras.callbacks.Callback) and call super().__init__()"))
    return cb


def _attr(cb: Any, name: str) -> Any:
    try:
        return getattr(cb, name)
    except AttributeError:
        raise Failure(T(ja=f"属性 {name} がありません", en=f"the callback has no attribute {name}"),
                      T(ja="__init__ と on_train_begin で best, wait, best_epoch, stopped_epoch を設定します",
                        en="set best, wait, best_epoch and stopped_epoch in __init__ and on_train_begin")) from None


def _state(cb: Any) -> State:
    return State(_attr(cb, "best"), _attr(cb, "wait"), _attr(cb, "best_epoch"), _attr(cb, "stopped_epoch"))


def _same_value(actual: Any, expected: Any) -> bool:
    """None only equals None; numbers compare by value (float32 rounding allowed for `best`)."""
    if expected is None or actual is None:
        return actual is None and expected is None
    if isinstance(actual, bool) or not isinstance(actual, (int, float, np.integer, np.floating)):
        return False
    if isinstance(expected, int):
        return isinstance(actual, (int, np.integer)) and int(actual) == expected
    a = float(actual)
    return not _isnan(a) and abs(a - expected) <= 1e-6 * max(1.0, abs(expected))


def _expect_state(actual: State, expected: State, epoch: int | T, counter: str, help: T,
                  fields: tuple[str, ...] = ("best", "wait", "best_epoch", "stopped_epoch")) -> None:
    when = epoch if isinstance(epoch, T) else T(ja=f"エポック {epoch} の on_epoch_end の後", en=f"after on_epoch_end of epoch {epoch}")
    for field in fields:
        a, e = getattr(actual, field), getattr(expected, field)
        if not _same_value(a, e):
            raise Mismatch(repr(e), repr(a), help,
                           what=T(ja=f"{when.ja}の {field}", en=f"{field} {when.en}"),
                           counterexample=counter)


class _WarningLog(logging.Handler):
    def __init__(self, sink: list[Any]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record)


@contextmanager
def _capture_warnings() -> Iterator[list[Any]]:
    """`warnings.warn` (any category) and WARNING records of `logging` issued inside the block."""
    caught: list[Any] = []
    handler = _WarningLog(caught)
    loggers = [logging.getLogger(name) for name in ("", "tensorflow", "absl", "keras")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as recorded:
            warnings.simplefilter("always")
            yield caught
            caught.extend(recorded)
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


@dataclass
class Run:
    states: list[State]  # after each epoch fed
    stop_flags: list[bool]  # model.stop_training after each epoch
    checkpoints: list[list[np.ndarray] | None]  # the file's weights after each epoch (when asked)
    final: list[np.ndarray]  # the model's weights after on_train_end
    warnings: int = 0  # warnings issued by on_epoch_end in epochs without the monitor key


def _script(cb: Any, model: Any, values: list[float | None], *, monitor: str = "val_loss",
            extra: dict[int, dict[str, float]] | None = None, read_checkpoint: str | None = None,
            twin: Any = None) -> Run:
    """Call the hooks as fit would, one epoch per value, until the callback stops training."""
    # fit sets these before any hook, so a callback may read them (self.params["epochs"])
    cb.set_params({"verbose": 0, "epochs": len(values), "steps": 1})
    cb.set_model(model)
    model.stop_training = False
    cb.on_train_begin({})
    run = Run([], [], [], [])
    for epoch, v in enumerate(values):
        model.set_weights(_epoch_weights(epoch))
        cb.on_epoch_begin(epoch, {})
        logs: dict[str, float] = {"loss": 1.0}
        if v is not MISSING:
            logs[monitor] = v
        logs.update((extra or {}).get(epoch, {}))
        if v is MISSING:  # record the warnings of this call only (not those of Keras elsewhere)
            with _capture_warnings() as caught:
                cb.on_epoch_end(epoch, logs)
            run.warnings += len(caught)
        else:
            cb.on_epoch_end(epoch, logs)
        run.states.append(_state(cb))
        run.stop_flags.append(bool(getattr(model, "stop_training", False)))
        if read_checkpoint is not None:
            if os.path.exists(read_checkpoint):
                twin.load_weights(read_checkpoint)
                run.checkpoints.append(_weights(twin))
            else:
                run.checkpoints.append(None)
        if run.stop_flags[-1]:
            break
    cb.on_train_end({})
    run.final = _weights(model)
    return run


# ---------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------
def eighths(min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[list[float]]:
    """Loss histories of multiples of 1/8 (exact in binary): ties with min_delta are exact."""
    return st.lists(st.integers(0, 32).map(lambda k: k / 8), min_size=min_size, max_size=max_size)


def with_missing(min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[list[float | None]]:
    value = st.one_of(st.sampled_from([1.0, 0.5, 0.75, 2.0]), st.just(MISSING))
    return st.lists(value, min_size=min_size, max_size=max_size)


# ---------------------------------------------------------------------------------------
# Scripted checks
# ---------------------------------------------------------------------------------------
@pytest.mark.points(2)
def test_tracks_best_and_wait() -> None:
    """After every epoch, best, wait and best_epoch follow ex5's rule (strict improvement, NaN never improves)."""
    model = _tiny_model()
    with _workdir() as d:
        @settings(max_examples=20)
        @given(values=draw.loss_sequences(1, 12))
        def check(values: list[float]) -> None:
            patience = len(values) + 1  # never stops here: only the bookkeeping is checked
            cb = _callback(os.path.join(d, "best.weights.h5"), patience=patience)
            run = _script(cb, model, values)
            counter = f"val_loss = {_show(values)}, patience = {patience}"
            for epoch, (actual, expected) in enumerate(zip(run.states, predict(values, patience))):
                _expect_state(actual, expected, epoch, counter, RULE_HELP, ("best", "wait", "best_epoch"))

        check()


@pytest.mark.points(2)
def test_stops_when_patience_runs_out() -> None:
    """model.stop_training becomes True exactly at the epoch where wait reaches patience, and stopped_epoch is that epoch."""
    model = _tiny_model()
    with _workdir() as d:
        @settings(max_examples=30)
        @given(values=draw.loss_sequences(1, 14), patience=st.integers(1, 5))
        def check(values: list[float], patience: int) -> None:
            cb = _callback(os.path.join(d, "best.weights.h5"), patience=patience)
            run = _script(cb, model, values)
            expected = predict(values, patience)
            counter = f"val_loss = {_show(values)}, patience = {patience}"
            for epoch, state in enumerate(expected):
                should_stop = state.stopped_epoch is not None
                if epoch >= len(run.stop_flags):
                    break
                if run.stop_flags[epoch] != should_stop:
                    raise Mismatch(should_stop, run.stop_flags[epoch], STOP_HELP,
                                   what=T(ja=f"エポック {epoch} の後の model.stop_training（wait = {state.wait}）",
                                          en=f"model.stop_training after epoch {epoch} (wait = {state.wait})"),
                                   counterexample=counter)
                _expect_state(run.states[epoch], state, epoch, counter, STOP_HELP, ("stopped_epoch",))

        check()


@pytest.mark.points(1)
def test_min_delta_required_improvement() -> None:
    """With min_delta > 0, an epoch improves only if v < best - min_delta (a smaller gain counts as no improvement)."""
    model = _tiny_model()
    with _workdir() as d:
        @settings(max_examples=20)
        @given(values=eighths(2, 12), min_delta=st.sampled_from([0.125, 0.25, 0.5, 1.0]))
        def check(values: list[float], min_delta: float) -> None:
            patience = len(values) + 1
            cb = _callback(os.path.join(d, "best.weights.h5"), patience=patience, min_delta=min_delta)
            run = _script(cb, model, values)
            counter = f"val_loss = {_show(values)}, min_delta = {min_delta}, patience = {patience}"
            for epoch, (actual, expected) in enumerate(zip(run.states, predict(values, patience, min_delta))):
                _expect_state(actual, expected, epoch, counter,
                              T(ja="min_delta より大きく下がったときだけ改善です: v < best - min_delta",
                                en="only a drop larger than min_delta improves: v < best - min_delta"),
                              ("best", "wait", "best_epoch"))

        check()


@pytest.mark.points(1)
def test_nan_never_improves() -> None:
    """A NaN value never improves nor becomes best, even at the first epoch; it counts as no improvement."""
    nan = float("nan")
    model = _tiny_model()
    with _workdir() as d:
        for values, patience in (([nan, 1.0, nan, 0.5], 5), ([nan, nan, nan], 3), ([2.0, nan, nan, 1.0], 5)):
            cb = _callback(os.path.join(d, "best.weights.h5"), patience=patience)
            run = _script(cb, model, values)
            counter = f"val_loss = {_show(values)}, patience = {patience}"
            for epoch, (actual, expected) in enumerate(zip(run.states, predict(values, patience))):
                _expect_state(actual, expected, epoch, counter,
                              T(ja="NaN との比較は常に False ですが、best is None の分岐で NaN が best にならないよう、先に math.isnan で除きます",
                                en="comparisons with NaN are False, but the `best is None` branch would take it: exclude NaN first (math.isnan)"))


@pytest.mark.points(1)
def test_defaults() -> None:
    """EarlyStoppingCheckpoint(path) monitors val_loss with patience 5 and min_delta 0."""
    model = _tiny_model()
    values = [1.0, 0.999, 0.999, 2.0, 1.5, 1.0, 0.9995, 3.0]  # a tie is no improvement; any drop is one
    with _workdir() as d:
        cb = _callback(os.path.join(d, "best.weights.h5"))
        run = _script(cb, model, values)
        expected = predict(values, 5)
        counter = f"EarlyStoppingCheckpoint(path), val_loss = {_show(values)}"
        for epoch, state in enumerate(expected):
            if epoch < len(run.states):
                _expect_state(run.states[epoch], state, epoch, counter,
                              T(ja="既定値は patience=5, monitor=\"val_loss\", min_delta=0.0 です",
                                en="the defaults are patience=5, monitor=\"val_loss\", min_delta=0.0"))
        expect(len(run.stop_flags) == len(expected) and run.stop_flags[-1] is True,
               T(ja=f"エポック {len(expected) - 1} で学習が止まりませんでした（patience の既定値は 5）",
                 en=f"training was not stopped at epoch {len(expected) - 1} (the default patience is 5)"),
               STOP_HELP, counterexample=counter)


@pytest.mark.points(1)
def test_monitor_argument_selects_the_metric() -> None:
    """With monitor="val_mae" the callback follows logs["val_mae"], not logs["val_loss"]."""
    model = _tiny_model()
    mae = [3.0, 2.0, 2.5, 1.0, 1.5]
    loss = [1.0, 2.0, 0.5, 3.0, 0.25]  # would give a different history
    with _workdir() as d:
        cb = _callback(os.path.join(d, "best.weights.h5"), monitor="val_mae", patience=10)
        run = _script(cb, model, mae, monitor="val_mae", extra={e: {"val_loss": v} for e, v in enumerate(loss)})
        counter = f"monitor=\"val_mae\", val_mae = {mae}, val_loss = {loss}"
        for epoch, (actual, expected) in enumerate(zip(run.states, predict(mae, 10))):
            _expect_state(actual, expected, epoch, counter,
                          T(ja="logs[self.monitor] を読みます（\"val_loss\" と決め打ちしない）",
                            en="read logs[self.monitor] (do not hard-code \"val_loss\")"))


@pytest.mark.points(1)
def test_state_resets_on_train_begin() -> None:
    """on_train_begin resets best, wait, best_epoch and stopped_epoch: a second run behaves like a fresh one."""
    model = _tiny_model()
    with _workdir() as d:
        cb = _callback(os.path.join(d, "best.weights.h5"), patience=2)
        _script(cb, model, [0.5, 1.0, 1.0, 1.0])  # stops at epoch 2 with best 0.5
        model.stop_training = False
        cb.on_train_begin({})
        fresh = State(None, 0, None, None)
        _expect_state(_state(cb), fresh, T(ja="2 回目の on_train_begin の後", en="after the second on_train_begin"),
                      "first run: val_loss = [0.5, 1.0, 1.0, 1.0], patience = 2 (stopped at epoch 2)", RESET_HELP)
        values = [2.0, 1.5, 3.0, 1.0]
        run = _script(cb, model, values)
        counter = f"second run: val_loss = {_show(values)}, patience = 2 (first run: [0.5, 1.0, 1.0, 1.0])"
        for epoch, (actual, expected) in enumerate(zip(run.states, predict(values, 2))):
            _expect_state(actual, expected, epoch, counter, RESET_HELP)
        expect(not any(run.stop_flags),
               T(ja="2 回目の学習が途中で止められました（前回の状態が残っています）",
                 en="the second run was stopped early (state left over from the first run)"),
               RESET_HELP, counterexample=counter)


@pytest.mark.points(2)
def test_checkpoint_holds_best_weights() -> None:
    """After every epoch the checkpoint file holds the weights of the best epoch so far (saved on improvement only)."""
    model, twin = _tiny_model(), _tiny_model()
    runs = itertools.count()
    with _workdir() as d:
        @settings(max_examples=15)
        @given(values=draw.loss_sequences(1, 10), patience=st.integers(1, 4))
        def check(values: list[float], patience: int) -> None:
            path = os.path.join(d, f"run{next(runs)}.weights.h5")  # a fresh file each example
            cb = _callback(path, patience=patience)
            run = _script(cb, model, values, read_checkpoint=path, twin=twin)
            counter = f"val_loss = {_show(values)}, patience = {patience}"
            for epoch, (saved, state) in enumerate(zip(run.checkpoints, predict(values, patience))):
                if state.best_epoch is None:
                    expect(saved is None,
                           T(ja=f"エポック {epoch} までに改善が一度も無いのに、チェックポイントが保存されています",
                             en=f"a checkpoint was saved although no epoch up to {epoch} improved"),
                           SAVE_HELP, counterexample=counter)
                    continue
                if saved is None:
                    raise Failure(T(ja=f"エポック {state.best_epoch} で改善したのに、エポック {epoch} の後も {os.path.basename(path)} がありません",
                                    en=f"epoch {state.best_epoch} improved, yet after epoch {epoch} there is no {os.path.basename(path)}"),
                                  SAVE_HELP, counterexample=counter)
                if not _same_weights(saved, _epoch_weights(state.best_epoch)):
                    got = _which_epoch(saved, len(values))
                    raise Failure(T(ja=f"エポック {epoch} の後のチェックポイントが {got.ja} でした（期待: 最良のエポック {state.best_epoch} の重み）",
                                    en=f"after epoch {epoch} the checkpoint holds {got.en} (expected the best epoch {state.best_epoch}'s)"),
                                  SAVE_HELP, counterexample=counter)

        check()


@pytest.mark.points(2)
def test_best_weights_restored_on_train_end() -> None:
    """After on_train_end the model holds the best epoch's weights, whether training stopped early or ran to the end."""
    model = _tiny_model()
    with _workdir() as d:
        cases = (([1.0, 0.5, 0.75, 0.75, 0.9], 2),   # stops early at epoch 3
                 ([1.0, 0.5, 0.75, 0.6], 5),          # runs to the end: best is epoch 1, not the last
                 ([2.0, 1.0, 0.5], 3),                # the last epoch is the best
                 ([0.5, 0.75, 1.0], 5),               # the best epoch is 0 (falsy)
                 ([0.5, 0.0, 0.25], 5))               # the best value is 0.0 (falsy)
        for i, (values, patience) in enumerate(cases):
            cb = _callback(os.path.join(d, f"case{i}.weights.h5"), patience=patience)
            run = _script(cb, model, values)
            best = predict(values, patience)[-1].best_epoch
            if not _same_weights(run.final, _epoch_weights(best)):
                got = _which_epoch(run.final, len(values))
                raise Failure(T(ja=f"on_train_end の後のモデルが {got.ja} でした（期待: 最良のエポック {best} の重み）",
                                en=f"after on_train_end the model holds {got.en} (expected the best epoch {best}'s)"),
                              RESTORE_HELP, counterexample=f"val_loss = {_show(values)}, patience = {patience}")


@pytest.mark.points(1)
def test_no_improvement_restores_nothing() -> None:
    """If no epoch improved (all NaN: best and best_epoch stay None while wait grows), on_train_end does not
    fail and leaves the weights as they are, even when a stale checkpoint from an earlier run is at
    checkpoint_path."""
    model = _tiny_model()
    nan = float("nan")
    with _workdir() as d:
        values = [nan, nan, nan]
        path = os.path.join(d, "best.weights.h5")
        stale = _tiny_model()  # an earlier run's checkpoint: weights of no epoch of this run
        stale.set_weights([np.full((2, 1), -7.0, np.float32), np.full((1,), 3.0, np.float32)])
        stale.save_weights(path)
        cb = _callback(path, patience=5)
        run = _script(cb, model, values)
        counter = f"val_loss = {_show(values)}, patience = 5"
        for epoch, (actual, expected) in enumerate(zip(run.states, predict(values, 5))):
            _expect_state(actual, expected, epoch, counter, RULE_HELP, ("best", "wait", "best_epoch"))
        expect(_same_weights(run.final, _epoch_weights(len(values) - 1)),
               T(ja="一度も改善しなかったのに、on_train_end で重みが変わりました",
                 en="no epoch improved, yet on_train_end changed the weights"),
               T(ja="この学習で何も保存していなければ、on_train_end では何も読み込みません（best_epoch is None）。"
                    "ファイルがあるかどうかで決めると、前の学習の古いチェックポイントを読んでしまいます",
                 en="if this run saved nothing, on_train_end loads nothing (best_epoch is None); deciding by whether "
                    "the file exists loads a stale checkpoint from an earlier run"),
               counterexample=f"val_loss = {_show(values)}, an earlier run's checkpoint already at checkpoint_path")


@pytest.mark.points(2)
def test_missing_monitor_key_warns_and_skips() -> None:
    """An epoch whose logs lack the monitor key gives a warning and changes nothing (no improvement, no wait, no stop)."""
    model = _tiny_model()
    with _workdir() as d:
        @settings(max_examples=15)
        @given(values=with_missing(2, 12), patience=st.integers(1, 3))
        def check(values: list[float | None], patience: int) -> None:
            cb = _callback(os.path.join(d, "best.weights.h5"), patience=patience)
            run = _script(cb, model, values)
            counter = f"val_loss = {_show(values)}, patience = {patience}"
            expected = predict(values, patience)
            for epoch, (actual, state) in enumerate(zip(run.states, expected)):
                _expect_state(actual, state, epoch, counter,
                              T(ja="監視するキーが logs に無いエポックは、何も変えずに飛ばします（wait も増やさない）",
                                en="an epoch without the monitored key is skipped: nothing changes (wait does not grow)"))
            expect(len(run.stop_flags) == len(expected) and run.stop_flags[-1] == (expected[-1].stopped_epoch is not None),
                   T(ja="学習を止めたエポックが期待と違います（キーの無いエポックは数えません）",
                     en="training stopped at a different epoch than expected (epochs without the key do not count)"),
                   STOP_HELP, counterexample=counter)
            fed = values[: len(run.states)]
            if MISSING in fed:
                expect(run.warnings > 0,
                       T(ja="logs に 'val_loss' が無いのに警告が出ませんでした",
                         en="the logs had no 'val_loss', yet no warning was issued"),
                       T(ja="warnings.warn(...) で、監視するキーが見つからないことを知らせます",
                         en="use warnings.warn(...) to say the monitored key is missing"),
                       counterexample=counter)

        check()


# ---------------------------------------------------------------------------------------
# A real model.fit
# ---------------------------------------------------------------------------------------
class _Script(_Callback):
    """Placed before the learner's callback: writes logs["val_loss"] and records the weights."""

    def __init__(self, values: list[float]) -> None:
        super().__init__()
        self.values = values
        self.snapshots: list[list[np.ndarray]] = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs["val_loss"] = self.values[epoch]
        self.snapshots.append(_weights(self.model))


def _fit_model() -> tuple[Any, Any]:
    """A Dense(1) on 8 samples: one step per epoch, so the weights change every epoch."""
    import tensorflow as tf

    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 2)).astype(np.float32)
    y = rng.standard_normal((8, 1)).astype(np.float32)
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    # a tf.data pipeline built once: fit on numpy arrays rebuilds one per call (much slower)
    return model, tf.data.Dataset.from_tensor_slices((x, y)).batch(8)


def _fit(model: Any, data: Any, values: list[float], cb: Any) -> tuple[Any, _Script]:
    script = _Script(values)
    history = model.fit(data, epochs=len(values), shuffle=False, verbose=0, callbacks=[script, cb])
    return history, script


fit_sequences = draw.loss_sequences(1, 9)


@pytest.mark.points(2)
def test_fit_stops_at_predicted_epoch() -> None:
    """In model.fit, training runs exactly the epochs the rule predicts (stops when wait reaches patience)."""
    model, data = _fit_model()
    with _workdir() as d:
        @settings(max_examples=8)
        @given(values=fit_sequences, patience=st.integers(1, 4))
        def check(values: list[float], patience: int) -> None:
            cb = _callback(os.path.join(d, "best.weights.h5"), patience=patience)
            history, _ = _fit(model, data, values, cb)
            expected = len(predict(values, patience))
            ran = len(history.epoch)
            if ran != expected:
                raise Mismatch(expected, ran, STOP_HELP,
                               what=T(ja="model.fit が実行したエポック数", en="the number of epochs model.fit ran"),
                               counterexample=f"val_loss = {_show(values)}, patience = {patience}, epochs = {len(values)}")

        check()


@pytest.mark.points(2)
def test_fit_ends_with_best_epoch_weights() -> None:
    """After model.fit the model's weights are exactly those it had at the end of the best epoch."""
    model, data = _fit_model()
    with _workdir() as d:
        @settings(max_examples=8)
        @given(values=fit_sequences, patience=st.integers(1, 4))
        def check(values: list[float], patience: int) -> None:
            cb = _callback(os.path.join(d, "best.weights.h5"), patience=patience)
            _, script = _fit(model, data, values, cb)
            states = predict(values, patience)
            best = states[-1].best_epoch
            target = script.snapshots[best if best is not None else -1]
            final = _weights(model)
            if not _same_weights(final, target):
                which = next((e for e, s in enumerate(script.snapshots) if _same_weights(final, s)), None)
                got = T(ja=f"エポック {which} の終わりの重み", en=f"the weights from the end of epoch {which}") if which is not None \
                    else T(ja="どのエポックの終わりとも違う重み", en="weights from the end of no epoch")
                want = T(ja=f"最良のエポック {best} の重み", en=f"the best epoch {best}'s weights") if best is not None \
                    else T(ja="最後のエポックの重み（改善が一度も無いので）", en="the last epoch's weights (no epoch improved)")
                raise Failure(T(ja=f"fit の後のモデルが {got.ja} でした（期待: {want.ja}）",
                                en=f"after fit the model holds {got.en} (expected {want.en})"),
                              RESTORE_HELP, counterexample=f"val_loss = {_show(values)}, patience = {patience}, epochs = {len(values)}")

        check()
