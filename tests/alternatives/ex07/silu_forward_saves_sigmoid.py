# Style: forward via F.silu, saves sigmoid(x) and x, backward with torch.special.expit-free maths.
import torch
import torch.nn.functional as F
from torch import Tensor, nn


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        sig = torch.special.expit(x)
        ctx.save_for_backward(x, sig)
        return F.silu(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, sig = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input.mul_(sig + x * sig * (1.0 - sig))
        return grad_input


swish = SwishFunction.apply


class Swish(nn.Module):
    forward = staticmethod(lambda x: swish(x))
