"""演習 16 — 勾配をグローバルノルムでクリップする / Exercise 16 — clip gradients by their global norm

【課題】教科書（003「実践的な勾配処理」）は勾配爆発を防ぐために

    total_norm_before = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    print(f"クリッピング前のノルム: {total_norm_before:.3f}")

と書き、「ノルムによるクリッピング」を 1 行で済ませています。この clip_grad_norm_ が中で何を
しているのかを、自分で書いてみましょう。torch.nn.utils.clip_grad_norm_ と（既定の引数で）
同じ動作をする関数 clip_grad_norm を実装してください。

    def clip_grad_norm(parameters: Iterable[Tensor] | Tensor, max_norm: float,
                       norm_type: float = 2.0) -> Tensor: ...

要件:
  - すべてのパラメータの勾配（.grad）をつなげて 1 本のベクトルとみなしたときの norm_type ノルム
    （全体ノルム）を求めます。norm_type = p なら (Σ|g|^p)^(1/p)、float("inf") なら max|g| です。
  - .grad が None のパラメータは飛ばします（requires_grad=False のパラメータなど）。
  - parameters はリストでも、model.parameters() のようなジェネレータ（1 回しか読めません）でも、
    テンソル 1 つでも受け付けます。
  - 全体ノルム total が max_norm より大きいときだけ、すべての勾配を max_norm / (total + 1e-6) 倍に
    その場で（in-place で）縮めます。
  - 戻り値はクリップする前の全体ノルムで、0 次元のテンソル（勾配と同じ dtype）です。
    勾配が 1 つもないときは torch.tensor(0.) を返します。
  - パラメータそのもの（重みの値）は変えません。変えるのは勾配だけです。
  - torch.nn.utils.clip_grad_norm_ / clip_grads_with_norm_ / get_total_norm は使わないでください
    （採点では、呼ぶと不合格になります）。

[Task] The textbook (003, "実践的な勾配処理", practical gradient handling) prevents exploding
gradients with a single line,

    total_norm_before = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)

Write what clip_grad_norm_ does inside yourself: implement clip_grad_norm, which behaves
like torch.nn.utils.clip_grad_norm_ with its default arguments.

    def clip_grad_norm(parameters: Iterable[Tensor] | Tensor, max_norm: float,
                       norm_type: float = 2.0) -> Tensor: ...

Requirements:
  - Take the norm of all the parameters' gradients (.grad) seen as one single vector (the
    global norm): (Σ|g|^p)^(1/p) for norm_type = p, and max|g| for float("inf").
  - Skip parameters whose .grad is None (for instance those with requires_grad=False).
  - `parameters` may be a list, a generator such as model.parameters() (it can be read only
    once), or a single tensor.
  - Only when the total norm exceeds max_norm, scale every gradient in place by
    max_norm / (total + 1e-6).
  - Return the total norm before clipping as a 0-d tensor (of the gradients' dtype); with no
    gradient at all, return torch.tensor(0.).
  - Never change the parameters themselves (their values): only their gradients.
  - Do not use torch.nn.utils.clip_grad_norm_ / clip_grads_with_norm_ / get_total_norm
    (grading fails a submission that calls them).

Check your work: ./grade ex16
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor


def clip_grad_norm(parameters: Iterable[Tensor] | Tensor, max_norm: float,
                   norm_type: float = 2.0) -> Tensor:
    raise NotImplementedError
