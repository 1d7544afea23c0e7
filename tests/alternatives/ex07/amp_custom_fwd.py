# Style: AMP-ready Function with torch.amp.custom_fwd / custom_bwd decorators, materialize_grads off.
import torch
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    @torch.amp.custom_fwd(device_type="cuda")
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)

    @staticmethod
    @torch.amp.custom_bwd(device_type="cuda")
    def backward(ctx, grad_output: Tensor):
        if grad_output is None:
            return None
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        return grad_output * s * (1 + x * (1 - s))


def swish(x: Tensor) -> Tensor:
    return SwishFunction.apply(x)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
