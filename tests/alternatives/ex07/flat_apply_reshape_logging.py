# Style: Function works on a flat contiguous view; swish reshapes back (reshape after apply); logs shapes through logging.
import logging

import torch
from torch import Tensor, nn

log = logging.getLogger(__name__)


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        return grad_output.reshape(x.shape) * (s * (1 + x * (1 - s)))


def swish(x: Tensor) -> Tensor:
    log.debug("swish on shape %s", tuple(x.shape))
    flat = x.reshape(-1)
    return SwishFunction.apply(flat).reshape(x.shape)


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return swish(x)
