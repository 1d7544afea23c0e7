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
"""

from __future__ import annotations

from typing import Any, Callable

import pytest
import torch

from checks.compare import as_numpy, expect_close, tolerance_for
from checks.feedback import T, skip

DEVICES = ("cpu", "cuda", "mps")
_NAMES = {"cuda": "CUDA", "mps": "MPS"}

# Captured before student code runs: a submission cannot fake a GPU.
_cuda_available = torch.cuda.is_available
_mps_backend = getattr(torch.backends, "mps", None)


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


def require_device(name: str) -> torch.device:
    """The device, or a skip that says which one is missing."""
    if not device_available(name):
        label = _NAMES.get(name, name)
        skip(T(ja=f"{label} デバイスがありません（このチェックは満点に含まれません）",
               en=f"no {label} device (this check does not count toward the maximum)"))
    return torch.device(name)


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
