# Style: named layers with in-place relu_ and positional F.dropout(x, 0.3, self.training), torch.flatten(x, 1), custom init through self.apply; Keras custom Dense layer (add_weight, keras.ops.matmul / ops.relu) in a subclassed Model that passes training on explicitly, built by a first call.
import keras
import numpy as np
import torch
import torch.nn.functional as F
from keras import ops
from torch import nn


class PyTorchModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 10)
        self.apply(self._init)

    @staticmethod
    def _init(module):
        if isinstance(module, nn.Linear):
            nn.init.xavier_uniform_(module.weight)
            nn.init.zeros_(module.bias)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = F.dropout(self.fc1(x).relu_(), 0.3, self.training)
        x = F.dropout(self.fc2(x).relu_(), 0.3, self.training)
        return self.fc3(x)


class DenseLayer(keras.layers.Layer):
    def __init__(self, units, relu=False, **kwargs):
        super().__init__(**kwargs)
        self.units, self.relu = units, relu

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform", name="kernel")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, x):
        y = ops.matmul(x, self.w) + self.b
        return ops.relu(y) if self.relu else y


class TwinMLP(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d1 = DenseLayer(256, relu=True)
        self.d2 = DenseLayer(128, relu=True)
        self.out_layer = DenseLayer(10)
        self.drop = keras.layers.Dropout(0.3)
        self.drop2 = keras.layers.Dropout(0.3)

    def call(self, inputs, training=None):
        x = self.drop(self.d1(inputs), training=training)
        x = self.drop2(self.d2(x), training=training)
        return self.out_layer(x)


def build_keras_model():
    model = TwinMLP(name="twin")
    model(np.zeros((1, 784), dtype=np.float32))
    return model
