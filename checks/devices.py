"""The device layer: run a check on every device, compare with the CPU.

    from checks.devices import on_every_device, expect_parity

    @on_every_device
    def test_forward_matches_cpu(device):
        model = ex.PyTorchModel()
        expect_parity(lambda d: model.to(d).eval()(x.to(d)), device, what=T(ja="出力", en="the output"))

`on_every_device` parametrizes the check over cpu, cuda and mps, always, so every machine
collects the same checks; where a device is absent the check is skipped ("no CUDA
device") and leaves the maximum score. Tolerances come from dtype (`checks.compare`),
widened for accelerators, whose kernels (TF32, fused reductions) round differently.

Device handling is also checked on every machine, GPU or not, with `MetaAsGpu`: torch's
"meta" device stands for a GPU (see its docstring).
"""

from __future__ import annotations

from typing import Any, Callable

import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves, tree_map

from checks.compare import as_numpy, expect_close, tolerance_for
from checks.feedback import Failure, T, showing, skip

DEVICES = ("cpu", "cuda", "mps")
_NAMES = {"cuda": "CUDA", "mps": "MPS"}

# Captured before student code runs: a submission cannot fake a GPU.
_cuda_available = torch.cuda.is_available
_mps_backend = getattr(torch.backends, "mps", None)
_aten = torch.ops.aten
_COMPOSITE = torch._C.DispatchKey.CompositeImplicitAutograd
# Operations a GPU accepts with cpu tensors among their arguments: copies between devices, and indexing
# a GPU tensor with cpu indices.
_TAKES_ANY_DEVICE = {"aten::_to_copy", "aten::to", "aten::copy_", "aten::index", "aten::index_put",
                     "aten::index_put_", "aten::_index_put_impl_"}


def device_available(name: str) -> bool:
    if name == "cpu":
        return True
    if name == "cuda":
        return bool(_cuda_available())
    if name == "mps":
        return bool(_mps_backend is not None and _mps_backend.is_available())
    return False


def available_devices() -> list[str]:
    return [d for d in DEVICES if device_available(d)]


def _no_device(name: str) -> T:
    label = _NAMES.get(name, name)
    return T(ja=f"{label} デバイスがありません（このチェックは満点に含まれません）",
             en=f"no {label} device (this check does not count toward the maximum)")


def require_device(name: str) -> torch.device:
    """The device, or a skip that says which one is missing."""
    if not device_available(name):
        skip(_no_device(name))
    return torch.device(name)


def absent_device(item: pytest.Item) -> T | None:
    """Before it runs: the skip a check of `on_every_device` takes here (its device is
    absent), else None. When the submission does not import, the exercise process reports
    these as skipped, not failed, so the maximum score is the same as when it does."""
    name = getattr(getattr(item, "callspec", None), "params", {}).get("device_name")
    return _no_device(name) if isinstance(name, str) and not device_available(name) else None


def on_every_device(fn: Callable[..., Any]) -> Any:
    """Parametrize a check over DEVICES; its `device` argument is a `torch.device`
    (the check is skipped where that device is absent)."""
    params = [pytest.param(d, id=d) for d in DEVICES]
    return pytest.mark.parametrize("device_name", params)(_with_device(fn))


def _with_device(fn: Callable[..., Any]) -> Callable[..., Any]:
    import functools
    import inspect

    sig = inspect.signature(fn)
    params = [p for name, p in sig.parameters.items() if name != "device"]
    params.append(inspect.Parameter("device_name", inspect.Parameter.KEYWORD_ONLY))

    @functools.wraps(fn)
    def wrapper(*args: Any, device_name: str, **kwargs: Any) -> Any:
        return fn(*args, device=require_device(device_name), **kwargs)

    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    return wrapper


def parity_tolerance(device: torch.device, *dtypes: Any) -> tuple[float, float]:
    rtol, atol = tolerance_for(*dtypes)
    if device.type != "cpu":  # TF32 matmuls and other reduction orders on accelerators
        rtol, atol = max(rtol, 1e-3), max(atol, 1e-4)
    return rtol, atol


def expect_parity(compute: Callable[[torch.device], Any], device: torch.device, *, what: T,
                  help: T | None = None, counterexample: Any = None) -> None:
    """`compute(device)` must agree with `compute(cpu)` within dtype-aware tolerances."""
    on_cpu = compute(torch.device("cpu"))
    on_device = compute(device)
    dtype = getattr(on_cpu, "dtype", None)
    rtol, atol = parity_tolerance(device, dtype or "float32")
    expect_close(as_numpy(on_device, what), as_numpy(on_cpu, what),
                 T(ja=f"{what.ja}（{device.type} と cpu の比較）", en=f"{what.en} ({device.type} vs cpu)"),
                 help or T(ja="デバイスに依存しないコードにします（.to(device)、device= を使う）",
                           en="write device-agnostic code (.to(device), device=)"),
                 rtol=rtol, atol=atol, counterexample=counterexample)


class MetaAsGpu(TorchDispatchMode):
    """While active (`with MetaAsGpu() as gpu:`), the "meta" device, which every machine has (its
    tensors have a shape and a dtype but no data), stands for a GPU:
    - a copy from meta to the cpu (`.cpu()`, `.to("cpu")`, `cpu_tensor.copy_(t)`) gives ones instead of
      raising, and a number read from a meta tensor (`.item()`, `float(t)`, `bool(t)`) is 1, so code
      written for a GPU runs to its end (its values mean nothing);
    - `gpu.mixed` names every operation given tensors both on meta and on the cpu (a 0-dim cpu tensor
      excepted, which torch accepts beside any device; copies and indexing excepted): on a real GPU each
      is a "tensors on different devices" error.
    The simulation is this object's own: nothing in torch is patched."""

    def __init__(self) -> None:
        super().__init__()
        self.mixed: list[str] = []

    def __torch_dispatch__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        kwargs = kwargs or {}
        devices = {t.device.type for t in tree_leaves((args, kwargs))
                   if isinstance(t, torch.Tensor) and (t.device.type == "meta" or t.dim() > 0)}
        if {"meta", "cpu"} <= devices and func._schema.name not in _TAKES_ANY_DEVICE:
            self.mixed.append(str(func))
        if func.has_kernel_for_dispatch_key(_COMPOSITE):  # e.g. .to() and .item() under inference_mode
            with self:  # its parts (_to_copy, _local_scalar_dense) come back here
                result = func.decompose(*args, **kwargs)
            if result is not NotImplemented:
                return result
        source = args[0] if args and isinstance(args[0], torch.Tensor) else None
        if func is _aten._to_copy.default and source is not None and source.device.type == "meta" \
                and torch.device(kwargs.get("device") or "meta").type == "cpu":
            return torch.ones(source.shape, dtype=kwargs.get("dtype") or source.dtype)
        if func is _aten.copy_.default and source is not None and source.device.type == "cpu" \
                and args[1].device.type == "meta":
            return source.fill_(1)
        if func is _aten._local_scalar_dense.default and source is not None and source.device.type == "meta":
            return True if source.dtype is torch.bool else 1
        return func(*args, **kwargs)


def expect_stays_on_device(fn: Callable[..., Any], *args: Any, what: T, help: T | None = None,
                           example: str | T | None = None, **kwargs: Any) -> Any:
    """On every machine, GPU or not: with its tensor arguments on the "meta" device (standing
    for a GPU, see `MetaAsGpu`), `fn` must return its tensors on that device and never give
    one operation tensors on two devices (a `torch.tensor(...)`/`torch.zeros(...)` made on the
    cpu and combined with the inputs is the classic mistake). Returns fn's result.

        expect_stays_on_device(ex.pad_collate, batch, what=T(ja="pad_collate", en="pad_collate"))
    """
    meta = torch.device("meta")
    moved_args, moved_kwargs = tree_map(lambda t: _to_device(t, meta), (args, kwargs))
    result = None
    with showing(example):
        with MetaAsGpu() as gpu:
            try:
                result = fn(*moved_args, **moved_kwargs)
            except (RuntimeError, NotImplementedError) as exc:
                if gpu.mixed:  # a GPU refuses the mixed operation too: say which one, as below
                    pass
                elif _meta_cannot(exc):
                    skip(_CANNOT_TELL)
                else:
                    raise
    stray = sorted({t.device.type for t in tree_leaves(result) if isinstance(t, torch.Tensor)} - {"meta"})
    problem = None
    if gpu.mixed:
        problem = T(ja=f"{what.ja}: GPU 上の入力と cpu 上のテンソルが同じ演算に渡されました（{gpu.mixed[0]}）",
                    en=f"{what.en}: one operation was given GPU inputs and cpu tensors ({gpu.mixed[0]})")
    elif stray:
        problem = T(ja=f"{what.ja}: 入力は GPU 上なのに、結果が {stray[0]} 上に作られました",
                    en=f"{what.en}: the inputs are on a GPU but a result was made on the {stray[0]}")
    if problem is not None:
        raise Failure(problem, help or T(
            ja="新しいテンソルは入力と同じデバイスに作ります（device=x.device、x.new_full(...)、torch.zeros_like(x)）",
            en="make new tensors on the inputs' device (device=x.device, x.new_full(...), torch.zeros_like(x))"),
            counterexample=example)
    return result


_CANNOT_TELL = T(
    ja="この実装は、GPU の代わりに使う meta デバイスでは実行できない演算（要素の値で形が決まる nonzero、"
       "ブールマスクでの添字、.item()、.tolist() など）を使っているため、GPU に置いたときのデバイスの扱いは"
       "この環境では確かめられません（このチェックは満点に含まれません）",
    en="this code uses an operation the meta device (standing in for a GPU) cannot run (nonzero and boolean-mask "
       "indexing, whose shape depends on the values, .item(), .tolist() ...), so its device handling on a GPU "
       "cannot be checked here (this check does not count toward the maximum)")


def _meta_cannot(exc: BaseException) -> bool:
    """The meta device's own limit (an operation that needs the values), not the code's mistake:
    a real GPU runs it."""
    text = str(exc)
    return "meta" in text.lower() or "no data" in text or "data-independent" in text


def _to_device(value: Any, device: torch.device) -> Any:
    if isinstance(value, torch.Tensor):
        moved = value.detach().to(device)
        return moved.requires_grad_(value.requires_grad) if moved.dtype.is_floating_point else moved
    return value
