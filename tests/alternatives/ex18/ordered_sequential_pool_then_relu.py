# Style: one nn.Sequential built from an OrderedDict, pooling before the ReLU (they commute), the sizes computed with conv2d_output_size itself; numpy for the arithmetic.
from __future__ import annotations

from collections import OrderedDict

import numpy as np
from torch import nn


def conv2d_output_size(h, w, kernel_size, stride=1, padding=0, dilation=1):
    k = np.broadcast_to(np.asarray(kernel_size, dtype=np.int64), (2,))
    s = np.broadcast_to(np.asarray(stride, dtype=np.int64), (2,))
    d = np.broadcast_to(np.asarray(dilation, dtype=np.int64), (2,))
    if (k < 1).any() or (s < 1).any() or (d < 1).any():
        raise ValueError("kernel_size, stride and dilation must all be >= 1")
    size = np.array([h, w], dtype=np.int64)
    if padding == "same":
        if (s > 1).any():
            raise ValueError("'same' padding requires stride 1")
        return int(size[0]), int(size[1])
    p = np.zeros(2, dtype=np.int64) if padding == "valid" else np.broadcast_to(np.asarray(padding, dtype=np.int64), (2,))
    if (p < 0).any():
        raise ValueError("padding must be >= 0")
    out = np.floor_divide(size + 2 * p - d * (k - 1) - 1, s) + 1
    if (out <= 0).any():
        raise ValueError(f"non-positive output size {tuple(out.tolist())}")
    return tuple(int(v) for v in out)


class SmallCNN(nn.Module):
    def __init__(self, in_channels, num_classes, image_size):
        super().__init__()
        h, w = image_size
        if h < 4 or w < 4:
            raise ValueError("image_size must be >= (4, 4)")
        h, w = conv2d_output_size(h, w, 3, padding=1)
        h, w = h // 2, w // 2
        h, w = conv2d_output_size(h, w, 3, padding=1)
        h, w = h // 2, w // 2
        self.net = nn.Sequential(OrderedDict([
            ("conv_a", nn.Conv2d(in_channels, 16, 3, padding=1)),
            ("pool_a", nn.MaxPool2d(2)),
            ("act_a", nn.ReLU()),
            ("conv_b", nn.Conv2d(16, 32, 3, padding=1)),
            ("pool_b", nn.MaxPool2d(kernel_size=2, stride=2)),
            ("act_b", nn.ReLU()),
            ("flatten", nn.Flatten(start_dim=1)),
            ("logits", nn.Linear(32 * h * w, num_classes)),
        ]))

    def forward(self, x):
        return self.net(x)
