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

from grader.plugin.determinism import seed_torch

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


# --------------------------------------------------------------------------- torch values

TORCH_FLOAT_DTYPES = ("float32", "float64")
TORCH_INT_DTYPES = ("int32", "int64")


def float_dtypes() -> st.SearchStrategy[Any]:
    """torch.float32 or torch.float64 (shrinks to float32)."""
    import torch

    return st.sampled_from([getattr(torch, name) for name in TORCH_FLOAT_DTYPES])


def int_dtypes() -> st.SearchStrategy[Any]:
    """torch.int32 or torch.int64 (shrinks to int32)."""
    import torch

    return st.sampled_from([getattr(torch, name) for name in TORCH_INT_DTYPES])


def tensor_lists(min_size: int = 1, max_size: int = 6, min_len: int = 1, max_len: int = 7,
                 features: tuple[int, int] = (1, 4), dtypes: st.SearchStrategy[Any] | None = None,
                 magnitude: float = 100.0) -> st.SearchStrategy[list[Any]]:
    """Variable-length sequences as a list of tensors (L_i, F): one F and one dtype for all,
    each L_i drawn on its own (ties and a single-step sequence included as hypothesis shrinks).

        @given(seqs=draw.tensor_lists(dtypes=draw.float_dtypes()))
        def test_pads(seqs): ...
    """
    import torch

    @st.composite
    def draw_list(draw: Any) -> list[Any]:
        dtype = draw(dtypes if dtypes is not None else float_dtypes())
        f = draw(st.integers(*features))
        lengths = draw(st.lists(st.integers(min_len, max_len), min_size=min_size, max_size=max_size))
        np_dtype = {torch.float32: np.float32, torch.float64: np.float64}.get(dtype)
        out = []
        for length in lengths:
            if np_dtype is not None:
                arr = draw(float_arrays((length, f), np_dtype, magnitude))
            else:
                arr = draw(hnp.arrays(np.int64, (length, f), elements=st.integers(-100, 100)))
            out.append(torch.from_numpy(np.array(arr, copy=True)).to(dtype))
        return out

    return draw_list()


def module_trees(max_depth: int = 2, max_children: int = 3) -> st.SearchStrategy[Any]:
    """Small `nn.Module` trees of the layers courses use (Linear with or without bias, Conv1d,
    Embedding, LayerNorm, BatchNorm1d, GroupNorm) in nested Sequential / ModuleDict containers;
    sometimes a layer is frozen (`requires_grad=False`) and sometimes an Embedding and a Linear
    head share one weight (tied). Weights come from a drawn seed, so a tree is reproducible.

        @given(model=draw.module_trees())
        def test_partition(model): ...
    """
    import torch
    from torch import nn

    def leaf(kind: str, a: int, b: int, flag: bool) -> nn.Module:
        return {
            "linear": lambda: nn.Linear(a, b, bias=flag),
            "conv1d": lambda: nn.Conv1d(a, b, 3, bias=flag),
            "embedding": lambda: nn.Embedding(a + 2, b),
            "layernorm": lambda: nn.LayerNorm(b, elementwise_affine=flag),
            "batchnorm": lambda: nn.BatchNorm1d(b, affine=flag),
            "groupnorm": lambda: nn.GroupNorm(1, b, affine=flag),
        }[kind]()

    leaves = st.tuples(st.sampled_from(["linear", "conv1d", "embedding", "layernorm", "batchnorm", "groupnorm"]),
                       st.integers(1, 4), st.integers(1, 4), st.booleans())

    def tree(depth: int) -> st.SearchStrategy[Any]:
        if depth == 0:
            return leaves
        return st.one_of(leaves, st.tuples(st.sampled_from(["sequential", "dict"]),
                                           st.lists(tree(depth - 1), min_size=1, max_size=max_children)))

    def build(spec: Any) -> nn.Module:
        if spec[0] in ("sequential", "dict"):
            children = [build(s) for s in spec[1]]
            if spec[0] == "sequential":
                return nn.Sequential(*children)
            return nn.ModuleDict({f"part{i}": c for i, c in enumerate(children)})
        return leaf(*spec)

    @st.composite
    def draw_tree(draw: Any) -> nn.Module:
        spec = draw(st.tuples(st.just("sequential"), st.lists(tree(max_depth - 1), min_size=1, max_size=max_children)))
        seed, frozen, tied = draw(seeds()), draw(st.integers(0, 3)), draw(st.booleans())
        seed_torch(seed)
        model = build(spec)
        if tied:
            emb = nn.Embedding(5, 3)
            head = nn.Linear(3, 5, bias=False)
            head.weight = emb.weight
            model.append(nn.ModuleDict({"embed": emb, "head": head}))
        params = list(model.parameters())
        if frozen and params:
            params[(frozen * 7) % len(params)].requires_grad_(False)
        return model

    return draw_tree()
