"""演習 3 — 正規化するデータセット / Exercise 3 — NormalizedDataset

【教科書との違い】この課題は教科書（第4章 演習問題 問題3）の問題に、学習データの統計量を使い回すための
引数 mean と std、および data と labels の長さが違うときや data が 2 次元でないときの ValueError を
加えています。教科書の解答例にはこれらが無いので、そのままでは満点になりません。

【課題】NumPy 配列のデータとラベルを受け取り、特徴量ごとに標準化（平均 0、標準偏差 1）して
返す PyTorch のデータセット NormalizedDataset を実装してください（第4章 演習問題 問題3）。

    class NormalizedDataset(torch.utils.data.Dataset):
        def __init__(self, data: np.ndarray, labels: np.ndarray,
                     mean: np.ndarray | None = None, std: np.ndarray | None = None): ...
        mean: np.ndarray   # 形 (F,)。実際に使った平均
        std: np.ndarray    # 形 (F,)。実際に使った標準偏差
        def __len__(self) -> int: ...
        def __getitem__(self, idx: int) -> tuple[Tensor, Tensor]: ...

  - data は形 (N, F) の実数配列（整数型のこともあります）、labels は形 (N,) の整数配列です。
  - mean / std を渡さないとき: data から特徴量ごと（axis=0）に平均と標準偏差を計算します。
    標準偏差は母標準偏差（ddof=0、np.std の既定）です。
  - mean / std を渡したとき（検証データを学習データの統計量で正規化するときなど）:
    計算し直さず、渡された値をそのまま使います。
  - dataset[i] は (特徴量, ラベル) を返します。特徴量は (x - mean) / std で、dtype float32、
    形 (F,) のテンソル。ラベルは dtype int64 のスカラー（0 次元）テンソルです。
  - 標準偏差が 0 の特徴量（すべて同じ値）は、有限で ≈ 0 になるようにします
    （std に 1e-6 以下の小さな eps を足す、または 0 の std を 1 に置き換える、のどちらでも可）。
    NaN や inf を出してはいけません。
  - 呼び出し側の配列（data, labels, mean, std）を書き換えてはいけません。
  - 負のインデックスは Python のリストと同じように扱います（dataset[-1] は最後の要素）。
  - len(data) != len(labels) のとき、または data が 2 次元でないときは、分かりやすい
    メッセージ付きの ValueError を送出します。
  - DataLoader(dataset, batch_size=b) で使えます: バッチは (b, F) の float32 と (b,) の int64。

[Beyond the textbook] This exercise adds to the textbook's problem (chapter 4, exercise 3) the
mean and std parameters, to reuse the training statistics, and a ValueError when data and labels
differ in length or data is not 2-D. The textbook's printed answer has neither, so as printed it
does not get full marks.

[Task] Implement NormalizedDataset, a PyTorch dataset that takes NumPy data and labels
and standardises each feature (mean 0, standard deviation 1) — chapter 4, exercise 3.

    class NormalizedDataset(torch.utils.data.Dataset):
        def __init__(self, data: np.ndarray, labels: np.ndarray,
                     mean: np.ndarray | None = None, std: np.ndarray | None = None): ...
        mean: np.ndarray   # shape (F,): the mean actually used
        std: np.ndarray    # shape (F,): the standard deviation actually used
        def __len__(self) -> int: ...
        def __getitem__(self, idx: int) -> tuple[Tensor, Tensor]: ...

  - data is an (N, F) array of real numbers (possibly of an integer dtype); labels is an
    (N,) array of integers.
  - Without mean / std: compute them per feature (axis=0) from data, with the population
    standard deviation (ddof=0, np.std's default).
  - With mean / std (e.g. a validation set normalised with the training statistics):
    use them as given, do not recompute.
  - dataset[i] returns (features, label): features = (x - mean) / std as a float32 tensor
    of shape (F,); label as an int64 scalar (0-d) tensor.
  - A feature whose standard deviation is 0 (all values equal) must come out finite and
    ≈ 0 (add a small eps ≤ 1e-6 to std, or replace a zero std by 1 — either is fine).
    Never produce NaN or inf.
  - Do not modify the caller's arrays (data, labels, mean, std).
  - Negative indices behave as for a Python list (dataset[-1] is the last item).
  - len(data) != len(labels), or data that is not 2-D, raises ValueError with a clear
    message.
  - Works with DataLoader(dataset, batch_size=b): batches are (b, F) float32 and (b,) int64.

Check your work: ./grade ex3
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor
from torch.utils.data import Dataset


class NormalizedDataset(Dataset):
    def __init__(self, data: np.ndarray, labels: np.ndarray,
                 mean: np.ndarray | None = None, std: np.ndarray | None = None) -> None:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def __getitem__(self, idx: int) -> tuple[Tensor, Tensor]:
        raise NotImplementedError
