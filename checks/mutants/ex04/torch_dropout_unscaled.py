# Mutant: writes dropout by hand with a random mask but forgets to scale kept units by 1/(1-p).
import keras
import torch
import torch.nn.functional as F
from keras import layers
from torch import nn


def _dropout(x: torch.Tensor, p: float, training: bool) -> torch.Tensor:
    if not training:
        return x
    mask = (torch.rand_like(x) >= p).to(x.dtype)
    return x * mask


class PyTorchModel(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = _dropout(F.relu(self.fc1(x)), 0.3, self.training)
        x = _dropout(F.relu(self.fc2(x)), 0.3, self.training)
        return self.fc3(x)


def build_keras_model() -> keras.Model:
    return keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(256, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(10),
    ])
