# Mutant: uses F.relu6 (clipped at 6) instead of ReLU in the PyTorch hidden layers.
"""Reference solution for exercise 4: the same MLP in PyTorch and in Keras."""

import keras
import torch
import torch.nn.functional as F
from keras import layers
from torch import nn


class PyTorchModel(nn.Module):
    """784 → 256 → 128 → 10 with ReLU and Dropout(0.3) after each hidden layer."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.dropout1 = nn.Dropout(0.3)
        self.fc2 = nn.Linear(256, 128)
        self.dropout2 = nn.Dropout(0.3)
        self.fc3 = nn.Linear(128, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.dropout1(F.relu6(self.fc1(x)))
        x = self.dropout2(F.relu6(self.fc2(x)))
        return self.fc3(x)  # logits: CrossEntropyLoss applies log-softmax itself


def build_keras_model() -> keras.Model:
    """The same model in Keras; keras.Input builds it at once (count_params works)."""
    return keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(256, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(10),  # logits: use from_logits=True in the loss
    ])
