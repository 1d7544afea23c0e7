# Mutant: builds the Keras model with the functional API and calls Dropout with training=True, so it is active in inference too.
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
        x = self.dropout1(F.relu(self.fc1(x)))
        x = self.dropout2(F.relu(self.fc2(x)))
        return self.fc3(x)  # logits: CrossEntropyLoss applies log-softmax itself


def build_keras_model() -> keras.Model:
    inputs = keras.Input(shape=(784,))
    x = layers.Dense(256, activation="relu")(inputs)
    x = layers.Dropout(0.3)(x, training=True)
    x = layers.Dense(128, activation="relu")(x)
    x = layers.Dropout(0.3)(x, training=True)
    return keras.Model(inputs, layers.Dense(10)(x))
