"""Checks for exercise 10: save_checkpoint / load_checkpoint and exact resumption.

Decisions where the contract is silent (as the usual tools do, and leniently):
- `path` is always given as a str (the contract does not type it).
- Extra keys in the checkpoint dict are allowed; the four required keys (and
  `scheduler_state_dict` exactly when a scheduler is given) are graded.
- "Atomic" is graded by what it promises, whatever the technique (a temporary file anywhere
  on the same file system, NamedTemporaryFile / mkstemp / a fixed name, written by torch.save
  or from bytes serialized in memory, then os.replace / os.rename / Path.replace): a save
  that fails part-way must leave the previous checkpoint at `path` loadable and unchanged.
  Two failures are simulated in the check process, without patching any library: (1) the
  model's state fails to serialize half-way through torch.save (a module whose
  `get_extra_state()` returns an object that cannot be pickled); (2) the disk fills up: the
  file-size limit of the process (RLIMIT_FSIZE, with SIGXFSZ ignored) is set between the old
  and the new checkpoint's size, so any write past it fails with an error. Whether
  save_checkpoint re-raises the error, and whether it removes its temporary file, is not
  graded (re-raising is better: the caller should know the save failed). (3) A successful
  save must not write into the file that `path` named before it (a reader holding the old
  file open still reads it whole): this is what catches "write a temporary file, then
  shutil.copyfile it over path", which no failure injection can, and it holds for every
  rename-based save.
- `map_location` must reach torch.load as its map_location: a callable map_location (which
  torch.load accepts) must be called. Real device moves are checked on every device.
- The checks of the file's form and of atomic saving also read back the epoch and loss each
  save was given: a file of the right form with the wrong contents collects none of their points.
- When a checkpoint without a scheduler is loaded with a scheduler, or the reverse, nothing
  is graded.
- "Restores everything given": loading into a model whose parameter names or shapes differ
  from the checkpoint's must raise (any exception; torch's load_state_dict raises
  RuntimeError), never return having restored part of the model or nothing
  (load_state_dict(..., strict=False), or keeping only the entries that fit).
- Neither function moves the caller's model (no model.cpu() / model.to("cpu") to get a
  device-free file). Seen without a GPU by a model on the "meta" device standing for one
  (checks.devices.MetaAsGpu): copies from it to the cpu succeed (as ones), so copying the
  state to the cpu is fine, and moving the model itself shows as a model left on the cpu.
"""

from __future__ import annotations

import copy
import io
import os
import resource
import signal
import sys
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Callable

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch.optim import lr_scheduler

from checks import strategies as draw
from checks.compare import expect_equal_arrays
from checks.devices import MetaAsGpu, on_every_device
from checks.feedback import Failure, Mismatch, T, expect, expect_equal, expect_raises, show
from checks.submission import student
from checks.warmup import warm_up_torch
from grader.plugin.determinism import seed_torch

ex = student("ex10_checkpoint_resume")


warm_up_torch()  # torch's first-use work, in the collecting process: see checks/warmup.py

REQUIRED_KEYS = ("epoch", "model_state_dict", "optimizer_state_dict", "loss")

# -- ideas to revisit -------------------------------------------------------------------
SAVE = T(
    ja="torch.save({\"epoch\": epoch, \"model_state_dict\": model.state_dict(), "
       "\"optimizer_state_dict\": optimizer.state_dict(), \"loss\": loss, ...}, path) の形で保存します",
    en="save torch.save({\"epoch\": epoch, \"model_state_dict\": model.state_dict(), "
       "\"optimizer_state_dict\": optimizer.state_dict(), \"loss\": loss, ...}, path)",
)
RESTORE = T(
    ja="model.load_state_dict(...)、optimizer.load_state_dict(...)、scheduler.load_state_dict(...) の"
       "3 つで学習の状態がすべて戻ります（Adam のモーメントや学習率のスケジュールも状態の一部です）",
    en="model.load_state_dict(...), optimizer.load_state_dict(...) and scheduler.load_state_dict(...) "
       "together restore the whole training state (Adam's moments and the learning-rate schedule are state too)",
)
ATOMIC = T(
    ja="path に直接書くと、書き込みの途中で失敗したときに前のチェックポイントが壊れます。"
       "同じフォルダの一時ファイルに書き終えてから os.replace(tmp, path) で置き換えます",
    en="writing straight to path destroys the previous checkpoint when the write fails half-way; "
       "write a temporary file in the same folder, then os.replace(tmp, path)",
)


# -- training set-up (built here, never by the learner's code) ---------------------------
def _net(seed: int) -> nn.Module:
    # BatchNorm: the model's state includes buffers (running stats, an int64 counter).
    seed_torch(seed)
    return nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.Tanh(), nn.Linear(16, 3))


OPTIMIZERS: dict[str, Callable[[Any], torch.optim.Optimizer]] = {
    "Adam": lambda p: torch.optim.Adam(p, lr=0.05),
    "AdamW": lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.01),
    "SGD(momentum)": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
}
SCHEDULERS: dict[str, Callable[[torch.optim.Optimizer], Any]] = {
    "StepLR": lambda o: lr_scheduler.StepLR(o, step_size=2, gamma=0.5),
    "ExponentialLR": lambda o: lr_scheduler.ExponentialLR(o, gamma=0.8),
    "CosineAnnealingLR": lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=1e-3),
    "OneCycleLR": lambda o: lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=16),
}


@dataclass(frozen=True)
class Plan:
    """N steps in all, checkpoint after k of them."""
    steps: int
    save_after: int
    optimizer: str
    scheduler: str
    data_seed: int


@st.composite
def plans(draw_: st.DrawFn) -> Plan:
    n = draw_(st.integers(1, 6))
    return Plan(n, draw_(st.integers(0, n)), draw_(st.sampled_from(sorted(OPTIMIZERS))),
                draw_(st.sampled_from(sorted(SCHEDULERS))), draw_(draw.seeds()))


@dataclass
class Run:
    model: nn.Module
    optimizer: torch.optim.Optimizer
    scheduler: Any


def _run(model_seed: int, optimizer: str = "Adam", scheduler: str = "StepLR") -> Run:
    model = _net(model_seed)
    opt = OPTIMIZERS[optimizer](model.parameters())
    return Run(model, opt, SCHEDULERS[scheduler](opt))


def _batches(seed: int, n: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    g = torch.Generator().manual_seed(seed)
    return [(torch.randn(8, 6, generator=g), torch.randn(8, 3, generator=g)) for _ in range(n)]


def _train(run: Run, batches: list[tuple[torch.Tensor, torch.Tensor]]) -> float:
    loss = float("nan")
    run.model.train()
    for x, y in batches:
        run.optimizer.zero_grad()
        out = F.mse_loss(run.model(x), y)
        out.backward()
        run.optimizer.step()
        run.scheduler.step()
        loss = out.item()
    return loss


# -- comparing states -------------------------------------------------------------------
def _flat(obj: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(path, leaf) pairs of a nested state dict: tensors, numbers, strings, None."""
    if isinstance(obj, Mapping):
        for key in sorted(obj, key=repr):
            yield from _flat(obj[key], f"{prefix}[{key!r}]")
    elif isinstance(obj, (list, tuple)):
        for i, value in enumerate(obj):
            yield from _flat(value, f"{prefix}[{i}]")
    else:
        yield prefix, obj


def _expect_same(actual: Any, expected: Any, what: T, help: T, counterexample: Any = None) -> None:
    """Every leaf equal (tensors bitwise), same structure."""
    got, want = dict(_flat(actual)), dict(_flat(expected))
    if sorted(got) != sorted(want):
        missing = sorted(set(want) - set(got))[:5]
        extra = sorted(set(got) - set(want))[:5]
        raise Failure(
            T(ja=f"{what.ja} の中身の構造が違います（足りない項目: {missing}、余分な項目: {extra}）",
              en=f"{what.en} does not have the expected structure (missing: {missing}, unexpected: {extra})"),
            help, counterexample=counterexample)
    for key, value in want.items():
        item = T(ja=f"{what.ja}{key}", en=f"{what.en}{key}")
        if isinstance(value, torch.Tensor):
            if not isinstance(got[key], torch.Tensor):
                raise Mismatch(value, got[key], help, what=item, counterexample=counterexample)
            if got[key].dtype != value.dtype:  # e.g. .float() or .half() on the state: not the state as it was
                raise Mismatch(f"dtype {value.dtype}", f"dtype {got[key].dtype}", help,
                               what=item, counterexample=counterexample)
            expect_equal_arrays(got[key], value, what=item, help=help, counterexample=counterexample)
        elif not (type(got[key]) is type(value) and got[key] == value):
            raise Mismatch(value, got[key], help, what=item, counterexample=counterexample)


def _snapshot(obj: Any) -> Any:
    """A deep copy of a state dict, detached from the live objects."""
    return copy.deepcopy(obj)


def _read(path: str, when: T) -> dict:
    if not os.path.isfile(path):
        raise Failure(T(ja=f"{when.ja}: {path} にファイルがありません", en=f"{when.en}: there is no file at {path}"), SAVE)
    try:
        obj = torch.load(path, weights_only=True)
    except Exception as exc:  # noqa: BLE001 — any failure to load is the learner's to fix
        raise Failure(
            T(ja=f"{when.ja}: torch.load(path, weights_only=True) で読み込めません（{type(exc).__name__}: {str(exc)[:200]}）",
              en=f"{when.en}: torch.load(path, weights_only=True) fails ({type(exc).__name__}: {str(exc)[:200]})"),
            T(ja="保存するのは state_dict（テンソルと数値の辞書）です。model や optimizer のオブジェクトそのものは入れません",
              en="save state_dicts (dicts of tensors and numbers), not the model or optimizer objects themselves"),
        ) from None
    if not isinstance(obj, dict):
        raise Failure(T(ja=f"{when.ja}: ファイルの中身は辞書のはずですが {type(obj).__name__} でした",
                        en=f"{when.en}: the file should hold a dict, but it holds a {type(obj).__name__}"), SAVE)
    return obj


def _read_saved(path: str, epoch: int, loss: float, when: T) -> dict:
    """The checkpoint at path, which must hold the epoch and loss of the save that wrote it."""
    ckpt = _read(path, when)
    for key, value in (("epoch", epoch), ("loss", loss)):
        expect_equal(ckpt.get(key), value, what=T(ja=f"{when.ja}、ファイルの \"{key}\"", en=f"{when.en}, the file's \"{key}\""),
                     help=SAVE)
    return ckpt


def _trained_run(steps: int = 3, optimizer: str = "Adam", scheduler: str = "StepLR") -> Run:
    run = _run(0, optimizer, scheduler)
    _train(run, _batches(1, steps))
    return run


# -- the file ---------------------------------------------------------------------------
@pytest.mark.points(1)
def test_checkpoint_loads_with_weights_only() -> None:
    """The checkpoint is a dict that torch.load(path, weights_only=True) reads."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _trained_run()
        ex.save_checkpoint(path, run.model, run.optimizer, 3, 0.5, scheduler=run.scheduler)
        _read(path, T(ja="save_checkpoint の後", en="after save_checkpoint"))


@pytest.mark.points(1)
def test_checkpoint_has_the_required_keys() -> None:
    """The dict has epoch, model_state_dict, optimizer_state_dict, loss, and scheduler_state_dict when a scheduler is given."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _trained_run()
        ex.save_checkpoint(path, run.model, run.optimizer, 3, 0.5, scheduler=run.scheduler)
        ckpt = _read_saved(path, 3, 0.5, T(ja="save_checkpoint の後", en="after save_checkpoint"))
        keys = sorted(map(str, ckpt))
        missing = [k for k in REQUIRED_KEYS + ("scheduler_state_dict",) if k not in ckpt]
        expect(not missing,
               T(ja=f"チェックポイントに {missing} のキーがありません（あるキー: {keys}）",
                 en=f"the checkpoint lacks the key(s) {missing} (it has: {keys})"),
               T(ja=SAVE.ja + "。scheduler が渡されたら \"scheduler_state_dict\" も入れます",
                 en=SAVE.en + "; with a scheduler, add \"scheduler_state_dict\" too"))


@pytest.mark.points(1)
def test_no_scheduler_key_without_scheduler() -> None:
    """Without a scheduler the checkpoint has no scheduler_state_dict key, and still the four others."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _trained_run()
        ex.save_checkpoint(path, run.model, run.optimizer, 3, 0.5)
        ckpt = _read_saved(path, 3, 0.5, T(ja="scheduler なしの save_checkpoint の後",
                                           en="after save_checkpoint without a scheduler"))
        keys = sorted(map(str, ckpt))
        missing = [k for k in REQUIRED_KEYS if k not in ckpt]
        expect(not missing,
               T(ja=f"チェックポイントに {missing} のキーがありません（あるキー: {keys}）",
                 en=f"the checkpoint lacks the key(s) {missing} (it has: {keys})"), SAVE)
        expect("scheduler_state_dict" not in ckpt,
               T(ja=f"scheduler=None なのに \"scheduler_state_dict\" のキーがあります（値: {ckpt.get('scheduler_state_dict')!r}）",
                 en=f"scheduler=None, yet there is a \"scheduler_state_dict\" key (value: {ckpt.get('scheduler_state_dict')!r})"),
               T(ja="if scheduler is not None: のときだけキーを加えます", en="add the key only under `if scheduler is not None:`"))


@pytest.mark.points(2)
@settings(max_examples=10)
@given(plan=plans())
def test_checkpoint_holds_the_states_at_save_time(plan: Plan) -> None:
    """epoch and loss are stored as given, and the three state dicts equal model/optimizer/scheduler.state_dict() at save time."""
    run = _run(0, plan.optimizer, plan.scheduler)
    last = _train(run, _batches(plan.data_seed, plan.save_after))
    loss = 0.5 if last != last else last  # no step yet: nan; any float will do
    epoch = plan.save_after
    expected = {"model": _snapshot(run.model.state_dict()), "optimizer": _snapshot(run.optimizer.state_dict()),
                "scheduler": _snapshot(run.scheduler.state_dict())}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        ex.save_checkpoint(path, run.model, run.optimizer, epoch, loss, scheduler=run.scheduler)
        ckpt = _read(path, T(ja="save_checkpoint の後", en="after save_checkpoint"))
        for key in REQUIRED_KEYS + ("scheduler_state_dict",):
            expect(key in ckpt, T(ja=f"チェックポイントに \"{key}\" のキーがありません", en=f"the checkpoint lacks the key \"{key}\""), SAVE)
        expect_equal(ckpt["epoch"], epoch, what=T(ja="保存された epoch", en="the saved epoch"), help=SAVE)
        expect_equal(ckpt["loss"], loss, what=T(ja="保存された loss", en="the saved loss"), help=SAVE)
        _expect_same(ckpt["model_state_dict"], expected["model"], T(ja="model_state_dict", en="model_state_dict"),
                     T(ja="model.state_dict() を（パラメータもバッファも）そのまま保存します",
                       en="save model.state_dict() as it is (parameters and buffers)"))
        _expect_same(ckpt["optimizer_state_dict"], expected["optimizer"], T(ja="optimizer_state_dict", en="optimizer_state_dict"),
                     T(ja="optimizer.state_dict() をそのまま保存します（Adam の exp_avg などの状態と param_groups）",
                       en="save optimizer.state_dict() as it is (Adam's exp_avg and the like, and param_groups)"))
        _expect_same(ckpt["scheduler_state_dict"], expected["scheduler"], T(ja="scheduler_state_dict", en="scheduler_state_dict"),
                     T(ja="scheduler.state_dict() をそのまま保存します", en="save scheduler.state_dict() as it is"))


@pytest.mark.points(1)
def test_save_replaces_the_previous_checkpoint() -> None:
    """Saving again at the same path replaces the checkpoint: the later one is what loads."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _run(0)
        batches = _batches(1, 2)
        _train(run, batches[:1])
        ex.save_checkpoint(path, run.model, run.optimizer, 1, 0.75, scheduler=run.scheduler)
        _train(run, batches[1:])
        ex.save_checkpoint(path, run.model, run.optimizer, 2, 0.625, scheduler=run.scheduler)
        ckpt = _read(path, T(ja="同じ path に 2 回保存した後", en="after saving twice to the same path"))
        expect_equal(ckpt.get("epoch"), 2, what=T(ja="2 回目の保存（epoch=2）の後の epoch", en="epoch after the second save (epoch=2)"),
                     help=T(ja="保存するたびに path のファイルを新しいチェックポイントで置き換えます",
                            en="every save replaces the file at path with the new checkpoint"))


# -- loading ----------------------------------------------------------------------------
@pytest.mark.points(1)
@settings(max_examples=10)
@given(epoch=st.integers(0, 10_000), loss=draw.finite_floats(1e3))
def test_load_returns_epoch_and_loss(epoch: int, loss: float) -> None:
    """load_checkpoint returns the tuple (epoch, loss) that was saved, in that order."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _trained_run(1)
        ex.save_checkpoint(path, run.model, run.optimizer, epoch, loss, scheduler=run.scheduler)
        fresh = _run(5)
        result = ex.load_checkpoint(path, fresh.model, fresh.optimizer, fresh.scheduler)
        expect(type(result) is tuple and len(result) == 2,
               T(ja=f"load_checkpoint は (epoch, loss) のタプルを返すはずですが {result!r} が返されました",
                 en=f"load_checkpoint should return the tuple (epoch, loss), got {result!r}"),
               T(ja="return checkpoint[\"epoch\"], checkpoint[\"loss\"] と書きます",
                 en="end with return checkpoint[\"epoch\"], checkpoint[\"loss\"]"))
        help = T(ja="順序は (epoch, loss) です", en="the order is (epoch, loss)")
        expect_equal(result[0], epoch, what=T(ja="返された epoch", en="the returned epoch"), help=help)
        expect_equal(result[1], loss, what=T(ja="返された loss", en="the returned loss"), help=help)


@pytest.mark.points(1)
def test_load_restores_the_model() -> None:
    """Loading into a freshly built model gives it the saved parameters and buffers."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _trained_run()
        saved = _snapshot(run.model.state_dict())
        ex.save_checkpoint(path, run.model, run.optimizer, 3, 0.5, scheduler=run.scheduler)
        fresh = _run(5)
        ex.load_checkpoint(path, fresh.model, fresh.optimizer, fresh.scheduler)
        _expect_same(fresh.model.state_dict(), saved, T(ja="読み込み後の model.state_dict()", en="model.state_dict() after loading"),
                     T(ja="model.load_state_dict(checkpoint[\"model_state_dict\"]) で復元します",
                       en="restore with model.load_state_dict(checkpoint[\"model_state_dict\"])"))


@pytest.mark.points(2)
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_load_restores_the_optimizer(optimizer: str) -> None:
    """Loading into a freshly built optimizer restores its state (step counts, moments, momentum buffers) and param_groups."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _trained_run(optimizer=optimizer)
        saved = _snapshot(run.optimizer.state_dict())
        ex.save_checkpoint(path, run.model, run.optimizer, 3, 0.5, scheduler=run.scheduler)
        fresh = _run(5, optimizer)
        ex.load_checkpoint(path, fresh.model, fresh.optimizer, fresh.scheduler)
        _expect_same(fresh.optimizer.state_dict(), saved,
                     T(ja=f"読み込み後の optimizer.state_dict()（{optimizer}）", en=f"optimizer.state_dict() after loading ({optimizer})"),
                     T(ja="optimizer_state_dict を保存し、optimizer.load_state_dict(...) で復元します。"
                          "Adam のモーメントやステップ数が戻らないと、再開後の更新が変わります",
                       en="save optimizer_state_dict and restore it with optimizer.load_state_dict(...); "
                          "without Adam's moments and step counts the updates after resuming differ"))


@pytest.mark.points(1)
@pytest.mark.parametrize("scheduler", sorted(SCHEDULERS))
def test_load_restores_the_scheduler(scheduler: str) -> None:
    """Loading into a freshly built scheduler restores its state (last_epoch, last learning rates)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _trained_run(scheduler=scheduler)
        saved = _snapshot(run.scheduler.state_dict())
        ex.save_checkpoint(path, run.model, run.optimizer, 3, 0.5, scheduler=run.scheduler)
        fresh = _run(5, scheduler=scheduler)
        ex.load_checkpoint(path, fresh.model, fresh.optimizer, fresh.scheduler)
        _expect_same(fresh.scheduler.state_dict(), saved,
                     T(ja=f"読み込み後の scheduler.state_dict()（{scheduler}）", en=f"scheduler.state_dict() after loading ({scheduler})"),
                     T(ja="scheduler_state_dict を保存し、scheduler.load_state_dict(...) で復元します",
                       en="save scheduler_state_dict and restore it with scheduler.load_state_dict(...)"))


@pytest.mark.points(1)
def test_load_model_only() -> None:
    """With optimizer and scheduler left as None, only the model is restored (e.g. for inference)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _trained_run()
        saved = _snapshot(run.model.state_dict())
        ex.save_checkpoint(path, run.model, run.optimizer, 3, 0.5, scheduler=run.scheduler)
        model = _net(5)
        result = ex.load_checkpoint(path, model)
        _expect_same(model.state_dict(), saved, T(ja="load_checkpoint(path, model) の後の model.state_dict()",
                                                  en="model.state_dict() after load_checkpoint(path, model)"),
                     T(ja="optimizer / scheduler が None のときは、それらの復元を飛ばします（if optimizer is not None:）",
                       en="skip restoring the optimizer / scheduler when they are None (if optimizer is not None:)"))
        expect_equal(result, (3, 0.5), what=T(ja="load_checkpoint(path, model) の戻り値", en="the result of load_checkpoint(path, model)"))


@pytest.mark.points(1)
def test_load_scheduler_without_optimizer() -> None:
    """With a scheduler but no optimizer, the model and the scheduler are both restored (each object given is)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _trained_run()
        saved = _snapshot(run.scheduler.state_dict())
        ex.save_checkpoint(path, run.model, run.optimizer, 3, 0.5, scheduler=run.scheduler)
        fresh = _run(5)
        ex.load_checkpoint(path, fresh.model, scheduler=fresh.scheduler)
        _expect_same(fresh.scheduler.state_dict(), saved,
                     T(ja="load_checkpoint(path, model, scheduler=scheduler) の後の scheduler.state_dict()",
                       en="scheduler.state_dict() after load_checkpoint(path, model, scheduler=scheduler)"),
                     T(ja="optimizer と scheduler はそれぞれ独立に復元します（if scheduler is not None: を "
                          "if optimizer is not None: の中に入れない）",
                       en="restore the optimizer and the scheduler independently (do not nest "
                          "`if scheduler is not None:` inside `if optimizer is not None:`)"))


class _NamedNet(nn.Module):
    """_net's layers under other names: no key of the checkpoint is one of this model's."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.bn, self.fc2 = nn.Linear(6, 16), nn.BatchNorm1d(16), nn.Linear(16, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.tanh(self.bn(self.fc1(x))))


OTHER_MODELS: dict[str, Callable[[], nn.Module]] = {
    "other_names": _NamedNet,
    "one_layer_more": lambda: nn.Sequential(*_net(5), nn.Linear(3, 3)),
    "narrower": lambda: nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.Tanh(), nn.Linear(8, 3)),
}


@pytest.mark.points(0.5)
@pytest.mark.parametrize("other", sorted(OTHER_MODELS))
def test_loading_into_another_model_raises(other: str) -> None:
    """A checkpoint that loads into a model of the saved architecture raises an error when loaded into a
    model whose parameter names or shapes differ, instead of returning with part of it (or none) restored."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _trained_run()
        ex.save_checkpoint(path, run.model, run.optimizer, 3, 0.5)
        expect_equal(ex.load_checkpoint(path, _net(5)), (3, 0.5),
                     what=T(ja="同じ構造のモデルへの load_checkpoint(path, model) の戻り値",
                            en="the result of load_checkpoint(path, model) into a model of the saved architecture"))
        model = OTHER_MODELS[other]()
        try:
            result = ex.load_checkpoint(path, model)
        except NotImplementedError:
            raise
        except Exception:  # noqa: BLE001 — any error is right: the checkpoint does not fit this model
            return
        raise Failure(
            T(ja=f"パラメータの名前か形が違うモデル（{other}）に読み込んだのに、エラーにならず {show(result)} が返されました",
              en=f"loading into a model whose parameter names or shapes differ ({other}) raised no error and "
                 f"returned {show(result)}"),
            T(ja="model.load_state_dict(state) は既定の strict=True なら、名前や形が合わないときにエラーを出します。"
                 "strict=False や合う項目だけを選ぶ読み込みは、違うモデルのチェックポイントでも黙って"
                 "（何も復元せずに）成功してしまいます",
              en="model.load_state_dict(state) with its default strict=True raises when names or shapes do not "
                 "match; strict=False, or keeping only the entries that fit, lets a checkpoint of another model "
                 "\"load\" silently, restoring nothing"))


def _expect_still_on_meta(model: nn.Module, after: T) -> None:
    moved = [name for name, t in [*model.named_parameters(), *model.named_buffers()] if t.device.type != "meta"]
    expect(not moved,
           T(ja=f"{after.ja}、呼び出し側の GPU（meta デバイスで模擬）上のモデルが別のデバイスに移されました"
                f"（{moved[:3]} など）",
             en=f"{after.en}, the caller's model, on a GPU (simulated by the meta device), was moved to another "
                f"device ({moved[:3]} ...)"),
           T(ja="model.cpu() や model.to(\"cpu\") は呼び出し側のモデルそのものを移します。デバイスによらないファイルにしたい"
                "なら state_dict の各テンソルの .cpu() コピーを保存し、読み込みは map_location と load_state_dict に任せます",
             en="model.cpu() and model.to(\"cpu\") move the caller's model itself; for a device-independent file "
                "save .cpu() copies of the state_dict's tensors, and leave loading to map_location and "
                "load_state_dict"))


@pytest.mark.points(1)
def test_model_stays_on_its_device() -> None:
    """load_checkpoint and save_checkpoint leave the caller's model on its device (a model on "meta", standing
    for a GPU: nothing in it is moved to the cpu)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        model = _net(5).to("meta")
        opt = OPTIMIZERS["Adam"](model.parameters())
        sched = SCHEDULERS["StepLR"](opt)
        with MetaAsGpu():
            ex.save_checkpoint(path, model, opt, 4, 0.25, scheduler=sched)
        _expect_still_on_meta(model, T(ja="save_checkpoint の後", en="after save_checkpoint"))
        _read(path, T(ja="GPU 上のモデルの save_checkpoint の後", en="after save_checkpoint of a model on a GPU"))
        with MetaAsGpu(), warnings.catch_warnings():
            # a file of cpu copies loads into the meta model as a no-op, with a warning per tensor
            warnings.filterwarnings("ignore", message=".*non-meta parameter.*")
            result = ex.load_checkpoint(path, model, opt, sched)
        _expect_still_on_meta(model, T(ja="load_checkpoint の後", en="after load_checkpoint"))
        expect_equal(result, (4, 0.25), what=T(ja="GPU 上のモデルへの load_checkpoint の戻り値",
                                               en="the result of load_checkpoint into a model on a GPU"))


@pytest.mark.points(1)
def test_missing_file_raises() -> None:
    """Loading from a path where there is no file raises FileNotFoundError."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = _run(5)
        expect_raises(FileNotFoundError, ex.load_checkpoint, os.path.join(tmp, "nothing_here.pth"),
                      fresh.model, fresh.optimizer, fresh.scheduler,
                      what=T(ja="存在しないファイルからの load_checkpoint", en="load_checkpoint from a file that does not exist"),
                      help=T(ja="ファイルが無ければ FileNotFoundError を送出します（torch.load もそうします）",
                             en="raise FileNotFoundError when there is no file (torch.load does)"))


@pytest.mark.points(1)
def test_map_location_reaches_torch_load() -> None:
    """map_location is handed to torch.load: a callable map_location is called for the saved tensors."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _trained_run()
        saved = _snapshot(run.model.state_dict())
        ex.save_checkpoint(path, run.model, run.optimizer, 3, 0.5, scheduler=run.scheduler)
        calls: list[str] = []

        def to_cpu(storage: Any, location: str) -> Any:
            calls.append(location)
            return storage

        fresh = _run(5)
        ex.load_checkpoint(path, fresh.model, fresh.optimizer, fresh.scheduler, map_location=to_cpu)
        expect(len(calls) > 0,
               T(ja="map_location に関数を渡しましたが、一度も呼ばれませんでした",
                 en="a function was given as map_location, but it was never called"),
               T(ja="torch.load(path, map_location=map_location, weights_only=True) のように、そのまま torch.load に渡します",
                 en="pass it on: torch.load(path, map_location=map_location, weights_only=True)"))
        _expect_same(fresh.model.state_dict(), saved, T(ja="読み込み後の model.state_dict()", en="model.state_dict() after loading"), RESTORE)


@pytest.mark.points(1)
@on_every_device
def test_map_location_moves_across_devices(device: torch.device) -> None:
    """A checkpoint saved on cpu loads with map_location=device into a model on that device, and back."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _trained_run()
        saved = _snapshot(run.model.state_dict())
        ex.save_checkpoint(path, run.model, run.optimizer, 3, 0.5, scheduler=run.scheduler)
        model = _net(5).to(device)
        ex.load_checkpoint(path, model, map_location=device)
        expect(all(t.device.type == device.type for t in model.state_dict().values()),
               T(ja=f"読み込み後のモデルは {device.type} 上にあるはずです", en=f"after loading, the model should be on {device.type}"),
               T(ja="load_state_dict は値をコピーするだけで、モデルのデバイスは変えません",
                 en="load_state_dict copies values; it does not move the model"))
        state = {k: v.cpu() for k, v in model.state_dict().items()}
        _expect_same(state, saved, T(ja=f"{device.type} で読み込んだ model.state_dict()", en=f"model.state_dict() loaded on {device.type}"), RESTORE)
        # and back: a checkpoint saved from `device` read on cpu
        path2 = os.path.join(tmp, "from_device.pth")
        opt = torch.optim.Adam(model.parameters(), lr=0.01)
        ex.save_checkpoint(path2, model, opt, 4, 0.25)
        back = _net(6)
        ex.load_checkpoint(path2, back, map_location="cpu")
        _expect_same(back.state_dict(), saved, T(ja=f"{device.type} で保存し cpu で読み込んだ model.state_dict()",
                                                en=f"model.state_dict() saved on {device.type} and loaded on cpu"), RESTORE)


# -- resuming ---------------------------------------------------------------------------
@pytest.mark.points(3)
@settings(max_examples=15)
@given(plan=plans())
def test_resume_is_bitwise_exact(plan: Plan) -> None:
    """k steps, save, load into fresh model/optimizer/scheduler, N-k more steps == N steps straight (bitwise)."""
    batches = _batches(plan.data_seed, plan.steps)
    straight = _run(0, plan.optimizer, plan.scheduler)
    _train(straight, batches)

    first = _run(0, plan.optimizer, plan.scheduler)
    loss = _train(first, batches[: plan.save_after])
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        ex.save_checkpoint(path, first.model, first.optimizer, plan.save_after, 0.5 if loss != loss else loss,
                           scheduler=first.scheduler)
        del first  # training "crashed": only the file is left
        resumed = _run(123, plan.optimizer, plan.scheduler)  # a new process builds everything afresh
        ex.load_checkpoint(path, resumed.model, resumed.optimizer, resumed.scheduler)
    _train(resumed, batches[plan.save_after:])
    where = T(ja=f"（{plan.steps} ステップ中 {plan.save_after} ステップ目で保存・再開、{plan.optimizer} + {plan.scheduler}）",
              en=f" ({plan.steps} steps, saved and resumed after {plan.save_after}, {plan.optimizer} + {plan.scheduler})")
    _expect_same(resumed.model.state_dict(), straight.model.state_dict(),
                 T(ja=f"再開した学習の最後のモデル{where.ja}", en=f"the final model of the resumed run{where.en}"), RESTORE)
    _expect_same(resumed.optimizer.state_dict(), straight.optimizer.state_dict(),
                 T(ja=f"再開した学習の最後の optimizer の状態{where.ja}", en=f"the final optimizer state of the resumed run{where.en}"), RESTORE)
    _expect_same(resumed.scheduler.get_last_lr(), straight.scheduler.get_last_lr(),
                 T(ja=f"再開した学習の最後の学習率{where.ja}", en=f"the final learning rate of the resumed run{where.en}"), RESTORE)


# -- atomic saving ----------------------------------------------------------------------
class _Unpicklable:
    """Raises as soon as pickle reaches it: torch.save has already opened its target by then."""

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise RuntimeError("simulated failure while serializing the checkpoint")

    def __reduce__(self) -> Any:
        raise RuntimeError("simulated failure while serializing the checkpoint")

    def __deepcopy__(self, memo: Any) -> Any:
        raise RuntimeError("simulated failure while serializing the checkpoint")


class _FragileNet(nn.Module):
    """A model with extra state (nn.Module.get_extra_state) that can be made unserializable."""

    def __init__(self) -> None:
        super().__init__()
        seed_torch(0)
        self.body = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.Tanh(), nn.Linear(16, 3))
        self.fail_on_save = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    def get_extra_state(self) -> Any:
        return _Unpicklable() if self.fail_on_save else {"version": 1}

    def set_extra_state(self, state: Any) -> None:
        pass


def _differs(actual: Any, expected: Any) -> bool:
    """True when two loaded checkpoints differ anywhere (structure or any leaf, tensors bitwise)."""
    try:
        _expect_same(actual, expected, T.same("checkpoint"), ATOMIC)
    except Failure:
        return True
    return False


def _expect_previous_intact(path: str, before: dict, raised: BaseException | None, how: T, why_not_raised: T) -> None:
    """After a save that failed part-way, path must still hold `before` (the checkpoint as it was read back)."""
    if not os.path.isfile(path):
        raise Failure(T(ja=f"{how.ja}の後、path にあった前回のチェックポイントが無くなりました",
                        en=f"after {how.en}, the previous checkpoint at path is gone"), ATOMIC)
    try:
        after = torch.load(path, weights_only=True)
    except Exception as exc:  # noqa: BLE001 — a half-written file
        raise Failure(
            T(ja=f"{how.ja}の後、path の前回のチェックポイントが壊れていて読み込めません（{type(exc).__name__}: {str(exc)[:120]}）",
              en=f"after {how.en}, the previous checkpoint at path is broken and no longer loads "
                 f"({type(exc).__name__}: {str(exc)[:120]})"), ATOMIC) from None
    if raised is None and _differs(after, before):
        # nothing failed: the new checkpoint was written whole, so the failure never happened
        raise Failure(why_not_raised, SAVE)
    ep_before, ep_after = before.get("epoch"), after.get("epoch")
    expect(not _differs(after.get("epoch"), before.get("epoch")) and not _differs(after.get("loss"), before.get("loss")),
           T(ja=f"{how.ja}の後、path には前回のチェックポイント（epoch={ep_before!r}）が残っているはずですが、"
                f"epoch={ep_after!r} のものになっていました",
             en=f"after {how.en}, path should still hold the previous checkpoint (epoch={ep_before!r}), "
                f"but it holds one with epoch={ep_after!r}"), ATOMIC)
    _expect_same(after, before, T(ja=f"{how.ja}の後に path に残ったチェックポイント", en=f"the checkpoint left at path {how.en}"),
                 ATOMIC)


@pytest.mark.points(2)
def test_save_is_atomic_when_serialization_fails() -> None:
    """If torch.save fails half-way through (the model's state cannot be pickled), the previous checkpoint is intact."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        model = _FragileNet()
        opt = torch.optim.Adam(model.parameters(), lr=0.05)
        run = Run(model, opt, lr_scheduler.StepLR(opt, step_size=2))
        batches = _batches(3, 2)
        _train(run, batches[:1])
        ex.save_checkpoint(path, model, opt, 1, 0.75, scheduler=run.scheduler)
        before = _read_saved(path, 1, 0.75, T(ja="最初の save_checkpoint の後", en="after the first save_checkpoint"))
        _train(run, batches[1:])
        model.fail_on_save = True
        raised = None
        try:
            ex.save_checkpoint(path, model, opt, 2, 0.625, scheduler=run.scheduler)
        except Exception as exc:  # noqa: BLE001 — the simulated failure (re-raised or not: not graded)
            raised = exc
        finally:
            model.fail_on_save = False
        _expect_previous_intact(
            path, before, raised,
            T(ja="保存の途中での失敗（model の状態を pickle できない）", en="a save that failed half-way (the model's state cannot be pickled)"),
            T(ja="保存できないはずの model の状態（get_extra_state が返すもの）があるのに、保存が成功しました。"
                 "model_state_dict に model.state_dict() 全体を入れていますか",
              en="the save succeeded although the model's state (what get_extra_state returns) cannot be "
                 "serialized; does model_state_dict hold the whole model.state_dict()?"))


@pytest.mark.points(2)
def test_save_is_atomic_when_the_disk_fills_up() -> None:
    """If writing fails part-way because the disk is full, the previous checkpoint is intact."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        seed_torch(0)
        model = nn.Sequential(nn.Linear(6, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 3))
        opt = torch.optim.Adam(model.parameters(), lr=0.05)
        run = Run(model, opt, lr_scheduler.StepLR(opt, step_size=2))
        ex.save_checkpoint(path, model, opt, 0, 1.5, scheduler=run.scheduler)  # no Adam state yet: small
        before = _read_saved(path, 0, 1.5, T(ja="最初の save_checkpoint の後", en="after the first save_checkpoint"))
        _train(run, _batches(4, 1))  # Adam's moments: the next checkpoint is about 3x larger
        buffer = io.BytesIO()
        torch.save({"epoch": 1, "model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                    "loss": 0.5, "scheduler_state_dict": run.scheduler.state_dict()}, buffer)
        old_size, new_size = os.path.getsize(path), len(buffer.getvalue())
        if new_size < old_size + 4096:  # the check's own premise; with any correct first save it holds
            raise Failure(T(ja=f"最初のチェックポイントが大きすぎます（{old_size} バイト）。余分なものを保存していませんか",
                            en=f"the first checkpoint is unexpectedly large ({old_size} bytes); is something extra saved?"), SAVE)
        limit = (old_size + new_size) // 2  # the old file fits (a backup copy would too); the new one does not
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        raised = None
        try:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
            try:
                ex.save_checkpoint(path, model, opt, 1, 0.5, scheduler=run.scheduler)
            except Exception as exc:  # noqa: BLE001 — the simulated full disk (re-raised or not: not graded)
                raised = exc
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
            signal.signal(signal.SIGXFSZ, previous_handler)
        _expect_previous_intact(
            path, before, raised,
            T(ja=f"ディスクが一杯になって失敗した保存（{limit} バイトを超える書き込みが失敗）",
              en=f"a save that failed because the disk filled up (writes past {limit} bytes failed)"),
            T(ja=f"{limit} バイトまでしか書けない状態で保存が成功しました。optimizer の状態（Adam のモーメント）を保存していますか",
              en=f"the save succeeded although no more than {limit} bytes could be written; "
                 "is the optimizer state (Adam's moments) saved?"))


@pytest.mark.points(1)
def test_save_never_writes_into_the_previous_file() -> None:
    """A save puts a new file in place of the old one: a reader that opened the previous checkpoint still sees all of it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _run(0)
        batches = _batches(5, 2)
        _train(run, batches[:1])
        ex.save_checkpoint(path, run.model, run.optimizer, 1, 0.75, scheduler=run.scheduler)
        _train(run, batches[1:])
        with open(path, "rb") as reader:  # e.g. an evaluation job reading the checkpoint while training saves
            old = reader.read()
            ex.save_checkpoint(path, run.model, run.optimizer, 2, 0.625, scheduler=run.scheduler)
            reader.seek(0)
            seen = reader.read()
        _read_saved(path, 2, 0.625, T(ja="2 回目の保存の後", en="after the second save"))
        expect(seen == old,
               T(ja=f"保存の前に開いていた前回のチェックポイントの中身が、保存によって書き換えられました"
                    f"（{len(old)} バイト → {len(seen)} バイト）。path のファイルにその場で書き込んでいます",
                 en=f"the previous checkpoint, opened before the save, was rewritten by the save "
                    f"({len(old)} bytes -> {len(seen)} bytes): the file at path is written in place"),
               T(ja="その場で書き込む（open(path, \"wb\")、shutil.copyfile(tmp, path) など）と、書き込み中に読んだ人は"
                    "壊れたファイルを見ます。別のファイルに書き終えてから os.replace(tmp, path) で差し替えます",
                 en="writing in place (open(path, \"wb\"), shutil.copyfile(tmp, path), ...) shows a half-written file "
                    "to anyone reading meanwhile; finish writing another file, then os.replace(tmp, path)"))


class _PathWatch:
    """Watches, through an audit hook (PEP 578), whether `path` exists at every file operation
    (open, rename/replace, remove) made while armed: an atomic save never leaves path missing,
    since os.replace swaps the new file in with no moment without a file. Hooks cannot be removed,
    so one is installed per check process and disarmed when not watching."""

    _installed: "_PathWatch | None" = None

    def __init__(self) -> None:
        self.path: str | None = None
        self.missing_at: str | None = None
        self._busy = False

    @classmethod
    def get(cls) -> "_PathWatch":
        if cls._installed is None:
            cls._installed = cls()
            sys.addaudithook(cls._installed._hook)
        return cls._installed

    def _hook(self, event: str, args: tuple) -> None:
        if self.path is None or self._busy or self.missing_at is not None:
            return
        if event not in ("open", "os.rename", "os.remove", "os.unlink", "os.link", "os.symlink", "shutil.move",
                         "shutil.copyfile"):
            return
        self._busy = True
        try:
            if not os.path.exists(self.path):
                self.missing_at = f"{event}({', '.join(repr(a) for a in args[:2])})"
        finally:
            self._busy = False

    def arm(self, path: str) -> None:
        self.path, self.missing_at = path, None

    def disarm(self) -> None:
        if self.path is not None and self.missing_at is None and not os.path.exists(self.path):
            self.missing_at = "the end of save_checkpoint"
        self.path = None


@pytest.mark.points(1)
def test_path_is_never_missing_during_a_save() -> None:
    """While a save replaces an existing checkpoint, path always holds a complete file: the previous
    checkpoint is never removed (or moved aside) before the new one takes its place."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ckpt.pth")
        run = _run(0)
        batches = _batches(6, 2)
        _train(run, batches[:1])
        ex.save_checkpoint(path, run.model, run.optimizer, 1, 0.75, scheduler=run.scheduler)
        _train(run, batches[1:])
        watch = _PathWatch.get()
        watch.arm(path)
        try:
            ex.save_checkpoint(path, run.model, run.optimizer, 2, 0.625, scheduler=run.scheduler)
        finally:
            watch.disarm()
        _read_saved(path, 2, 0.625, T(ja="2 回目の保存の後", en="after the second save"))
        missing_at = watch.missing_at
        expect(missing_at is None,
               T(ja=f"保存の途中で path にファイルが無い瞬間がありました（{missing_at} の時点）。"
                    "その瞬間に学習が止まると、チェックポイントが 1 つも残りません",
                 en=f"during the save there was a moment with no file at path (at {missing_at}); "
                    "a crash at that moment leaves no checkpoint at all"),
               T(ja="前のファイルを os.remove したり脇へ移したりせず、一時ファイルを書き終えてから "
                    "os.replace(tmp, path) で一度に置き換えます（置き換えは既存のファイルを上書きできます）",
                 en="do not os.remove the previous file or move it aside: finish the temporary file, then "
                    "os.replace(tmp, path) swaps it in at once (it overwrites an existing file)"))
