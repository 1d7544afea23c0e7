# Style: forward and backward compute in float64 for accuracy and cast back to the input's dtype.
import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        x64 = x.to(torch.float64)
        return (x64 * torch.sigmoid(x64)).to(x.dtype)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        x64 = x.double()
        s = torch.sigmoid(x64)
        local = s * (1 + x64 * (1 - s))
        return (grad_output.double() * local).to(grad_output.dtype)


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
