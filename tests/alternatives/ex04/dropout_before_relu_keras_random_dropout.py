# Style: nn.Sequential from a list comprehension with Dropout before ReLU; a custom Keras dropout layer on keras.random.dropout with a SeedGenerator, functional API.
import keras
from keras import layers
from torch import nn


class PyTorchModel(nn.Module):
    def __init__(self):
        super().__init__()
        sizes = [784, 256, 128]
        hidden = [m for a, b in zip(sizes, sizes[1:]) for m in (nn.Linear(a, b), nn.Dropout(0.3), nn.ReLU())]
        self.net = nn.Sequential(*hidden, nn.Linear(128, 10))

    def forward(self, x):
        return self.net(x)


class MyDropout(layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed_generator = keras.random.SeedGenerator(7)

    def call(self, x, training=False):
        if training:
            return keras.random.dropout(x, self.rate, seed=self.seed_generator)
        return x


def build_keras_model():
    inp = keras.Input((784,))
    h = MyDropout(0.3)(layers.Dense(256, activation="relu")(inp))
    h = MyDropout(0.3)(layers.Dense(128, activation="relu")(h))
    return keras.Model(inp, layers.Dense(10)(h))
