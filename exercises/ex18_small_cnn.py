"""演習 18 — 畳み込みの出力サイズと、どんな画像サイズにも使える CNN / Exercise 18 — conv output sizes and a CNN for any image size

【課題】教科書（002「7.1 画像分類モデル (CNN)」）は全結合層の入力サイズを手で計算しています:

    # 初期サイズ: 32x32
    # conv1後: (32-5+1) = 28x28 -> pool後: 14x14
    # conv2後: (14-5+1) = 10x10 -> pool後: 5x5
    # よって、平坦化後のサイズは 16 * 5 * 5
    self.fc1 = nn.Linear(16 * 5 * 5, 120)

この計算は画像サイズが変わると書き直しになります。次の 2 つを実装してください。

(1) nn.Conv2d の出力の高さと幅を計算する関数

    def conv2d_output_size(h: int, w: int, kernel_size, stride=1, padding=0, dilation=1) -> tuple[int, int]: ...

  - kernel_size / stride / padding / dilation はそれぞれ int か (高さ方向, 幅方向) の組です。
    padding は "valid"（パディングなし）か "same"（出力が入力と同じ大きさ）でも構いません。
  - 出力 = floor((入力 + 2·padding − dilation·(kernel_size − 1) − 1) / stride) + 1 を高さと幅で
    それぞれ計算し、(h_out, w_out) を Python の int のタプルで返します。有効なすべての組み合わせで
    nn.Conv2d の出力と一致すること。
  - 次の場合は ValueError を送出します: 出力が 0 以下になる、kernel_size・stride・dilation に
    1 未満の値がある、padding に負の値がある、"same" なのに stride が 1 より大きい
    （nn.Conv2d も受け付けません）。

(2) 画像サイズを引数に取る CNN

    class SmallCNN(nn.Module):
        def __init__(self, in_channels: int, num_classes: int, image_size: tuple[int, int]): ...
        def forward(self, x: Tensor) -> Tensor: ...   # (B, C, H, W) -> (B, num_classes) のロジット

  - 構成はちょうど次のとおり（この順で。モジュールの名前は自由です）:
      Conv2d(in_channels, 16, 3, padding=1) → ReLU → MaxPool2d(2)
      → Conv2d(16, 32, 3, padding=1) → ReLU → MaxPool2d(2)
      → Flatten → Linear(32·(H//2//2)·(W//2//2), num_classes)
    image_size = (H, W) です。
  - Linear の入力サイズは image_size から計算します（教科書のように 28×28 や 32×32 を決め打ちしない）。
    奇数や縦横で異なる大きさでも動くこと。
  - image_size が (4, 4) より小さい（H < 4 または W < 4）なら ValueError。
  - 出力は softmax をかける前のロジットです。

[Task] The textbook (002, "7.1 画像分類モデル (CNN)") works out the input size of the fully
connected layer by hand (32x32 → 28x28 → 14x14 → 10x10 → 5x5, so 16 * 5 * 5), which has
to be redone whenever the image size changes. Implement:

(1) the height and width of nn.Conv2d's output,

    def conv2d_output_size(h: int, w: int, kernel_size, stride=1, padding=0, dilation=1) -> tuple[int, int]: ...

  - kernel_size / stride / padding / dilation are each an int or a (height, width) pair;
    padding may also be "valid" (no padding) or "same" (output as large as the input).
  - out = floor((in + 2·padding − dilation·(kernel_size − 1) − 1) / stride) + 1 for the height
    and the width; return (h_out, w_out) as a tuple of Python ints, equal to what nn.Conv2d
    produces for every valid combination.
  - Raise ValueError when the output would not be positive, when a kernel size, stride or
    dilation is below 1, when a padding is negative, or for "same" with a stride above 1
    (nn.Conv2d refuses it too).

(2) a CNN that takes the image size as an argument,

    class SmallCNN(nn.Module):
        def __init__(self, in_channels: int, num_classes: int, image_size: tuple[int, int]): ...
        def forward(self, x: Tensor) -> Tensor: ...   # (B, C, H, W) -> (B, num_classes) logits

  - Exactly this architecture, in this order (module names are up to you):
      Conv2d(in_channels, 16, 3, padding=1) → ReLU → MaxPool2d(2)
      → Conv2d(16, 32, 3, padding=1) → ReLU → MaxPool2d(2)
      → Flatten → Linear(32·(H//2//2)·(W//2//2), num_classes)
    with image_size = (H, W).
  - The Linear's input size is computed from image_size (never the textbook's hard-coded
    28×28 or 32×32); odd and non-square sizes work too.
  - image_size smaller than (4, 4) (H < 4 or W < 4) → ValueError.
  - The output is logits (no softmax).

Check your work: ./grade ex18
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


def conv2d_output_size(h: int, w: int, kernel_size, stride=1, padding=0, dilation=1) -> tuple[int, int]:
    raise NotImplementedError


class SmallCNN(nn.Module):
    def __init__(self, in_channels: int, num_classes: int, image_size: tuple[int, int]) -> None:
        super().__init__()
        raise NotImplementedError

    def forward(self, x: Tensor) -> Tensor:
        raise NotImplementedError
