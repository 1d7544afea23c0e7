"""Architecture checks for torch modules: parameter counts, the reference's weights copied in,
state_dict round trips.

    from checks.modules import expect_param_count, expect_same_outputs

    oracle = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), ...)   # built in the check
    model = ex.SmallCNN(3, 10, (28, 28))
    expect_param_count(model, oracle, what=T(ja="SmallCNN のパラメータ数", en="SmallCNN's parameter count"))
    expect_same_outputs(model, oracle, torch.randn(2, 3, 28, 28), what=T(ja="出力", en="the output"))

Module and attribute names are the learner's choice: weights are matched by order of
registration (`state_dict()` order), and, where the order differs but the shapes are the
same multiset (layers defined in `__init__` in another order than used), by shape in
order. A parameter shared by two modules counts once, as in `model.parameters()`.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any, Callable

import torch
from torch import nn

from checks.differential import expect_same_structure
from checks.feedback import Failure, Mismatch, T, showing

_Module = nn.Module
# nn.Module's own methods, captured before student code runs: a submission cannot hide a parameter
# from them with an instance attribute or an overridden method.
_parameters = nn.Module.parameters
_named_parameters = nn.Module.named_parameters
_state_dict = nn.Module.state_dict
_load_state_dict = nn.Module.load_state_dict
_no_grad = torch.no_grad
_save = torch.save
_load = torch.load

ARCHITECTURE_HELP = T(
    ja="課題文の層の順序・大きさ（入出力の次元、kernel_size、bias の有無）を一つずつ確かめてください",
    en="check each layer against the task: order, sizes (in/out features, kernel_size), bias or not",
)


def count_params(model: nn.Module, trainable_only: bool = False) -> int:
    """Parameters of `model`, each shared tensor once (as `model.parameters()` yields them)."""
    return sum(p.numel() for p in _parameters(_expect_module(model, T.same("model")))
               if p.requires_grad or not trainable_only)


def layer_table(model: nn.Module) -> list[tuple[str, tuple[int, ...], int]]:
    """(name, shape, count) of each parameter, in registration order."""
    return [(name, tuple(p.shape), p.numel()) for name, p in _named_parameters(model)]


def expect_param_count(model: Any, expected: nn.Module | int, what: T, help: T | None = None, *,
                       trainable_only: bool = False, counterexample: Any = None) -> None:
    """`model` has as many parameters as `expected` (a module, or a number). On a mismatch the
    message lists both models' parameters, layer by layer."""
    got = count_params(model, trainable_only)
    want = expected if isinstance(expected, int) else count_params(expected, trainable_only)
    if got == want:
        return
    yours = _format_table(layer_table(model))
    theirs = _format_table(layer_table(expected)) if isinstance(expected, _Module) else "—"
    raise Mismatch(
        f"{want:,}\n{theirs}", f"{got:,}\n{yours}", help or ARCHITECTURE_HELP,
        what=T(ja=f"{what.ja}（層ごとの内訳つき）", en=f"{what.en} (layer by layer below)"),
        counterexample=counterexample)


def copy_weights(source: nn.Module, target: Any, what: T) -> None:
    """Load `source`'s parameters and buffers into `target`, matched by order (then by shape)."""
    target = _expect_module(target, what)
    src, dst = _unique_state(source), _unique_state(target)
    pairs = _match(list(src.items()), list(dst.items()))
    if pairs is None:
        raise Failure(
            T(ja=f"{what.ja}: 層の構成が課題と一致しないため重みをコピーできません\n"
                 f"期待:\n{_format_state(src)}\n実際:\n{_format_state(dst)}",
              en=f"{what.en}: the layers do not match the task's, so the weights cannot be copied\n"
                 f"expected:\n{_format_state(src)}\ngot:\n{_format_state(dst)}"),
            ARCHITECTURE_HELP)
    by_tensor = {id(tensor): value for (_, tensor), (_, value) in zip(dst.items(), pairs)}
    full = _state_dict(target, keep_vars=True)
    with _no_grad():
        _load_state_dict(target, {name: by_tensor[id(t)].detach().clone() for name, t in full.items()}, strict=True)


def _unique_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """The state_dict with each tensor once (a module registered under two names, tied weights)."""
    seen: set[int] = set()
    unique = {}
    for name, tensor in _state_dict(model, keep_vars=True).items():
        if id(tensor) not in seen:
            seen.add(id(tensor))
            unique[name] = tensor
    return unique


def expect_same_outputs(student_model: Any, reference_model: nn.Module, *inputs: Any, what: T,
                        help: T | None = None, example: str | T | None = None) -> Any:
    """With the reference's weights copied in, the learner's model (in eval mode) returns the
    same outputs as the reference for `inputs`. Returns the learner's output."""
    copy_weights(reference_model, student_model, what)
    student_model.eval()
    reference_model.eval()
    with _no_grad():
        expected = reference_model(*inputs)
        with showing(example):
            actual = student_model(*inputs)
    expect_same_structure(actual, expected, what, help or ARCHITECTURE_HELP, example=example)
    return actual


def expect_state_dict_round_trip(make_model: Callable[[], Any], *inputs: Any, what: T,
                                 help: T | None = None) -> None:
    """A model's state_dict, saved with `torch.save` and loaded with `weights_only=True` into a
    fresh `make_model()` (strict), gives identical outputs."""
    first = _expect_module(make_model(), what)
    with _no_grad():
        for p in first.parameters():
            p.add_(torch.randn(p.shape, generator=torch.Generator().manual_seed(p.numel()), dtype=p.dtype))
    buffer = io.BytesIO()
    _save(first.state_dict(), buffer)
    buffer.seek(0)
    second = _expect_module(make_model(), what)
    try:
        second.load_state_dict(_load(buffer, weights_only=True), strict=True)
    except Exception as exc:
        raise Failure(T(ja=f"{what.ja}: state_dict を新しいモデルに読み込めません — {type(exc).__name__}: {exc}",
                        en=f"{what.en}: the state_dict does not load into a fresh model — {type(exc).__name__}: {exc}"),
                      help) from None
    first.eval()
    second.eval()
    with _no_grad():
        expect_same_structure(second(*inputs), first(*inputs), what, help, rtol=0.0, atol=0.0)


def _match(src: list[tuple[str, torch.Tensor]], dst: list[tuple[str, torch.Tensor]]) -> list | None:
    """(target name, source value) pairs: by order, else by shape in order; None if impossible."""
    if len(src) != len(dst):
        return None
    if all(s.shape == d.shape for (_, s), (_, d) in zip(src, dst)):
        return [(dn, s) for (_, s), (dn, _) in zip(src, dst)]
    if Counter(tuple(s.shape) for _, s in src) != Counter(tuple(d.shape) for _, d in dst):
        return None
    pool = list(src)
    pairs = []
    for name, d in dst:
        i = next(i for i, (_, s) in enumerate(pool) if s.shape == d.shape)
        pairs.append((name, pool.pop(i)[1]))
    return pairs  # (target name, source value), in the target's order


def _format_table(rows: list[tuple[str, tuple[int, ...], int]]) -> str:
    return "\n".join(f"    {name:<28} {str(shape):<18} {count:>10,}" for name, shape, count in rows) or "    —"


def _format_state(state: dict[str, torch.Tensor]) -> str:
    return _format_table([(k, tuple(v.shape), v.numel()) for k, v in state.items()])


def _expect_module(model: Any, what: T) -> nn.Module:
    if not isinstance(model, _Module):
        raise Failure(T(ja=f"{what.ja}: nn.Module を期待しましたが {type(model).__qualname__} でした",
                        en=f"{what.en}: expected an nn.Module, got {type(model).__qualname__}"),
                      T(ja="nn.Module を継承したクラスのインスタンスを返します",
                        en="return an instance of a class derived from nn.Module"))
    return model

