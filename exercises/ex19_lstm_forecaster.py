"""演習 19 — スライディングウィンドウと LSTM 予測器 / Exercise 19 — sliding windows and an LSTM forecaster

【課題】教科書 7.2「時系列データ予測モデル (RNN/LSTM)」では、サインカーブから
「一定長のシーケンスを入力とし、その次の値を予測する形式のデータセット」を
create_sequences で作り、LSTM 層の「最後のタイムステップの出力だけを全結合層に渡す」
モデルで次の値を予測しました。これを、複数の特徴量（F 個）と複数ステップ先
（horizon 個）の予測に一般化します。

    def make_windows(series: Tensor, window: int, horizon: int = 1) -> tuple[Tensor, Tensor]

    class LSTMForecaster(nn.Module):
        def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, horizon: int = 1): ...
        def forward(self, x: Tensor) -> Tensor:   # (B, window, input_size) -> (B, horizon, input_size)

make_windows の要件:
  - series の形は (T,) または (T, F)。1 次元の系列は F = 1 として扱います。
  - 戻り値 X の形は (N, window, F)、Y の形は (N, horizon, F)。
    X[i] = series[i : i+window]、Y[i] = series[i+window : i+window+horizon]
    （予測すべき値が入力ウィンドウに入り込まないこと）。
  - N = T - window - horizon + 1。N <= 0 のときは、形 (0, window, F) と (0, horizon, F) の
    空テンソルを返します。
  - window < 1 または horizon < 1 なら ValueError。
  - X と Y の dtype は series と同じ。series 自体は変更しない。

LSTMForecaster の要件:
  - nn.LSTM(input_size, hidden_size, num_layers, batch_first=True) のあとに
    nn.Linear(hidden_size, horizon * input_size) を置きます。
  - Linear には LSTM の出力のうち最後のタイムステップ（output[:, -1]）だけを渡し、
    結果を (B, horizon, input_size) に reshape して返します。
  - バッチの各行は互いに独立に予測されます（ある行の出力が他の行に影響されない）。

[Task] Section 7.2 of the textbook ("time-series prediction with RNN/LSTM") builds, from a
sine wave, "a dataset whose input is a fixed-length sequence and whose label is the next
value" with create_sequences, and predicts it with a model that "passes only the output of
the last time step to the fully connected layer". Generalise this to F features and to
`horizon` steps ahead.

    def make_windows(series: Tensor, window: int, horizon: int = 1) -> tuple[Tensor, Tensor]

    class LSTMForecaster(nn.Module):
        def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, horizon: int = 1): ...
        def forward(self, x: Tensor) -> Tensor:   # (B, window, input_size) -> (B, horizon, input_size)

make_windows requirements:
  - series has shape (T,) or (T, F); a 1-D series is F = 1.
  - Returns X of shape (N, window, F) and Y of shape (N, horizon, F), with
    X[i] = series[i : i+window] and Y[i] = series[i+window : i+window+horizon]
    (no target value leaks into its input window).
  - N = T - window - horizon + 1. When N <= 0, return empty tensors of shapes
    (0, window, F) and (0, horizon, F).
  - window < 1 or horizon < 1 → ValueError.
  - X and Y have series' dtype; series itself is not modified.

LSTMForecaster requirements:
  - nn.LSTM(input_size, hidden_size, num_layers, batch_first=True), then
    nn.Linear(hidden_size, horizon * input_size).
  - The Linear sees only the LSTM output of the last time step (output[:, -1]); its result
    is reshaped to (B, horizon, input_size).
  - The rows of a batch are predicted independently of each other.

Check your work: ./grade ex19
"""

from __future__ import annotations

import torch
from torch import nn


def make_windows(series: torch.Tensor, window: int, horizon: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    raise NotImplementedError


class LSTMForecaster(nn.Module):
    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, horizon: int = 1) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError
