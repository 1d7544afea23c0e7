"""演習 6 — 各シーケンスの最後のトークン / Exercise 6 — last token of each sequence

【課題】パディングされたバッチ hidden（形 (B, T, F)：バッチ、系列長、特徴量）と、各系列の
実際の長さ lengths（形 (B,)）から、各系列の「最後の有効なトークン」を取り出す関数
last_tokens を実装してください。

    def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:

- 戻り値は形 (B, F) で、b 行目は hidden[b, lengths[b] - 1] です。
- dtype とデバイスは hidden と同じにします（float16 / float32 / float64、cpu / cuda）。
- lengths は任意の整数 dtype（int64、int32、uint8 など）で、1 ≤ lengths[b] ≤ T です。
  範囲外の長さ（0、負、T より大きい）があれば ValueError を送出してください。
- 勾配は選ばれた位置 hidden[b, lengths[b] - 1, :] にだけ流れます（detach しない）。
- hidden と lengths は変更しないでください。
- 「効率的に」：バッチについての Python の for ループは使わず、テンソル演算で一度に
  取り出してください。採点では、B を変えたときに実行されるテンソル演算の数が増えないこと
  を確認します（時間は測りません）。

[Task] Given a padded batch `hidden` of shape (B, T, F) (batch, time, features) and the
true length of each sequence `lengths` of shape (B,), implement `last_tokens`, which
picks the last valid token of every sequence.

    def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:

- Returns a (B, F) tensor whose row b is hidden[b, lengths[b] - 1].
- Same dtype and device as `hidden` (float16 / float32 / float64, cpu / cuda).
- `lengths` may have any integer dtype (int64, int32, uint8, ...) with
  1 <= lengths[b] <= T. Raise ValueError if any length is out of range (0, negative,
  or greater than T).
- Gradients flow to exactly the selected positions hidden[b, lengths[b] - 1, :]
  (do not detach).
- Do not modify `hidden` or `lengths`.
- "Efficiently": no Python loop over the batch; select all rows at once with tensor
  operations. Grading checks that the number of tensor operations does not grow with
  B (nothing is timed).

Check your work: ./grade ex6
"""

from __future__ import annotations

import torch
from torch import Tensor


def last_tokens(hidden: Tensor, lengths: Tensor) -> Tensor:
    """(B, T, F) と (B,) から (B, F) を返す / (B, T, F) and (B,) -> (B, F)."""
    raise NotImplementedError
