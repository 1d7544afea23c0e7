# Style: sizes read off a real nn.Conv2d run on the meta device (after validating the arguments); the Linear sized by a dummy forward pass in __init__.
from __future__ import annotations

import torch
from torch import nn
from torch.nn.modules.utils import _pair


def conv2d_output_size(h: int, w: int, kernel_size, stride=1, padding=0, dilation=1) -> tuple[int, int]:
    k, s, d = _pair(kernel_size), _pair(stride), _pair(dilation)
    if min(k) < 1 or min(s) < 1 or min(d) < 1:
        raise ValueError("kernel_size, stride and dilation must be positive")
    if padding == "same" and max(s) > 1:
        raise ValueError("padding='same' is not supported for strided convolutions")
    if not isinstance(padding, str) and min(_pair(padding)) < 0:
        raise ValueError("padding must be non-negative")
    p = padding if isinstance(padding, str) else _pair(padding)
    for size, kk, pp, dd in zip((h, w), k, (0, 0) if isinstance(p, str) else p, d):
        if padding != "same" and size + 2 * pp < dd * (kk - 1) + 1:
            raise ValueError("the kernel does not fit the padded input")
    conv = nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d, bias=False, device="meta")
    out = conv(torch.empty(1, 1, h, w, device="meta"))
    return int(out.shape[-2]), int(out.shape[-1])


class SmallCNN(nn.Module):
    def __init__(self, in_channels: int, num_classes: int, image_size: tuple[int, int]) -> None:
        super().__init__()
        if min(image_size) < 4:
            raise ValueError(f"image_size {image_size} is smaller than (4, 4)")
        self.body = nn.Sequential(
            nn.Conv2d(in_channels, 16, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Flatten(),
        )
        with torch.no_grad():
            n = self.body(torch.zeros(1, in_channels, *image_size)).shape[1]
        self.head = nn.Linear(n, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))
