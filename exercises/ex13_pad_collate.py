"""演習 13 — 可変長の系列をまとめる collate_fn / Exercise 13 — collate variable-length sequences

【教科書では】DataLoader の collate_fn は「バッチ作成時のカスタム処理（不規則形状データ用）」で、
使用ケースに「多可変長入力（例：異なる長さの時系列データ）」が挙げられています（004 DataLoaderの説明）。
また torch.stack は「新しい次元を追加して結合」し「同じ形状のテンソルのみ」、torch.cat は
「既存の次元に沿ってテンソルを連結」します（004 torch.stack vs torch.cat）。長さの違う系列は
そのままでは stack できないので、短い系列を後ろから埋めて（パディングして）長さをそろえます。

【課題】(系列, ラベル) の組のリスト batch を 1 つのバッチにまとめる関数 pad_collate を実装して
ください。

    def pad_collate(batch: list[tuple[Tensor, int | Tensor]], pad_value: float = 0.0
                    ) -> tuple[Tensor, Tensor, Tensor]:

- 各系列は形 (L_i, F) のテンソルで L_i ≥ 1。F と dtype はバッチ内で共通です。
  ラベルは Python の int か、0 次元の整数テンソルです。
- 戻り値は (padded, lengths, labels):
  - padded: 形 (B, L_max, F)。dtype とデバイスは系列と同じ。各系列を先頭から置き、
    後ろ（右側）の残りを pad_value で埋めます。
  - lengths: 形 (B,) の int64 で、各系列の長さ L_i。
  - labels: 形 (B,) の int64。
  - バッチ内の順番はそのまま保ちます（長さで並べ替えない）。
- `DataLoader(ds, batch_size=k, collate_fn=pad_collate)` として、また
  `functools.partial(pad_collate, pad_value=-1.0)` として使えること。
- 空のバッチ、F が違う系列、dtype が違う系列があれば ValueError を送出してください。
- 勾配は padded から各系列のすべての位置に流れ、パディングの位置からはどこにも流れません
  （detach しない）。
- batch とその中のテンソルは変更しないでください。
- pad_value の dtype で padded の dtype を変えないこと（例: torch.tensor(pad_value) は
  float32 なので、float16 や int64 の系列と混ぜると dtype が変わります）。

[From the textbook] A DataLoader's collate_fn is "custom processing when a batch is made
(for irregularly shaped data)", used for "variable-length inputs (e.g. time series of
different lengths)" (004, the DataLoader section). torch.stack "joins along a new
dimension" and needs tensors "of the same shape"; torch.cat "concatenates along an existing
dimension" (004, torch.stack vs torch.cat). Sequences of different lengths cannot be
stacked as they are: the shorter ones are padded at the end to a common length first.

[Task] Implement pad_collate, which turns a list `batch` of (sequence, label) pairs into
one batch.

    def pad_collate(batch: list[tuple[Tensor, int | Tensor]], pad_value: float = 0.0
                    ) -> tuple[Tensor, Tensor, Tensor]:

- Each sequence is an (L_i, F) tensor with L_i >= 1; F and the dtype are the same for the
  whole batch. A label is a Python int or a 0-d integer tensor.
- Return (padded, lengths, labels):
  - padded: shape (B, L_max, F), the sequences' dtype and device; each sequence starts at
    position 0 and the rest of its row (on the right) is filled with pad_value.
  - lengths: shape (B,), int64, the length L_i of each sequence.
  - labels: shape (B,), int64.
  - The batch order is kept (do not sort by length).
- It works as `DataLoader(ds, batch_size=k, collate_fn=pad_collate)` and as
  `functools.partial(pad_collate, pad_value=-1.0)`.
- Raise ValueError for an empty batch, for sequences with different F, and for sequences
  with different dtypes.
- Gradients flow from padded back to every position of every sequence, and never from the
  padding positions (do not detach).
- Do not modify batch or the tensors in it.
- pad_value must not change padded's dtype (torch.tensor(pad_value) is float32: mixed with
  float16 or int64 sequences it changes the dtype).

Check your work: ./grade ex13
"""

from __future__ import annotations

import torch
from torch import Tensor


def pad_collate(batch: list[tuple[Tensor, int | Tensor]], pad_value: float = 0.0
                ) -> tuple[Tensor, Tensor, Tensor]:
    """(系列, ラベル) のリスト → (padded, lengths, labels) / a list of (sequence, label) -> (padded, lengths, labels)."""
    raise NotImplementedError
