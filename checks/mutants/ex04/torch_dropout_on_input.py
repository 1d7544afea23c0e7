# Mutant: applies dropout before each Linear layer (on the input too) instead of after each hidden layer.
import keras
import torch
import torch.nn.functional as F
from keras import layers
from torch import nn


class PyTorchModel(nn.Module):

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.dropout1 = nn.Dropout(0.3)
        self.fc2 = nn.Linear(256, 128)
        self.dropout2 = nn.Dropout(0.3)
        self.fc3 = nn.Linear(128, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.fc1(self.dropout1(x)))
        x = F.relu(self.fc2(self.dropout2(x)))
        return self.fc3(x)  # logits: CrossEntropyLoss applies log-softmax itself


def build_keras_model() -> keras.Model:
    return keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(256, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(10),  # logits: use from_logits=True in the loss
    ])
