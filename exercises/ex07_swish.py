"""演習 7 — カスタム autograd 関数で Swish を作る / Exercise 7 — Swish with a custom autograd Function

【課題】活性化関数 Swish（swish(x) = x * sigmoid(x)。PyTorch の F.silu と同じ）を、
順伝播と逆伝播を自分で書いた torch.autograd.Function として実装してください。

    class SwishFunction(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x: Tensor) -> Tensor: ...
        @staticmethod
        def backward(ctx, grad_output: Tensor) -> Tensor: ...

    def swish(x: Tensor) -> Tensor: ...        # SwishFunction.apply(x) を返す
    class Swish(nn.Module): ...                # forward(x) は swish(x) を返す（引数なしで作れる）

- forward は x * sigmoid(x) を返します。どんな形のテンソルでも、dtype（float32 / float64）と
  形を保ちます。入力 x を書き換えてはいけません。
- backward は自分で導出した微分を使います（autograd に任せない）：
  d/dx swish(x) = sigmoid(x) * (1 + x * (1 - sigmoid(x)))。
  連鎖律どおり grad_output を掛けて返します。必要なテンソルは ctx.save_for_backward で保存します。
- 数値的に安定であること：float32 で |x| が 1e4 のような大きな値でも、順伝播・逆伝播とも
  NaN や inf を出しません（exp(x) は x > 88 で float32 の inf になります）。
- swish(x) の結果の grad_fn は SwishFunction のもの（逆伝播があなたの backward を通る）です。
  torch.no_grad() の中や、requires_grad=False の入力でも動きます。
- 採点では torch.autograd.gradcheck（float64）でも backward を確かめます。

[Task] Implement the Swish activation (swish(x) = x * sigmoid(x), the same as PyTorch's
F.silu) as a torch.autograd.Function whose forward and backward you write yourself.

    class SwishFunction(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x: Tensor) -> Tensor: ...
        @staticmethod
        def backward(ctx, grad_output: Tensor) -> Tensor: ...

    def swish(x: Tensor) -> Tensor: ...        # returns SwishFunction.apply(x)
    class Swish(nn.Module): ...                # forward(x) returns swish(x); built with no arguments

- forward returns x * sigmoid(x) for a tensor of any shape, keeping its dtype
  (float32 / float64) and shape. Do not modify the input x.
- backward uses the derivative you derived (not autograd's):
  d/dx swish(x) = sigmoid(x) * (1 + x * (1 - sigmoid(x))), multiplied by grad_output
  (the chain rule). Save what you need with ctx.save_for_backward.
- Numerically stable: no NaN or inf, forward or backward, even for |x| as large as 1e4
  in float32 (exp(x) overflows to inf in float32 for x > 88).
- The grad_fn of swish(x)'s result comes from SwishFunction (backpropagation goes through
  your backward). It also works under torch.no_grad() and on inputs with
  requires_grad=False.
- Grading also checks backward with torch.autograd.gradcheck (float64).

Check your work: ./grade ex7
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    """swish(x) = x * sigmoid(x) with a hand-written backward."""

    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        raise NotImplementedError


def swish(x: Tensor) -> Tensor:
    """SwishFunction.apply(x)."""
    raise NotImplementedError


class Swish(nn.Module):
    """nn.Module wrapper: Swish()(x) == swish(x)."""

    def forward(self, x: Tensor) -> Tensor:
        raise NotImplementedError
