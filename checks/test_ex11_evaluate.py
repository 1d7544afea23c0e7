"""Checks for exercise 11: get_device, move_to and evaluate (device-agnostic evaluation).

Where the contract is silent, these checks decide as follows (so every submission is graded alike):
- get_device must return a `torch.device` (the contract's return type): a string such as "cpu" fails the
  type check only; the checks of which device is chosen accept anything `torch.device(...)` understands.
  The CUDA branch is checked without a GPU by simulating one: `torch.cuda.is_available`,
  `device_count`, `current_device`, `get_device_name` and `torch.accelerator.*` are patched and the file is
  imported afresh (so a device chosen at import time is fine too). Apple's MPS is not required either way:
  the simulations report it absent. Both simulations are a PyTorch built with CUDA (`torch.backends.cuda.
  is_built()`, `torch.version.cuda`), as on any machine that can have a GPU, so `is_built() and
  is_available()` is right and `is_built()` alone is wrong whatever build runs the checks; the GPU's
  description (`get_device_properties`, `get_device_capability`) and `torch.cuda.set_device` work on the
  simulated GPU, since printing which GPU is used is common.
- move_to is checked with the "meta" device, so real moving is visible without a GPU; the device is always
  passed as a `torch.device`. Containers are exactly dict, list and tuple (namedtuple, set, OrderedDict are
  not required); a dict keeps its keys, in any order (dicts compare equal whatever the order). A leaf that
  is not a tensor must come back as the very same object. Whether the caller's own containers are modified
  is not graded (building new ones is the usual way).
- evaluate is given real DataLoaders (so `len(loader.dataset)` exists) and a model already on the device.
  Values are compared with a float64 computation from the very logits the model produces, with float32
  tolerances. "All samples" are the samples the loader yields: with a sampler over part of the dataset,
  dividing by `len(loader.dataset)` is wrong (its own 1-point check).
- Modes: only whole-model train or eval is checked, so `model.train(was_training)` is accepted (per-module
  mixed modes are not graded), and the mode after a ValueError is not graded. `torch.inference_mode()` is
  accepted in place of `torch.no_grad()` (both disable gradients).
- Moving the whole batch (inputs and labels) is checked without a GPU too: the model is put on the "meta"
  device, which stands for a GPU (checks.devices.MetaAsGpu: copies to the cpu and numbers read from it
  succeed, values meaningless), and no operation inside evaluate may be given tensors on both meta and the
  cpu. Computing the loss on the cpu after `logits.cpu()` is accepted (nothing is mixed).
- Results must be Python floats (numpy.float64, a float subclass, is accepted). The value checks also read a
  0-d tensor, so that a wrong type costs only the type check.
- Every check of evaluate that is about one property (the samples counted, eval mode, tuple batches, the
  result's type, devices) also compares the values with the exact ones, on batches of equal size: a result
  that is wrong everywhere cannot collect their points, while the classic mean of per-batch means (right on
  equal batches) costs only the two value checks.
"""

from __future__ import annotations

import math
import sys
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch.utils.data import DataLoader, TensorDataset, default_collate

from checks import strategies as draw
from checks.compare import as_numpy, expect_close, expect_equal_arrays
from checks.devices import MetaAsGpu, expect_parity, on_every_device
from checks.feedback import CheckFailure, Failure, Mismatch, T, expect, expect_raises, show
from checks.submission import student

STEM = "ex11_evaluate"
ex = student(STEM)

CPU = torch.device("cpu")
META = torch.device("meta")  # a second device that exists everywhere: tensors on it have no data

# Captured before any student code runs: a submission cannot change how expectations are computed.
_cross_entropy = F.cross_entropy
_is_grad_enabled = torch.is_grad_enabled
_no_grad = torch.no_grad
_Tensor = torch.Tensor
_device_type = torch.device

# Iterate a DataLoader once now, at collection: torch fills some lazy module-level caches on the first
# iteration (e.g. torch.autograd.profiler's monitor hook), which the grader's tamper guard would otherwise
# see appear while the learner's code runs.
next(iter(DataLoader(TensorDataset(torch.zeros(1)), batch_size=1)))

# ---------------------------------------------------------------------------------------------
# Shared texts (ideas to revisit)

HELP_DEVICE = T(ja='torch.device("cuda" if torch.cuda.is_available() else "cpu") の形で選びます',
                en='choose it as torch.device("cuda" if torch.cuda.is_available() else "cpu")')
HELP_MOVE = T(ja="テンソルなら .to(device)、dict / list / tuple なら中身に move_to を再帰的に適用し、"
                 "同じ種類の入れ物に詰め直します。それ以外はそのまま返します",
              en="a tensor: .to(device); a dict / list / tuple: apply move_to to each item recursively and "
                 "rebuild the same kind of container; anything else: return it as it is")
HELP_WEIGHTING = T(ja="バッチごとに損失の合計（reduction=\"sum\"、または平均 × バッチの大きさ）と件数を足し上げ、"
                      "最後に総サンプル数で割ります。最後のバッチは短いことがあります",
                   en="add up each batch's summed loss (reduction=\"sum\", or mean × batch size) and its sample "
                      "count, then divide by the total number of samples once at the end; the last batch may "
                      "be shorter")
HELP_ACCURACY = T(ja="logits.argmax(dim=1) == y の個数を全バッチで数え、総サンプル数で割ります（0〜1 の割合）",
                  en="count logits.argmax(dim=1) == y over all batches and divide by the total number of "
                     "samples (a fraction between 0 and 1)")
HELP_EVAL = T(ja="model.eval() で Dropout と BatchNorm が推論用の動作になります。"
                 "呼び出し前の model.training を覚えておき、最後に model.train(その値) で戻します",
              en="model.eval() puts Dropout and BatchNorm in inference behaviour; remember model.training "
                 "before and call model.train(that value) at the end")
HELP_NO_GRAD = T(ja="推論は with torch.no_grad(): の中で行います（計算グラフを作らず、メモリも節約できます）",
                 en="run the forward passes inside `with torch.no_grad():` (no graph is built, memory is saved)")

# ---------------------------------------------------------------------------------------------
# Models and loaders built by the checks


class _Log(list):
    """Records shared with deep copies of the model (a submission may evaluate a copy)."""

    def __deepcopy__(self, memo: dict) -> "_Log":
        return self


class Probe(nn.Module):
    """An identity layer that records, at each call, its own training flag and the grad mode."""

    def __init__(self, log: _Log) -> None:
        super().__init__()
        self.log = log

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.log.append((self.training, _is_grad_enabled()))
        return x


class LogitsModel(nn.Module):
    """forward(x) = x * scale with scale = 1: the inputs are the logits, known exactly."""

    def __init__(self) -> None:
        super().__init__()
        self.scale = nn.Parameter(torch.ones(()))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.scale


def _logits_and_labels(n: int, classes: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(n, classes, generator=g) * 3
    labels = torch.randint(0, classes, (n,), generator=g)
    return logits, labels


def _loader(x: torch.Tensor, y: torch.Tensor, batch_size: int, *, tuples: bool = False,
            sampler: Any = None) -> DataLoader:
    """A DataLoader in order; its batches are lists (the default collate) or tuples."""
    collate = (lambda batch: tuple(default_collate(batch))) if tuples else None
    return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=False, sampler=sampler,
                      collate_fn=collate)


def _mlp(features: int, classes: int, seed: int) -> nn.Module:
    """Linear → BatchNorm → ReLU → Dropout → Linear, in train mode, with running statistics far from
    the batch statistics so that eval and train behaviour differ visibly."""
    g = torch.Generator().manual_seed(seed)
    model = nn.Sequential(nn.Linear(features, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.5),
                          nn.Linear(8, classes))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g))
        model[1].running_mean.copy_(torch.randn(8, generator=g) * 2)
        model[1].running_var.copy_(torch.rand(8, generator=g) + 0.5)
    return model.train()


def _probed_model(log: _Log, features: int = 4, classes: int = 3) -> nn.Module:
    """A Linear and a Probe: the same function in either mode, so its results isolate the mode checks."""
    g = torch.Generator().manual_seed(11)
    model = nn.Sequential(nn.Linear(features, classes), Probe(log))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g))
    return model


def _probe_data(n: int = 10, features: int = 4, classes: int = 3) -> DataLoader:
    g = torch.Generator().manual_seed(5)
    return _loader(torch.randn(n, features, generator=g), torch.randint(0, classes, (n,), generator=g), 5)


# ---------------------------------------------------------------------------------------------
# Expected values and reading the learner's result


def _expected(logits: torch.Tensor, labels: torch.Tensor) -> tuple[float, float]:
    """Mean cross-entropy and accuracy over all samples, in float64."""
    l64 = logits.detach().to(torch.float64)
    loss = float(_cross_entropy(l64, labels, reduction="mean"))
    accuracy = float((l64.argmax(dim=1) == labels).to(torch.float64).mean())
    return loss, accuracy


def _per_batch_means(logits: torch.Tensor, labels: torch.Tensor, batch_size: int) -> tuple[float, float]:
    """What 'the mean of the per-batch means' gives (the classic mistake), for the message."""
    losses, accs = [], []
    for start in range(0, len(labels), batch_size):
        loss, acc = _expected(logits[start:start + batch_size], labels[start:start + batch_size])
        losses.append(loss)
        accs.append(acc)
    return sum(losses) / len(losses), sum(accs) / len(accs)


def _eval_logits(model: nn.Module, loader: DataLoader) -> torch.Tensor:
    """The model's logits in eval mode, batch by batch exactly as evaluate sees them; mode restored."""
    was_training = model.training
    model.eval()
    with torch.no_grad():
        out = torch.cat([model(x) for x, _ in loader])
    model.train(was_training)
    return out


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-5 + 1e-4 * abs(b)


def _evaluate(model: nn.Module, loader: Any, device: torch.device = CPU) -> Any:
    return ex.evaluate(model, loader, device)


def _value(result: Any, key: str) -> float:
    """result[key] as a Python float for the value checks; the exact type has its own check."""
    if not isinstance(result, dict):
        raise Failure(
            T(ja=f"evaluate は dict を返す必要がありますが {type(result).__name__} が返されました: {show(result)}",
              en=f"evaluate must return a dict, but returned {type(result).__name__}: {show(result)}"),
            T(ja='return {"loss": ..., "accuracy": ...} の形で返します',
              en='return {"loss": ..., "accuracy": ...}'),
        )
    plain = dict.copy(result)
    if key not in plain:
        raise Failure(
            T(ja=f'evaluate の戻り値にキー "{key}" がありません（キー: {sorted(map(repr, plain))}）',
              en=f'the dict evaluate returns has no key "{key}" (keys: {sorted(map(repr, plain))})'),
            T(ja='キーは "loss" と "accuracy" です', en='the keys are "loss" and "accuracy"'),
        )
    arr = as_numpy(plain[key], T(ja=f'result["{key}"]', en=f'result["{key}"]'))
    if arr.size != 1 or arr.dtype.kind not in "biuf":
        raise Failure(
            T(ja=f'result["{key}"] は 1 つの数値であるべきですが {show(plain[key])} でした',
              en=f'result["{key}"] should be a single number, got {show(plain[key])}'),
            T(ja="全サンプルで平均した 1 つの値を返します", en="return one value averaged over all samples"),
        )
    return float(arr.reshape(()))


# ---------------------------------------------------------------------------------------------
# get_device


_SIMULATED_CUDA_VERSION = "12.4"
# What torch.cuda.get_device_properties describes, for a submission that prints which GPU it uses.
_SIMULATED_GPU = SimpleNamespace(name="Simulated GPU", major=8, minor=0, total_memory=80 * 2**30,
                                 multi_processor_count=108)


def _simulate(monkeypatch: pytest.MonkeyPatch, cuda: bool) -> None:
    """Make this process look like a machine with one CUDA device (or with no accelerator at all),
    then drop the learner's module so that it is imported afresh under the simulation."""
    # A CUDA build in both cases (a CPU-only build can never have a GPU): is_built() says nothing of a GPU.
    monkeypatch.setattr(torch.backends.cuda, "is_built", lambda: True)
    monkeypatch.setattr(torch.version, "cuda", torch.version.cuda or _SIMULATED_CUDA_VERSION)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1 if cuda else 0)
    if cuda:
        monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
        monkeypatch.setattr(torch.cuda, "set_device", lambda device: None)
        monkeypatch.setattr(torch.cuda, "get_device_name", lambda device=None: _SIMULATED_GPU.name)
        monkeypatch.setattr(torch.cuda, "get_device_properties", lambda device=None: _SIMULATED_GPU)
        monkeypatch.setattr(torch.cuda, "get_device_capability",
                            lambda device=None: (_SIMULATED_GPU.major, _SIMULATED_GPU.minor))
    mps = getattr(torch.backends, "mps", None)
    if mps is not None:
        monkeypatch.setattr(mps, "is_available", lambda: False)
    accelerator = getattr(torch, "accelerator", None)
    if accelerator is not None:
        monkeypatch.setattr(accelerator, "is_available", lambda: cuda)
        monkeypatch.setattr(accelerator, "device_count", lambda: 1 if cuda else 0)
        monkeypatch.setattr(accelerator, "current_accelerator",
                            lambda check_available=False: _device_type("cuda") if cuda else None)
        if cuda:
            monkeypatch.setattr(accelerator, "current_device_index", lambda: 0)
    sys.modules.pop(STEM, None)


def _device_under_simulation(monkeypatch: pytest.MonkeyPatch, cuda: bool) -> Any:
    situation = (T(ja="CUDA の GPU が 1 台ある環境を模擬して", en="on a simulated machine with one CUDA GPU")
                 if cuda else T(ja="GPU のない環境を模擬して", en="on a simulated machine without a GPU"))
    try:
        _simulate(monkeypatch, cuda)
        get_device = ex.get_device  # imports the file afresh, under the simulation
        try:
            return get_device()
        except (NotImplementedError, CheckFailure):
            raise
        except Exception as exc:
            raise Failure(
                T(ja=f"{situation.ja} get_device() を呼ぶと {type(exc).__name__}: {exc} が送出されました",
                  en=f"{situation.en}, get_device() raised {type(exc).__name__}: {exc}"),
                T(ja="get_device はデバイスを選んで返すだけにします（GPU の情報表示などは不要）",
                  en="get_device only chooses and returns the device (no GPU queries or printing needed)"),
            ) from None
    finally:
        sys.modules.pop(STEM, None)  # later checks import the file under the real conditions


def _as_device(value: Any) -> torch.device | None:
    try:
        return _device_type(value) if isinstance(value, (str, _device_type)) else None
    except (RuntimeError, TypeError, ValueError):
        return None


@pytest.mark.points(1)
def test_get_device_returns_a_torch_device() -> None:
    """get_device() returns a torch.device (not a string) on which this machine can create tensors."""
    device = ex.get_device()
    if not isinstance(device, _device_type):
        raise Mismatch("torch.device", f"{type(device).__name__}: {show(device)}",
                       T(ja='文字列 "cuda" ではなく torch.device("cuda") を返します',
                         en='return torch.device("cuda"), not the string "cuda"'),
                       what=T(ja="get_device() の戻り値の型", en="the type of get_device()'s result"))
    try:
        torch.zeros(1, device=device)
    except Exception as exc:
        raise Failure(
            T(ja=f"get_device() が返した {device} にテンソルを作れません（{type(exc).__name__}: {exc}）",
              en=f"no tensor can be created on {device}, the device get_device() returned "
                 f"({type(exc).__name__}: {exc})"),
            HELP_DEVICE,
        ) from None


@pytest.mark.points(1)
def test_get_device_uses_cpu_without_cuda(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a machine without CUDA, get_device() chooses the cpu."""
    device = _device_under_simulation(monkeypatch, cuda=False)
    chosen = _as_device(device)
    if chosen is None or chosen.type != "cpu":
        raise Mismatch('torch.device("cpu")', show(device), HELP_DEVICE,
                       what=T(ja="GPU のない環境での get_device()", en="get_device() on a machine without a GPU"))


@pytest.mark.points(1)
def test_get_device_uses_cuda_when_available(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a machine with a CUDA GPU, get_device() chooses cuda."""
    device = _device_under_simulation(monkeypatch, cuda=True)
    chosen = _as_device(device)
    if chosen is None or chosen.type != "cuda":
        raise Mismatch('torch.device("cuda")', show(device), HELP_DEVICE,
                       what=T(ja="CUDA が使える環境での get_device()",
                              en="get_device() on a machine where CUDA is available"))


# ---------------------------------------------------------------------------------------------
# move_to

_DTYPES = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16,
           "int64": torch.int64, "int32": torch.int32, "uint8": torch.uint8, "bool": torch.bool}


def _make_tensor(dtype: str, shape: list[int]) -> torch.Tensor:
    n = math.prod(shape)
    return (torch.arange(n) % 5).reshape(shape).to(_DTYPES[dtype])


class Opaque:
    """A user object that is not a tensor (it must come back untouched)."""

    def __init__(self, tag: int) -> None:
        self.tag = tag

    def __repr__(self) -> str:
        return f"Opaque({self.tag})"


_tensor_leaves = st.builds(_make_tensor, st.sampled_from(sorted(_DTYPES)),
                           st.lists(st.integers(0, 3), max_size=2))
_other_leaves = st.one_of(
    st.none(), st.booleans(), st.integers(-9, 9), st.floats(-2, 2, allow_nan=False),
    st.text(alphabet="abcxyz", min_size=1, max_size=3),
    st.builds(lambda n: np.arange(n, dtype=np.float32), st.integers(0, 3)),
    st.builds(Opaque, st.integers(0, 9)),
)
_keys = st.one_of(st.text(alphabet="abcxyz", min_size=1, max_size=3), st.integers(0, 9))


def _containers(leaves: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Nested dict / list / tuple structures (at least one container) over the given leaves."""
    def nest(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(st.lists(children, max_size=3), st.lists(children, max_size=3).map(tuple),
                         st.dictionaries(_keys, children, max_size=3))
    return nest(st.recursive(leaves, nest, max_leaves=8))


def _describe(value: Any) -> str:
    """A short description that never reads a tensor's data (tensors on "meta" have none)."""
    if isinstance(value, _Tensor):
        return f"tensor(device={value.device}, dtype={value.dtype}, shape={tuple(value.shape)})"
    return f"{type(value).__name__}: {show(value)}"


def _walk(original: Any, result: Any, path: str, problems: list[tuple[str, str, str]], device: torch.device) -> None:
    """Compare a structure with what move_to returned; record (kind, path, detail) problems.
    Kinds: "structure" (not a container of the same length / keys: the contents cannot be aligned),
    "container" (a container of another type, e.g. a list for a tuple), "tensor" (not moved, or changed),
    "other" (a non-tensor replaced)."""
    if isinstance(original, _Tensor):
        if not isinstance(result, _Tensor):
            problems.append(("tensor", path, _describe(result)))
        elif result.device.type != device.type or result.dtype != original.dtype or result.shape != original.shape:
            problems.append(("tensor", path, f"{_describe(result)} (original: dtype={original.dtype}, "
                                             f"shape={tuple(original.shape)})"))
        return
    if isinstance(original, dict):
        if not isinstance(result, dict) or set(dict.keys(result)) != set(original.keys()):
            problems.append(("structure", path, _describe(result)))
            return
        if type(result) is not dict:
            problems.append(("container", path, f"{type(result).__name__} instead of dict"))
        for key, value in original.items():
            _walk(value, dict.__getitem__(result, key), f"{path}[{key!r}]", problems, device)
        return
    if isinstance(original, (list, tuple)):
        if not isinstance(result, (list, tuple)) or len(result) != len(original):
            problems.append(("structure", path, _describe(result)))
            return
        if type(result) is not type(original):
            problems.append(("container", path, f"{type(result).__name__} instead of {type(original).__name__}"))
        for i, (a, b) in enumerate(zip(original, result)):
            _walk(a, b, f"{path}[{i}]", problems, device)
        return
    if result is not original:
        problems.append(("other", path, f"{_describe(result)} (original: {_describe(original)})"))


def _move_problems(obj: Any, device: torch.device) -> list[tuple[str, str, str]]:
    result = ex.move_to(obj, device)
    problems: list[tuple[str, str, str]] = []
    _walk(obj, result, "obj", problems, device)
    return problems


def _fail_on(problems: list[tuple[str, str, str]], kinds: tuple[str, ...], message: T, help: T) -> None:
    """Fail with the first problem of the given kinds; a changed structure counts for every check,
    since nothing inside it can be compared."""
    for kind, path, detail in problems:
        if kind in kinds or kind == "structure":
            what = message if kind in kinds else T(ja="入れ物の形が変わっていて中身を比べられません",
                                                   en="the container changed, so its contents cannot be compared")
            raise Failure(T(ja=f"{what.ja} — move_to(obj) の {path}: {detail}",
                            en=f"{what.en} — {path} in move_to(obj): {detail}"), help)


@pytest.mark.points(1)
def test_move_to_moves_a_tensor() -> None:
    """A bare tensor is moved to the device with its dtype and shape, and moving to its own device keeps
    its values."""
    for dtype in ("float32", "int64", "bool"):
        t = _make_tensor(dtype, [2, 3])
        moved = ex.move_to(t, META)
        if not isinstance(moved, _Tensor) or moved.device.type != "meta" or moved.dtype != t.dtype \
                or moved.shape != t.shape:
            described = (f"device={moved.device}, dtype={moved.dtype}, shape={tuple(moved.shape)}"
                         if isinstance(moved, _Tensor) else f"{type(moved).__name__}: {show(moved)}")
            raise Mismatch(f"device=meta, dtype={t.dtype}, shape={tuple(t.shape)}", described, HELP_MOVE,
                           what=T(ja='move_to(tensor, torch.device("meta")) の結果',
                                  en='the result of move_to(tensor, torch.device("meta"))'),
                           counterexample=f"tensor = {show(t)}")
        same = ex.move_to(t, CPU)
        if not isinstance(same, _Tensor) or same.dtype != t.dtype:
            raise Mismatch(f"a {t.dtype} tensor", show(same), HELP_MOVE,
                           what=T(ja='move_to(tensor, torch.device("cpu")) の結果',
                                  en='the result of move_to(tensor, torch.device("cpu"))'),
                           counterexample=f"tensor = {show(t)}")
        expect_equal_arrays(same, t, T(ja='move_to(tensor, torch.device("cpu")) の値',
                                       en='the values of move_to(tensor, torch.device("cpu"))'),
                            T(ja="移動でテンソルの値や dtype を変えてはいけません（.float() などは不要）",
                              en="moving must not change a tensor's values or dtype (no .float() and the like)"),
                            counterexample=f"tensor = {show(t)}")


@pytest.mark.points(2)
@settings(max_examples=30)
@given(obj=_containers(_tensor_leaves))
def test_move_to_moves_every_nested_tensor(obj: Any) -> None:
    """Every tensor inside nested dicts, lists and tuples reaches the device, with its dtype and shape."""
    _fail_on(_move_problems(obj, META), ("tensor",),
             T(ja="デバイスに移っていない（または変わってしまった）テンソルがあります",
               en="a tensor was not moved to the device (or was changed)"),
             HELP_MOVE)


@pytest.mark.points(2)
@settings(max_examples=30)
@given(obj=_containers(st.one_of(_tensor_leaves, _other_leaves)))
def test_move_to_keeps_container_types(obj: Any) -> None:
    """Tuples stay tuples, lists stay lists, dicts stay dicts with the same keys, nothing is dropped."""
    problems = [p for p in _move_problems(obj, META) if p[0] in ("structure", "container")]
    if problems:
        _, path, detail = problems[0]
        raise Failure(
            T(ja=f"入れ物の種類か中身の数・キーが変わりました — move_to(obj) の {path}: {detail}",
              en=f"a container changed kind, length or keys — {path} in move_to(obj): {detail}"),
            T(ja="tuple は tuple(...)、list は [...]、dict は {k: ... for k, v in obj.items()} で作り直し、"
                 "テンソル以外の要素も捨てずに入れます",
              en="rebuild a tuple with tuple(...), a list with [...], a dict with {k: ... for k, v in obj.items()}, "
                 "and keep the items that are not tensors"),
        )


@pytest.mark.points(1)
@settings(max_examples=30)
@given(obj=_containers(st.one_of(_tensor_leaves, _other_leaves)))
def test_move_to_leaves_non_tensors_alone(obj: Any) -> None:
    """Values that are not tensors (numbers, strings, None, NumPy arrays, objects) come back as the very
    same objects."""
    _fail_on(_move_problems(obj, META), ("other",),
             T(ja="テンソルでない値が別のものに置き換わりました",
               en="a value that is not a tensor was replaced"),
             T(ja="テンソル以外（NumPy 配列や文字列も）は変換もコピーもせず、そのまま返します",
               en="return anything that is not a tensor (NumPy arrays and strings included) as it is: "
                  "no conversion, no copy"))


# ---------------------------------------------------------------------------------------------
# evaluate: the numbers


@pytest.mark.points(2)
@settings(max_examples=30)
@given(n=st.integers(1, 23), batch_size=draw.batch_sizes(1, 8), classes=st.integers(2, 6), seed=draw.seeds())
@example(n=5, batch_size=2, classes=3, seed=0)
def test_loss_is_mean_over_all_samples(n: int, batch_size: int, classes: int, seed: int) -> None:
    """`loss` is the cross-entropy averaged over every sample, whatever the batch sizes (short last batch
    included)."""
    logits, labels = _logits_and_labels(n, classes, seed)
    expected, _ = _expected(logits, labels)
    batch_means, _ = _per_batch_means(logits, labels, batch_size)
    actual = _value(_evaluate(LogitsModel(), _loader(logits, labels, batch_size)), "loss")
    if _near(actual, batch_means) and not _near(expected, batch_means):
        raise Mismatch(expected, actual, HELP_WEIGHTING,
                       what=T(ja="loss（バッチごとの平均をさらに平均した値になっています。"
                                 "短い最後のバッチのサンプルが重く数えられます）",
                              en="loss (it is the mean of the per-batch means, which gives the samples of "
                                 "the short last batch more weight)"))
    expect_close(actual, expected, T(ja="loss（全サンプルの交差エントロピーの平均）",
                                     en="loss (mean cross-entropy over all samples)"),
                 T(ja=f"{HELP_WEIGHTING.ja}。モデルの出力はロジットなので、softmax を挟まず F.cross_entropy に渡します",
                   en=f"{HELP_WEIGHTING.en}. The model outputs logits: pass them to F.cross_entropy "
                      f"without a softmax"),
                 rtol=1e-4, atol=1e-5)


@pytest.mark.points(2)
@settings(max_examples=30)
@given(n=st.integers(1, 23), batch_size=draw.batch_sizes(1, 8), classes=st.integers(2, 6), seed=draw.seeds())
@example(n=5, batch_size=2, classes=3, seed=1)
def test_accuracy_is_fraction_correct(n: int, batch_size: int, classes: int, seed: int) -> None:
    """`accuracy` is the fraction of all samples whose largest logit is the label (between 0 and 1)."""
    logits, labels = _logits_and_labels(n, classes, seed)
    _, expected = _expected(logits, labels)
    _, batch_means = _per_batch_means(logits, labels, batch_size)
    actual = _value(_evaluate(LogitsModel(), _loader(logits, labels, batch_size)), "accuracy")
    if expected > 0 and _near(actual, 100 * expected):
        raise Mismatch(expected, actual, HELP_ACCURACY,
                       what=T(ja="accuracy（パーセントになっています。0〜1 の割合で返します）",
                              en="accuracy (it is in percent; return a fraction between 0 and 1)"))
    if _near(actual, batch_means) and not _near(expected, batch_means):
        raise Mismatch(expected, actual, HELP_ACCURACY,
                       what=T(ja="accuracy（バッチごとの正解率を平均した値になっています。"
                                 "短い最後のバッチが重く数えられます）",
                              en="accuracy (it is the mean of the per-batch accuracies, which gives the "
                                 "short last batch more weight)"))
    expect_close(actual, expected, T(ja="accuracy（正解したサンプルの割合）", en="accuracy (fraction correct)"),
                 HELP_ACCURACY, rtol=1e-6, atol=1e-9)


def _expect_values(actual: Any, logits: torch.Tensor, labels: torch.Tensor, what: T, help: T,
                   counterexample: str) -> None:
    """loss and accuracy equal to those of these logits and labels, computed here in float64. The checks
    that use it draw batches of equal size, so that each isolates one property: the mean of per-batch
    means is right there, and is graded by the two value checks above."""
    for key, expected, (rtol, atol) in zip(("loss", "accuracy"), _expected(logits, labels),
                                           ((1e-4, 1e-5), (1e-6, 1e-9))):
        expect_close(_value(actual, key), expected, T(ja=f"{key}{what.ja}", en=f"{key} {what.en}"), help,
                     rtol=rtol, atol=atol, counterexample=counterexample)


@pytest.mark.points(1)
def test_counts_the_samples_the_loader_yields() -> None:
    """The averages are over the samples the loader actually yields: with a sampler that picks 6 of the
    dataset's 12 samples, evaluate gives the loss and accuracy of those 6 (not a division by
    len(loader.dataset))."""
    logits, labels = _logits_and_labels(12, 4, seed=3)
    picked = [0, 2, 3, 5, 8, 11]
    with_sampler = _evaluate(LogitsModel(), _loader(logits, labels, 3, sampler=picked))
    _expect_values(with_sampler, logits[picked], labels[picked],
                   T(ja="（sampler で 12 件中 6 件を選んだ loader）", en="(a loader whose sampler picks 6 of 12 samples)"),
                   T(ja="サンプル数は len(loader.dataset) ではなく、実際に受け取ったバッチの y.size(0) を足して数えます"
                        "（sampler でデータセットの一部だけを評価することがあります）",
                     en="count the samples as the sum of y.size(0) over the batches received, not len(loader.dataset) "
                        "(a sampler may evaluate only part of the dataset)"),
                   "DataLoader(TensorDataset(x, y), batch_size=3, sampler=[0, 2, 3, 5, 8, 11])  # len(x) == 12")


@pytest.mark.points(1)
@settings(max_examples=10)
@given(batches=st.integers(1, 3), batch_size=draw.batch_sizes(1, 5), seed=draw.seeds())
@example(batches=3, batch_size=1, seed=0)
def test_results_are_those_of_eval_mode(batches: int, batch_size: int, seed: int) -> None:
    """For a model with Dropout and BatchNorm handed over in train mode, evaluate gives the loss and
    accuracy of that model's logits in eval mode (dropout off, BatchNorm on its running statistics)."""
    n = batches * batch_size
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 5, generator=g)
    y = torch.randint(0, 3, (n,), generator=g)
    model = _mlp(5, 3, seed)
    loader = _loader(x, y, batch_size)
    eval_logits = _eval_logits(model, loader)  # computed by the check, before any learner code runs
    try:
        on_model = _evaluate(model, loader)
    except ValueError as exc:
        if "when training" not in str(exc):
            raise
        # BatchNorm refuses a batch of one sample in train mode: the model was not in eval mode.
        raise Failure(T(ja=f"学習モードの BatchNorm が 1 件だけのバッチを受け取り、エラーになりました（{exc}）",
                        en=f"BatchNorm in train mode received a batch of one sample and raised ({exc})"),
                      HELP_EVAL) from None
    _expect_values(on_model, eval_logits, y,
                   T(ja="（学習モードで渡したモデル。評価モードでの出力から計算した値と比較）",
                     en="(the model passed in train mode, compared with what its eval-mode outputs give)"),
                   HELP_EVAL,
                   f"nn.Sequential(Linear, BatchNorm1d, ReLU, Dropout(0.5), Linear).train(); "
                   f"DataLoader(TensorDataset(x, y), batch_size={batch_size})  # len(x) == {n}")


@pytest.mark.points(1)
def test_accepts_tuple_and_list_batches() -> None:
    """Batches may be (x, y) tuples as well as [x, y] lists: both give the right results."""
    logits, labels = _logits_and_labels(6, 3, seed=4)
    for tuples, kind in ((False, T(ja="list", en="list")), (True, T(ja="tuple", en="tuple"))):
        result = _evaluate(LogitsModel(), _loader(logits, labels, 3, tuples=tuples))
        _expect_values(result, logits, labels, T(ja=f"（{kind.ja} のバッチ）", en=f"({kind.en} batches)"),
                       T(ja="for x, y in loader: のように取り出します。バッチの中身をその場で書き換えると tuple では失敗します",
                         en="unpack with `for x, y in loader:`; assigning into the batch fails when it is a tuple"),
                       f"DataLoader(TensorDataset(x, y), batch_size=3{', collate_fn=lambda b: tuple(default_collate(b))' if tuples else ''})"
                       "  # len(x) == 6")


@pytest.mark.points(1)
def test_returns_two_python_floats() -> None:
    """evaluate returns a dict with exactly the keys "loss" and "accuracy", both Python floats (the right ones)."""
    logits, labels = _logits_and_labels(6, 3, seed=2)
    result = _evaluate(LogitsModel(), _loader(logits, labels, 3))
    if not isinstance(result, dict):
        raise Mismatch('{"loss": float, "accuracy": float}', f"{type(result).__name__}: {show(result)}",
                       T(ja='return {"loss": ..., "accuracy": ...} の形で返します',
                         en='return {"loss": ..., "accuracy": ...}'),
                       what=T(ja="evaluate の戻り値", en="what evaluate returns"))
    plain = dict.copy(result)
    keys = sorted(map(repr, plain))
    if keys != sorted(map(repr, ("loss", "accuracy"))) or set(map(type, plain)) != {str}:
        raise Mismatch("['accuracy', 'loss']", str(keys),
                       T(ja='キーは "loss" と "accuracy" の 2 つだけにします', en='use exactly the keys "loss" and "accuracy"'),
                       what=T(ja="戻り値の dict のキー", en="the keys of the returned dict"))
    for key in ("loss", "accuracy"):
        value = plain[key]
        if not isinstance(value, float):
            raise Mismatch("float", f"{type(value).__module__}.{type(value).__qualname__}: {show(value)}",
                           T(ja="テンソルは .item() で Python の数値にします（割り算は / で float になります）",
                             en="turn a tensor into a Python number with .item() (dividing with / gives a float)"),
                           what=T(ja=f'result["{key}"] の型', en=f'the type of result["{key}"]'))
    _expect_values(result, logits, labels, T(ja="（返された値）", en="(the value returned)"), HELP_WEIGHTING,
                   "DataLoader(TensorDataset(x, y), batch_size=3)  # len(x) == 6")


@pytest.mark.points(1)
def test_empty_loader_raises_value_error() -> None:
    """A loader that yields no samples raises ValueError (there is nothing to average)."""
    loader = _loader(torch.zeros(0, 3), torch.zeros(0, dtype=torch.long), 4)
    expect_raises(ValueError, _evaluate, LogitsModel(), loader,
                  what=T(ja="サンプルが 1 つもない loader", en="a loader with no samples"),
                  help=T(ja="ループの後で総サンプル数が 0 なら raise ValueError(...) とします"
                            "（0 で割る前に確かめます）",
                         en="after the loop, if the sample count is 0, raise ValueError(...) "
                            "(check before dividing by it)"))


# ---------------------------------------------------------------------------------------------
# evaluate: modes, gradients and side effects


def _probe_run(start_training: bool) -> tuple[nn.Module, _Log, Any]:
    log = _Log()
    model = _probed_model(log)
    model.train(start_training)
    loader = _probe_data()
    x, y = loader.dataset.tensors
    with _no_grad():
        logits = model[0](x)  # the Linear alone: the probe logs only the learner's calls
    result = _evaluate(model, loader)
    if not log:
        raise Failure(T(ja="evaluate の中でモデルが一度も呼ばれませんでした", en="evaluate never called the model"),
                      T(ja="各バッチで outputs = model(x) を計算します", en="compute outputs = model(x) for each batch"))
    _expect_values(result, logits, y, T(ja="（線形モデル）", en="(a linear model)"), HELP_WEIGHTING,
                   "DataLoader(TensorDataset(x, y), batch_size=5)  # len(x) == 10")
    return model, log, result


@pytest.mark.points(1)
def test_forward_runs_in_eval_mode() -> None:
    """Every forward pass inside evaluate sees the model (and all its layers) in eval mode."""
    _, log, _ = _probe_run(start_training=True)
    in_train = sum(1 for training, _ in log if training)
    expect(in_train == 0,
           T(ja=f"学習モードのまま推論しています（{len(log)} 回の forward のうち {in_train} 回で training=True）",
             en=f"the model ran in train mode ({in_train} of {len(log)} forward passes saw training=True)"),
           HELP_EVAL, counterexample='model.train(); evaluate(model, loader, torch.device("cpu"))')


@pytest.mark.points(1)
def test_forward_runs_without_grad() -> None:
    """Every forward pass inside evaluate runs with gradients disabled (torch.no_grad)."""
    _, log, _ = _probe_run(start_training=True)
    with_grad = sum(1 for _, grad in log if grad)
    expect(with_grad == 0,
           T(ja=f"勾配計算が有効なまま推論しています（{len(log)} 回の forward のうち {with_grad} 回）",
             en=f"gradients were enabled during {with_grad} of {len(log)} forward passes"),
           HELP_NO_GRAD)


@pytest.mark.points(1)
def test_grad_mode_is_restored() -> None:
    """After evaluate, the gradient mode is what it was before the call: enabled again when it was enabled,
    still disabled when evaluate was called inside `with torch.no_grad():`."""
    help = T(ja="torch.set_grad_enabled(False) / (True) で全体を切り替えるのではなく、with torch.no_grad(): "
                "ブロックを使うと抜けたときに元の状態に戻ります",
             en="rather than switching globally with torch.set_grad_enabled(False) / (True), use a "
                "`with torch.no_grad():` block, which restores the previous mode on exit")
    _probe_run(start_training=True)
    expect(_is_grad_enabled() is True,
           T(ja="evaluate の後も勾配計算が無効のままです（torch.is_grad_enabled() が False）",
             en="gradients stay disabled after evaluate (torch.is_grad_enabled() is False)"), help)
    with _no_grad():
        _probe_run(start_training=True)
        still_disabled = _is_grad_enabled() is False
    expect(still_disabled,
           T(ja="with torch.no_grad(): の中で呼んだ evaluate が、勾配計算を有効に戻してしまいました"
                "（呼び出し側のブロックの中なのに torch.is_grad_enabled() が True）",
             en="evaluate, called inside `with torch.no_grad():`, switched gradients back on "
                "(torch.is_grad_enabled() is True inside the caller's block)"),
           help, counterexample='with torch.no_grad(): evaluate(model, loader, torch.device("cpu"))')


@pytest.mark.points(1)
def test_train_mode_is_restored() -> None:
    """A model handed over in train mode is back in train mode (every layer) after evaluate."""
    model, _, _ = _probe_run(start_training=True)
    stuck = [name or "model" for name, m in model.named_modules() if not m.training]
    expect(not stuck,
           T(ja=f"学習モードで渡したモデルが評価モードのまま残っています（{', '.join(stuck)}）",
             en=f"a model passed in train mode is left in eval mode ({', '.join(stuck)})"),
           HELP_EVAL, counterexample='model.train(); evaluate(model, loader, torch.device("cpu"))')


@pytest.mark.points(1)
def test_eval_mode_is_kept() -> None:
    """A model handed over in eval mode stays in eval mode (every layer) after evaluate."""
    model, _, _ = _probe_run(start_training=False)
    switched = [name or "model" for name, m in model.named_modules() if m.training]
    expect(not switched,
           T(ja=f"評価モードで渡したモデルが学習モードに変わっています（{', '.join(switched)}）",
             en=f"a model passed in eval mode was switched to train mode ({', '.join(switched)})"),
           T(ja="最後に無条件で model.train() を呼ぶのではなく、呼び出し前の model.training に戻します",
             en="do not call model.train() unconditionally at the end: restore the model.training it had"),
           counterexample='model.eval(); evaluate(model, loader, torch.device("cpu"))')


@pytest.mark.points(1)
def test_model_is_not_changed() -> None:
    """Parameters and buffers (BatchNorm running statistics included) are unchanged by evaluate, no
    gradient is left behind and requires_grad flags are kept (and the results are right)."""
    g = torch.Generator().manual_seed(8)
    model = _mlp(5, 3, seed=8)
    loader = _loader(torch.randn(8, 5, generator=g), torch.randint(0, 3, (8,), generator=g), 4)
    eval_logits = _eval_logits(model, loader)
    before = {k: v.detach().clone() for k, v in model.state_dict().items()}
    flags = {k: p.requires_grad for k, p in model.named_parameters()}
    result = _evaluate(model, loader)
    help = T(ja="学習モードの BatchNorm は running_mean / running_var を更新します。評価では model.eval() と "
                "torch.no_grad() を使い、backward や optimizer.step は呼びません",
             en="BatchNorm in train mode updates running_mean / running_var; evaluation uses model.eval() and "
                "torch.no_grad(), and never calls backward or optimizer.step")
    after = model.state_dict()
    for key, value in before.items():
        expect_equal_arrays(after.get(key), value, T(ja=f"評価後のモデルの {key}", en=f"the model's {key} after evaluate"),
                            help)
    for key, p in model.named_parameters():
        expect(p.grad is None and p.requires_grad == flags[key],
               T(ja=f"パラメータ {key} の .grad または requires_grad が evaluate で変わりました",
                 en=f"evaluate changed the .grad or requires_grad of parameter {key}"),
               T(ja="requires_grad_(False) ではなく torch.no_grad() で勾配計算を止めます",
                 en="stop gradients with torch.no_grad(), not requires_grad_(False)"))
    _expect_values(result, eval_logits, loader.dataset.tensors[1], T(ja="（評価モードの出力から）", en="(from the eval-mode outputs)"),
                   HELP_EVAL, "DataLoader(TensorDataset(x, y), batch_size=4)  # len(x) == 8")


# ---------------------------------------------------------------------------------------------
# evaluate on every device


def _parity_model(device: torch.device) -> nn.Module:
    """Integer weights and inputs with a bias of distinct sixteenths: logits are exact on every device
    (TF32 included) and never tie, so the accuracy cannot differ by rounding. Dropout makes a model left in
    train mode give a different answer on every run."""
    g = torch.Generator().manual_seed(21)
    model = nn.Sequential(nn.Linear(6, 4), nn.Dropout(0.5))
    with torch.no_grad():
        model[0].weight.copy_(torch.randint(-3, 4, (4, 6), generator=g).float())
        model[0].bias.copy_(torch.arange(4).float() / 16)
    return model.to(device).train()


def _parity_loader() -> DataLoader:
    g = torch.Generator().manual_seed(22)
    x = torch.randint(-2, 3, (12, 6), generator=g).float()
    y = torch.randint(0, 4, (12,), generator=g)
    return _loader(x, y, 4)


@pytest.mark.points(1)
def test_whole_batch_goes_to_the_device() -> None:
    """With the model on another device (meta, standing for a GPU), evaluate hands the model its inputs on
    that device, and no operation is given tensors on that device together with tensors left on the cpu
    (the labels too are moved, or the logits brought back)."""
    model = _parity_model(META)
    seen: list[str] = []
    model.register_forward_pre_hook(lambda module, inputs: seen.append(inputs[0].device.type))
    with MetaAsGpu() as gpu:
        try:
            ex.evaluate(model, _parity_loader(), META)
        except (NotImplementedError, CheckFailure):
            raise
        except Exception:  # reported below when tensors were mixed; else the learner's own error
            if not gpu.mixed:
                raise
    counterexample = ('model.to(device); evaluate(model, DataLoader(TensorDataset(x, y), batch_size=4), device)'
                      '  # x, y on the cpu, device a GPU')
    expect(not gpu.mixed,
           T(ja=f"evaluate の中の演算 {gpu.mixed[0] if gpu.mixed else ''} に、GPU 上のテンソルと cpu に残ったテンソルが"
                "一緒に渡されました（GPU では「テンソルが別々のデバイスにある」エラーになります）",
             en=f"the operation {gpu.mixed[0] if gpu.mixed else ''} inside evaluate was given tensors on the GPU "
                "together with tensors left on the cpu (on a GPU: a \"tensors on different devices\" error)"),
           T(ja="x だけでなく y もデバイスへ移します。move_to(batch, device) ならバッチ全体が移ります",
             en="move y as well as x to the device; move_to(batch, device) moves the whole batch"),
           counterexample=counterexample)
    expect(bool(seen) and set(seen) == {"meta"},
           T(ja=f"モデルへの入力が GPU 上にありませんでした（入力のデバイス: {sorted(set(seen))}、空ならモデルが呼ばれていません）",
             en=f"the model's inputs were not on the GPU (their devices: {sorted(set(seen))}; "
                "none: the model was never called)"),
           HELP_MOVE, counterexample=counterexample)


@on_every_device
@pytest.mark.points(1)
def test_same_result_on_every_device(device: torch.device) -> None:
    """evaluate gives the right loss and accuracy on the cpu, and the same on this device (data moved by
    evaluate, model already on the device)."""
    counterexample = ("model.to(device).train(); evaluate(model, DataLoader(TensorDataset(x, y), batch_size=4), "
                      "device)  # x, y: 12 samples on the cpu")
    loader = _parity_loader()
    _expect_values(ex.evaluate(_parity_model(CPU), loader, CPU), _eval_logits(_parity_model(CPU), loader),
                   loader.dataset.tensors[1], T(ja="（cpu）", en="(on the cpu)"), HELP_EVAL, counterexample)

    def run(d: torch.device) -> list[float]:
        result = ex.evaluate(_parity_model(d), _parity_loader(), d)
        return [_value(result, "loss"), _value(result, "accuracy")]

    expect_parity(run, device, what=T(ja="[loss, accuracy]", en="[loss, accuracy]"),
                  help=T(ja="バッチを move_to(batch, device) で移し、評価モードで決定的に計算します",
                         en="move each batch with move_to(batch, device) and compute deterministically in eval mode"),
                  counterexample=counterexample)
