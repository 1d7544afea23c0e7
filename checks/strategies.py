"""Shared hypothesis strategies, named for what they draw.

Sizes are kept small: a counter-example is most useful when it is tiny, and grading must
be fast. Values are finite and of bounded magnitude unless a strategy says otherwise.

    from checks import strategies as draw

    @given(data=draw.float_matrices(), labels_seed=draw.seeds())
    def test_...(data, labels_seed): ...
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

FLOAT_DTYPES = (np.float32, np.float64)
INT_DTYPES = (np.int8, np.int16, np.int32, np.int64, np.uint8)


def seeds() -> st.SearchStrategy[int]:
    """A seed for a torch / numpy generator built inside the check."""
    return st.integers(min_value=0, max_value=2**31 - 1)


def small_sizes(min_value: int = 1, max_value: int = 8) -> st.SearchStrategy[int]:
    return st.integers(min_value=min_value, max_value=max_value)


def batch_sizes(min_value: int = 1, max_value: int = 16) -> st.SearchStrategy[int]:
    return st.integers(min_value=min_value, max_value=max_value)


def finite_floats(magnitude: float = 1e3, width: int = 64) -> st.SearchStrategy[float]:
    return st.floats(min_value=-magnitude, max_value=magnitude, allow_nan=False, allow_infinity=False, width=width)


def float_arrays(shape: Any, dtype: Any = np.float64, magnitude: float = 1e3) -> st.SearchStrategy[np.ndarray]:
    """Arrays of the given shape (a tuple or a strategy of tuples) with finite values."""
    width = 32 if np.dtype(dtype) == np.float32 else 64
    return hnp.arrays(dtype=dtype, shape=shape, elements=finite_floats(magnitude, width))


def float_matrices(min_rows: int = 1, max_rows: int = 12, min_cols: int = 1, max_cols: int = 6,
                   dtype: Any = np.float64, magnitude: float = 1e3) -> st.SearchStrategy[np.ndarray]:
    """(N, F) float data, N in [min_rows, max_rows], F in [min_cols, max_cols]."""
    shapes = st.tuples(st.integers(min_rows, max_rows), st.integers(min_cols, max_cols))
    return float_arrays(shapes, dtype, magnitude)


def real_matrices(min_rows: int = 1, max_rows: int = 12, min_cols: int = 1, max_cols: int = 6) -> st.SearchStrategy[np.ndarray]:
    """(N, F) data of any real dtype: float32, float64, or integers."""
    shapes = st.tuples(st.integers(min_rows, max_rows), st.integers(min_cols, max_cols))

    def of(dtype: Any) -> st.SearchStrategy[np.ndarray]:
        if np.dtype(dtype).kind == "f":
            return float_arrays(shapes, dtype, 1e3)
        info = np.iinfo(dtype)
        return hnp.arrays(dtype=dtype, shape=shapes,
                          elements=st.integers(max(info.min, -1000), min(info.max, 1000)))

    return st.sampled_from((np.float32, np.float64, np.int32, np.int64, np.uint8)).flatmap(of)


def int_labels(n: int, num_classes: int = 5, dtype: Any = np.int64) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(dtype=dtype, shape=n, elements=st.integers(0, num_classes - 1))


def shapes(min_dims: int = 1, max_dims: int = 4, min_side: int = 1, max_side: int = 5) -> st.SearchStrategy[tuple[int, ...]]:
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def tensors(shape: Any, dtype: str = "float32", magnitude: float = 1e3) -> st.SearchStrategy[Any]:
    """torch tensors (built from numpy arrays, so hypothesis can shrink them)."""
    import torch

    np_dtype = {"float32": np.float32, "float64": np.float64}[dtype]
    return float_arrays(shape, np_dtype, magnitude).map(lambda a: torch.from_numpy(np.array(a, copy=True)))


def loss_sequences(min_size: int = 1, max_size: int = 20) -> st.SearchStrategy[list[float]]:
    """Validation-loss histories: plateaus, ties and occasional NaN included."""
    value = st.one_of(
        st.floats(0.0, 10.0, allow_nan=False).map(lambda x: round(x, 2)),
        st.sampled_from([1.0, 0.5, 0.25]),
        st.just(float("nan")),
    )
    return st.lists(value, min_size=min_size, max_size=max_size)


def exact_loss_sequences(min_size: int = 1, max_size: int = 20) -> st.SearchStrategy[list[float]]:
    """Validation-loss histories whose values are multiples of 1/8 in [0, 8] (plateaus, ties
    and NaN included). They are exact in float32 and float64, and so is `a - b` or `a + b`
    with a delta from `exact_min_deltas()`: `v < best - d`, `best - v > d` and `v + d < best`
    then agree, so a check with a min_delta does not depend on how the rule is written."""
    value = st.one_of(
        st.integers(0, 64).map(lambda k: k / 8),
        st.sampled_from([1.0, 0.5, 0.25]),
        st.just(float("nan")),
    )
    return st.lists(value, min_size=min_size, max_size=max_size)


def exact_min_deltas() -> st.SearchStrategy[float]:
    """min_delta values that keep the arithmetic of `exact_loss_sequences()` exact."""
    return st.sampled_from([0.0, 0.125, 0.25, 0.5, 1.0])
