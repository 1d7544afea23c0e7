# Style: named layers with F.relu / F.max_pool2d and x.view(x.size(0), -1); output sizes with math.floor and explicit per-axis code; "same" as explicit total padding d*(k-1).
from __future__ import annotations

import math

import torch.nn.functional as F
from torch import nn


def _two(v):
    if isinstance(v, int):
        return v, v
    a, b = v
    return a, b


def _axis(size, k, s, p, d):
    return math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1


def conv2d_output_size(h, w, kernel_size, stride=1, padding=0, dilation=1):
    kh, kw = _two(kernel_size)
    sh, sw = _two(stride)
    dh, dw = _two(dilation)
    if kh < 1 or kw < 1 or sh < 1 or sw < 1 or dh < 1 or dw < 1:
        raise ValueError("kernel_size, stride and dilation must be at least 1")
    if isinstance(padding, str):
        if padding == "valid":
            ph = pw = 0
        elif padding == "same":
            if sh != 1 or sw != 1:
                raise ValueError("'same' padding needs stride 1")
            # total padding d*(k-1), split unevenly when odd: the size is kept
            return (h + dh * (kh - 1) - dh * (kh - 1) - 1) // 1 + 1, (w + dw * (kw - 1) - dw * (kw - 1) - 1) // 1 + 1
        else:
            raise ValueError(f"unknown padding {padding!r}")
    else:
        ph, pw = _two(padding)
    if ph < 0 or pw < 0:
        raise ValueError("negative padding")
    oh, ow = _axis(h, kh, sh, ph, dh), _axis(w, kw, sw, pw, dw)
    if oh <= 0 or ow <= 0:
        raise ValueError(f"output size would be {oh}x{ow}")
    return (oh, ow)


class SmallCNN(nn.Module):
    def __init__(self, in_channels, num_classes, image_size):
        super().__init__()
        H, W = image_size
        if H < 4 or W < 4:
            raise ValueError("image too small")
        self.conv1 = nn.Conv2d(in_channels, 16, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3, padding=1)
        self.flat_features = 32 * (H // 2 // 2) * (W // 2 // 2)
        self.fc = nn.Linear(self.flat_features, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1)
        return self.fc(x)
