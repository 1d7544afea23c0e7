# Mutant: checks kernel and dilation but not the stride, so stride 0 divides by zero (ZeroDivisionError, not ValueError).

from __future__ import annotations

from torch import Tensor, nn


def _pair(value, name: str) -> tuple:
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair, got {value!r}")
        return tuple(value)
    return (value, value)


def conv2d_output_size(h: int, w: int, kernel_size, stride=1, padding=0, dilation=1) -> tuple[int, int]:
    kernel, strides, dilations = _pair(kernel_size, "kernel_size"), _pair(stride, "stride"), _pair(dilation, "dilation")
    for name, values in (("kernel_size", kernel), ("dilation", dilations)):
        if min(values) < 1:
            raise ValueError(f"{name} must be >= 1, got {values}")
    if padding == "same":
        if max(strides) > 1:
            raise ValueError("padding='same' is not supported for strided convolutions")
        return h, w  # nn.Conv2d pads (asymmetrically if need be) so that the size is kept
    pads = (0, 0) if padding == "valid" else _pair(padding, "padding")
    if min(pads) < 0:
        raise ValueError(f"padding must be >= 0, got {pads}")
    out = tuple((size + 2 * p - d * (k - 1) - 1) // s + 1
                for size, k, s, p, d in zip((h, w), kernel, strides, pads, dilations))
    if min(out) < 1:
        raise ValueError(f"the output would be {out[0]}x{out[1]}: the kernel does not fit the padded input")
    return out


class SmallCNN(nn.Module):
    def __init__(self, in_channels: int, num_classes: int, image_size: tuple[int, int]) -> None:
        super().__init__()
        height, width = image_size
        if height < 4 or width < 4:
            raise ValueError(f"image_size must be at least (4, 4), got {tuple(image_size)}")
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * (height // 2 // 2) * (width // 2 // 2), num_classes))

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))
