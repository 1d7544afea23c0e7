"""演習 14 — ブロードキャストで全ペアの二乗距離 / Exercise 14 — pairwise squared distances by broadcasting

【教科書では】形状が異なるテンソル同士の演算では、サイズ 1 の次元が「もう一方のテンソルの次元
サイズに合わせてコピー（拡張）されてから演算が行われます」（002 2.6 ブロードキャスティング）。
例えば (3, 1) と (1, 2) の和は (3, 2) になります。また高度なインデックス（003）では
tensor[:, None] のように次元を足して形をそろえます。これを使うと、ループを書かずに
全ての組み合わせを一度に計算できます。

【課題】点の集合 a（形 (N, D)）と b（形 (M, D)）の全てのペアの二乗ユークリッド距離を返す
関数 pairwise_sq_distances を実装してください。

    def pairwise_sq_distances(a: Tensor, b: Tensor) -> Tensor:

- 戻り値は形 (N, M) で、out[i, j] = ‖a_i − b_j‖² = Σ_d (a[i, d] − b[j, d])²。
- dtype とデバイスは a, b と同じ（float32 と float64 を採点します。a と b は同じ dtype です）。
- 値は決して負になりません（丸め誤差で負になる分は 0 に切り上げます）。
- 精度: 誤差が (D + 16)·eps·(‖a_i‖² + ‖b_j‖²) ＋ その dtype の最小の正規化数 以内なら正解です
  （eps は dtype の機械イプシロン）。ですから展開 ‖a‖² + ‖b‖² − 2·a·bᵀ も、
  (a[:, None] − b[None]) ** 2 の和も、torch.cdist(a, b) ** 2 も使えます。
- N = 0 や M = 0 なら空の (N, M) を返します。
- a と b の D が違う、あるいはどちらかが 2 次元でなければ ValueError を送出してください。
- a と b についての勾配が正しいこと（detach しない。float64 で採点します）。
- ベクトル化: 行についての Python のループは使わないでください。採点では N や M を変えても
  実行されるテンソル演算の数が増えないことを確かめます（時間は測りません）。
- a と b は変更しないでください。

[From the textbook] When tensors of different shapes meet, a dimension of size 1 "is copied
(expanded) to the other tensor's size before the operation" (002, 2.6 broadcasting): a
(3, 1) plus a (1, 2) gives a (3, 2). Advanced indexing (003) adds dimensions such as
tensor[:, None] to line shapes up. Together they compute every pair at once, with no loop.

[Task] Implement pairwise_sq_distances, which returns the squared Euclidean distance of
every pair of points from a (shape (N, D)) and b (shape (M, D)).

    def pairwise_sq_distances(a: Tensor, b: Tensor) -> Tensor:

- The result has shape (N, M): out[i, j] = ‖a_i − b_j‖² = Σ_d (a[i, d] − b[j, d])².
- Same dtype and device as a and b (float32 and float64 are graded; a and b share a dtype).
- Never negative: whatever rounding makes negative is clamped at 0.
- Accuracy: an error within (D + 16)·eps·(‖a_i‖² + ‖b_j‖²) plus the dtype's smallest
  normal number is correct (eps is the dtype's machine epsilon). So the expansion
  ‖a‖² + ‖b‖² − 2·a·bᵀ is accepted, as are (a[:, None] − b[None]) ** 2 summed and
  torch.cdist(a, b) ** 2.
- N = 0 or M = 0 gives an empty (N, M) result.
- Raise ValueError when a and b have different D, or when either is not 2-D.
- Gradients with respect to a and b are correct (do not detach; graded in float64).
- Vectorised: no Python loop over rows. Grading checks that the number of tensor
  operations does not grow with N or M (nothing is timed).
- Do not modify a or b.

Check your work: ./grade ex14
"""

from __future__ import annotations

import torch
from torch import Tensor


def pairwise_sq_distances(a: Tensor, b: Tensor) -> Tensor:
    """(N, D) と (M, D) → (N, M) の二乗距離 / (N, D) and (M, D) -> (N, M) squared distances."""
    raise NotImplementedError
