"""Checks for exercise 24: `make_dataset(features, labels, batch_size, shuffle=True, seed=None,
drop_remainder=False)`, a tf.data pipeline.

Contract: each pass yields every sample exactly once, in batches of batch_size (the last
smaller unless drop_remainder); with shuffle, a full-buffer shuffle of samples (not batches)
that reshuffles on every pass and repeats exactly for a given seed; without it, in order.
Features float32, labels keep their integer dtype; prefetching allowed. Lengths differ or
batch_size < 1 → ValueError. Works with model.fit(ds).

How the checks read a dataset: every sample carries its index in feature column 0 (exact in
float32), so a pass is read back as a sequence of indices. Passes are fresh iterators, as
fit makes one per epoch (checks.keras_models.read_passes), each bounded: a pass that yields
more batches than there are samples is reported as endless (a `repeat()`), never waited on.

Decisions where the contract is silent:
- Inputs: features (N, F) of float64, float32 or uint8 and labels (N,) of int32 or int64,
  N ≥ 1; labels are drawn (almost all distinct) so that a label travelling with the wrong
  features (features and labels shuffled separately) is caught.
- "Full buffer" is tested two ways: over 120 passes of 8 samples every sample comes first at
  least once and none more than 3× its share (a buffer smaller than N never puts the last
  sample first); and with 1,500 samples the first sample of a pass comes from the last third
  in some of 40 passes (a fixed `shuffle(1000)` never does). A correct shuffle fails these
  with probability below 1e-6 each, and the checks are seeded.
- The uniformity passes are read through `ds.repeat(120)` on the learner's dataset, one
  iterator instead of 120 (each pass of a repeat is a new pass of the dataset); every pass
  must then hold exactly N samples.
- Determinism: two datasets made with the same seed give the same three passes. With seed
  None nothing is required beyond shuffling and reshuffling. A seed given through
  tf.random.set_seed instead of shuffle(seed=...) also passes (same behaviour).
- "Reshuffles on every pass": each of three consecutive passes differs from the one before
  (for 8 to 16 samples two equal permutations have chance below 1/40,000).
- fit: `model.fit(ds, epochs=2, verbose=0)` on a small Dense classifier runs ceil(N/b)
  steps per epoch (floor with drop_remainder).
"""

from __future__ import annotations

import math
from typing import Any

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks import keras_models as km
from checks.compare import expect_close, expect_equal_arrays
from checks.feedback import Failure, T, expect, expect_equal, expect_raises
from checks.submission import student

ex = student("ex24_tf_data")

# Captured before student code is imported.
_Callback = keras.callbacks.Callback
_Sequential = keras.Sequential
_Input = keras.Input
_Dense = keras.layers.Dense

DATASET = T.same("make_dataset(...)")
SHUFFLE_HELP = T(
    ja="ds.shuffle(buffer_size=len(features), seed=seed) を batch より前に置きます。shuffle はサンプル単位で混ぜ、"
       "既定の reshuffle_each_iteration=True で走査（エポック）のたびに混ぜ直します",
    en="put ds.shuffle(buffer_size=len(features), seed=seed) before batch: it mixes samples, and with the default "
       "reshuffle_each_iteration=True it mixes again on every pass (epoch)",
)
BATCH_HELP = T(
    ja="ds.batch(batch_size, drop_remainder=drop_remainder) は batch_size 個ずつまとめ、端数は最後の小さいバッチか、"
       "drop_remainder=True なら捨てます",
    en="ds.batch(batch_size, drop_remainder=drop_remainder) groups batch_size samples; the remainder is a last, "
       "smaller batch, or dropped with drop_remainder=True",
)
RESHUFFLE_HELP = T(
    ja="shuffle の reshuffle_each_iteration は True のままにし、shuffle の後に cache() を置きません。"
       "NumPy で一度だけ並べ替えた配列から作ると、毎エポック同じ順序になります。seed を与えても、"
       "エポックごとの順序は変わります（seed が決めるのは順序の「列」です）",
    en="keep shuffle's reshuffle_each_iteration=True and put no cache() after shuffle; an array permuted "
       "once with NumPy gives the same order every epoch. A seed does not stop reshuffling: it fixes "
       "the sequence of orders",
)
PAIR_HELP = T(
    ja="from_tensor_slices((features, labels)) で特徴量とラベルを組にしてから混ぜると、組は崩れません",
    en="pair features and labels with from_tensor_slices((features, labels)) before shuffling, so the pairs stay together",
)


# ---------------------------------------------------------------------------------------
# Data, and reading it back
# ---------------------------------------------------------------------------------------
def data(n: int, width: int = 3, feature_dtype: str = "float64", label_dtype: str = "int64",
         seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Features whose column 0 is the sample's index; labels drawn from 0..999."""
    rng = np.random.default_rng(seed)
    if feature_dtype == "uint8":
        features = rng.integers(0, 256, size=(n, width)).astype(np.uint8)
        features[:, 0] = np.arange(n) % 256
    else:
        features = rng.normal(size=(n, width)).astype(feature_dtype)
        features[:, 0] = np.arange(n)
    return features, rng.integers(0, 1000, size=n).astype(label_dtype)


def make(features: np.ndarray, labels: np.ndarray, batch_size: int, **kwargs: Any) -> Any:
    return ex.make_dataset(features.copy(), labels.copy(), batch_size, **kwargs)


def call_text(n: int, batch_size: int, **kwargs: Any) -> str:
    extra = "".join(f", {k}={v!r}" for k, v in kwargs.items())
    return f"make_dataset(features ({n}, ...), labels ({n},), batch_size={batch_size}{extra})"


def passes(ds: Any, n: int, count: int) -> list[list[tuple[np.ndarray, ...]]]:
    """`count` passes, each bounded by n + 1 batches (more than samples: endless)."""
    read = km.read_passes(ds, count, max_batches=n + 1, what=DATASET)
    for batches in read:
        for batch in batches:
            if len(batch) != 2:
                raise Failure(T(ja=f"データセットの要素が (特徴量, ラベル) の 2 つ組ではなく {len(batch)} 個の組です",
                                en=f"the dataset's elements are {len(batch)}-tuples, not (features, labels) pairs"),
                              PAIR_HELP)
    return read


def order(batches: list[tuple[np.ndarray, ...]]) -> np.ndarray:
    """The sample indices of one pass, in the order they came."""
    if not batches:
        return np.zeros(0, np.int64)
    return np.concatenate([np.asarray(f).reshape(len(f), -1)[:, 0] for f, _ in batches]).astype(np.int64)


def show_order(ids: np.ndarray) -> str:
    return "[" + ", ".join(map(str, ids.tolist())) + "]"


# ---------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------
@pytest.mark.points(1)
@settings(max_examples=6)
@given(feature_dtype=st.sampled_from(["float64", "float32", "uint8"]), label_dtype=st.sampled_from(["int64", "int32"]),
       n=st.integers(1, 9), batch_size=st.integers(1, 4))
def test_feature_and_label_batches(feature_dtype: str, label_dtype: str, n: int, batch_size: int) -> None:
    """Elements are (features, labels) batches: features float32 of shape (b, F), labels (b,) of the labels' dtype."""
    features, labels = data(n, 3, feature_dtype, label_dtype)
    [batches] = passes(make(features, labels, batch_size, shuffle=False), n, 1)
    for f, y in batches:
        example = call_text(n, batch_size, shuffle=False) + f" with {feature_dtype} features, {label_dtype} labels"
        expect_equal(str(f.dtype), "float32", what=T(ja="特徴量のバッチの dtype", en="the dtype of a feature batch"),
                     help=T(ja="features.astype(np.float32) か tf.cast(x, tf.float32) で float32 にします（Keras の層は float32 で計算します）",
                            en="make them float32 with features.astype(np.float32) or tf.cast(x, tf.float32) (Keras layers compute in float32)"),
                     counterexample=example)
        expect_equal(str(y.dtype), label_dtype, what=T(ja="ラベルのバッチの dtype", en="the dtype of a label batch"),
                     help=T(ja="ラベルは整数のまま渡します（sparse_categorical_crossentropy は整数のクラス番号を受け取ります）",
                            en="keep the labels integers (sparse_categorical_crossentropy takes integer class ids)"),
                     counterexample=example)
        expect_equal((f.ndim, f.shape[1:], y.shape[1:]), (2, (3,), ()),
                     what=T(ja="バッチの形 (特徴量の次元数, 特徴量の形[1:], ラベルの形[1:])",
                            en="the batch's shape (feature dims, feature shape[1:], label shape[1:])"),
                     help=BATCH_HELP, counterexample=example)


@pytest.mark.points(2)
@settings(max_examples=8)
@given(n=st.integers(1, 14), batch_size=st.integers(1, 5), shuffle=st.booleans(), seed=st.integers(0, 99))
def test_every_sample_once_per_pass(n: int, batch_size: int, shuffle: bool, seed: int) -> None:
    """Each of two passes yields every sample exactly once, each with its own label and features."""
    features, labels = data(n, seed=seed)
    for i, batches in enumerate(passes(make(features, labels, batch_size, shuffle=shuffle, seed=seed), n, 2)):
        ids = order(batches)
        example = call_text(n, batch_size, shuffle=shuffle, seed=seed) + f", pass {i + 1}"
        expect_equal(sorted(ids.tolist()), list(range(n)),
                     what=T(ja=f"{i + 1} 回目の走査で出てきたサンプル番号（並べ替えたもの）",
                            en=f"the sample indices of pass {i + 1}, sorted"),
                     help=T(ja="1 エポックで全サンプルがちょうど 1 回ずつ出てきます（repeat や take で増減させない）",
                            en="one epoch yields every sample exactly once (no repeat or take changing that)"),
                     counterexample=example)
        got_features = np.concatenate([f for f, _ in batches])
        got_labels = np.concatenate([y for _, y in batches])
        expect_equal_arrays(got_labels, labels[ids], T(ja="各サンプルと一緒に出てきたラベル", en="the label that came with each sample"),
                            PAIR_HELP, counterexample=example)
        expect_close(got_features, features[ids].astype(np.float32), T(ja="出てきた特徴量", en="the features that came out"),
                     PAIR_HELP, rtol=0.0, atol=0.0, counterexample=example)


@pytest.mark.points(1)
@settings(max_examples=8)
@given(n=st.integers(1, 14), batch_size=st.integers(1, 5), drop=st.booleans(), shuffle=st.booleans())
def test_batch_sizes(n: int, batch_size: int, drop: bool, shuffle: bool) -> None:
    """Batches hold batch_size samples; the remainder is a last smaller batch, or dropped with drop_remainder=True."""
    features, labels = data(n)
    ds = make(features, labels, batch_size, shuffle=shuffle, drop_remainder=drop)
    [batches] = passes(ds, n, 1)
    expected = [batch_size] * (n // batch_size) + ([] if drop or n % batch_size == 0 else [n % batch_size])
    expect_equal([len(y) for _, y in batches], expected, what=T(ja="1 エポックのバッチの大きさの並び", en="the batch sizes of one epoch"),
                 help=BATCH_HELP, counterexample=call_text(n, batch_size, shuffle=shuffle, drop_remainder=drop))


@pytest.mark.points(1)
@settings(max_examples=4)
@given(n=st.integers(2, 14), batch_size=st.integers(1, 5))
def test_in_order_without_shuffle(n: int, batch_size: int) -> None:
    """With shuffle=False every pass keeps the original order."""
    features, labels = data(n)
    for i, batches in enumerate(passes(make(features, labels, batch_size, shuffle=False), n, 2)):
        expect_equal(order(batches).tolist(), list(range(n)),
                     what=T(ja=f"shuffle=False での {i + 1} 回目の走査の順序", en=f"the order of pass {i + 1} with shuffle=False"),
                     help=T(ja="shuffle=False のときは ds.shuffle(...) を付けません", en="with shuffle=False, leave ds.shuffle(...) out"),
                     counterexample=call_text(n, batch_size, shuffle=False))


@pytest.mark.points(1)
@settings(max_examples=3)
@given(n=st.integers(8, 16), batch_size=st.integers(1, 5), seed=st.integers(0, 99))
def test_reshuffles_every_pass(n: int, batch_size: int, seed: int) -> None:
    """With shuffle=True, with or without a seed, each pass has a new order: no pass repeats
    the one before, none is the original order."""
    features, labels = data(n)
    for given_seed in (None, seed):
        orders = [order(b) for b in passes(make(features, labels, batch_size, seed=given_seed), n, 3)]
        example = call_text(n, batch_size, seed=given_seed) + ": " + "; ".join(
            f"pass {i + 1} {show_order(o)}" for i, o in enumerate(orders))
        expect(not any(np.array_equal(o, np.arange(n)) for o in orders),
               T(ja="shuffle=True なのに元の順序のままの走査があります", en="with shuffle=True a pass kept the original order"),
               SHUFFLE_HELP, counterexample=example)
        for i in range(1, len(orders)):
            expect(not np.array_equal(orders[i], orders[i - 1]),
                   T(ja=f"{i + 1} 回目の走査が {i} 回目とまったく同じ順序です（エポックごとに混ぜ直されていません）",
                     en=f"pass {i + 1} has exactly the order of pass {i} (not reshuffled every epoch)"),
                   RESHUFFLE_HELP,
                   counterexample=example)


@pytest.mark.points(1)
@settings(max_examples=3)
@given(seed=st.one_of(st.none(), st.integers(0, 99)), batch_size=st.sampled_from([3, 4]))
def test_shuffles_samples_not_batches(seed: int | None, batch_size: int) -> None:
    """Batches mix samples from all over the data, not consecutive blocks in a shuffled order."""
    n = 4 * batch_size
    features, labels = data(n)
    blocks = 0
    total = 0
    for batches in passes(make(features, labels, batch_size, seed=seed), n, 3):
        for f, _ in batches:
            ids = np.sort(f[:, 0].astype(np.int64))
            total += 1
            blocks += bool(ids[0] % batch_size == 0 and np.array_equal(ids, np.arange(ids[0], ids[0] + len(ids))))
    expect(blocks < total,
           T(ja=f"3 エポック・{total} 個のバッチすべてが、元の並びの連続したかたまり（0..{batch_size - 1}、{batch_size}..{2 * batch_size - 1}、…）"
                "のままでした: バッチの順序だけが混ぜられ、サンプルは混ざっていません",
             en=f"all {total} batches of 3 epochs were consecutive blocks of the original order (0..{batch_size - 1}, "
                f"{batch_size}..{2 * batch_size - 1}, …): only the order of the batches was shuffled, not the samples"),
           T(ja="shuffle を batch の後に置くと、できあがったバッチの順序だけが混ざります。shuffle → batch の順にします",
             en="shuffle after batch only reorders finished batches: shuffle first, then batch"),
           counterexample=call_text(n, batch_size, seed=seed))


@pytest.mark.points(2)
@settings(max_examples=2)
@given(seed=st.one_of(st.none(), st.integers(0, 99)))
def test_first_position_uniform_over_passes(seed: int | None) -> None:
    """Over 120 passes of 8 samples, every sample comes first at least once and none more than 3× its share."""
    n, batch_size, count = 8, 3, 120
    features, labels = data(n)
    ds = make(features, labels, batch_size, seed=seed)
    km.read_passes(ds, 1, max_batches=n + 1, what=DATASET)  # an endless pass is reported as such first
    [batches] = km.read_passes(ds.repeat(count), 1, max_batches=count * n + 1, what=DATASET)
    ids = order([b[:2] for b in batches])
    expect_equal(len(ids), count * n, what=T(ja=f"{count} エポック分のサンプル数", en=f"the number of samples in {count} epochs"),
                 help=BATCH_HELP, counterexample=call_text(n, batch_size, seed=seed))
    firsts = ids.reshape(count, n)[:, 0]
    counts = np.bincount(firsts, minlength=n)
    example = T(ja=f"{call_text(n, batch_size, seed=seed)} を {count} エポック: 各サンプルが先頭に来た回数 {counts.tolist()}（期待は約 {count // n} 回ずつ）",
                en=f"{call_text(n, batch_size, seed=seed)} for {count} epochs: times each sample came first {counts.tolist()} "
                   f"(about {count // n} each expected)")
    expect(int(counts.max()) < count, T(ja=f"{count} エポックすべてが同じサンプルから始まりました: エポックごとに混ぜ直されていません",
                                         en=f"all {count} epochs started with the same sample: the data is not reshuffled every epoch"),
           RESHUFFLE_HELP, counterexample=example)
    expect(bool((counts >= 1).all()) and bool((counts <= 3 * count // n).all()),
           T(ja="エポックの先頭に来るサンプルが偏っています（一度も先頭に来ないサンプルがあるか、特定のサンプルばかりが先頭に来ます）",
             en="the samples that start an epoch are biased (some sample never comes first, or one comes first far too often)"),
           T(ja="shuffle(buffer_size) はバッファの中からしか選びません。バッファがデータより小さいと、後ろのサンプルは先頭に来られません。"
                "buffer_size=len(features) にします",
             en="shuffle(buffer_size) only picks from its buffer: with a buffer smaller than the data, the last samples "
                "can never come first. Use buffer_size=len(features)"),
           counterexample=example)


@pytest.mark.points(1)
@settings(max_examples=1)
@given(seed=st.integers(0, 99))
def test_buffer_holds_large_datasets(seed: int) -> None:
    """With 1,500 samples the first sample of a pass comes from the last third in some of 40 passes (the buffer holds them all)."""
    n, batch_size, count = 1500, 50, 40
    features, labels = data(n, 2)
    ds = make(features, labels, batch_size, seed=seed)
    firsts = []
    for _ in range(count):
        f = km.first_batch(ds, DATASET)[0]
        firsts.append(int(np.asarray(f).reshape(len(f), -1)[0, 0]))
    expect(len(set(firsts)) > 1, T(ja=f"{count} エポックすべてが同じサンプル（{firsts[0]} 番）から始まりました: エポックごとに混ぜ直されていません",
                                   en=f"all {count} epochs started with the same sample ({firsts[0]}): the data is not reshuffled every epoch"),
           RESHUFFLE_HELP, counterexample=call_text(n, batch_size, seed=seed))
    expect(max(firsts) >= 1000,
           T(ja=f"{count} エポックのどれでも、先頭のサンプル番号は 1000 未満でした（最大 {max(firsts)}）: バッファが 1500 件を収めていません",
             en=f"in all {count} epochs the first sample's index was below 1000 (at most {max(firsts)}): the buffer does not hold all 1,500 samples"),
           T(ja="shuffle(1000) のような固定の大きさではなく、buffer_size=len(features) にします",
             en="use buffer_size=len(features), not a fixed size such as shuffle(1000)"),
           counterexample=call_text(n, batch_size, seed=seed))


@pytest.mark.points(1)
@settings(max_examples=3)
@given(seed=st.integers(0, 10_000), n=st.integers(6, 14), batch_size=st.integers(1, 5))
def test_same_seed_same_passes(seed: int, n: int, batch_size: int) -> None:
    """Two datasets made with the same seed yield the same three passes."""
    features, labels = data(n)
    a = [order(b).tolist() for b in passes(make(features, labels, batch_size, seed=seed), n, 3)]
    b = [order(b).tolist() for b in passes(make(features, labels, batch_size, seed=seed), n, 3)]
    expect_equal(b, a, what=T(ja="同じ seed で作り直したデータセットの 3 エポック分の順序", en="three epochs' orders of a second dataset made with the same seed"),
                 help=T(ja="seed は ds.shuffle(..., seed=seed) に渡します。seed を渡さないと作るたびに違う順序になります",
                        en="pass seed to ds.shuffle(..., seed=seed); without it every dataset gets different orders"),
                 counterexample=call_text(n, batch_size, seed=seed) + ", twice")


class _Steps(_Callback):
    def __init__(self) -> None:
        super().__init__()
        self.per_epoch: list[int] = []

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.per_epoch.append(0)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.per_epoch[-1] += 1


@pytest.mark.points(1)
@pytest.mark.parametrize("drop", [False, True])
def test_model_fit_reads_it(drop: bool) -> None:
    """model.fit(ds, epochs=2) trains on it: ceil(N / b) steps per epoch (floor with drop_remainder)."""
    n, batch_size = 11, 4
    features, labels = data(n, 3)
    labels = labels % 3
    ds = make(features, labels, batch_size, seed=1, drop_remainder=drop)
    passes(ds, n, 1)  # an endless pass is reported as such before fit could hang on it
    model = _Sequential([_Input((3,)), _Dense(3, activation="softmax")])
    model.compile(optimizer=km.sgd(0.1), loss="sparse_categorical_crossentropy", run_eagerly=True)
    steps = _Steps()
    example = call_text(n, batch_size, seed=1, drop_remainder=drop) + "; model.fit(ds, epochs=2)"
    try:
        with km.quiet():
            model.fit(ds, epochs=2, verbose=0, callbacks=[steps])
    except Exception as exc:
        raise Failure(T(ja=f"model.fit(ds, epochs=2) が {type(exc).__name__} になりました: {str(exc)[:300]}",
                        en=f"model.fit(ds, epochs=2) raised {type(exc).__name__}: {str(exc)[:300]}"),
                      PAIR_HELP, counterexample=example) from None
    per_epoch = n // batch_size if drop else math.ceil(n / batch_size)
    expect_equal(steps.per_epoch, [per_epoch, per_epoch], what=T(ja="fit の各エポックのステップ数", en="fit's steps per epoch"),
                 help=BATCH_HELP, counterexample=example)


@pytest.mark.points(1)
def test_invalid_arguments_raise() -> None:
    """Features and labels of different lengths, or batch_size below 1, raise ValueError."""
    features, labels = data(6)
    help = T(ja="最初に len(features) != len(labels) と batch_size < 1 を確かめ、raise ValueError(...) します",
             en="check len(features) != len(labels) and batch_size < 1 first, and raise ValueError(...)")
    expect_raises(ValueError, ex.make_dataset, features, labels[:5], 2,
                  what=T(ja="6 個の特徴量と 5 個のラベル", en="6 feature rows and 5 labels"), help=help)
    expect_raises(ValueError, ex.make_dataset, features[:4], labels, 2,
                  what=T(ja="4 個の特徴量と 6 個のラベル", en="4 feature rows and 6 labels"), help=help)
    for bad in (0, -2):
        expect_raises(ValueError, ex.make_dataset, features, labels, bad,
                      what=T(ja=f"batch_size={bad}", en=f"batch_size={bad}"), help=help)
