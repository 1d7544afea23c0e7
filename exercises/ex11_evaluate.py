"""演習 11 — デバイスに依存しない評価ループ / Exercise 11 — device-agnostic evaluation

【課題】GPU があってもなくても同じように動く評価用のコードを書いてください。
次の 3 つの関数を実装します。

  def get_device() -> torch.device
      CUDA（GPU）が使えれば torch.device("cuda")、使えなければ torch.device("cpu") を返します。
      文字列ではなく torch.device を返してください。

  def move_to(obj, device)
      obj の中のテンソルをすべて device に移したものを返します。
      - obj がテンソルなら obj.to(device) を返します。
      - dict / list / tuple は入れ子になっていても中までたどり、同じ型の入れ物で返します
        （tuple は tuple のまま、list は list のまま、dict は同じキーのまま）。
      - テンソル以外の値（数値、文字列、None、NumPy 配列など）は手を加えず、同じオブジェクトを
        そのまま入れて返します。テンソルの dtype も変えません。

  def evaluate(model: nn.Module, loader, device) -> dict[str, float]
      loader（DataLoader など）が返すバッチ (x, y) を順に device に移してモデルで推論し、
      {"loss": 交差エントロピー損失の全サンプル平均, "accuracy": 正解率（0〜1 の割合）}
      を返します。model の出力はロジット (B, C)、y はクラス番号 (B,)（int64）です。
      - どのサンプルも同じ重みで平均します。最後のバッチが短くても、バッチごとの平均の
        平均にはなりません。正解率はパーセントではなく割合です。
      - 値は Python の float にします（テンソルのままにしない）。キーは "loss" と "accuracy" だけ。
      - 推論中は評価モード（model.eval()）にし、torch.no_grad() の中で実行します。
      - 終わったら model を呼び出し前のモード（学習モード / 評価モード）に戻します。
        モデルのパラメータやバッファは変えません。
      - バッチ (x, y) は tuple でも list でもかまいません。
      - サンプルが 1 つもない loader では ValueError を送出します。
      model はすでに device 上にあるものとして呼ばれます（model.to(device) を呼んでもかまいません）。
      CPU でも GPU でも同じ結果になるようにします。

[Task] Write evaluation code that runs the same with or without a GPU. Implement three
functions:

  def get_device() -> torch.device
      Return torch.device("cuda") when CUDA (a GPU) is available, else torch.device("cpu").
      Return a torch.device, not a string.

  def move_to(obj, device)
      Return obj with every tensor in it moved to device.
      - A tensor: return obj.to(device).
      - dict / list / tuple, nested to any depth, come back as the same kind of container
        (a tuple stays a tuple, a list a list, a dict keeps its keys).
      - Anything that is not a tensor (numbers, strings, None, NumPy arrays, ...) is left
        alone: the very same object is put in the result. Tensors keep their dtype.

  def evaluate(model: nn.Module, loader, device) -> dict[str, float]
      Move each batch (x, y) from the loader (a DataLoader or similar) to device, run the
      model, and return
      {"loss": mean cross-entropy over all samples, "accuracy": fraction correct (0 to 1)}.
      The model outputs logits (B, C); y holds class indices (B,) (int64).
      - Every sample weighs the same, whatever the batch sizes: with a short last batch the
        result is not the mean of the per-batch means. Accuracy is a fraction, not percent.
      - Values are Python floats (not tensors); the keys are exactly "loss" and "accuracy".
      - The forward passes run in eval mode (model.eval()) inside torch.no_grad().
      - Afterwards the model is back in the mode it had before the call (train or eval),
        and its parameters and buffers are unchanged.
      - Batches (x, y) may be tuples or lists.
      - A loader that yields no samples raises ValueError.
      The model is passed already on device (calling model.to(device) as well is fine).
      The result is the same on CPU and GPU.

Check your work: ./grade ex11
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F  # noqa: F401  (you may want F.cross_entropy)


def get_device() -> torch.device:
    """CUDA があれば cuda、なければ cpu / cuda if available, else cpu."""
    raise NotImplementedError


def move_to(obj: Any, device: torch.device) -> Any:
    """obj の中のテンソルを device へ / the tensors inside obj, moved to device."""
    raise NotImplementedError


def evaluate(model: nn.Module, loader: Any, device: torch.device) -> dict[str, float]:
    """{"loss": 平均交差エントロピー, "accuracy": 正解率} / mean cross-entropy and accuracy."""
    raise NotImplementedError
