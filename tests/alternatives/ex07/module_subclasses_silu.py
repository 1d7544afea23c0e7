# Style: Swish subclasses nn.SiLU (for its repr and place in model summaries) but overrides forward with swish.
import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        return grad_output * (s + x * s * (1 - s))


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.SiLU):
    def forward(self, input: Tensor) -> Tensor:
        return swish(input)
