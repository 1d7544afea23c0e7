# Style: numpy maths (tanh form of the sigmoid) converted back to x's dtype and device; swish is a lambda; prints.
import numpy as np
import torch
from torch import nn


def _sigmoid_np(a):
    return 0.5 * (1.0 + np.tanh(0.5 * a))     # tanh form: no overflow


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        a = x.detach().cpu().numpy()
        s = _sigmoid_np(a)
        ctx.save_for_backward(x)
        return torch.from_numpy(np.asarray(a * s)).to(device=x.device, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        a = x.detach().cpu().numpy()
        s = _sigmoid_np(a)
        d = torch.from_numpy(np.asarray(s * (1.0 + a * (1.0 - s)))).to(device=x.device, dtype=x.dtype)
        return grad_output * d


swish = lambda x: SwishFunction.apply(x)  # noqa: E731


class Swish(nn.Module):
    def forward(self, x):
        print("Swish forward", tuple(x.shape))
        return swish(x)
