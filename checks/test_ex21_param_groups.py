"""Checks for exercise 21: `param_groups(model, weight_decay)` for torch.optim.AdamW.

Contract: two groups, in this order: {"params": every trainable parameter with ndim >= 2,
"weight_decay": weight_decay} and {"params": every other trainable parameter,
"weight_decay": 0.0}; an empty group is left out; frozen parameters are absent; a shared
(tied) parameter appears once; order follows model.named_parameters(); weight_decay < 0 →
ValueError.

Decisions where the contract is silent:
- The result may be a list or a tuple of dicts (OrderedDict too); each needs "params" (a list or
  a tuple of the model's own parameters) and "weight_decay" (an int or a float, not a bool: 0
  and 0.0 are the same decay). Other keys are not forbidden, but the AdamW step below must still behave as the
  contract says (an extra "lr" would change it).
- weight_decay = 0 is valid: both groups are kept (each non-empty one), the first with 0.
- The models are drawn by checks.strategies.module_trees (Linear with or without bias,
  Conv1d, Embedding, LayerNorm, BatchNorm1d, GroupNorm in nested Sequential / ModuleDict,
  sometimes a frozen parameter, sometimes an Embedding tied to a Linear head), plus fixed
  models for frozen, tied, empty-group and order cases. Each of those checks looks at its own
  property only (which parameters are listed, how often, group sizes, order within a group),
  so a wrong split rule costs the partition checks, not these.
  Buffers (BatchNorm's running statistics) are never parameters and must not be in a group.
- The expected groups are read from the model before the call, with nn.Module's own methods:
  a function that flips requires_grad, or hides parameters behind an instance attribute,
  is compared with the model it was given.
- "One step with zero gradients": every parameter of the model (frozen ones too) gets a zero
  .grad, then AdamW(groups, lr=0.1) steps once. Then Adam's own update is exactly 0, so the
  first group's parameters must equal p * (1 - 0.1 * weight_decay) (float32 tolerance) and
  every other parameter must be bitwise unchanged. Trees without a trainable parameter are
  not drawn there (AdamW refuses an empty list; the partition checks cover them).
"""

from __future__ import annotations

from typing import Any

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from checks import strategies as draw
from checks.compare import expect_close
from checks.feedback import Failure, T, expect, expect_equal, expect_raises
from checks.submission import student

ex = student("ex21_param_groups")

_AdamW = torch.optim.AdamW
_equal = torch.equal
_zeros_like = torch.zeros_like
_parameters = nn.Module.parameters            # called unbound: an instance attribute cannot stand in
_named_parameters = nn.Module.named_parameters
_named_buffers = nn.Module.named_buffers

GROUPS = T(ja="パラメータグループ（各グループのパラメータ名）", en="the parameter groups (each group's parameter names)")
SPLIT_HELP = T(ja="model.named_parameters() を順に見て、requires_grad のものを p.ndim >= 2 なら 1 つ目、"
                  "それ以外なら 2 つ目のグループに入れます。名前や層の種類では分けません",
               en="walk model.named_parameters() in order; put each trainable p in the first group if p.ndim >= 2, "
                  "else in the second. Do not split by name or by layer type")
DECAYS = st.sampled_from([0.0, 0.01, 0.05, 0.3, 1.0])


def describe(names: dict[int, str], groups: Any) -> list[tuple[float, list[str]]]:
    """(weight_decay, [name of each param]) per group; a malformed result fails here."""
    bad = T(ja="{\"params\": [...], \"weight_decay\": 数値} の dict を並べたリストを返します",
            en="return a list of dicts {\"params\": [...], \"weight_decay\": number}")
    if type(groups) not in (list, tuple):
        raise Failure(T(ja=f"list を期待しましたが {type(groups).__qualname__} でした",
                        en=f"expected a list, got {type(groups).__qualname__}"), bad)
    out = []
    for i, g in enumerate(groups):
        params, wd = (dict.get(g, "params"), dict.get(g, "weight_decay")) if isinstance(g, dict) else (None, None)
        if type(params) not in (list, tuple) or not isinstance(wd, (int, float)) or isinstance(wd, bool):
            raise Failure(T(ja=f"グループ {i} が {{\"params\": list, \"weight_decay\": 数値}} の dict ではありません: {g!r:.200}",
                            en=f"group {i} is not a dict {{\"params\": list, \"weight_decay\": number}}: {g!r:.200}"), bad)
        out.append((float(wd), [names.get(id(p), f"<not in the model: {type(p).__name__}>") for p in params]))
    return out


def call(model: nn.Module, weight_decay: float) -> tuple[list[tuple[float, list[str]]], list[tuple[float, list[str]]]]:
    """The learner's groups and the contract's, both as (weight_decay, [names]), the contract's
    taken from the model as it was before the call (read with nn.Module's own methods)."""
    names = {id(b): f"{n} (a buffer)" for n, b in _named_buffers(model)}
    names.update({id(p): n for n, p in _named_parameters(model)})
    decay = [n for n, p in _named_parameters(model) if p.requires_grad and p.ndim >= 2]
    other = [n for n, p in _named_parameters(model) if p.requires_grad and p.ndim < 2]
    want = [(wd, ns) for wd, ns in ((weight_decay, decay), (0.0, other)) if ns]
    return describe(names, ex.param_groups(model, weight_decay)), want


def groups_of(model: nn.Module, weight_decay: float) -> list[list[str]]:
    """The learner's groups for `model`, as lists of parameter names."""
    return [names for _, names in call(model, weight_decay)[0]]


def complete_groups(model: nn.Module, weight_decay: float) -> list[tuple[float, list[str]]]:
    """The learner's groups, once they are known to list every trainable parameter once (in
    any group, any order): the checks of one property each then cannot pass on an empty list."""
    trainable = sorted(n for n, p in _named_parameters(model) if p.requires_grad)
    got = call(model, weight_decay)[0]
    expect_equal(sorted(n for _, names in got for n in names), trainable,
                 what=T(ja="グループに入ったパラメータ（順不同）", en="the parameters in the groups (any order)"),
                 help=T(ja="学習対象のパラメータはすべて、どちらかのグループにちょうど 1 回入ります",
                        en="every trainable parameter is in one of the groups, exactly once"),
                 counterexample=repr(model))
    return got


@pytest.mark.points(2)
@given(model=draw.module_trees(), weight_decay=DECAYS)
@settings(max_examples=30)
def test_groups_split_the_trainable_parameters_by_dimension(model: nn.Module, weight_decay: float) -> None:
    """On drawn module trees: the first group holds the trainable parameters with ndim >= 2,
    the second the other trainable ones, each in named_parameters() order, empty ones left out."""
    got, want = call(model, weight_decay)
    expect_equal([names for _, names in got], [names for _, names in want], what=GROUPS, help=SPLIT_HELP)


@pytest.mark.points(1)
@given(model=draw.module_trees(), weight_decay=DECAYS)
@settings(max_examples=30)
def test_group_weight_decays(model: nn.Module, weight_decay: float) -> None:
    """The first group decays by weight_decay, the second by 0."""
    got, want = call(model, weight_decay)
    expect_equal([wd for wd, _ in got], [wd for wd, _ in want],
                 what=T(ja="各グループの weight_decay", en="each group's weight_decay"),
                 help=T(ja="1 つ目は引数の weight_decay、2 つ目は 0.0 です（空のグループは除きます）",
                        en="the first is the weight_decay argument, the second 0.0 (empty groups left out)"))


@pytest.mark.points(1)
def test_frozen_parameters_are_left_out() -> None:
    """A frozen Linear weight and a frozen LayerNorm are in neither group."""
    model = nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4), nn.Linear(4, 2))
    model[0].weight.requires_grad_(False)
    model[1].requires_grad_(False)
    listed = [name for names in groups_of(model, 0.1) for name in names]
    expect_equal(sorted(listed), ["0.bias", "2.bias", "2.weight"],
                 what=T(ja="グループに入ったパラメータ（順不同）", en="the parameters in the groups (any order)"),
                 help=T(ja="requires_grad が False のパラメータは学習しないので、どちらのグループにも入れません",
                        en="a parameter with requires_grad=False is not trained: leave it out of both groups"))


@pytest.mark.points(1)
def test_tied_weight_appears_once() -> None:
    """An Embedding weight shared with the output Linear is listed once."""
    embed, head = nn.Embedding(6, 3), nn.Linear(3, 6)
    head.weight = embed.weight
    model = nn.ModuleDict({"embed": embed, "norm": nn.LayerNorm(3), "head": head})
    listed = [name for names in groups_of(model, 0.1) for name in names]
    expect_equal(sorted(listed), ["embed.weight", "head.bias", "norm.bias", "norm.weight"],
                 what=T(ja="グループに入ったパラメータ（順不同、head.weight は embed.weight と同じもの）",
                        en="the parameters in the groups (any order; head.weight is embed.weight)"),
                 help=T(ja="model.named_parameters() は共有パラメータを 1 回だけ返します。"
                           "モジュールごとに集めると 2 回入ってしまいます",
                        en="model.named_parameters() yields a shared parameter once; collecting module "
                           "by module lists it twice"))


@pytest.mark.points(1)
def test_an_empty_group_is_left_out() -> None:
    """Only 1-D parameters, or only matrices: no group with an empty params list."""
    for model in (nn.Sequential(nn.LayerNorm(3), nn.BatchNorm1d(3)),
                  nn.Sequential(nn.Linear(3, 4, bias=False), nn.Embedding(5, 2))):
        sizes = [len(names) for _, names in complete_groups(model, 0.1)]
        expect(0 not in sizes, T(ja=f"params が空のグループがあります（各グループの大きさ: {sizes}）",
                                 en=f"a group has an empty params list (group sizes: {sizes})"),
               T(ja="params が空になるグループはリストに入れません", en="leave out a group whose params list is empty"),
               counterexample=repr(model))


@pytest.mark.points(1)
def test_order_follows_named_parameters() -> None:
    """Within each group, registration order, not name order ('10' after '9', 'z' before 'a')."""
    model = nn.Sequential(*(nn.Linear(2, 2) for _ in range(11)),
                          nn.ModuleDict({"z": nn.LayerNorm(2), "a": nn.Linear(2, 1)}))
    rank = {name: i for i, (name, _) in enumerate(_named_parameters(model))}
    got = [names for _, names in complete_groups(model, 0.1)]
    expect_equal(got, [sorted(names, key=lambda n: rank.get(n, -1)) for names in got],
                 what=T(ja="各グループの中の順序", en="the order within each group"),
                 help=T(ja="並べ替えずに model.named_parameters() の順のまま入れます",
                        en="keep model.named_parameters() order; do not sort"))


@pytest.mark.points(1)
def test_weight_decay_below_zero_raises_and_zero_is_valid() -> None:
    """weight_decay < 0 raises ValueError; weight_decay = 0 gives groups that all decay by 0."""
    model = nn.Sequential(nn.Linear(3, 2), nn.LayerNorm(2))
    for wd in (-0.01, -1.0):
        expect_raises(ValueError, ex.param_groups, model, wd, what=T.same(f"weight_decay={wd}"),
                      help=T(ja="weight_decay < 0 は ValueError です（0 は「減衰なし」として有効）",
                             en="weight_decay < 0 is a ValueError (0 is valid: no decay)"))
    decays = [wd for wd, _ in complete_groups(model, 0.0)]
    expect_equal(decays, [0.0] * len(decays), what=T(ja="weight_decay=0.0 のときの各グループの weight_decay",
                                                     en="each group's weight_decay for weight_decay=0.0"),
                 help=T(ja="weight_decay = 0 は有効な値です。ValueError は負のときだけです",
                        en="weight_decay = 0 is valid; only a negative value is a ValueError"))


@pytest.mark.points(2)
@given(model=draw.module_trees().filter(lambda m: any(p.requires_grad for p in m.parameters())),
       weight_decay=st.sampled_from([0.01, 0.05, 0.3, 1.0]))
@settings(max_examples=30)
def test_adamw_step_with_zero_gradients_decays_only_the_first_group(model: nn.Module, weight_decay: float) -> None:
    """AdamW accepts the groups; one step with zero gradients scales the ndim >= 2 trainable
    parameters by (1 - lr * weight_decay) and leaves every other parameter as it was."""
    before = {name: (p.detach().clone(), p.requires_grad and p.ndim >= 2) for name, p in _named_parameters(model)}
    groups = ex.param_groups(model, weight_decay)
    try:
        optimizer = _AdamW(groups, lr=0.1)
    except Exception as exc:  # noqa: BLE001 — whatever AdamW refuses, the groups are the learner's to fix
        raise Failure(T(ja=f"torch.optim.AdamW がグループを受け付けません: {type(exc).__name__}: {exc}",
                        en=f"torch.optim.AdamW refuses the groups: {type(exc).__name__}: {exc}"), SPLIT_HELP) from None
    for p in _parameters(model):
        p.grad = _zeros_like(p)
    optimizer.step()
    wrong = []
    for name, p in _named_parameters(model):
        value, decays = before[name]
        if decays:
            try:
                expect_close(p.detach(), value.double() * (1 - 0.1 * weight_decay), T.same(name))
            except Failure:
                wrong.append(T(ja=f"{name} が (1 - lr·weight_decay) 倍になっていません",
                               en=f"{name} was not scaled by (1 - lr·weight_decay)"))
        elif not _equal(p.detach(), value):
            wrong.append(T(ja=f"{name} が減衰しました（減衰しないはずです）", en=f"{name} was decayed (it should not be)"))
    expect(not wrong, T(ja="AdamW の 1 ステップ（勾配 0）の後: " + "、".join(w.ja for w in wrong),
                        en="after one AdamW step with zero gradients: " + "; ".join(w.en for w in wrong)),
           T(ja="AdamW は各グループの weight_decay で p ← p·(1 - lr·weight_decay) と減衰させます。"
                "減衰させるのは 2 次元以上の学習対象だけで、1 回ずつです",
             en="AdamW decays p ← p·(1 - lr·weight_decay) with each group's weight_decay: only the trainable "
                "parameters with ndim >= 2, each once"))
