"""The table of causes: each common exception, raised for real by torch or Python, is
explained by its cause and idea in both languages; an exception not in the table gets no
guess; `classify` puts the cause in the message and its idea in place of the generic one."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from grader.plugin.causes import CAUSES, explain
from grader.plugin.outcome import classify


def _raised(fn: Callable[[], object]) -> BaseException:
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 — the exception under test
        return exc
    raise AssertionError("expected an exception")


def _no_grad_backward() -> None:
    model = nn.Linear(2, 1)
    with torch.no_grad():
        out = model(torch.ones(1, 2))
    out.sum().backward()


def _backward_twice() -> None:
    x = torch.ones(3, requires_grad=True)
    loss = (x * 2).sum()
    loss.backward()
    loss.backward()


def _leaf_inplace() -> None:
    torch.zeros(3, requires_grad=True).sub_(1)


def _modified_inplace() -> None:
    x = torch.ones(3, requires_grad=True)
    y = x.sigmoid()
    y.mul_(2)
    y.sum().backward()


class _EarlyModule(nn.Module):
    def __init__(self) -> None:
        self.layer = nn.Linear(2, 2)
        super().__init__()


RAISING: dict[str, Callable[[], object]] = {
    "graph_cut": _no_grad_backward,
    "backward_non_scalar": lambda: torch.ones(3, requires_grad=True).mul(2).backward(),
    "backward_twice": _backward_twice,
    "leaf_inplace": _leaf_inplace,
    "modified_inplace": _modified_inplace,
    "numpy_requires_grad": lambda: torch.zeros(3, requires_grad=True).numpy(),
    "item_not_scalar": lambda: torch.zeros(3).item(),
    "ambiguous_bool": lambda: bool(torch.zeros(3)),
    "target_dtype": lambda: F.cross_entropy(torch.zeros(3, 4), torch.zeros(3)),
    "target_probabilities": lambda: F.cross_entropy(torch.zeros(3, 4), torch.zeros(3, 4, dtype=torch.long)),
    "dtype_mismatch": lambda: nn.Linear(3, 2)(torch.zeros(4, 3, dtype=torch.float64)),
    "matmul_shape": lambda: nn.Linear(3, 2)(torch.zeros(4, 5)),
    "matvec_shape": lambda: torch.matmul(torch.zeros(2, 3), torch.zeros(4)),
    "loss_batch_size": lambda: F.cross_entropy(torch.zeros(3, 4), torch.zeros(2, dtype=torch.long)),
    "broadcast_shape": lambda: torch.zeros(3) + torch.zeros(4),
    "view_size": lambda: torch.zeros(2, 3).view(4),
    "conv_channels": lambda: nn.Conv2d(3, 4, 3)(torch.zeros(1, 1, 5, 5)),
    "module_before_init": _EarlyModule,
    "number_not_tensor": lambda: torch.ones(1, requires_grad=True).sum().item().backward(),  # type: ignore[attr-defined]
    "state_dict_keys": lambda: nn.Linear(2, 2).load_state_dict({"a": torch.zeros(1)}),
    "embedding_index": lambda: nn.Embedding(3, 2)(torch.tensor([5])),
    "batchnorm_single": lambda: nn.BatchNorm1d(3)(torch.zeros(1, 3)),
    "none_value": lambda: float("1") < None,  # type: ignore[operator]
    "zero_division": lambda: 1 / 0,
}


@pytest.mark.parametrize("name", sorted(RAISING))
def test_a_common_exception_is_explained_by_its_cause(name: str) -> None:
    found = explain(_raised(RAISING[name]))
    assert found is not None and found.name == name
    for text in (found.cause, found.idea):
        assert "{" not in text.ja + text.en, "every placeholder is filled"


def test_every_cause_in_the_table_is_tested() -> None:
    untested = {c.name for c in CAUSES} - set(RAISING) - {"attribute_before_super_init", "device_mismatch", "weights_only"}
    assert not untested


def test_shapes_and_dtypes_are_named_as_a_learner_writes_them() -> None:
    matmul = explain(_raised(RAISING["matmul_shape"]))
    assert matmul is not None and "4x5 (5 values per row)" in matmul.cause.en and "3x2 (expects 3)" in matmul.cause.en
    assert "4×5" in matmul.cause.ja
    dtype = explain(_raised(RAISING["dtype_mismatch"]))
    assert dtype is not None and "float64" in dtype.cause.en and "float32" in dtype.cause.en


def test_an_unknown_exception_gets_no_guess() -> None:
    assert explain(KeyError("feature")) is None
    assert explain(RuntimeError("something rare")) is None


def _learner_module(tmp_path: Path, source: str) -> object:
    path = tmp_path / "ex99_demo.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("ex99_demo", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["ex99_demo"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


SCHEDULER = """
    import torch
    from torch.optim.lr_scheduler import LRScheduler

    class Warmup(LRScheduler):
        def __init__(self, optimizer, steps):
            super().__init__(optimizer)
            self.steps = steps

        def get_lr(self):
            return [base * 1 / self.steps for base in self.base_lrs]
"""


def test_attributes_set_after_a_base_init_that_calls_back_are_named(tmp_path: Path) -> None:
    """LRScheduler.__init__ calls get_lr() before the attributes set after it exist."""
    module = _learner_module(tmp_path, SCHEDULER)
    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1)
    exc = _raised(lambda: module.Warmup(opt, 3))  # type: ignore[attr-defined]
    found = explain(exc)
    assert found is not None and found.name == "attribute_before_super_init"
    assert "LRScheduler.__init__ calls your get_lr()" in found.cause.en
    assert "set steps" in found.idea.en and "super().__init__(...) を呼ぶ前に" in found.idea.ja
    # the same AttributeError raised outside a base class's __init__ is not blamed on it
    assert explain(_raised(lambda: object().steps)) is None  # type: ignore[attr-defined]


def test_classify_puts_the_cause_first_and_its_idea_instead_of_the_generic_one(tmp_path: Path) -> None:
    module = _learner_module(tmp_path, """
        import torch
        def train(model, x):
            with torch.no_grad():
                out = model(x)
            out.sum().backward()
    """)
    exc = _raised(lambda: module.train(nn.Linear(2, 1), torch.ones(1, 2)))  # type: ignore[attr-defined]
    out = classify(exc)
    assert "ex99_demo.py:6: out.sum().backward()" in out["message"]["en"]
    assert "cause: the value you called backward() on is cut off" in out["message"]["en"]
    assert "原因: backward() した値が計算グラフにつながっていません" in out["message"]["ja"]
    assert "torch.no_grad()" in out["help"]["en"] and "counter-example" not in out["help"]["en"]
