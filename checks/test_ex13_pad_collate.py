"""Checks for exercise 13: `pad_collate(batch, pad_value=0.0)` -> (padded, lengths, labels).

Contract: batch holds (sequence (L_i, F), label) pairs, one F and one dtype for all, a label
a Python int or a 0-d integer tensor. padded is (B, L_max, F), the sequences' dtype and
device, each row right-padded with pad_value; lengths (B,) int64; labels (B,) int64; batch
order kept. Works as a DataLoader's collate_fn and through functools.partial(pad_value=...).
Empty batch, different F or different dtypes: ValueError. Gradients flow from padded to every
input position, never from padding. Inputs are not modified.

Decisions where the contract is silent:
- Results are compared with an oracle written here (checks.differential.expect_matches):
  tuple or list of three, then type, shape, dtype and values of each tensor; every call also
  fails if it changed the batch (a tensor's values or shape, the list's length or order).
- lengths and labels may live on the cpu or on the sequences' device (pack_padded_sequence
  wants cpu lengths): only padded's device is graded. The device check (meta standing for a
  GPU, checks.devices) uses sequences of length 1, because the simulated GPU reads every
  number as 1 and a correct solution may read L_max back from a device tensor.
- Sequences are float16, bfloat16, float32, float64, int32 or int64. Integer sequences (token
  ids) are graded with integral pad values only (0, -1): how 0.5 truncates is not graded.
- Labels of one batch are all ints or all 0-d tensors of one integer dtype (int64, int32,
  int16, uint8): what a Dataset returns. A mix is not graded.
- L_i = 0, sequences that are not 2-D, and a batch that is a tuple are not graded.
- Gradients are graded in float64 against the oracle's (checks.gradients): each input position
  gets exactly the weight of its slot in padded, so a detached copy, a shifted row, or padding
  that sends gradient anywhere all fail.
- Whether padded shares memory with an input (B = 1, nothing to pad) is not graded.
"""

from __future__ import annotations

import functools

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.utils.data import DataLoader

from checks import strategies as draw
from checks.compare import expect_shape, expect_tensor
from checks.devices import expect_stays_on_device
from checks.differential import expect_matches, expect_unmodified
from checks.feedback import T, expect_raises, show
from checks.gradients import expect_gradients_match
from checks.submission import student

ex = student("ex13_pad_collate")

RESULT = T(ja="pad_collate の戻り値 (padded, lengths, labels)", en="what pad_collate returns, (padded, lengths, labels)")
HELP = T(ja="padded は (B, L_max, F) で、各系列を先頭（位置 0）から置き、右側の残りを pad_value で埋めます。"
            "lengths は各系列の長さ、labels はラベルで、どちらも (B,) の int64 です。バッチの順番は変えません",
         en="padded is (B, L_max, F): each sequence starts at position 0 and the rest of its row, on the right, "
            "is pad_value. lengths holds each sequence's own length and labels the labels, both (B,) int64. "
            "Keep the batch order")
HELP_DTYPE = T(ja="padded の dtype は系列と同じです。torch.full(..., pad_value) は dtype を指定しないと float32 に、"
                  "torch.tensor(pad_value) と cat すると型昇格します。seq.new_full(...) か dtype=seq.dtype を使います",
               en="padded keeps the sequences' dtype: torch.full(..., pad_value) without dtype= is float32, and "
                  "cat with torch.tensor(pad_value) promotes. Use seq.new_full(...) or dtype=seq.dtype")
HELP_LABELS = T(ja="ラベルは int でも 0 次元テンソル（int32 や uint8 のことも）でも、torch.tensor([int(y) ...], "
                   "dtype=torch.int64) で (B,) の int64 にそろえます",
                en="a label may be an int or a 0-d tensor (int32 or uint8 too): torch.tensor([int(y) ...], "
                   "dtype=torch.int64) turns them all into one (B,) int64 tensor")
PADDED = T(ja="padded", en="padded")
PAD_VALUES = st.sampled_from([0.0, -1.0, 3.0])


def oracle(batch: list, pad_value: float = 0.0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The contract, written plainly: a buffer full of pad_value, each sequence copied to its row's start."""
    seqs = [seq for seq, _ in batch]
    padded = torch.full((len(seqs), max(len(s) for s in seqs), seqs[0].shape[1]), pad_value,
                        dtype=seqs[0].dtype, device=seqs[0].device)
    for row, seq in enumerate(seqs):
        padded[row, : len(seq)] = seq
    return (padded, torch.tensor([len(s) for s in seqs], dtype=torch.int64),
            torch.tensor([int(label) for _, label in batch], dtype=torch.int64))


def pairs(seqs: list[torch.Tensor], labels: list | None = None) -> list[tuple[torch.Tensor, object]]:
    labels = labels if labels is not None else [(7 * i + 3) % 10 for i in range(len(seqs))]
    return list(zip(seqs, labels))


def describe(batch: list, pad_value: float | None = None) -> str:
    rows = ",\n    ".join(f"({show(seq, 300)}, {label!r})" for seq, label in batch)
    call = "pad_collate(batch)" if pad_value is None else f"pad_collate(batch, pad_value={pad_value})"
    return f"batch = [\n    {rows}]\n{call}"


def encoded(lengths: list[int], features: int = 2, dtype: torch.dtype = torch.float32) -> list[torch.Tensor]:
    """Sequence i holds 100*(i+1) + 10*t + f: a value out of place tells where it came from."""
    return [(100 * (i + 1) + 10 * torch.arange(n)[:, None] + torch.arange(features)[None]).to(dtype)
            for i, n in enumerate(lengths)]


# --------------------------------------------------------------------------- values

@pytest.mark.points(1)
def test_worked_example() -> None:
    """Three sequences of lengths 3, 1, 2 (F = 2), labels 7, 0, 4, default pad_value."""
    batch = pairs(encoded([3, 1, 2]), [7, 0, 4])
    expect_matches(ex.pad_collate, oracle, batch, what=RESULT, help=HELP, example=describe(batch))


@pytest.mark.points(3)
@given(seqs=draw.tensor_lists(dtypes=st.sampled_from([torch.float32, torch.float64, torch.int64])),
       labels=st.lists(st.integers(0, 9), min_size=6, max_size=6), pad_value=PAD_VALUES)
def test_pads_on_the_right_in_batch_order(seqs: list[torch.Tensor], labels: list[int], pad_value: float) -> None:
    """For any batch: padded, lengths and labels equal the oracle's (right padding, order kept)."""
    batch = pairs(seqs, labels[: len(seqs)])
    expect_matches(ex.pad_collate, oracle, batch, pad_value=pad_value, what=RESULT, help=HELP,
                   example=describe(batch, pad_value))


@pytest.mark.points(2)
@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.int32,
                                   torch.int64], ids=lambda d: str(d).removeprefix("torch."))
def test_dtype_kept_through_partial(dtype: torch.dtype) -> None:
    """functools.partial(pad_collate, pad_value=-1.0): padded keeps the sequences' dtype and pads with -1."""
    batch = pairs(encoded([2, 4, 1], dtype=dtype))
    collate = functools.partial(ex.pad_collate, pad_value=-1.0)
    example = describe(batch, -1.0).replace("pad_collate(batch, pad_value=-1.0)",
                                            "functools.partial(pad_collate, pad_value=-1.0)(batch)")
    expect_matches(collate, functools.partial(oracle, pad_value=-1.0), batch, what=RESULT, help=HELP_DTYPE,
                   example=example)


LABEL_KINDS = {"int": int, **{str(d).removeprefix("torch."): functools.partial(torch.tensor, dtype=d)
                              for d in (torch.int64, torch.int32, torch.int16, torch.uint8)}}


@pytest.mark.points(1)
@pytest.mark.parametrize("kind", list(LABEL_KINDS))
def test_labels_of_any_integer_kind(kind: str) -> None:
    """Labels given as ints or as 0-d tensors of any integer dtype come back as one (B,) int64 tensor."""
    batch = pairs(encoded([1, 3, 2, 2]), [LABEL_KINDS[kind](v) for v in (5, 0, 9, 200)])
    expect_matches(ex.pad_collate, oracle, batch, what=RESULT, help=HELP_LABELS, example=describe(batch))


class Sequences(torch.utils.data.Dataset):
    """A Dataset of (sequence, label) pairs of lengths 1..4, as a text or sensor dataset returns them."""

    def __init__(self) -> None:
        self.items = pairs(encoded([3, 1, 4, 2, 2, 1, 4], features=3, dtype=torch.float64))

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, int]:
        return self.items[i]


@pytest.mark.points(2)
@pytest.mark.parametrize("pad_value", [None, -1.0], ids=["collate_fn", "partial"])
def test_works_as_dataloader_collate_fn(pad_value: float | None) -> None:
    """DataLoader(ds, batch_size=3, collate_fn=...) yields the oracle's batches, the last one short."""
    ds = Sequences()
    collate = ex.pad_collate if pad_value is None else functools.partial(ex.pad_collate, pad_value=pad_value)
    loader = DataLoader(ds, batch_size=3, shuffle=False, collate_fn=collate)
    setup = "DataLoader(ds, batch_size=3, collate_fn=" + ("pad_collate)" if pad_value is None else
                                                          "functools.partial(pad_collate, pad_value=-1.0))")
    example = T(ja=f"ds = 7 組（float64 の系列 (L, 3)、L = [3, 1, 4, 2, 2, 1, 4]）; {setup}",
                en=f"ds = 7 pairs (float64 sequences (L, 3), L = [3, 1, 4, 2, 2, 1, 4]); {setup}")
    expect_matches(lambda: list(loader), lambda: [oracle(ds.items[i: i + 3], pad_value or 0.0) for i in (0, 3, 6)],
                   what=T(ja="DataLoader が返すバッチのリスト", en="the list of batches the DataLoader yields"),
                   help=HELP, example=example)


# --------------------------------------------------------------------------- gradients, errors, inputs

@pytest.mark.points(2)
@given(seqs=draw.tensor_lists(min_size=2, dtypes=st.just(torch.float64)), pad_value=PAD_VALUES)
def test_gradients_reach_every_position_never_from_padding(seqs: list[torch.Tensor], pad_value: float) -> None:
    """Backward from padded gives each sequence position exactly the weight of its slot; padding sends nothing."""
    labels = list(range(len(seqs)))
    expect_gradients_match(lambda *xs: ex.pad_collate(pairs(list(xs), labels), pad_value=pad_value),
                           lambda *xs: oracle(pairs(list(xs), labels), pad_value), *seqs, output=lambda r: r[0],
                           what=T(ja="各系列の勾配", en="the gradient of each sequence"),
                           help=T(ja="detach()、.tolist()、numpy を通すと勾配が切れます。padded[i, :L] = seq や "
                                     "pad_sequence、F.pad、cat と stack は微分可能です",
                                  en="detach(), .tolist() and numpy cut the gradient; padded[i, :L] = seq, "
                                     "pad_sequence, F.pad, cat and stack are differentiable"),
                           example=describe(pairs(seqs, labels), pad_value) + "  # requires_grad=True")


BAD_BATCHES = {  # the odd sequence comes last: comparing only the first two is not enough
    "empty": (list, T(ja="空のバッチ []", en="an empty batch []")),
    "different_F": (lambda: pairs([torch.zeros(2, 3), torch.zeros(1, 3), torch.zeros(4, 2)]),
                    T(ja="形 (2, 3)、(1, 3)、(4, 2) の系列（F が違う）", en="sequences (2, 3), (1, 3), (4, 2): different F")),
    "float32_and_float64": (lambda: pairs([torch.zeros(2, 3), torch.zeros(1, 3),
                                           torch.zeros(3, 3, dtype=torch.float64)]),
                            T(ja="float32、float32、float64 の系列", en="float32, float32 and float64 sequences")),
    "float32_and_int64": (lambda: pairs([torch.zeros(1, 2), torch.zeros(2, 2), torch.zeros(3, 2, dtype=torch.int64)]),
                          T(ja="float32、float32、int64 の系列", en="float32, float32 and int64 sequences")),
}


@pytest.mark.points(1)
@pytest.mark.parametrize("case", list(BAD_BATCHES))
def test_invalid_batch_raises_value_error(case: str) -> None:
    """An empty batch, sequences with different F and sequences with different dtypes raise ValueError."""
    make, what = BAD_BATCHES[case]
    expect_raises(ValueError, ex.pad_collate, make(), what=what,
                  help=T(ja="最初に検査して raise ValueError(...) します。pad_sequence は F の違いに RuntimeError を出し、"
                            "dtype の違いは黙って型昇格します。batch[0] を先に読むと空のバッチで IndexError になります",
                         en="validate first and raise ValueError(...): pad_sequence raises RuntimeError for "
                            "different F "
                            "and silently promotes different dtypes; reading batch[0] first gives IndexError on an "
                            "empty batch"))


@pytest.mark.points(1)
def test_batch_not_modified() -> None:
    """The batch list and its tensors are the same after a call that has to pad."""
    batch = pairs(encoded([1, 4, 2]), [torch.tensor(2), torch.tensor(1), torch.tensor(0)])
    expect_unmodified(ex.pad_collate, batch, what=T(ja="pad_collate", en="pad_collate"), example=describe(batch),
                      help=T(ja="seq.resize_()、batch.sort() のような in-place 操作は呼び出し元のデータを書き換えます。"
                                "新しいテンソル（new_full など）に書き込みます",
                             en="in-place operations such as seq.resize_() or batch.sort() change the caller's data: "
                                "write into a new tensor (new_full, ...)"))


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype", [torch.float32, torch.int64], ids=["float32", "int64"])
def test_padded_stays_on_the_sequences_device(dtype: torch.dtype) -> None:
    """With the sequences on a GPU (simulated), padded is made there and nothing mixes devices."""
    batch = pairs([torch.ones(1, 3, dtype=dtype)] * 3, [1, 0, 1])
    name = str(dtype).removeprefix("torch.")
    example = T(ja=f"batch = GPU 上の {name} の系列 (1, 3) が 3 つ; pad_value=-1.0",
                en=f"batch = three {name} sequences (1, 3) on a GPU; pad_value=-1.0")
    padded = expect_stays_on_device(lambda b: ex.pad_collate(b, pad_value=-1.0)[0], batch,
                                    what=T(ja="padded", en="padded"), example=example)
    expect_shape(expect_tensor(padded, PADDED, counterexample=example), (3, 1, 3), PADDED, HELP,
                 counterexample=example)
