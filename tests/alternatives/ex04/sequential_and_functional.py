# Style: nn.Sequential with nn.ReLU modules and Dropout before ReLU (the same function); Keras functional API.
import keras
import torch
from keras import layers
from torch import nn


class PyTorchModel(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(784, 256), nn.Dropout(0.3), nn.ReLU(),
            nn.Linear(256, 128), nn.Dropout(0.3), nn.ReLU(),
            nn.Linear(128, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def build_keras_model() -> keras.Model:
    inputs = keras.Input(shape=(784,), name="pixels")
    x = layers.Dense(256)(inputs)
    x = layers.Activation("relu")(x)
    x = layers.Dropout(0.3)(x)
    x = layers.Dense(128)(x)
    x = layers.ReLU()(x)
    x = layers.Dropout(0.3)(x)
    logits = layers.Dense(10, name="logits")(x)
    return keras.Model(inputs=inputs, outputs=logits, name="twin")
