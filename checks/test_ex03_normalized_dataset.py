"""Checks for exercise 3: NormalizedDataset, a Dataset that standardises each feature.

Expected values are computed here in float64 from the drawn arrays. A correct solution may
compute in float32 (torch-style), so feature values are compared with float32's tolerance
widened by how much float32 rounding of the statistics can move (x - mean) / std:
16 · eps32 · max|x| / std per feature. Drawn data lie on a grid of quarters (|x| ≤ 100) or
are small integers, so float32 sums are exact and a constant feature has a std of exactly 0
in every dtype: every accepted zero-std strategy (eps ≤ 1e-6, or std replaced by 1) then
gives exactly 0, and a non-zero std is ≥ 0.07, where an eps ≤ 1e-6 is invisible.

Decisions where the contract is silent (made as numpy / torch / a Python list would):
- `mean` / `std` must be numpy arrays of shape (F,), of any float dtype; where the true
  std is 0, the stored std may be anything in [0, 1] (0 kept, an eps added, 1 put instead);
- an index out of range (≥ N or < -N) raises IndexError, as for a list (and as torch and
  numpy indexing do); this is also what lets `for item in dataset` stop;
- only one of `mean` / `std` given and an empty dataset are not checked; with a given std of 0
  only that the caller's arrays stay untouched is (raising, e.g. ValueError, is allowed);
- properties that a dataset ignoring its arrays also has are graded with the right values:
  "the caller's arrays are untouched" together with the right features, and "dataset[-k] is
  dataset[N - k]" with distinct labels 0 … N-1 (so a dataset returning the same item for every
  index does not pass).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from torch.utils.data import DataLoader

from checks.compare import as_numpy, expect_close, expect_dtype, expect_equal_arrays, expect_shape, expect_tensor
from checks.feedback import CheckFailure, Failure, Mismatch, T, expect, expect_equal, expect_raises, show
from checks.strategies import FLOAT_DTYPES, INT_DTYPES
from checks.submission import student

ex = student("ex03_normalized_dataset")

EPS32 = float(np.finfo(np.float32).eps)
_np_array_equal = np.array_equal  # captured before student code runs
_DataLoader = DataLoader
FEATURE_RTOL = 1e-4  # on top of `feature_atol`


# --------------------------------------------------------------------------- strategies

def quarters(k: int) -> float:
    """k / 4: values on a grid of quarters are exact in float32 (a named function, not a
    lambda: hypothesis reads a lambda's source to describe it, which costs time per check)."""
    return k / 4


def _elements(dtype: Any) -> st.SearchStrategy[Any]:
    if np.dtype(dtype).kind == "f":
        return st.integers(-400, 400).map(quarters)  # quarters in [-100, 100]
    info = np.iinfo(dtype)
    return st.integers(max(int(info.min), -1000), min(int(info.max), 1000))


def _label_elements(dtype: Any) -> st.SearchStrategy[int]:
    """Class ids: mostly 0-9, sometimes anywhere up to the dtype's maximum (at most 2**20,
    exact in float32), so that a label squeezed through a narrower integer type shows."""
    return st.one_of(st.integers(0, 9), st.integers(0, min(int(np.iinfo(dtype).max), 2**20)))


@st.composite
def arrays(draw: Any, dtypes: tuple = FLOAT_DTYPES + INT_DTYPES, min_rows: int = 1, max_rows: int = 8,
           max_cols: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """(data, labels): data (N, F) of a float or integer dtype, labels (N,) of an integer dtype."""
    n = draw(st.integers(min_rows, max_rows))
    f = draw(st.integers(1, max_cols))
    dtype = draw(st.sampled_from(dtypes))
    data = draw(hnp.arrays(dtype, (n, f), elements=_elements(dtype)))
    label_dtype = draw(st.sampled_from(INT_DTYPES))
    labels = draw(hnp.arrays(label_dtype, n, elements=_label_elements(label_dtype)))
    return data, labels


# --------------------------------------------------------------------------- expected values

@dataclass
class Stats:
    mean: np.ndarray
    std: np.ndarray


def population_stats(data: np.ndarray) -> Stats:
    x = data.astype(np.float64)
    return Stats(x.mean(axis=0), x.std(axis=0))


def normalized(data: np.ndarray, stats: Stats) -> np.ndarray:
    """(x - mean) / std in float64, 0 where std is 0."""
    x = data.astype(np.float64)
    safe = np.where(stats.std == 0, 1.0, stats.std)
    return (x - stats.mean) / safe


def feature_atol(data: np.ndarray, stats: Stats) -> np.ndarray:
    """Per-feature absolute tolerance: float32's, plus what float32 statistics can move."""
    x = np.abs(data.astype(np.float64))
    scale = np.maximum(x.max(axis=0, initial=0.0), np.abs(stats.mean))
    safe = np.where(stats.std == 0, 1.0, stats.std)
    return 1e-5 + 16 * EPS32 * scale / safe


def features_match(a: np.ndarray, expected: np.ndarray, atol: np.ndarray) -> np.ndarray:
    """Elementwise |a - expected| <= atol (per feature) + FEATURE_RTOL |expected|; NaN never matches."""
    return np.abs(a - expected) <= atol + FEATURE_RTOL * np.abs(expected)


def explain(a: np.ndarray, expected: np.ndarray, atol: np.ndarray, n: int, help: T,
            integer_data: bool = False) -> T:
    """The idea to revisit for wrong features: NaN/inf, the sample std, values truncated to
    integers, or `help`."""
    if not bool(np.all(np.isfinite(a))):
        return NAN_HELP
    if n > 1 and bool(np.all(features_match(a, expected * np.sqrt((n - 1) / n), atol))):
        return SAMPLE_STD_HELP
    if integer_data and bool(np.all(a == np.trunc(a))) and bool(np.all(np.abs(a - expected) < 1 + atol)):
        return INT_HELP
    return help


def expect_features_close(actual: Any, expected: np.ndarray, atol: np.ndarray, what: T, help: T,
                          n: int = 0, integer_data: bool = False) -> None:
    """Features equal to `expected` within `features_match` (compare's `expect_close` with a
    per-feature atol); `n` (rows the statistics came from) and `integer_data` let the message
    recognise common mistakes."""
    a = as_numpy(actual, what).astype(np.float64)
    if a.shape == expected.shape:  # the idea to revisit, shown only if the values differ
        help = explain(a, expected, atol, n, help, integer_data)
    expect_close(a, expected, what, help, rtol=FEATURE_RTOL, atol=atol)


def all_items(ds: Any, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Every item's values, stacked: features (n, F) and labels (n,). Types and dtypes are
    the subject of their own checks, so a numpy array is tolerated here."""
    feats, labels = [], []
    for i in range(n):
        item = ds[i]
        if not isinstance(item, tuple) or len(item) != 2:
            raise Failure(T(ja=f"dataset[{i}] は (特徴量, ラベル) のタプルを返す必要がありますが {show(item)} でした",
                            en=f"dataset[{i}] must return a (features, label) tuple, got {show(item)}"),
                          ITEM_HELP)
        feats.append(as_numpy(item[0], T(ja=f"dataset[{i}] の特徴量", en=f"the features of dataset[{i}]")))
        labels.append(as_numpy(item[1], T(ja=f"dataset[{i}] のラベル", en=f"the label of dataset[{i}]")))
    return np.stack(feats) if feats else np.zeros((0, 0)), np.array(labels)


ITEM_HELP = T(ja="__getitem__ は return features, label のように 2 つのテンソルを返します",
              en="__getitem__ returns two tensors: return features, label")
NORMALIZE_HELP = T(ja="特徴量ごと（axis=0）に (x - mean) / std で標準化します。std は母標準偏差（ddof=0）です",
                   en="standardise each feature (axis=0) as (x - mean) / std, with the population std (ddof=0)")
FLOAT32_HELP = T(ja="特徴量は torch.float32 にします（np.float64 の配列から作ると float64 のままです）",
                 en="features must be torch.float32 (a tensor made from a float64 array stays float64)")
SAMPLE_STD_HELP = T(ja="標本標準偏差（ddof=1、torch.std の既定）になっています。母標準偏差（ddof=0: np.std の既定、"
                       "torch では correction=0 / unbiased=False）を使います",
                    en="this is the sample std (ddof=1, torch.std's default); use the population std "
                       "(ddof=0: np.std's default, correction=0 / unbiased=False in torch)")
NAN_HELP = T(ja="NaN か inf が出ています。std が 0 の特徴量（すべて同じ値。N = 1 なら全特徴量）で 0 / 0 になっていないか、"
                "ddof=1 で N - 1 = 0 で割っていないか確かめます。std に小さな eps を足すか、0 の std を 1 に置き換えます",
             en="NaN or inf came out: check for 0 / 0 on a feature whose std is 0 (all values equal; every feature "
                "when N = 1), or a division by N - 1 = 0 with ddof=1. Add a small eps to std, or replace a zero std by 1")
INT_HELP = T(ja="整数の配列は先に浮動小数点に変換してから計算します（整数型のまま引き算・代入すると"
                "切り捨てや桁あふれが起きます。np.zeros_like(data) も data と同じ整数型になります）",
             en="convert integer arrays to floating point first (subtracting or assigning in an "
                "integer dtype truncates or wraps around; np.zeros_like(data) has data's integer dtype too)")
LABEL_HELP = T(ja="ラベルは int64（torch.long）の 0 次元テンソルにします: torch.tensor(int(label), dtype=torch.long) など",
               en="a label is a 0-d int64 (torch.long) tensor, e.g. torch.tensor(int(label), dtype=torch.long)")


def stored_stat(ds: Any, name: str, f: int) -> np.ndarray:
    """ds.mean / ds.std: a numpy array of shape (F,), returned as float64."""
    what = T(ja=f"dataset.{name}", en=f"dataset.{name}")
    if not hasattr(ds, name):
        raise Failure(T(ja=f"属性 {name} がありません", en=f"the dataset has no attribute {name}"),
                      T(ja=f"使った統計量を self.{name} に numpy 配列として保存します",
                        en=f"store the statistic you used as a numpy array in self.{name}"))
    value = getattr(ds, name)
    if isinstance(value, (np.generic, float, int)):
        raise Mismatch(f"shape ({f},)", f"{show(value)} (a single number)",
                       T(ja="特徴量ごとに 1 つずつ値が要ります: data.mean(axis=0) のように axis=0 で集計します",
                         en="one value per feature is needed: reduce over axis 0, as in data.mean(axis=0)"),
                       what=T(ja=f"dataset.{name} の形", en=f"the shape of dataset.{name}"))
    if not isinstance(value, np.ndarray):
        raise Failure(T(ja=f"dataset.{name} は numpy 配列であるべきですが {type(value).__qualname__} でした",
                        en=f"dataset.{name} should be a numpy array, got {type(value).__qualname__}"),
                      T(ja="テンソルなら .numpy() で numpy 配列にします", en="convert a tensor with .numpy()"))
    expect_shape(value, (f,), what, T(ja="特徴量ごとに 1 つの値（axis=0 で集計）", en="one value per feature (reduce over axis 0)"))
    return as_numpy(value, what).astype(np.float64)


def stored_std_ok(actual: np.ndarray, true_std: np.ndarray, atol: np.ndarray) -> np.ndarray:
    """Per feature: the stored std matches (an eps ≤ 1e-6 added is fine); where the true
    std is 0, whatever guard was used (0 kept, eps added, sqrt(var + eps), 1) is accepted:
    any value in [0, 1]. What the guard does to the features is checked elsewhere."""
    close = np.abs(actual - true_std) <= atol + 1e-6 + 1e-4 * np.abs(true_std)
    zero_ok = (true_std == 0) & (actual >= 0) & (actual <= 1)
    return close | zero_ok


# --------------------------------------------------------------------------- checks

@pytest.mark.points(1)
@settings(max_examples=5)
@given(arrays=arrays())
def test_length(arrays: tuple[np.ndarray, np.ndarray]) -> None:
    """len(dataset) is the number of rows N."""
    data, labels = arrays
    ds = ex.NormalizedDataset(data, labels)
    expect_equal(len(ds), len(data), what=T(ja="len(dataset)", en="len(dataset)"),
                 help=T(ja="__len__ はサンプル数（data の行数）を返します", en="__len__ returns the number of samples (rows of data)"))


@pytest.mark.points(2)
@settings(max_examples=12)
@given(arrays=arrays())
def test_statistics_per_feature(arrays: tuple[np.ndarray, np.ndarray]) -> None:
    """Without mean/std, dataset.mean and dataset.std are the per-feature mean and population std."""
    data, labels = arrays
    stats = population_stats(data)
    atol = 16 * EPS32 * np.maximum(np.abs(data.astype(np.float64)).max(axis=0), 1.0)
    ds = ex.NormalizedDataset(data, labels)
    f = data.shape[1]
    mean = stored_stat(ds, "mean", f)
    expect_close(mean, stats.mean, rtol=1e-4, atol=float(atol.max()),
                 what=T(ja="dataset.mean", en="dataset.mean"),
                 help=T(ja="平均は特徴量ごと（data.mean(axis=0)）に計算します", en="the mean is per feature: data.mean(axis=0)"))
    std = stored_stat(ds, "std", f)
    ok = stored_std_ok(std, stats.std, atol)
    if not bool(ok.all()):
        j = int(np.argmin(ok))
        n = len(data)
        help = NORMALIZE_HELP
        sample = stats.std * np.sqrt(n / (n - 1)) if n > 1 else np.full_like(stats.std, np.nan)
        if (n == 1 and bool(np.isnan(std).all())) or (
                n > 1 and bool(np.all(np.abs(std - sample) <= atol + 1e-6 + 1e-4 * sample))):
            help = SAMPLE_STD_HELP
        raise Mismatch(show(stats.std), show(std), help,
                       what=T(ja=f"dataset.std（特徴量 {j}: 期待 {float(stats.std[j])!r} / 実際 {float(std[j])!r}）",
                              en=f"dataset.std (feature {j}: expected {float(stats.std[j])!r}, got {float(std[j])!r})"))


@pytest.mark.points(2)
@settings(max_examples=12)
@given(arrays=arrays())
def test_items_are_normalized_float32_features(arrays: tuple[np.ndarray, np.ndarray]) -> None:
    """dataset[i][0] is a float32 tensor of shape (F,) equal to (x_i - mean) / std."""
    data, labels = arrays
    stats = population_stats(data)
    expected = normalized(data, stats)
    atol = feature_atol(data, stats)
    ds = ex.NormalizedDataset(data, labels)
    for i in range(len(data)):
        features = ds[i][0]
        what = T(ja=f"dataset[{i}] の特徴量", en=f"the features of dataset[{i}]")
        expect_tensor(features, what)
        expect_dtype(features, torch.float32, what, FLOAT32_HELP)
        expect_shape(features, (data.shape[1],), what, T(ja="1 サンプル分の特徴量は形 (F,) です", en="one sample's features have shape (F,)"))
        expect_features_close(features, expected[i], atol, what, NORMALIZE_HELP, n=len(data),
                              integer_data=data.dtype.kind in "iu")


@pytest.mark.points(1)
@settings(max_examples=8)
@given(arrays=arrays(dtypes=INT_DTYPES))
def test_integer_data(arrays: tuple[np.ndarray, np.ndarray]) -> None:
    """Integer data (int8 … int64, uint8) is normalised in floating point, not truncated nor wrapped."""
    data, labels = arrays
    n = len(data)
    stats = population_stats(data)
    expected = normalized(data, stats)
    atol = feature_atol(data, stats)
    feats, _ = all_items(ex.NormalizedDataset(data, labels), n)
    help = INT_HELP
    as_float, _ = all_items(ex.NormalizedDataset(data.astype(np.float64), labels), n)
    if not bool(np.all(features_match(as_float.astype(np.float64), expected, atol))):
        help = T(ja="同じ値を float64 にして渡しても結果が違うので、整数特有の問題ではありません。"
                    "先に浮動小数点のデータで正しく正規化できるようにしましょう。",
                 en="the same values given as float64 go wrong too, so this is not about integers: "
                    "get floating-point data right first. ") + explain(as_float.astype(np.float64), expected, atol, n, NORMALIZE_HELP)
    expect_features_close(feats, expected, atol,
                          T(ja=f"{data.dtype} のデータを正規化した特徴量", en=f"the normalised features of {data.dtype} data"),
                          help)


@pytest.mark.points(1)
@settings(max_examples=8)
@given(arrays=arrays())
def test_labels_are_int64_scalars(arrays: tuple[np.ndarray, np.ndarray]) -> None:
    """dataset[i][1] is a 0-d int64 tensor holding labels[i], whatever the labels' integer dtype."""
    data, labels = arrays
    ds = ex.NormalizedDataset(data, labels)
    for i in range(len(data)):
        label = ds[i][1]
        what = T(ja=f"dataset[{i}] のラベル（labels は {labels.dtype}）", en=f"the label of dataset[{i}] (labels are {labels.dtype})")
        expect_tensor(label, what)
        expect_dtype(label, torch.int64, what, LABEL_HELP)
        expect_shape(label, (), what, LABEL_HELP)
        expect_equal_arrays(label, np.int64(labels[i]), what, LABEL_HELP)


@pytest.mark.points(1)
@settings(max_examples=8)
@given(arrays=arrays(min_rows=1), column=st.integers(0, 3), value=st.sampled_from([0.0, 3.0, -7.5, 100.0]))
def test_constant_feature_is_finite_and_zero(arrays: tuple[np.ndarray, np.ndarray], column: int, value: float) -> None:
    """A feature whose std is 0 comes out finite and ≈ 0 (never NaN or inf)."""
    data, labels = arrays
    data = data.copy()
    j = column % data.shape[1]
    data[:, j] = value if data.dtype.kind == "f" else int(value) % 100
    ds = ex.NormalizedDataset(data, labels)
    feats, _ = all_items(ds, len(data))
    col = feats[:, j].astype(np.float64)
    finite = bool(np.all(np.isfinite(col)))
    if not (finite and bool(np.all(np.abs(col) <= 1e-4))):
        help = (T(ja="std が 0 だと 0 / 0 = NaN になります。std に小さな eps（1e-8 など）を足すか、0 の std を 1 に置き換えます",
                  en="a std of 0 gives 0 / 0 = NaN: add a small eps (e.g. 1e-8) to std, or replace a zero std by 1")
                if not finite else
                T(ja="すべて同じ値の特徴量では x - mean = 0 のはずです。平均を特徴量ごと（axis=0）に求めているか、"
                     "std に足す eps が大きすぎないか確かめます",
                  en="for a feature whose values are all equal, x - mean is 0: check that the mean is per feature "
                     "(axis=0) and that no large eps is involved"))
        raise Failure(
            T(ja=f"すべて同じ値の特徴量 {j} が {show(col)} になりました（有限で ≈ 0 を期待）",
              en=f"feature {j}, whose values are all equal, came out as {show(col)} (expected finite and ≈ 0)"),
            help)


@pytest.mark.points(2)
@settings(max_examples=8)
@given(arrays=arrays(dtypes=FLOAT_DTYPES), data2=st.data())
def test_given_statistics_are_used(arrays: tuple[np.ndarray, np.ndarray], data2: st.DataObject) -> None:
    """With mean and std given, they are used as given (e.g. training statistics for validation data)."""
    data, labels = arrays
    f = data.shape[1]
    stat_dtype = data2.draw(st.sampled_from(FLOAT_DTYPES), label="stats dtype")
    mean = data2.draw(hnp.arrays(stat_dtype, f, elements=st.integers(-40, 40).map(quarters)), label="mean")
    std = data2.draw(hnp.arrays(stat_dtype, f, elements=st.integers(1, 40).map(quarters)), label="std")
    stats = Stats(mean.astype(np.float64), std.astype(np.float64))
    expected = normalized(data, stats)
    atol = feature_atol(data, stats)
    ds = ex.NormalizedDataset(data, labels, mean=mean.copy(), std=std.copy())
    help = T(ja="mean / std が渡されたら data から計算し直さず、その値をそのまま使います（検証データを学習データの統計量で正規化するため）",
             en="when mean / std are given, use them as they are instead of recomputing from data "
                "(so validation data is normalised with the training statistics)")
    expect_close(stored_stat(ds, "mean", f), stats.mean, rtol=1e-6, atol=1e-6, help=help,
                 what=T(ja="mean を渡したときの dataset.mean", en="dataset.mean when mean is given"))
    expect_close(stored_stat(ds, "std", f), stats.std, rtol=1e-6, atol=1e-6, help=help,
                 what=T(ja="std を渡したときの dataset.std", en="dataset.std when std is given"))
    feats, _ = all_items(ds, len(data))
    expect_features_close(feats, expected, atol, T(ja="渡した統計量で正規化した特徴量", en="the features normalised with the given statistics"), help)


@pytest.mark.points(1)
@settings(max_examples=4)
@given(arrays=arrays(dtypes=FLOAT_DTYPES))
def test_given_zero_mean_and_unit_std_are_used(arrays: tuple[np.ndarray, np.ndarray]) -> None:
    """Given mean = 0 and std = 1 (statistics of already standardised data), they are used:
    the features equal the data. An array of zeros is a given value, not a missing one."""
    data, labels = arrays
    f = data.shape[1]
    stats = Stats(np.zeros(f), np.ones(f))
    ds = ex.NormalizedDataset(data, labels, mean=np.zeros(f), std=np.ones(f))
    feats, _ = all_items(ds, len(data))
    expect_features_close(
        feats, normalized(data, stats), feature_atol(data, stats),
        T(ja="mean = 0、std = 1 を渡したときの特徴量（data と同じはず）",
          en="the features when mean = 0 and std = 1 are given (they should equal data)"),
        T(ja="渡されたかどうかは `mean is None` で判定します。`if mean:` や `mean.any()`、`mean or ...` は"
             "0 ばかりの配列を「渡されていない」と取り違えます（配列の真偽値はあいまいでエラーにもなります）",
          en="test whether a statistic was given with `mean is None`: `if mean:`, `mean.any()` or `mean or ...` "
             "mistake an array of zeros for a missing one (and the truth value of an array is ambiguous)"))


CALLER_ARRAYS_HELP = T(
    ja="data -= mean や std[std == 0] = 1 のような in-place 演算は呼び出し側の配列を書き換えます。"
       "np.asarray や astype(..., copy=False)、torch.as_tensor / torch.from_numpy は dtype が同じなら"
       "元の配列と同じメモリを使います。data = data - mean や np.where(std == 0, 1, std)、"
       "np.array(data, dtype=np.float32) で新しい配列を作ります",
    en="in-place operations such as data -= mean or std[std == 0] = 1 modify the caller's array; "
       "np.asarray, astype(..., copy=False), torch.as_tensor and torch.from_numpy share the "
       "caller's memory when the dtype already matches. Make a new array with data = data - mean, "
       "np.where(std == 0, 1, std) or np.array(data, dtype=np.float32)")


def _expect_untouched(data: np.ndarray, labels: np.ndarray, mean: np.ndarray | None, std: np.ndarray | None,
                      tolerate_errors: bool) -> Any:
    """Build the dataset, read every item, fail if any array passed in changed, and return the
    dataset (None if it raised). `tolerate_errors`: what the dataset does is left open (a given
    std of 0): any ordinary exception it raises is accepted, the arrays must still be untouched."""
    given = [(name, a) for name, a in (("data", data), ("labels", labels), ("mean", mean), ("std", std))
             if a is not None]
    before = [a.copy() for _, a in given]
    ds = None
    try:
        ds = ex.NormalizedDataset(data, labels, mean=mean, std=std)
        for i in range(len(data)):  # a lazy implementation normalises here
            ds[i]
    except (CheckFailure, NotImplementedError):
        raise
    except Exception:
        if not tolerate_errors:
            raise
    for (name, arr), old in zip(given, before):
        if not (arr.dtype == old.dtype and arr.shape == old.shape
                and bool(_np_array_equal(arr, old, equal_nan=arr.dtype.kind == "f"))):
            raise Failure(
                T(ja=f"渡した配列 {name}（data は {data.dtype}）が書き換えられました: 前 {show(old)} / 後 {show(arr)}",
                  en=f"the caller's array {name} (data of dtype {data.dtype}) was modified: "
                     f"before {show(old)}, after {show(arr)}"),
                CALLER_ARRAYS_HELP)
    return ds


@pytest.mark.points(1)
@settings(max_examples=8)
@given(arrays=arrays(), given_stats=st.booleans(), zero_std=st.booleans())
@example(arrays=(np.array([[0.0]]), np.array([0])), given_stats=True, zero_std=True)  # whatever 8 are drawn
def test_caller_arrays_are_not_modified(arrays: tuple[np.ndarray, np.ndarray], given_stats: bool,
                                        zero_std: bool) -> None:
    """Building the dataset and reading every item (the right features) leaves data, labels,
    mean and std untouched, whatever data's dtype: the drawn one, float32 and float64 (where a
    conversion such as astype(copy=False), np.asarray or torch.as_tensor returns the caller's
    own memory); and also when a given std holds a 0 (what the dataset then does, raising
    included, is open). The features are graded too: a dataset that ignores its arrays also
    leaves them untouched."""
    drawn, labels = arrays
    f = drawn.shape[1]
    for data in [drawn] + [drawn.astype(t) for t in FLOAT_DTYPES if drawn.dtype != t]:
        mean = np.linspace(-1.0, 1.0, f) if given_stats else None
        std = np.linspace(0.5, 2.0, f) if given_stats else None
        ds = _expect_untouched(data, labels, mean, std, tolerate_errors=False)
        stats = Stats(mean, std) if given_stats else population_stats(data)
        expect_features_close(all_items(ds, len(data))[0], normalized(data, stats), feature_atol(data, stats),
                              T(ja=f"{data.dtype} のデータの特徴量", en=f"the features of {data.dtype} data"),
                              NORMALIZE_HELP, n=len(data), integer_data=data.dtype.kind in "iu")
        if std is not None and zero_std:
            std = std.copy()
            std[0] = 0.0  # a guard written as std[std == 0] = 1 must not land in the caller's array
            _expect_untouched(data, labels, mean.copy(), std, tolerate_errors=True)


@pytest.mark.points(1)
@settings(max_examples=6)
@given(arrays=arrays())
def test_negative_indices(arrays: tuple[np.ndarray, np.ndarray]) -> None:
    """dataset[-k] is dataset[N - k] for 1 ≤ k ≤ N, as for a Python list: with distinct labels
    0 … N-1, its label is labels[N - k] and its features are those of dataset[N - k]."""
    data, drawn_labels = arrays
    n = len(data)
    labels = np.arange(n).astype(drawn_labels.dtype)  # distinct: each item names its row
    ds = ex.NormalizedDataset(data, labels)
    help = T(ja="負のインデックスはリストと同じく後ろから数えます（dataset[-1] は最後のサンプル）。"
                "テンソルや配列のインデックスに任せればそのまま動きます",
             en="negative indices count from the end, as for a list (dataset[-1] is the last sample); "
                "indexing a tensor or an array does this for you")
    for k in range(1, n + 1):
        got, want = ds[-k], ds[n - k]
        for part, name in ((0, T(ja="特徴量", en="features")), (1, T(ja="ラベル", en="label"))):
            a = as_numpy(got[part], name)
            e = as_numpy(want[part], name)
            same = a.shape == e.shape and bool(_np_array_equal(a, e, equal_nan=a.dtype.kind == "f" and e.dtype.kind == "f"))
            if not same:
                raise Mismatch(show(e), show(a), help,
                               what=T(ja=f"dataset[{-k}] の{name.ja}（dataset[{n - k}] と同じはず）",
                                      en=f"the {name.en} of dataset[{-k}] (should be those of dataset[{n - k}])"))
        label = as_numpy(got[1], T(ja="ラベル", en="label"))
        if not (label.size == 1 and int(label.reshape(())) == n - k):
            raise Mismatch(n - k, show(label), help,
                           what=T(ja=f"labels = {list(range(n))} のときの dataset[{-k}] のラベル",
                                  en=f"the label of dataset[{-k}] with labels = {list(range(n))}"))


@pytest.mark.points(1)
@settings(max_examples=4)
@given(arrays=arrays())
def test_out_of_range_index_raises_index_error(arrays: tuple[np.ndarray, np.ndarray]) -> None:
    """dataset[N] and dataset[-N - 1] raise IndexError, as for a Python list."""
    data, labels = arrays
    n = len(data)
    ds = ex.NormalizedDataset(data, labels)
    help = T(ja="範囲外のインデックスはリストと同じく IndexError にします（for item in dataset が止まるのもこのおかげです）。"
                "負のインデックスに len を足すだけだと dataset[-N-1] が通ってしまいます",
             en="an out-of-range index raises IndexError, as for a list (this is also what stops "
                "for item in dataset); just adding len to a negative index lets dataset[-N-1] through")
    for idx in (n, -n - 1):
        expect_raises(IndexError, lambda i=idx: ds[i], help=help,
                      what=T(ja=f"N = {n} のときの dataset[{idx}]", en=f"dataset[{idx}] with N = {n}"))


@pytest.mark.points(1)
def test_mismatched_lengths_raise_value_error() -> None:
    """len(data) != len(labels) raises ValueError."""
    data = np.arange(12, dtype=np.float64).reshape(6, 2)
    help = T(ja="__init__ の最初で len(data) と len(labels) を比べ、違えば raise ValueError(...) します",
             en="compare len(data) and len(labels) at the start of __init__ and raise ValueError(...) if they differ")
    for n_labels in (5, 7):
        expect_raises(ValueError, ex.NormalizedDataset, data, np.zeros(n_labels, dtype=np.int64), help=help,
                      what=T(ja=f"6 行の data と {n_labels} 個の labels", en=f"6 rows of data with {n_labels} labels"))


@pytest.mark.points(1)
def test_data_not_2d_raises_value_error() -> None:
    """data that is not 2-D (1-D or 3-D) raises ValueError."""
    help = T(ja="data.ndim != 2 なら raise ValueError(...) します（形は (N, F) のはず）",
             en="raise ValueError(...) when data.ndim != 2 (the shape must be (N, F))")
    for shape in ((6,), (6, 2, 2)):
        data = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
        expect_raises(ValueError, ex.NormalizedDataset, data, np.zeros(6, dtype=np.int64), help=help,
                      what=T(ja=f"形 {shape} の data", en=f"data of shape {shape}"))


@pytest.mark.points(2)
@settings(max_examples=6)
@given(arrays=arrays(min_rows=2, max_rows=10), batch_size=st.integers(1, 4))
def test_dataloader_batches(arrays: tuple[np.ndarray, np.ndarray], batch_size: int) -> None:
    """DataLoader(dataset, batch_size=b) yields (b, F) float32 features and (b,) int64 labels, in order."""
    data, labels = arrays
    n, f = data.shape
    stats = population_stats(data)
    expected = normalized(data, stats)
    atol = feature_atol(data, stats)
    ds = ex.NormalizedDataset(data, labels)
    batches = list(_DataLoader(ds, batch_size=batch_size))
    sizes = [min(batch_size, n - s) for s in range(0, n, batch_size)]
    expect_equal(len(batches), len(sizes), what=T(ja=f"batch_size={batch_size} の DataLoader のバッチ数",
                                                  en=f"the number of batches of a DataLoader with batch_size={batch_size}"))
    start = 0
    for k, (batch, size) in enumerate(zip(batches, sizes)):
        if not (isinstance(batch, (list, tuple)) and len(batch) == 2):
            raise Failure(T(ja=f"バッチ {k} が (特徴量, ラベル) の組ではありません: {show(batch)}",
                            en=f"batch {k} is not a (features, labels) pair: {show(batch)}"), ITEM_HELP)
        x, y = batch
        wx = T(ja=f"バッチ {k} の特徴量", en=f"the features of batch {k}")
        wy = T(ja=f"バッチ {k} のラベル", en=f"the labels of batch {k}")
        expect_dtype(x, torch.float32, wx, FLOAT32_HELP)
        expect_shape(x, (size, f), wx)
        expect_dtype(y, torch.int64, wy, LABEL_HELP)
        expect_shape(y, (size,), wy, LABEL_HELP)
        expect_features_close(x, expected[start:start + size], atol, wx, NORMALIZE_HELP, n=n,
                              integer_data=data.dtype.kind in "iu")
        expect_equal_arrays(y, labels[start:start + size].astype(np.int64), wy, LABEL_HELP)
        start += size


@pytest.mark.points(1)
def test_textbook_example() -> None:
    """The textbook's example: np.random.seed(42), data = randn(100, 10) * 5 + 10, 3 classes."""
    rng = np.random.RandomState(42)
    data = rng.randn(100, 10) * 5 + 10
    labels = rng.randint(0, 3, size=100)
    stats = population_stats(data)
    expected = normalized(data, stats)
    ds = ex.NormalizedDataset(data, labels)
    feats, got_labels = all_items(ds, 100)
    expect_features_close(feats, expected, feature_atol(data, stats),
                          T(ja="教科書の例の正規化後のデータ", en="the normalised data of the textbook example"),
                          NORMALIZE_HELP, n=100)
    expect_equal_arrays(got_labels.astype(np.int64), labels.astype(np.int64),
                        T(ja="教科書の例のラベル", en="the labels of the textbook example"), LABEL_HELP)
    expect(bool(np.all(np.abs(feats.mean(axis=0)) < 1e-4)) and bool(np.all(np.abs(feats.std(axis=0) - 1) < 1e-3)),
           T(ja=f"正規化後の特徴量ごとの平均 {show(feats.mean(axis=0))} と標準偏差 {show(feats.std(axis=0))} が 0 と 1 になっていません",
             en=f"after normalisation the per-feature means {show(feats.mean(axis=0))} and stds {show(feats.std(axis=0))} are not 0 and 1"),
           NORMALIZE_HELP)
