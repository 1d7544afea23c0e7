# Style: in-place ops only on tensors it created itself (sigmoid_ / mul_ / add_ on fresh buffers), never on x or grad_output.
import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        out = x.clone()
        out.sigmoid_()
        out.mul_(x)
        return out

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        factor = torch.ones_like(s).sub_(s)   # 1 - s
        factor.mul_(x).add_(1.0).mul_(s)      # s * (1 + x * (1 - s))
        return factor.mul_(grad_output)


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
