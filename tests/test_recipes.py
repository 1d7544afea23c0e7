"""The check recipes (checks/differential, gradients, modules, devices, opcount, strategies):
each passes a correct function and fails a wrong one with a message that names the problem."""

from __future__ import annotations

import pytest
import torch
from hypothesis import find, given, settings
from torch import nn

from checks import strategies as draw
from checks.devices import expect_stays_on_device
from checks.differential import expect_matches, expect_unmodified
from checks.feedback import CheckFailure, T, showing
from checks.gradients import expect_gradient_flow, expect_gradients_match
from checks.modules import copy_weights, count_params, expect_param_count, expect_same_outputs, \
    expect_state_dict_round_trip
from checks.opcount import expect_vectorised
from grader.isolation.protocol import CheckOutcome, Status
from grader.plugin.outcome import classify
from grader.results import CheckResult, full_message

WHAT = T(ja="結果", en="the result")


def fails(fn, *args, **kwargs) -> CheckFailure:
    with pytest.raises(CheckFailure) as info:
        fn(*args, **kwargs)
    return info.value


def pad(seqs: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    return nn.utils.rnn.pad_sequence(seqs, batch_first=True), torch.tensor([len(s) for s in seqs])


# ------------------------------------------------------------------ differential


def test_matches_accepts_an_equal_function_and_a_list_for_a_tuple() -> None:
    seqs = [torch.ones(2, 3), torch.ones(1, 3)]
    out = expect_matches(lambda s: list(pad(s)), pad, seqs, what=WHAT)
    assert out[0].shape == (2, 2, 3)


def test_matches_reads_a_namedtuple_as_the_tuple_it_holds() -> None:
    from collections import namedtuple

    Batch = namedtuple("Batch", "padded lengths")
    seqs = [torch.ones(2, 3), torch.ones(1, 3)]
    expect_matches(lambda s: Batch(*pad(s)), pad, seqs, what=WHAT)

    class Lying(tuple):  # its own len/iter claim the right answer; the elements it holds are wrong
        def __iter__(self):
            return iter(pad(seqs))

        def __len__(self):
            return 2

    wrong = fails(expect_matches, lambda s: Lying([torch.zeros(2, 2, 3)]), pad, seqs, what=WHAT)
    assert wrong.rationale.en


def test_matches_names_the_element_that_differs() -> None:
    seqs = [torch.ones(2, 3), torch.ones(1, 3)]
    wrong = fails(expect_matches, lambda s: (pad(s)[0], pad(s)[1].float()), pad, seqs, what=WHAT)
    assert "the result[1]" in wrong.rationale.en and "dtype" in wrong.rationale.en
    assert wrong.expected == "int64" and wrong.actual == "float32"


def test_matches_fails_a_function_that_changes_its_input() -> None:
    def in_place(seqs):
        seqs[0].mul_(2)
        return pad(seqs)

    wrong = fails(expect_matches, in_place, pad, [torch.ones(2, 3)], what=WHAT, example="one sequence")
    assert "modified in place" in wrong.rationale.en and "args[0][0]" in wrong.rationale.en
    assert wrong.counterexample == "one sequence"
    assert fails(expect_unmodified, in_place, [torch.ones(1, 1)], what=WHAT)


def test_matches_compares_values_within_the_dtype_tolerance() -> None:
    x = torch.arange(6.0).reshape(2, 3)
    expect_matches(lambda t: t * 3 + 1e-6, lambda t: t * 3, x, what=WHAT)  # float32: within 1e-5
    wrong = fails(expect_matches, lambda t: t * 3 + 1e-2, lambda t: t * 3, x, what=WHAT)
    assert "6 of 6 elements differ" in wrong.rationale.en


def test_matches_requires_the_scalar_type() -> None:
    expect_matches(lambda: 2, lambda: 2.0, what=WHAT)  # an int where a float is expected is a number
    assert fails(expect_matches, lambda: "2", lambda: 2.0, what=WHAT).expected == "float 2.0"


# ------------------------------------------------------------------ gradients


def test_gradients_match_for_another_formulation_and_not_for_a_wrong_one() -> None:
    a, b = torch.randn(3, 2), torch.randn(4, 2)
    expanded = lambda a, b: (a * a).sum(1)[:, None] + (b * b).sum(1)[None] - 2 * a @ b.T  # noqa: E731
    broadcast = lambda a, b: ((a[:, None] - b[None]) ** 2).sum(-1)  # noqa: E731
    expect_gradients_match(expanded, broadcast, a, b, what=WHAT)
    wrong = fails(expect_gradients_match, lambda a, b: ((a[:, None] - b[None].detach()) ** 2).sum(-1),
                  broadcast, a, b, what=WHAT)
    assert "(input 1)" in wrong.rationale.en


def test_gradients_say_when_the_graph_is_cut() -> None:
    wrong = fails(expect_gradients_match, lambda x: torch.tensor(x.tolist()), lambda x: x * 1, torch.ones(2),
                  what=WHAT)
    assert "requires_grad=False" in wrong.rationale.en and "no_grad" in wrong.help.en


def test_gradient_flow_never_into_padding() -> None:
    seqs = [torch.randn(3, 2), torch.randn(1, 2)]
    flows = [torch.ones(3, 2, dtype=torch.bool), torch.ones(1, 2, dtype=torch.bool)]
    expect_gradient_flow(lambda *s: pad(list(s))[0], seqs, flows, what=WHAT)
    half = [torch.tensor([[True, True]] * 3), torch.tensor([[False, True]])]
    leak = fails(expect_gradient_flow, lambda *s: pad(list(s))[0], seqs, half, what=WHAT)
    assert "gradient reaches input 1 at (0, 0)" in leak.rationale.en
    cut = fails(expect_gradient_flow, lambda *s: pad([s[0], s[1].detach()])[0], seqs, flows, what=WHAT)
    assert "no gradient reaches input 1" in cut.rationale.en


# ------------------------------------------------------------------ modules


class Named(nn.Module):
    """The oracle's layers under other names, registered in another order than used."""

    def __init__(self) -> None:
        super().__init__()
        self.head = nn.Linear(4, 2)
        self.body = nn.Linear(3, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(torch.relu(self.body(x)))


def oracle() -> nn.Module:
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


def test_same_outputs_with_the_reference_weights_whatever_the_names() -> None:
    x = torch.randn(5, 3)
    expect_same_outputs(Named(), oracle(), x, what=WHAT)
    assert count_params(Named()) == count_params(oracle()) == 26


def test_param_count_mismatch_shows_both_layer_tables() -> None:
    wider = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))
    wrong = fails(expect_param_count, wider, oracle(), what=WHAT)
    assert wrong.expected.startswith("26") and "0.weight" in wrong.expected and "(5, 3)" in wrong.actual
    wrong = fails(copy_weights, oracle(), wider, WHAT)
    assert "cannot be copied" in wrong.rationale.en


def test_same_outputs_fails_a_wrong_forward() -> None:
    class NoRelu(Named):
        def forward(self, x):
            return self.head(self.body(x))

    assert fails(expect_same_outputs, NoRelu(), oracle(), torch.randn(5, 3) * 10, what=WHAT)


def test_state_dict_round_trip_catches_state_kept_outside_it() -> None:
    expect_state_dict_round_trip(oracle, torch.randn(2, 3), what=WHAT)

    class Hidden(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lin = nn.Linear(3, 2)
            self.scale = torch.randn(2)  # a plain attribute: not saved

        def forward(self, x):
            return self.lin(x) * self.scale

    assert fails(expect_state_dict_round_trip, Hidden, torch.randn(2, 3), what=WHAT)


# ------------------------------------------------------------------ devices and vectorisation


def test_stays_on_device_without_a_gpu() -> None:
    def good(seqs):
        out = seqs[0].new_full((len(seqs), 3, seqs[0].shape[1]), 0.0)
        out[0, : len(seqs[0])] = seqs[0]
        return out

    def made_on_cpu(seqs):
        return torch.zeros(len(seqs), 3, seqs[0].shape[1]) + seqs[0].sum()

    expect_stays_on_device(good, [torch.ones(2, 2)], what=WHAT)
    wrong = fails(expect_stays_on_device, made_on_cpu, [torch.ones(2, 2)], what=WHAT)
    assert "cpu" in wrong.rationale.en and "device=x.device" in wrong.help.en


def test_what_the_meta_device_cannot_run_is_skipped_not_failed() -> None:
    """A correct function using a boolean mask (its shape depends on the values) cannot run on
    the meta device standing in for a GPU: the check cannot tell, so it is skipped; the stub's
    own NotImplementedError still fails."""
    with pytest.raises(pytest.skip.Exception) as skipped:
        expect_stays_on_device(lambda x: x[x > 0].sum(), torch.tensor([1.0, -2.0, 3.0]), what=WHAT)
    assert "meta" in skipped.value.text.en and "does not count" in skipped.value.text.en

    def stub(x):
        raise NotImplementedError("write me")

    with pytest.raises(NotImplementedError, match="write me"):
        expect_stays_on_device(stub, torch.ones(2), what=WHAT)


def test_vectorised_tells_a_loop_from_broadcasting() -> None:
    make = lambda n: (torch.randn(n, 3), torch.randn(4, 3))  # noqa: E731
    expect_vectorised(lambda a, b: ((a[:, None] - b[None]) ** 2).sum(-1), make, what=WHAT)
    loop = lambda a, b: torch.stack([((r - b) ** 2).sum(-1) for r in a])  # noqa: E731
    assert "grows" in fails(expect_vectorised, loop, make, what=WHAT).rationale.en


# ------------------------------------------------------------------ counter-examples in both languages


def test_a_bilingual_counterexample_crosses_the_wire_and_renders_per_language() -> None:
    example = T(ja="長さ [3, 1] の 2 系列", en="two sequences of lengths [3, 1]")
    try:
        with showing(example):
            raise RuntimeError("boom")
    except RuntimeError as exc:
        wire = classify(exc)
    outcome = CheckOutcome.from_wire(wire)
    assert outcome.status is Status.FAILED and outcome.counterexample == example
    check = CheckResult("c", "failed", 1.0, message=outcome.message, counterexample=outcome.counterexample)
    assert "長さ [3, 1] の 2 系列" in full_message(check, "ja")
    assert "two sequences" in full_message(check, "en") and "系列" not in full_message(check, "en")
    assert CheckOutcome.from_wire({**wire, "counterexample": 3}).status is Status.ERROR


# ------------------------------------------------------------------ strategies


@settings(max_examples=20, deadline=None)
@given(seqs=draw.tensor_lists(dtypes=draw.float_dtypes()))
def test_tensor_lists_share_features_and_dtype(seqs: list[torch.Tensor]) -> None:
    assert len({s.shape[1] for s in seqs}) == 1 and len({s.dtype for s in seqs}) == 1
    assert all(s.ndim == 2 and s.shape[0] >= 1 for s in seqs)


def test_module_trees_draw_frozen_and_tied_parameters() -> None:
    settings_ = settings(max_examples=200, deadline=None, database=None)
    tied = find(draw.module_trees(), lambda m: len(list(m.parameters())) < len(dict(m.named_parameters(
        remove_duplicate=False))), settings=settings_)
    frozen = find(draw.module_trees(), lambda m: any(not p.requires_grad for p in m.parameters()),
                  settings=settings_)
    assert tied is not None and frozen is not None


def test_weights_copy_into_a_layer_registered_twice_and_counts_see_through_overrides() -> None:
    class Twice(Named):
        def __init__(self) -> None:
            super().__init__()
            self.again = nn.Sequential(self.body)  # the same Linear under a second name

    expect_same_outputs(Twice(), oracle(), torch.randn(5, 3), what=WHAT)

    class Hiding(Named):
        def parameters(self, recurse: bool = True):  # a count from model.parameters() would be 0
            return iter(())

    assert count_params(Hiding()) == 26
